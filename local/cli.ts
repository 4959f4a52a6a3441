import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { PROJECT_ROOT } from '../config/project-root';
import { existsSync } from 'node:fs';
import { pipelineNamed, workflowNamed } from '../config/project';
import { splitStatements } from '../sql-lang/sql-text';
import { BadInputError } from './bad-input';
import { defaultNamingContext, volumeKey } from '../model/naming';
import { topologicalOrder } from '../model/task-graph';
import { assetLabel } from '../model/workflow';
import { FaultInjection, LocalEngine, Row } from './engine';
import { runPipeline } from './pipelines/pipeline-runner';
import { VolumeMapper } from './volumes';
import { runWorkflow } from './workflow-runner';
import { exitOnUsageError, failCommand, InvalidInputError } from '../model/errors';

// `npm run local -- <command>`: runs the workflows' SQL on embedded DuckDB.
// Progress goes to stderr, results to stdout. Exit codes: 0 success, 1 a task or query
// failed, 2 bad input.

const DEFAULT_CATALOG = 'lakehouse_local';

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError(`"${value}" is not key=value`);
  return { ...previous, [match[1]]: match[2] };
}

function print(value: unknown, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

/**
 * Opens the engine on a state file and a volumes folder. `run` creates a missing state file
 * (a first run); `sql` only reads one, so a missing state file is bad input rather than a new
 * empty database. The volumes folder must exist: a mistyped one is bad input, not a run
 * that reads nothing.
 */
async function withEngine<T>(options: { state: string; volumes?: string; catalog: string; stateMustExist?: boolean }, work: (engine: LocalEngine) => Promise<T>): Promise<T> {
  if (options.stateMustExist && !existsSync(resolve(options.state))) throw new BadInputError(`--state ${options.state}: no such state file (run a workflow first to create one)`);
  if (options.volumes !== undefined && !existsSync(resolve(options.volumes))) throw new BadInputError(`--volumes ${options.volumes}: no such folder`);
  const engine = await LocalEngine.open({
    statePath: resolve(options.state),
    catalog: options.catalog,
    volumesDir: resolve(options.volumes ?? '.'),
    projectRoot: PROJECT_ROOT,
    // without --volumes (sql) nothing is written outside the state file
    createLandingFolders: options.volumes !== undefined,
  });
  try {
    return await work(engine);
  } finally {
    engine.close();
  }
}

const program = new Command('local')
  .description('Run the lakehouse workflows on embedded DuckDB, with the same SQL files the jobs run')
  .exitOverride(exitOnUsageError)
  .showHelpAfterError();

program
  .command('describe')
  .argument('<workflow>', 'workflow name, e.g. ingest-orders')
  .option('--volumes <dir>', 'local folder standing for /Volumes', 'samples/volumes')
  .option('--catalog <name>', 'catalog the workflow runs in', DEFAULT_CATALOG)
  .option('--json', 'print JSON')
  .description('tasks in run order, landing paths and tables written')
  .action((name: string, options: { volumes: string; catalog: string; json?: boolean }) => {
    const workflow = workflowNamed(name);
    const volumes = new VolumeMapper(options.volumes);
    const landing = workflow.landingVolume ? defaultNamingContext(options.catalog, [{ name: workflow.landingVolume }]).volumes.get(volumeKey(workflow.landingVolume))!.incoming : undefined;
    print(
      {
        workflow: workflow.name,
        description: workflow.description,
        tasks: topologicalOrder(workflow.tasks, workflow.name).map((t) => ({
          key: t.key,
          asset: assetLabel(t.asset),
          kind: t.asset.kind,
          dependsOn: t.dependsOn ?? [],
          runIf: t.runIf ?? 'ALL_SUCCESS',
          parameters: t.parameters ?? {},
        })),
        landingPaths: landing ? [{ volume: landing, local: volumes.toLocal(landing) }] : [],
        tablesWritten: workflow.writes.map((t) => `${options.catalog}.${t}`),
      },
      options.json ?? false,
    );
  });

/** `--kill-at <task>:<statements>`: the task's process is killed (SIGKILL) after that many of its statements. */
function killFaults(killAt: string | undefined): ReadonlyMap<string, FaultInjection> | undefined {
  if (killAt === undefined) return undefined;
  const match = /^([\w-]+):(\d+)$/.exec(killAt);
  if (!match) throw new InvalidInputError(`--kill-at ${killAt}: expected <task>:<statements>, e.g. extract:1`);
  return new Map([[match[1], { failAfterStatements: Number(match[2]), kind: 'kill' as const }]]);
}

program
  .command('run')
  .argument('<workflow>', 'workflow or pipeline name, e.g. ingest-orders or orders-medallion')
  .requiredOption('--volumes <dir>', 'local folder standing for /Volumes')
  .requiredOption('--state <file>', 'DuckDB file with the tables, created if missing and kept between runs')
  .option('--catalog <name>', 'catalog the workflow runs in', DEFAULT_CATALOG)
  .option('--param <key=value>', 'job parameter (repeatable)', collectParam, {})
  .option('--run-id <id>', 'run id ({{job.run_id}}); a new one by default')
  .option('--repair', 'repair run of --run-id: tasks that succeeded in an earlier attempt of that run are not run again')
  .option('--kill-at <task:statements>', 'fault injection: SIGKILL this process in task <task> after <statements> of its statements ran (tests of crash recovery)')
  .option('--json', 'print a JSON summary')
  .description("run a workflow's tasks in dependency order, or a pipeline update")
  .action(async (name: string, options: { volumes: string; state: string; catalog: string; param: Record<string, string>; runId?: string; repair?: boolean; killAt?: string; json?: boolean }) => {
    const pipeline = pipelineNamed(name);
    if (pipeline) {
      const update = await withEngine(options, (engine) => runPipeline(engine, pipeline, PROJECT_ROOT));
      if (options.json) print(update, true);
      else {
        for (const d of update.datasets) process.stdout.write(`${String(d.rowsWritten).padStart(8)} rows written  ${d.dataset} (${d.kind}${d.filesRead.length ? `, ${d.filesRead.length} new file(s)` : ''})\n`);
        for (const m of update.expectations) process.stdout.write(`  expectation ${m.dataset}.${m.expectation} [${m.action}]: ${m.passed} passed, ${m.failed} ${m.action === 'drop' ? 'dropped' : m.action === 'warn' ? 'warned' : 'failed'}\n`);
        if (update.error) process.stdout.write(`FAILED: ${update.error}\n`);
      }
      process.exitCode = update.succeeded ? 0 : 1;
      return;
    }
    const workflow = workflowNamed(name);
    const run = await withEngine(options, (engine) =>
      runWorkflow(engine, workflow, { parameters: options.param, runId: options.runId, repair: options.repair, faults: killFaults(options.killAt), onProgress: (m) => process.stderr.write(`${m}\n`) }),
    );
    if (options.json) print(run, true);
    else {
      for (const task of run.tasks) process.stdout.write(`${task.status.padEnd(16)} ${task.key}${task.message ? `  (${task.message})` : ''}\n`);
      for (const [table, rows] of Object.entries(run.tables)) process.stdout.write(`${String(rows ?? '-').padStart(8)} rows  ${options.catalog}.${table}\n`);
    }
    process.exitCode = run.succeeded ? 0 : 1;
  });

program
  .command('sql')
  .argument('<query>', 'Databricks SQL (checked by the fidelity rules, as a SQL task would be); the catalog is the default, so silver.orders works')
  .requiredOption('--state <file>', 'DuckDB file of a previous run')
  .option('--catalog <name>', 'catalog the state file holds', DEFAULT_CATALOG)
  .option('--json', 'print JSON')
  .description('query the tables of a local run')
  .action(async (query: string, options: { state: string; catalog: string; json?: boolean }) => {
    const rows = await withEngine({ ...options, stateMustExist: true }, async (engine) => {
      let last: Row[] = [];
      for (const statement of splitStatements(query)) last = await engine.execute('(command line)', statement.line, statement.text, {});
      return last;
    });
    if (options.json) print(rows, true);
    else console.table(rows);
  });

program.parseAsync(process.argv).catch((error: unknown) => failCommand(error instanceof InvalidArgumentError ? new InvalidInputError(error.message) : error));

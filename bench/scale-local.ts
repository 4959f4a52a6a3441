import { resolve } from 'node:path';
import { theProject } from '../config/project';
import { PROJECT_ROOT } from '../config/project-root';
import { ingestionName } from '../model/naming';
import { LocalEngine } from '../local/engine';
import { runPipeline } from '../local/pipelines/pipeline-runner';
import { runWorkflow } from '../local/workflow-runner';
import { median } from './measure-command';

// Run by bench/scale.ts INSIDE a scratch copy of the project holding many generated sources:
//   node scripts/run-ts.mjs bench/scale-local.ts <stateFile> <volumesDir> [namePrefix]
// so that theProject() is the copy's (config/project-root.ts derives the root from where the
// bundle lies). Opens one LocalEngine and ingests every source whose name starts with
// namePrefix (default src), in name order: its ingest-<name> workflow, or its pipeline.
// Prints one JSON line (a LocalScaleRun) on stdout; progress goes to stderr. The volumes
// folder is consumed (the archive step moves files), so give it a copy of samples/volumes.

/** A failed ingestion, as the runner reported it. */
export interface LocalScaleFailure {
  readonly source: string;
  readonly kind: 'job' | 'pipeline';
  /** The failed task (job), or the pipeline update. */
  readonly task: string;
  readonly message: string;
}

/** What one run of every generated source's ingestion on one local engine did. */
export interface LocalScaleRun {
  /** Sources of the project (all of them), and those ingested here. */
  readonly projectSources: number;
  readonly ingestions: number;
  readonly jobs: number;
  readonly pipelines: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Every failure, in run order. */
  readonly failures: readonly LocalScaleFailure[];
  /** Opening the state file: creating every declared table and volume folder. */
  readonly openSeconds: number;
  /** All ingestions, one after the other, the opening excluded. */
  readonly totalSeconds: number;
  readonly medianSeconds: number;
  readonly maxSeconds: number;
  readonly slowest: string;
  readonly medianJobSeconds: number;
  readonly medianPipelineSeconds: number;
  /** Ingestions that succeeded but left the source's current table empty (every sample row rejected or unread). */
  readonly empty: readonly string[];
  /** Each ingestion in run order (`ingest-<name>`): its seconds, and the rows of the source's current table after it. */
  readonly perIngestion: readonly IngestionTiming[];
  /** Peak resident set of this process (DuckDB included), MiB. */
  readonly peakMiB: number;
}

export interface IngestionTiming {
  readonly name: string;
  readonly kind: 'job' | 'pipeline';
  readonly seconds: number;
  readonly succeeded: boolean;
  /** Rows of silver.<source> (job) or of the pipeline's <source> table, null when it does not exist. */
  readonly rows: number | null;
}

const elapsed = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

const medianOf = (values: readonly number[]) => (values.length === 0 ? 0 : median(values));

async function main(): Promise<void> {
  const [stateFile, volumesDir, prefix = 'src'] = process.argv.slice(2);
  if (!stateFile || !volumesDir) throw new Error('usage: node scripts/run-ts.mjs bench/scale-local.ts <stateFile> <volumesDir> [namePrefix]');
  const project = theProject();
  const sources = project.sources.filter((s) => s.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  if (sources.length === 0) throw new Error(`no source of ${PROJECT_ROOT} is named ${prefix}…`);

  let started = process.hrtime.bigint();
  const engine = await LocalEngine.open({ statePath: resolve(stateFile), catalog: 'lakehouse_local', volumesDir: resolve(volumesDir), projectRoot: PROJECT_ROOT });
  const openSeconds = elapsed(started);
  const perIngestion: IngestionTiming[] = [];
  const failures: LocalScaleFailure[] = [];
  try {
    const all = process.hrtime.bigint();
    for (const [i, source] of sources.entries()) {
      const name = ingestionName(source.name);
      started = process.hrtime.bigint();
      let succeeded: boolean;
      let rows: number | null;
      if (source.ingestion === 'job') {
        const workflow = project.workflows.find((w) => w.name === name);
        if (!workflow) throw new Error(`source ${source.name} has no workflow ${name}`);
        // a run id of its own each: the default one is the start time in ms, which two quick runs share
        const run = await runWorkflow(engine, workflow, { runId: `scale-${i + 1}` });
        succeeded = run.succeeded;
        rows = run.tables[`silver.${source.name}`] ?? null;
        const failed = run.tasks.find((t) => t.status === 'FAILED');
        if (!succeeded) failures.push({ source: source.name, kind: 'job', task: failed?.key ?? '(none failed)', message: failed?.message ?? JSON.stringify(run.tasks) });
      } else {
        const pipeline = project.pipelines.find((p) => p.name === name);
        if (!pipeline) throw new Error(`source ${source.name} has no pipeline ${name}`);
        const update = await runPipeline(engine, pipeline, PROJECT_ROOT);
        succeeded = update.succeeded;
        rows = update.tables[source.name] ?? null;
        if (!succeeded) failures.push({ source: source.name, kind: 'pipeline', task: 'update', message: update.error ?? '(no error reported)' });
      }
      const seconds = elapsed(started);
      perIngestion.push({ name, kind: source.ingestion, seconds, succeeded, rows });
      if ((i + 1) % 25 === 0 || i + 1 === sources.length) process.stderr.write(`scale-local: ${i + 1}/${sources.length} ingestions, ${failures.length} failed\n`);
    }
    const totalSeconds = elapsed(all);
    const seconds = perIngestion.map((r) => r.seconds);
    const slowest = perIngestion.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    const result: LocalScaleRun = {
      projectSources: project.sources.length,
      ingestions: perIngestion.length,
      jobs: perIngestion.filter((r) => r.kind === 'job').length,
      pipelines: perIngestion.filter((r) => r.kind === 'pipeline').length,
      succeeded: perIngestion.filter((r) => r.succeeded).length,
      failed: failures.length,
      failures,
      empty: perIngestion.filter((r) => r.succeeded && !r.rows).map((r) => r.name),
      openSeconds,
      totalSeconds,
      medianSeconds: medianOf(seconds),
      maxSeconds: slowest.seconds,
      slowest: slowest.name,
      medianJobSeconds: medianOf(perIngestion.filter((r) => r.kind === 'job').map((r) => r.seconds)),
      medianPipelineSeconds: medianOf(perIngestion.filter((r) => r.kind === 'pipeline').map((r) => r.seconds)),
      perIngestion,
      peakMiB: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    engine.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

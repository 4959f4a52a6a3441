import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { projectWorkflows, workflowNamed } from '../../config/project';
import { LocalEngine } from '../../local/engine';
import type { Workflow } from '../../model/workflow';
import { splitStatements } from '../../sql-lang/sql-text';
import { CATALOG } from './harness';

/**
 * A kill -9 of the real `npm run local` process (node scripts/run-ts.mjs local/cli.ts) at one
 * point of a workflow, then a repair run of the same job run from the state the kill left (same
 * run id, `--repair`: only the tasks that had not succeeded run again), must end where an uninterrupted run ends: the same rows in every table the
 * workflow writes (write times left out) and the same files in the volumes (none lost, none
 * twice, no half copy left).
 *
 * A point is either a SQL task killed after n of its statements (`--kill-at <task>:<n>`: the
 * CLI SIGKILLs itself there, so the point is exact) or a notebook task whose python process is
 * SIGKILLed in its (n+1)-th file operation (LAKEHOUSE_NOTEBOOK_KILL_AT_FS_OP, see
 * local/notebook_host.py; a copy is killed half-written): the job's retries die the same way,
 * the rerun runs clean.
 */

const ROOT = resolve(__dirname, '..', '..');
const SAMPLES = join(ROOT, 'samples', 'volumes');

/** Job parameters of a run, as the fault-convergence test sets them (a batch of the samples; an extract window). */
const RUN_PARAMETERS: Record<string, Record<string, string>> = {
  'coordinated-load': { batch_id: '2026-11-21' },
  'coordinated-upstream-customers': { batch_id: '2026-11-21' },
  'coordinated-upstream-orders': { batch_id: '2026-11-21' },
  'incremental-extract': { window_high: '2030-01-01 00:00:00' },
};
/** Workflows that read what another one wrote: that one runs first (a finished run, not swept). */
const SEEDED_BY: Record<string, readonly string[]> = {
  'incremental-extract': ['ingest-orders'],
  'coordinated-downstream': ['coordinated-upstream-customers', 'coordinated-upstream-orders'],
};

/** Columns holding the time of a write (current_timestamp()), which no two runs share. */
const WRITE_TIMES = new Set(['ingested_at', 'loaded_at', 'completed_at', 'started_at', 'finished_at', 'superseded_at', 'checked_at', 'staged_at', 'merged_at', 'quarantined_at', 'updated_at', 'commit_timestamp', 'archived_at']);

export interface KillPoint {
  readonly workflow: string;
  readonly task: string;
  readonly kind: 'sql' | 'notebook';
  /** SQL: statements run before the kill; notebook: file operations done before the kill. */
  readonly after: number;
}

/** The workflows the sweep covers: every declared job (ingest-<source>, coordinated-*, incremental-extract, analytics-dag). */
export function sweptWorkflows(): readonly Workflow[] {
  return projectWorkflows();
}

/** Every SQL kill point of a workflow: before the first statement of each task that runs in a clean run, between any two, after the last. */
export function sqlKillPoints(workflow: Workflow): KillPoint[] {
  return workflow.tasks
    .filter((t) => t.asset.kind === 'sql' && !(t.runIf && t.runIf !== 'ALL_SUCCESS'))
    .flatMap((t) => {
      const file = t.asset.kind === 'sql' ? t.asset.file : '';
      const statements = splitStatements(readFileSync(join(ROOT, file), 'utf8')).length;
      return Array.from({ length: statements + 1 }, (_v, after) => ({ workflow: workflow.name, task: t.key, kind: 'sql' as const, after }));
    });
}

/** The notebook tasks of a workflow that run in a clean run (their kill points are found by running: see sweepNotebook). */
export function notebookTasks(workflow: Workflow): string[] {
  return workflow.tasks.filter((t) => t.asset.kind === 'notebook' && !(t.runIf && t.runIf !== 'ALL_SUCCESS')).map((t) => t.key);
}

interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** One throwaway copy of the sample volumes and a state file, run by the real CLI. */
export class KillScratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'lakehouse-kill-'));
  readonly volumes = join(this.dir, 'volumes');
  readonly state = join(this.dir, 'state.duckdb');

  constructor(readonly workflow: string) {
    cpSync(SAMPLES, this.volumes, { recursive: true });
    for (const seed of SEEDED_BY[workflow] ?? []) {
      const seeded = this.run(seed, 'seed');
      if (seeded.status !== 0) throw new Error(`seeding ${workflow} with ${seed} failed: ${seeded.stderr}`);
    }
  }

  /** Runs the workflow as job run `runId`; `env` reaches the notebook processes. */
  run(workflow: string, runId: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): CliResult {
    const parameters = Object.entries(RUN_PARAMETERS[workflow] ?? {}).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
    const result = spawnSync('node', ['scripts/run-ts.mjs', 'local/cli.ts', 'run', workflow, '--volumes', this.volumes, '--state', this.state, '--run-id', runId, ...parameters, ...extra], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    return { status: result.status, signal: result.signal, stderr: result.stderr };
  }

  /** The rows of every table the workflow writes (write times left out) and the volumes' files with their sizes. */
  async endState(): Promise<Record<string, unknown>> {
    const engine = await LocalEngine.open({ statePath: this.state, catalog: CATALOG, volumesDir: this.volumes, projectRoot: ROOT, createLandingFolders: false, checkpointOnClose: false });
    const state: Record<string, unknown> = {};
    try {
      for (const table of workflowNamed(this.workflow).writes) {
        const [schema, name] = table.split('.');
        const columns = (await engine.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = '${name}' ORDER BY ordinal_position`))
          .map((c) => String(c.column_name))
          .filter((c) => !WRITE_TIMES.has(c));
        state[table] = columns.length === 0 ? null : await engine.query(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${schema}.${name} ORDER BY ALL`);
      }
    } finally {
      engine.close();
    }
    state.files = listFiles(this.volumes).map((f) => `${relative(this.volumes, f)} ${statSync(f).size}`);
    return state;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** The end state of an uninterrupted run of the workflow. */
export async function uninterrupted(workflow: string): Promise<Record<string, unknown>> {
  const scratch = new KillScratch(workflow);
  try {
    const run = scratch.run(workflow, 'r1');
    if (run.status !== 0) throw new Error(`the uninterrupted run of ${workflow} failed: ${run.stderr}`);
    return await scratch.endState();
  } finally {
    scratch.close();
  }
}

/** The outcome of one kill point: whether the kill happened there, and the state after the rerun. */
export interface KillOutcome {
  readonly point: KillPoint;
  /** The first run died at the point (false: the point lies past the end of the task, e.g. a notebook with fewer file operations). */
  readonly killed: boolean;
  readonly rerunStatus: number | null;
  readonly rerunError: string;
  readonly state: Record<string, unknown>;
  /** Set by the caller once the state is compared with an uninterrupted run's. */
  recovered?: boolean;
}

/** Kills a run of the point's workflow at the point, reruns the same job run, and returns where it ended. */
export async function killAndRerun(point: KillPoint): Promise<KillOutcome> {
  const scratch = new KillScratch(point.workflow);
  try {
    const killedRun =
      point.kind === 'sql'
        ? scratch.run(point.workflow, 'r1', ['--kill-at', `${point.task}:${point.after}`])
        : scratch.run(point.workflow, 'r1', [], { LAKEHOUSE_NOTEBOOK_KILL_AT_FS_OP: String(point.after) });
    const killed = point.kind === 'sql' ? killedRun.signal === 'SIGKILL' : killedRun.status !== 0 && /SIGKILL/.test(killedRun.stderr);
    // a point past the task's end (a notebook with fewer file operations) was a clean run: no rerun
    const rerun = killed ? scratch.run(point.workflow, 'r1', ['--repair']) : killedRun;
    return { point, killed, rerunStatus: rerun.status, rerunError: rerun.status === 0 ? '' : rerun.stderr.split('\n').filter((l) => /FAILED|Error|FATAL/.test(l)).join('\n'), state: await scratch.endState() };
  } finally {
    scratch.close();
  }
}

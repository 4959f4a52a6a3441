import type { LocalEngine } from './engine';

/**
 * The tasks of each job run that succeeded, with the task values they set, kept in the state
 * file (hidden schema `__job_runs`), so a repair run of the same run id reruns only the tasks that
 * did not succeed, as Databricks does: a repair re-runs the failed tasks (rerun_all_failed_tasks)
 * as part of the original job run, the successful ones keep their outcome and task values.
 * https://docs.databricks.com/api/workspace/jobs/repairrun (POST /api/2.2/jobs/runs/repair)
 * https://docs.databricks.com/aws/en/jobs/repair-job-failures
 * After a kill -9 of the local runner, a rerun that ran every task again would start the run
 * anew (start_run refuses a window the run already committed), which no job run does.
 */
const TABLE = '"__job_runs"."succeeded_tasks"';

async function ensure(engine: LocalEngine): Promise<void> {
  await engine.query('CREATE SCHEMA IF NOT EXISTS "__job_runs"');
  await engine.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (run_id VARCHAR NOT NULL, workflow VARCHAR NOT NULL, task VARCHAR NOT NULL, task_values VARCHAR NOT NULL)`);
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Records that `task` of run `runId` succeeded, with its task values. */
export async function recordSucceededTask(engine: LocalEngine, workflow: string, runId: string, task: string, taskValues: Readonly<Record<string, unknown>>): Promise<void> {
  await ensure(engine);
  await engine.query(`INSERT INTO ${TABLE} VALUES (${quote(runId)}, ${quote(workflow)}, ${quote(task)}, ${quote(JSON.stringify(taskValues))})`);
}

/** The tasks of run `runId` of `workflow` that succeeded, with their task values. */
export async function succeededTasks(engine: LocalEngine, workflow: string, runId: string): Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>> {
  await ensure(engine);
  const rows = await engine.query(`SELECT task, task_values FROM ${TABLE} WHERE run_id = ${quote(runId)} AND workflow = ${quote(workflow)}`);
  return new Map(rows.map((r) => [String(r.task), JSON.parse(String(r.task_values)) as Record<string, unknown>]));
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectWorkflows } from '../../config/project';
import type { Workflow } from '../../model/workflow';
import { splitStatements } from '../../sql-lang/sql-text';
import { bySuiteDepth, DEPTH, killPoints, middleOrLast } from '../support/depth';
import { Scratch } from './harness';

/**
 * Each statement of a Databricks SQL file task commits on its own, so a task can die after
 * any of them. For every SQL task the job retries, and every point it can die at (before its
 * first statement, between any two, after its last), a run whose task dies once there and is
 * retried must end exactly where an uninterrupted run ends.
 */

const root = resolve(__dirname, '..', '..');
const BATCH = '2026-11-21';
const RUN_PARAMETERS: Record<string, Record<string, string>> = {
  'coordinated-load': { batch_id: BATCH },
  'incremental-extract': { window_high: '2030-01-01 00:00:00' },
};

/** Columns holding the time of a write (current_timestamp()), which no two runs share. */
const WRITE_TIMES = new Set(['ingested_at', 'loaded_at', 'completed_at', 'started_at', 'finished_at', 'superseded_at', 'checked_at', 'staged_at', 'merged_at', 'quarantined_at']);
const WRITE_TIME_OF: Record<string, string[]> = { 'silver.orders': ['updated_at'], 'gold.orders_changes': ['commit_timestamp'] };

async function seed(scratch: Scratch, workflow: string): Promise<void> {
  scratch.deliverOrders('day1.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,2,20.00,2026-11-20 11:00:00']);
  scratch.deliverOrders('day2.csv', ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 10:00:00', 'TRK-3,O3,C1,P3,PLACED,1,5.00,2026-11-21 12:00:00']);
  writeFileSync(join(scratch.folder('landing/customers/incoming'), 'c.csv'), 'customer_id,name,email,country,updated_at\nC1,Ada,ada@example.com,GB,2026-11-20 00:00:00\nC2,Grace,grace@example.com,US,2026-11-20 00:00:00\n');
  writeFileSync(join(scratch.folder(`landing/customers/batches/${BATCH}`), 'c.csv'), 'customer_id,name,country,updated_at\nC1,Ada,GB,2026-11-21 06:00:00\n');
  writeFileSync(join(scratch.folder(`landing/orders/batches/${BATCH}`), 'o.csv'), 'order_id,customer_id,amount,event_time\nO1,C1,10.00,2026-11-21 08:00:00\n');
  if (workflow === 'incremental-extract' || workflow === 'analytics-dag') expect((await scratch.run('ingest-orders', { runId: 'seed' })).succeeded).toBe(true);
}

/** Every table the workflow writes, write times left out, in a stable order. */
async function endState(scratch: Scratch, workflow: Workflow): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const table of workflow.writes) {
    const [schema, name] = table.split('.');
    const columns = (await scratch.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = '${name}' ORDER BY ordinal_position`))
      .map((c) => String(c.column_name))
      .filter((c) => !WRITE_TIMES.has(c) && !(WRITE_TIME_OF[table] ?? []).includes(c));
    state[table] = columns.length === 0 ? null : await scratch.query(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${schema}.${name} ORDER BY ALL`);
  }
  return state;
}

async function runToEnd(workflow: Workflow, fault?: { task: string; after: number }): Promise<Record<string, unknown>> {
  const scratch = await Scratch.open();
  try {
    await seed(scratch, workflow.name);
    const run = await scratch.run(workflow.name, {
      runId: 'r1',
      parameters: RUN_PARAMETERS[workflow.name],
      faults: fault ? new Map([[fault.task, { failAfterStatements: fault.after, attempts: 1 }]]) : undefined,
    });
    expect({ fault, failed: run.tasks.filter((t) => t.status === 'FAILED' || t.status === 'UPSTREAM_FAILED').map((t) => `${t.key}: ${t.message}`) }).toEqual({ fault, failed: [] });
    return await endState(scratch, workflow);
  } finally {
    scratch.close();
  }
}

const retried = projectWorkflows().filter((w) => ['ingest-orders', 'coordinated-load', 'incremental-extract', 'analytics-dag'].includes(w.name));

describe.each(retried.map((w, index) => [w.name, w, index] as const))('%s', (_name, workflow, workflowIndex) => {
  const sqlTasks = workflow.tasks
    .filter((t) => (t.maxRetries ?? 0) > 0 && !(t.runIf && t.runIf !== 'ALL_SUCCESS'))
    .flatMap((t) => (t.asset.kind === 'sql' ? [{ task: t.key, statements: splitStatements(readFileSync(join(root, t.asset.file), 'utf8')).length }] : []));
  // the quick suite kills one task a workflow, each workflow another of its tasks and the
  // middle or the end of it in turn; npm run test:deep kills every task at every point
  const killed = bySuiteDepth({ quick: [sqlTasks[workflowIndex % sqlTasks.length]], deep: sqlTasks });
  const points = killed.flatMap(({ task, statements }) => killPoints(statements, [middleOrLast(statements, workflowIndex)]).map((after) => ({ task, after })));

  it(`converges after a retried task died at each of ${points.length} kill points (${DEPTH} sweep)`, async () => {
    const uninterrupted = await runToEnd(workflow);
    for (const point of points) expect({ point, state: await runToEnd(workflow, point) }).toEqual({ point, state: uninterrupted });
  });
});

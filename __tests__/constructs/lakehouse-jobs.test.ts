import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktn';
import { environments } from '../../config/environments';
import { Environment, loadEnvironments } from '../../config/load-config';
import { projectWorkflows, theProject } from '../../config/project';
import { failureEmails, projectStack } from '../support/project-stack';
import { projectSynth } from '../support/project-synth';
import { resourcePrefix } from '../../model/naming';
import { topologicalOrder } from '../../model/task-graph';
import type { Workflow } from '../../model/workflow';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const byName = new Map(loadEnvironments(environments).map((e) => [e.name, e]));
const root = resolve(__dirname, '..', '..');

/** Every workflow the stacks deploy: the hand-written ones and those of the sources. */
const workflows = projectWorkflows();
const ingestOrders = workflows.find((w) => w.name === 'ingest-orders')!;

/** The environment's stack with the project's sources, and the given hand-written workflows. */
function synth(environment: Environment, stackWorkflows: readonly Workflow[] = theProject().declared.workflows, projectRoot = root): Json {
  return JSON.parse(Testing.synth(projectStack(environment, { workflows: stackWorkflows, projectRoot }), true));
}

/** The jobs deployed from workflows (the stack's other jobs carry no workflow tag). */
function jobsByWorkflow(out: Json): Map<string, Json> {
  return new Map(
    Object.values(out.resource.databricks_job as Record<string, Json>)
      .filter((job) => job.tags.workflow)
      .map((job) => [job.tags.workflow, job]),
  );
}

describe.each([...byName.keys()])('jobs of the %s stack', (name) => {
  const environment = byName.get(name)!;
  const out = projectSynth(environment);
  const jobs = jobsByWorkflow(out);
  const catalog = environment.catalog.name;
  const pause = environment.pauseTriggers ? 'PAUSED' : 'UNPAUSED';

  it('deploys every workflow as a job named for the environment', () => {
    expect([...jobs.keys()].sort()).toEqual(workflows.map((w) => w.name).sort());
    for (const [workflow, job] of jobs) expect(job.name).toBe(`[${name}] ${workflow}`);
  });

  it('triggers ingest-orders on file arrival in the orders volume, paused per the environment', () => {
    expect(jobs.get('ingest-orders')!.trigger).toEqual({
      pause_status: pause,
      file_arrival: { url: `/Volumes/${catalog}/landing/orders/incoming/`, min_time_between_triggers_seconds: 60, wait_after_last_change_seconds: 120 },
    });
    expect(jobs.get('ingest-orders')!.depends_on).toEqual(['databricks_volume.Volume-landing-orders_9B714A8D']);
  });

  it('runs ingest-orders as stage, then merge, then the archive notebook', () => {
    const tasks = jobs.get('ingest-orders')!.task as Json[];
    expect(tasks.map((t) => [t.task_key, (t.depends_on ?? []).map((d: Json) => d.task_key)])).toEqual([
      ['archive', ['merge']],
      ['merge', ['stage']],
      ['stage', []],
    ]);
    expect(tasks[0].notebook_task.base_parameters).toEqual({ landing_path: '{{job.parameters.landing_path}}', archive_path: '{{job.parameters.archive_path}}', ledger_table: '{{job.parameters.ops}}.ingested_files', source: 'orders' });
    expect(jobs.get('ingest-orders')!.parameter).toEqual([
      { name: 'bronze', default: `${catalog}.bronze` },
      { name: 'silver', default: `${catalog}.silver` },
      { name: 'ops', default: `${catalog}.ops` },
      { name: 'landing_path', default: `/Volumes/${catalog}/landing/orders/incoming/` },
      { name: 'archive_path', default: `/Volumes/${catalog}/landing/orders/archive/` },
    ]);
  });

  it('gates the downstream of the coordinated load in one job on both upstream writers', () => {
    const tasks = new Map((jobs.get('coordinated-load')!.task as Json[]).map((t) => [t.task_key, t]));
    expect(tasks.get('gate')!.depends_on).toEqual([{ task_key: 'mark_customers_complete' }, { task_key: 'mark_orders_complete' }]);
    expect(tasks.get('load_summary')!.depends_on).toEqual([{ task_key: 'gate' }]);
  });

  it('triggers the cross-job downstream when an upstream records a completion in the control table, gate first', () => {
    const job = jobs.get('coordinated-downstream')!;
    expect(job.trigger.table_update).toEqual({
      table_names: [`${catalog}.ops.batch_control`],
      condition: 'ANY_UPDATED',
      min_time_between_triggers_seconds: 60,
      wait_after_last_change_seconds: 60,
    });
    expect(job.trigger.pause_status).toBe(pause);
    expect((job.task as Json[]).map((t) => [t.task_key, (t.depends_on ?? []).map((d: Json) => d.task_key)])).toEqual([
      ['gate', []],
      ['load_summary', ['gate']],
    ]);
  });

  it('finalizes the incremental extract as FAILED when any earlier task failed', () => {
    const finalize = (jobs.get('incremental-extract')!.task as Json[]).find((t) => t.task_key === 'finalize_failed')!;
    expect(finalize.run_if).toBe('AT_LEAST_ONE_FAILED');
    expect(finalize.depends_on).toEqual([{ task_key: 'extract' }, { task_key: 'finalize_success' }, { task_key: 'start_run' }]);
    expect(finalize.sql_task.parameters.status).toBe('FAILED');
  });

  it('builds the analytics DAG from its dependency map, with retries, a timeout, one run at a time and failure notifications', () => {
    const job = jobs.get('analytics-dag')!;
    expect(Object.fromEntries((job.task as Json[]).map((t) => [t.task_key, (t.depends_on ?? []).map((d: Json) => d.task_key)]))).toEqual({
      ingest_customers: [],
      silver_orders: [],
      gold_customer_metrics: ['ingest_customers', 'silver_orders'],
      gold_revenue_analysis: ['silver_orders'],
      final_reporting: ['gold_customer_metrics', 'gold_revenue_analysis'],
    });
    const tasks = new Map((job.task as Json[]).map((t) => [t.task_key, t]));
    expect([...tasks.values()].every((t) => t.max_retries >= 1 && t.timeout_seconds === 1800)).toBe(true);
    // the customers ingestion is the ingest-customers job, run to completion as a task
    const ingestCustomers = Object.entries(out.resource.databricks_job as Record<string, Json>).find(([, j]) => j.name === `${resourcePrefix(name)}ingest-customers`)!;
    expect(tasks.get('ingest_customers')!.run_job_task).toEqual({ job_id: `\${databricks_job.${ingestCustomers[0]}.id}`, job_parameters: {
        bronze: '{{job.parameters.bronze}}',
        ops: '{{job.parameters.ops}}',
        silver: '{{job.parameters.silver}}',
        // its folders handed on, so a run of the DAG can point the child job elsewhere
        landing_path: '{{job.parameters.customers_landing_path}}',
        archive_path: '{{job.parameters.customers_archive_path}}',
      },
    });
    const defaultOf = (j: Json, parameter: string) => (j.parameter as { name: string; default: string }[]).find((p) => p.name === parameter)!.default;
    expect(defaultOf(job, 'customers_landing_path')).toBe(defaultOf(ingestCustomers[1], 'landing_path'));
    expect(defaultOf(job, 'customers_archive_path')).toBe(defaultOf(ingestCustomers[1], 'archive_path'));
    expect(ingestCustomers[1].trigger).toBeUndefined();
    expect(ingestCustomers[1].schedule).toBeUndefined();
    expect(job).toMatchObject({ timeout_seconds: 7200, max_concurrent_runs: 1, email_notifications: { on_failure: failureEmails(environment) } });
    expect(job.schedule).toEqual({ quartz_cron_expression: '0 0 5 * * ?', timezone_id: 'UTC', pause_status: pause });
  });

  it('runs as the environment service principal where there is one', () => {
    for (const job of jobs.values()) expect(job.run_as).toEqual(environment.runAs ? { service_principal_name: environment.runAs.servicePrincipal } : undefined);
  });

  it('uploads every SQL file and notebook the jobs use under the environment folder, referenced by the tasks', () => {
    const files = Object.values(out.resource.databricks_workspace_file as Record<string, Json>).map((f) => f.path).sort();
    expect(files).toContain(`/lakehouse-${name}/sql/generated/orders/stage.sql`);
    expect(Object.values(out.resource.databricks_notebook as Record<string, Json>).map((n) => [n.path, n.language, n.format])).toEqual([
      [`/lakehouse-${name}/notebooks/archive_processed_files`, 'PYTHON', 'SOURCE'],
      [`/lakehouse-${name}/notebooks/event_logs_ready`, 'PYTHON', 'SOURCE'],
      [`/lakehouse-${name}/notebooks/read_change_window`, 'PYTHON', 'SOURCE'],
    ]);
    const referenced = [...jobs.values()].flatMap((j) => (j.task as Json[]).filter((t) => !t.run_job_task).map((t) => t.sql_task?.file.path ?? t.notebook_task?.notebook_path));
    expect(referenced.every((ref) => /^\$\{databricks_(workspace_file|notebook)\.Jobs_Assets_[\w-]+\.path\}$/.test(ref))).toBe(true);
  });
});

describe('workspace assets', () => {
  it('show a changed file content as a changed resource', () => {
    const copy = mkdtempSync(join(tmpdir(), 'lakehouse-assets-'));
    cpSync(join(root, 'sql'), join(copy, 'sql'), { recursive: true });
    cpSync(join(root, 'notebooks'), join(copy, 'notebooks'), { recursive: true });
    const env = byName.get('dev')!;
    const contentOf = (out: Json) => Object.values(out.resource.databricks_workspace_file as Record<string, Json>).find((f) => f.path.endsWith('gold_revenue_analysis.sql'))!.content_base64;
    const before = contentOf(synth(env, undefined, copy));
    writeFileSync(join(copy, 'sql/analytics/gold_revenue_analysis.sql'), '-- changed\nSELECT 1;\n');
    const after = contentOf(synth(env, undefined, copy));
    expect(after).not.toBe(before);
    expect(Buffer.from(after, 'base64').toString()).toBe('-- changed\nSELECT 1;\n');
  });

  it('refuses a task whose asset file does not exist', () => {
    const broken: Workflow = { ...workflows[0], tasks: [{ key: 'x', asset: { kind: 'sql', file: 'sql/nope.sql' } }] };
    expect(() => synth(byName.get('dev')!, [broken])).toThrow('lakehouse-dev/Jobs/Assets: asset "sql/nope.sql" does not exist in the project');
  });

  it('refuses a notebook that is not in Databricks source format', () => {
    const copy = mkdtempSync(join(tmpdir(), 'lakehouse-assets-'));
    cpSync(join(root, 'notebooks'), join(copy, 'notebooks'), { recursive: true });
    writeFileSync(join(copy, 'notebooks/plain.py'), 'print(1)\n');
    const broken: Workflow = { ...workflows[0], trigger: undefined, tasks: [{ key: 'x', asset: { kind: 'notebook', file: 'notebooks/plain.py' } }] };
    expect(() => synth(byName.get('dev')!, [broken], copy)).toThrow('asset "notebooks/plain.py" is not in Databricks notebook source format');
  });
});

describe('workflow validation at synth', () => {
  it.each([
    [{ trigger: { type: 'file-arrival' as const, volume: 'invoices' } }, 'watches volume "invoices", which the environment does not declare'],
    [{ trigger: { type: 'file-arrival' as const, volume: 'orders', waitAfterLastChangeSeconds: 10 } }, 'waitAfterLastChangeSeconds is 10; Databricks requires at least 60 seconds'],
    [{ trigger: { type: 'table-update' as const, tables: ['silver.nope'], condition: 'ALL_UPDATED' as const } }, 'watches table "silver.nope", which the stack does not declare'],
    [{ tasks: [{ key: 'a', asset: { kind: 'sql' as const, file: 'sql/analytics/gold_revenue_analysis.sql' }, dependsOn: ['a2'] }, { key: 'a2', asset: { kind: 'sql' as const, file: 'sql/analytics/gold_revenue_analysis.sql' }, dependsOn: ['a'] }] }, 'has a dependency cycle: a -> a2 -> a'],
  ])('refuses a workflow the job cannot run (%#)', (change, message) => {
    expect(() => synth(byName.get('dev')!, [{ ...workflows[0], ...change }])).toThrow(message);
  });

  it('finds a watched volume by layer and name: a same-named volume of another layer never takes the trigger', () => {
    const dev = byName.get('dev')!;
    const bronzeOrders = { name: 'orders', layer: 'bronze' as const };
    const watched = (volumes: Environment['volumes']) => jobsByWorkflow(synth({ ...dev, volumes })).get('ingest-orders')!.trigger.file_arrival.url;
    expect(watched([bronzeOrders, ...dev.volumes])).toBe('/Volumes/lakehouse_dev/landing/orders/incoming/');
    expect(watched([...dev.volumes, bronzeOrders])).toBe('/Volumes/lakehouse_dev/landing/orders/incoming/');
    // without the orders source, only the bronze volume is named orders: the landing one is not found
    const alone = () => projectStack({ ...dev, volumes: [bronzeOrders] }, { sources: [], workflows: [ingestOrders], pipelines: [] });
    expect(alone).toThrow('{{env.volume.orders.incoming}} names nothing of environment "dev"');
  });
});

describe('the local runner', () => {
  const jobs = jobsByWorkflow(projectSynth(byName.get('prod')!));

  it.each(workflows.map((w) => [w.name, w] as const))('runs %s in an order its job depends_on allows', (name, workflow) => {
    const order = topologicalOrder(workflow.tasks, name).map((t) => t.key);
    const tasks = jobs.get(name)!.task as Json[];
    expect(order.slice().sort()).toEqual(tasks.map((t) => t.task_key).sort());
    for (const task of tasks) {
      for (const dependency of task.depends_on ?? []) expect(order.indexOf(dependency.task_key)).toBeLessThan(order.indexOf(task.task_key));
    }
  });
});

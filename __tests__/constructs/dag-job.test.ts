import { DatabricksProvider } from '@cdktn/provider-databricks/lib/provider';
import { Testing, TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import { DagJob, DagJobProps, DagTask } from '../../constructs/dag-job';
import { DeltaTable } from '../../constructs/delta-table';
import { LakehouseCatalog } from '../../constructs/lakehouse-catalog';
import { LandingVolume } from '../../constructs/landing-volume';
import { CONTROL_TABLE } from '../../model/ops-tables';

type JobJson = Record<string, unknown> & { task: Record<string, unknown>[]; trigger?: Record<string, unknown> };

const SP = '11111111-2222-4333-8444-555555555555';

/** A stack with a catalog, one landing volume and the control table, plus whatever the test adds. */
function stackWith(build: (scope: Construct, fixtures: { volume: LandingVolume; table: DeltaTable }) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new DatabricksProvider(stack, 'databricks', { host: 'https://test.cloud.databricks.com' });
  const catalog = new LakehouseCatalog(stack, 'Catalog', { name: 'lh_test' });
  catalog.grantRunWorkloads(SP);
  const volume = new LandingVolume(stack, 'Volume', { catalog, name: 'orders' });
  const table = new DeltaTable(stack, 'Table', { catalog, spec: CONTROL_TABLE, warehouseId: 'abcdef0123456789' });
  build(stack, { volume, table });
  return stack;
}

const sql = (key: string, dependsOn: DagTask['dependsOn'] = []): DagTask => ({ key, kind: 'sql', file: `/Shared/x/${key}.sql`, dependsOn });

function baseProps(tasks: DagTask[]): DagJobProps {
  return { name: 'job', tasks, warehouseId: 'abcdef0123456789', paused: false, timeoutSeconds: 3600 };
}

function jobJson(stack: TerraformStack): JobJson {
  const out = JSON.parse(Testing.synth(stack, true));
  return Object.values(out.resource.databricks_job)[0] as JobJson;
}

describe('DagJob', () => {
  it('emits tasks and each depends_on sorted by task key, whatever the declaration order', () => {
    const stack = stackWith((scope) => new DagJob(scope, 'Job', baseProps([sql('c', ['b', 'a']), sql('a'), sql('b', ['a'])])));
    const job = jobJson(stack);
    expect(job.task.map((t) => t.task_key)).toEqual(['a', 'b', 'c']);
    expect(job.task[2].depends_on).toEqual([{ task_key: 'a' }, { task_key: 'b' }]);
  });

  it('declares each task kind with its Databricks block', () => {
    const stack = stackWith((scope) => {
      new DagJob(scope, 'Job', baseProps([
        { key: 'q', kind: 'sql', file: '/Shared/x/q.sql', parameters: { b: '2', a: '1' } },
        { key: 'n', kind: 'notebook', notebookPath: '/Shared/x/nb', parameters: { path: '/Volumes/x/' }, dependsOn: ['q'] },
        { key: 'p', kind: 'pipeline', pipelineId: 'pipe-1', dependsOn: ['n'] },
        { key: 'c', kind: 'condition', left: '{{job.parameters.mode}}', op: 'EQUAL_TO', right: 'full', dependsOn: ['p'] },
        { key: 'r', kind: 'run-job', jobId: '42', dependsOn: [{ key: 'c', outcome: 'true' }] },
      ]));
    });
    const tasks = Object.fromEntries(jobJson(stack).task.map((t) => [t.task_key, t]));
    expect(tasks.q.sql_task).toEqual({ warehouse_id: 'abcdef0123456789', file: { path: '/Shared/x/q.sql', source: 'WORKSPACE' }, parameters: { a: '1', b: '2' } });
    expect(tasks.n.notebook_task).toEqual({ notebook_path: '/Shared/x/nb', source: 'WORKSPACE', base_parameters: { path: '/Volumes/x/' } });
    expect(tasks.p.pipeline_task).toEqual({ pipeline_id: 'pipe-1' });
    expect(tasks.c.condition_task).toEqual({ left: '{{job.parameters.mode}}', op: 'EQUAL_TO', right: 'full' });
    expect(tasks.r.run_job_task).toEqual({ job_id: 42 });
    expect(tasks.r.depends_on).toEqual([{ task_key: 'c', outcome: 'true' }]);
  });

  it('sets retries, run_if, timeouts, concurrency, queueing, notifications, health and run_as', () => {
    const stack = stackWith((scope) => {
      new DagJob(scope, 'Job', {
        ...baseProps([{ ...sql('a'), maxRetries: 2, timeoutSeconds: 600 }, { ...sql('b', ['a']), runIf: 'AT_LEAST_ONE_FAILED' }]),
        onFailureEmails: ['ops@example.com'],
        onFailureWebhookIds: ['6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'],
        runAsServicePrincipal: SP,
        durationWarningSeconds: 1800,
        parameters: [{ name: 'catalog', default: 'lh_test' }],
        tags: { environment: 'test' },
      });
    });
    const job = jobJson(stack);
    expect(job).toMatchObject({
      max_concurrent_runs: 1,
      queue: { enabled: true },
      timeout_seconds: 3600,
      run_as: { service_principal_name: SP },
      parameter: [{ name: 'catalog', default: 'lh_test' }],
      tags: { environment: 'test' },
      email_notifications: { on_failure: ['ops@example.com'], on_duration_warning_threshold_exceeded: ['ops@example.com'] },
      notification_settings: { no_alert_for_skipped_runs: true },
      webhook_notifications: { on_failure: [{ id: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' }] },
      health: { rules: [{ metric: 'RUN_DURATION_SECONDS', op: 'GREATER_THAN', value: 1800 }] },
    });
    expect(job.task[0]).toMatchObject({ max_retries: 2, min_retry_interval_millis: 60000, timeout_seconds: 600 });
    expect(job.task[1]).toMatchObject({ run_if: 'AT_LEAST_ONE_FAILED' });
    expect(job.task[0].run_if).toBeUndefined();
  });

  it.each([
    [[sql('a', ['ghost'])], 'task "a" depends on unknown task "ghost"'],
    [[sql('a', ['c']), sql('b', ['a']), sql('c', ['b'])], 'has a dependency cycle: a -> c -> b -> a'],
    [[sql('a'), sql('a')], 'declares task "a" more than once'],
    [[], 'has no tasks'],
    [[sql('bad key')], 'task key "bad key" must be 1-100 letters'],
  ])('refuses a bad graph at synth, naming the job and the problem (%#)', (tasks, message) => {
    expect(() => stackWith((scope) => new DagJob(scope, 'Job', baseProps(tasks)))).toThrow(`test/Job (job "job"): `);
    expect(() => stackWith((scope) => new DagJob(scope, 'Job', baseProps(tasks)))).toThrow(message);
  });

  it('updates only the selected tables of a pipeline (refresh_selection, full_refresh_selection)', () => {
    const stack = stackWith((scope) => {
      new DagJob(scope, 'Job', baseProps([{ key: 'p', kind: 'pipeline', pipelineId: 'pipe-1', refreshSelection: ['orders_silver'], fullRefreshSelection: ['orders_bronze'] }]));
    });
    expect(jobJson(stack).task[0].pipeline_task).toEqual({ pipeline_id: 'pipe-1', refresh_selection: ['orders_silver'], full_refresh_selection: ['orders_bronze'] });
  });

  it.each([
    [{ fullRefresh: true, refreshSelection: ['orders_silver'] }, 'task "p" sets fullRefresh and a table selection'],
    [{ fullRefreshSelection: [' '] }, 'task "p" selects a table with an empty or blank name " "'],
    [{ refreshSelection: ['orders_silver'], fullRefreshSelection: ['orders_silver'] }, 'task "p" selects "orders_silver" more than once'],
  ])('refuses a contradictory pipeline table selection, naming the job and task (%#)', (selection, message) => {
    const build = () => stackWith((scope) => new DagJob(scope, 'Job', baseProps([{ key: 'p', kind: 'pipeline', pipelineId: 'pipe-1', ...selection }])));
    expect(build).toThrow('test/Job (job "job"): ');
    expect(build).toThrow(message);
  });

  it('refuses a SQL task without a warehouse', () => {
    expect(() => stackWith((scope) => new DagJob(scope, 'Job', { ...baseProps([sql('a')]), warehouseId: undefined }))).toThrow(
      'task "a" is a SQL task but the job has no warehouseId',
    );
  });
});

describe('job triggers', () => {
  it('watches the incoming folder of a volume, paused as asked', () => {
    const stack = stackWith((scope, { volume }) =>
      new DagJob(scope, 'Job', { ...baseProps([sql('a')]), paused: true, trigger: { type: 'file-arrival', location: volume, waitAfterLastChangeSeconds: 120 } }),
    );
    expect(jobJson(stack).trigger).toEqual({
      pause_status: 'PAUSED',
      file_arrival: { url: '/Volumes/lh_test/landing/orders/incoming/', min_time_between_triggers_seconds: 60, wait_after_last_change_seconds: 120 },
    });
  });

  it('triggers on table updates with ALL_UPDATED by default', () => {
    const stack = stackWith((scope, { table }) => new DagJob(scope, 'Job', { ...baseProps([sql('a')]), runAsServicePrincipal: SP, trigger: { type: 'table-update', tables: [table] } }));
    expect(jobJson(stack).trigger).toMatchObject({ pause_status: 'UNPAUSED', table_update: { table_names: ['lh_test.ops.batch_control'], condition: 'ALL_UPDATED' } });
  });

  it('puts a schedule in the schedule block, in UTC unless told otherwise', () => {
    const stack = stackWith((scope) => new DagJob(scope, 'Job', { ...baseProps([sql('a')]), paused: true, trigger: { type: 'schedule', quartzCron: '0 0 2 * * ?' } }));
    const job = jobJson(stack);
    expect(job.schedule).toEqual({ quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' });
    expect(job.trigger).toBeUndefined();
  });

  it.each([
    ['a URL without a trailing slash', '/Volumes/lh_test/landing/orders/incoming', 'must end with "/"'],
    ['a wildcard', '/Volumes/lh_test/landing/orders/*/', 'must not contain wildcards'],
    ['a volume the stack does not declare', '/Volumes/lh_test/landing/elsewhere/', 'is not inside a volume or external location declared in this stack'],
    ['a path outside /Volumes', '/mnt/landing/orders/', 'is not inside a volume or external location declared in this stack'],
  ])('refuses a file-arrival trigger on %s at synth', (_what, url, message) => {
    const stack = stackWith((scope) => new DagJob(scope, 'Job', { ...baseProps([sql('a')]), trigger: { type: 'file-arrival', location: url } }));
    expect(() => Testing.synth(stack, true)).toThrow(message);
  });

  it('refuses trigger timers under 60 seconds', () => {
    const stack = stackWith((scope, { volume }) => new DagJob(scope, 'Job', { ...baseProps([sql('a')]), trigger: { type: 'file-arrival', location: volume, minTimeBetweenTriggersSeconds: 30 } }));
    expect(() => Testing.synth(stack, true)).toThrow('minTimeBetweenTriggersSeconds is 30; Databricks requires at least 60 seconds');
  });

  it('refuses a table-update trigger on a table the stack does not declare', () => {
    const stack = stackWith((scope, { table }) => {
      const otherStack = new TerraformStack(Testing.app(), 'other');
      new DatabricksProvider(otherStack, 'databricks', { host: 'https://test.cloud.databricks.com' });
      const foreign = new DeltaTable(otherStack, 'Foreign', { catalog: new LakehouseCatalog(otherStack, 'C', { name: 'elsewhere' }), spec: CONTROL_TABLE, warehouseId: 'abcdef0123456789' });
      new DagJob(scope, 'Job', { ...baseProps([sql('a')]), trigger: { type: 'table-update', tables: [table, foreign] } });
    });
    expect(() => Testing.synth(stack, true)).toThrow('table-update table "elsewhere.ops.batch_control" is not declared in this stack');
  });

  it("refuses a table-update trigger on a table the job's run-as identity cannot read", () => {
    const stranger = '99999999-2222-4333-8444-555555555555';
    const stack = stackWith((scope, { table }) => new DagJob(scope, 'Job', { ...baseProps([sql('a')]), runAsServicePrincipal: stranger, trigger: { type: 'table-update', tables: [table] } }));
    expect(() => Testing.synth(stack, true)).toThrow(`is not readable by the job's run-as identity "${stranger}"`);
  });

  it('refuses a schedule that is not a Quartz expression', () => {
    const stack = stackWith((scope) => new DagJob(scope, 'Job', { ...baseProps([sql('a')]), trigger: { type: 'schedule', quartzCron: '0 2 * * *' } }));
    expect(() => Testing.synth(stack, true)).toThrow('must have 6 or 7 fields');
  });
});

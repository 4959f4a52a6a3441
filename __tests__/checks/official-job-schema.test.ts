import { officialJobSchema } from '../../checks/json-rules/official-job-schema';
import { parseSynthesizedStack } from '../../checks/synthesized-stack';

const stack = (resource: Record<string, Record<string, Record<string, unknown>>>) => parseSynthesizedStack('s', 'stacks/s/cdk.tf.json', JSON.stringify({ resource }));
const messages = (resource: Record<string, Record<string, Record<string, unknown>>>) => officialJobSchema.check(stack(resource)).map((h) => h.message);

/** A job as the stacks synthesize it: every task kind, triggers, notifications, run_as, health, queue. */
const job = {
  name: '[prod] x',
  max_concurrent_runs: 1,
  timeout_seconds: 3600,
  queue: { enabled: true },
  parameter: [{ name: 'catalog', default: 'lh' }],
  run_as: { service_principal_name: '11111111-2222-4333-8444-555555555555' },
  email_notifications: { on_failure: ['ops@example.com'] },
  webhook_notifications: { on_failure: [{ id: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' }] },
  notification_settings: { no_alert_for_skipped_runs: true },
  health: { rules: [{ metric: 'RUN_DURATION_SECONDS', op: 'GREATER_THAN', value: 1800 }] },
  schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
  tags: { environment: 'prod' },
  lifecycle: { prevent_destroy: true },
  depends_on: ['databricks_volume.V'],
  task: [
    { task_key: 'sql', sql_task: { warehouse_id: '${databricks_sql_endpoint.W.id}', file: { path: '${databricks_workspace_file.F.path}', source: 'WORKSPACE' }, parameters: { catalog: '{{job.parameters.catalog}}' } }, max_retries: 2, min_retry_interval_millis: 60000 },
    { task_key: 'nb', depends_on: [{ task_key: 'sql' }], notebook_task: { notebook_path: '${databricks_notebook.N.path}', source: 'WORKSPACE', base_parameters: { a: 'b' } } },
    { task_key: 'pipe', pipeline_task: { pipeline_id: '${databricks_pipeline.P.id}' } },
    { task_key: 'cond', condition_task: { left: '{{job.parameters.catalog}}', op: 'EQUAL_TO', right: 'lh' } },
    { task_key: 'child', run_job_task: { job_id: '${databricks_job.J.id}', job_parameters: { a: 'b' } }, run_if: 'AT_LEAST_ONE_FAILED', depends_on: [{ task_key: 'cond', outcome: 'true' }] },
    { task_key: 'alert', sql_task: { warehouse_id: 'abcdef0123456789', alert: { alert_id: '${databricks_alert.A.id}', subscriptions: [{ destination_id: 'd' }] } } },
  ],
};
const pipeline = {
  name: '[prod] p',
  catalog: 'lh',
  schema: 'p',
  serverless: true,
  development: false,
  channel: 'CURRENT',
  continuous: false,
  configuration: { a: '/Volumes/lh/landing/x/incoming/' },
  library: [{ file: { path: '${databricks_workspace_file.F.path}' } }],
  notification: [{ email_recipients: ['ops@example.com'], alerts: ['on-update-failure'] }],
  run_as: { service_principal_name: '11111111-2222-4333-8444-555555555555' },
  tags: { environment: 'prod' },
};

describe('official-job-schema', () => {
  it('accepts the jobs and pipelines the stacks write', () => {
    expect(messages({ databricks_job: { J: job }, databricks_pipeline: { P: pipeline } })).toEqual([]);
  });

  it('flags a field the schema marks deprecated, with its replacement', () => {
    expect(messages({ databricks_job: { J: { ...job, email_notifications: { on_failure: ['ops@example.com'], no_alert_for_skipped_runs: true } } } })).toEqual([
      expect.stringMatching(/^job \[prod\] x: email_notifications\.no_alert_for_skipped_runs is deprecated: .*notification_settings\.no_alert_for_skipped_runs/),
    ]);
  });

  it('flags an unknown field, named as Terraform spells its path', () => {
    expect(messages({ databricks_job: { J: { ...job, task: [{ ...job.task[0], sql_task: { ...job.task[0].sql_task, paramters: {} } }] } } })).toEqual([
      'job [prod] x: task[sql].sql_task has the unknown field "paramters"',
    ]);
    expect(messages({ databricks_pipeline: { P: { ...pipeline, developmnt: true } } })).toEqual(['pipeline [prod] p: (whole) has the unknown field "developmnt"']);
  });

  it('flags a value outside an enum, naming the allowed ones', () => {
    expect(messages({ databricks_job: { J: { ...job, task: [{ ...job.task[3], run_if: 'SOMETIMES' }] } } })).toEqual([expect.stringMatching(/^job \[prod\] x: task\[cond\]\.run_if is not one of "ALL_SUCCESS", /)]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleSchema, TERRAFORM_REFERENCE, toApiShape, withoutTerraformReferences } from '../../checks/json-rules/bundle-schema';
import { parseSynthesizedStack, readSynthesizedStacks } from '../../checks/synthesized-stack';
import { environments } from '../../config/environments';
import { projectSynthOutput } from '../support/project-synth';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const stack = (resource: Resources) => parseSynthesizedStack('lakehouse-test', 'stacks/lakehouse-test/cdk.tf.json', JSON.stringify({ resource }, null, 2));
const messages = (resource: Resources) => bundleSchema.check(stack(resource)).map((hit) => hit.message);

/** A job as cdktf writes it: every task kind the project uses, Terraform references, meta-arguments. */
const job = {
  '//': { metadata: { path: 'lakehouse-test/Jobs/orders/Resource' } },
  name: '[test] orders',
  description: 'Loads orders.',
  max_concurrent_runs: 1,
  timeout_seconds: 3600,
  queue: { enabled: true },
  parameter: [
    { name: 'catalog', default: 'lakehouse_test' },
    { name: 'run_date', default: '{{job.start_time.iso_date}}' },
  ],
  run_as: { service_principal_name: '11111111-2222-4333-8444-555555555555' },
  email_notifications: { on_failure: ['ops@example.com'], on_duration_warning_threshold_exceeded: ['ops@example.com'] },
  webhook_notifications: { on_failure: [{ id: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' }] },
  notification_settings: { no_alert_for_skipped_runs: true, no_alert_for_canceled_runs: true },
  health: { rules: [{ metric: 'RUN_DURATION_SECONDS', op: 'GREATER_THAN', value: 1800 }] },
  schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
  tags: { environment: 'test', workflow: 'orders' },
  lifecycle: { prevent_destroy: true },
  depends_on: ['databricks_volume.Landing_orders_1A2B3C4D'],
  task: [
    {
      task_key: 'stage',
      description: 'Stages the batch.',
      timeout_seconds: 1200,
      max_retries: 2,
      min_retry_interval_millis: 60000,
      sql_task: {
        warehouse_id: '${databricks_sql_endpoint.Warehouse_5E6F7A8B.id}',
        file: { path: '${databricks_workspace_file.Assets_stage-sql_9C0D1E2F.path}', source: 'WORKSPACE' },
        parameters: { catalog: '{{job.parameters.catalog}}', run_date: '{{job.parameters.run_date}}' },
      },
    },
    {
      task_key: 'archive',
      depends_on: [{ task_key: 'stage' }],
      notebook_task: { notebook_path: '${databricks_notebook.Assets_archive-py_3A4B5C6D.path}', source: 'WORKSPACE', base_parameters: { catalog: '{{job.parameters.catalog}}' } },
    },
    { task_key: 'medallion', depends_on: [{ task_key: 'stage' }], pipeline_task: { pipeline_id: '${databricks_pipeline.Pipelines_orders_7E8F9A0B.id}', full_refresh: false } },
    { task_key: 'is_full_load', depends_on: [{ task_key: 'medallion' }], condition_task: { left: '{{job.parameters.catalog}}', op: 'EQUAL_TO', right: 'lakehouse_test' } },
    {
      task_key: 'report',
      depends_on: [{ task_key: 'is_full_load', outcome: 'true' }],
      run_if: 'ALL_SUCCESS',
      // cdktf writes a job id token as the reference string
      run_job_task: { job_id: '${databricks_job.Jobs_report_1F2E3D4C.id}', job_parameters: { catalog: '{{job.parameters.catalog}}' } },
    },
    {
      task_key: 'alert',
      depends_on: [{ task_key: 'report' }],
      run_if: 'AT_LEAST_ONE_FAILED',
      sql_task: { warehouse_id: '${databricks_sql_endpoint.Warehouse_5E6F7A8B.id}', alert: { alert_id: '${databricks_alert.Alert_0A1B2C3D.id}', subscriptions: [{ user_name: 'ops@example.com' }] } },
    },
  ],
};

/** The same job started by a file arriving in a volume, then by a table update, instead of a schedule. */
const { schedule: _schedule, ...unscheduled } = job;
const fileArrivalJob = {
  ...unscheduled,
  name: '[test] orders on arrival',
  trigger: { pause_status: 'UNPAUSED', file_arrival: { url: '/Volumes/lakehouse_test/landing/orders/incoming/', min_time_between_triggers_seconds: 60, wait_after_last_change_seconds: 120 } },
};
const tableUpdateJob = {
  ...unscheduled,
  name: '[test] orders on update',
  trigger: { pause_status: 'PAUSED', table_update: { table_names: ['lakehouse_test.bronze.orders'], condition: 'ANY_UPDATED', min_time_between_triggers_seconds: 60, wait_after_last_change_seconds: 60 } },
};

const pipeline = {
  name: '[test] orders medallion',
  catalog: 'lakehouse_test',
  schema: '${databricks_schema.Catalog_Schema-orders_FE4B2996.name}',
  serverless: true,
  continuous: false,
  development: true,
  channel: 'CURRENT',
  configuration: { orders_path: '/Volumes/lakehouse_test/landing/orders/incoming/' },
  library: [{ file: { path: '${databricks_workspace_file.Assets_bronze-sql_7AC44338.path}' } }, { file: { path: '${databricks_workspace_file.Assets_silver-sql_E879EFFF.path}' } }],
  notification: [{ email_recipients: ['ops@example.com'], alerts: ['on-update-failure', 'on-update-fatal-failure', 'on-flow-failure'] }],
  run_as: { service_principal_name: '11111111-2222-4333-8444-555555555555' },
  tags: { environment: 'test', pipeline: 'orders-medallion' },
  lifecycle: { prevent_destroy: true },
};

const task = (key: string) => job.task.find((t) => t.task_key === key)!;
const withTask = (key: string, changed: Record<string, unknown>) => ({ ...job, task: job.task.map((t) => (t.task_key === key ? changed : t)) });

describe('bundle-schema', () => {
  it('cites the schema it validates against', () => {
    expect(bundleSchema.id).toBe('bundle-schema');
    expect(bundleSchema.source).toMatch(/^databricks\/cli bundle\/schema\/jsonschema\.json @ e37109f8ba1060aeb553d7b8e0a7a83a01d8fe82/);
  });

  it('accepts a job with every task kind, schedule, triggers, parameters, notifications, run_as, health and queue', () => {
    expect(messages({ databricks_job: { Jobs_orders_1A2B3C4D: job, Jobs_arrival_2B3C4D5E: fileArrivalJob, Jobs_update_3C4D5E6F: tableUpdateJob } })).toEqual([]);
  });

  it('accepts a serverless pipeline with catalog, schema, file libraries, configuration, notification, development, channel and run_as', () => {
    expect(messages({ databricks_pipeline: { Pipelines_orders_7E8F9A0B: pipeline } })).toEqual([]);
  });

  it('flags a field the schema marks deprecated, with its replacement', () => {
    const hits = bundleSchema.check(stack({ databricks_job: { Jobs_orders_1A2B3C4D: { ...job, email_notifications: { on_failure: ['ops@example.com'], no_alert_for_skipped_runs: true } } } }));
    expect(hits).toEqual([
      {
        address: 'databricks_job.Jobs_orders_1A2B3C4D',
        message: 'job "[test] orders": email_notifications.no_alert_for_skipped_runs is deprecated: This field is `deprecated`. Please use the `notification_settings.no_alert_for_skipped_runs` field.',
      },
    ]);
  });

  it('flags deprecated fields and enum values wherever they are, in Terraform spelling', () => {
    const withCluster = {
      ...job,
      job_cluster: [{ job_cluster_key: 'shared', new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, data_security_mode: 'LEGACY_TABLE_ACL' } }],
    };
    expect(messages({ databricks_job: { J: withCluster }, databricks_pipeline: { P: { ...pipeline, schema: undefined, target: 'orders' } } })).toEqual([
      expect.stringMatching(/^job "\[test\] orders": job_cluster\[shared\]\.new_cluster\.data_security_mode is "LEGACY_TABLE_ACL", a value the schema marks deprecated: The following modes are deprecated/),
      'pipeline "[test] orders medallion": target is deprecated: This legacy field is deprecated for pipeline creation in favor of the `schema` field.',
    ]);
  });

  it('flags an unknown field, naming its Terraform path', () => {
    const misspelt = withTask('stage', { ...task('stage'), sql_task: { ...task('stage').sql_task, paramters: { catalog: 'x' } } });
    expect(messages({ databricks_job: { J: misspelt } })).toEqual(['job "[test] orders": task[stage].sql_task.paramters is an unknown field (did you mean "parameters"?)']);
    // the API's plural is not Terraform's name at the top level of a job either
    expect(messages({ databricks_job: { J: { ...job, tasks: [] } } })).toEqual([`job "[test] orders": tasks is an unknown field (the API's name: Terraform calls it "task")`]);
  });

  it('flags a value outside an enum, naming the allowed values', () => {
    expect(messages({ databricks_job: { J: withTask('is_full_load', { ...task('is_full_load'), run_if: 'SOMETIMES' }) } })).toEqual([
      'job "[test] orders": task[is_full_load].run_if is "SOMETIMES", not one of the allowed values "ALL_SUCCESS", "ALL_DONE", "NONE_FAILED", "AT_LEAST_ONE_SUCCESS", "ALL_FAILED", "AT_LEAST_ONE_FAILED"',
    ]);
    const badSource = withTask('stage', { ...task('stage'), sql_task: { ...task('stage').sql_task, file: { path: '/Workspace/x.sql', source: 'REPO' } } });
    expect(messages({ databricks_job: { J: badSource } })).toEqual(['job "[test] orders": task[stage].sql_task.file.source is "REPO", not one of the allowed values "WORKSPACE", "GIT"']);
  });

  it('flags a wrong type and a missing required field, but takes a Terraform reference for any type', () => {
    expect(messages({ databricks_job: { J: withTask('report', { ...task('report'), run_job_task: { job_id: 'report' } }) } })).toEqual([
      'job "[test] orders": task[report].run_job_task.job_id must be integer, not string',
    ]);
    expect(messages({ databricks_job: { J: { ...job, schedule: { quartz_cron_expression: '0 0 2 * * ?' } } } })).toEqual(['job "[test] orders": schedule lacks the required field "timezone_id"']);
    const referenced = { ...job, timeout_seconds: '${var.timeout}', max_concurrent_runs: '${tonumber(databricks_job.Other_1A2B3C4D.id)}', task: [{ ...task('report'), run_if: '${local.run_if}' }] };
    expect(messages({ databricks_job: { J: referenced } })).toEqual([]);
  });

  it('flags a pipeline with an unknown field', () => {
    expect(messages({ databricks_pipeline: { P: { ...pipeline, developmnt: false } } })).toEqual(['pipeline "[test] orders medallion": developmnt is an unknown field (did you mean "development"?)']);
    expect(messages({ databricks_pipeline: { P: { ...pipeline, library: [{ file: { path: '/Workspace/x.sql', language: 'SQL' } }] } } })).toEqual([
      'pipeline "[test] orders medallion": library[0].file.language is an unknown field',
    ]);
  });

  it('says when a job-level field belongs to the Jobs API 2.0 single-task format', () => {
    expect(messages({ databricks_job: { J: { ...job, max_retries: 1 } } })).toEqual(['job "[test] orders": max_retries is an unknown field (a Jobs API 2.0 single-task field: set it in a task block)']);
  });

  it("translates Terraform's names where the schema defines them, and leaves map keys and for_each_task.task alone", () => {
    const shaped = toApiShape('databricks_job', {
      name: 'j',
      lifecycle: { prevent_destroy: true },
      depends_on: ['databricks_volume.V'],
      control_run_state: true,
      parameter: [{ name: 'library', default: 'x' }],
      git_source: { url: 'https://github.com/acme/lakehouse', provider: 'gitHub', branch: 'main' },
      task: [
        {
          task_key: 'each',
          library: [{ whl: '/Volumes/lakehouse_test/libs/x.whl' }],
          for_each_task: { inputs: '["a","b"]', task: { task_key: 'inner', library: [{ pypi: { package: 'x' } }], notebook_task: { notebook_path: '/x', base_parameters: { task: 'a', library: 'b' } } } },
        },
      ],
      // a block written as an array of one object, as Terraform JSON allows
      schedule: [{ quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC' }],
    });
    expect(shaped.api).toEqual({
      name: 'j',
      parameters: [{ name: 'library', default: 'x' }],
      git_source: { git_url: 'https://github.com/acme/lakehouse', git_provider: 'gitHub', git_branch: 'main' },
      tasks: [
        {
          task_key: 'each',
          libraries: [{ whl: '/Volumes/lakehouse_test/libs/x.whl' }],
          for_each_task: { inputs: '["a","b"]', task: { task_key: 'inner', libraries: [{ pypi: { package: 'x' } }], notebook_task: { notebook_path: '/x', base_parameters: { task: 'a', library: 'b' } } } },
        },
      ],
      schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC' },
    });
    expect(shaped.terraformPaths.get('/tasks/0/for_each_task/task/libraries/0/pypi')).toBe('task[each].for_each_task.task.library[0].pypi');

    const pipelineShape = toApiShape('databricks_pipeline', { name: 'p', cluster: [{ label: 'default', num_workers: 1 }], configuration: { cluster: 'a', 'spark.sql.x': 'b' }, notification: [], expected_last_modified: 1 });
    expect(pipelineShape.api).toEqual({ name: 'p', clusters: [{ label: 'default', num_workers: 1 }], configuration: { cluster: 'a', 'spark.sql.x': 'b' }, notifications: [] });
    expect(pipelineShape.terraformPaths.get('/configuration/spark.sql.x')).toBe('configuration["spark.sql.x"]');
  });

  it('replaces Terraform interpolations by a bundle variable, and unescapes literal ones', () => {
    expect(withoutTerraformReferences('${databricks_sql_endpoint.W.id}')).toBe(TERRAFORM_REFERENCE);
    expect(withoutTerraformReferences('/Workspace${databricks_directory.D.path}/x-${lookup({a = "}"}, "a")}.sql')).toBe(`/Workspace${TERRAFORM_REFERENCE}/x-${TERRAFORM_REFERENCE}.sql`);
    expect(withoutTerraformReferences('SELECT "$${not_terraform}" -- %%{x}')).toBe('SELECT "${not_terraform}" -- %{x}');
    expect(withoutTerraformReferences('{{job.parameters.catalog}}')).toBe('{{job.parameters.catalog}}');
  });

  describe('the extract in checks/data/bundle-schema', () => {
    const dir = resolve(__dirname, '..', '..', 'checks', 'data', 'bundle-schema');
    const extract = JSON.parse(readFileSync(join(dir, 'jobs-pipelines.schema.json'), 'utf8')) as { $comment: string; $defs: Record<string, unknown> };

    it('names its source and carries the licence and the notice of modification', () => {
      expect(Object.keys(extract)).toEqual(['$comment', '$defs']);
      expect(extract.$comment).toContain('databricks/cli bundle/schema/jsonschema.json at commit e37109f8ba1060aeb553d7b8e0a7a83a01d8fe82');
      expect(extract.$comment).toMatch(/extract/i);
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toContain('Databricks License');
      expect(readFileSync(join(dir, 'NOTICE.md'), 'utf8')).toMatch(/modified/i);
    });

    it('is closed under $ref and shaped as the rule assumes: each oneOf is the real type, then ${…} alternatives including ${var…}', () => {
      const problems: string[] = [];
      const lookup = (ref: string) => ref.slice(2).split('/').reduce<unknown>((node, token) => (node as Record<string, unknown> | undefined)?.[token], extract);
      const interpolation = (branch: Record<string, unknown>) => branch.type === 'string' && typeof branch.pattern === 'string' && branch.pattern.startsWith('\\$\\{(');
      const walk = (node: unknown, at: string) => {
        if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${at}/${i}`));
        if (!node || typeof node !== 'object') return;
        const schema = node as Record<string, unknown>;
        if (typeof schema.$ref === 'string' && lookup(schema.$ref) === undefined) problems.push(`${at}: ${schema.$ref} does not resolve`);
        if (Array.isArray(schema.oneOf)) {
          const [real, ...alternatives] = schema.oneOf as Record<string, unknown>[];
          if (interpolation(real) || !alternatives.every(interpolation) || !alternatives.some((b) => String(b.pattern).startsWith('\\$\\{(var'))) problems.push(`${at}: oneOf is not [real type, \${…} alternatives]`);
        } else if (schema.type !== undefined && schema.type !== 'string' && !/\/oneOf\/0$/.test(at)) problems.push(`${at}: a ${String(schema.type)} without \${var…} alternative`);
        for (const keyword of ['anyOf', 'allOf', 'not', 'if']) if (keyword in schema && !at.endsWith('/properties')) problems.push(`${at}: uses ${keyword}`);
        for (const [key, value] of Object.entries(schema)) walk(value, `${at}/${key}`);
      };
      walk(extract.$defs, '#/$defs');
      expect(problems).toEqual([]);
    });
  });

  describe("the project's own stacks", () => {
    it('synthesize jobs and pipelines the schema accepts, with no deprecated field', () => {
      const outdir = projectSynthOutput();
      expect(existsSync(join(outdir, 'stacks'))).toBe(true);
      const stacks = readSynthesizedStacks(outdir);
      expect(stacks.length).toBe(Object.keys(environments).length);
      const checked = stacks.flatMap((s) => s.resources).filter((r) => r.type === 'databricks_job' || r.type === 'databricks_pipeline');
      expect(checked.some((r) => r.type === 'databricks_job') && checked.some((r) => r.type === 'databricks_pipeline')).toBe(true);
      expect(stacks.flatMap((s) => bundleSchema.check(s).map((hit) => `${s.name} ${hit.address}: ${hit.message}`))).toEqual([]);
    });
  });
});

import { resolve } from 'node:path';
import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { DatabricksProvider } from '@cdktn/provider-databricks/lib/provider';
import { TerraformStack, Testing } from 'cdktn';
import { checkGuardrails } from '../../checks/guardrails';
import { checkStack } from '../../checks/json-rules';
import { checkSqlText } from '../../checks/sql-rules';
import { parseSynthesizedStack } from '../../checks/synthesized-stack';
import { MARKER } from '../../checks/sql-rules/marker-placement';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { theProject } from '../../config/project';
import { DataQualityAlert, DataQualityAlertProps } from '../../constructs/data-quality-alert';
import type { JobDefaults } from '../../constructs/job-defaults';
import { pipelineEventLogTable, resourcePrefix } from '../../model/naming';
import { blankSql } from '../../sql-lang/sql-text';
import { checkSqlSyntax, initSqlParser } from '../../sql-lang/syntax';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = resolve(__dirname, '..', '..');
const project = theProject();
const RUN_AS = '5a1e7c3d-0b6f-4a5e-9d2c-7f3b8e1a4c60';

beforeAll(() => initSqlParser());

describe.each(loadEnvironments(environments).map((e) => [e.name, e] as const))('the data-quality alert of %s', (name, environment) => {
  // what the stack computes from the environment, failure destinations made up here
  const defaults: JobDefaults = {
    namePrefix: resourcePrefix(environment.name),
    paused: environment.pauseTriggers,
    tags: environment.tags,
    onFailureEmails: ['data-platform@example.com'],
    onFailureWebhookIds: ['0f7c2b9e-0000-4000-8000-00000000000a'],
    alertDestinationIds: ['0f7c2b9e-0000-4000-8000-00000000000e', '0f7c2b9e-0000-4000-8000-00000000000a'],
    runAsServicePrincipal: environment.mode === 'production' ? RUN_AS : undefined,
  };
  const props = (overrides: Partial<DataQualityAlertProps> = {}): DataQualityAlertProps => ({
    environmentName: environment.name,
    defaults,
    warehouseId: 'abcdef0123456789',
    catalog: environment.catalog.name,
    opsSchema: environment.catalog.schemas.ops,
    pipelines: project.pipelines,
    projectRoot: root,
    dropRateThreshold: 0.05,
    ...overrides,
  });
  const synth = (build: (stack: TerraformStack) => void): Json => {
    const stack = new TerraformStack(Testing.app(), 'quality');
    new DatabricksProvider(stack, 'databricks', { host: environment.workspace.host });
    build(stack);
    return JSON.parse(Testing.synth(stack, true)) as Json;
  };
  const only = (out: Json, type: string): [string, Json] => {
    const entries = Object.entries(out.resource[type] as Record<string, Json>);
    expect(entries).toHaveLength(1);
    return entries[0];
  };

  const out = synth((stack) => new DataQualityAlert(stack, 'DataQualityAlert', props()));
  const [queryId, query] = only(out, 'databricks_query');
  const [, alert] = only(out, 'databricks_alert');
  const [directoryId, directory] = only(out, 'databricks_directory');
  const [, job] = only(out, 'databricks_job');

  it("passes the fidelity rules and the environment's guardrails", () => {
    const stack = parseSynthesizedStack('quality', 'cdk.tf.json', JSON.stringify(out));
    expect(checkStack(stack)).toEqual([]);
    expect(checkGuardrails(stack, { production: environment.mode === 'production', pauseTriggers: environment.pauseTriggers })).toEqual([]);
  });

  describe('the threshold', () => {
    it.each([0, 1, -0.05, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p: a fraction strictly between 0 and 1 (a zero one is never sent)', (threshold) => {
      const stack = new TerraformStack(Testing.app(), 'bad');
      expect(() => new DataQualityAlert(stack, 'DataQualityAlert', props({ dropRateThreshold: threshold }))).toThrow(/bad\/DataQualityAlert: prop "dropRateThreshold" must be a fraction strictly between 0 and 1/);
    });

    it('refuses an evaluation window that is not whole hours', () => {
      const stack = new TerraformStack(Testing.app(), 'bad');
      expect(() => new DataQualityAlert(stack, 'DataQualityAlert', props({ evaluationWindowHours: 0 }))).toThrow(/prop "evaluationWindowHours"/);
      expect(() => new DataQualityAlert(stack, 'DataQualityAlert2', props({ evaluationWindowHours: 0.5 }))).toThrow(/prop "evaluationWindowHours"/);
    });
  });

  it('computes every expectation’s drop rate over the window, highest first, from the event logs and ops.expectation_results', () => {
    const text = query.query_text as string;
    expect(text).toContain("IDENTIFIER(:ops || '.expectation_results')");
    expect(text).toContain('IDENTIFIER(:event_log_orders_medallion)');
    expect(text).toContain("details:flow_progress.data_quality.expectations");
    expect(text).toContain('AS drop_rate');
    expect(text.trimEnd().endsWith('ORDER BY drop_rate DESC NULLS LAST')).toBe(true);
    expect(checkSqlText('alert query', text, 'job')).toEqual([]);
    expect(checkSqlSyntax('alert query', text)).toBeUndefined();
    expect(blankSql(text)).not.toContain(environment.catalog.name);
    // Terraform would read ${…} or %{…} in a string as an interpolation or a directive
    expect(text).not.toMatch(/[$%]\{/);
  });

  it('supplies every marker of the query as a query parameter, the table names resolved at synth', () => {
    const markers = [...new Set([...blankSql(query.query_text as string).matchAll(MARKER)].map((m) => m[1]))].sort();
    const parameters = query.parameter as Json[];
    expect(parameters.map((p) => p.name).sort()).toEqual(markers);
    const byName = Object.fromEntries(parameters.map((p) => [p.name, p]));
    expect(byName.window_hours.numeric_value).toEqual({ value: 1 });
    expect(byName.ops.text_value).toEqual({ value: `${environment.catalog.name}.${environment.catalog.schemas.ops}` });
    expect(byName.event_log_user_analytics.text_value).toEqual({ value: `${environment.catalog.name}.${environment.catalog.schemas.ops}.user_analytics_event_log` });
    expect(byName.expectation_actions_orders_medallion.text_value.value).toContain('silver_orders.positive_amount=drop');
    for (const parameter of parameters) expect(parameter.text_value?.value ?? parameter.numeric_value?.value).toBeTruthy();
  });

  it('fires when the highest drop rate crosses the threshold, with the threshold sent', () => {
    expect(alert.condition).toEqual({ op: 'GREATER_THAN', operand: { column: { name: 'drop_rate' } }, threshold: { value: { double_value: 0.05 } }, empty_result_state: 'OK' });
    expect(alert.query_id).toBe(`\${databricks_query.${queryId}.id}`);
    expect(alert.display_name).toBe(`[${name}] an expectation dropped more than 5% of rows`);
  });

  it('is evaluated only once every pipeline has published its event log: a fresh deploy neither fails the job nor pages', () => {
    const byKey = new Map((job.task as Json[]).map((t) => [t.task_key, t]));
    expect([...byKey.keys()].sort()).toEqual(['evaluate', 'event_logs_ready', 'ready']);
    const gate = byKey.get('event_logs_ready')!;
    expect(gate.notebook_task.notebook_path).toMatch(/^\$\{databricks_notebook\..*\.path\}$/);
    const logs = project.pipelines.map((p) => `${environment.catalog.name}.${environment.catalog.schemas.ops}.${pipelineEventLogTable(p.name)}`);
    expect(logs.length).toBeGreaterThan(0);
    expect(gate.notebook_task.base_parameters).toEqual({ tables: logs.join(',') });
    expect(byKey.get('ready')!.condition_task).toEqual({ left: '{{tasks.event_logs_ready.values.ready}}', op: 'EQUAL_TO', right: 'true' });
    expect(byKey.get('ready')!.depends_on).toEqual([{ task_key: 'event_logs_ready' }]);
    expect(byKey.get('evaluate')!.depends_on).toEqual([{ task_key: 'ready', outcome: 'true' }]);
    // the gate checks exactly the event logs the alert's query reads (its table parameters)
    const [, deployedQuery] = only(out, 'databricks_query');
    const read = (deployedQuery.parameter as Json[]).filter((p) => /^event_log_/.test(p.name)).map((p) => p.text_value.value);
    expect([...read].sort()).toEqual([...logs].sort());
  });

  it('has no gate when there is no pipeline: its tables exist from deploy on', () => {
    const alone = synth((stack) => new DataQualityAlert(stack, 'DataQualityAlert', props({ pipelines: [] })));
    const [, onlyJob] = only(alone, 'databricks_job');
    expect((onlyJob.task as Json[]).map((t) => t.task_key)).toEqual(['evaluate']);
    expect(alone.resource.databricks_notebook).toBeUndefined();
  });

  it('lives in a workspace folder the stack creates first', () => {
    expect(directory.path).toBe(`/lakehouse-${name}/alerts`);
    expect(query.parent_path).toBe(`\${databricks_directory.${directoryId}.path}`);
    expect(alert.parent_path).toBe(`\${databricks_directory.${directoryId}.path}`);
  });

  it('is evaluated hourly by a job that notifies the environment’s failure destinations (as destinations) by default', () => {
    expect(job.name).toBe(`[${name}] data quality alert`);
    expect(job.schedule).toEqual({ quartz_cron_expression: '0 10 * * * ?', timezone_id: 'UTC', pause_status: environment.pauseTriggers ? 'PAUSED' : 'UNPAUSED' });
    const evaluate = (job.task as Json[]).find((t) => t.task_key === 'evaluate')!;
    expect(evaluate.sql_task.warehouse_id).toBe('abcdef0123456789');
    expect(evaluate.sql_task.alert.alert_id).toBe(`\${databricks_alert.${only(out, 'databricks_alert')[0]}.id}`);
    expect(evaluate.sql_task.alert.subscriptions).toEqual(defaults.alertDestinationIds!.map((destination_id) => ({ destination_id })));
    expect(job.run_as).toEqual(defaults.runAsServicePrincipal ? { service_principal_name: RUN_AS } : undefined);
  });

  it('falls back to the failure webhooks without alert destination ids, and deploys with no destination at all', () => {
    const webhooks = synth((stack) => new DataQualityAlert(stack, 'DataQualityAlert', props({ defaults: { ...defaults, alertDestinationIds: undefined } })));
    expect(only(webhooks, 'databricks_job')[1].task[0].sql_task.alert.subscriptions).toEqual([{ destination_id: '0f7c2b9e-0000-4000-8000-00000000000a' }]);
    const stack = new TerraformStack(Testing.app(), 'quiet');
    expect(() => new DataQualityAlert(stack, 'DataQualityAlert', props({ defaults: { ...defaults, alertDestinationIds: [], onFailureWebhookIds: [] } }))).not.toThrow();
  });

  it('notifies the subscribers given instead, and refuses to notify nobody', () => {
    const custom = synth((stack) => new DataQualityAlert(stack, 'DataQualityAlert', props({ subscribers: { userNames: ['quality@example.com'], destinationIds: ['0f7c2b9e-0000-4000-8000-000000000001'] } })));
    const [, customJob] = only(custom, 'databricks_job');
    expect(customJob.task[0].sql_task.alert.subscriptions).toEqual([{ user_name: 'quality@example.com' }, { destination_id: '0f7c2b9e-0000-4000-8000-000000000001' }]);
    const stack = new TerraformStack(Testing.app(), 'bad');
    expect(() => new DataQualityAlert(stack, 'DataQualityAlert', props({ subscribers: { userNames: [], destinationIds: [] } }))).toThrow(/prop "subscribers" notify nobody/);
  });

  it('gives the job’s run-as identity CAN_RUN on the alert, and grantRun gives it to others', () => {
    const granted = synth((stack) => {
      const quality = new DataQualityAlert(stack, 'DataQualityAlert', props({ defaults: { ...defaults, runAsServicePrincipal: RUN_AS } }));
      quality.grantRun('data-operators');
    });
    const [alertId] = only(granted, 'databricks_alert');
    // the job has its own (the run-as identity owns it); the alert's is the one on sql_alert_id
    const permissions = Object.values(granted.resource.databricks_permissions as Record<string, Json>).find((p) => p.sql_alert_id !== undefined)!;
    expect(permissions.sql_alert_id).toBe(`\${databricks_alert.${alertId}.id}`);
    expect(permissions.access_control).toEqual([
      { service_principal_name: RUN_AS, permission_level: 'CAN_RUN' },
      { group_name: 'data-operators', permission_level: 'CAN_RUN' },
    ]);
  });

  it('reuses a folder passed in', () => {
    const shared = synth((stack) => {
      const folder = new Directory(stack, 'Alerts', { path: `/lakehouse-${name}/alerts` });
      new DataQualityAlert(stack, 'DataQualityAlert', props({ folder: folder.path }));
    });
    expect(Object.keys(shared.resource.databricks_directory)).toEqual(['Alerts']);
    const [, sharedAlert] = only(shared, 'databricks_alert');
    expect(sharedAlert.parent_path).toBe('${databricks_directory.Alerts.path}');
  });
});

import { Testing } from 'cdktn';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { LakehouseStack } from '../../constructs/lakehouse-stack';
import { projectStack } from '../support/project-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(loadEnvironments(environments).map((e) => [e.name, e] as const))('the job-failure alert of %s', (name, environment) => {
  const out = JSON.parse(Testing.synth(new LakehouseStack(Testing.app(), environment.stackName, { environment }), true)) as Json;
  const query = Object.values(out.resource.databricks_query as Record<string, Json>).find((q) => q.display_name === `[${name}] failed job runs`)!;
  const alert = Object.values(out.resource.databricks_alert as Record<string, Json>).find((a) => a.display_name === `[${name}] a job failed`)!;
  const job = Object.values(out.resource.databricks_job as Record<string, Json>).find((j) => j.name === `[${name}] job failure alert`)!;

  it("queries the system tables for failed runs of the environment's jobs, with the prefix as a parameter", () => {
    expect(query.query_text).toContain('FROM system.lakeflow.job_run_timeline');
    expect(query.query_text).toContain('startswith(j.name, :name_prefix)');
    expect(query.parameter).toEqual([{ name: 'name_prefix', title: 'Job name prefix', text_value: { value: `[${name}] ` } }]);
  });

  it('lives in a workspace folder the stack creates first', () => {
    const [[id, folder]] = Object.entries(out.resource.databricks_directory as Record<string, Json>);
    expect(folder.path).toBe(`/Shared/lakehouse/${name}/alerts`);
    expect(query.parent_path).toBe(`\${databricks_directory.${id}.path}`);
    expect(alert.parent_path).toBe(`\${databricks_directory.${id}.path}`);
  });

  it('fires when any run failed, with a threshold the provider sends (a zero one it drops)', () => {
    expect(alert.condition).toEqual({ op: 'GREATER_THAN_OR_EQUAL', operand: { column: { name: 'failed_runs' } }, threshold: { value: { double_value: 1 } }, empty_result_state: 'OK' });
    expect(alert.query_id).toMatch(/^\$\{databricks_query\.JobFailureAlert_Query_[0-9A-F]{8}\.id\}$/);
  });

  it("is evaluated hourly by a job that notifies the environment's failure destinations, by destination, never by user name", () => {
    expect(job.schedule).toEqual({ quartz_cron_expression: '0 5 * * * ?', timezone_id: 'UTC', pause_status: environment.pauseTriggers ? 'PAUSED' : 'UNPAUSED' });
    const destinations = Object.entries(out.resource.databricks_notification_destination as Record<string, Json>);
    const expected = environment.notifications.onFailure.map((n) => `\${databricks_notification_destination.${destinations.find(([, d]) => d.display_name === `[${name}] ${n}`)![0]}.id}`);
    expect(job.task[0].sql_task.alert.subscriptions).toEqual(expected.map((destination_id) => ({ destination_id })));
  });
});

describe('system tables the alert reads', () => {
  const environment = loadEnvironments(environments).find((e) => e.runAs)!;

  it('are granted, USE_SCHEMA and SELECT, to the identity that evaluates it, as one principal grant (databricks_grant: the metastore is shared by every environment)', () => {
    const out = JSON.parse(Testing.synth(projectStack(environment), true)) as { resource: Record<string, Record<string, { schema?: string; principal?: string; privileges?: string[] }>> };
    const grants = Object.values(out.resource.databricks_grant ?? {});
    expect(grants).toContainEqual(expect.objectContaining({ schema: 'system.lakeflow', principal: environment.runAs!.servicePrincipal, privileges: ['USE_SCHEMA', 'SELECT'] }));
    expect(Object.values(out.resource.databricks_grants ?? {}).filter((g) => String(g.schema ?? '').startsWith('system.'))).toEqual([]);
  });

  it('fail synth when the evaluating identity could not read them (the task-identity check)', () => {
    const stack = projectStack(environment);
    Object.defineProperty(stack, 'systemTables', { value: { allowsRead: () => false } });
    expect(() => Testing.synth(stack, true)).toThrow(/the alert's query reads system\.lakeflow, but .* lacks USE_SCHEMA, SELECT on it/);
  });
});

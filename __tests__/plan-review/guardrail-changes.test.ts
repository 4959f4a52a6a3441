import { reviewPlans } from '../../plan-review/review';
import type { SynthResource, SynthStack } from '../../plan-review/synth-output';

type Json = Record<string, unknown>;

const SP = '9c4b2e81-6d3a-4f07-b5e9-2a8d1c0f7e35';

/** A small production stack: a protected catalog, a job and a pipeline as the prod stack declares them. */
function prodStack(): Record<string, Json> {
  return {
    'databricks_catalog.Catalog': { name: 'lakehouse_prod', lifecycle: { prevent_destroy: true } },
    'databricks_job.Ingest': {
      name: '[prod] ingest-orders',
      run_as: { service_principal_name: SP },
      timeout_seconds: 3600,
      max_concurrent_runs: 1,
      email_notifications: { on_failure: ['data-platform-alerts@example.com'] },
      webhook_notifications: { on_failure: [{ id: '${databricks_notification_destination.OnCall.id}' }] },
    },
    'databricks_pipeline.Medallion': {
      name: '[prod] orders-medallion',
      run_as: { service_principal_name: SP },
      development: false,
      notification: [{ alerts: ['on-update-failure', 'on-flow-failure'], email_recipients: ['data-platform-alerts@example.com'] }],
    },
  };
}

const asStack = (resources: Record<string, Json>): SynthStack =>
  new Map(
    Object.entries(resources).map(([address, config]): [string, SynthResource] => [
      address,
      { address, type: address.split('.')[0], path: `lakehouse-prod/${address.split('.')[1]}`, config, name: String(config.name), file: 'cdktf.out/stacks/lakehouse-prod/cdk.tf.json', line: 1 },
    ]),
  );

/** The review of the prod stack changed by `edit`. */
function reviewOf(edit: (resources: Record<string, Json>) => void) {
  const head = prodStack();
  edit(head);
  const result = reviewPlans(new Map([['lakehouse-prod', asStack(prodStack())]]), new Map([['lakehouse-prod', asStack(head)]]));
  return { verdict: result.verdict, findings: result.stacks[0].findings.map((f) => ({ severity: f.severity, rule: f.rule, address: f.address, message: f.message })) };
}

describe('the plan review takes a weakened guardrail as destructive', () => {
  it.each([
    ['removed prevent_destroy', (r: Record<string, Json>): unknown => delete r['databricks_catalog.Catalog'].lifecycle, 'databricks_catalog.Catalog', 'removes lifecycle.prevent_destroy from lakehouse_prod'],
    ['prevent_destroy set to false', (r: Record<string, Json>): void => {
      r['databricks_catalog.Catalog'].lifecycle = { prevent_destroy: false };
    }, 'databricks_catalog.Catalog', 'removes lifecycle.prevent_destroy'],
    ['removed run_as', (r: Record<string, Json>): unknown => delete r['databricks_job.Ingest'].run_as, 'databricks_job.Ingest', '[prod] ingest-orders: removes run_as'],
    ['run_as changed to a user', (r: Record<string, Json>): void => {
      r['databricks_pipeline.Medallion'].run_as = { user_name: 'alice@example.com' };
    }, 'databricks_pipeline.Medallion', '[prod] orders-medallion: changes run_as from'],
    ['development mode turned on', (r: Record<string, Json>): void => {
      r['databricks_pipeline.Medallion'].development = true;
    }, 'databricks_pipeline.Medallion', '[prod] orders-medallion: turns development mode on'],
    ['a failure e-mail removed', (r: Record<string, Json>): unknown => delete r['databricks_job.Ingest'].email_notifications, 'databricks_job.Ingest', 'no longer tells data-platform-alerts@example.com of a failure'],
    ['the failure destination removed', (r: Record<string, Json>): unknown => delete r['databricks_job.Ingest'].webhook_notifications, 'databricks_job.Ingest', 'no longer tells destination ${databricks_notification_destination.OnCall.id} of a failure'],
    ["a pipeline's failure notification removed", (r: Record<string, Json>): void => {
      r['databricks_pipeline.Medallion'].notification = [];
    }, 'databricks_pipeline.Medallion', 'removes every failure notification: nobody hears that it fails'],
    ['a job timeout dropped', (r: Record<string, Json>): unknown => delete r['databricks_job.Ingest'].timeout_seconds, 'databricks_job.Ingest', 'drops timeout_seconds'],
  ] as const)('%s', (_change, edit, address, message) => {
    const { verdict, findings } = reviewOf(edit);
    expect(verdict).toBe('destructive');
    expect(findings).toContainEqual({ severity: 'error', rule: 'guardrail-weakened', address, message: expect.stringContaining(message) });
  });

  it('calls a production stack redeployed in development mode destructive, on every guardrail it loses', () => {
    const { verdict, findings } = reviewOf((r) => {
      delete r['databricks_catalog.Catalog'].lifecycle;
      delete r['databricks_job.Ingest'].run_as;
      delete r['databricks_pipeline.Medallion'].run_as;
      r['databricks_pipeline.Medallion'].development = true;
    });
    expect(verdict).toBe('destructive');
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.address}: ${f.message.replace(/ \(was .*|: (Terraform|no retries).*| from .*/, '')}`).sort()).toEqual([
      'databricks_catalog.Catalog: databricks_catalog lakehouse_prod: removes lifecycle.prevent_destroy',
      'databricks_job.Ingest: databricks_job [prod] ingest-orders: removes run_as',
      'databricks_pipeline.Medallion: databricks_pipeline [prod] orders-medallion: removes run_as',
      'databricks_pipeline.Medallion: databricks_pipeline [prod] orders-medallion: turns development mode on',
    ]);
  });

  it('takes an alert whose subscriptions are removed as destructive', () => {
    const base = { 'databricks_alert.JobFailures': { display_name: 'job failures', notification: { subscriptions: [{ destination_id: 'on-call' }] } } };
    const head = { 'databricks_alert.JobFailures': { display_name: 'job failures', notification: { subscriptions: [] } } };
    const result = reviewPlans(new Map([['lakehouse-prod', asStack(base)]]), new Map([['lakehouse-prod', asStack(head)]]));
    expect(result.verdict).toBe('destructive');
    expect(result.stacks[0].findings).toEqual([expect.objectContaining({ rule: 'guardrail-weakened', message: expect.stringContaining('removes every failure notification') })]);
  });

  it('takes a guardrail tightened or a recipient added as no destruction', () => {
    const { findings } = reviewOf((r) => {
      r['databricks_job.Ingest'].email_notifications = { on_failure: ['data-platform-alerts@example.com', 'oncall@example.com'] };
      r['databricks_pipeline.Medallion'].development = false;
    });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

import { ReviewRule, RuleFinding } from '../finding';
import type { SynthResource } from '../synth-output';

/**
 * A change that takes away a protection is destructive, whatever else it does: it needs the
 * same approval as a dropped table, since it is what lets the next mistake drop one.
 * - `lifecycle.prevent_destroy` removed: Terraform then destroys the resource when asked
 *   (https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy);
 * - `run_as` removed or changed on a job or pipeline: it then runs as someone else, the
 *   deploying identity when removed (provider docs/resources/job.md and pipeline.md, run_as);
 * - development mode turned on for a pipeline (no retries, reused compute:
 *   https://docs.databricks.com/aws/en/ldp/updates#development-and-production-modes);
 * - failure recipients removed from a job (email_notifications/webhook_notifications.on_failure,
 *   provider docs/resources/job.md), a pipeline (a `notification` block alerting on a failure,
 *   docs/resources/pipeline.md) or an alert (notification.subscriptions, docs/resources/alert.md):
 *   fewer people, or nobody, hear that it fails;
 * - a job's timeout_seconds or max_concurrent_runs dropped (checks/guardrails/job-timeout-and-concurrency.ts).
 */
const get = (config: Record<string, unknown>, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), config);

const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? (value as Record<string, unknown>[]) : []);

/** Who hears that a job, pipeline or alert fails: e-mail addresses and destinations. */
function failureRecipients({ type, config }: SynthResource): Set<string> {
  const recipients = new Set<string>();
  if (type === 'databricks_job') {
    for (const address of list(get(config, 'email_notifications.on_failure'))) recipients.add(String(address));
    for (const hook of list(get(config, 'webhook_notifications.on_failure'))) recipients.add(`destination ${String(hook.id)}`);
  } else if (type === 'databricks_pipeline') {
    for (const block of list(config.notification)) {
      if (list(block.alerts).some((a) => /failure/.test(String(a)))) for (const address of list(block.email_recipients)) recipients.add(String(address));
    }
  } else if (type === 'databricks_alert') {
    for (const subscription of list(get(config, 'notification.subscriptions'))) recipients.add(String(subscription.destination_id ?? subscription.user_email));
  }
  return recipients;
}

export const guardrailWeakened: ReviewRule = {
  name: 'guardrail-weakened',
  review: (changes) =>
    changes.flatMap((c): RuleFinding[] => {
      if (c.kind !== 'changed') return [];
      const { before, after } = c;
      const found: string[] = [];
      if (get(before.config, 'lifecycle.prevent_destroy') === true && get(after.config, 'lifecycle.prevent_destroy') !== true) {
        found.push(`removes lifecycle.prevent_destroy from ${before.name}: Terraform may now destroy it and its data`);
      }
      if ((after.type === 'databricks_job' || after.type === 'databricks_pipeline') && JSON.stringify(get(before.config, 'run_as')) !== JSON.stringify(get(after.config, 'run_as'))) {
        const was = JSON.stringify(get(before.config, 'run_as') ?? null);
        const now = get(after.config, 'run_as');
        found.push(now === undefined ? `removes run_as (was ${was}): it would run as whoever deploys` : `changes run_as from ${was} to ${JSON.stringify(now)}`);
      }
      if (after.type === 'databricks_pipeline' && get(before.config, 'development') !== true && get(after.config, 'development') === true) {
        found.push('turns development mode on: no retries, compute reused');
      }
      const told = failureRecipients(before);
      const still = failureRecipients(after);
      const dropped = [...told].filter((r) => !still.has(r));
      if (dropped.length > 0 && still.size === 0) found.push('removes every failure notification: nobody hears that it fails');
      else if (dropped.length > 0) found.push(`no longer tells ${dropped.join(', ')} of a failure`);
      if (after.type === 'databricks_job') {
        for (const setting of ['timeout_seconds', 'max_concurrent_runs']) if (before.config[setting] !== undefined && after.config[setting] === undefined) found.push(`drops ${setting}`);
      }
      return found.map((message) => ({ severity: 'error', rule: 'guardrail-weakened', address: after.address, message: `${after.type} ${String(after.config.name ?? after.name)}: ${message}` }));
    }),
};

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
 * - failure notifications removed from a job: nobody hears that it fails.
 */
const get = (config: Record<string, unknown>, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), config);

function failureRecipients(job: SynthResource): number {
  const emails = (get(job.config, 'email_notifications.on_failure') as unknown[] | undefined) ?? [];
  const hooks = (get(job.config, 'webhook_notifications.on_failure') as unknown[] | undefined) ?? [];
  return emails.length + hooks.length;
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
      if (after.type === 'databricks_job' && failureRecipients(before) > 0 && failureRecipients(after) === 0) {
        found.push('removes every failure notification: nobody hears that it fails');
      }
      return found.map((message) => ({ severity: 'error', rule: 'guardrail-weakened', address: after.address, message: `${after.type} ${String(after.config.name ?? after.name)}: ${message}` }));
    }),
};

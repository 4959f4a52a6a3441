import { ReviewRule, RuleFinding } from '../finding';
import type { ResourceChange } from '../stack-diff';

type Json = Record<string, unknown>;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * Who hears of a failure: a job's email_notifications.on_failure and webhook_notifications.on_failure
 * destinations (provider docs/resources/job.md), a pipeline's notification blocks that alert on
 * a failure (docs/resources/pipeline.md `notification`), an alert's subscriptions.
 */
function failureRecipients(type: string, config: Json): Set<string> {
  const recipients = new Set<string>();
  if (type === 'databricks_job') {
    for (const address of strings((config.email_notifications as Json | undefined)?.on_failure)) recipients.add(address);
    for (const hook of ((config.webhook_notifications as Json | undefined)?.on_failure ?? []) as Json[]) recipients.add(`destination ${String(hook.id)}`);
  } else if (type === 'databricks_pipeline') {
    for (const block of (config.notification ?? []) as Json[]) {
      if (strings(block.alerts).some((a) => /failure/.test(a))) for (const address of strings(block.email_recipients)) recipients.add(address);
    }
  } else if (type === 'databricks_alert') {
    for (const subscription of ((config.notification as Json | undefined)?.subscriptions ?? []) as Json[]) recipients.add(String(subscription.destination_id ?? subscription.user_email));
  }
  return recipients;
}

function weakened(c: Extract<ResourceChange, { kind: 'changed' }>): string[] {
  const problems: string[] = [];
  const { before, after } = c;
  // development mode: no retries, a reused cluster; off in production, as in a bundle's production target
  // (https://docs.databricks.com/aws/en/dlt/updates#development-and-production-modes)
  if (after.type === 'databricks_pipeline' && before.config.development !== true && after.config.development === true) problems.push('turns development mode on');
  const old = failureRecipients(before.type, before.config);
  const now = failureRecipients(after.type, after.config);
  const dropped = [...old].filter((r) => !now.has(r));
  if (dropped.length > 0) problems.push(`no longer tells ${dropped.join(', ')} of a failure${now.size === 0 ? ': nobody is told any more' : ''}`);
  if (after.type === 'databricks_job') {
    for (const setting of ['timeout_seconds', 'max_concurrent_runs']) {
      if (before.config[setting] !== undefined && after.config[setting] === undefined) problems.push(`drops ${setting}`);
    }
  }
  return problems;
}

/**
 * Changes that switch a production guardrail off without deleting anything, so a plain plan
 * shows them as harmless updates: a pipeline put in development mode, failure notifications
 * removed, a job's timeout or concurrency limit dropped (checks/guardrails/ holds the rules
 * they would break). Destructive: they need the same approval as dropping data.
 */
export const weakenedProductionSettings: ReviewRule = {
  name: 'weakened-production-settings',
  review: (changes) =>
    changes.flatMap((c): RuleFinding[] => {
      if (c.kind !== 'changed') return [];
      return weakened(c).map((problem) => ({ severity: 'error', rule: 'weakened-production-settings', address: c.after.address, message: `${c.after.type.replace('databricks_', '')} ${String(c.after.config.name ?? c.after.config.display_name ?? c.after.name)} ${problem}` }));
    }),
};

import { Guardrail } from './guardrail';

export const prodJobFailureNotifications: Guardrail = {
  id: 'prod-job-failure-notifications',
  description: 'In production, every job tells someone when it fails (e-mail or a notification destination).',
  check({ type, config }, { production }) {
    if (!production || type !== 'databricks_job') return undefined;
    const emails = (config.email_notifications as { on_failure?: unknown[] } | undefined)?.on_failure ?? [];
    const hooks = (config.webhook_notifications as { on_failure?: unknown[] } | undefined)?.on_failure ?? [];
    return emails.length + hooks.length > 0 ? undefined : 'notifies nobody on failure';
  },
};

import { ReviewRule, RuleFinding } from '../finding';

type Json = Record<string, unknown>;

/** Who a job or pipeline runs as: `service principal <id>`, `user <name>`, or the deploying identity when run_as is absent. */
function identity(config: Json): string {
  const runAs = config.run_as as Json | undefined;
  if (runAs?.service_principal_name !== undefined) return `service principal ${String(runAs.service_principal_name)}`;
  if (runAs?.user_name !== undefined) return `user ${String(runAs.user_name)}`;
  return 'the identity that deploys it (no run_as)';
}

/**
 * A job or pipeline that runs as someone else runs with that identity's rights on every table
 * and file it touches (https://docs.databricks.com/aws/en/jobs/privileges#run-as, provider
 * docs/resources/job.md `run_as`): removing run_as falls back to the deploying identity, often
 * a workspace admin. A production guardrail and an access change at once, so destructive.
 */
export const changedRunAs: ReviewRule = {
  name: 'changed-run-as',
  review: (changes) =>
    changes.flatMap((c): RuleFinding[] => {
      if (c.kind !== 'changed' || (c.after.type !== 'databricks_job' && c.after.type !== 'databricks_pipeline')) return [];
      const before = identity(c.before.config);
      const after = identity(c.after.config);
      if (before === after) return [];
      const kind = c.after.type === 'databricks_job' ? 'job' : 'pipeline';
      return [{ severity: 'error', rule: 'changed-run-as', address: c.after.address, message: `${kind} ${String(c.after.config.name)} runs as ${after} instead of ${before}` }];
    }),
};

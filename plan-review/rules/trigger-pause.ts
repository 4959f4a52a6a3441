import { RuleFinding, ReviewRule } from '../finding';

/** A trigger or schedule that starts or stops firing is an operational change a reviewer must see. */
export const triggerPause: ReviewRule = {
  name: 'trigger-pause',
  review: (changes) =>
    changes.flatMap((c): RuleFinding[] => {
      if (c.kind !== 'changed' || c.after.type !== 'databricks_job') return [];
      return c.attributes
        .filter((a) => /^(trigger|schedule)\.pause_status$/.test(a.attribute))
        .map((a) => ({
          severity: 'warning',
          rule: 'trigger-pause',
          address: c.after.address,
          message: `job ${String(c.after.config.name)}: ${a.attribute.split('.')[0]} ${a.after === 'PAUSED' ? 'is paused' : 'starts firing'} (${String(a.before)} → ${String(a.after)})`,
        }));
    }),
};

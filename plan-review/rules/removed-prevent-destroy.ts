import { DATA_HOLDERS, ReviewRule, RuleFinding } from '../finding';

type Json = Record<string, unknown>;

const preventsDestroy = (config: Json): boolean => (config.lifecycle as { prevent_destroy?: unknown } | undefined)?.prevent_destroy === true;

/**
 * A resource that loses `lifecycle.prevent_destroy` can be destroyed by the next plan, and
 * Terraform would not refuse it any more
 * (https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy):
 * the production guardrail that keeps catalogs, schemas, volumes and tables is switched off.
 * The plan itself changes nothing on the platform, so only this review can call it destructive.
 */
export const removedPreventDestroy: ReviewRule = {
  name: 'removed-prevent-destroy',
  review: (changes) =>
    changes.flatMap((c): RuleFinding[] => {
      if (c.kind !== 'changed' || !preventsDestroy(c.before.config) || preventsDestroy(c.after.config)) return [];
      const what = DATA_HOLDERS[c.after.type] ?? c.after.type;
      return [{ severity: 'error', rule: 'removed-prevent-destroy', address: c.after.address, message: `${what} ${c.after.name} loses lifecycle.prevent_destroy: a later plan can drop it and its data without Terraform refusing` }];
    }),
};

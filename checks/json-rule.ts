import type { SynthesizedStack } from './synthesized-stack';

/**
 * A fidelity rule over a synthesized stack: a pure function of the Terraform JSON that says
 * what the Databricks provider or API would reject, or get wrong, at plan or apply time.
 * One rule a file under `json-rules/`, each citing where the platform states it.
 */
export interface JsonRuleHit {
  /** `<type>.<id>` of the resource, or the top-level block (`provider`, `terraform`). */
  readonly address: string;
  readonly message: string;
}

export interface JsonRule {
  readonly id: string;
  readonly description: string;
  /** Where the platform states the rule: provider source file, API or documentation page. */
  readonly source: string;
  check(stack: SynthesizedStack): JsonRuleHit[];
}

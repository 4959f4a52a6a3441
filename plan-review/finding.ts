import type { Diagnostic } from '../model/diagnostic';
import type { ResourceChange } from './stack-diff';

/**
 * A finding of the plan review: a Diagnostic located at the resource's declaration in the
 * synth output (the head's, or the base's for a removed resource). Its severity says what
 * the change does: error, destructive (data can be lost, a resource is recreated, a
 * guardrail is weakened: it needs an approval); warning, an impact a reviewer must know;
 * info, worth a look.
 */
export interface Finding extends Diagnostic {
  /** Terraform address of the resource concerned. */
  readonly address: string;
}

/** What a rule says of a change; the review locates it in the synth output. */
export type RuleFinding = Omit<Finding, 'file' | 'line' | 'column'>;

/** A review rule: looks at every change of a stack and says what a plain plan would not. */
export interface ReviewRule {
  readonly name: string;
  review(changes: readonly ResourceChange[]): RuleFinding[];
}

/** Resources whose removal or recreation drops data. */
export const DATA_HOLDERS: Readonly<Record<string, string>> = {
  databricks_catalog: 'catalog',
  databricks_schema: 'schema',
  databricks_sql_table: 'table',
  databricks_volume: 'volume',
  databricks_pipeline: 'pipeline',
};

import type { ResourceChange } from './stack-diff';

/** destructive: data can be lost or a resource is recreated; impact: what a reviewer must know; info: worth a look. */
export type Severity = 'destructive' | 'impact' | 'info';

export interface Finding {
  readonly severity: Severity;
  readonly rule: string;
  /** Terraform address of the resource concerned. */
  readonly address: string;
  readonly message: string;
}

/** A review rule: looks at every change of a stack and says what a plain plan would not. */
export interface ReviewRule {
  readonly name: string;
  review(changes: readonly ResourceChange[]): Finding[];
}

/** Resources whose removal or recreation drops data. */
export const DATA_HOLDERS: Readonly<Record<string, string>> = {
  databricks_catalog: 'catalog',
  databricks_schema: 'schema',
  databricks_sql_table: 'table',
  databricks_volume: 'volume',
  databricks_pipeline: 'pipeline',
};

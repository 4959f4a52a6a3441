/**
 * A fidelity rule over one SQL statement: a pure function that says where the statement
 * uses something Databricks (or Delta, or Lakeflow declarative pipelines) rejects, even
 * though DuckDB, the local engine, would accept it. One rule a file under `sql-rules/`,
 * each citing where the platform states it.
 */

/** Job SQL runs as a SQL file task on a SQL warehouse; pipeline SQL defines a declarative pipeline's datasets. */
export type SqlKind = 'job' | 'pipeline';

export interface SqlStatementView {
  /** The statement as written, without its terminating semicolon. */
  readonly text: string;
  /**
   * The statement with comments and the insides of literals blanked (see `blankSql`):
   * same length as `text`, so an index into one is an index into the other.
   */
  readonly code: string;
  readonly kind: SqlKind;
}

export interface SqlRuleHit {
  /** Index into the statement of what the message is about. */
  readonly index: number;
  readonly message: string;
}

export interface SqlRule {
  readonly id: string;
  readonly description: string;
  /** Where the platform states the rule: a documentation URL or a source file of Databricks, Delta or Spark. */
  readonly source: string;
  readonly appliesTo: readonly SqlKind[];
  check(statement: SqlStatementView): SqlRuleHit[];
}

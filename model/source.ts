/**
 * A source: one kind of file that lands in a landing volume, and everything needed to load
 * it: its columns, key, ordering, history (SCD type), data-quality expectations and how it
 * is ingested. Declared as one YAML file in config/sources/; everything else (volume,
 * tables, grants, the workflow or pipeline, the SQL, samples, diagrams) follows from it.
 */

export type SourceFormat = 'csv' | 'json' | 'parquet';
export type ViolationAction = 'drop' | 'fail' | 'warn';

export interface SourceColumn {
  /** Column name: a plain identifier. */
  readonly name: string;
  /** A Databricks SQL type, e.g. STRING, TIMESTAMP, DECIMAL(12,2). */
  readonly type: string;
  /** @default true */
  readonly nullable: boolean;
  readonly comment?: string;
}

export interface SourceExpectation {
  readonly name: string;
  /** A SQL boolean expression over the source's columns. */
  readonly expr: string;
  /** drop: the row goes to quarantine; fail: the load fails; warn: the row is kept and counted. */
  readonly onViolation: ViolationAction;
}

export type SourceTrigger =
  /** A run when files land in the source's incoming folder. */
  | { readonly type: 'file-arrival'; readonly minTimeBetweenTriggersSeconds?: number; readonly waitAfterLastChangeSeconds?: number }
  /** A Quartz cron schedule in UTC. */
  | { readonly type: 'schedule'; readonly quartzCron: string }
  /** No trigger of its own: the job runs when another job runs it (a `job` task) or by hand. Job ingestion only. */
  | { readonly type: 'on-demand' };

export interface Source {
  /** Lower-case identifier; names the tables (`<name>_staging`…) and the job (`ingest-<name>`). */
  readonly name: string;
  readonly description: string;
  readonly landing: {
    /** Landing volume the files arrive in (its incoming/ folder). */
    readonly volume: string;
    readonly format: SourceFormat;
    /** Reader options passed to read_files, e.g. delimiter, multiLine. */
    readonly options: Readonly<Record<string, string | boolean | number>>;
  };
  readonly columns: readonly SourceColumn[];
  /** Columns identifying a row: the merge key. */
  readonly key: readonly string[];
  /** Column ordering the versions of a key: the latest wins (SCD1), or history is kept in its order (SCD2). */
  readonly sequenceBy: string;
  readonly scd: 1 | 2;
  readonly expectations: readonly SourceExpectation[];
  /** A job (stage → merge → archive) or a declarative pipeline (streaming bronze, silver by AUTO CDC). */
  readonly ingestion: 'job' | 'pipeline';
  readonly trigger: SourceTrigger;
  /** Column of the current table holding when the merge last changed a row. @default 'merged_at' */
  readonly mergedAtColumn: string;
  /** Record the current table's changes (Delta Change Data Feed), for extracts by version. @default false */
  readonly changeDataFeed: boolean;
  /** The file the source is declared in, relative to the project root. */
  readonly file: string;
}

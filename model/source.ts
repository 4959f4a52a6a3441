/**
 * A source: one kind of file that lands in a landing volume, and everything needed to load
 * it: its columns, key, ordering, history (SCD type), data-quality expectations and how it
 * is ingested. Declared as one YAML file in config/sources/; everything else (volume,
 * tables, grants, the workflow or pipeline, the SQL, samples, diagrams) follows from it.
 */

export type SourceFormat = 'csv' | 'json' | 'parquet';
export type ViolationAction = 'drop' | 'fail' | 'warn';

/**
 * What the load does with a CSV file whose header is not the declared columns, in order:
 * fail: the run fails, naming the file, the expected and the found header, and nothing of any
 * file is staged; quarantine: none of that file's rows are staged, the file ledger
 * (ops.ingested_files.schema_drift) names the difference, and the run goes on with the other
 * files; rescue: columns are matched by name, a declared column the file lacks is NULL, and the
 * values of columns the source does not declare (or declares in another case) are kept as JSON
 * in the staging table's `_rescued_data`, with the file path (read_files rescuedDataColumn).
 * With quarantine and rescue, a value that does not parse as its column's type is rescued too
 * (the column NULL) instead of failing the load.
 */
export type SchemaDriftPolicy = 'fail' | 'quarantine' | 'rescue';

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
  /** What a CSV file whose header differs from the declared columns does to the load (job ingestion). @default 'fail' */
  readonly schemaDrift: SchemaDriftPolicy;
  /** The file the source is declared in, relative to the project root. */
  readonly file: string;
}

/**
 * The operational Delta tables of the platform, described once.
 *
 * The cdktf constructs declare them from these specs and the SQL DDL under `sql/ops/`
 * is checked against them by a test, so the two can never drift apart.
 *
 * Columns are only ever added: Terraform cannot change a column's type in place and
 * `databricks_sql_table` recreates a table (losing its data) when partitioning changes,
 * which is why both tables use liquid clustering instead of partitions.
 */

/** A Databricks SQL type as the API returns it (no whitespace), e.g. `DECIMAL(12,2)`. */
export type ColumnType = string;

export interface TableColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly comment: string;
}

export interface TableSpec {
  /** Table name inside its schema. */
  readonly name: string;
  readonly comment: string;
  readonly columns: readonly TableColumn[];
  /** Liquid clustering keys, chosen for the table's dominant lookup. */
  readonly clusterKeys: readonly string[];
  /**
   * Delta Change Data Feed: every commit also records its changed rows, which
   * `table_changes(<table>, <from>, <to>)` reads by version
   * (https://docs.databricks.com/en/delta/delta-change-data-feed.html). The key names a row
   * across versions, so the local emulation pairs an update's pre- and post-image.
   * @default no change data feed
   */
  readonly changeDataFeed?: { readonly key: readonly string[] };
}

/** The table property that enables the change data feed (Delta: delta.enableChangeDataFeed). */
export const CHANGE_DATA_FEED_PROPERTY = 'delta.enableChangeDataFeed';

/** Batch completion: one row per (source, batch) that an upstream load finished. */
export const CONTROL_TABLE: TableSpec = {
  name: 'batch_control',
  comment: 'Batch completion records: an upstream load marks a batch complete; downstream loads are gated on it.',
  columns: [
    { name: 'batch_id', type: 'STRING', nullable: false, comment: 'Business batch identifier shared by the upstreams of one downstream load.' },
    { name: 'source', type: 'STRING', nullable: false, comment: 'Upstream load that completed the batch.' },
    { name: 'completed_at', type: 'TIMESTAMP', nullable: false, comment: 'When the upstream marked the batch complete.' },
    { name: 'run_id', type: 'STRING', nullable: true, comment: 'Job run that completed the batch.' },
    { name: 'row_count', type: 'BIGINT', nullable: true, comment: 'Rows the upstream wrote for the batch.' },
  ],
  // Readiness checks filter on batch_id and then source.
  clusterKeys: ['batch_id', 'source'],
};

/** Batch consumption: one row per (loader, batch) a downstream load has loaded, so it loads each ready batch once whatever the date. */
export const BATCH_LOADS_TABLE: TableSpec = {
  name: 'batch_loads',
  comment: 'Batches a downstream load has loaded: it loads every batch its upstreams completed that is not here yet.',
  columns: [
    { name: 'batch_id', type: 'STRING', nullable: false, comment: 'The batch loaded.' },
    { name: 'loader', type: 'STRING', nullable: false, comment: 'Downstream load that loaded it.' },
    { name: 'loaded_at', type: 'TIMESTAMP', nullable: false, comment: 'When it was (last) loaded.' },
    { name: 'run_id', type: 'STRING', nullable: true, comment: 'Job run that loaded it.' },
  ],
  // "not loaded yet" looks up a loader and its batches
  clusterKeys: ['loader', 'batch_id'],
};

/** The files each job-ingested source has staged and merged: one row per file, so finding new files never scans staged rows. */
export const INGESTED_FILES_TABLE: TableSpec = {
  name: 'ingested_files',
  comment: 'Files staged by the ingestion jobs: each file (path and content) once, with the stage sequence of its rows and when it was merged.',
  columns: [
    { name: 'source', type: 'STRING', nullable: false, comment: 'Source the file belongs to.' },
    { name: 'file_path', type: 'STRING', nullable: false, comment: 'The file, as read_files reports it (_metadata.file_path).' },
    { name: 'stage_seq', type: 'BIGINT', nullable: false, comment: 'Stage run that staged it; its rows carry the same stage_seq.' },
    { name: 'staged_rows', type: 'BIGINT', nullable: true, comment: 'Rows staged from it; NULL until they are.' },
    { name: 'staged_at', type: 'TIMESTAMP', nullable: false, comment: 'When it was first seen.' },
    { name: 'merged_at', type: 'TIMESTAMP', nullable: true, comment: 'When its rows were merged; NULL while pending.' },
    { name: 'content_hash', type: 'STRING', nullable: true, comment: 'SHA-256 of its bytes: new content under a known path is a new file; NULL on rows recorded before the column existed.' },
    { name: 'file_size', type: 'BIGINT', nullable: true, comment: 'Its size in bytes (_metadata.file_size), which the archive compares; NULL on rows recorded before the column existed.' },
    { name: 'schema_drift', type: 'STRING', nullable: true, comment: "Why none of its rows were staged: its header against the declared columns (a schemaDrift: quarantine source); NULL when its rows were read." },
  ],
  // new files are looked up per source and path; pending ones per source
  clusterKeys: ['source', 'file_path'],
};

/** Data-quality results of the ingestion jobs: rows passing and failing each expectation, per run. */
export const EXPECTATION_RESULTS_TABLE: TableSpec = {
  name: 'expectation_results',
  comment: 'Expectation results of the ingestion jobs: rows that passed and failed each expectation, per source and run.',
  columns: [
    { name: 'source', type: 'STRING', nullable: false, comment: 'Source the rows came from.' },
    { name: 'run_id', type: 'STRING', nullable: false, comment: 'Job run that checked them.' },
    { name: 'expectation', type: 'STRING', nullable: false, comment: 'Expectation name.' },
    { name: 'action', type: 'STRING', nullable: false, comment: 'drop, fail or warn.' },
    { name: 'passed', type: 'BIGINT', nullable: false, comment: 'Rows that met it.' },
    { name: 'failed', type: 'BIGINT', nullable: false, comment: 'Rows that did not (dropped to quarantine, or warned about).' },
    { name: 'checked_at', type: 'TIMESTAMP', nullable: false, comment: 'When the run checked them.' },
  ],
  clusterKeys: ['source', 'checked_at'],
};

/** Incremental windows: one row per extraction run of a pipeline. */
export const WATERMARK_TABLE: TableSpec = {
  name: 'watermarks',
  comment: 'Incremental extraction runs: the window each run read and whether it succeeded. Only SUCCESS rows advance the watermark.',
  columns: [
    { name: 'pipeline', type: 'STRING', nullable: false, comment: 'Incremental pipeline the run belongs to.' },
    { name: 'run_id', type: 'STRING', nullable: false, comment: 'Run identifier, unique per pipeline.' },
    { name: 'status', type: 'STRING', nullable: false, comment: 'RUNNING, SUCCESS, FAILED or SKIPPED.' },
    { name: 'window_low', type: 'TIMESTAMP', nullable: true, comment: 'Exclusive lower bound: the previous successful window_high (NULL on the first run).' },
    { name: 'window_high', type: 'TIMESTAMP', nullable: false, comment: 'Inclusive upper bound of the window.' },
    { name: 'source_version_low', type: 'BIGINT', nullable: true, comment: 'Source Delta version after the previous successful run (NULL on the first run).' },
    { name: 'source_version_high', type: 'BIGINT', nullable: true, comment: 'Source Delta version read by this run, for table_changes().' },
    { name: 'started_at', type: 'TIMESTAMP', nullable: false, comment: 'When the run started.' },
    { name: 'finished_at', type: 'TIMESTAMP', nullable: true, comment: 'When the run was finalized.' },
    { name: 'rows_extracted', type: 'BIGINT', nullable: true, comment: 'Rows the run extracted.' },
    { name: 'error_message', type: 'STRING', nullable: true, comment: 'Why a FAILED or SKIPPED run did not advance the watermark.' },
    { name: 'superseded_at', type: 'TIMESTAMP', nullable: true, comment: 'When a later successful run took over the watermark; NULL on the current one.' },
  ],
  // "The current watermark of a pipeline" filters on pipeline and status, and on
  // superseded_at IS NULL, which leaves one row however long the history grows.
  clusterKeys: ['pipeline', 'status'],
};

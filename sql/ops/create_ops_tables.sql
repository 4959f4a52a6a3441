-- The operational tables: batch completion (control), batch consumption (loads) and
-- incremental windows (watermarks).
-- The stacks declare the same tables with databricks_sql_table from model/ops-tables.ts;
-- a test proves both agree. Running this file is a no-op where they exist. Managed Unity
-- Catalog tables are Delta by default.
-- Parameters:
--   :ops             the ops schema, as catalog.schema
CREATE TABLE IF NOT EXISTS IDENTIFIER(:ops || '.batch_control') (
  batch_id STRING NOT NULL COMMENT 'Business batch identifier shared by the upstreams of one downstream load.',
  source STRING NOT NULL COMMENT 'Upstream load that completed the batch.',
  completed_at TIMESTAMP NOT NULL COMMENT 'When the upstream marked the batch complete.',
  run_id STRING COMMENT 'Job run that completed the batch.',
  row_count BIGINT COMMENT 'Rows the upstream wrote for the batch.'
)
COMMENT 'Batch completion records: an upstream load marks a batch complete; downstream loads are gated on it.'
CLUSTER BY (batch_id, source);

CREATE TABLE IF NOT EXISTS IDENTIFIER(:ops || '.batch_loads') (
  batch_id STRING NOT NULL COMMENT 'The batch loaded.',
  loader STRING NOT NULL COMMENT 'Downstream load that loaded it.',
  loaded_at TIMESTAMP NOT NULL COMMENT 'When it was (last) loaded.',
  run_id STRING COMMENT 'Job run that loaded it.'
)
COMMENT 'Batches a downstream load has loaded: it loads every batch its upstreams completed that is not here yet.'
CLUSTER BY (loader, batch_id);

CREATE TABLE IF NOT EXISTS IDENTIFIER(:ops || '.ingested_files') (
  source STRING NOT NULL COMMENT 'Source the file belongs to.',
  file_path STRING NOT NULL COMMENT 'The file, as read_files reports it (_metadata.file_path).',
  stage_seq BIGINT NOT NULL COMMENT 'Stage run that staged it; its rows carry the same stage_seq.',
  staged_rows BIGINT COMMENT 'Rows staged from it; NULL until they are.',
  staged_at TIMESTAMP NOT NULL COMMENT 'When it was first seen.',
  merged_at TIMESTAMP COMMENT 'When its rows were merged; NULL while pending.',
  content_hash STRING COMMENT 'SHA-256 of its bytes: new content under a known path is a new file; NULL on rows recorded before the column existed.',
  file_size BIGINT COMMENT 'Its size in bytes (_metadata.file_size), which the archive compares; NULL on rows recorded before the column existed.',
  schema_drift STRING COMMENT 'Why none of its rows were staged: its header against the declared columns (a schemaDrift: quarantine source); NULL when its rows were read.'
)
COMMENT 'Files staged by the ingestion jobs: each file (path and content) once, with the stage sequence of its rows and when it was merged.'
CLUSTER BY (source, file_path);

CREATE TABLE IF NOT EXISTS IDENTIFIER(:ops || '.expectation_results') (
  source STRING NOT NULL COMMENT 'Source the rows came from.',
  run_id STRING NOT NULL COMMENT 'Job run that checked them.',
  expectation STRING NOT NULL COMMENT 'Expectation name.',
  action STRING NOT NULL COMMENT 'drop, fail or warn.',
  passed BIGINT NOT NULL COMMENT 'Rows that met it.',
  failed BIGINT NOT NULL COMMENT 'Rows that did not (dropped to quarantine, or warned about).',
  checked_at TIMESTAMP NOT NULL COMMENT 'When the run checked them.'
)
COMMENT 'Expectation results of the ingestion jobs: rows that passed and failed each expectation, per source and run.'
CLUSTER BY (source, checked_at);

CREATE TABLE IF NOT EXISTS IDENTIFIER(:ops || '.watermarks') (
  pipeline STRING NOT NULL COMMENT 'Incremental pipeline the run belongs to.',
  run_id STRING NOT NULL COMMENT 'Run identifier, unique per pipeline.',
  status STRING NOT NULL COMMENT 'RUNNING, SUCCESS, FAILED or SKIPPED.',
  window_low TIMESTAMP COMMENT 'Exclusive lower bound: the previous successful window_high (NULL on the first run).',
  window_high TIMESTAMP NOT NULL COMMENT 'Inclusive upper bound of the window.',
  source_version_low BIGINT COMMENT 'Source Delta version after the previous successful run (NULL on the first run).',
  source_version_high BIGINT COMMENT 'Source Delta version read by this run, for table_changes().',
  started_at TIMESTAMP NOT NULL COMMENT 'When the run started.',
  finished_at TIMESTAMP COMMENT 'When the run was finalized.',
  rows_extracted BIGINT COMMENT 'Rows the run extracted.',
  error_message STRING COMMENT 'Why a FAILED or SKIPPED run did not advance the watermark.',
  superseded_at TIMESTAMP COMMENT 'When a later successful run took over the watermark; NULL on the current one.'
)
COMMENT 'Incremental extraction runs: the window each run read and whether it succeeded. Only SUCCESS rows advance the watermark.'
CLUSTER BY (pipeline, status);

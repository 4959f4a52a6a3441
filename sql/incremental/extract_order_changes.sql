-- Extracts the changes of silver.orders committed in the run's version window into
-- gold.orders_changes, read from the table's change data feed: every insert, update
-- (post-image) and delete committed after the window's source_version_low, up to its
-- source_version_high (the versions start_run recorded). Windows never overlap and leave no
-- gap, so every change is extracted once; a commit that lands during the run has a later
-- version and falls in the next window. Idempotent: a retry finds its changes extracted.
-- table_changes takes the table name as a string literal and reads a string bound as a
-- timestamp, so the versions (task values of read_versions) are cast to BIGINT
-- (https://docs.databricks.com/en/sql/language-manual/functions/table_changes.html;
-- delta-io/delta DeltaTableValueFunctions.scala).
-- Parameters:
--   :gold            the gold schema, as catalog.schema
--   :ops             the ops schema, as catalog.schema
--   :source_table    silver.orders as catalog.schema.table
--   :from_version    first version read (task value of read_versions)
--   :to_version      last version read (task value of read_versions)
--   :pipeline        incremental pipeline name
--   :run_id          the RUNNING run whose window is extracted
CREATE TABLE IF NOT EXISTS IDENTIFIER(:gold || '.orders_changes') (
  tracking_num STRING NOT NULL,
  order_id STRING,
  customer_id STRING,
  status STRING,
  amount DECIMAL(12,2),
  event_time TIMESTAMP,
  change_type STRING NOT NULL,
  commit_version BIGINT NOT NULL,
  commit_timestamp TIMESTAMP NOT NULL,
  extract_run_id STRING NOT NULL
)
USING DELTA
CLUSTER BY (tracking_num, commit_version);

MERGE INTO IDENTIFIER(:gold || '.orders_changes') AS t
USING (
  SELECT tracking_num, order_id, customer_id, status, amount, event_time, change_type, commit_version, commit_timestamp, run_id
  FROM (
    SELECT c.tracking_num, c.order_id, c.customer_id, c.status, c.amount, c.event_time, c._change_type AS change_type, c._commit_version AS commit_version, c._commit_timestamp AS commit_timestamp, w.run_id
    FROM table_changes(:source_table, CAST(:from_version AS BIGINT), CAST(:to_version AS BIGINT)) AS c
    JOIN IDENTIFIER(:ops || '.watermarks') AS w
      ON w.pipeline = :pipeline AND w.run_id = :run_id AND w.status = 'RUNNING'
    WHERE c._change_type IN ('insert', 'update_postimage', 'delete')
      AND c._commit_version > coalesce(w.source_version_low, -1)
      AND c._commit_version <= w.source_version_high
  ) AS changes
  -- one change of a key per version and kind, as the change data feed gives it
  QUALIFY row_number() OVER (PARTITION BY tracking_num, commit_version, change_type ORDER BY commit_timestamp) = 1
) AS s
ON t.tracking_num = s.tracking_num AND t.commit_version = s.commit_version AND t.change_type = s.change_type
WHEN NOT MATCHED THEN INSERT (tracking_num, order_id, customer_id, status, amount, event_time, change_type, commit_version, commit_timestamp, extract_run_id)
  VALUES (s.tracking_num, s.order_id, s.customer_id, s.status, s.amount, s.event_time, s.change_type, s.commit_version, s.commit_timestamp, s.run_id);

UPDATE IDENTIFIER(:ops || '.watermarks')
SET rows_extracted = (SELECT count(*) FROM IDENTIFIER(:gold || '.orders_changes') WHERE extract_run_id = :run_id)
WHERE pipeline = :pipeline AND run_id = :run_id AND status = 'RUNNING';

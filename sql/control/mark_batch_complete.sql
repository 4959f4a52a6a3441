-- Records that an upstream load completed a batch. Idempotent: marking a batch complete
-- twice (a retry, a re-run) leaves one row, with the first completion's time and run.
-- Parameters:
--   :ops             the ops schema, as catalog.schema
--   :batch_id      the batch the upstream loaded
--   :source        name of the upstream, as downstream gates list it
--   :source_table  catalog.schema.table the upstream wrote; its rows of the batch are counted
--   :run_id        the job run that completed it
MERGE INTO IDENTIFIER(:ops || '.batch_control') AS t
USING (
  SELECT
    :batch_id AS batch_id,
    :source AS source,
    current_timestamp() AS completed_at,
    :run_id AS run_id,
    (SELECT count(*) FROM IDENTIFIER(:source_table) WHERE batch_id = :batch_id) AS row_count
) AS s
ON t.batch_id = s.batch_id AND t.source = s.source
WHEN NOT MATCHED THEN INSERT (batch_id, source, completed_at, run_id, row_count)
  VALUES (s.batch_id, s.source, s.completed_at, s.run_id, s.row_count);

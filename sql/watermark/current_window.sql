-- The watermark of :pipeline: the current successful window's upper bound (where the next
-- run starts) and the run in progress, if any. Cheap however long the history grows: it
-- reads the pipeline's unsuperseded SUCCESS row and RUNNING row only.
-- Parameters:
--   :ops             the ops schema, as catalog.schema
--   :pipeline  incremental pipeline name
SELECT
  :pipeline AS pipeline,
  max(window_high) FILTER (WHERE status = 'SUCCESS') AS watermark,
  max_by(source_version_high, window_high) FILTER (WHERE status = 'SUCCESS') AS watermark_source_version,
  max(run_id) FILTER (WHERE status = 'RUNNING') AS running_run_id
FROM IDENTIFIER(:ops || '.watermarks')
WHERE pipeline = :pipeline
  AND (status = 'RUNNING' OR (status = 'SUCCESS' AND superseded_at IS NULL));

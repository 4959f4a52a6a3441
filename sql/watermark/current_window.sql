-- The watermark of :pipeline: the last successful window's upper bound (where the next
-- run starts) and the run in progress, if any. Cheap however long the history grows: the
-- table is clustered by (pipeline, status).
-- Parameters:
--   :catalog   the environment's catalog
--   :pipeline  incremental pipeline name
SELECT
  :pipeline AS pipeline,
  max(window_high) FILTER (WHERE status = 'SUCCESS') AS watermark,
  max(source_version_high) FILTER (WHERE status = 'SUCCESS') AS watermark_source_version,
  max(run_id) FILTER (WHERE status = 'RUNNING') AS running_run_id,
  count(*) FILTER (WHERE status = 'SUCCESS') AS successful_runs
FROM IDENTIFIER(:catalog || '.ops.watermarks')
WHERE pipeline = :pipeline AND status IN ('SUCCESS', 'RUNNING');

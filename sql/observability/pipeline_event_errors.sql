-- Errors and failed flows of one pipeline, newest first, from its event log.
-- Parameters:
--   :pipeline_id    id of the pipeline (the pipeline construct's pipelineId)
--   :lookback_days  e.g. 7
SELECT
  timestamp,
  event_type,
  origin.update_id,
  origin.flow_name,
  level,
  message,
  error.exceptions[0].message AS first_exception
FROM event_log(:pipeline_id)
WHERE (level = 'ERROR' OR event_type = 'flow_progress' AND details:flow_progress:status = 'FAILED')
  AND timestamp >= current_timestamp() - make_interval(0, 0, 0, :lookback_days)
ORDER BY timestamp DESC;

-- Updates of one pipeline over the last :lookback_days days and how long each took, from the
-- event log the pipeline publishes to the ops schema (see naming.ts pipelineEventLogTable).
-- Event log fields (Databricks "Pipeline event log schema",
-- https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema): every event has
-- event_type, timestamp (UTC) and origin {pipeline_name, update_id, flow_name, ...};
-- 'update_progress' events carry details:update_progress.state (QUEUED, CREATED,
-- WAITING_FOR_RESOURCES, INITIALIZING, RESETTING, SETTING_UP_TABLES, RUNNING, STOPPING,
-- COMPLETED, FAILED, CANCELED). An update lasts from its first progress event to its last; its
-- state is the last one it reported.
-- Parameters:
--   :event_log      three-part name of the pipeline's published event log table
--   :lookback_days  e.g. 30
WITH progress AS (
  SELECT
    origin.pipeline_name AS pipeline_name,
    origin.update_id AS update_id,
    timestamp AS event_time,
    details:update_progress.state AS state
  FROM IDENTIFIER(:event_log)
  WHERE event_type = 'update_progress'
    AND timestamp >= current_timestamp() - make_interval(0, 0, 0, :lookback_days)
)
SELECT
  pipeline_name AS pipeline,
  update_id,
  max_by(state, event_time) AS state,
  min(event_time) AS started_at,
  max(event_time) AS ended_at,
  timestampdiff(SECOND, min(event_time), max(event_time)) AS duration_seconds
FROM progress
GROUP BY pipeline_name, update_id
ORDER BY started_at DESC;

-- Data quality per expectation of one pipeline over the last :window_hours hours, from the
-- event log the pipeline publishes to the ops schema (see naming.ts pipelineEventLogTable).
-- The rows have the columns of job_expectations.sql, in the same order, so the monitoring
-- dashboard and the data-quality alert read both as one (UNION ALL).
-- Event log fields (Databricks "Pipeline event log schema",
-- https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema): 'flow_progress' events
-- carry details:flow_progress.data_quality.expectations, a JSON array of
-- {name, dataset, passed_records, failed_records} counted by that event; origin.pipeline_name
-- names the pipeline; timestamp is when the event was recorded (UTC).
-- The event log does not say what an expectation does with a row that breaks it, so
-- :expectation_actions maps '<dataset>.<expectation>' to drop, fail or warn, comma-separated
-- ('silver_orders.positive_amount=drop,silver_orders.known_status=warn'), as the stack reads
-- them from the pipeline's SQL: failed rows of a drop expectation are dropped rows; an
-- expectation missing from the map has action 'unknown' and no dropped rows or drop rate.
-- Parameters:
--   :event_log            three-part name of the pipeline's published event log table
--   :expectation_actions  see above
--   :window_hours         e.g. 1 (the alert) or 168 (the dashboard)
WITH checks AS (
  SELECT
    origin.pipeline_name AS pipeline_name,
    timestamp AS event_time,
    explode(from_json(details:flow_progress.data_quality.expectations, 'array<struct<name: STRING, dataset: STRING, passed_records: BIGINT, failed_records: BIGINT>>')) AS e
  FROM IDENTIFIER(:event_log)
  WHERE event_type = 'flow_progress'
    AND details:flow_progress.data_quality.expectations IS NOT NULL
    AND timestamp >= current_timestamp() - make_interval(0, 0, 0, 0, :window_hours)
),
results AS (
  SELECT
    pipeline_name,
    -- the dataset as the pipeline's SQL names it, whether the event log qualifies it or not
    element_at(split(replace(e.dataset, '`', ''), '[.]'), -1) AS dataset,
    e.name AS expectation,
    e.passed_records AS passed,
    e.failed_records AS failed,
    event_time
  FROM checks
),
classified AS (
  SELECT
    *,
    coalesce(try_element_at(str_to_map(:expectation_actions, ',', '='), concat(dataset, '.', expectation)), 'unknown') AS action
  FROM results
)
SELECT
  'pipeline' AS origin,
  pipeline_name AS source,
  dataset,
  expectation,
  action,
  sum(passed) AS passed_rows,
  sum(failed) AS failed_rows,
  sum(CASE action WHEN 'drop' THEN failed WHEN 'unknown' THEN NULL ELSE 0 END) AS dropped_rows,
  try_divide(sum(CASE action WHEN 'drop' THEN failed WHEN 'unknown' THEN NULL ELSE 0 END), sum(passed + failed)) AS drop_rate,
  max(event_time) AS last_checked_at
FROM classified
GROUP BY pipeline_name, dataset, expectation, action;

-- Starts an incremental run of :pipeline: its window runs from the current watermark (the
-- window_high of the last successful run, exclusive) to now or :window_high (inclusive). A second RUNNING run of the
-- same pipeline is refused; a RUNNING run older than :stale_after_minutes is taken as
-- abandoned (its job died before finalizing) and marked FAILED first. Retrying this task
-- in the same job run reuses the run's window.
-- Parameters:
--   :ops             the ops schema, as catalog.schema
--   :pipeline             incremental pipeline name
--   :run_id               this run (the job run id)
--   :window_high          explicit upper bound (timestamp), or '' for now
--   :source_version       Delta version of the source read by this run, or '' if unknown
--   :stale_after_minutes  how long a RUNNING run may last before it counts as abandoned
UPDATE IDENTIFIER(:ops || '.watermarks')
SET status = 'FAILED',
    finished_at = current_timestamp(),
    error_message = concat('abandoned: still RUNNING after ', :stale_after_minutes, ' minutes')
WHERE pipeline = :pipeline
  AND status = 'RUNNING'
  AND run_id <> :run_id
  AND started_at < current_timestamp() - CAST(:stale_after_minutes AS INT) * INTERVAL '1' MINUTE;

SELECT raise_error(concat('pipeline ', :pipeline, ' already has a RUNNING run ', run_id, ' (started ', CAST(started_at AS STRING), '); finalize it before starting another'))
FROM IDENTIFIER(:ops || '.watermarks')
WHERE pipeline = :pipeline AND status = 'RUNNING' AND run_id <> :run_id;

SELECT raise_error(concat('window_high ', :window_high, ' is not after the current watermark ', CAST(window_high AS STRING)))
FROM IDENTIFIER(:ops || '.watermarks')
WHERE pipeline = :pipeline
  AND status = 'SUCCESS'
  AND superseded_at IS NULL
  AND :window_high <> ''
  AND window_high >= CAST(NULLIF(:window_high, '') AS TIMESTAMP);

INSERT INTO IDENTIFIER(:ops || '.watermarks')
  (pipeline, run_id, status, window_low, window_high, source_version_low, source_version_high, started_at)
SELECT
  :pipeline,
  :run_id,
  'RUNNING',
  last_success.window_high,
  coalesce(CAST(NULLIF(:window_high, '') AS TIMESTAMP), CAST(current_timestamp() AS TIMESTAMP)),
  last_success.source_version_high,
  CAST(NULLIF(:source_version, '') AS BIGINT),
  current_timestamp()
FROM (SELECT 1 AS one) AS anchor
LEFT JOIN (
  -- the current watermark: the successful run no later one superseded (two only if a
  -- finalize was interrupted between its statements; the later one wins)
  SELECT max(window_high) AS window_high, max_by(source_version_high, window_high) AS source_version_high
  FROM IDENTIFIER(:ops || '.watermarks')
  WHERE pipeline = :pipeline AND status = 'SUCCESS' AND superseded_at IS NULL
) AS last_success ON true
WHERE NOT EXISTS (
  SELECT 1 FROM IDENTIFIER(:ops || '.watermarks') WHERE pipeline = :pipeline AND run_id = :run_id
);

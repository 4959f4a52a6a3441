-- Finalizes a run of :pipeline as SUCCESS, FAILED or SKIPPED. Only a SUCCESS row advances
-- the watermark: it becomes the current one, and the successes before it are marked
-- superseded, so reading the watermark touches one row however long the history grows.
-- Idempotent: only a RUNNING run changes status, and superseding is repeatable, so a
-- retried finalize, or a finalize-as-FAILED after a success, changes nothing.
-- Finalizing as FAILED records the failure and then fails the task: a job whose only
-- leaf is this task would otherwise end "Succeeded with failures" (SUCCESS_WITH_FAILURES),
-- which on-failure notifications and the failure alert do not count as a failure.
-- https://docs.databricks.com/aws/en/jobs/run-if (a run succeeds when all its leaf tasks do)
-- Parameters:
--   :ops             the ops schema, as catalog.schema
--   :pipeline       incremental pipeline name
--   :run_id         the run to finalize
--   :status         SUCCESS, FAILED or SKIPPED
--   :error_message  why it failed or was skipped ('' for none)
SELECT raise_error(concat('status must be SUCCESS, FAILED or SKIPPED, got ', :status))
WHERE :status NOT IN ('SUCCESS', 'FAILED', 'SKIPPED');

UPDATE IDENTIFIER(:ops || '.watermarks')
SET status = :status,
    finished_at = current_timestamp(),
    error_message = NULLIF(:error_message, '')
WHERE pipeline = :pipeline AND run_id = :run_id AND status = 'RUNNING';

UPDATE IDENTIFIER(:ops || '.watermarks') AS older
SET superseded_at = current_timestamp()
WHERE pipeline = :pipeline
  AND status = 'SUCCESS'
  AND superseded_at IS NULL
  AND run_id <> :run_id
  AND EXISTS (
    SELECT 1 FROM IDENTIFIER(:ops || '.watermarks') AS newer
    WHERE newer.pipeline = :pipeline AND newer.run_id = :run_id AND newer.status = 'SUCCESS' AND newer.window_high > older.window_high
  );

SELECT raise_error(concat('run ', :run_id, ' of ', :pipeline, ' failed and is recorded as FAILED: ', coalesce(nullif(:error_message, ''), 'no message')))
WHERE :status = 'FAILED';

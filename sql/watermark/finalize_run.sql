-- Finalizes a run of :pipeline as SUCCESS, FAILED or SKIPPED. Only a SUCCESS row advances
-- the watermark (start_run reads the latest SUCCESS). Idempotent: only a RUNNING run
-- changes, so a retried finalize, or a finalize-as-FAILED after a success, does nothing.
-- Parameters:
--   :catalog        the environment's catalog
--   :pipeline       incremental pipeline name
--   :run_id         the run to finalize
--   :status         SUCCESS, FAILED or SKIPPED
--   :error_message  why it failed or was skipped ('' for none)
SELECT raise_error(concat('status must be SUCCESS, FAILED or SKIPPED, got ', :status))
WHERE :status NOT IN ('SUCCESS', 'FAILED', 'SKIPPED');

UPDATE IDENTIFIER(:catalog || '.ops.watermarks')
SET status = :status,
    finished_at = current_timestamp(),
    error_message = NULLIF(:error_message, '')
WHERE pipeline = :pipeline AND run_id = :run_id AND status = 'RUNNING';

-- Alert query: failed runs of this environment's jobs in the last hour. The alert
-- declared by the stack fires when failed_runs > 0.
-- Parameters:
--   :name_prefix  job names of the environment, e.g. '[<env>] '
WITH runs AS (
  SELECT workspace_id, job_id, run_id, max_by(result_state, period_end_time) AS result_state, max(period_end_time) AS ended_at
  FROM system.lakeflow.job_run_timeline
  WHERE period_end_time >= current_timestamp() - INTERVAL 1 HOUR
  GROUP BY workspace_id, job_id, run_id
),
latest_job_names AS (
  SELECT workspace_id, job_id, name
  FROM system.lakeflow.jobs
  QUALIFY row_number() OVER (PARTITION BY workspace_id, job_id ORDER BY change_time DESC) = 1
)
SELECT
  count(*) AS failed_runs,
  array_join(array_sort(collect_set(j.name)), ', ') AS failed_jobs
FROM runs AS r
JOIN latest_job_names AS j
  ON j.workspace_id = r.workspace_id AND j.job_id = r.job_id
WHERE r.result_state IN ('FAILED', 'ERROR', 'TIMED_OUT')
  AND startswith(j.name, :name_prefix);

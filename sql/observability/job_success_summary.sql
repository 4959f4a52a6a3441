-- One row: runs of this environment's jobs over the last :lookback_days days, how many
-- succeeded and failed, the success rate of the finished ones and their p95 duration.
-- A run's duration spans all its hourly slices in job_run_timeline; its outcome is the
-- result_state of its last slice (none while it runs).
-- Parameters:
--   :lookback_days  e.g. 30
--   :name_prefix    job names of the environment, e.g. '[<env>] '
WITH runs AS (
  SELECT
    workspace_id,
    job_id,
    run_id,
    min(period_start_time) AS started_at,
    max(period_end_time) AS ended_at,
    max_by(result_state, period_end_time) AS result_state
  FROM system.lakeflow.job_run_timeline
  WHERE period_start_time >= current_timestamp() - make_interval(0, 0, 0, :lookback_days)
  GROUP BY workspace_id, job_id, run_id
),
latest_job_names AS (
  SELECT workspace_id, job_id, name
  FROM system.lakeflow.jobs
  QUALIFY row_number() OVER (PARTITION BY workspace_id, job_id ORDER BY change_time DESC) = 1
)
SELECT
  count(*) AS runs,
  count_if(r.result_state = 'SUCCEEDED') AS succeeded,
  count_if(r.result_state IN ('FAILED', 'ERROR', 'TIMED_OUT')) AS failed,
  round(100 * count_if(r.result_state = 'SUCCEEDED') / nullif(count_if(r.result_state IS NOT NULL), 0), 1) AS success_rate_pct,
  round(percentile_cont(0.95) WITHIN GROUP (ORDER BY timestampdiff(SECOND, r.started_at, r.ended_at)) FILTER (WHERE r.result_state IS NOT NULL), 0) AS p95_duration_seconds
FROM runs AS r
JOIN latest_job_names AS j
  ON j.workspace_id = r.workspace_id AND j.job_id = r.job_id
WHERE startswith(j.name, :name_prefix);

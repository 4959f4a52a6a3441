-- Job runs of this environment per day and outcome over the last :lookback_days days.
-- job_run_timeline splits long runs into hourly slices: a run counts once, on the day it
-- started, with the result_state of its last slice ('RUNNING' while it has none yet).
-- Parameters:
--   :lookback_days  e.g. 30
--   :name_prefix    job names of the environment, e.g. '[<env>] '
WITH runs AS (
  SELECT
    workspace_id,
    job_id,
    run_id,
    min(period_start_time) AS started_at,
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
  to_date(r.started_at) AS run_date,
  coalesce(r.result_state, 'RUNNING') AS outcome,
  count(*) AS runs
FROM runs AS r
JOIN latest_job_names AS j
  ON j.workspace_id = r.workspace_id AND j.job_id = r.job_id
WHERE startswith(j.name, :name_prefix)
GROUP BY to_date(r.started_at), coalesce(r.result_state, 'RUNNING')
ORDER BY run_date, outcome;

-- Data quality per expectation of the job-ingested sources over the last :window_hours hours,
-- from ops.expectation_results (model/ops-tables.ts EXPECTATION_RESULTS_TABLE), which each
-- merge writes per run: rows that passed and failed each expectation, and its action. Failed
-- rows of a drop expectation went to the quarantine: they are the dropped rows. The dataset is
-- the source's current table, named after the source.
-- The rows have the columns of pipeline_expectations.sql, in the same order.
-- Parameters:
--   :ops           the ops schema, <catalog>.<schema>
--   :window_hours  e.g. 1 (the alert) or 168 (the dashboard)
SELECT
  'job' AS origin,
  source,
  source AS dataset,
  expectation,
  action,
  sum(passed) AS passed_rows,
  sum(failed) AS failed_rows,
  sum(CASE WHEN action = 'drop' THEN failed ELSE 0 END) AS dropped_rows,
  try_divide(sum(CASE WHEN action = 'drop' THEN failed ELSE 0 END), sum(passed + failed)) AS drop_rate,
  max(checked_at) AS last_checked_at
FROM IDENTIFIER(:ops || '.expectation_results')
WHERE checked_at >= current_timestamp() - make_interval(0, 0, 0, 0, :window_hours)
GROUP BY source, expectation, action;

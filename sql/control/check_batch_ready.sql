-- Gate of a downstream load: is there a batch every required upstream has completed?
-- With :batch_id set, the question is about that batch; with :batch_id = '', about any
-- batch an upstream completed that :loader has not loaded yet, whatever the date now (a
-- batch whose upstreams finish after midnight is still found). Fails the task (and so its
-- dependants) naming what is missing, or, with :if_not_ready = 'skip', returns readiness
-- SKIPPED; the loader computes the ready batches again itself, so a skipped gate loads nothing.
-- Parameters:
--   :ops               the ops schema, as catalog.schema
--   :batch_id          the batch to check, or '' for every batch not loaded yet
--   :required_sources  comma-separated upstream names, e.g. 'customers,orders'
--   :loader            name of the downstream load, as ops.batch_loads records it
--   :if_not_ready      'fail' or 'skip'
SELECT raise_error(concat('if_not_ready must be fail or skip, got ', :if_not_ready))
WHERE :if_not_ready NOT IN ('fail', 'skip');

WITH required AS (
  SELECT DISTINCT trim(source) AS source
  FROM (SELECT explode(split(:required_sources, ',')) AS source)
  WHERE trim(source) <> ''
),
candidates AS (
  SELECT :batch_id AS batch_id WHERE :batch_id <> ''
  UNION
  SELECT DISTINCT c.batch_id
  FROM IDENTIFIER(:ops || '.batch_control') AS c
  WHERE :batch_id = ''
    AND NOT EXISTS (
      SELECT 1 FROM IDENTIFIER(:ops || '.batch_loads') AS l
      WHERE l.loader = :loader AND l.batch_id = c.batch_id
    )
),
status AS (
  SELECT
    b.batch_id,
    array_join(array_sort(collect_list(r.source) FILTER (WHERE ctl.source IS NULL)), ', ') AS missing_sources,
    count(*) FILTER (WHERE ctl.source IS NULL) AS missing_count
  FROM candidates AS b
  CROSS JOIN required AS r
  LEFT JOIN IDENTIFIER(:ops || '.batch_control') AS ctl
    ON ctl.batch_id = b.batch_id AND ctl.source = r.source
  GROUP BY b.batch_id
)
SELECT
  nullif(:batch_id, '') AS batch_id,
  (SELECT count(*) FROM required) AS required_count,
  array_join(array_sort(collect_list(batch_id) FILTER (WHERE missing_count = 0)), ', ') AS ready_batches,
  array_join(array_sort(collect_list(CASE WHEN :batch_id = '' THEN concat(batch_id, ': ', missing_sources) ELSE missing_sources END) FILTER (WHERE missing_count > 0)), '; ') AS missing_sources,
  CASE
    WHEN (SELECT count(*) FROM required) = 0 THEN raise_error('required_sources names no upstream')
    WHEN count(*) FILTER (WHERE missing_count = 0) > 0 THEN 'READY'
    WHEN :if_not_ready = 'skip' THEN 'SKIPPED'
    WHEN :batch_id <> '' THEN raise_error(concat('batch ', :batch_id, ' is not ready: missing upstreams ', array_join(array_sort(collect_list(missing_sources)), ', ')))
    ELSE raise_error(concat('no batch is ready for ', :loader, ': ', coalesce(nullif(array_join(array_sort(collect_list(concat(batch_id, ' misses ', missing_sources))), '; '), ''), 'no upstream completed a batch it has not loaded')))
  END AS readiness
FROM status;

-- Gate of a downstream load: is the batch complete in every required upstream?
-- Fails the task (and so its dependants) with a message naming the missing upstreams, or,
-- with :if_not_ready = 'skip', returns readiness SKIPPED; the downstream loader checks
-- readiness again itself, so a skipped batch loads nothing.
-- Parameters:
--   :catalog           the environment's catalog
--   :batch_id          the batch to check
--   :required_sources  comma-separated upstream names, e.g. 'customers,orders'
--   :if_not_ready      'fail' or 'skip'
SELECT raise_error(concat('if_not_ready must be fail or skip, got ', :if_not_ready))
WHERE :if_not_ready NOT IN ('fail', 'skip');

WITH required AS (
  SELECT DISTINCT trim(source) AS source
  FROM (SELECT explode(split(:required_sources, ',')) AS source)
  WHERE trim(source) <> ''
),
missing AS (
  SELECT r.source
  FROM required AS r
  WHERE NOT EXISTS (
    SELECT 1 FROM IDENTIFIER(:catalog || '.ops.batch_control') AS c
    WHERE c.batch_id = :batch_id AND c.source = r.source
  )
)
SELECT
  :batch_id AS batch_id,
  (SELECT count(*) FROM required) AS required_count,
  array_join(array_sort(collect_list(source)), ', ') AS missing_sources,
  CASE
    WHEN (SELECT count(*) FROM required) = 0 THEN raise_error('required_sources names no upstream')
    WHEN count(*) = 0 THEN 'READY'
    WHEN :if_not_ready = 'skip' THEN 'SKIPPED'
    ELSE raise_error(concat('batch ', :batch_id, ' is not ready: missing upstreams ', array_join(array_sort(collect_list(source)), ', ')))
  END AS readiness
FROM missing;

-- Impact analysis: every table downstream of :table_name, however many hops away,
-- from Unity Catalog lineage. Answer it before changing or dropping a table.
-- Parameters:
--   :table_name     three-part name of the table being changed, e.g. <catalog>.silver.orders
--   :lookback_days  how far back lineage events count (lineage of jobs not run since is ignored)
WITH RECURSIVE downstream (table_full_name, depth, path) AS (
  SELECT DISTINCT
    l.target_table_full_name,
    1,
    concat(l.source_table_full_name, ' -> ', l.target_table_full_name)
  FROM system.access.table_lineage AS l
  WHERE l.source_table_full_name = :table_name
    AND l.target_table_full_name IS NOT NULL
    AND l.event_time >= current_timestamp() - make_interval(0, 0, 0, :lookback_days)
  UNION ALL
  SELECT DISTINCT
    l.target_table_full_name,
    d.depth + 1,
    concat(d.path, ' -> ', l.target_table_full_name)
  FROM downstream AS d
  JOIN system.access.table_lineage AS l
    ON l.source_table_full_name = d.table_full_name
  WHERE l.target_table_full_name IS NOT NULL
    AND l.event_time >= current_timestamp() - make_interval(0, 0, 0, :lookback_days)
    AND d.depth < 20
    -- a cycle in lineage (a table feeding itself through others) must not recurse forever
    AND NOT array_contains(split(d.path, ' -> '), l.target_table_full_name)
)
SELECT
  table_full_name,
  min(depth) AS hops,
  min_by(path, depth) AS shortest_path
FROM downstream
GROUP BY table_full_name
ORDER BY hops, table_full_name;

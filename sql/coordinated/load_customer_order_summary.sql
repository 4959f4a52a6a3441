-- Downstream of the coordinated load: joins the customers (upstream 1) and orders
-- (upstream 2) of every ready batch into gold.batch_customer_orders. A batch is ready when
-- every required upstream has completed it in the control table; with :batch_id = '' the
-- load takes every ready batch it has not loaded yet (whatever the date now, so a batch
-- completed late is still loaded, once), with :batch_id set that batch only if it is ready.
-- It records what it loaded in ops.batch_loads. Re-running replaces the batches: nothing
-- is duplicated, and each statement converges on retry.
-- The ready batches are computed once, into a session variable: Delta refuses a subquery
-- in a MERGE condition (DELTA_UNSUPPORTED_SUBQUERY), a variable is a constant.
-- Parameters:
--   :silver, :gold, :ops  the schemas, as catalog.schema
--   :batch_id          the batch, or '' for every ready batch not loaded yet
--   :required_sources  comma-separated upstream names that must have completed a batch
--   :loader            name of this load in ops.batch_loads
--   :run_id            the job run
CREATE TABLE IF NOT EXISTS IDENTIFIER(:gold || '.batch_customer_orders') (
  batch_id STRING NOT NULL,
  customer_id STRING NOT NULL,
  name STRING,
  country STRING,
  orders BIGINT NOT NULL,
  revenue DECIMAL(18,2) NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)
USING DELTA
CLUSTER BY (batch_id);

SELECT raise_error('required_sources names no upstream')
WHERE NOT EXISTS (SELECT 1 FROM (SELECT explode(split(:required_sources, ',')) AS source) WHERE trim(source) <> '');

DECLARE OR REPLACE VARIABLE ready_batches ARRAY<STRING> DEFAULT array();

SET VAR ready_batches = (
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
  completions AS (
    SELECT b.batch_id, count(ctl.source) AS completed
    FROM candidates AS b
    CROSS JOIN required AS r
    LEFT JOIN IDENTIFIER(:ops || '.batch_control') AS ctl
      ON ctl.batch_id = b.batch_id AND ctl.source = r.source
    GROUP BY b.batch_id
  )
  SELECT coalesce(collect_list(batch_id) FILTER (WHERE completed = (SELECT count(*) FROM required)), array())
  FROM completions
);

MERGE INTO IDENTIFIER(:gold || '.batch_customer_orders') AS t
USING (
  SELECT c.batch_id, c.customer_id, c.name, c.country, count(o.order_id) AS orders, coalesce(sum(o.amount), 0) AS revenue
  FROM IDENTIFIER(:silver || '.batch_customers') AS c
  LEFT JOIN IDENTIFIER(:silver || '.batch_orders') AS o
    ON o.batch_id = c.batch_id AND o.customer_id = c.customer_id
  WHERE array_contains(session.ready_batches, c.batch_id)
  GROUP BY c.batch_id, c.customer_id, c.name, c.country
) AS s
ON t.batch_id = s.batch_id AND t.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET name = s.name, country = s.country, orders = s.orders, revenue = s.revenue, loaded_at = current_timestamp()
WHEN NOT MATCHED THEN INSERT (batch_id, customer_id, name, country, orders, revenue, loaded_at)
  VALUES (s.batch_id, s.customer_id, s.name, s.country, s.orders, s.revenue, current_timestamp())
-- rows of a ready batch that the join no longer yields go; a batch that is not ready is
-- not in the variable, so nothing an earlier load wrote is wiped
WHEN NOT MATCHED BY SOURCE AND array_contains(session.ready_batches, t.batch_id) THEN DELETE;

MERGE INTO IDENTIFIER(:ops || '.batch_loads') AS t
USING (SELECT explode(session.ready_batches) AS batch_id) AS s
ON t.loader = :loader AND t.batch_id = s.batch_id
WHEN MATCHED THEN UPDATE SET loaded_at = current_timestamp(), run_id = :run_id
WHEN NOT MATCHED THEN INSERT (batch_id, loader, loaded_at, run_id)
  VALUES (s.batch_id, :loader, current_timestamp(), :run_id);

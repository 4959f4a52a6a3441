-- Downstream of the coordinated load: joins the batch's customers (upstream 1) and orders
-- (upstream 2) into gold.batch_customer_orders. It loads only a batch that every required
-- upstream has completed in the control table, so it is safe behind a skipping gate and
-- on its own. Re-running replaces the batch: one MERGE, nothing duplicated.
-- Parameters:
--   :catalog           the environment's catalog
--   :batch_id          the batch
--   :required_sources  comma-separated upstream names that must have completed the batch
CREATE TABLE IF NOT EXISTS IDENTIFIER(:catalog || '.gold.batch_customer_orders') (
  batch_id STRING NOT NULL,
  customer_id STRING NOT NULL,
  name STRING,
  country STRING,
  orders BIGINT NOT NULL,
  revenue DECIMAL(18, 2) NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)
USING DELTA
CLUSTER BY (batch_id);

MERGE INTO IDENTIFIER(:catalog || '.gold.batch_customer_orders') AS t
USING (
  SELECT c.batch_id, c.customer_id, c.name, c.country, count(o.order_id) AS orders, coalesce(sum(o.amount), 0) AS revenue
  FROM IDENTIFIER(:catalog || '.silver.batch_customers') AS c
  LEFT JOIN IDENTIFIER(:catalog || '.silver.batch_orders') AS o
    ON o.batch_id = c.batch_id AND o.customer_id = c.customer_id
  WHERE c.batch_id = :batch_id
    AND NOT EXISTS (
      SELECT 1
      FROM (SELECT DISTINCT trim(source) AS source FROM (SELECT explode(split(:required_sources, ',')) AS source)) AS r
      WHERE r.source <> ''
        AND NOT EXISTS (
          SELECT 1 FROM IDENTIFIER(:catalog || '.ops.batch_control') AS ctl
          WHERE ctl.batch_id = :batch_id AND ctl.source = r.source
        )
    )
  GROUP BY c.batch_id, c.customer_id, c.name, c.country
) AS s
ON t.batch_id = s.batch_id AND t.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET name = s.name, country = s.country, orders = s.orders, revenue = s.revenue, loaded_at = current_timestamp()
WHEN NOT MATCHED THEN INSERT (batch_id, customer_id, name, country, orders, revenue, loaded_at)
  VALUES (s.batch_id, s.customer_id, s.name, s.country, s.orders, s.revenue, current_timestamp())
-- rows of the batch that the join no longer yields go, but only once the batch is ready:
-- an unready batch yields no rows at all, and must not wipe what an earlier load wrote
WHEN NOT MATCHED BY SOURCE AND t.batch_id = :batch_id
  AND NOT EXISTS (
    SELECT 1
    FROM (SELECT DISTINCT trim(source) AS source FROM (SELECT explode(split(:required_sources, ',')) AS source)) AS r
    WHERE r.source <> ''
      AND NOT EXISTS (
        SELECT 1 FROM IDENTIFIER(:catalog || '.ops.batch_control') AS ctl
        WHERE ctl.batch_id = :batch_id AND ctl.source = r.source
      )
  ) THEN DELETE;

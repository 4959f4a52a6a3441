-- Analytics DAG, gold: per customer, orders, revenue, average order value, first and last
-- order and lifespan in days. Rebuilt whole each run, so a re-run gives the same table.
-- Parameters:
--   :gold            the gold schema, as catalog.schema
--   :silver          the silver schema, as catalog.schema
CREATE OR REPLACE TABLE IDENTIFIER(:gold || '.customer_metrics') AS
SELECT
  c.customer_id,
  c.name,
  c.country,
  count(o.tracking_num) AS orders,
  coalesce(sum(o.amount), 0) AS revenue,
  CAST(avg(o.amount) AS DECIMAL(12,2)) AS average_order_value,
  min(o.event_time) AS first_order_at,
  max(o.event_time) AS last_order_at,
  datediff(CAST(max(o.event_time) AS DATE), CAST(min(o.event_time) AS DATE)) AS lifespan_days
FROM IDENTIFIER(:silver || '.customers') AS c
LEFT JOIN IDENTIFIER(:silver || '.orders') AS o
  ON o.customer_id = c.customer_id AND o.status <> 'CANCELLED'
GROUP BY c.customer_id, c.name, c.country;

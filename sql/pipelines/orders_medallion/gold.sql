-- Orders medallion, gold: business views over the latest state of each order.
CREATE OR REFRESH MATERIALIZED VIEW gold_orders_current
COMMENT 'The latest event of each order.'
AS SELECT *
FROM silver_orders
QUALIFY row_number() OVER (PARTITION BY tracking_num ORDER BY event_time DESC, source_file DESC) = 1;

CREATE OR REFRESH MATERIALIZED VIEW gold_customer_metrics
COMMENT 'Per current customer: orders, revenue, average order value, first and last order, lifespan.'
AS SELECT
  c.customer_id,
  c.name,
  c.country,
  count(o.tracking_num) AS orders,
  coalesce(sum(o.amount), 0) AS revenue,
  CAST(avg(o.amount) AS DECIMAL(12,2)) AS average_order_value,
  min(o.event_time) AS first_order_at,
  max(o.event_time) AS last_order_at,
  datediff(CAST(max(o.event_time) AS DATE), CAST(min(o.event_time) AS DATE)) AS lifespan_days
FROM silver_customers AS c
LEFT JOIN gold_orders_current AS o
  ON o.customer_id = c.customer_id AND o.status <> 'CANCELLED'
WHERE c.__END_AT IS NULL
GROUP BY c.customer_id, c.name, c.country;

CREATE OR REFRESH MATERIALIZED VIEW gold_revenue_analysis
COMMENT 'Revenue per order date and status.'
AS SELECT CAST(event_time AS DATE) AS order_date, status, count(*) AS orders, sum(amount) AS revenue
FROM gold_orders_current
GROUP BY CAST(event_time AS DATE), status;

CREATE OR REFRESH MATERIALIZED VIEW gold_product_performance
COMMENT 'Per product: orders, units and revenue of orders not cancelled.'
AS SELECT
  p.product_id,
  p.name,
  p.category,
  count(o.tracking_num) AS orders,
  coalesce(sum(o.quantity), 0) AS units,
  coalesce(sum(o.amount), 0) AS revenue
FROM silver_products AS p
LEFT JOIN gold_orders_current AS o
  ON o.product_id = p.product_id AND o.status <> 'CANCELLED'
GROUP BY p.product_id, p.name, p.category;

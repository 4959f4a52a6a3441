-- Analytics DAG, report: one row per order date with orders, revenue (cancelled orders
-- excluded), and how many known customers have ordered by then. Rebuilt whole each run.
-- Parameters:
--   :gold            the gold schema, as catalog.schema
CREATE OR REPLACE TABLE IDENTIFIER(:gold || '.daily_report') AS
SELECT
  r.order_date,
  sum(r.orders) FILTER (WHERE r.status <> 'CANCELLED') AS orders,
  coalesce(sum(r.revenue) FILTER (WHERE r.status <> 'CANCELLED'), 0) AS revenue,
  sum(r.orders) FILTER (WHERE r.status = 'CANCELLED') AS cancelled_orders,
  (
    SELECT count(*) FROM IDENTIFIER(:gold || '.customer_metrics') AS m
    WHERE CAST(m.first_order_at AS DATE) <= r.order_date
  ) AS customers_to_date
FROM IDENTIFIER(:gold || '.revenue_by_day') AS r
GROUP BY r.order_date;

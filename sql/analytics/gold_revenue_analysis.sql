-- Analytics DAG, gold: revenue per day and order status. Rebuilt whole each run.
-- Parameters:
--   :catalog  the environment's catalog
CREATE OR REPLACE TABLE IDENTIFIER(:catalog || '.gold.revenue_by_day') AS
SELECT
  CAST(event_time AS DATE) AS order_date,
  status,
  count(*) AS orders,
  sum(amount) AS revenue
FROM IDENTIFIER(:catalog || '.silver.orders')
GROUP BY CAST(event_time AS DATE), status;

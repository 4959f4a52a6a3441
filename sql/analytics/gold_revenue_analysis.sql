-- Analytics DAG, gold: revenue per day and order status. Rebuilt whole each run.
-- Parameters:
--   :gold            the gold schema, as catalog.schema
--   :silver          the silver schema, as catalog.schema
CREATE OR REPLACE TABLE IDENTIFIER(:gold || '.revenue_by_day') AS
SELECT
  CAST(event_time AS DATE) AS order_date,
  status,
  count(*) AS orders,
  sum(amount) AS revenue
FROM IDENTIFIER(:silver || '.orders')
GROUP BY CAST(event_time AS DATE), status;

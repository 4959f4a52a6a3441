-- Extracts the orders changed inside the run's window into gold.orders_extract: rows of
-- silver.orders with window_low < updated_at <= window_high. Windows never overlap and
-- leave no gap, so every change is extracted once. Idempotent: a retry merges the same rows.
-- On Databricks the same window can read the Change Data Feed instead, by timestamp or
-- by the versions the watermark row stores:
--   table_changes(<source>, source_version_low + 1, source_version_high)
-- Parameters:
--   :gold            the gold schema, as catalog.schema
--   :ops             the ops schema, as catalog.schema
--   :silver          the silver schema, as catalog.schema
--   :pipeline  incremental pipeline name
--   :run_id    the RUNNING run whose window is extracted
CREATE TABLE IF NOT EXISTS IDENTIFIER(:gold || '.orders_extract') (
  tracking_num STRING NOT NULL,
  order_id STRING,
  customer_id STRING,
  status STRING,
  amount DECIMAL(12,2),
  event_time TIMESTAMP,
  source_updated_at TIMESTAMP NOT NULL,
  extract_run_id STRING NOT NULL
)
USING DELTA
CLUSTER BY (tracking_num);

MERGE INTO IDENTIFIER(:gold || '.orders_extract') AS t
USING (
  SELECT o.tracking_num, o.order_id, o.customer_id, o.status, o.amount, o.event_time, o.updated_at, w.run_id
  FROM IDENTIFIER(:silver || '.orders') AS o
  JOIN IDENTIFIER(:ops || '.watermarks') AS w
    ON w.pipeline = :pipeline AND w.run_id = :run_id AND w.status = 'RUNNING'
  WHERE (w.window_low IS NULL OR o.updated_at > w.window_low)
    AND o.updated_at <= w.window_high
  QUALIFY row_number() OVER (PARTITION BY o.tracking_num ORDER BY o.updated_at DESC) = 1
) AS s
ON t.tracking_num = s.tracking_num
WHEN MATCHED AND s.updated_at >= t.source_updated_at THEN UPDATE SET
  order_id = s.order_id,
  customer_id = s.customer_id,
  status = s.status,
  amount = s.amount,
  event_time = s.event_time,
  source_updated_at = s.updated_at,
  extract_run_id = s.run_id
WHEN NOT MATCHED THEN INSERT (tracking_num, order_id, customer_id, status, amount, event_time, source_updated_at, extract_run_id)
  VALUES (s.tracking_num, s.order_id, s.customer_id, s.status, s.amount, s.event_time, s.updated_at, s.run_id);

UPDATE IDENTIFIER(:ops || '.watermarks')
SET rows_extracted = (SELECT count(*) FROM IDENTIFIER(:gold || '.orders_extract') WHERE extract_run_id = :run_id)
WHERE pipeline = :pipeline AND run_id = :run_id AND status = 'RUNNING';

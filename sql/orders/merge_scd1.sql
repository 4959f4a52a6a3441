-- Orders SCD1 upsert into silver.orders, keyed on tracking_num. Staged rows are reduced to
-- one per key: the latest event_time wins, ties broken by source file then row content, so
-- the outcome never depends on arrival order. An existing key is updated only by strictly
-- newer data: an out-of-order older row never overwrites a newer one, and a replay changes
-- nothing. Rows without a key or event time stay in staging, not lost, and are not merged.
-- Parameters:
--   :catalog  the environment's catalog
CREATE TABLE IF NOT EXISTS IDENTIFIER(:catalog || '.silver.orders') (
  tracking_num STRING NOT NULL,
  order_id STRING,
  customer_id STRING,
  product_id STRING,
  status STRING,
  quantity INT,
  amount DECIMAL(12,2),
  event_time TIMESTAMP NOT NULL,
  source_file STRING NOT NULL,
  row_hash STRING NOT NULL,
  updated_at TIMESTAMP NOT NULL
)
USING DELTA
CLUSTER BY (tracking_num);

MERGE INTO IDENTIFIER(:catalog || '.silver.orders') AS t
USING (
  SELECT *
  FROM IDENTIFIER(:catalog || '.bronze.orders_staging')
  WHERE tracking_num IS NOT NULL AND event_time IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY tracking_num ORDER BY event_time DESC, source_file DESC, row_hash DESC) = 1
) AS s
ON t.tracking_num = s.tracking_num
WHEN MATCHED AND (
  s.event_time > t.event_time
  OR (s.event_time = t.event_time AND (s.source_file > t.source_file OR (s.source_file = t.source_file AND s.row_hash > t.row_hash)))
) THEN UPDATE SET
  order_id = s.order_id,
  customer_id = s.customer_id,
  product_id = s.product_id,
  status = s.status,
  quantity = s.quantity,
  amount = s.amount,
  event_time = s.event_time,
  source_file = s.source_file,
  row_hash = s.row_hash,
  updated_at = current_timestamp()
WHEN NOT MATCHED THEN INSERT (tracking_num, order_id, customer_id, product_id, status, quantity, amount, event_time, source_file, row_hash, updated_at)
  VALUES (s.tracking_num, s.order_id, s.customer_id, s.product_id, s.status, s.quantity, s.amount, s.event_time, s.source_file, s.row_hash, current_timestamp());

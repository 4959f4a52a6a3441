-- Upstream 2 of the coordinated load: the orders of one batch, from <batch_path>
-- (e.g. /Volumes/<catalog>/landing/orders/batches/<batch_id>/), into silver.batch_orders.
-- Re-running replaces the batch: one MERGE, nothing duplicated.
-- Parameters:
--   :silver          the silver schema, as catalog.schema
--   :batch_id    the batch
--   :batch_path  folder holding the batch's CSV files
CREATE TABLE IF NOT EXISTS IDENTIFIER(:silver || '.batch_orders') (
  batch_id STRING NOT NULL,
  order_id STRING NOT NULL,
  customer_id STRING,
  amount DECIMAL(12,2),
  loaded_at TIMESTAMP NOT NULL
)
USING DELTA
CLUSTER BY (batch_id);

MERGE INTO IDENTIFIER(:silver || '.batch_orders') AS t
USING (
  SELECT :batch_id AS batch_id, order_id, max_by(customer_id, event_time) AS customer_id, max_by(amount, event_time) AS amount
  FROM read_files(
    :batch_path,
    format => 'csv',
    header => true,
    escape => '"',
    mode => 'FAILFAST',
    pathGlobFilter => '*.csv',
    schema => 'order_id STRING, customer_id STRING, amount DECIMAL(12,2), event_time TIMESTAMP'
  )
  WHERE order_id IS NOT NULL
  GROUP BY order_id
) AS s
ON t.batch_id = s.batch_id AND t.order_id = s.order_id
WHEN MATCHED THEN UPDATE SET customer_id = s.customer_id, amount = s.amount, loaded_at = current_timestamp()
WHEN NOT MATCHED THEN INSERT (batch_id, order_id, customer_id, amount, loaded_at)
  VALUES (s.batch_id, s.order_id, s.customer_id, s.amount, current_timestamp())
WHEN NOT MATCHED BY SOURCE AND t.batch_id = :batch_id THEN DELETE;

-- Orders stage load: every CSV file in the landing folder that is not staged yet goes into
-- bronze.orders_staging, with its source file and ingestion time. A file already staged is
-- never staged again (the COPY INTO guarantee, kept explicit so it holds locally too), so a
-- retry or a second trigger adds nothing. One INSERT: a failure stages nothing.
-- A malformed row fails the load (FAILFAST) naming the file; no file is half-loaded.
-- Parameters:
--   :catalog       the environment's catalog
--   :landing_path  folder that receives the files, e.g. /Volumes/<catalog>/landing/orders/incoming/
CREATE TABLE IF NOT EXISTS IDENTIFIER(:catalog || '.bronze.orders_staging') (
  tracking_num STRING,
  order_id STRING,
  customer_id STRING,
  product_id STRING,
  status STRING,
  quantity INT,
  amount DECIMAL(12,2),
  event_time TIMESTAMP,
  source_file STRING NOT NULL,
  row_hash STRING NOT NULL,
  ingested_at TIMESTAMP NOT NULL
)
USING DELTA
CLUSTER BY (source_file);

INSERT INTO IDENTIFIER(:catalog || '.bronze.orders_staging')
SELECT
  f.tracking_num,
  f.order_id,
  f.customer_id,
  f.product_id,
  f.status,
  f.quantity,
  f.amount,
  f.event_time,
  f._metadata.file_path AS source_file,
  -- a total order among rows with equal key and event time, so the merge is deterministic
  md5(concat_ws('|', f.tracking_num, f.order_id, f.customer_id, f.product_id, f.status, CAST(f.quantity AS STRING), CAST(f.amount AS STRING), CAST(f.event_time AS STRING))) AS row_hash,
  current_timestamp() AS ingested_at
FROM read_files(
  :landing_path,
  format => 'csv',
  header => true,
  escape => '"',
  multiLine => true,
  mode => 'FAILFAST',
  pathGlobFilter => '*.csv',
  schema => 'tracking_num STRING, order_id STRING, customer_id STRING, product_id STRING, status STRING, quantity INT, amount DECIMAL(12,2), event_time TIMESTAMP'
) AS f
WHERE f._metadata.file_path NOT IN (
  SELECT DISTINCT source_file FROM IDENTIFIER(:catalog || '.bronze.orders_staging')
);

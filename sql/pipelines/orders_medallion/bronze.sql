-- Orders medallion, bronze: the raw files of the orders, customers and products landing
-- folders, read incrementally (each file once) with their source file and ingestion time.
-- Configuration: orders_path, customers_path, products_path (landing folders, set by the
-- pipeline per environment).
CREATE OR REFRESH STREAMING TABLE bronze_orders
COMMENT 'Raw order events, one row per CSV line, loaded once per file.'
AS SELECT
  tracking_num, order_id, customer_id, product_id, status, quantity, amount, event_time,
  _metadata.file_path AS source_file,
  current_timestamp() AS ingested_at
FROM STREAM read_files(
  '${orders_path}',
  format => 'csv',
  header => true,
  escape => '"',
  pathGlobFilter => '*.csv',
  schema => 'tracking_num STRING, order_id STRING, customer_id STRING, product_id STRING, status STRING, quantity INT, amount DECIMAL(12,2), event_time TIMESTAMP'
);

CREATE OR REFRESH STREAMING TABLE bronze_customers
COMMENT 'Raw customer changes, one row per CSV line, loaded once per file.'
AS SELECT customer_id, name, email, country, updated_at, _metadata.file_path AS source_file
FROM STREAM read_files(
  '${customers_path}',
  format => 'csv',
  header => true,
  escape => '"',
  pathGlobFilter => '*.csv',
  schema => 'customer_id STRING, name STRING, email STRING, country STRING, updated_at TIMESTAMP'
);

CREATE OR REFRESH STREAMING TABLE bronze_products
COMMENT 'Raw product catalogue changes, loaded once per file.'
AS SELECT product_id, name, category, price, updated_at, _metadata.file_path AS source_file
FROM STREAM read_files(
  '${products_path}',
  format => 'csv',
  header => true,
  escape => '"',
  pathGlobFilter => '*.csv',
  schema => 'product_id STRING, name STRING, category STRING, price DECIMAL(12,2), updated_at TIMESTAMP'
);

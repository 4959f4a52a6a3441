-- Analytics DAG, bronze: stages new customer files from the customers landing folder into
-- bronze.customers_staging. A file already staged is never staged again, so a retry adds
-- nothing. (Orders reach bronze through the orders-ingest job.)
-- Parameters:
--   :bronze          the bronze schema, as catalog.schema
--   :landing_path  folder that receives the customer files
CREATE TABLE IF NOT EXISTS IDENTIFIER(:bronze || '.customers_staging') (
  customer_id STRING,
  name STRING,
  email STRING,
  country STRING,
  updated_at TIMESTAMP,
  source_file STRING NOT NULL,
  ingested_at TIMESTAMP NOT NULL
)
USING DELTA
CLUSTER BY (source_file);

INSERT INTO IDENTIFIER(:bronze || '.customers_staging')
SELECT f.customer_id, f.name, f.email, f.country, f.updated_at, f._metadata.file_path, current_timestamp()
FROM read_files(
  :landing_path,
  format => 'csv',
  header => true,
  multiLine => true,
  escape => '"',
  mode => 'FAILFAST',
  pathGlobFilter => '*.csv',
  schema => 'customer_id STRING, name STRING, email STRING, country STRING, updated_at TIMESTAMP'
) AS f
WHERE f._metadata.file_path NOT IN (
  SELECT DISTINCT source_file FROM IDENTIFIER(:bronze || '.customers_staging')
);

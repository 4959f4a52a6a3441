-- Upstream 1 of the coordinated load: the customers of one batch, from
-- <batch_path> (e.g. /Volumes/<catalog>/landing/customers/batches/<batch_id>/), into
-- silver.batch_customers. Re-running replaces the batch: one MERGE, nothing duplicated.
-- Parameters:
--   :silver          the silver schema, as catalog.schema
--   :batch_id    the batch
--   :batch_path  folder holding the batch's CSV files
CREATE TABLE IF NOT EXISTS IDENTIFIER(:silver || '.batch_customers') (
  batch_id STRING NOT NULL,
  customer_id STRING NOT NULL,
  name STRING,
  country STRING,
  loaded_at TIMESTAMP NOT NULL
)
USING DELTA
CLUSTER BY (batch_id);

MERGE INTO IDENTIFIER(:silver || '.batch_customers') AS t
USING (
  SELECT :batch_id AS batch_id, customer_id, max_by(name, updated_at) AS name, max_by(country, updated_at) AS country
  FROM read_files(
    :batch_path,
    format => 'csv',
    header => true,
    escape => '"',
    mode => 'FAILFAST',
    pathGlobFilter => '*.csv',
    schema => 'customer_id STRING, name STRING, country STRING, updated_at TIMESTAMP'
  )
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
) AS s
ON t.batch_id = s.batch_id AND t.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET name = s.name, country = s.country, loaded_at = current_timestamp()
WHEN NOT MATCHED THEN INSERT (batch_id, customer_id, name, country, loaded_at)
  VALUES (s.batch_id, s.customer_id, s.name, s.country, current_timestamp())
WHEN NOT MATCHED BY SOURCE AND t.batch_id = :batch_id THEN DELETE;

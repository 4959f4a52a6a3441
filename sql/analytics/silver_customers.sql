-- Analytics DAG, silver: SCD1 upsert of customers keyed on customer_id; the latest
-- updated_at wins (ties broken by source file), and an older update never overwrites a
-- newer one.
-- Parameters:
--   :bronze          the bronze schema, as catalog.schema
--   :silver          the silver schema, as catalog.schema
CREATE TABLE IF NOT EXISTS IDENTIFIER(:silver || '.customers') (
  customer_id STRING NOT NULL,
  name STRING,
  email STRING,
  country STRING,
  updated_at TIMESTAMP NOT NULL,
  source_file STRING NOT NULL
)
USING DELTA
CLUSTER BY (customer_id);

MERGE INTO IDENTIFIER(:silver || '.customers') AS t
USING (
  SELECT customer_id, name, email, country, updated_at, source_file
  FROM IDENTIFIER(:bronze || '.customers_staging')
  WHERE customer_id IS NOT NULL AND updated_at IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC, source_file DESC) = 1
) AS s
ON t.customer_id = s.customer_id
WHEN MATCHED AND (s.updated_at > t.updated_at OR (s.updated_at = t.updated_at AND s.source_file > t.source_file)) THEN UPDATE SET
  name = s.name, email = s.email, country = s.country, updated_at = s.updated_at, source_file = s.source_file
WHEN NOT MATCHED THEN INSERT (customer_id, name, email, country, updated_at, source_file)
  VALUES (s.customer_id, s.name, s.email, s.country, s.updated_at, s.source_file);

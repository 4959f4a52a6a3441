-- Orders medallion, silver: typed and cleaned, with expectations of all three kinds.
-- A row failing a DROP ROW expectation is dropped from silver and kept, with the names of
-- the rules it broke, in a quarantine table, so nothing is silently lost. The quarantine
-- predicates mirror the expectations; a test keeps the two in step.
CREATE OR REFRESH STREAMING TABLE silver_orders (
  CONSTRAINT valid_tracking_num EXPECT (tracking_num IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT positive_amount EXPECT (amount > 0) ON VIOLATION DROP ROW,
  CONSTRAINT has_event_time EXPECT (event_time IS NOT NULL) ON VIOLATION FAIL UPDATE,
  CONSTRAINT known_status EXPECT (status IN ('PLACED', 'PACKED', 'SHIPPED', 'DELIVERED', 'CANCELLED'))
)
COMMENT 'Order events, typed and validated.'
AS SELECT
  trim(tracking_num) AS tracking_num,
  order_id,
  customer_id,
  product_id,
  upper(trim(status)) AS status,
  quantity,
  amount,
  event_time,
  source_file
FROM STREAM(bronze_orders);

CREATE OR REFRESH STREAMING TABLE silver_orders_quarantine
COMMENT 'Order events dropped by a silver expectation, with the rules they broke.'
AS SELECT
  *,
  filter(
    array(
      CASE WHEN NOT coalesce(tracking_num IS NOT NULL, false) THEN 'valid_tracking_num' END,
      CASE WHEN NOT coalesce(amount > 0, false) THEN 'positive_amount' END
    ),
    rule -> rule IS NOT NULL
  ) AS broken_rules
FROM STREAM(bronze_orders)
WHERE NOT coalesce(tracking_num IS NOT NULL, false)
   OR NOT coalesce(amount > 0, false);

CREATE OR REFRESH STREAMING TABLE silver_customers_clean (
  CONSTRAINT valid_customer_id EXPECT (customer_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT has_updated_at EXPECT (updated_at IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT plausible_email EXPECT (email LIKE '%@%')
)
COMMENT 'Customer changes, cleaned: the source of the SCD2 history.'
AS SELECT customer_id, trim(name) AS name, lower(trim(email)) AS email, upper(country) AS country, updated_at
FROM STREAM(bronze_customers);

CREATE OR REFRESH STREAMING TABLE silver_customers
COMMENT 'Customer history (SCD type 2): one row per version, __END_AT NULL on the current one.';

CREATE FLOW silver_customers_history AS AUTO CDC INTO silver_customers
FROM STREAM(silver_customers_clean)
KEYS (customer_id)
SEQUENCE BY updated_at
STORED AS SCD TYPE 2;

CREATE OR REFRESH MATERIALIZED VIEW silver_products (
  CONSTRAINT valid_product_id EXPECT (product_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT non_negative_price EXPECT (price >= 0) ON VIOLATION DROP ROW
)
COMMENT 'Current product catalogue: the latest version of each product.'
AS SELECT product_id, name, category, price, updated_at
FROM bronze_products
QUALIFY row_number() OVER (PARTITION BY product_id ORDER BY updated_at DESC, source_file DESC) = 1;

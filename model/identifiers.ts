/**
 * Identifier rules of Unity Catalog, as the project applies them to every name it declares.
 */

/**
 * A catalog, schema, volume or table name: Unity Catalog stores names in lower case, and we
 * also refuse anything that would need quoting (spaces, dots, quotes, dashes).
 * https://docs.databricks.com/en/sql/language-manual/sql-ref-names.html
 */
export const UC_IDENTIFIER = /^[a-z_][a-z0-9_]{0,254}$/;

/**
 * Catalog names Unity Catalog reserves or that every workspace already has: `system` (system
 * tables), `hive_metastore` (the legacy metastore), `samples` (the sample data sets) and
 * `__databricks_internal` (Databricks' own objects). A stack must never create or manage them.
 * https://docs.databricks.com/en/data-governance/unity-catalog/index.html (the hive_metastore
 * and system catalogs) and https://docs.databricks.com/en/discover/databricks-datasets.html (samples).
 */
export const RESERVED_CATALOG_NAMES: readonly string[] = ['system', 'hive_metastore', 'samples', '__databricks_internal'];

/** Schema names every catalog has (its information schema) or that Unity Catalog reserves. */
export const RESERVED_SCHEMA_NAMES: readonly string[] = ['information_schema'];

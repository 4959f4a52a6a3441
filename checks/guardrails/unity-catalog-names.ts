import { UC_IDENTIFIER } from '../../model/identifiers';
import { Guardrail } from './guardrail';

const NAMED = ['databricks_catalog', 'databricks_schema', 'databricks_volume', 'databricks_sql_table'];

export const unityCatalogNames: Guardrail = {
  id: 'unity-catalog-names',
  description: 'Catalog, schema, volume and table names are plain Unity Catalog identifiers that never need quoting.',
  check({ type, config }) {
    if (!NAMED.includes(type) || typeof config.name !== 'string' || config.name.includes('${')) return undefined;
    return UC_IDENTIFIER.test(config.name) ? undefined : `name "${config.name}" is not a valid Unity Catalog identifier (lower-case letters, digits, underscores)`;
  },
};

import { RESERVED_CATALOG_NAMES, RESERVED_SCHEMA_NAMES } from '../../model/identifiers';
import { Guardrail } from './guardrail';

/** No stack creates (and so could destroy) a catalog or schema the platform reserves. */
export const reservedCatalogNames: Guardrail = {
  id: 'reserved-catalog-names',
  description: `No catalog named ${RESERVED_CATALOG_NAMES.join(', ')} and no schema named ${RESERVED_SCHEMA_NAMES.join(', ')} is declared.`,
  check({ type, config }) {
    const name = typeof config.name === 'string' ? config.name.toLowerCase() : undefined;
    if (type === 'databricks_catalog' && name && RESERVED_CATALOG_NAMES.includes(name)) return `declares the reserved catalog "${name}"`;
    if (type === 'databricks_schema' && name && RESERVED_SCHEMA_NAMES.includes(name)) return `declares the reserved schema "${name}"`;
    return undefined;
  },
};

import { Guardrail } from './guardrail';

const DATA_HOLDERS = ['databricks_catalog', 'databricks_schema', 'databricks_volume', 'databricks_sql_table'];

export const prodPreventDestroy: Guardrail = {
  id: 'prod-prevent-destroy',
  description: 'In production, catalogs, schemas, volumes and tables carry lifecycle.prevent_destroy, so a mistaken change cannot drop data.',
  check({ type, lifecycle }, { production }) {
    if (!production || !DATA_HOLDERS.includes(type)) return undefined;
    return lifecycle?.prevent_destroy === true ? undefined : 'holds data but lacks lifecycle.prevent_destroy';
  },
};

import { DATA_HOLDERS, ReviewRule } from '../finding';

/** Attributes the provider cannot change in place: changing one destroys and recreates the resource. */
const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  databricks_catalog: ['name', 'storage_root', 'provider_name', 'share_name', 'connection_name'],
  databricks_schema: ['name', 'catalog_name', 'storage_root'],
  databricks_volume: ['name', 'catalog_name', 'schema_name', 'volume_type', 'storage_location'],
  databricks_sql_table: ['name', 'catalog_name', 'schema_name', 'table_type', 'data_source_format', 'partitions', 'storage_location', 'options'],
  databricks_pipeline: ['catalog', 'schema', 'target', 'storage'],
};

export const forcedReplacement: ReviewRule = {
  name: 'forced-replacement',
  review: (changes) =>
    changes.flatMap((c) => {
      if (c.kind !== 'changed') return [];
      const forcing = [...new Set(c.attributes.map((a) => a.attribute.split(/[.[]/)[0]).filter((a) => FORCES_REPLACEMENT[c.after.type]?.includes(a)))];
      if (forcing.length === 0) return [];
      const what = DATA_HOLDERS[c.after.type] ?? c.after.type;
      const loss = c.after.type === 'databricks_pipeline' ? 'its tables are rebuilt by a full refresh' : 'its data is lost';
      return [{ severity: 'error' as const, rule: 'forced-replacement', address: c.after.address, message: `changing ${forcing.join(', ')} recreates the ${what} ${c.before.name}: ${loss}` }];
    }),
};

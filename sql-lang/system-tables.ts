import { maskSql } from './sql-text';

/**
 * The Databricks system schemas a SQL text reads (`system.lakeflow`, `system.access`…), from
 * its three-part names outside literals and comments. Reading a system table needs USE SCHEMA
 * and SELECT on its schema, granted by a metastore admin or an account admin:
 * https://docs.databricks.com/aws/en/admin/system-tables/#grant-access-to-system-tables
 */
export function systemSchemasIn(sql: string): string[] {
  const { masked } = maskSql(sql);
  return [...new Set([...masked.matchAll(/(?<![\w.`])system\.([A-Za-z_]\w*)\.[A-Za-z_]\w*/gi)].map((m) => `system.${m[1].toLowerCase()}`))].sort();
}

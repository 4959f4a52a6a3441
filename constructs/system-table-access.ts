import { Grant } from '@cdktn/provider-databricks/lib/grant';
import { Construct } from 'constructs';
import { maskSql } from '../sql-lang/sql-text';

/** The system tables (`system.<schema>.<table>`) a query names, outside strings and comments. */
export function systemTablesIn(sql: string): string[] {
  const { masked } = maskSql(sql);
  return [...new Set([...masked.matchAll(/\bsystem\s*\.\s*([a-z_][a-z0-9_]*)\s*\.\s*([a-z_][a-z0-9_]*)\b/gi)].map((m) => `system.${m[1].toLowerCase()}.${m[2].toLowerCase()}`))].sort();
}

/**
 * Read access to the system tables the environment's alerts and dashboard query
 * (`system.lakeflow.*`, `system.access.table_lineage`). "System tables are governed by Unity
 * Catalog": a principal needs USE CATALOG on `system`, USE SCHEMA on the system schema and SELECT
 * (https://docs.databricks.com/aws/en/admin/system-tables/, "Grant access to system tables").
 * Written as `databricks_grant`, one principal's privileges on one securable, never the
 * authoritative `databricks_grants`: the system catalog is shared by every environment of the
 * metastore, and each stack's authoritative grants would remove the others' (provider
 * docs/resources/grant.md). Enabling a system schema is an account admin's act, metastore-wide
 * (provider docs/resources/system_schema.md): a precondition the README names, not a resource
 * here, which a destroyed stack would disable for everyone.
 */
export class SystemTableAccess extends Construct {
  private readonly held = new Map<string, Set<string>>();

  /**
   * Lets a principal read these system tables: USE_CATALOG on system, USE_SCHEMA and SELECT on
   * each table's schema. `key` names the grants' construct ids: give a role (`run-as`) where the
   * principal differs between environments, so every environment's grant has one address.
   * @param key @default the principal
   */
  grantSelect(principal: string, tables: readonly string[], key: string = principal): void {
    const schemas = [...new Set(tables.map((table) => table.split('.').slice(0, 2).join('.')))];
    if (schemas.length === 0) return;
    const idKey = key.replace(/[^A-Za-z0-9]+/g, '-');
    if (!this.node.tryFindChild(`system-${idKey}`)) new Grant(this, `system-${idKey}`, { catalog: 'system', principal, privileges: ['USE_CATALOG'] });
    for (const schema of schemas) {
      if (!/^system\.[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`${this.node.path}: "${schema}" is no system schema (system.<schema>)`);
      const id = `${schema.replace('.', '-')}-${idKey}`;
      if (!this.node.tryFindChild(id)) new Grant(this, id, { schema, principal, privileges: ['SELECT', 'USE_SCHEMA'] });
      const held = this.held.get(principal) ?? new Set<string>();
      held.add(schema);
      this.held.set(principal, held);
    }
  }

  /** Whether a principal may read a system table (`system.<schema>.<table>`). */
  allowsSelect(principal: string, table: string): boolean {
    return this.held.get(principal)?.has(table.split('.').slice(0, 2).join('.')) ?? false;
  }
}

import { Grant } from '@cdktn/provider-databricks/lib/grant';
import { Construct } from 'constructs';

/** The privileges reading a system table needs on its schema. */
export const SYSTEM_TABLE_READ = ['USE_SCHEMA', 'SELECT'] as const;

/**
 * Read access to Databricks system tables (`system.lakeflow`, `system.access`…) for the
 * principals whose queries read them: the identity that evaluates an alert on job runs, the
 * operators who view the monitoring dashboard with their own rights.
 *
 * System schemas belong to the metastore, which every environment's stack shares, so these
 * grants are `databricks_grant` (one principal's privileges, leaving everyone else's alone),
 * never an authoritative `databricks_grants` that each environment would take from the others
 * (provider docs/resources/grant.md). Enabling a system schema is the account's, not a stack's:
 * https://docs.databricks.com/aws/en/admin/system-tables/#enable
 */
export class SystemTableAccess extends Construct {
  private readonly granted = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /**
   * USE SCHEMA and SELECT on a system schema (`system.<schema>`) for a principal; once per pair.
   * @param role names the grant's construct (its Terraform address) when the principal differs
   *   between environments, such as the run-as service principal. @default the principal
   */
  grantRead(principal: string, schema: string, role: string = principal): void {
    if (!/^system\.[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`${this.node.path}: "${schema}" is not a system schema (system.<name>)`);
    const holders = this.granted.get(schema) ?? new Set<string>();
    if (holders.has(principal)) return;
    holders.add(principal);
    this.granted.set(schema, holders);
    new Grant(this, `${schema.replace('.', '-')}-${role}`, { schema, principal, privileges: [...SYSTEM_TABLE_READ] });
  }

  /** Whether a principal may read the tables of a system schema. */
  allowsRead(principal: string, schema: string): boolean {
    return this.granted.get(schema)?.has(principal) ?? false;
  }
}

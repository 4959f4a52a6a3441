import { Construct } from 'constructs';
import { DataDatabricksSqlWarehouse } from '@cdktn/provider-databricks/lib/data-databricks-sql-warehouse';
import { SqlEndpoint } from '@cdktn/provider-databricks/lib/sql-endpoint';
import { ObjectPermissions, PERMISSION_LEVELS } from './object-permissions';
import { PropError } from './prop-error';

export type SqlWarehouseProps =
  | {
      readonly type: 'serverless';
      /** Warehouse name as shown in the workspace. */
      readonly name: string;
      /** @default '2X-Small' */
      readonly clusterSize?: string;
      /** @default 10 */
      readonly autoStopMinutes?: number;
      /** @default 1 */
      readonly maxClusters?: number;
      readonly tags?: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'existing';
      /** Id of a warehouse managed outside this stack. */
      readonly id: string;
    }
  | {
      readonly type: 'by-name';
      /** Name of a warehouse another deployment manages (a developer's deployment uses the shared environment's), looked up at plan time. */
      readonly name: string;
    };

/** The SQL warehouse that runs the environment's SQL tasks and table DDL: created serverless, or an existing one. */
export class SqlWarehouse extends Construct {
  /** Warehouse id, for `warehouse_id` of SQL tasks and tables. */
  readonly id: string;
  /** Permissions of a warehouse this stack creates; an existing one's are managed where it is. */
  private readonly permissions?: ObjectPermissions;

  constructor(scope: Construct, id: string, props: SqlWarehouseProps) {
    super(scope, id);
    if (props.type === 'existing') {
      if (!/^[0-9a-f]{16}$/.test(props.id)) throw new PropError(scope, id, 'id', `must be a SQL warehouse id (16 hex characters), got "${props.id}"`);
      this.id = props.id;
      return;
    }
    if (props.type === 'by-name') {
      // data.databricks_sql_warehouse looks a warehouse up by name (provider docs/data-sources/sql_warehouse.md)
      this.id = new DataDatabricksSqlWarehouse(this, 'Lookup', { name: props.name }).id;
      return;
    }
    const autoStop = props.autoStopMinutes ?? 10;
    if (autoStop < 1) throw new PropError(scope, id, 'autoStopMinutes', `must be at least 1 for a serverless warehouse, got ${autoStop}`);
    const endpoint = new SqlEndpoint(this, 'Resource', {
      name: props.name,
      clusterSize: props.clusterSize ?? '2X-Small',
      autoStopMins: autoStop,
      minNumClusters: 1,
      maxNumClusters: props.maxClusters ?? 1,
      enableServerlessCompute: true,
      warehouseType: 'PRO',
      tags: {
        customTags: Object.entries(props.tags ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value]) => ({ key, value })),
      },
    });
    this.id = endpoint.id;
    this.permissions = new ObjectPermissions(this, 'Permissions', { sqlEndpointId: endpoint.id }, PERMISSION_LEVELS.warehouse);
  }

  /**
   * Run statements on the warehouse (CAN_USE): every identity whose SQL tasks, alerts or
   * dashboards run on it (provider docs/resources/permissions.md, SQL warehouses). An existing
   * warehouse's permissions belong to whoever manages it: nothing is granted here.
   */
  grantUse(principal: string): void {
    this.permissions?.grant(principal, 'CAN_USE');
  }

  /** Whether a principal may use the warehouse: 'managed-elsewhere' for an existing warehouse. */
  allowsUse(principal: string): boolean | 'managed-elsewhere' {
    return this.permissions ? this.permissions.allows(principal, 'CAN_USE') : 'managed-elsewhere';
  }
}

import { SqlTable } from '@cdktn/provider-databricks/lib/sql-table';
import { Construct } from 'constructs';
import type { Layer } from '../model/layers';
import { CHANGE_DATA_FEED_PROPERTY, TableSpec } from '../model/ops-tables';
import { LakehouseCatalog } from './lakehouse-catalog';
import { PropError } from './prop-error';
import { SecurableGrants } from './securable-grants';

export interface DeltaTableProps {
  readonly catalog: LakehouseCatalog;
  /** @default 'ops' */
  readonly layer?: Layer;
  /** Columns, clustering and comments of the table. */
  readonly spec: TableSpec;
  /** Warehouse that runs the table's DDL. */
  readonly warehouseId: string;
  /** Refuse to destroy the table and its data (Terraform lifecycle.prevent_destroy). @default false */
  readonly preventDestroy?: boolean;
}

/**
 * A managed Delta table declared from its spec, so that it exists before any job uses it
 * and jobs can be triggered by its updates. Liquid clustering instead of partitions:
 * changing `partitions` would make Terraform recreate the table and lose its data.
 */
export class DeltaTable extends Construct {
  /** `catalog.schema.table` as written. */
  readonly fullName: string;
  readonly resource: SqlTable;
  private readonly grants: SecurableGrants;

  constructor(scope: Construct, id: string, props: DeltaTableProps) {
    super(scope, id);
    const { spec } = props;
    const names = spec.columns.map((c) => c.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new PropError(scope, id, 'spec.columns', `declares column "${duplicate}" twice`);
    const unknownKey = spec.clusterKeys.find((k) => !names.includes(k));
    if (unknownKey) throw new PropError(scope, id, 'spec.clusterKeys', `"${unknownKey}" is not a column of ${spec.name}`);
    const unknownChangeKey = spec.changeDataFeed?.key.find((k) => !names.includes(k));
    if (unknownChangeKey) throw new PropError(scope, id, 'spec.changeDataFeed.key', `"${unknownChangeKey}" is not a column of ${spec.name}`);

    const layer = props.layer ?? 'ops';
    const schema = props.catalog.schema(layer);
    this.resource = new SqlTable(this, 'Resource', {
      catalogName: schema.catalogName,
      schemaName: schema.name,
      name: spec.name,
      tableType: 'MANAGED',
      dataSourceFormat: 'DELTA',
      warehouseId: props.warehouseId,
      comment: spec.comment,
      clusterKeys: [...spec.clusterKeys],
      // enabled at creation, so table_changes can read from version 0
      properties: spec.changeDataFeed ? { [CHANGE_DATA_FEED_PROPERTY]: 'true' } : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      column: spec.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, comment: c.comment })),
    });
    this.fullName = `${props.catalog.schemaFullName(layer)}.${spec.name}`;
    this.grants = new SecurableGrants(this, 'Grants', { table: this.resource.id });
  }

  /** Query this table only (SELECT; USE CATALOG and USE SCHEMA come from the catalog). */
  grantSelect(principal: string): void {
    this.grants.grant(principal, ['SELECT']);
  }

  /** Query and change this table's rows. */
  grantModify(principal: string): void {
    this.grants.grant(principal, ['SELECT', 'MODIFY']);
  }

  /** What a principal was granted on the table itself (schema-level grants come on top). */
  privilegesOf(principal: string): ReadonlySet<string> {
    return this.grants.privilegesOf(principal);
  }
}

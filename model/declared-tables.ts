import type { Layer } from './layers';
import { BATCH_LOADS_TABLE, CONTROL_TABLE, TableSpec, WATERMARK_TABLE } from './ops-tables';

/**
 * Tables the stacks declare (databricks_sql_table) rather than leave to the SQL that
 * writes them: the ops tables, the upstream tables of the coordinated load, which a
 * table-update trigger can only watch once they exist, and the orders tables that more
 * than one workflow reads. The local engine creates the same
 * tables before any workflow runs, as a deployed workspace has them.
 */
export interface DeclaredTable {
  readonly layer: Layer;
  readonly spec: TableSpec;
}

export const BATCH_CUSTOMERS_TABLE: TableSpec = {
  name: 'batch_customers',
  comment: 'Upstream 1 of the coordinated load: the customers of each batch.',
  columns: [
    { name: 'batch_id', type: 'STRING', nullable: false, comment: 'The batch.' },
    { name: 'customer_id', type: 'STRING', nullable: false, comment: 'Customer key.' },
    { name: 'name', type: 'STRING', nullable: true, comment: 'Customer name.' },
    { name: 'country', type: 'STRING', nullable: true, comment: 'ISO country code.' },
    { name: 'loaded_at', type: 'TIMESTAMP', nullable: false, comment: 'When the row was loaded.' },
  ],
  clusterKeys: ['batch_id'],
};

export const BATCH_ORDERS_TABLE: TableSpec = {
  name: 'batch_orders',
  comment: 'Upstream 2 of the coordinated load: the orders of each batch.',
  columns: [
    { name: 'batch_id', type: 'STRING', nullable: false, comment: 'The batch.' },
    { name: 'order_id', type: 'STRING', nullable: false, comment: 'Order key.' },
    { name: 'customer_id', type: 'STRING', nullable: true, comment: 'Customer who ordered.' },
    { name: 'amount', type: 'DECIMAL(12,2)', nullable: true, comment: 'Order amount.' },
    { name: 'loaded_at', type: 'TIMESTAMP', nullable: false, comment: 'When the row was loaded.' },
  ],
  clusterKeys: ['batch_id'],
};

/** Orders staged by orders-ingest and read by other workflows, so declared rather than left to the SQL. */
export const ORDERS_STAGING_TABLE: TableSpec = {
  name: 'orders_staging',
  comment: 'Order rows as staged from the landing files, each file once.',
  columns: [
    { name: 'tracking_num', type: 'STRING', nullable: true, comment: 'Order tracking number, the merge key.' },
    { name: 'order_id', type: 'STRING', nullable: true, comment: 'Order id.' },
    { name: 'customer_id', type: 'STRING', nullable: true, comment: 'Customer who ordered.' },
    { name: 'product_id', type: 'STRING', nullable: true, comment: 'Product ordered.' },
    { name: 'status', type: 'STRING', nullable: true, comment: 'Order status at event_time.' },
    { name: 'quantity', type: 'INT', nullable: true, comment: 'Units ordered.' },
    { name: 'amount', type: 'DECIMAL(12,2)', nullable: true, comment: 'Order amount.' },
    { name: 'event_time', type: 'TIMESTAMP', nullable: true, comment: 'When the status was reached.' },
    { name: 'source_file', type: 'STRING', nullable: false, comment: 'Landing file the row came from.' },
    { name: 'row_hash', type: 'STRING', nullable: false, comment: 'Hash of the row, the last tie-break of the merge.' },
    { name: 'ingested_at', type: 'TIMESTAMP', nullable: false, comment: 'When the row was staged.' },
  ],
  clusterKeys: ['source_file'],
};

/** The current state of every order (SCD1), written by orders-ingest and read by the extract and the analytics DAG. */
export const ORDERS_TABLE: TableSpec = {
  name: 'orders',
  comment: 'The latest state of every order, keyed on tracking_num.',
  columns: [
    { name: 'tracking_num', type: 'STRING', nullable: false, comment: 'Order tracking number.' },
    { name: 'order_id', type: 'STRING', nullable: true, comment: 'Order id.' },
    { name: 'customer_id', type: 'STRING', nullable: true, comment: 'Customer who ordered.' },
    { name: 'product_id', type: 'STRING', nullable: true, comment: 'Product ordered.' },
    { name: 'status', type: 'STRING', nullable: true, comment: 'Latest status.' },
    { name: 'quantity', type: 'INT', nullable: true, comment: 'Units ordered.' },
    { name: 'amount', type: 'DECIMAL(12,2)', nullable: true, comment: 'Order amount.' },
    { name: 'event_time', type: 'TIMESTAMP', nullable: false, comment: 'When the latest status was reached.' },
    { name: 'source_file', type: 'STRING', nullable: false, comment: 'Landing file of the latest event.' },
    { name: 'row_hash', type: 'STRING', nullable: false, comment: 'Hash of the latest event row.' },
    { name: 'updated_at', type: 'TIMESTAMP', nullable: false, comment: 'When the merge last changed the row; the incremental extract windows on it.' },
  ],
  clusterKeys: ['tracking_num'],
};

export const DECLARED_TABLES: readonly DeclaredTable[] = [
  { layer: 'ops', spec: CONTROL_TABLE },
  { layer: 'ops', spec: WATERMARK_TABLE },
  { layer: 'ops', spec: BATCH_LOADS_TABLE },
  { layer: 'silver', spec: BATCH_CUSTOMERS_TABLE },
  { layer: 'silver', spec: BATCH_ORDERS_TABLE },
  { layer: 'bronze', spec: ORDERS_STAGING_TABLE },
  { layer: 'silver', spec: ORDERS_TABLE },
];

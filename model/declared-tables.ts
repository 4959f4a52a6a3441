import type { Layer } from './layers';
import { BATCH_LOADS_TABLE, CONTROL_TABLE, EXPECTATION_RESULTS_TABLE, INGESTED_FILES_TABLE, TableSpec, WATERMARK_TABLE } from './ops-tables';

/**
 * Tables the stacks declare (databricks_sql_table) rather than leave to the SQL that
 * writes them: the ops tables, the upstream tables of the coordinated load, which a
 * table-update trigger can only watch once they exist, and (see source-tables.ts) the
 * tables of every job-ingested source. The local engine creates the same tables before
 * any workflow runs, as a deployed workspace has them.
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

/** The platform's own tables: the ops tables and the coordinated load's; sources add theirs. */
export const PLATFORM_TABLES: readonly DeclaredTable[] = [
  { layer: 'ops', spec: CONTROL_TABLE },
  { layer: 'ops', spec: WATERMARK_TABLE },
  { layer: 'ops', spec: BATCH_LOADS_TABLE },
  { layer: 'ops', spec: INGESTED_FILES_TABLE },
  { layer: 'ops', spec: EXPECTATION_RESULTS_TABLE },
  { layer: 'silver', spec: BATCH_CUSTOMERS_TABLE },
  { layer: 'silver', spec: BATCH_ORDERS_TABLE },
];

import type { Workflow, WorkflowTask } from '../model/workflow';

/**
 * Every workflow of the platform, declared once: the stacks deploy each as a job, the
 * local runner executes it on DuckDB, and `npm run graph` draws it.
 * Task parameters fill the SQL files' `:name` markers; `{{job.parameters.x}}` and
 * `{{job.run_id}}` are Databricks dynamic value references, resolved by the job at run
 * time (and by the local runner the same way).
 */

const CATALOG = { name: 'catalog', default: '{{env.catalog}}', description: "The environment's Unity Catalog catalog." };
const catalogParam = { catalog: '{{job.parameters.catalog}}' };

const ordersIngest: Workflow = {
  name: 'orders-ingest',
  description:
    'Order CSV files land in the orders volume; each arrival stages the new files (a file is staged once, whatever the retries), upserts them into silver.orders keyed on tracking_num (latest event wins) and archives the processed files.',
  parameters: [
    CATALOG,
    { name: 'landing_path', default: '/Volumes/{{env.catalog}}/landing/orders/incoming/', description: 'Folder that receives the order files.' },
    { name: 'archive_path', default: '/Volumes/{{env.catalog}}/landing/orders/archive/', description: 'Folder the processed files move to; the orders pipeline reads them there.' },
  ],
  landingVolume: 'orders',
  // wait until a source has finished writing a burst of files before loading them
  trigger: { type: 'file-arrival', volume: 'orders', minTimeBetweenTriggersSeconds: 60, waitAfterLastChangeSeconds: 120 },
  timeoutSeconds: 3600,
  writes: ['bronze.orders_staging', 'silver.orders'],
  tasks: [
    { key: 'stage', description: 'Stage new files into bronze.orders_staging.', asset: { kind: 'sql', file: 'sql/orders/stage_load.sql' }, parameters: { ...catalogParam, landing_path: '{{job.parameters.landing_path}}' }, maxRetries: 2 },
    { key: 'merge', description: 'SCD1 upsert into silver.orders.', asset: { kind: 'sql', file: 'sql/orders/merge_scd1.sql' }, parameters: catalogParam, dependsOn: ['stage'], maxRetries: 2 },
    {
      key: 'archive',
      description: 'Move the staged files from the landing folder to the archive folder.',
      asset: { kind: 'notebook', file: 'notebooks/archive_processed_files.py' },
      parameters: { ...catalogParam, landing_path: '{{job.parameters.landing_path}}', archive_path: '{{job.parameters.archive_path}}', staging_table: 'bronze.orders_staging' },
      dependsOn: ['merge'],
      maxRetries: 2,
    },
  ],
};

const batchParameters = [CATALOG, { name: 'batch_id', default: '{{job.trigger.time.iso_date}}', description: 'The batch: its business date by default.' }];
const batchParam = { ...catalogParam, batch_id: '{{job.parameters.batch_id}}' };
const REQUIRED_UPSTREAMS = 'customers,orders';
/** The downstream load's name in ops.batch_loads. */
const SUMMARY_LOADER = 'customer_order_summary';

function upstreamTasks(source: 'customers' | 'orders'): WorkflowTask[] {
  return [
    {
      key: `load_${source}`,
      description: `Load the batch's ${source} into silver.batch_${source}.`,
      asset: { kind: 'sql', file: `sql/coordinated/load_batch_${source}.sql` },
      parameters: { ...batchParam, batch_path: `/Volumes/{{job.parameters.catalog}}/landing/${source}/batches/{{job.parameters.batch_id}}/` },
      maxRetries: 2,
    },
    {
      key: `mark_${source}_complete`,
      description: `Record in the control table that ${source} completed the batch.`,
      asset: { kind: 'sql', file: 'sql/control/mark_batch_complete.sql' },
      parameters: { ...batchParam, source, source_table: `silver.batch_${source}`, run_id: '{{job.run_id}}' },
      dependsOn: [`load_${source}`],
      maxRetries: 2,
    },
  ];
}

function downstreamTasks(gateDependsOn: string[], ifNotReady: 'fail' | 'skip'): WorkflowTask[] {
  const loadParams = { ...batchParam, required_sources: REQUIRED_UPSTREAMS, loader: SUMMARY_LOADER };
  return [
    {
      key: 'gate',
      description: ifNotReady === 'fail' ? 'Fail unless every required upstream completed the batch.' : 'Report whether any batch is ready; the load loads nothing when none is.',
      asset: { kind: 'sql', file: 'sql/control/check_batch_ready.sql' },
      parameters: { ...loadParams, if_not_ready: ifNotReady },
      dependsOn: gateDependsOn,
    },
    {
      key: 'load_summary',
      description: "Join the ready batches' customers and orders into gold.batch_customer_orders.",
      asset: { kind: 'sql', file: 'sql/coordinated/load_customer_order_summary.sql' },
      parameters: { ...loadParams, run_id: '{{job.run_id}}' },
      dependsOn: ['gate'],
      maxRetries: 2,
    },
  ];
}

const coordinatedLoad: Workflow = {
  name: 'coordinated-load',
  description:
    'Two upstream loads (customers and orders of a batch) each record completion in the control table; the downstream loader runs only when both completed the batch, as task dependencies inside one job.',
  parameters: batchParameters,
  writes: ['silver.batch_customers', 'silver.batch_orders', 'ops.batch_control', 'gold.batch_customer_orders', 'ops.batch_loads'],
  tasks: [...upstreamTasks('customers'), ...upstreamTasks('orders'), ...downstreamTasks(['mark_customers_complete', 'mark_orders_complete'], 'fail')],
};

function upstreamWorkflow(source: 'customers' | 'orders'): Workflow {
  return {
    name: `coordinated-upstream-${source}`,
    description: `The ${source} upstream of the coordinated load as a job of its own: loads the batch and records its completion in the control table.`,
    parameters: batchParameters,
    trigger: { type: 'schedule', quartzCron: '0 0 1 * * ?' },
    writes: [`silver.batch_${source}`, 'ops.batch_control'],
    tasks: upstreamTasks(source),
  };
}

const coordinatedDownstream: Workflow = {
  name: 'coordinated-downstream',
  description:
    'The downstream of the coordinated load across jobs: triggered when an upstream records a completion in the control table, it loads every batch that all upstream jobs completed and it has not loaded yet, whatever the date (a batch completed after midnight is still loaded, once).',
  parameters: [CATALOG, { name: 'batch_id', default: '', description: "A batch to (re)load, or '' for every ready batch not loaded yet." }],
  trigger: { type: 'table-update', tables: ['ops.batch_control'], condition: 'ANY_UPDATED' },
  writes: ['gold.batch_customer_orders', 'ops.batch_loads'],
  tasks: downstreamTasks([], 'skip'),
};

const watermarkParams = { ...catalogParam, pipeline: '{{job.parameters.pipeline}}', run_id: '{{job.run_id}}' };

const incrementalExtract: Workflow = {
  name: 'incremental-extract',
  description:
    'Extracts the orders changed since the last successful run: the watermark table gives the window, a failed or skipped run never advances it, and a failure anywhere finalizes the run as FAILED so it is never left RUNNING.',
  parameters: [
    CATALOG,
    { name: 'pipeline', default: 'orders_extract', description: 'Name of the incremental pipeline in the watermark table.' },
    { name: 'window_high', default: '', description: "Upper bound of the window; '' for the time the run starts." },
    { name: 'source_version', default: '', description: "Delta version of the source read by the run; '' when not tracked." },
  ],
  trigger: { type: 'schedule', quartzCron: '0 15 * * * ?' },
  writes: ['ops.watermarks', 'gold.orders_extract'],
  tasks: [
    {
      key: 'start_run',
      description: 'Open the window: from the last successful high watermark to now.',
      asset: { kind: 'sql', file: 'sql/watermark/start_run.sql' },
      parameters: { ...watermarkParams, window_high: '{{job.parameters.window_high}}', source_version: '{{job.parameters.source_version}}', stale_after_minutes: '720' },
      maxRetries: 1,
    },
    {
      key: 'extract',
      description: 'Merge the window of silver.orders into gold.orders_extract.',
      asset: { kind: 'sql', file: 'sql/incremental/extract_orders_window.sql' },
      parameters: watermarkParams,
      dependsOn: ['start_run'],
      maxRetries: 2,
    },
    {
      key: 'finalize_success',
      description: 'Close the window as SUCCESS: the watermark advances.',
      asset: { kind: 'sql', file: 'sql/watermark/finalize_run.sql' },
      parameters: { ...watermarkParams, status: 'SUCCESS', error_message: '' },
      dependsOn: ['extract'],
      maxRetries: 2,
    },
    {
      key: 'finalize_failed',
      description: 'After any failure, close the window as FAILED (the watermark stays), then fail the job run.',
      asset: { kind: 'sql', file: 'sql/watermark/finalize_run.sql' },
      parameters: { ...watermarkParams, status: 'FAILED', error_message: 'a task of job run {{job.run_id}} failed' },
      dependsOn: ['start_run', 'extract', 'finalize_success'],
      runIf: 'AT_LEAST_ONE_FAILED',
      // it fails on purpose after recording the failure; a retry would only fail again
      maxRetries: 0,
    },
  ],
};

function analyticsTask(key: string, file: string, dependsOn: string[], parameters: Record<string, string> = catalogParam): WorkflowTask {
  return { key, asset: { kind: 'sql', file }, parameters, dependsOn, maxRetries: 2, timeoutSeconds: 1800 };
}

const analyticsDag: Workflow = {
  name: 'analytics-dag',
  description:
    'The daily analytics DAG, declared from its dependency map: bronze ingestion feeds the silver customers and orders, which feed the gold customer metrics and revenue analysis, which feed the final report. Each task retries, the job times out, runs one at a time and notifies on failure.',
  parameters: [CATALOG, { name: 'customers_landing_path', default: '/Volumes/{{env.catalog}}/landing/customers/incoming/', description: 'Folder that receives the customer files.' }],
  trigger: { type: 'schedule', quartzCron: '0 0 5 * * ?' },
  timeoutSeconds: 7200,
  maxConcurrentRuns: 1,
  writes: ['bronze.customers_staging', 'silver.customers', 'silver.orders', 'gold.customer_metrics', 'gold.revenue_by_day', 'gold.daily_report'],
  tasks: [
    analyticsTask('bronze_ingestion', 'sql/analytics/bronze_ingestion.sql', [], { ...catalogParam, landing_path: '{{job.parameters.customers_landing_path}}' }),
    analyticsTask('silver_customers', 'sql/analytics/silver_customers.sql', ['bronze_ingestion']),
    analyticsTask('silver_orders', 'sql/orders/merge_scd1.sql', ['bronze_ingestion']),
    analyticsTask('gold_customer_metrics', 'sql/analytics/gold_customer_metrics.sql', ['silver_customers', 'silver_orders']),
    analyticsTask('gold_revenue_analysis', 'sql/analytics/gold_revenue_analysis.sql', ['silver_orders']),
    analyticsTask('final_reporting', 'sql/analytics/final_reporting.sql', ['gold_customer_metrics', 'gold_revenue_analysis']),
  ],
};

/** The workflows as written; `projectWorkflows()` (config/project.ts) validates them. */
export const workflowDefinitions: readonly Workflow[] = [
  ordersIngest,
  coordinatedLoad,
  upstreamWorkflow('customers'),
  upstreamWorkflow('orders'),
  coordinatedDownstream,
  incrementalExtract,
  analyticsDag,
];

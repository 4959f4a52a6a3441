import type { Workflow, WorkflowTask } from '../model/workflow';

/**
 * Every workflow of the platform, declared once: the stacks deploy each as a job, the
 * local runner executes it on DuckDB, and `npm run graph` draws it.
 * Task parameters fill the SQL files' `:name` markers; `{{job.parameters.x}}` and
 * `{{job.run_id}}` are Databricks dynamic value references, resolved by the job at run
 * time (and by the local runner the same way).
 */

/** A job parameter holding a layer's schema as `catalog.schema`, from the environment's naming. */
const layer = (name: 'bronze' | 'silver' | 'gold' | 'ops') => ({ name, default: `{{env.${name}}}`, description: `The ${name} schema, as catalog.schema.` });
/** Task parameters passing the job's layer schemas through to a SQL file. */
const schemas = (...names: ('bronze' | 'silver' | 'gold' | 'ops')[]) => Object.fromEntries(names.map((n) => [n, `{{job.parameters.${n}}}`]));

const batchFolders = (['customers', 'orders'] as const).map((source) => ({ name: `${source}_batches`, default: `{{env.volume.${source}.root}}/batches/`, description: `Folder of the ${source} batches, one subfolder per batch.` }));
const batchParameters = [layer('silver'), layer('gold'), layer('ops'), ...batchFolders, { name: 'batch_id', default: '{{job.trigger.time.iso_date}}', description: 'The batch: its business date by default.' }];
const batchParam = { ...schemas('silver', 'gold', 'ops'), batch_id: '{{job.parameters.batch_id}}' };
const REQUIRED_UPSTREAMS = 'customers,orders';
/** The downstream load's name in ops.batch_loads. */
const SUMMARY_LOADER = 'customer_order_summary';

function upstreamTasks(source: 'customers' | 'orders'): WorkflowTask[] {
  return [
    {
      key: `load_${source}`,
      description: `Load the batch's ${source} into silver.batch_${source}.`,
      asset: { kind: 'sql', file: `sql/coordinated/load_batch_${source}.sql` },
      parameters: { ...schemas('silver'), batch_id: '{{job.parameters.batch_id}}', batch_path: `{{job.parameters.${source}_batches}}{{job.parameters.batch_id}}/` },
      maxRetries: 2,
    },
    {
      key: `mark_${source}_complete`,
      description: `Record in the control table that ${source} completed the batch.`,
      asset: { kind: 'sql', file: 'sql/control/mark_batch_complete.sql' },
      parameters: { ...schemas('ops'), batch_id: '{{job.parameters.batch_id}}', source, source_table: `{{job.parameters.silver}}.batch_${source}`, run_id: '{{job.run_id}}' },
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
  parameters: [layer('silver'), layer('gold'), layer('ops'), { name: 'batch_id', default: '', description: "A batch to (re)load, or '' for every ready batch not loaded yet." }],
  trigger: { type: 'table-update', tables: ['ops.batch_control'], condition: 'ANY_UPDATED' },
  writes: ['gold.batch_customer_orders', 'ops.batch_loads'],
  tasks: downstreamTasks([], 'skip'),
};

const watermarkParams = { ...schemas('ops'), pipeline: '{{job.parameters.pipeline}}', run_id: '{{job.run_id}}' };
/** The extract job's timeout; a RUNNING watermark older than it was abandoned by a killed run. */
const EXTRACT_TIMEOUT_SECONDS = 3600;
/** The change window's versions, as read_versions hands them on. */
const windowVersion = (name: 'from_version' | 'to_version') => `{{tasks.read_versions.values.${name}}}`;

const incrementalExtract: Workflow = {
  name: 'incremental-extract',
  description:
    "Extracts the changes of silver.orders since the last successful run from its change data feed, by version: read_versions reads the table's latest version, the watermark table records the run's version window, the extract reads table_changes over it; a failed or skipped run never advances the watermark, and a failure anywhere finalizes the run as FAILED so it is never left RUNNING.",
  parameters: [
    layer('silver'),
    layer('gold'),
    layer('ops'),
    { name: 'pipeline', default: 'orders_changes', description: 'Name of the incremental pipeline in the watermark table.' },
    { name: 'window_high', default: '', description: "Time recorded as the window's end; '' for the time the run starts." },
  ],
  trigger: { type: 'schedule', quartzCron: '0 15 * * * ?' },
  timeoutSeconds: EXTRACT_TIMEOUT_SECONDS,
  writes: ['ops.watermarks', 'gold.orders_changes'],
  tasks: [
    {
      key: 'read_versions',
      description: "Read the version window: from after the watermark's version to the table's latest version.",
      asset: { kind: 'notebook', file: 'notebooks/read_change_window.py' },
      parameters: { source_table: '{{job.parameters.silver}}.orders', watermark_table: '{{job.parameters.ops}}.watermarks', pipeline: '{{job.parameters.pipeline}}' },
      maxRetries: 1,
    },
    {
      key: 'start_run',
      description: 'Open the window: record the run as RUNNING with its version window.',
      asset: { kind: 'sql', file: 'sql/watermark/start_run.sql' },
      parameters: { ...watermarkParams, window_high: '{{job.parameters.window_high}}', source_version: windowVersion('to_version'), stale_after_minutes: String(EXTRACT_TIMEOUT_SECONDS / 60) },
      dependsOn: ['read_versions'],
      maxRetries: 1,
    },
    {
      key: 'extract',
      description: 'Append the changes of silver.orders in the window to gold.orders_changes.',
      asset: { kind: 'sql', file: 'sql/incremental/extract_order_changes.sql' },
      parameters: { ...watermarkParams, ...schemas('gold'), source_table: '{{job.parameters.silver}}.orders', from_version: windowVersion('from_version'), to_version: windowVersion('to_version') },
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

function analyticsTask(key: string, file: string, dependsOn: string[], parameters: Record<string, string>): WorkflowTask {
  return { key, asset: { kind: 'sql', file }, parameters, dependsOn, maxRetries: 2, timeoutSeconds: 1800 };
}

const analyticsDag: Workflow = {
  name: 'analytics-dag',
  description:
    'The daily analytics DAG, declared from its dependency map: the customers ingestion (the ingest-customers job, run as a task) and the orders staged by ingest-orders feed the silver customers and orders, which feed the gold customer metrics and revenue analysis, which feed the final report. Each task retries, the job times out, runs one at a time and notifies on failure.',
  parameters: [
    layer('bronze'),
    layer('silver'),
    layer('gold'),
    layer('ops'),
    // handed on to the ingest-customers job task, so a run can point it at other folders (the
    // integration stage's test folders) as it can when ingest-customers runs on its own
    { name: 'customers_landing_path', default: '{{env.volume.customers.incoming}}', description: 'Folder that receives the customers files, handed to ingest-customers.' },
    { name: 'customers_archive_path', default: '{{env.volume.customers.archive}}', description: 'Folder ingest-customers moves the loaded customers files to.' },
  ],
  trigger: { type: 'schedule', quartzCron: '0 0 5 * * ?' },
  timeoutSeconds: 7200,
  maxConcurrentRuns: 1,
  notifyOnSuccess: true,
  writes: ['silver.orders', 'bronze.orders_quarantine', 'ops.ingested_files', 'ops.expectation_results', 'gold.customer_metrics', 'gold.revenue_by_day', 'gold.daily_report'],
  tasks: [
    // ingest-customers stages, merges and archives the new customer files: run as a job task, it
    // is the one consumer of the customers landing folder whether the DAG or a person starts it
    { key: 'ingest_customers', description: 'Run the ingest-customers job: stage, merge into silver.customers, archive.', asset: { kind: 'job', workflow: 'ingest-customers' }, parameters: { ...schemas('bronze', 'silver', 'ops'), landing_path: '{{job.parameters.customers_landing_path}}', archive_path: '{{job.parameters.customers_archive_path}}' }, maxRetries: 1, timeoutSeconds: 1800 },
    // the orders staged by ingest-orders and not merged yet, merged by its own (generated) merge
    analyticsTask('silver_orders', 'sql/generated/orders/merge.sql', [], { ...schemas('bronze', 'silver', 'ops'), source: 'orders', run_id: '{{job.run_id}}' }),
    analyticsTask('gold_customer_metrics', 'sql/analytics/gold_customer_metrics.sql', ['ingest_customers', 'silver_orders'], schemas('silver', 'gold')),
    analyticsTask('gold_revenue_analysis', 'sql/analytics/gold_revenue_analysis.sql', ['silver_orders'], schemas('silver', 'gold')),
    analyticsTask('final_reporting', 'sql/analytics/final_reporting.sql', ['gold_customer_metrics', 'gold_revenue_analysis'], schemas('gold')),
  ],
};

/** The workflows as written; `projectWorkflows()` (config/project.ts) validates them. */
export const workflowDefinitions: readonly Workflow[] = [
  coordinatedLoad,
  upstreamWorkflow('customers'),
  upstreamWorkflow('orders'),
  coordinatedDownstream,
  incrementalExtract,
  analyticsDag,
];

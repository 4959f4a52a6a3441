import type { Pipeline } from '../model/pipeline';

/** The declarative pipelines of the platform, each refreshed daily by a job of its own. */
/** The pipelines as written; `projectPipelines()` (config/project.ts) validates them. */
export const pipelineDefinitions: readonly Pipeline[] = [
  {
    name: 'orders-medallion',
    description:
      'Bronze streaming tables of orders, customers and products from the landing volumes; silver tables with expectations, a quarantine of rejected orders and the SCD2 customer history; gold customer metrics, revenue analysis and product performance.',
    schema: 'orders_medallion',
    sourceFiles: ['sql/pipelines/orders_medallion/bronze.sql', 'sql/pipelines/orders_medallion/silver.sql', 'sql/pipelines/orders_medallion/gold.sql'],
    configuration: {
      // ingest-orders and ingest-customers consume their landing folders and archive what they
      // loaded; this pipeline reads the archives, so each file reaches both consumers once
      orders_path: '{{env.volume.orders.archive}}',
      customers_path: '{{env.volume.customers.archive}}',
      products_path: '{{env.volume.products.incoming}}',
    },
    refreshSchedule: '0 0 2 * * ?',
  },
  {
    name: 'user-analytics',
    description:
      'Click-stream events with user profiles: daily metrics per user, session durations, events enriched by a stream-batch join with the profiles, and final engagement metrics with data-quality expectations.',
    schema: 'user_analytics',
    sourceFiles: ['sql/pipelines/user_analytics/events.sql', 'sql/pipelines/user_analytics/metrics.sql'],
    configuration: {
      events_path: '{{env.volume.events.incoming}}',
      profiles_path: '{{env.volume.events.root}}/profiles/',
    },
    refreshSchedule: '0 0 2 * * ?',
  },
];

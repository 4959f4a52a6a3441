import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipelineNamed, workflowNamed } from '../../config/project';
import { LocalEngine } from '../../local/engine';
import { readPipelineDefinitions } from '../../sql-lang/pipeline-definitions';
import { PipelineUpdate, runPipeline } from '../../local/pipelines/pipeline-runner';
import { runWorkflow } from '../../local/workflow-runner';
import { ORDERS_HEADER, Scratch } from './harness';

const root = resolve(__dirname, '..', '..');
let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

function deliver(folder: string, name: string, lines: string[]): void {
  writeFileSync(join(scratch.folder(folder), name), `${lines.join('\n')}\n`);
}
const CUSTOMERS = 'customer_id,name,email,country,updated_at';
const PRODUCTS = 'product_id,name,category,price,updated_at';
const medallion = () => runPipeline(scratch.engine, pipelineNamed('orders-medallion')!, root);
const metric = (update: PipelineUpdate, dataset: string, expectation: string) => update.expectations.find((m) => m.dataset === dataset && m.expectation === expectation);

function deliverBasics(): void {
  deliver('landing/customers/archive', 'c1.csv', [CUSTOMERS, 'C1,Ada,ada@example.com,gb,2026-11-01 00:00:00']);
  deliver('landing/products/incoming', 'p1.csv', [PRODUCTS, 'P1,Beans,coffee,10.00,2026-11-01 00:00:00']);
}

describe('orders-medallion on DuckDB', () => {
  it('drops and counts DROP ROW violations, keeps them in quarantine with the rules they broke, and keeps and counts warn-only ones', async () => {
    deliverBasics();
    deliver('landing/orders/archive', 'o1.csv', [
      ORDERS_HEADER,
      'T1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00',
      ',O2,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00',
      'T3,O3,C1,P1,PLACED,1,-5.00,2026-11-20 10:00:00',
      'T4,O4,C1,P1,lost,1,7.00,2026-11-20 10:00:00',
    ]);
    const update = await medallion();
    expect(update.succeeded).toBe(true);
    expect(metric(update, 'silver_orders', 'valid_tracking_num')).toMatchObject({ action: 'drop', passed: 3, failed: 1 });
    expect(metric(update, 'silver_orders', 'positive_amount')).toMatchObject({ action: 'drop', passed: 3, failed: 1 });
    expect(metric(update, 'silver_orders', 'known_status')).toMatchObject({ action: 'warn', passed: 3, failed: 1 });
    expect(update.tables.silver_orders).toBe(2);
    expect(update.tables.silver_orders_quarantine).toBe(2);
    expect(await scratch.query('SELECT order_id, broken_rules FROM orders_medallion.silver_orders_quarantine ORDER BY order_id')).toEqual([
      { order_id: 'O2', broken_rules: ['valid_tracking_num'] },
      { order_id: 'O3', broken_rules: ['positive_amount'] },
    ]);
  });

  it('fails the update on a FAIL UPDATE violation, naming the constraint, and leaves every table as it was', async () => {
    deliverBasics();
    deliver('landing/orders/archive', 'o1.csv', [ORDERS_HEADER, 'T1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    await medallion();
    const before = await scratch.query('SELECT * EXCLUDE (__dlt_update) FROM orders_medallion.silver_orders');
    deliver('landing/orders/archive', 'o2.csv', [ORDERS_HEADER, 'T2,O2,C1,P1,PLACED,1,10.00,']);
    const failed = await medallion();
    expect(failed.succeeded).toBe(false);
    expect(failed.error).toMatch(/silver\.sql:\d+: expectation has_event_time on silver_orders failed the update \(ON VIOLATION FAIL UPDATE\): 1 row\(s\) violate event_time IS NOT NULL/);
    expect(failed.tables).toMatchObject({ bronze_orders: 1, silver_orders: 1 });
    expect(await scratch.query('SELECT * EXCLUDE (__dlt_update) FROM orders_medallion.silver_orders')).toEqual(before);
  });

  it('processes only the new file when run again', async () => {
    deliverBasics();
    deliver('landing/orders/archive', 'o1.csv', [ORDERS_HEADER, 'T1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'T2,O2,C1,P1,PLACED,1,10.00,2026-11-20 11:00:00']);
    await medallion();
    deliver('landing/orders/archive', 'o2.csv', [ORDERS_HEADER, 'T1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 10:00:00']);
    const second = await medallion();
    const bronze = second.datasets.find((d) => d.dataset === 'bronze_orders')!;
    expect(bronze.filesRead).toEqual(['/Volumes/lakehouse_local/landing/orders/archive/o2.csv']);
    expect(bronze.rowsIn).toBe(1);
    expect(second.datasets.find((d) => d.dataset === 'silver_orders')!.rowsIn).toBe(1);
    expect(second.tables).toMatchObject({ bronze_orders: 3, silver_orders: 3, gold_orders_current: 2 });
    expect(await scratch.query("SELECT status FROM orders_medallion.gold_orders_current WHERE tracking_num = 'T1'")).toEqual([{ status: 'SHIPPED' }]);
  });

  it('keeps correct SCD2 customer history when updates arrive out of order', async () => {
    deliverBasics();
    deliver('landing/orders/archive', 'o1.csv', [ORDERS_HEADER]);
    deliver('landing/customers/archive', 'c2.csv', [CUSTOMERS, 'C1,Ada,ada@example.com,fr,2026-11-20 00:00:00']);
    await medallion();
    // a change from between the two already seen arrives late
    deliver('landing/customers/archive', 'c3.csv', [CUSTOMERS, 'C1,Ada,ada@example.com,de,2026-11-10 00:00:00']);
    await medallion();
    expect(await scratch.query('SELECT country, __START_AT, __END_AT FROM orders_medallion.silver_customers ORDER BY __START_AT')).toEqual([
      { country: 'GB', __START_AT: '2026-11-01 00:00:00', __END_AT: '2026-11-10 00:00:00' },
      { country: 'DE', __START_AT: '2026-11-10 00:00:00', __END_AT: '2026-11-20 00:00:00' },
      { country: 'FR', __START_AT: '2026-11-20 00:00:00', __END_AT: null },
    ]);
    expect(await scratch.query('SELECT customer_id, country FROM orders_medallion.gold_customer_metrics')).toEqual([{ customer_id: 'C1', country: 'FR' }]);
  });

  it('builds the gold views on the shipped sample data, the orders and customers as their ingestion jobs archived them', async () => {
    const sample = await Scratch.open();
    try {
      const volumes = join(sample.dir, 'sample-volumes');
      cpSync(join(root, 'samples', 'volumes'), volumes, { recursive: true });
      const engine = await LocalEngine.open({ statePath: join(sample.dir, 'sample.duckdb'), catalog: 'lakehouse_local', volumesDir: volumes, projectRoot: root });
      try {
        expect((await runWorkflow(engine, workflowNamed('ingest-orders'))).succeeded).toBe(true);
        expect((await runWorkflow(engine, workflowNamed('ingest-customers'))).succeeded).toBe(true);
        const update = await runPipeline(engine, pipelineNamed('orders-medallion')!, root);
        expect(update.succeeded).toBe(true);
        expect(await engine.query('SELECT customer_id, orders, revenue FROM orders_medallion.gold_customer_metrics ORDER BY 1')).toEqual([
          { customer_id: 'CUST-1', orders: '2', revenue: '1309.90' },
          { customer_id: 'CUST-2', orders: '0', revenue: '0.00' },
          { customer_id: 'CUST-3', orders: '1', revenue: '29.95' },
        ]);
      } finally {
        engine.close();
      }
    } finally {
      sample.close();
    }
  });
});

describe('user-analytics on DuckDB', () => {
  it('enriches events with profiles, drops events without a user, and scores engagement within range', async () => {
    deliver('landing/events/profiles', 'profiles_1.csv', ['user_id,name,plan,country,signed_up_at', 'U1,Ada,premium,GB,2026-01-01 00:00:00']);
    deliver('landing/events/incoming', 'events_1.csv', [
      'event_id,user_id,session_id,event_type,page,event_time',
      'E1,U1,S1,page_view,/,2026-11-21 09:00:00',
      'E2,U1,S1,purchase,/checkout,2026-11-21 09:10:00',
      'E3,,S2,page_view,/,2026-11-21 09:00:00',
    ]);
    const update = await runPipeline(scratch.engine, pipelineNamed('user-analytics')!, root);
    expect(update.succeeded).toBe(true);
    expect(metric(update, 'events', 'has_user')).toMatchObject({ passed: 2, failed: 1 });
    expect(await scratch.query('SELECT DISTINCT plan FROM user_analytics.events_enriched')).toEqual([{ plan: 'premium' }]);
    expect(await scratch.query('SELECT user_id, total_events, total_purchases, engagement_score FROM user_analytics.final_metrics')).toEqual([
      { user_id: 'U1', total_events: '2', total_purchases: '1', engagement_score: '24' },
    ]);
  });
});

describe('pipeline definitions', () => {
  it('name an unset configuration value with file and line', () => {
    expect(() => readPipelineDefinitions(root, ['sql/pipelines/orders_medallion/bronze.sql'], {})).toThrow(/^sql\/pipelines\/orders_medallion\/bronze\.sql:\d+: configuration value \$\{orders_path\} is not set/);
  });

  it('keep the quarantine predicates in step with the DROP ROW expectations they mirror', () => {
    const { datasets } = readPipelineDefinitions(root, ['sql/pipelines/orders_medallion/silver.sql'], {});
    const drops = datasets.find((d) => d.name === 'silver_orders')!.expectations.filter((e) => e.action === 'drop');
    const quarantine = datasets.find((d) => d.name === 'silver_orders_quarantine')!.query!;
    for (const e of drops) {
      expect(quarantine).toContain(`CASE WHEN NOT coalesce(${e.expression}, false) THEN '${e.name}' END`);
      expect(quarantine).toContain(`NOT coalesce(${e.expression}, false)`);
    }
    expect((quarantine.match(/THEN '(\w+)' END/g) ?? []).length).toBe(drops.length);
  });
});

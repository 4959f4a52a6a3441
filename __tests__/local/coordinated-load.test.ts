import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scratch } from './harness';

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const BATCH = '2026-11-21';

function deliverBatch(source: 'customers' | 'orders', rows: string[]): void {
  const header = source === 'customers' ? 'customer_id,name,country,updated_at' : 'order_id,customer_id,amount,event_time';
  writeFileSync(join(scratch.folder(`landing/${source}/batches/${BATCH}`), `${source}.csv`), `${[header, ...rows].join('\n')}\n`);
}

const customers = ['C1,Ada,GB,2026-11-21 06:00:00', 'C2,Grace,US,2026-11-21 06:00:00'];
const orders = ['O1,C1,10.00,2026-11-21 08:00:00', 'O2,C1,5.50,2026-11-21 09:00:00', 'O3,C2,7.25,2026-11-21 09:30:00'];
const summary = () => scratch.query('SELECT customer_id, orders, revenue FROM gold.batch_customer_orders ORDER BY customer_id');

describe('coordinated load in one job', () => {
  it('loads the downstream once both upstreams completed the batch', async () => {
    deliverBatch('customers', customers);
    deliverBatch('orders', orders);
    const run = await scratch.run('coordinated-load', { parameters: { batch_id: BATCH } });
    expect(run.succeeded).toBe(true);
    expect(await summary()).toEqual([
      { customer_id: 'C1', orders: '2', revenue: '15.50' },
      { customer_id: 'C2', orders: '1', revenue: '7.25' },
    ]);
  });

  it('is idempotent: a re-run leaves one control row per upstream and the same summary', async () => {
    deliverBatch('customers', customers);
    deliverBatch('orders', orders);
    await scratch.run('coordinated-load', { parameters: { batch_id: BATCH } });
    const first = await summary();
    await scratch.run('coordinated-load', { parameters: { batch_id: BATCH } });
    expect(await summary()).toEqual(first);
    expect(await scratch.query('SELECT source, count(*) AS n FROM ops.batch_control GROUP BY source ORDER BY source')).toEqual([
      { source: 'customers', n: '1' },
      { source: 'orders', n: '1' },
    ]);
  });

  it('stops at the gate, naming the missing upstream, when one upstream failed', async () => {
    deliverBatch('customers', customers);
    deliverBatch('orders', orders);
    const run = await scratch.run('coordinated-load', { parameters: { batch_id: BATCH }, faults: new Map([['load_orders', { failAfterStatements: 0 }]]) });
    expect(Object.fromEntries(run.tasks.map((t) => [t.key, t.status]))).toEqual({
      load_customers: 'SUCCEEDED',
      mark_customers_complete: 'SUCCEEDED',
      load_orders: 'FAILED',
      mark_orders_complete: 'UPSTREAM_FAILED',
      gate: 'UPSTREAM_FAILED',
      load_summary: 'UPSTREAM_FAILED',
    });
    expect(run.tables['gold.batch_customer_orders']).toBeNull();
  });
});

describe('control-table gate across jobs', () => {
  it('fails the downstream job with the missing upstreams named until every upstream job completed the batch', async () => {
    deliverBatch('customers', customers);
    deliverBatch('orders', orders);
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    const early = await scratch.run('coordinated-downstream', { parameters: { batch_id: BATCH } });
    expect(early.tasks[0].message).toMatch(/check_batch_ready\.sql:\d+: batch 2026-11-21 is not ready: missing upstreams orders/);
    expect(early.tasks[1].status).toBe('UPSTREAM_FAILED');

    await scratch.run('coordinated-upstream-orders', { parameters: { batch_id: BATCH } });
    expect((await scratch.run('coordinated-downstream', { parameters: { batch_id: BATCH } })).succeeded).toBe(true);
    expect(await summary()).toHaveLength(2);
  });

  it("skips instead of failing in skip mode, and the loader then loads nothing of the batch", async () => {
    deliverBatch('customers', customers);
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    const params = { catalog: 'lakehouse_local', batch_id: BATCH, required_sources: 'customers,orders' };
    const [gate] = await scratch.engine.runFile('sql/control/check_batch_ready.sql', { ...params, if_not_ready: 'skip' });
    expect(gate).toMatchObject({ readiness: 'SKIPPED', missing_sources: 'orders' });
    await scratch.engine.runFile('sql/coordinated/load_customer_order_summary.sql', params);
    expect(await summary()).toEqual([]);
  });

  it('marking a batch complete twice records it once', async () => {
    deliverBatch('customers', customers);
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    expect(await scratch.query('SELECT batch_id, source, row_count FROM ops.batch_control')).toEqual([{ batch_id: BATCH, source: 'customers', row_count: '2' }]);
  });
});

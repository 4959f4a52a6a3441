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

describe('coordinated load across jobs', () => {
  const downstream = (startedAt?: Date) => scratch.run('coordinated-downstream', { startedAt });
  const loads = () => scratch.query('SELECT batch_id, loader FROM ops.batch_loads ORDER BY batch_id');

  it('loads nothing, and does not fail, until every upstream job completed a batch; then loads it once', async () => {
    deliverBatch('customers', customers);
    deliverBatch('orders', orders);
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    const early = await downstream();
    expect(early.succeeded).toBe(true);
    expect(early.tasks[0].rows).toEqual([expect.objectContaining({ readiness: 'SKIPPED', missing_sources: `${BATCH}: orders` })]);
    expect(await summary()).toEqual([]);

    await scratch.run('coordinated-upstream-orders', { parameters: { batch_id: BATCH } });
    expect((await downstream()).tasks[0].rows).toEqual([expect.objectContaining({ readiness: 'READY', ready_batches: BATCH })]);
    expect(await summary()).toHaveLength(2);
    expect(await loads()).toEqual([{ batch_id: BATCH, loader: 'customer_order_summary' }]);

    // nothing new: the next trigger finds no batch to load and changes nothing
    expect((await downstream()).tasks[0].rows).toEqual([expect.objectContaining({ readiness: 'SKIPPED' })]);
    expect(await summary()).toHaveLength(2);
  });

  it('loads a batch whose upstreams finished after midnight, whatever the date the downstream runs on', async () => {
    deliverBatch('customers', customers);
    deliverBatch('orders', orders);
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    await scratch.run('coordinated-upstream-orders', { parameters: { batch_id: BATCH }, startedAt: new Date('2026-11-22T00:20:00Z') });
    const run = await downstream(new Date('2026-11-22T00:21:00Z'));
    expect(run.succeeded).toBe(true);
    expect(await summary()).toHaveLength(2);
  });

  it('loads a batch completed late once, beside a later one', async () => {
    const later = '2026-11-22';
    deliverBatch('customers', customers);
    writeFileSync(join(scratch.folder(`landing/customers/batches/${later}`), 'customers.csv'), 'customer_id,name,country,updated_at\nC3,Linus,FI,2026-11-22 06:00:00\n');
    writeFileSync(join(scratch.folder(`landing/orders/batches/${later}`), 'orders.csv'), 'order_id,customer_id,amount,event_time\nO9,C3,1.00,2026-11-22 08:00:00\n');
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: later } });
    await scratch.run('coordinated-upstream-orders', { parameters: { batch_id: later } });
    await downstream();
    expect(await loads()).toEqual([{ batch_id: later, loader: 'customer_order_summary' }]);

    deliverBatch('orders', orders);
    await scratch.run('coordinated-upstream-orders', { parameters: { batch_id: BATCH } });
    await downstream();
    await downstream();
    expect(await loads()).toEqual([
      { batch_id: BATCH, loader: 'customer_order_summary' },
      { batch_id: later, loader: 'customer_order_summary' },
    ]);
    expect(await scratch.query('SELECT batch_id, count(*) AS n FROM gold.batch_customer_orders GROUP BY batch_id ORDER BY batch_id')).toEqual([
      { batch_id: BATCH, n: '2' },
      { batch_id: later, n: '1' },
    ]);
  });

  it('fails a named batch that is not ready in fail mode, naming the missing upstreams', async () => {
    deliverBatch('customers', customers);
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    const params = { silver: 'lakehouse_local.silver', gold: 'lakehouse_local.gold', ops: 'lakehouse_local.ops', batch_id: BATCH, required_sources: 'customers,orders', loader: 'customer_order_summary', run_id: 'r1' };
    await expect(scratch.engine.runFile('sql/control/check_batch_ready.sql', { ...params, if_not_ready: 'fail' })).rejects.toThrow(/check_batch_ready\.sql:\d+: batch 2026-11-21 is not ready: missing upstreams orders/);
    const [gate] = await scratch.engine.runFile('sql/control/check_batch_ready.sql', { ...params, if_not_ready: 'skip' });
    expect(gate).toMatchObject({ readiness: 'SKIPPED', missing_sources: 'orders' });
    await scratch.engine.runFile('sql/coordinated/load_customer_order_summary.sql', params);
    expect(await summary()).toEqual([]);
    expect(await loads()).toEqual([]);
  });

  it('marking a batch complete twice records it once', async () => {
    deliverBatch('customers', customers);
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    await scratch.run('coordinated-upstream-customers', { parameters: { batch_id: BATCH } });
    expect(await scratch.query('SELECT batch_id, source, row_count FROM ops.batch_control')).toEqual([{ batch_id: BATCH, source: 'customers', row_count: '2' }]);
  });
});

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scratch } from './harness';

const CUSTOMERS = 'customer_id,name,email,country,updated_at';

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

function deliverCustomers(name: string, rows: readonly string[]): void {
  writeFileSync(join(scratch.folder('landing/customers/incoming'), name), `${[CUSTOMERS, ...rows].join('\n')}\n`);
}

describe('analytics-dag, run locally', () => {
  it('runs the ingest-customers job as its first task: customers staged, merged and archived before the gold tables read them', async () => {
    deliverCustomers('c1.csv', ['C1,Ada,ada@example.com,GB,2026-11-01 00:00:00', 'C2,Grace,grace@example.com,US,2026-11-01 00:00:00']);
    deliverCustomers('c2.csv', ['C1,Ada,ada@example.com,FR,2026-11-05 00:00:00']);
    scratch.deliverOrders('o1.csv', ['T1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    expect((await scratch.run('ingest-orders')).succeeded).toBe(true);

    const run = await scratch.run('analytics-dag', { runId: 'dag-1' });
    expect(run.tasks.map((t) => [t.key, t.status])).toEqual(expect.arrayContaining([['ingest_customers', 'SUCCEEDED'], ['final_reporting', 'SUCCEEDED']]));
    expect(run.tasks.find((t) => t.key === 'ingest_customers')!.message).toMatch(/^job ingest-customers run dag-1-ingest_customers-1 succeeded$/);
    expect(await scratch.query('SELECT customer_id, country FROM silver.customers ORDER BY 1')).toEqual([
      { customer_id: 'C1', country: 'FR' },
      { customer_id: 'C2', country: 'US' },
    ]);
    // the one consumer of the landing folder archived what it loaded
    expect(existsSync(join(scratch.folder('landing/customers/archive'), 'c1.csv'))).toBe(true);
    expect(existsSync(join(scratch.folder('landing/customers/incoming'), 'c1.csv'))).toBe(false);
    expect(await scratch.query('SELECT customer_id FROM gold.customer_metrics ORDER BY 1')).toEqual([{ customer_id: 'C1' }, { customer_id: 'C2' }]);
  });

  it('fails the job task when the job it runs fails, and the tasks depending on it do not run', async () => {
    // a sequence column that is no timestamp: FAILFAST refuses the file
    deliverCustomers('bad.csv', ['C1,Ada,ada@example.com,GB,not-a-time']);
    const run = await scratch.run('analytics-dag');
    const status = Object.fromEntries(run.tasks.map((t) => [t.key, t.status]));
    expect(run.succeeded).toBe(false);
    expect(status).toMatchObject({ ingest_customers: 'FAILED', gold_customer_metrics: 'UPSTREAM_FAILED', final_reporting: 'UPSTREAM_FAILED', silver_orders: 'SUCCEEDED' });
    expect(run.tasks.find((t) => t.key === 'ingest_customers')!.message).toMatch(/^job ingest-customers failed: stage/);
  });
});

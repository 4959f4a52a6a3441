import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Scratch } from './harness';

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const VOLUME_FILE = (name: string) => `dbfs:/Volumes/lakehouse_local/landing/orders/incoming/${name}`;

describe('orders stage load', () => {
  it('keeps quoted commas, doubled quotes and embedded newlines intact, with source file and ingestion time', async () => {
    scratch.deliverFixture('orders/quoted.csv');
    expect((await scratch.run('orders-ingest')).succeeded).toBe(true);
    const rows = await scratch.query('SELECT tracking_num, customer_id, product_id, source_file, ingested_at IS NOT NULL AS has_time FROM bronze.orders_staging ORDER BY 1');
    expect(rows).toEqual([
      { tracking_num: 'TRK-Q1', customer_id: 'Doe, Jane', product_id: 'PROD-A', source_file: VOLUME_FILE('quoted.csv'), has_time: true },
      { tracking_num: 'TRK-Q2', customer_id: 'CUST-2', product_id: 'PROD "B"', source_file: VOLUME_FILE('quoted.csv'), has_time: true },
      { tracking_num: 'TRK-Q3', customer_id: 'CUST-3', product_id: 'line one\nline two', source_file: VOLUME_FILE('quoted.csv'), has_time: true },
    ]);
  });

  it('stages nothing from a header-only or an empty file, and succeeds', async () => {
    scratch.deliverFixture('orders/header_only.csv');
    scratch.deliverFixture('orders/empty.csv');
    const run = await scratch.run('orders-ingest');
    expect(run.succeeded).toBe(true);
    expect(run.tables).toEqual({ 'bronze.orders_staging': 0, 'silver.orders': 0 });
  });

  it('stages a file once, however often the job runs or the file is delivered again', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 10:00:00']);
    await scratch.run('orders-ingest');
    await scratch.run('orders-ingest');
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 10:00:00']);
    const run = await scratch.run('orders-ingest');
    expect(run.tables).toEqual({ 'bronze.orders_staging': 2, 'silver.orders': 2 });
  });

  it('fails on a malformed row naming the file and the line, stages nothing of any file, and loses nothing', async () => {
    scratch.deliverOrders('good.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    scratch.deliverFixture('orders/malformed.csv');
    const run = await scratch.run('orders-ingest');
    expect(run.succeeded).toBe(false);
    const stage = run.tasks.find((t) => t.key === 'stage')!;
    expect(stage.status).toBe('FAILED');
    expect(stage.message).toMatch(/^sql\/orders\/stage_load\.sql:\d+: .*malformed\.csv/);
    expect(stage.message).toContain("malformed.csv line 3: Error when converting column \"quantity\"");
    expect(run.tasks.find((t) => t.key === 'merge')!.status).toBe('UPSTREAM_FAILED');
    // the whole file rolled back: the declared tables are as empty as before
    expect(run.tables).toEqual({ 'bronze.orders_staging': 0, 'silver.orders': 0 });
    expect(existsSync(join(scratch.folder('landing/orders/incoming'), 'malformed.csv'))).toBe(true);

    scratch.deliverOrders('malformed.csv', ['TRK-M1,ORD-M1,CUST-1,PROD-A,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-M2,ORD-M2,CUST-2,PROD-B,PLACED,2,20.00,2026-11-20 11:00:00']);
    expect((await scratch.run('orders-ingest')).tables).toEqual({ 'bronze.orders_staging': 3, 'silver.orders': 3 });
  });
});

describe('orders SCD1 merge', () => {
  it('keeps one row per tracking_num, the latest event, for duplicates within a file and across files', async () => {
    scratch.deliverOrders('day1.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-1,O1,C1,P1,PACKED,1,10.00,2026-11-20 12:00:00']);
    scratch.deliverOrders('day2.csv', ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 09:00:00', 'TRK-2,O2,C2,P2,PLACED,2,5.00,2026-11-21 09:30:00']);
    await scratch.run('orders-ingest');
    expect((await scratch.silverOrders()).map((r) => [r.tracking_num, r.status])).toEqual([
      ['TRK-1', 'SHIPPED'],
      ['TRK-2', 'PLACED'],
    ]);
  });

  it('never lets a late, older event overwrite a newer one', async () => {
    scratch.deliverOrders('new.csv', ['TRK-1,O1,C1,P1,DELIVERED,1,10.00,2026-11-22 10:00:00']);
    await scratch.run('orders-ingest');
    scratch.deliverOrders('late.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    await scratch.run('orders-ingest');
    expect((await scratch.silverOrders()).map((r) => r.status)).toEqual(['DELIVERED']);
  });

  it('breaks ties on equal event times the same way whatever the arrival order', async () => {
    const a = 'TRK-1,O1,C1,P1,PACKED,1,10.00,2026-11-20 10:00:00';
    const b = 'TRK-1,O1,C1,P1,ON_HOLD,1,10.00,2026-11-20 10:00:00';
    scratch.deliverOrders('x.csv', [a]);
    await scratch.run('orders-ingest');
    scratch.deliverOrders('y.csv', [b]);
    await scratch.run('orders-ingest');
    const other = await Scratch.open();
    try {
      other.deliverOrders('y.csv', [b]);
      await other.run('orders-ingest');
      other.deliverOrders('x.csv', [a]);
      await other.run('orders-ingest');
      expect(await other.silverOrders()).toEqual(await scratch.silverOrders());
    } finally {
      other.close();
    }
  });

  it('leaves rows without a key in staging instead of dropping them', async () => {
    scratch.deliverOrders('a.csv', [',O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,10.00,2026-11-20 10:00:00']);
    const run = await scratch.run('orders-ingest');
    expect(run.tables).toEqual({ 'bronze.orders_staging': 2, 'silver.orders': 1 });
  });
});

describe('recovery from failures', () => {
  const day1 = ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 11:00:00'];
  const day2 = ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 10:00:00', 'TRK-3,O3,C3,P3,PLACED,1,30.00,2026-11-21 11:00:00'];

  async function uninterrupted(): Promise<unknown> {
    const reference = await Scratch.open();
    try {
      reference.deliverOrders('day1.csv', day1);
      await reference.run('orders-ingest');
      reference.deliverOrders('day2.csv', day2);
      await reference.run('orders-ingest');
      return await reference.silverOrders();
    } finally {
      reference.close();
    }
  }

  it('recovers from a failure after stage and before merge: the retry ends where an uninterrupted run does', async () => {
    scratch.deliverOrders('day1.csv', day1);
    await scratch.run('orders-ingest');
    scratch.deliverOrders('day2.csv', day2);
    const failed = await scratch.run('orders-ingest', { faults: new Map([['merge', { failAfterStatements: 0 }]]) });
    expect(failed.tasks.map((t) => t.status)).toEqual(['SUCCEEDED', 'FAILED', 'UPSTREAM_FAILED']);
    expect(failed.tables).toEqual({ 'bronze.orders_staging': 4, 'silver.orders': 2 });
    await scratch.run('orders-ingest');
    expect(await scratch.silverOrders()).toEqual(await uninterrupted());
  });

  it('recovers from a task killed after any of its statements: the retry ends where an uninterrupted run does', async () => {
    for (const [task, statements] of [['stage', 2], ['merge', 2]] as const) {
      for (let after = 0; after <= statements; after++) {
        const run = await Scratch.open();
        try {
          run.deliverOrders('day1.csv', day1);
          await run.run('orders-ingest');
          run.deliverOrders('day2.csv', day2);
          const failed = await run.run('orders-ingest', { faults: new Map([[task, { failAfterStatements: after }]]) });
          expect(failed.succeeded).toBe(false);
          await run.run('orders-ingest');
          expect({ task, after, silver: await run.silverOrders() }).toEqual({ task, after, silver: await uninterrupted() });
        } finally {
          run.close();
        }
      }
    }
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workflowNamed } from '../../config/project';
import { splitStatements } from '../../sql-lang/sql-text';
import { killPoints, middleOrLast } from '../support/depth';
import { Scratch } from './harness';

const ROOT = resolve(__dirname, '..', '..');

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

/** Row counts of the staging and current tables after a run. */
const counts = (tables: Record<string, number | null>) => ({ staged: tables['bronze.orders_staging'], current: tables['silver.orders'] });

const VOLUME_FILE = (name: string) => `dbfs:/Volumes/lakehouse_local/landing/orders/incoming/${name}`;

describe('orders stage load', () => {
  it('keeps quoted commas, doubled quotes and embedded newlines intact, with source file and ingestion time', async () => {
    scratch.deliverFixture('orders/quoted.csv');
    expect((await scratch.run('ingest-orders')).succeeded).toBe(true);
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
    const run = await scratch.run('ingest-orders');
    expect(run.succeeded).toBe(true);
    expect(counts(run.tables)).toEqual({ staged: 0, current: 0 });
  });

  it('stages a file once, however often the job runs or the file is delivered again', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 10:00:00']);
    await scratch.run('ingest-orders');
    await scratch.run('ingest-orders');
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 10:00:00']);
    const run = await scratch.run('ingest-orders');
    expect(counts(run.tables)).toEqual({ staged: 2, current: 2 });
    expect(await scratch.query("SELECT count(*) AS n FROM ops.ingested_files WHERE source = 'orders'")).toEqual([{ n: '1' }]);
  });

  it('fails on a malformed row naming the file and the line, stages nothing of any file, and loses nothing', async () => {
    scratch.deliverOrders('good.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    scratch.deliverFixture('orders/malformed.csv');
    const run = await scratch.run('ingest-orders');
    expect(run.succeeded).toBe(false);
    const stage = run.tasks.find((t) => t.key === 'stage')!;
    expect(stage.status).toBe('FAILED');
    expect(stage.message).toMatch(/^sql\/generated\/orders\/stage\.sql:\d+: .*malformed\.csv/);
    expect(stage.message).toContain("malformed.csv line 3: Error when converting column \"quantity\"");
    expect(run.tasks.find((t) => t.key === 'merge')!.status).toBe('UPSTREAM_FAILED');
    // the statement reading the rows failed as a whole: nothing of any file is staged; the files
    // stay pending in the ledger (reading only their paths needs no column), staged once readable
    expect(counts(run.tables)).toEqual({ staged: 0, current: 0 });
    expect(await scratch.query('SELECT count(*) AS n FROM ops.ingested_files WHERE staged_rows IS NOT NULL')).toEqual([{ n: '0' }]);
    expect(existsSync(join(scratch.folder('landing/orders/incoming'), 'malformed.csv'))).toBe(true);

    scratch.deliverOrders('malformed.csv', ['TRK-M1,ORD-M1,CUST-1,PROD-A,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-M2,ORD-M2,CUST-2,PROD-B,PLACED,2,20.00,2026-11-20 11:00:00']);
    expect(counts((await scratch.run('ingest-orders')).tables)).toEqual({ staged: 3, current: 3 });
  });
});

describe('orders SCD1 merge', () => {
  it('keeps one row per tracking_num, the latest event, for duplicates within a file and across files', async () => {
    scratch.deliverOrders('day1.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-1,O1,C1,P1,PACKED,1,10.00,2026-11-20 12:00:00']);
    scratch.deliverOrders('day2.csv', ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 09:00:00', 'TRK-2,O2,C2,P2,PLACED,2,5.00,2026-11-21 09:30:00']);
    await scratch.run('ingest-orders');
    expect((await scratch.silverOrders()).map((r) => [r.tracking_num, r.status])).toEqual([
      ['TRK-1', 'SHIPPED'],
      ['TRK-2', 'PLACED'],
    ]);
  });

  it('never lets a late, older event overwrite a newer one', async () => {
    scratch.deliverOrders('new.csv', ['TRK-1,O1,C1,P1,DELIVERED,1,10.00,2026-11-22 10:00:00']);
    await scratch.run('ingest-orders');
    scratch.deliverOrders('late.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    await scratch.run('ingest-orders');
    expect((await scratch.silverOrders()).map((r) => r.status)).toEqual(['DELIVERED']);
  });

  it('breaks ties on equal event times the same way whatever the arrival order', async () => {
    const a = 'TRK-1,O1,C1,P1,PACKED,1,10.00,2026-11-20 10:00:00';
    const b = 'TRK-1,O1,C1,P1,ON_HOLD,1,10.00,2026-11-20 10:00:00';
    scratch.deliverOrders('x.csv', [a]);
    await scratch.run('ingest-orders');
    scratch.deliverOrders('y.csv', [b]);
    await scratch.run('ingest-orders');
    const other = await Scratch.open();
    try {
      other.deliverOrders('y.csv', [b]);
      await other.run('ingest-orders');
      other.deliverOrders('x.csv', [a]);
      await other.run('ingest-orders');
      expect(await other.silverOrders()).toEqual(await scratch.silverOrders());
    } finally {
      other.close();
    }
  });

  it('quarantines rows without a key or event time, with the rules they broke, instead of dropping them', async () => {
    scratch.deliverOrders('a.csv', [',O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,10.00,', 'TRK-3,O3,C3,P3,PLACED,1,10.00,2026-11-20 10:00:00']);
    const run = await scratch.run('ingest-orders');
    expect(counts(run.tables)).toEqual({ staged: 3, current: 1 });
    expect(await scratch.query('SELECT order_id, broken_rules FROM bronze.orders_quarantine ORDER BY 1')).toEqual([
      { order_id: 'O1', broken_rules: ['key_present'] },
      { order_id: 'O2', broken_rules: ['sequence_present'] },
    ]);
    expect(await scratch.query("SELECT expectation, action, passed, failed FROM ops.expectation_results WHERE source = 'orders' ORDER BY 1")).toEqual([
      { expectation: 'key_present', action: 'drop', passed: '2', failed: '1' },
      { expectation: 'known_status', action: 'warn', passed: '3', failed: '0' },
      { expectation: 'sequence_present', action: 'drop', passed: '2', failed: '1' },
    ]);
  });
});

describe('recovery from failures', () => {
  const day1 = ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 11:00:00'];
  const day2 = ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 10:00:00', 'TRK-3,O3,C3,P3,PLACED,1,30.00,2026-11-21 11:00:00'];

  let reference: Promise<unknown> | undefined;
  /** silver.orders after both days loaded without a fault (computed once). */
  const uninterrupted = (): Promise<unknown> => (reference ??= loadedWithoutFault());

  async function loadedWithoutFault(): Promise<unknown> {
    const reference = await Scratch.open();
    try {
      reference.deliverOrders('day1.csv', day1);
      await reference.run('ingest-orders');
      reference.deliverOrders('day2.csv', day2);
      await reference.run('ingest-orders');
      return await reference.silverOrders();
    } finally {
      reference.close();
    }
  }

  it('recovers from a failure after stage and before merge: the retry ends where an uninterrupted run does', async () => {
    scratch.deliverOrders('day1.csv', day1);
    await scratch.run('ingest-orders');
    scratch.deliverOrders('day2.csv', day2);
    const failed = await scratch.run('ingest-orders', { faults: new Map([['merge', { failAfterStatements: 0 }]]) });
    expect(failed.tasks.map((t) => t.status)).toEqual(['SUCCEEDED', 'FAILED', 'UPSTREAM_FAILED']);
    expect(counts(failed.tables)).toEqual({ staged: 4, current: 2 });
    await scratch.run('ingest-orders');
    expect(await scratch.silverOrders()).toEqual(await uninterrupted());
  });

  it('recovers from a task killed between its statements (every point in test:deep): the rerun ends where an uninterrupted run does', async () => {
    const sqlTasks = workflowNamed('ingest-orders').tasks.flatMap((t) => (t.asset.kind === 'sql' ? [{ task: t.key, statements: splitStatements(readFileSync(join(ROOT, t.asset.file), 'utf8')).length }] : []));
    expect(sqlTasks.map((t) => t.task)).toEqual(['stage', 'merge']);
    // the quick suite kills the merge after its last statement (fault-convergence.test.ts kills the stage in its middle); test:deep every point of both
    for (const [index, { task, statements }] of sqlTasks.entries()) {
      for (const after of killPoints(statements, index === 0 ? [] : [middleOrLast(statements, index)])) {
        const run = await Scratch.open();
        try {
          run.deliverOrders('day1.csv', day1);
          await run.run('ingest-orders');
          run.deliverOrders('day2.csv', day2);
          const failed = await run.run('ingest-orders', { faults: new Map([[task, { failAfterStatements: after }]]) });
          expect(failed.succeeded).toBe(false);
          await run.run('ingest-orders');
          expect({ task, after, silver: await run.silverOrders() }).toEqual({ task, after, silver: await uninterrupted() });
        } finally {
          run.close();
        }
      }
    }
  });
});

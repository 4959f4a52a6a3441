import { readdirSync } from 'node:fs';
import { bySuiteDepth } from '../support/depth';
import { Scratch } from './harness';

// The file ledger (ops.ingested_files) knows a file by its path and the SHA-256 of its content
// (model/source-sql.ts stageSql): new content delivered under a name already ingested is a new
// file and is loaded; the same content delivered again is loaded once.

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const first = ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00'];
const second = ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 10:00:00', 'TRK-2,O2,C2,P2,PLACED,2,20.00,2026-11-21 11:00:00'];

/** The files of a volume folder, but for the folder marker. */
const files = (folder: string) => readdirSync(scratch.folder(folder)).filter((name) => !name.startsWith('_')).sort();
const silver = () => scratch.query('SELECT tracking_num, status FROM silver.orders ORDER BY tracking_num');
const ledger = () => scratch.query("SELECT staged_rows, merged_at IS NOT NULL AS merged, length(content_hash) AS hash_length FROM ops.ingested_files WHERE source = 'orders' ORDER BY stage_seq");

describe('a file delivered again under a name already ingested', () => {
  it('loads new content under a known name, after the first delivery was archived', async () => {
    scratch.deliverOrders('daily.csv', first);
    expect((await scratch.run('ingest-orders')).succeeded).toBe(true);
    scratch.deliverOrders('daily.csv', second);
    const run = await scratch.run('ingest-orders');
    expect(run.tasks.map((t) => [t.key, t.status])).toEqual([
      ['stage', 'SUCCEEDED'],
      ['merge', 'SUCCEEDED'],
      ['archive', 'SUCCEEDED'],
    ]);
    expect(await silver()).toEqual([
      { tracking_num: 'TRK-1', status: 'SHIPPED' },
      { tracking_num: 'TRK-2', status: 'PLACED' },
    ]);
    expect(await ledger()).toEqual([
      { staged_rows: '1', merged: true, hash_length: '64' },
      { staged_rows: '2', merged: true, hash_length: '64' },
    ]);
    // both contents archived: the second beside the first, named by its content hash
    const [{ hash }] = await scratch.query("SELECT content_hash AS hash FROM ops.ingested_files ORDER BY stage_seq DESC LIMIT 1");
    expect(files('landing/orders/archive')).toEqual([`daily.${String(hash).slice(0, 16)}.csv`, 'daily.csv']);
  });

  it('leaves new content delivered between the stage load and the archive for the next run, which loads it', async () => {
    scratch.deliverOrders('daily.csv', first);
    const run = await scratch.run('ingest-orders', {
      beforeTask: async (key) => {
        if (key === 'archive') scratch.deliverOrders('daily.csv', second);
      },
    });
    expect(run.tasks.find((t) => t.key === 'archive')!.message).toContain('1 unstaged file(s) left in place');
    expect(files('landing/orders/incoming')).toEqual(['daily.csv']);
    await scratch.run('ingest-orders');
    expect(await silver()).toEqual([
      { tracking_num: 'TRK-1', status: 'SHIPPED' },
      { tracking_num: 'TRK-2', status: 'PLACED' },
    ]);
  });

  it('loads new content under a known name delivered before the first was archived', async () => {
    scratch.deliverOrders('daily.csv', first);
    expect((await scratch.run('ingest-orders', { notebookFaults: new Map([['archive', { failAfterFileOperations: 0 }]]) })).succeeded).toBe(false);
    scratch.deliverOrders('daily.csv', second);
    await scratch.run('ingest-orders');
    expect(await silver()).toEqual([
      { tracking_num: 'TRK-1', status: 'SHIPPED' },
      { tracking_num: 'TRK-2', status: 'PLACED' },
    ]);
  });

  it('loads the same content once, however often it is delivered, archived or not', async () => {
    scratch.deliverOrders('daily.csv', second);
    await scratch.run('ingest-orders');
    scratch.deliverOrders('daily.csv', second);
    await scratch.run('ingest-orders');
    scratch.deliverOrders('daily.csv', second);
    await scratch.run('ingest-orders');
    expect(await scratch.query('SELECT count(*) AS n FROM bronze.orders_staging')).toEqual([{ n: '2' }]);
    expect(await ledger()).toEqual([{ staged_rows: '2', merged: true, hash_length: '64' }]);
    expect(files('landing/orders/incoming')).toEqual([]);
  });

  it('loads new content under a known name once, whatever statement of the stage or merge a failure stops', async () => {
    const expected = [
      { tracking_num: 'TRK-1', status: 'SHIPPED' },
      { tracking_num: 'TRK-2', status: 'PLACED' },
    ];
    // stage.sql has 8 statements (header check, ledger, rows, counts), merge.sql 7: every point in the deep suite;
    // the quick suite stops the stage after the ledger recorded the new content, before its rows
    const points = bySuiteDepth({ quick: [['stage', 4]], deep: [...[0, 1, 2, 3, 4, 5, 6, 7].map((n) => ['stage', n]), ...[0, 1, 2, 3, 4, 5, 6].map((n) => ['merge', n])] }) as [string, number][];
    for (const [task, after] of points) {
      const run = await Scratch.open();
      try {
        run.deliverOrders('daily.csv', first);
        await run.run('ingest-orders');
        run.deliverOrders('daily.csv', second);
        const failed = await run.run('ingest-orders', { faults: new Map([[task, { failAfterStatements: after }]]) });
        expect({ task, after, succeeded: failed.succeeded }).toEqual({ task, after, succeeded: false });
        await run.run('ingest-orders');
        const rows = await run.query('SELECT tracking_num, status FROM silver.orders ORDER BY tracking_num');
        const staged = await run.query('SELECT count(*) AS n FROM bronze.orders_staging');
        expect({ task, after, rows, staged }).toEqual({ task, after, rows: expected, staged: [{ n: '3' }] });
      } finally {
        run.close();
      }
    }
  });
});

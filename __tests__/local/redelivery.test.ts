import { readdirSync } from 'node:fs';
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
});

import { Scratch } from './harness';

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const base = { ops: 'lakehouse_local.ops', pipeline: 'orders_extract' };
const start = (runId: string, extra: Record<string, string> = {}) =>
  scratch.engine.runFile('sql/watermark/start_run.sql', { ...base, run_id: runId, window_high: '', source_version: '', stale_after_minutes: '720', ...extra });
const finalize = (runId: string, status: string) => scratch.engine.runFile('sql/watermark/finalize_run.sql', { ...base, run_id: runId, status, error_message: '' });
const runs = (pipeline = base.pipeline) =>
  scratch.query(`SELECT run_id, status, window_low, window_high, source_version_low, source_version_high FROM ops.watermarks WHERE pipeline = '${pipeline}' ORDER BY started_at, run_id`);

describe('watermark runs', () => {
  it('refuses a second RUNNING run of the same pipeline, naming the running one', async () => {
    await start('a');
    await expect(start('b')).rejects.toThrow(/start_run\.sql:\d+: pipeline orders_extract already has a RUNNING run a/);
    await finalize('a', 'SUCCESS');
    await expect(start('b')).resolves.toBeDefined();
  });

  it('takes a RUNNING run older than stale_after_minutes as abandoned, and marks it FAILED', async () => {
    await start('a');
    await start('b', { stale_after_minutes: '0' });
    expect((await runs()).map((r) => [r.run_id, r.status])).toEqual([
      ['a', 'FAILED'],
      ['b', 'RUNNING'],
    ]);
  });

  it('reuses the window when start_run is retried in the same job run', async () => {
    await start('a', { window_high: '2026-11-20 10:00:00' });
    await start('a', { window_high: '2026-11-20 11:00:00' });
    expect((await runs()).map((r) => [r.run_id, r.window_high])).toEqual([['a', '2026-11-20 10:00:00']]);
  });

  it('carries the Delta source version into the next window for table_changes', async () => {
    await start('a', { window_high: '2026-11-20 10:00:00', source_version: '41' });
    await finalize('a', 'SUCCESS');
    await start('b', { window_high: '2026-11-20 11:00:00', source_version: '57' });
    expect((await runs()).map((r) => [r.run_id, r.source_version_low, r.source_version_high])).toEqual([
      ['a', null, '41'],
      ['b', '41', '57'],
    ]);
  });

  it('keeps one current successful run per pipeline: finalizing a success supersedes the earlier ones', async () => {
    for (const [run, high] of [['a', '2026-11-20 10:00:00'], ['b', '2026-11-20 11:00:00'], ['c', '2026-11-20 12:00:00']]) {
      await start(run, { window_high: high });
      await finalize(run, 'SUCCESS');
    }
    expect(await scratch.query('SELECT run_id, superseded_at IS NULL AS current FROM ops.watermarks ORDER BY run_id')).toEqual([
      { run_id: 'a', current: false },
      { run_id: 'b', current: false },
      { run_id: 'c', current: true },
    ]);
  });

  it('refuses a window_high that is not after the watermark', async () => {
    await start('a', { window_high: '2026-11-20 10:00:00' });
    await finalize('a', 'SUCCESS');
    await expect(start('b', { window_high: '2026-11-20 09:00:00' })).rejects.toThrow('window_high 2026-11-20 09:00:00 is not after the current watermark');
  });

  it('finalizes only a RUNNING run, so a retried finalize or a late FAILED changes nothing', async () => {
    await start('a');
    await finalize('a', 'SUCCESS');
    await expect(finalize('a', 'FAILED')).rejects.toThrow('run a of orders_extract failed and is recorded as FAILED');
    expect((await runs()).map((r) => r.status)).toEqual(['SUCCESS']);
    await expect(finalize('a', 'DONE')).rejects.toThrow('status must be SUCCESS, FAILED or SKIPPED, got DONE');
  });
});

describe('incremental extract by change data feed', () => {
  it('extracts each change once: the second window holds only the changes committed after the first', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 10:00:00']);
    await scratch.run('ingest-orders');
    const first = await scratch.run('incremental-extract', { runId: 'r1' });
    expect(first.succeeded).toBe(true);
    expect(first.tables['gold.orders_changes']).toBe(2);

    scratch.deliverOrders('b.csv', ['TRK-2,O2,C2,P2,SHIPPED,1,20.00,2026-11-21 10:00:00', 'TRK-3,O3,C3,P3,PLACED,1,30.00,2026-11-21 10:00:00']);
    await scratch.run('ingest-orders');
    await scratch.run('incremental-extract', { runId: 'r2' });
    expect(await scratch.query('SELECT tracking_num, status, change_type, extract_run_id FROM gold.orders_changes ORDER BY commit_version, tracking_num')).toEqual([
      { tracking_num: 'TRK-1', status: 'PLACED', change_type: 'insert', extract_run_id: 'r1' },
      { tracking_num: 'TRK-2', status: 'PLACED', change_type: 'insert', extract_run_id: 'r1' },
      { tracking_num: 'TRK-2', status: 'SHIPPED', change_type: 'update_postimage', extract_run_id: 'r2' },
      { tracking_num: 'TRK-3', status: 'PLACED', change_type: 'insert', extract_run_id: 'r2' },
    ]);
    const windows = await scratch.query("SELECT run_id, source_version_low, source_version_high, rows_extracted FROM ops.watermarks WHERE status = 'SUCCESS' ORDER BY run_id");
    expect(windows.map((w) => [w.run_id, w.rows_extracted])).toEqual([
      ['r1', '2'],
      ['r2', '2'],
    ]);
    // the second window starts right after the first: versions contiguous, never overlapping
    expect(Number(windows[1].source_version_low)).toBe(Number(windows[0].source_version_high));
  });

  it('picks up in the next run a commit that lands while a run is under way, never losing it', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    await scratch.run('ingest-orders');
    // a writer commits after read_versions read the latest version, before the extract reads the feed
    const during = await scratch.run('incremental-extract', {
      runId: 'r1',
      beforeTask: async (key) => {
        if (key !== 'extract') return;
        scratch.deliverOrders('late.csv', ['TRK-9,O9,C9,P9,PLACED,1,90.00,2026-11-20 11:00:00']);
        expect((await scratch.run('ingest-orders', { runId: 'late' })).succeeded).toBe(true);
      },
    });
    expect(during.succeeded).toBe(true);
    expect(await scratch.query("SELECT tracking_num FROM gold.orders_changes WHERE extract_run_id = 'r1'")).toEqual([{ tracking_num: 'TRK-1' }]);
    await scratch.run('incremental-extract', { runId: 'r2' });
    expect(await scratch.query("SELECT tracking_num FROM gold.orders_changes WHERE extract_run_id = 'r2'")).toEqual([{ tracking_num: 'TRK-9' }]);
  });

  it('finalizes a run as FAILED when the extract fails, then fails the job run, so the next run reads the same window again', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    await scratch.run('ingest-orders');
    const failed = await scratch.run('incremental-extract', { runId: 'r1', faults: new Map([['extract', { failAfterStatements: 1 }]]) });
    expect(failed.tasks.map((t) => [t.key, t.status])).toEqual([
      ['read_versions', 'SUCCEEDED'],
      ['start_run', 'SUCCEEDED'],
      ['extract', 'FAILED'],
      ['finalize_success', 'UPSTREAM_FAILED'],
      ['finalize_failed', 'FAILED'],
    ]);
    expect(failed.succeeded).toBe(false);
    expect(failed.tasks.at(-1)!.message).toContain('run r1 of orders_changes failed and is recorded as FAILED');
    await scratch.run('incremental-extract', { runId: 'r2' });
    expect((await runs('orders_changes')).map((r) => [r.run_id, r.status, r.source_version_low])).toEqual([
      ['r1', 'FAILED', null],
      ['r2', 'SUCCESS', null],
    ]);
    expect(await scratch.query('SELECT tracking_num, extract_run_id FROM gold.orders_changes')).toEqual([{ tracking_num: 'TRK-1', extract_run_id: 'r2' }]);
  });
});

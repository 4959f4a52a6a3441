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
const runs = () => scratch.query('SELECT run_id, status, window_low, window_high, source_version_low, source_version_high FROM ops.watermarks ORDER BY started_at, run_id');

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

describe('incremental extract', () => {
  it('extracts each change once: the second window holds only what changed after the first', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,1,20.00,2026-11-20 10:00:00']);
    await scratch.run('ingest-orders');
    const first = await scratch.run('incremental-extract', { runId: 'r1' });
    expect(first.tables['gold.orders_extract']).toBe(2);

    scratch.deliverOrders('b.csv', ['TRK-2,O2,C2,P2,SHIPPED,1,20.00,2026-11-21 10:00:00', 'TRK-3,O3,C3,P3,PLACED,1,30.00,2026-11-21 10:00:00']);
    await scratch.run('ingest-orders');
    await scratch.run('incremental-extract', { runId: 'r2' });
    expect(await scratch.query('SELECT tracking_num, status, extract_run_id FROM gold.orders_extract ORDER BY 1')).toEqual([
      { tracking_num: 'TRK-1', status: 'PLACED', extract_run_id: 'r1' },
      { tracking_num: 'TRK-2', status: 'SHIPPED', extract_run_id: 'r2' },
      { tracking_num: 'TRK-3', status: 'PLACED', extract_run_id: 'r2' },
    ]);
    expect(await scratch.query("SELECT run_id, rows_extracted FROM ops.watermarks WHERE status = 'SUCCESS' ORDER BY run_id")).toEqual([
      { run_id: 'r1', rows_extracted: '2' },
      { run_id: 'r2', rows_extracted: '2' },
    ]);
  });

  it('finalizes a run as FAILED when the extract fails, then fails the job run, so the next run reads the same window again', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    await scratch.run('ingest-orders');
    const failed = await scratch.run('incremental-extract', { runId: 'r1', faults: new Map([['extract', { failAfterStatements: 1 }]]) });
    expect(failed.tasks.map((t) => [t.key, t.status])).toEqual([
      ['start_run', 'SUCCEEDED'],
      ['extract', 'FAILED'],
      ['finalize_success', 'UPSTREAM_FAILED'],
      ['finalize_failed', 'FAILED'],
    ]);
    expect(failed.succeeded).toBe(false);
    expect(failed.tasks.at(-1)!.message).toContain('run r1 of orders_extract failed and is recorded as FAILED');
    await scratch.run('incremental-extract', { runId: 'r2' });
    expect((await runs()).map((r) => [r.run_id, r.status, r.window_low])).toEqual([
      ['r1', 'FAILED', null],
      ['r2', 'SUCCESS', null],
    ]);
  });
});

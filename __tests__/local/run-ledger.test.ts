import { Scratch } from './harness';

/**
 * A repair run of a job run (local/run-ledger.ts) runs only the tasks that did not succeed:
 * incremental-extract's start_run, run again in the same run after its finalize committed the
 * watermark, would refuse the window it already committed.
 */
describe('repair run', () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await Scratch.open();
    scratch.deliverOrders('day1.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    expect((await scratch.run('ingest-orders', { runId: 'seed' })).succeeded).toBe(true);
  });
  afterAll(() => scratch.close());

  it('skips the tasks that succeeded in an earlier attempt of the run, reusing their task values; a plain rerun starts the run anew and is refused', async () => {
    const parameters = { window_high: '2030-01-01 00:00:00' };
    expect((await scratch.run('incremental-extract', { runId: 'r1', parameters })).succeeded).toBe(true);
    const repaired = await scratch.run('incremental-extract', { runId: 'r1', parameters, repair: true });
    expect(repaired.tasks.map((t) => [t.key, t.status, t.message])).toEqual([
      ['read_versions', 'SUCCEEDED', 'succeeded in an earlier attempt of run r1 (repair run)'],
      ['start_run', 'SUCCEEDED', 'succeeded in an earlier attempt of run r1 (repair run)'],
      ['extract', 'SUCCEEDED', 'succeeded in an earlier attempt of run r1 (repair run)'],
      ['finalize_success', 'SUCCEEDED', 'succeeded in an earlier attempt of run r1 (repair run)'],
      ['finalize_failed', 'EXCLUDED', 'run_if AT_LEAST_ONE_FAILED not met'],
    ]);
    const rerun = await scratch.run('incremental-extract', { runId: 'r1', parameters });
    expect(rerun.tasks.find((t) => t.key === 'start_run')?.message).toMatch(/not after the current watermark/);
  });
});

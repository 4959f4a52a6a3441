import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { bySuiteDepth, propertyRuns } from '../support/depth';
import type { Row } from '../../local/engine';
import { CATALOG, Scratch } from './harness';

/**
 * The incremental extract by change data feed over random interleavings of ingest runs
 * (commits to silver.orders), extract runs, commits that land while an extract runs, and
 * faults that kill a task between any two of its statements (retried or not): every change to
 * silver.orders is extracted exactly once, across runs.
 */

const ROOT = resolve(__dirname, '..', '..');

type Fault = { readonly task: 'start_run' | 'extract' | 'finalize_success'; readonly after: number; readonly retried: boolean };
type Step =
  | { readonly kind: 'ingest'; readonly rows: readonly { key: string; status: string }[] }
  | { readonly kind: 'extract'; readonly fault?: Fault; readonly commitDuring?: readonly { key: string; status: string }[] };

const rowsArbitrary = fc.array(fc.record({ key: fc.constantFrom('TRK-1', 'TRK-2', 'TRK-3'), status: fc.constantFrom('PLACED', 'PACKED', 'SHIPPED') }), { minLength: 1, maxLength: 3 });
const faultArbitrary = fc.record({ task: fc.constantFrom('start_run' as const, 'extract' as const, 'finalize_success' as const), after: fc.nat(3), retried: fc.boolean() });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('ingest' as const), rows: rowsArbitrary }),
  fc.record({ kind: fc.constant('extract' as const), fault: fc.option(faultArbitrary, { nil: undefined }), commitDuring: fc.option(rowsArbitrary, { nil: undefined }) }),
);

const key = (r: Row) => `${r.tracking_num}@${r.commit_version}:${r.change_type}`;

describe('incremental extract by change data feed, over random interleavings', () => {
  it('extracts every change to silver.orders exactly once, whatever commits land during runs and whichever statement a run dies at', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: bySuiteDepth({ quick: 4, deep: 6 }) }), async (steps) => {
        const scratch = await Scratch.open();
        let file = 0;
        let minute = 0;
        const ingest = async (rows: readonly { key: string; status: string }[]) => {
          // event times only grow, so every delivered row is a newer version and commits a change
          scratch.deliverOrders(`f${file++}.csv`, rows.map((r) => `${r.key},O-${r.key},C1,P1,${r.status},1,10.00,2026-11-20 ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute++ % 60).padStart(2, '0')}:00`));
          expect((await scratch.run('ingest-orders', { runId: `ingest-${file}` })).succeeded).toBe(true);
        };
        try {
          for (const [i, step] of steps.entries()) {
            if (step.kind === 'ingest') {
              await ingest(step.rows);
              continue;
            }
            await scratch.run('incremental-extract', {
              runId: `extract-${i}`,
              faults: step.fault ? new Map([[step.fault.task, { failAfterStatements: step.fault.after, attempts: step.fault.retried ? 1 : undefined }]]) : undefined,
              beforeTask: async (task) => {
                if (task === 'extract' && step.commitDuring) await ingest(step.commitDuring);
              },
            });
          }
          // a last run without faults catches up to the latest version
          expect((await scratch.run('incremental-extract', { runId: 'final' })).succeeded).toBe(true);

          const extracted = await scratch.query('SELECT tracking_num, commit_version, change_type FROM gold.orders_changes');
          const feed = (await scratch.engine.execute('test', 1, `SELECT tracking_num, _commit_version AS commit_version, _change_type AS change_type FROM table_changes('${CATALOG}.silver.orders', 0) WHERE _change_type <> 'update_preimage'`, {})).map(key);
          const once = extracted.map(key);
          expect(new Set(once).size).toBe(once.length);
          expect([...once].sort()).toEqual([...feed].sort());
        } finally {
          scratch.close();
        }
      }),
      propertyRuns({ quick: 2, deep: 150 }),
    );
  });
});

describe('the change-window notebook functions (python3 -m unittest)', () => {
  it('pass', () => {
    const result = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', '__tests__/local', '-p', 'change_window_notebook_test.py'], {
      cwd: ROOT,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`python3 -m unittest failed:\n${result.stderr}${result.stdout}`);
    expect(result.stderr).toMatch(/\nOK\n?$/);
  });
});

import fc from 'fast-check';
import { propertyRuns } from '../support/depth';
import { Scratch } from './harness';

/**
 * Property tests: random histories of file arrivals, redeliveries and failing runs must
 * end where the model says, computed here independently of the SQL.
 */

interface OrderRow {
  readonly key: string;
  readonly status: string;
  /** Minutes after the base time; unique across all rows, so "latest" is unambiguous. */
  readonly minute: number;
}

type Step =
  | { readonly kind: 'arrive'; readonly file: number }
  | { readonly kind: 'run'; readonly fault?: { readonly task: 'stage' | 'merge'; readonly after: number } };

const BASE = Date.UTC(2026, 10, 20, 0, 0, 0);
const timestamp = (minute: number) => new Date(BASE + minute * 60_000).toISOString().replace('T', ' ').slice(0, 19);

/** A pool of files over a few keys, with globally unique event times in random order. */
const filesArbitrary = fc
  .array(fc.array(fc.record({ key: fc.constantFrom('TRK-1', 'TRK-2', 'TRK-3', 'TRK-4'), status: fc.constantFrom('PLACED', 'PACKED', 'SHIPPED', 'DELIVERED') }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 })
  .chain((files) => {
    const total = files.reduce((n, f) => n + f.length, 0);
    return fc.shuffledSubarray([...Array(total).keys()], { minLength: total, maxLength: total }).map((minutes) => {
      let next = 0;
      return files.map((rows) => rows.map((row) => ({ ...row, minute: minutes[next++] })));
    });
  });

const historyArbitrary = filesArbitrary.chain((files) =>
  fc.record({
    files: fc.constant(files),
    steps: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('arrive' as const), file: fc.nat(files.length - 1) }),
        fc.record({ kind: fc.constant('run' as const) }),
        fc.record({ kind: fc.constant('run' as const), fault: fc.record({ task: fc.constantFrom('stage' as const, 'merge' as const), after: fc.nat(2) }) }),
      ),
      { maxLength: 8 },
    ),
  }),
);

function csvRows(rows: readonly OrderRow[]): string[] {
  return rows.map((r) => `${r.key},O-${r.key},C1,P1,${r.status},1,10.00,${timestamp(r.minute)}`);
}

describe('orders ingest over random histories', () => {
  it('loses no row, duplicates none, and ends with the latest version of every key', async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async ({ files, steps }) => {
        const scratch = await Scratch.open();
        try {
          const arrived = new Set<number>();
          for (const step of steps as readonly Step[]) {
            if (step.kind === 'arrive') {
              scratch.deliverOrders(`f${step.file}.csv`, csvRows(files[step.file]));
              arrived.add(step.file);
            } else {
              await scratch.run('ingest-orders', { faults: step.fault ? new Map([[step.fault.task, { failAfterStatements: step.fault.after }]]) : undefined });
            }
          }
          await scratch.run('ingest-orders');

          const staged = await scratch.query('SELECT source_file, count(*) AS n FROM bronze.orders_staging GROUP BY source_file ORDER BY source_file');
          const expectedStaged = [...arrived]
            .sort((a, b) => `f${a}`.localeCompare(`f${b}`))
            .map((f) => ({ source_file: `dbfs:/Volumes/lakehouse_local/landing/orders/incoming/f${f}.csv`, n: String(files[f].length) }));
          expect(staged).toEqual(expectedStaged);

          const latest = new Map<string, OrderRow>();
          for (const row of [...arrived].flatMap((f) => files[f])) {
            if ((latest.get(row.key)?.minute ?? -1) < row.minute) latest.set(row.key, row);
          }
          const silver = await scratch.query('SELECT tracking_num, status, event_time FROM silver.orders ORDER BY tracking_num');
          expect(silver).toEqual(
            [...latest.values()].sort((a, b) => a.key.localeCompare(b.key)).map((r) => ({ tracking_num: r.key, status: r.status, event_time: timestamp(r.minute) })),
          );
        } finally {
          scratch.close();
        }
      }),
      propertyRuns({ quick: 2, deep: 300 }),
    );
  });
});

type Outcome = 'success' | 'fail-start' | 'fail-extract' | 'fail-finalize' | 'skip';

describe('watermarks over random run outcomes', () => {
  it('keep successful windows contiguous and non-overlapping, and never advance on a failed or skipped run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<Outcome>('success', 'fail-start', 'fail-extract', 'fail-finalize', 'skip'), { minLength: 1, maxLength: 8 }), async (outcomes) => {
        const scratch = await Scratch.open();
        try {
          // the extract reads silver.orders, which the orders ingest creates
          scratch.deliverOrders('seed.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
          await scratch.run('ingest-orders');
          let watermark: string | null = null;
          for (const [i, outcome] of outcomes.entries()) {
            const runId = `run-${i}`;
            const windowHigh = timestamp((i + 1) * 60);
            const params = { window_high: windowHigh };
            if (outcome === 'skip') {
              const base = { ops: 'lakehouse_local.ops', pipeline: 'orders_changes', run_id: runId };
              await scratch.engine.runFile('sql/watermark/start_run.sql', { ...base, window_high: windowHigh, source_version: '', stale_after_minutes: '720' });
              await scratch.engine.runFile('sql/watermark/finalize_run.sql', { ...base, status: 'SKIPPED', error_message: 'nothing to do' });
            } else {
              const faultTask = { 'fail-start': 'start_run', 'fail-extract': 'extract', 'fail-finalize': 'finalize_success', success: undefined }[outcome];
              const run = await scratch.run('incremental-extract', { runId, parameters: params, faults: faultTask ? new Map([[faultTask, { failAfterStatements: 0 }]]) : undefined });
              expect(run.succeeded).toBe(outcome === 'success');
            }
            if (outcome === 'success') watermark = windowHigh;

            const [current] = await scratch.engine.runFile('sql/watermark/current_window.sql', { ops: 'lakehouse_local.ops', pipeline: 'orders_changes' });
            expect({ after: i, watermark: current.watermark ?? null, running: current.running_run_id ?? null }).toEqual({ after: i, watermark, running: null });
          }

          const successes = await scratch.query("SELECT window_low, window_high FROM ops.watermarks WHERE status = 'SUCCESS' ORDER BY window_high");
          successes.forEach((window, k) => {
            expect(window.window_low ?? null).toBe(k === 0 ? null : successes[k - 1].window_high);
            expect(String(window.window_high) > String(window.window_low ?? '')).toBe(true);
          });
          const statuses = await scratch.query('SELECT run_id, status FROM ops.watermarks ORDER BY run_id');
          const expected = outcomes
            .map((o, i) => ({ run_id: `run-${i}`, status: o === 'success' ? 'SUCCESS' : o === 'skip' ? 'SKIPPED' : 'FAILED', started: o !== 'fail-start' }))
            .filter((r) => r.started)
            .map(({ run_id, status }) => ({ run_id, status }))
            .sort((a, b) => a.run_id.localeCompare(b.run_id));
          expect(statuses).toEqual(expected);
        } finally {
          scratch.close();
        }
      }),
      propertyRuns({ quick: 2, deep: 300 }),
    );
  });
});

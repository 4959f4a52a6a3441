import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PROJECT_ROOT } from '../config/project-root';
import { workflowNamed } from '../config/project';
import { LocalEngine } from '../local/engine';
import { runWorkflow } from '../local/workflow-runner';
import { median } from './measure-command';

const CATALOG = 'lakehouse_local';

export interface LoadLogicBenchmark {
  readonly rows: number;
  /** Seconds to stage and merge the rows (ingest-orders). */
  readonly stageMergeSeconds: number;
  readonly rowsPerSecond: number;
  /** Seconds DuckDB takes just to read the same CSV files: the floor of any load. */
  readonly readOnlySeconds: number;
  /** Peak resident memory of this process, MiB. */
  readonly peakMiB: number;
  /** Median seconds of watermark start + finalize with a short and a long history. */
  readonly watermarkSmallHistorySeconds: number;
  readonly watermarkLargeHistorySeconds: number;
  readonly watermarkRatio: number;
}

const elapsed = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

function writeOrderFiles(folder: string, rows: number, files: number): void {
  mkdirSync(folder, { recursive: true });
  const perFile = Math.ceil(rows / files);
  for (let f = 0; f < files; f++) {
    const lines = ['tracking_num,order_id,customer_id,product_id,status,quantity,amount,event_time'];
    for (let i = f * perFile; i < Math.min(rows, (f + 1) * perFile); i++) {
      // keys repeat across files, so the merge updates as well as inserts
      const key = i % Math.floor(rows * 0.8);
      const minute = (i * 7919) % 525_600;
      lines.push(`TRK-${key},ORD-${key},CUST-${key % 5000},PROD-${key % 200},PLACED,${1 + (i % 5)},${(10 + (i % 990)).toFixed(2)},2026-01-01 00:00:00`.replace('2026-01-01 00:00:00', new Date(Date.UTC(2026, 0, 1) + minute * 60_000).toISOString().slice(0, 19).replace('T', ' ')));
    }
    writeFileSync(join(folder, `orders_${String(f).padStart(3, '0')}.csv`), `${lines.join('\n')}\n`);
  }
}

async function readOnlySeconds(folder: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = process.hrtime.bigint();
  await connection.run(
    `SELECT count(*) FROM read_csv('${join(folder, '*.csv')}', header = true, auto_detect = false, columns = {'tracking_num': 'VARCHAR', 'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'product_id': 'VARCHAR', 'status': 'VARCHAR', 'quantity': 'INTEGER', 'amount': 'DECIMAL(12,2)', 'event_time': 'TIMESTAMP'})`,
  );
  const seconds = elapsed(started);
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

async function watermarkSeconds(engine: LocalEngine, historyRows: number, samples: number): Promise<number> {
  const pipeline = `bench_${historyRows}`;
  // history as a long-lived table has it: runs of this pipeline and of others, every old
  // success superseded by a later one (finalize_run keeps it so)
  await engine.query(
    `INSERT INTO ops.watermarks (pipeline, run_id, status, window_low, window_high, started_at, finished_at, superseded_at)
     SELECT CASE WHEN i % 2 = 0 THEN '${pipeline}' ELSE 'other_' || (i % 50) END, 'hist-' || i, CASE WHEN i % 10 = 0 THEN 'FAILED' ELSE 'SUCCESS' END,
            TIMESTAMP '2020-01-01' + to_minutes(i), TIMESTAMP '2020-01-01' + to_minutes(i + 1), TIMESTAMP '2020-01-01', TIMESTAMP '2020-01-01',
            CASE WHEN i % 10 <> 0 THEN TIMESTAMP '2020-01-01' + to_minutes(i + 2) END
     FROM range(${historyRows}) t(i)`,
  );
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const params = { ops: `${CATALOG}.ops`, pipeline, run_id: `bench-${historyRows}-${s}` };
    const windowHigh = new Date(Date.UTC(2025, 0, 1) + s * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const started = process.hrtime.bigint();
    await engine.runFile('sql/watermark/start_run.sql', { ...params, window_high: windowHigh, source_version: '', stale_after_minutes: '720' });
    await engine.runFile('sql/watermark/finalize_run.sql', { ...params, status: 'SUCCESS', error_message: '' });
    times.push(elapsed(started));
  }
  return median(times);
}

export async function benchLoadLogic(rows = 1_000_000): Promise<LoadLogicBenchmark> {
  const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-bench-load-'));
  try {
    const volumes = join(scratch, 'volumes');
    const landing = join(volumes, CATALOG, 'landing', 'orders', 'incoming');
    writeOrderFiles(landing, rows, 10);
    const readOnly = await readOnlySeconds(landing);

    const engine = await LocalEngine.open({ statePath: join(scratch, 'state.duckdb'), catalog: CATALOG, volumesDir: volumes, projectRoot: PROJECT_ROOT });
    try {
      const started = process.hrtime.bigint();
      const run = await runWorkflow(engine, workflowNamed('ingest-orders'));
      const stageMergeSeconds = elapsed(started);
      if (!run.succeeded) throw new Error(`ingest-orders failed: ${JSON.stringify(run.tasks)}`);
      if (run.tables['bronze.orders_staging'] !== rows) throw new Error(`staged ${run.tables['bronze.orders_staging']} rows, expected ${rows}`);

      const small = await watermarkSeconds(engine, 10, 15);
      const large = await watermarkSeconds(engine, 100_000, 15);
      return {
        rows,
        stageMergeSeconds,
        rowsPerSecond: rows / stageMergeSeconds,
        readOnlySeconds: readOnly,
        peakMiB: process.resourceUsage().maxRSS / 1024,
        watermarkSmallHistorySeconds: small,
        watermarkLargeHistorySeconds: large,
        watermarkRatio: large / small,
      };
    } finally {
      engine.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function formatLoadLogic(b: LoadLogicBenchmark): string {
  return [
    `load logic (${b.rows.toLocaleString('en')} generated order rows):`,
    `  stage + merge          ${b.stageMergeSeconds.toFixed(2)} s   ${Math.round(b.rowsPerSecond).toLocaleString('en')} rows/s   peak ${b.peakMiB.toFixed(0)} MiB`,
    `  baseline: read only    ${b.readOnlySeconds.toFixed(2)} s   (DuckDB reading the same files)   ratio ${(b.stageMergeSeconds / b.readOnlySeconds).toFixed(1)}x`,
    `  watermark start+finalize: ${(b.watermarkSmallHistorySeconds * 1000).toFixed(1)} ms with 10 history rows, ${(b.watermarkLargeHistorySeconds * 1000).toFixed(1)} ms with 100,000`,
    `  ratio ${b.watermarkRatio.toFixed(2)} (goal <= 1.5)`,
    '',
  ].join('\n');
}

import { CommandRun, measureCommand, median } from './measure-command';

export interface CheckBenchmark {
  readonly runs: number;
  /** `npm run check` as shipped (node --liftoff-only): the SQL parser's WebAssembly compiled by the baseline tier only. */
  readonly baselineTier: CommandRun;
  /** The same check with V8's default tiering, the optimizing tier included. */
  readonly optimizingTier: CommandRun;
}

/**
 * `npm run check` of the project's SQL (no synth output) as shipped, against the same check
 * with V8's default WebAssembly tiering (the package script runs node --liftoff-only), runs alternating so drift in the machine's load
 * hits both alike; medians of wall and CPU time (sql-lang/syntax.ts initSqlParser).
 */
export function benchCheckSpeed(runs = 5): CheckBenchmark {
  const shipped: CommandRun[] = [];
  const optimizing: CommandRun[] = [];
  for (let i = 0; i < runs; i++) {
    shipped.push(measureCommand('npm run -s check'));
    optimizing.push(measureCommand('node scripts/run-ts.mjs checks/cli.ts'));
  }
  const summary = (r: CommandRun[]): CommandRun => ({ seconds: median(r.map((x) => x.seconds)), peakMiB: median(r.map((x) => x.peakMiB)), cpuSeconds: median(r.map((x) => x.cpuSeconds)) });
  return { runs, baselineTier: summary(shipped), optimizingTier: summary(optimizing) };
}

export function formatCheckSpeed(bench: CheckBenchmark): string {
  const line = (label: string, r: CommandRun) => `  ${label.padEnd(34)} ${r.seconds.toFixed(2)} s   cpu ${r.cpuSeconds.toFixed(2)} s   peak ${r.peakMiB.toFixed(0)} MiB`;
  return [
    `check (median of ${bench.runs}):`,
    line('npm run check (baseline tier)', bench.baselineTier),
    line('with the optimizing tier', bench.optimizingTier),
    `  cpu ratio ${(bench.optimizingTier.cpuSeconds / bench.baselineTier.cpuSeconds).toFixed(2)}x, wall ratio ${(bench.optimizingTier.seconds / bench.baselineTier.seconds).toFixed(2)}x in favour of the baseline tier`,
    '',
  ].join('\n');
}

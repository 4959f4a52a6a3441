import { benchCheckSpeed, formatCheckSpeed } from './check-speed';
import { benchGround, formatGround } from './ground';
import { benchLoadLogic, formatLoadLogic } from './load-logic';
import { benchScale, formatScale } from './scale';
import { benchSynthSpeed } from './synth-speed';

const BENCHMARKS = ['synth', 'check', 'load', 'scale', 'ground'] as const;

// `npm run bench [-- synth|check|load|scale|ground]`: every benchmark of the project (or the one named),
// each as a ratio against a baseline measured in the same run. BENCH_RUNS sets the
// repetitions of the synth benchmarks (5 for synth, 3 for scale by default), BENCH_ROWS the
// rows of the load benchmark, BENCH_SOURCES the generated sources of the scale benchmark.
async function main(): Promise<void> {
  const only = process.argv[2];
  if (only !== undefined && !(BENCHMARKS as readonly string[]).includes(only)) throw new Error(`unknown benchmark "${only}": ${BENCHMARKS.join(', ')}`);
  const runs = (fallback: number) => Number(process.env.BENCH_RUNS ?? fallback);
  if (only === undefined || only === 'synth') {
    const synth = benchSynthSpeed(runs(5));
    process.stdout.write(
      [
        `synth (median of ${synth.runs}):`,
        `  npm run synth          ${synth.fast.seconds.toFixed(2)} s   peak ${synth.fast.peakMiB.toFixed(0)} MiB`,
        `  npm run synth, cold    ${synth.fastCold.seconds.toFixed(2)} s   peak ${synth.fastCold.peakMiB.toFixed(0)} MiB   (bundle rebuilt after a source change)`,
        `  default cdktf baseline ${synth.baseline.seconds.toFixed(2)} s   peak ${synth.baseline.peakMiB.toFixed(0)} MiB`,
        `  speedup ${synth.speedup.toFixed(1)}x (goal >= 8x), cold ${(synth.baseline.seconds / synth.fastCold.seconds).toFixed(1)}x, memory ratio ${synth.memoryRatio.toFixed(2)}x`,
        '',
      ].join('\n'),
    );
  }
  if (only === undefined || only === 'check') process.stdout.write(formatCheckSpeed(benchCheckSpeed(runs(5))));
  if (only === undefined || only === 'load') process.stdout.write(formatLoadLogic(await benchLoadLogic(Number(process.env.BENCH_ROWS ?? 1_000_000))));
  if (only === undefined || only === 'scale') process.stdout.write(formatScale(benchScale({ runs: runs(3), sources: Number(process.env.BENCH_SOURCES ?? 200) })));
  // the move from cdktf to CDK Terrain: outputs compared, synth timed on both (BENCH_BASE_REF: a commit on cdktf)
  if (only === 'ground') process.stdout.write(formatGround(benchGround({ runs: runs(3), sources: Number(process.env.BENCH_SOURCES ?? 200), baseRef: process.env.BENCH_BASE_REF })));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

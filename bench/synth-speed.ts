import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandRun, measureCommand, median } from './measure-command';

export interface SynthBenchmark {
  readonly runs: number;
  readonly fast: { seconds: number; peakMiB: number };
  /** One `npm run synth` right after a source change, when the app bundle is rebuilt. */
  readonly fastCold: CommandRun;
  readonly baseline: { seconds: number; peakMiB: number };
  /** baseline time / fast time: how many times faster `npm run synth` is. */
  readonly speedup: number;
  /** baseline peak memory / fast peak memory. */
  readonly memoryRatio: number;
}

/**
 * `npm run synth` against the app run the default cdktf way: `npx ts-node main.ts` (the
 * `app` of a `cdktf init` project) with the provider's root index loaded, as an app
 * that imports from '@cdktn/provider-databricks' does. Runs alternate so drift in the
 * machine's load hits both alike.
 */
export function benchSynthSpeed(runs = 5): SynthBenchmark {
  rmSync(resolve(__dirname, '..', '.build', 'main.inputs.json'), { force: true });
  const fastCold = measureCommand('npm run -s synth');
  const fast: CommandRun[] = [];
  const baseline: CommandRun[] = [];
  for (let i = 0; i < runs; i++) {
    fast.push(measureCommand('npm run -s synth'));
    baseline.push(measureCommand('npx ts-node main.ts', { NODE_OPTIONS: '--require=@cdktn/provider-databricks' }));
    process.stderr.write(`synth run ${i + 1}/${runs}: fast ${fast[i].seconds.toFixed(2)} s, baseline ${baseline[i].seconds.toFixed(2)} s\n`);
  }
  const summary = (r: CommandRun[]) => ({ seconds: median(r.map((x) => x.seconds)), peakMiB: median(r.map((x) => x.peakMiB)) });
  const f = summary(fast);
  const b = summary(baseline);
  return { runs, fast: f, fastCold, baseline: b, speedup: b.seconds / f.seconds, memoryRatio: b.peakMiB / f.peakMiB };
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CommandRun {
  readonly seconds: number;
  /** Largest peak RSS among the command's Node processes, in MiB. */
  readonly peakMiB: number;
  /** CPU time (user and system) of the command's Node processes together, in seconds: steadier than `seconds` on a loaded machine. */
  readonly cpuSeconds: number;
}

const PRELOAD = resolve(__dirname, '..', 'bench', 'report-peak-rss.cjs');

export interface MeasureOptions {
  /** Folder the command runs in. @default process.cwd() */
  readonly cwd?: string;
}

/** Runs a shell command once, with its output in a fresh directory, and measures it. */
export function measureCommand(command: string, env: NodeJS.ProcessEnv = {}, options: MeasureOptions = {}): CommandRun {
  const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-bench-'));
  const rssFile = join(scratch, 'rss');
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, {
      shell: true,
      encoding: 'utf8',
      cwd: options.cwd,
      env: {
        ...process.env,
        ...env,
        CHECKPOINT_DISABLE: '1',
        CDKTF_OUTDIR: join(scratch, 'cdktf.out'),
        BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require=${PRELOAD}`.trim(),
      },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) throw new Error(`"${command}" failed with exit code ${result.status}${options.cwd ? ` in ${options.cwd}` : ''}:\n${result.stderr}`);
    const processes = readFileSync(rssFile, 'utf8').trim().split('\n').map((line) => line.split(' ').map(Number));
    return { seconds, peakMiB: Math.max(...processes.map(([peakKiB]) => peakKiB)) / 1024, cpuSeconds: processes.reduce((sum, [, cpuMicros]) => sum + cpuMicros, 0) / 1e6 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Environment } from '../../config/load-config';
import { packageScript } from './package-script';
import { SYNTH_CACHE_VARIABLE } from './synth-cache-variable';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const synthesized = new Map<string, string>();

/**
 * The JSON of an environment's stack as synth builds it from this project's config, with
 * cdktn's validations run: synthesized once a jest run, whatever number of test files read it.
 * The first file to ask synthesizes it and leaves it in the run's folder (global-setup.ts);
 * the others read it there. The key is the environment itself, so a test's variant of one
 * is a synth of its own. A test about synthesis itself (determinism, validations failing)
 * builds its stack with projectStack instead.
 */
export function projectSynthText(environment: Environment): string {
  const key = createHash('sha256').update(JSON.stringify(environment)).digest('hex');
  const known = synthesized.get(key);
  if (known !== undefined) return known;
  const folder = process.env[SYNTH_CACHE_VARIABLE];
  const file = folder === undefined ? undefined : join(folder, `${environment.name}-${key}.json`);
  let text: string;
  if (file !== undefined && existsSync(file)) text = readFileSync(file, 'utf8');
  else {
    // loaded on a miss only: a file whose stacks another file synthesized never loads cdktn
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Testing } = require('cdktn') as typeof import('cdktn');
    const { projectStack } = require('./project-stack') as typeof import('./project-stack');
    /* eslint-enable @typescript-eslint/no-require-imports */
    text = Testing.synth(projectStack(environment), true);
    if (file !== undefined) {
      // two workers may synthesize the same stack at once: each renames a whole file into place
      writeFileSync(`${file}.${process.pid}`, text);
      renameSync(`${file}.${process.pid}`, file);
    }
  }
  synthesized.set(key, text);
  return text;
}

/** projectSynthText, parsed. */
export function projectSynth(environment: Environment): Json {
  return JSON.parse(projectSynthText(environment)) as Json;
}

const ROOT = resolve(__dirname, '..', '..');
let output: string | undefined;

/**
 * The folder `npm run synth` writes (every environment, as CI synthesizes them), made once a
 * jest run by the very command the package script runs, and shared by the files that read
 * a synth output (the checks, the plan review, the bundle schema): read it, never write into
 * it; copy it to change it. Outside a jest run with the run folder, a folder of the process's own.
 */
export function projectSynthOutput(): string {
  if (output !== undefined) return output;
  const folder = process.env[SYNTH_CACHE_VARIABLE] ?? mkdtempSync(join(tmpdir(), 'lakehouse-synth-'));
  const done = join(folder, 'cdktf.out');
  if (!existsSync(done)) {
    const { command, args } = packageScript('synth');
    const mine = `${done}.${process.pid}`;
    execFileSync(command, args, { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: mine, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe' });
    // two workers may synthesize at once: the first rename wins, the other's copy goes
    try {
      renameSync(mine, done);
    } catch {
      rmSync(mine, { recursive: true, force: true });
    }
  }
  output = done;
  return done;
}

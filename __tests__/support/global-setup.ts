import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PYTHON_VARIABLE, pythonInterpreter } from '../../local/python-interpreter';
import { packageScript } from './package-script';
import { SYNTH_CACHE_VARIABLE } from './synth-cache-variable';

/**
 * Before the workers start, told to them (and the processes they start) through the
 * environment: a folder of this run's own for what test files share
 * (support/project-synth.ts), fresh a run and removed at its end (global-teardown.ts), so
 * nothing outlives the code it came from; the temporary folder of every test (TMPDIR), inside
 * it, so a run leaves nothing behind; and the Python interpreter notebooks run on, resolved
 * once for the run instead of once a process (every CLI a test starts is one).
 */
/** The command-line tools tests start, each asked for its help once here: the first run of each builds its bundle and V8 code cache (scripts/run-ts.mjs), before the workers start them by the dozen. */
const CLI_SCRIPTS = ['local', 'check', 'plan-review', 'remote', 'onboard', 'environments'];

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: resolve(__dirname, '..', '..'), stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Runs the CLIs' help two at a time (the machine's cores), so their bundles exist before the tests race to build them. */
async function buildCommandLineTools(): Promise<void> {
  const queue = CLI_SCRIPTS.map((name) => packageScript(name));
  const next = async (): Promise<void> => {
    const script = queue.shift();
    if (!script) return;
    await run(script.command, [...script.args, '--help']);
    await next();
  };
  await Promise.all([next(), next()]);
}

export default async function globalSetup(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'lakehouse-jest-'));
  process.env[SYNTH_CACHE_VARIABLE] = folder;
  process.env[PYTHON_VARIABLE] = pythonInterpreter();
  // every temporary file of the run (cdktn's Testing.synth leaves a cdktf.outdir.* per synth,
  // scratch engines and copies leave theirs when a test fails) goes under the run's folder
  const scratch = join(folder, 'tmp');
  mkdirSync(scratch);
  process.env.TMPDIR = scratch;
  await buildCommandLineTools();
}

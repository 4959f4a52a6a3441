import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON_VARIABLE, pythonInterpreter } from '../../local/python-interpreter';
import { SYNTH_CACHE_VARIABLE } from './synth-cache-variable';

/**
 * Before the workers start, told to them (and the processes they start) through the
 * environment: a folder of this run's own for what test files share
 * (support/project-synth.ts), fresh a run and removed at its end (global-teardown.ts), so
 * nothing outlives the code it came from; the temporary folder of every test (TMPDIR), inside
 * it, so a run leaves nothing behind; and the Python interpreter notebooks run on, resolved
 * once for the run instead of once a process (every CLI a test starts is one).
 */
export default function globalSetup(): void {
  const folder = mkdtempSync(join(tmpdir(), 'lakehouse-jest-'));
  process.env[SYNTH_CACHE_VARIABLE] = folder;
  process.env[PYTHON_VARIABLE] = pythonInterpreter();
  // every temporary file of the run (cdktn's Testing.synth leaves a cdktf.outdir.* per synth,
  // scratch engines and copies leave theirs when a test fails) goes under the run's folder
  const scratch = join(folder, 'tmp');
  mkdirSync(scratch);
  process.env.TMPDIR = scratch;
}

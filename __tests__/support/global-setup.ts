import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNTH_CACHE_VARIABLE } from './synth-cache-variable';

/**
 * Before the workers start: a folder of this run's own for what test files share
 * (support/project-synth.ts), named to the workers through the environment. A fresh folder
 * a run, removed at its end (global-teardown.ts), so nothing outlives the code it came from.
 */
export default function globalSetup(): void {
  process.env[SYNTH_CACHE_VARIABLE] = mkdtempSync(join(tmpdir(), 'lakehouse-jest-'));
}

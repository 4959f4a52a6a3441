import { rmSync } from 'node:fs';
import { SYNTH_CACHE_VARIABLE } from './synth-cache-variable';

/** After the run: the run's shared folder goes (global-setup.ts made it). */
export default function globalTeardown(): void {
  const folder = process.env[SYNTH_CACHE_VARIABLE];
  if (folder) rmSync(folder, { recursive: true, force: true });
}

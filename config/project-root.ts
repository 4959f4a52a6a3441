import { resolve } from 'node:path';

/**
 * The project's root folder, where `sql/` and `notebooks/` live. This file sits one level
 * below the root, and so does the esbuild bundle in `.build/` that `npm run synth` runs.
 */
export const PROJECT_ROOT = resolve(__dirname, '..');

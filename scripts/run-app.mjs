// Runs the cdktf app the fast way: esbuild compiles main.ts (dependencies stay external,
// loaded from node_modules) and the result runs in this process. Used by `npm run synth`
// and by `cdktf synth` through cdktf.json.
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const outfile = resolve(root, '.build/main.cjs');
process.env.CHECKPOINT_DISABLE ??= '1';

buildSync({
  entryPoints: [resolve(root, 'main.ts')],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
process.chdir(root);
createRequire(import.meta.url)(outfile);

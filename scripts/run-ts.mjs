// Runs a TypeScript entry point the fast way: esbuild compiles it (dependencies stay
// external, loaded from node_modules) and the result runs in this process with the
// remaining arguments. `npm run synth`, `cdktf synth`, `npm run local` and the
// benchmarks all go through here, so none of them pays for ts-node's type-check.
//   node scripts/run-ts.mjs <entry.ts> [args…]
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.mjs <entry.ts> [args…]\n');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const outfile = resolve(root, '.build', `${basename(entry, '.ts')}.cjs`);
process.env.CHECKPOINT_DISABLE ??= '1';

buildSync({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...args];
createRequire(import.meta.url)(outfile);

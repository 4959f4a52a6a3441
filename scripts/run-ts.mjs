// Runs a TypeScript entry point the fast way: esbuild bundles it with its dependencies
// into .build/ (one file loads faster than hundreds of modules) and the bundle runs in
// this process with the remaining arguments. The bundle is rebuilt only when one of its
// input files changed (by content), and V8's code cache for it is kept beside it, so a run does not
// compile the bundle again. `npm run synth`, `cdktf synth`, `npm run local` and the
// benchmarks all go through here, so none of them pays for ts-node's type-check.
//   node scripts/run-ts.mjs <entry.ts> [args…]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import vm from 'node:vm';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.mjs <entry.ts> [args…]\n');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
// named after the entry's path, so local/cli.ts and plan-review/cli.ts get bundles of their own
const name = relative(root, resolve(entry)).replace(/\.ts$/, '').replace(/[\\/]/g, '-');
const outfile = resolve(root, '.build', `${name}.cjs`);
const inputsFile = resolve(root, '.build', `${name}.inputs.json`);
const codeCacheFile = resolve(root, '.build', `${name}.v8cache`);
process.env.CHECKPOINT_DISABLE ??= '1';

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What the bundle was built from: each input's path, size, mtime and content hash. */
function fingerprint(path) {
  const file = resolve(root, path);
  const { size, mtimeMs } = statSync(file);
  return { path, size, mtimeMs, sha256: sha256(file) };
}

/**
 * Whether the bundle is fresh, decided by content: an input whose size and mtime are still
 * the recorded ones is unchanged; any other (a newer mtime, or an older one, as a restored
 * file has) is hashed and compared, so no change is missed and no rebuild is needless.
 */
function isUpToDate() {
  if (!existsSync(outfile) || !existsSync(inputsFile)) return false;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(inputs) || inputs.some((input) => typeof input !== 'object' || typeof input.sha256 !== 'string')) return false;
  return inputs.every((input) => {
    const file = resolve(root, input.path);
    if (!existsSync(file)) return false;
    const { size, mtimeMs } = statSync(file);
    if (size !== input.size) return false;
    return mtimeMs === input.mtimeMs || sha256(file) === input.sha256;
  });
}

function writeAtomically(file, contents) {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, file);
}

if (!isUpToDate()) {
  // loaded only to rebuild: importing the bundler costs every start ~30 ms of CPU
  const { buildSync } = await import('esbuild');
  const { metafile, outputFiles } = buildSync({
    absWorkingDir: root,
    entryPoints: [resolve(entry)],
    outfile,
    bundle: true,
    // Not bundled: DuckDB's native addon (its JavaScript API is, so V8's code cache covers it
    // instead of ~40 modules resolved and compiled a start), the bundler itself, and the SQL
    // parser (its ESM build has top-level await).
    external: ['@duckdb/node-bindings*', '@polyglot-sql/*', 'esbuild'],
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  // Written aside and renamed, so a concurrent run never loads a half-written bundle.
  mkdirSync(resolve(root, '.build'), { recursive: true });
  writeAtomically(outfile, outputFiles[0].contents);
  writeAtomically(inputsFile, JSON.stringify(Object.keys(metafile.inputs).map(fingerprint)));
  rmSync(codeCacheFile, { force: true });
}

/** Runs the CommonJS bundle as require() would, compiled from V8's code cache when it has one. */
function runBundle() {
  const cachedData = existsSync(codeCacheFile) ? readFileSync(codeCacheFile) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(outfile, 'utf8')}\n})`;
  const script = new vm.Script(wrapped, { filename: outfile, cachedData });
  // Written at exit, so the cache holds the functions the run compiled lazily too.
  process.once('exit', () => {
    if (!cachedData || script.cachedDataRejected) writeAtomically(codeCacheFile, script.createCachedData());
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(outfile), module, outfile, dirname(outfile));
}

process.argv = [process.argv[0], outfile, ...args];
runBundle();

import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../config/config-error';
import { sourcesFromInventory } from '../config/inventory';
import { SOURCES_FOLDER } from '../config/load-sources';
import { PROJECT_ROOT } from '../config/project-root';
import { exitOnUsageError, failCommand, InvalidInputError } from '../model/errors';

// `npm run onboard -- --from <inventory.csv> [--to <folder>]`: one source file per row of an
// inventory CSV (name,format,key,sequence_by,scd,ingestion,columns), into config/sources/ or
// the given folder. Every row is validated before anything is written: all files or none
// (staged, then linked into place; see commitFiles), and an existing file is never
// overwritten (one with the very content a row gives counts as onboarded, so a rerun after an
// interruption finishes the work). Written files go to stdout, the rest to stderr. Exit codes:
// model/errors.ts (2: a problem in the inventory, an existing file, a missing inventory).


/** A path as the user reads it: relative to the working folder when inside it, forward slashes. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return (inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside).split('\\').join('/');
}

const program = new Command('onboard')
  .description('Write one source file per row of an inventory CSV (columns: name,format,key,sequence_by,scd,ingestion,columns)')
  .requiredOption('--from <inventory.csv>', 'the inventory: a header row, then one source per row')
  .option('--to <folder>', `folder the source files go to (default: ${SOURCES_FOLDER})`)
  .exitOverride(exitOnUsageError)
  .showHelpAfterError()
  .action((options: { from: string; to?: string }) => {
    const inventory = resolve(options.from);
    if (!existsSync(inventory) || !statSync(inventory).isFile()) throw new InvalidInputError(`--from ${options.from}: no such file`);
    const folder = options.to === undefined ? resolve(PROJECT_ROOT, SOURCES_FOLDER) : resolve(options.to);
    if (existsSync(folder) && !statSync(folder).isDirectory()) throw new InvalidInputError(`--to ${options.to}: not a folder`);
    const shownFolder = shown(folder);
    const toPath = (file: string) => resolve(folder, basename(file));
    const read = (file: string) => (existsSync(toPath(file)) ? readFileSync(toPath(file), 'utf8') : undefined);
    const onboarded = sourcesFromInventory(shown(inventory), readFileSync(inventory, 'utf8'), { folder: shownFolder, read });
    const pending = onboarded.filter((o) => !o.alreadyOnboarded);

    mkdirSync(folder, { recursive: true });
    const written = commitFiles(folder, pending.map(({ file, yaml }) => ({ name: basename(file), content: yaml })));
    for (const { file, source, alreadyOnboarded } of onboarded) {
      process.stdout.write(`${alreadyOnboarded ? 'already ' : ''}wrote ${file}  (source "${source.name}", ${source.landing.format}, ${source.ingestion}, scd ${source.scd})\n`);
    }
    process.stderr.write(`onboard: ${written} source file(s) written${onboarded.length > pending.length ? `, ${onboarded.length - pending.length} already onboarded` : ''}; run npm run generate to write their SQL, samples and diagrams\n`);
  });

/**
 * Writes the files into the folder all or nothing, whatever interrupts it (kill -9, Ctrl-C,
 * SIGTERM): each is written whole and flushed into a staging folder beside the folder (never
 * inside it: config/sources/ holds sources only), then linked into place (an existing file is
 * never overwritten: link fails on it) and the staging folder removed. An interrupted run
 * leaves at most a staging folder, which the next run removes, and files linked whole; rerun
 * with the same inventory, it takes the files it finds with the same content as onboarded and
 * writes the rest.
 */
function commitFiles(folder: string, files: readonly { name: string; content: string }[]): number {
  const prefix = `.onboarding-${basename(folder)}-`;
  for (const leftover of readdirSync(dirname(folder)).filter((e) => e.startsWith(prefix))) rmSync(join(dirname(folder), leftover), { recursive: true, force: true });
  if (files.length === 0) return 0;
  const staging = mkdtempSync(join(dirname(folder), prefix));
  for (const { name, content } of files) {
    const fd = openSync(join(staging, name), 'wx');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const linked: string[] = [];
  try {
    for (const { name } of files) {
      linkSync(join(staging, name), join(folder, name));
      linked.push(name);
    }
  } catch (error) {
    for (const name of linked) rmSync(join(folder, name), { force: true });
    if ((error as { code?: unknown }).code === 'EEXIST') throw new InvalidInputError(`${(error as { dest?: string }).dest ?? 'a source file'} appeared while onboarding: nothing written (onboarding never overwrites a source)`);
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return linked.length;
}

try {
  program.parse(process.argv);
} catch (error) {
  failCommand(error);
  if (error instanceof ConfigError) process.stderr.write(`onboard: ${error.problems.length} problem(s), nothing written\n`);
}

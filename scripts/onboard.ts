import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../config/config-error';
import { sourcesFromInventory } from '../config/inventory';
import { SOURCES_FOLDER } from '../config/load-sources';
import { PROJECT_ROOT } from '../config/project-root';
import { exitOnUsageError, failCommand, InvalidInputError } from '../model/errors';

// `npm run onboard -- --from <inventory.csv> [--to <folder>]`: one source file per row of an
// inventory CSV (name,format,key,sequence_by,scd,ingestion,columns), into config/sources/ or
// the given folder. Every row is validated before anything is written: all files or none,
// and an existing file is never overwritten. Written files go to stdout, the rest to stderr.
// Exit codes: 0 written, 1 unexpected failure, 2 bad input (a problem in the inventory, an
// existing file, a missing inventory).


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
    const onboarded = sourcesFromInventory(shown(inventory), readFileSync(inventory, 'utf8'), { folder: shownFolder, exists: (file) => existsSync(toPath(file)) });

    mkdirSync(folder, { recursive: true });
    const written: string[] = [];
    try {
      for (const { file, yaml } of onboarded) {
        // 'wx': a file that appeared since the check is not overwritten either
        writeFileSync(toPath(file), yaml, { flag: 'wx' });
        written.push(file);
      }
    } catch (error) {
      for (const file of written) rmSync(toPath(file), { force: true });
      if ((error as { code?: unknown }).code === 'EEXIST') throw new InvalidInputError(`${(error as { path?: string }).path ?? 'a source file'} appeared while onboarding: nothing written (onboarding never overwrites a source)`);
      throw error;
    }
    for (const { file, source } of onboarded) process.stdout.write(`wrote ${file}  (source "${source.name}", ${source.landing.format}, ${source.ingestion}, scd ${source.scd})\n`);
    process.stderr.write(`onboard: ${written.length} source file(s) written; run npm run generate to write their SQL, samples and diagrams\n`);
  });

try {
  program.parse(process.argv);
} catch (error) {
  failCommand(error);
  if (error instanceof ConfigError) process.stderr.write(`onboard: ${error.problems.length} problem(s), nothing written\n`);
}

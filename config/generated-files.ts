import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '../model/source';
import { generatedSqlFiles } from '../model/source-sql';
import { ConfigError } from './config-error';

/**
 * The SQL generated from the sources is checked in; a source changed without `npm run
 * generate` would deploy SQL that no longer matches it. Refuses that, naming the source.
 */
export function assertGeneratedSqlCurrent(sources: readonly Source[], projectRoot: string): void {
  const problems = sources.flatMap((source) =>
    [...generatedSqlFiles(source)].flatMap(([file, content]) => {
      const path = join(projectRoot, file);
      const state = !existsSync(path) ? 'is missing' : readFileSync(path, 'utf8') !== content ? 'is stale' : undefined;
      return state ? [{ file: source.file, object: `source "${source.name}"`, field: '(generated SQL)', message: `${file} ${state}: run npm run generate` }] : [];
    }),
  );
  if (problems.length > 0) throw new ConfigError(problems);
}

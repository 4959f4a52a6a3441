import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Document, LineCounter, Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { z } from 'zod/v4';
import type { Source } from '../model/source';
import { BOOKKEEPING_COLUMNS } from '../model/source-tables';
import { ConfigError, ConfigProblem, fieldOf } from './config-error';
import { sourceSchema } from './source-schema';
import { READ_FILES_OPTIONS, TEMPLATE_OPTIONS, optionValueProblem, readFilesOptionKind } from '../model/read-files-options';
import { expressionProblem } from '../sql-lang/boolean-expression';

/**
 * Words Spark SQL reserves in ANSI mode; a column so named would need quoting in every
 * generated statement. https://spark.apache.org/docs/latest/sql-ref-ansi-compliance.html#sql-keywords-optional-disabled-by-default
 */
const RESERVED_WORDS = new Set(
  'ALL AND ANY AS AUTHORIZATION BOTH CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DISTINCT ELSE END ESCAPE EXCEPT FALSE FETCH FILTER FOR FOREIGN FROM FULL GRANT GROUP HAVING IN INNER INTERSECT INTO IS JOIN LATERAL LEADING LEFT NATURAL NOT NULL OFFSET ON ONLY OR ORDER OUTER OVERLAPS PRIMARY REFERENCES RIGHT SELECT SESSION_USER SOME TABLE THEN TIME TO TRAILING UNION UNIQUE UNKNOWN USER USING WHEN WHERE WITH'.split(' '),
);

/** Where sources are declared, relative to the project root. */
export const SOURCES_FOLDER = 'config/sources';

/** What else the sources folder holds: the JSON Schema editors read (written by npm run generate). */
export const SOURCE_SCHEMA_FILE = 'source.schema.json';
const SOURCES_FOLDER_EXTRAS: ReadonlySet<string> = new Set([SOURCE_SCHEMA_FILE]);

/** 1-based line of the node at a path of the document (or of its deepest existing ancestor); for a key, the key's line. */
function lineOf(document: Document, lines: LineCounter, path: readonly PropertyKey[], key?: string): number {
  let node: unknown = document.contents;
  let line = 1;
  const lineAt = (offset: number | undefined) => (offset === undefined ? line : lines.linePos(offset).line);
  for (const part of key === undefined ? path : [...path, key]) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      line = lineAt((pair.key as Node).range?.[0]);
      node = pair.value;
      if (part !== key) line = lineAt((node as Node | null)?.range?.[0]) ?? line;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      line = lineAt((node as Node).range?.[0]);
    } else break;
  }
  return line;
}

function problemsOf(error: z.ZodError, file: string, object: string, document: Document, lines: LineCounter): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ file, line: lineOf(document, lines, path, key), object, field: fieldOf([...path, key]), message: 'is not a known setting (misspelt?)' }));
    }
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return [{ file, line: lineOf(document, lines, path), object, field: fieldOf(path) || '(whole)', message }];
  });
}

/**
 * One source file, validated: YAML syntax, the schema (strict: an unknown key is an error),
 * and what the schema cannot say (key and sequence columns exist, names are unique, the file
 * is named after the source). Errors name the file, its line, the source and the field.
 */
export function parseSource(file: string, text: string): Source {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const fallback = file.split('/').pop()!.replace(/\.ya?ml$/, '');
  if (document.errors.length > 0) {
    throw new ConfigError(document.errors.map((e) => ({ file, line: e.linePos?.[0].line, object: `source "${fallback}"`, field: '(yaml)', message: e.message.split('\n')[0] })));
  }
  const raw = document.toJS() as unknown;
  const name = typeof (raw as { name?: unknown } | null)?.name === 'string' ? (raw as { name: string }).name : fallback;
  const object = `source "${name}"`;
  const problems: ConfigProblem[] = [];
  const at = (path: readonly (string | number)[], message: string) => problems.push({ file, line: lineOf(document, lines, path), object, field: fieldOf(path), message });
  // reader option names, as the file writes them (a plain object would hide __proto__, and answer for constructor or toString):
  // only the documented ones of the format, never one the template sets; the rest are refused and kept from the schema
  const format = (raw as { landing?: { format?: unknown } } | null)?.landing?.format;
  const optionsNode = document.getIn(['landing', 'options'], true);
  const refusedOptions = new Set<string>();
  if (isMap(optionsNode) && (format === 'csv' || format === 'json' || format === 'parquet')) {
    for (const item of optionsNode.items) {
      const key = String(isScalar(item.key) ? item.key.value : item.key);
      const where = ['landing', 'options', key];
      if (TEMPLATE_OPTIONS.has(key)) at(where, `is set by the generated SQL itself (the load relies on it); remove it`);
      else if (!readFilesOptionKind(format, key)) at(where, `is not a read_files option of ${format} files; known: ${Object.keys(READ_FILES_OPTIONS[format]).sort().join(', ')} (https://docs.databricks.com/aws/en/sql/language-manual/functions/read_files#options)`);
      else continue;
      refusedOptions.add(key);
    }
  }
  const landing = (raw as { landing?: { options?: unknown } } | null)?.landing;
  const input = refusedOptions.size > 0 && landing?.options && typeof landing.options === 'object'
    ? { ...(raw as object), landing: { ...landing, options: Object.fromEntries(Object.entries(landing.options).filter(([k]) => !refusedOptions.has(k))) } }
    : raw;
  const parsed = sourceSchema.safeParse(input ?? {});
  if (!parsed.success) throw new ConfigError([...problems, ...problemsOf(parsed.error, file, object, document, lines)]);
  const source = parsed.data;
  const columns = source.columns.map((c) => c.name);
  columns.forEach((c, i) => columns.indexOf(c) !== i && at(['columns', i, 'name'], `column "${c}" is declared twice`));
  const bookkeeping = [...BOOKKEEPING_COLUMNS, source.mergedAtColumn];
  columns.forEach((c, i) => bookkeeping.includes(c) && at(['columns', i, 'name'], `"${c}" is a column the load adds itself (${bookkeeping.join(', ')}); rename it, or set mergedAtColumn`));
  columns.forEach((c, i) => RESERVED_WORDS.has(c.toUpperCase()) && at(['columns', i, 'name'], `"${c}" is a reserved SQL word; rename the column`));
  source.key.forEach((k, i) => !columns.includes(k) && at(['key', i], `"${k}" is not a column of the source (columns: ${columns.join(', ')})`));
  if (!columns.includes(source.sequenceBy)) at(['sequenceBy'], `"${source.sequenceBy}" is not a column of the source (columns: ${columns.join(', ')})`);
  const expectationNames = source.expectations.map((e) => e.name);
  expectationNames.forEach((n, i) => expectationNames.indexOf(n) !== i && at(['expectations', i, 'name'], `expectation "${n}" is declared twice`));
  // reader options: only the documented ones of the format, never one the template sets, each a literal of its kind
  for (const [key, value] of Object.entries(source.landing.options)) {
    const kind = readFilesOptionKind(source.landing.format, key);
    const problem = kind ? optionValueProblem(kind, value) : `is not a read_files option of ${source.landing.format} files`;
    if (problem) at(['landing', 'options', key], problem);
  }
  source.expectations.forEach((e, i) => {
    const problem = expressionProblem(e.expr, columns);
    if (problem) at(['expectations', i, 'expr'], `${problem}; an expectation is one SQL boolean expression over the source's columns`);
  });
  if (source.trigger.type === 'on-demand' && source.ingestion === 'pipeline') at(['trigger', 'type'], 'a pipeline needs a refresh: file-arrival or schedule (on-demand is for job ingestion)');
  if (source.schemaDrift !== 'fail' && (source.landing.format !== 'csv' || source.ingestion !== 'job')) at(['schemaDrift'], `"${source.schemaDrift}" applies to CSV files loaded by a job (this source: ${source.landing.format}, ${source.ingestion}); remove it`);
  if (fallback !== source.name) at(['name'], `the file of source "${source.name}" must be named ${source.name}.yaml`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...source, file };
}

/** Every source of the project (config/sources/*.yaml), in name order; all problems of all files at once. */
export function loadSources(projectRoot: string, folder = SOURCES_FOLDER): Source[] {
  const dir = resolve(projectRoot, folder);
  // a missing folder would silently drop every source, and its tables and volumes with it, from the plan
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError([{ file: folder, object: `sources folder "${folder}"`, field: '(folder)', message: 'does not exist: the sources are read from it (a project without sources keeps the folder, with its source.schema.json)' }]);
  }
  const problems: ConfigProblem[] = [];
  const sources: Source[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const file = relative(projectRoot, join(dir, entry)).split('\\').join('/');
    if (SOURCES_FOLDER_EXTRAS.has(entry)) continue;
    // anything else in the folder that is not a source file is a mistake (orders.YAML, orders.yml.bak,
    // a folder): ignoring it would drop the source, and its tables and volume with it, from the plan
    if (!/^[a-z_][a-z0-9_]*\.yaml$/.test(entry) || !statSync(join(dir, entry)).isFile()) {
      problems.push({ file, object: `source file "${entry}"`, field: '(file name)', message: `is not a source file: a source is <name>.yaml (lower case, one file, nothing else in ${folder}/); rename it or move it out` });
      continue;
    }
    try {
      sources.push(parseSource(file, readFileSync(join(dir, entry), 'utf8')));
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return sources;
}

import { parse } from 'csv-parse/sync';
import { Document, Node, YAMLMap, YAMLSeq } from 'yaml';
import { typeProblem } from '../model/databricks-types';
import type { Source } from '../model/source';
import { ConfigError, ConfigProblem } from './config-error';
import { SOURCES_FOLDER, parseSource } from './load-sources';

/**
 * Bulk onboarding (`npm run onboard`): an inventory CSV, one row per source, turned into
 * source files (config/sources/<name>.yaml) that are as editable as hand-written ones.
 * Every row is validated as the file it becomes (the YAML is parsed back with parseSource),
 * and a problem names the inventory file, its line and the CSV column.
 */

/** The inventory's columns, in the order the README lists them (the header may order them any way). */
export const INVENTORY_COLUMNS = ['name', 'format', 'key', 'sequence_by', 'scd', 'ingestion', 'columns'] as const;
type InventoryColumn = (typeof INVENTORY_COLUMNS)[number];
type Row = Readonly<Record<InventoryColumn, string>>;

export interface OnboardedSource {
  /** The source file to write, `<folder>/<name>.yaml`. */
  readonly file: string;
  readonly yaml: string;
  /** The source as loading the file gives it. */
  readonly source: Source;
  /** The file exists already with exactly this content (an earlier run of the same inventory wrote it): nothing to write. */
  readonly alreadyOnboarded?: boolean;
}

export interface InventoryOptions {
  /** Folder the source files go to, as paths name it (relative to the project root, or as given). @default config/sources */
  readonly folder?: string;
  /**
   * The content of a file that exists already, undefined when it does not: onboarding never
   * overwrites one, and takes one that says exactly the source the row gives as onboarded (a
   * rerun after an interruption finishes the work). @default nothing exists
   */
  readonly read?: (file: string) => string | undefined;
}

/** Whether a file says exactly the source a row gives (its comments, such as the inventory line it came from, aside). */
function sameSource(file: string, content: string, source: Source): boolean {
  try {
    return JSON.stringify({ ...parseSource(file, content), file: '' }) === JSON.stringify({ ...source, file: '' });
  } catch {
    return false;
  }
}

/** A cell split on `;`, trimmed, empty parts (a trailing `;`) dropped. */
const listOf = (cell: string) =>
  cell
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** Line breaks inside a value: csv-parse counts a record's last line, and a quoted field may span lines. */
const lineBreaks = (value: string) => value.match(/\r\n|\r|\n/g)?.length ?? 0;

/** The CSV column a field of a source comes from. */
function columnOf(field: string): InventoryColumn | undefined {
  const top = /^[A-Za-z]+/.exec(field)?.[0];
  switch (top) {
    case 'name':
      return 'name';
    case 'landing':
      return field === 'landing.format' ? 'format' : 'name';
    case 'sequenceBy':
      return 'sequence_by';
    case 'key':
    case 'scd':
    case 'ingestion':
    case 'columns':
      return top;
    default:
      return undefined;
  }
}

interface RowProblem {
  readonly column: string;
  readonly message: string;
}

/** A flow sequence written `[a, b]`, as source files write their key (flow maps keep the padding of `{ type: file-arrival }`). */
class UnpaddedFlowSeq extends YAMLSeq {
  override toString(ctx?: Parameters<YAMLSeq['toString']>[0], onComment?: () => void, onChompKeep?: () => void): string {
    return super.toString(ctx && { ...ctx, flowCollectionPadding: '' }, onComment, onChompKeep);
  }
}

/** The document of one row's source file: the fields in the order and style of a hand-written source. */
function sourceDocument(inventory: string, line: number, row: Row, columns: readonly { name: string; type?: string }[], key: readonly string[]): Document {
  const document = new Document();
  const flow = (value: unknown): Node => {
    const node = document.createNode(value) as Node & { flow?: boolean };
    node.flow = true;
    return node;
  };
  const numberOrText = (cell: string) => (/^\d+$/.test(cell) ? Number(cell) : cell);
  const fields: Record<string, unknown> = {};
  // an empty cell leaves its field out: the schema then names what is required
  if (row.name !== '') fields.name = row.name;
  fields.landing = flow({ ...(row.name !== '' && { volume: row.name }), ...(row.format !== '' && { format: row.format }) });
  fields.columns = columns.map((column) => flow({ ...column, ...(key.includes(column.name) && { nullable: false }) }));
  const keySeq = new UnpaddedFlowSeq(document.schema);
  keySeq.flow = true;
  keySeq.items = key.map((k) => document.createNode(k));
  fields.key = keySeq;
  if (row.sequence_by !== '') fields.sequenceBy = row.sequence_by;
  if (row.scd !== '') fields.scd = numberOrText(row.scd);
  if (row.ingestion !== '') fields.ingestion = row.ingestion;
  fields.trigger = flow({ type: 'file-arrival' });
  const contents = document.createNode(fields) as YAMLMap;
  // on the contents, not the document: no blank line between the comment and the fields
  contents.commentBefore = ` yaml-language-server: $schema=./source.schema.json\n Written by npm run onboard from ${inventory}:${line}; edit it as any source.`;
  document.contents = contents;
  return document;
}

/** What each column holds, said when its cell is empty. */
const EXPECTED: Readonly<Record<InventoryColumn, string>> = {
  name: 'the source name, a lower-case identifier',
  format: 'csv, json or parquet',
  key: 'the key column(s), separated by ;',
  sequence_by: 'the column ordering the versions of a key',
  scd: '1 (latest version per key) or 2 (full history)',
  ingestion: 'job or pipeline',
  columns: 'name:TYPE;name:TYPE…, e.g. id:STRING;amount:DECIMAL(12,2)',
};

/** One row: its source file, or its problems in the inventory's terms (ordered as the columns). */
function onboardRow(inventory: string, line: number, row: Row, folder: string): { result?: OnboardedSource; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const add = (column: string, message: string) => {
    if (!problems.some((p) => p.column === column && p.message === message)) problems.push({ column, message });
  };
  const empty = INVENTORY_COLUMNS.filter((c) => row[c] === '');
  for (const column of empty) add(column, `is empty: ${EXPECTED[column]}`);
  const malformed = new Set<number>();
  const entries = listOf(row.columns);
  const columns = entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    const name = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    const type = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (name === '' || type === '') {
      malformed.add(i);
      add('columns', `entry ${i + 1} "${entry}" is not name:TYPE (e.g. amount:DECIMAL(12,2))`);
    }
    return { name, ...(type !== '' && { type }) };
  });
  const columnEntryProblem = (i: number, part: string | undefined, message: string) => {
    const value = part === 'name' || part === 'type' ? columns[i][part] : undefined;
    return `entry ${i + 1} "${entries[i]}": ${part === undefined || (value !== undefined && message.includes(`"${value}"`)) ? '' : `${part} `}${message}`;
  };
  const key = listOf(row.key);
  // what parseSource checks only once the schema passes, checked here too so that a row's every problem shows at once
  const names = columns.map((c) => c.name).filter((n) => n !== '');
  const notAColumn = (name: string) => `"${name}" is not a column of the source (columns: ${names.join(', ')})`;
  columns.forEach((c, i) => {
    if (c.name !== '' && columns.findIndex((d) => d.name === c.name) < i) add('columns', columnEntryProblem(i, 'name', `column "${c.name}" is declared twice`));
  });
  if (names.length > 0) {
    for (const k of key) if (!names.includes(k)) add('key', notAColumn(k));
    if (row.sequence_by !== '' && !names.includes(row.sequence_by)) add('sequence_by', notAColumn(row.sequence_by));
  }
  const yaml = sourceDocument(inventory, line, row, columns, key).toString({ lineWidth: 0, singleQuote: true });
  const file = `${folder}/${row.name}.yaml`;
  const ordered = () => [...problems].sort((a, b) => rank(a.column) - rank(b.column));
  try {
    const source = parseSource(file, yaml);
    return problems.length > 0 ? { problems: ordered() } : { result: { file, yaml, source }, problems: [] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) {
      const column = columnOf(problem.field);
      const index = /^\w+\[(\d+)\](?:\.(\w+))?/.exec(problem.field);
      if (column !== undefined && empty.includes(column)) continue;
      if (column === 'columns' && index && malformed.has(Number(index[1]))) continue;
      let message = problem.message;
      if (column === 'format' || column === 'scd' || column === 'ingestion') {
        message = `must be ${EXPECTED[column]}, got "${row[column]}"`;
      } else if (column === 'columns' && index) {
        const i = Number(index[1]);
        message = columnEntryProblem(i, index[2], index[2] === 'type' && columns[i].type !== undefined ? (typeProblem(columns[i].type!) ?? message) : message);
      } else if (column === 'key' && index && !message.includes(`"${key[Number(index[1])]}"`)) {
        message = `"${key[Number(index[1])]}" ${message}`;
      }
      add(column ?? problem.field, message);
    }
    return { problems: ordered() };
  }
}

/** Position of a column among the inventory's columns, for ordering a row's problems. */
const rank = (column: string) => {
  const i = (INVENTORY_COLUMNS as readonly string[]).indexOf(column);
  return i < 0 ? INVENTORY_COLUMNS.length : i;
};

/**
 * The source files an inventory CSV describes, one per row, each validated as the file it
 * becomes. The header names the columns (any order); `key` and `columns` are `;`-separated
 * lists, `columns` of `name:TYPE`. Throws a ConfigError with every problem of every row (a
 * bad cell, a duplicate name, a file that exists already), each naming the inventory file,
 * its line and the CSV column, so a caller writes all the files or none.
 */
export function sourcesFromInventory(file: string, csvText: string, options: InventoryOptions = {}): OnboardedSource[] {
  const folder = (options.folder ?? SOURCES_FOLDER).replace(/\/+$/, '');
  const object = 'inventory';
  const problems: ConfigProblem[] = [];
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csvText, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase())),
      info: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as typeof records;
  } catch (error) {
    const lines = (error as { lines?: unknown }).lines;
    throw new ConfigError([{ file, line: typeof lines === 'number' ? lines : undefined, object, field: '(csv)', message: error instanceof Error ? error.message : String(error) }]);
  }
  const missing = INVENTORY_COLUMNS.filter((c) => !header.includes(c));
  if (header.length === 0) problems.push({ file, line: 1, object, field: '(header)', message: `is missing: the first line names the columns ${INVENTORY_COLUMNS.join(',')}` });
  else if (missing.length > 0) problems.push({ file, line: 1, object, field: '(header)', message: `lacks the column(s) ${missing.join(', ')} (the columns are ${INVENTORY_COLUMNS.join(',')})` });
  header.forEach((c, i) => {
    if (!(INVENTORY_COLUMNS as readonly string[]).includes(c)) problems.push({ file, line: 1, object, field: c || `(column ${i + 1})`, message: `is not an inventory column (misspelt?); the columns are ${INVENTORY_COLUMNS.join(',')}` });
    else if (header.indexOf(c) !== i) problems.push({ file, line: 1, object, field: c, message: 'is a column named twice' });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  if (records.length === 0) throw new ConfigError([{ file, object, field: '(rows)', message: 'has no rows: nothing to onboard' }]);

  const results: OnboardedSource[] = [];
  const firstLine = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines - Object.values(record).reduce((n, value) => n + lineBreaks(value), 0);
    const row = Object.fromEntries(INVENTORY_COLUMNS.map((c) => [c, (record[c] ?? '').trim()])) as Row;
    const at = (column: string, message: string) => problems.push({ file, line, object: row.name ? `source ${JSON.stringify(row.name)}` : 'inventory row', field: column, message });
    const { result, problems: rowProblems } = onboardRow(file, line, row, folder);
    for (const p of rowProblems) at(p.column, p.message);
    if (row.name !== '') {
      const earlier = firstLine.get(row.name);
      if (earlier !== undefined) at('name', `source "${row.name}" is already on line ${earlier}: a name is onboarded once`);
      else firstLine.set(row.name, line);
    }
    let onboarded = result;
    if (/^[a-z_][a-z0-9_]*$/.test(row.name)) {
      const target = `${folder}/${row.name}.yaml`;
      const content = options.read?.(target);
      if (content !== undefined && result && sameSource(target, content, result.source)) onboarded = { ...result, alreadyOnboarded: true };
      else if (content !== undefined) at('name', `${target} exists already: onboarding never overwrites a source (edit that file, or drop the row)`);
    }
    if (onboarded) results.push(onboarded);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return results;
}

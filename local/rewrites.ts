import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { basename, join } from 'node:path';
import { PLACEHOLDER, closingParenthesis, literalValue, patternWithLiterals, placeholderIndex, quoteLiteral } from '../sql-lang/sql-text';
import { VolumeMapper } from './volumes';
import { isHiddenFileName } from '../model/naming';
import { FailedError } from '../model/errors';

/**
 * The explicit translation of the Databricks SQL constructs our assets use into DuckDB.
 * Each rewrite works on a statement whose literals and comments are masked (see
 * sql-text.ts), so it never changes the inside of a string. A construct with no rewrite
 * here is refused by unsupported-constructs.ts instead of being approximated.
 */

export class LocalSqlError extends FailedError {}

export interface RewriteContext {
  /** Values of the task's parameter markers. */
  readonly params: Readonly<Record<string, string>>;
  readonly volumes: VolumeMapper;
  /** The statement's masked literals; rewrites may add literals of their own. */
  readonly literals: string[];
  /** Files (as /Volumes paths) read_files must not read again: a streaming source's processed files. */
  readonly skipFiles?: ReadonlySet<string>;
  /** Receives every file (as a /Volumes path) read_files reads. */
  readonly filesRead?: string[];
  /** The engine's change data feed, for a statement that reads it (table_changes, DESCRIBE HISTORY). */
  readonly changeFeed?: ChangeFeedReader;
}

/**
 * What reads the local emulation of the Delta change data feed (change-data-feed.ts); the
 * engine gives one, with the tables' latest versions, to a statement that reads the feed.
 */
export interface ChangeFeedReader {
  /** A parenthesized DuckDB query for `table_changes(<args>)`, given its masked arguments. */
  tableChanges(args: readonly string[], context: RewriteContext): string;
  /** The DuckDB query answering `DESCRIBE HISTORY <rest>`, given the masked text after HISTORY. */
  describeHistory(rest: string, context: RewriteContext): string;
}

export interface Rewrite {
  readonly name: string;
  /** The Databricks construct it matches. */
  readonly databricks: string;
  /** What DuckDB runs instead. */
  readonly duckdb: string;
  readonly why: string;
  apply(masked: string, context: RewriteContext): string;
}

/** Adds a string literal to the statement's literals and returns its placeholder. */
export function addLiteral(context: RewriteContext, value: string): string {
  context.literals.push(quoteLiteral(value));
  return `\u0001${context.literals.length - 1}\u0001`;
}

/** Evaluates `'text' || :param || …`, the only expressions our assets build names and paths from. */
function evaluateStringExpression(expression: string, context: RewriteContext): string {
  return expression
    .split('||')
    .map((term) => term.trim())
    .map((term) => {
      const literal = placeholderIndex(term);
      if (literal !== undefined) return literalValue(context.literals[literal]);
      const marker = /^:([A-Za-z_]\w*)$/.exec(term);
      if (marker) {
        const value = context.params[marker[1]];
        if (value === undefined) throw new LocalSqlError(`parameter :${marker[1]} is not set`);
        return value;
      }
      throw new LocalSqlError(`cannot evaluate "${term}" locally: only literals and :parameters joined with || are supported here`);
    })
    .join('');
}

/** The text between the parenthesis at `open` and its match. */
function balancedArguments(masked: string, open: number): { inner: string; end: number } {
  const end = closingParenthesis(masked, open);
  if (end === -1) throw new LocalSqlError('unbalanced parentheses');
  return { inner: masked.slice(open + 1, end - 1), end };
}

/** Splits at separators outside brackets; `typeBrackets` also treats <…> as brackets (MAP<K, V>). */
export function splitTopLevel(text: string, separator: string, typeBrackets = false): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(' || (typeBrackets && text[i] === '<')) depth++;
    if (text[i] === ')' || (typeBrackets && text[i] === '>')) depth--;
    if (text[i] === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Replaces every call `name(…)` found by `pattern` (which must match up to the opening parenthesis). */
function replaceCalls(masked: string, pattern: RegExp, replace: (args: string) => string): string {
  let result = '';
  let from = 0;
  for (let match = pattern.exec(masked); match; match = pattern.exec(masked)) {
    const open = match.index + match[0].length - 1;
    const { inner, end } = balancedArguments(masked, open);
    result += masked.slice(from, match.index) + replace(inner);
    from = end;
    pattern.lastIndex = end;
  }
  return result + masked.slice(from);
}

const isCreate = (masked: string) => /^\s*CREATE\b/i.test(masked);

/** The change data feed a statement reads, or an error when the translation was given none. */
function changeFeedOf(context: RewriteContext, construct: string): ChangeFeedReader {
  if (!context.changeFeed) throw new LocalSqlError(`${construct} needs the local engine's change data feed, which this translation was not given`);
  return context.changeFeed;
}

const DUCKDB_TYPES: Readonly<Record<string, string>> = {
  STRING: 'VARCHAR',
  SMALLINT: 'SMALLINT',
  TINYINT: 'TINYINT',
  FLOAT: 'FLOAT',
  BINARY: 'BLOB',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
};

/** The DuckDB type of a Databricks type, for read_files schemas, declared tables and variables. */
export function duckdbType(databricksType: string): string {
  const decimal = /^DECIMAL\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(databricksType);
  if (decimal) return `DECIMAL(${decimal[1]}, ${decimal[2]})`;
  const array = /^ARRAY\s*<(.+)>$/i.exec(databricksType.trim());
  if (array) return `${duckdbType(array[1].trim())}[]`;
  const mapped = DUCKDB_TYPES[databricksType.toUpperCase()];
  if (!mapped) throw new LocalSqlError(`read_files schema type "${databricksType}" has no local mapping`);
  return mapped;
}

/**
 * The files read_files would read: every non-empty file matching the glob, in name order,
 * but for the names Spark's file listing skips (isHiddenFileName: `_…`, `.…`).
 * A folder that does not exist fails, as read_files fails on Databricks with PATH_NOT_FOUND
 * (a mistyped volume or a batch folder nobody delivered is an error, never zero rows).
 * https://docs.databricks.com/en/error-messages/error-classes.html#path_not_found
 */
function listFiles(directory: string, glob: string, volumePath: string, withEmpty = false): string[] {
  if (!existsSync(directory)) throw new LocalSqlError(`[PATH_NOT_FOUND] Path does not exist: dbfs:${volumePath}`);
  const pattern = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return readdirSync(directory)
    .filter((name) => pattern.test(name) && !isHiddenFileName(name))
    .map((name) => join(directory, name))
    .filter((file) => statSync(file).isFile() && (withEmpty || statSync(file).size > 0))
    .sort();
}

const READ_FILES_OPTIONS = new Set(['format', 'header', 'schema', 'multiline', 'mode', 'pathglobfilter', 'escape', 'quote', 'enforceschema', 'rescueddatacolumn']);

/**
 * enforceSchema => false: each file's header is validated against the schema by position,
 * case-insensitively (spark.sql.caseSensitive is false by default), and a file that does not
 * conform fails the read with Spark's message. apache/spark CSVHeaderChecker.scala
 * (checkHeaderColumnNames); https://spark.apache.org/docs/latest/sql-data-sources-csv.html (enforceSchema).
 */
function checkCsvHeader(file: string, uri: string, schema: readonly string[], quote: string, escape: string): void {
  const header = csvHeader(file, quote, escape);
  let message: string | undefined;
  if (header.length !== schema.length) {
    message = `Number of column in CSV header is not equal to number of fields in the schema:\n Header length: ${header.length}, schema size: ${schema.length}\nCSV file: ${uri}`;
  } else {
    const at = schema.findIndex((name, i) => name.toLowerCase() !== header[i].toLowerCase());
    if (at >= 0) {
      message = `CSV header does not conform to the schema.\n Header: ${header.join(', ')}\n Schema: ${schema.join(', ')}\nExpected: ${schema[at]} but found: ${header[at]}\nCSV file: ${uri}`;
    }
  }
  if (message) throw new LocalSqlError(`[FAILED_READ_FILE.NO_HINT] Error while reading file ${uri}. ${message}`);
}

/** The header of a CSV file: its first record's fields, as written. */
function csvHeader(file: string, quote: string, escape: string): string[] {
  const [header = []] = parseCsv(readFileSync(file), { to: 1, quote, escape, relax_column_count: true, bom: true }) as string[][];
  return header;
}

/**
 * One file of a read with rescuedDataColumn: every field read as text, in the header's order;
 * the header's columns aligned with the schema by name, case-sensitively (readerCaseSensitive
 * is true by default); a declared column the header lacks is NULL; the rescued column is a JSON
 * object of what the declared columns did not take (a column the schema does not declare, or
 * declares in another case; a value that does not parse as its declared type, the column then
 * NULL) with the file's path as `_file_path`, and NULL when nothing was rescued.
 * https://docs.databricks.com/aws/en/ingestion/cloud-object-storage/auto-loader/options (CSV
 * options readerCaseSensitive, rescuedDataColumn) and
 * https://docs.databricks.com/aws/en/ingestion/cloud-object-storage/auto-loader/schema#rescue
 */
function rescuingCsvRead(file: string, uri: string, columns: readonly { name: string; type: string }[], rescuedColumn: string, quote: string, escape: string, context: RewriteContext): string {
  const header = csvHeader(file, quote, escape);
  // the fields by position (c0, c1…): header names may differ only by case, which DuckDB's names may not
  const fields = header.map((name, i) => ({ name, column: `c${i}`, ref: `"c${i}"` }));
  const textColumns = fields.map((f) => `${addLiteral(context, f.column)}: 'VARCHAR'`).join(', ');
  const declared = columns.map((c) => {
    const field = fields.find((f) => f.name === c.name);
    return { ...c, field, value: field ? `TRY_CAST(${field.ref} AS ${c.type})` : `CAST(NULL AS ${c.type})` };
  });
  const taken = new Set(declared.flatMap((c) => (c.field ? [c.field.name] : [])));
  const rescued = [
    ...fields.filter((f) => !taken.has(f.name)).map((f) => `{'k': ${addLiteral(context, f.name)}, 'v': ${f.ref}}`),
    ...declared.filter((c) => c.field).map((c) => `{'k': ${addLiteral(context, c.name)}, 'v': CASE WHEN ${c.value} IS NULL THEN ${c.field!.ref} END}`),
  ];
  const entries = rescued.length > 0 ? `list_filter([${rescued.join(', ')}], e -> e.v IS NOT NULL)` : `[]::STRUCT(k VARCHAR, v VARCHAR)[]`;
  const rescuedJson =
    `CASE WHEN len(${entries}) = 0 THEN NULL ` +
    `ELSE to_json(map_from_entries(list_append(${entries}, {'k': '_file_path', 'v': ${addLiteral(context, uri)}}))) END`;
  const select = [...declared.map((c) => `${c.value} AS ${c.name}`), `${rescuedJson} AS ${rescuedColumn}`, 'filename'].join(', ');
  return `SELECT ${select} FROM read_csv(${addLiteral(context, file)}, header = true, columns = {${textColumns}}, filename = true, auto_detect = false, quote = ${addLiteral(context, quote)}, escape = ${addLiteral(context, escape)})`;
}

/**
 * The file metadata column as Databricks gives it: file_path (the scheme-qualified, quoted URI),
 * file_name, file_size in bytes and file_modification_time.
 * https://docs.databricks.com/aws/en/ingestion/file-metadata-column
 */
const METADATA_TYPE = 'STRUCT(file_path VARCHAR, file_name VARCHAR, file_size BIGINT, file_modification_time TIMESTAMP)';

/** `(local file, _metadata)` rows of a VALUES list, one per file. */
function metadataValues(files: readonly string[], context: RewriteContext): string {
  return files
    .map((f) => {
      const stat = statSync(f);
      const fields = [
        `'file_path': ${addLiteral(context, context.volumes.toUri(f))}`,
        `'file_name': ${addLiteral(context, basename(f))}`,
        `'file_size': ${stat.size}`,
        `'file_modification_time': make_timestamp(${Math.round(stat.mtimeMs * 1000)})`,
      ];
      return `(${addLiteral(context, f)}, {${fields.join(', ')}}::${METADATA_TYPE})`;
    })
    .join(', ');
}

/**
 * read_files with format binaryFile: one row per file with path, modificationTime, length and
 * content (the whole file) and _metadata; empty files included, as the binary file source lists
 * them. https://docs.databricks.com/aws/en/query/formats/binary
 */
function binaryFilesToDuckdb(pathArgument: string, options: ReadonlyMap<string, string>, context: RewriteContext): string {
  for (const name of options.keys()) {
    if (name !== 'format' && name !== 'pathglobfilter') throw new LocalSqlError(`read_files option ${name} has no local translation for format binaryFile`);
  }
  const path = evaluateStringExpression(pathArgument, context);
  const files = listFiles(context.volumes.toLocal(path), options.get('pathglobfilter') ?? '*', path, true).filter(
    (file) => !context.skipFiles?.has(context.volumes.toVolume(file)),
  );
  context.filesRead?.push(...files.map((file) => context.volumes.toVolume(file)));
  const columns = 'path VARCHAR, modificationTime TIMESTAMP, length BIGINT, content BLOB';
  if (files.length === 0) {
    return `(SELECT ${columns.split(', ').map((c) => `CAST(NULL AS ${c.split(' ')[1]}) AS ${c.split(' ')[0]}`).join(', ')}, CAST(NULL AS ${METADATA_TYPE}) AS _metadata WHERE false)`;
  }
  const fileList = files.map((f) => addLiteral(context, f)).join(', ');
  return (
    `(SELECT m._metadata.file_path AS path, m._metadata.file_modification_time AS modificationTime, m._metadata.file_size AS length, b.content, m._metadata ` +
    `FROM read_blob([${fileList}]) AS b JOIN (VALUES ${metadataValues(files, context)}) AS m(local_file, _metadata) ON m.local_file = b.filename)`
  );
}

function readFilesToDuckdb(args: string, context: RewriteContext): string {
  const [pathArgument, ...named] = splitTopLevel(args, ',');
  const options = new Map<string, string>();
  for (const option of named) {
    const match = /^(\w+)\s*=>\s*(.+)$/s.exec(option);
    if (!match) throw new LocalSqlError(`read_files argument "${option}" is not a named option (name => value)`);
    const name = match[1].toLowerCase();
    if (!READ_FILES_OPTIONS.has(name)) throw new LocalSqlError(`read_files option ${match[1]} has no local translation`);
    const literal = placeholderIndex(match[2].trim());
    options.set(name, literal !== undefined ? literalValue(context.literals[literal]) : match[2].trim().toLowerCase());
  }
  if ((options.get('format') ?? '').toLowerCase() === 'binaryfile') return binaryFilesToDuckdb(pathArgument, options, context);
  if ((options.get('format') ?? '').toLowerCase() !== 'csv') throw new LocalSqlError(`read_files format "${options.get('format') ?? '(none)'}" is not supported locally; only csv and binaryFile`);
  if (options.get('header') !== 'true') throw new LocalSqlError('read_files needs header => true locally');
  if (options.has('mode') && options.get('mode')!.toUpperCase() !== 'FAILFAST') throw new LocalSqlError(`read_files mode ${options.get('mode')} is not supported locally; only FAILFAST`);
  const schema = options.get('schema');
  if (!schema) throw new LocalSqlError('read_files needs an explicit schema locally: schema inference is not emulated');

  const columns = splitTopLevel(schema, ',', true).map((column) => {
    const match = /^(\w+)\s+(.+)$/s.exec(column);
    if (!match) throw new LocalSqlError(`read_files schema column "${column}" is not "<name> <type>"`);
    return { name: match[1], type: duckdbType(match[2].trim()) };
  });
  const path = evaluateStringExpression(pathArgument, context);
  const files = listFiles(context.volumes.toLocal(path), options.get('pathglobfilter') ?? '*', path).filter(
    (file) => !context.skipFiles?.has(context.volumes.toVolume(file)),
  );
  context.filesRead?.push(...files.map((file) => context.volumes.toVolume(file)));
  const metadataType = METADATA_TYPE;
  const rescuedColumn = options.get('rescueddatacolumn');
  if (rescuedColumn !== undefined && !/^\w+$/.test(rescuedColumn)) throw new LocalSqlError(`read_files rescuedDataColumn "${rescuedColumn}" is not a plain column name`);
  const rescuedNull = rescuedColumn !== undefined ? `, CAST(NULL AS VARCHAR) AS ${rescuedColumn}` : '';
  if (files.length === 0) {
    const nulls = columns.map((c) => `CAST(NULL AS ${c.type}) AS ${c.name}`).join(', ');
    return `(SELECT ${nulls}${rescuedNull}, CAST(NULL AS ${metadataType}) AS _metadata WHERE false)`;
  }
  const quoteChar = options.get('quote') ?? '"';
  const escapeChar = options.get('escape') ?? '"';
  if (rescuedColumn !== undefined) {
    const reads = files.map((file) => rescuingCsvRead(file, context.volumes.toUri(file), columns, rescuedColumn, quoteChar, escapeChar, context));
    return `(SELECT f.* EXCLUDE (filename), m._metadata FROM (${reads.join(' UNION ALL ')}) AS f JOIN (VALUES ${metadataValues(files, context)}) AS m(local_file, _metadata) ON m.local_file = f.filename)`;
  }
  if (options.get('enforceschema') === 'false') {
    for (const file of files) checkCsvHeader(file, context.volumes.toUri(file), columns.map((c) => c.name), quoteChar, escapeChar);
  }
  const fileList = files.map((f) => addLiteral(context, f)).join(', ');
  const columnTypes = columns.map((c) => `${addLiteral(context, c.name)}: ${addLiteral(context, c.type)}`).join(', ');
  const quote = addLiteral(context, quoteChar);
  const escape = addLiteral(context, escapeChar);
  // each file's _metadata as Databricks gives it: file_path is the scheme-qualified, quoted URI
  const metadata = metadataValues(files, context);
  return (
    `(SELECT f.* EXCLUDE (filename), m._metadata FROM read_csv([${fileList}], header = true, columns = {${columnTypes}}, filename = true, auto_detect = false, quote = ${quote}, escape = ${escape}) AS f ` +
    `JOIN (VALUES ${metadata}) AS m(local_file, _metadata) ON m.local_file = f.filename)`
  );
}

function renameFunction(name: string, to: string, why: string): Rewrite {
  return {
    name: `function-${name}`,
    databricks: `${name}(…)`,
    duckdb: `${to}(…)`,
    why,
    apply: (masked) => masked.replace(new RegExp(`\\b${name}\\s*\\(`, 'gi'), `${to}(`),
  };
}

export const REWRITES: readonly Rewrite[] = [
  {
    name: 'ddl-using-delta',
    databricks: 'CREATE TABLE … USING DELTA',
    duckdb: 'CREATE TABLE …',
    why: 'DuckDB tables have one storage format; Delta features the assets rely on (atomic statements) hold in DuckDB transactions.',
    apply: (masked) => (isCreate(masked) ? masked.replace(/\bUSING\s+DELTA\b/gi, '') : masked),
  },
  {
    name: 'ddl-cluster-by',
    databricks: 'CREATE TABLE … CLUSTER BY (cols)',
    duckdb: 'CREATE TABLE …',
    why: 'Liquid clustering is a physical layout; it changes no result.',
    apply: (masked) => (isCreate(masked) ? masked.replace(/\bCLUSTER\s+BY\s*\([^()]*\)/gi, '') : masked),
  },
  {
    name: 'ddl-comment',
    databricks: "CREATE TABLE (col TYPE COMMENT '…') COMMENT '…'",
    duckdb: 'CREATE TABLE (col TYPE)',
    why: 'DuckDB has no inline COMMENT clause; comments change no result.',
    apply: (masked) => (isCreate(masked) ? masked.replace(patternWithLiterals('\\bCOMMENT\\s+<literal>', 'gi'), '') : masked),
  },
  {
    name: 'identifier-clause',
    databricks: "IDENTIFIER(:catalog || '.schema.table')",
    duckdb: '"catalog"."schema"."table"',
    why: 'DuckDB has no IDENTIFIER(); the name is computed from the bound parameters, each part checked to be a plain identifier.',
    apply: (masked, context) =>
      replaceCalls(masked, /\bIDENTIFIER\s*\(/gi, (args) => {
        const name = evaluateStringExpression(args, context);
        const parts = name.split('.');
        if (parts.length < 1 || parts.length > 3 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
          throw new LocalSqlError(`IDENTIFIER("${name}") is not a name of one to three plain identifiers`);
        }
        return parts.map((p) => `"${p}"`).join('.');
      }),
  },
  {
    name: 'backtick-identifiers',
    databricks: '`schema`.`table`',
    duckdb: '"schema"."table"',
    why: 'Databricks quotes identifiers with backticks, DuckDB with double quotes; the name inside is kept as it is.',
    apply: (masked, context) =>
      masked.replace(PLACEHOLDER, (placeholder, index: string) => {
        const literal = context.literals[Number(index)];
        if (!literal.startsWith('`')) return placeholder;
        // kept a masked literal, so no later rewrite reads inside the name
        context.literals[Number(index)] = `"${literal.slice(1, -1).replace(/``/g, '`').replace(/"/g, '""')}"`;
        return placeholder;
      }),
  },
  {
    name: 'table-changes',
    databricks: "table_changes('silver.orders', 3 [, 5])",
    duckdb: '(SELECT <columns>, _change_type, _commit_version, _commit_timestamp FROM "<catalog>"."__delta_log"."silver__orders" WHERE _commit_version BETWEEN 3 AND 5)',
    why: "DuckDB has no change data feed: the local engine records each commit of a table that enables it in a hidden log (change-data-feed.ts), which the call reads, its arguments and bounds checked as Databricks checks them.",
    apply: (masked, context) => replaceCalls(masked, /(?<![\w.$])table_changes\s*\(/gi, (args) => changeFeedOf(context, 'table_changes()').tableChanges(splitTopLevel(args, ','), context)),
  },
  {
    name: 'describe-history',
    databricks: 'DESCRIBE HISTORY <table> [LIMIT n]',
    duckdb: 'SELECT version, timestamp, operation FROM "<catalog>"."__delta_log"."commits" WHERE … ORDER BY version DESC [LIMIT n]',
    why: "DuckDB tables have no history: the local engine's change data feed keeps the commits of the tables that enable it, newest first as Databricks lists them.",
    apply: (masked, context) => {
      const describe = /^\s*DESC(?:RIBE)?\s+HISTORY\b/i.exec(masked);
      return describe ? changeFeedOf(context, 'DESCRIBE HISTORY').describeHistory(masked.slice(describe[0].length), context) : masked;
    },
  },
  {
    name: 'read-files',
    databricks: "read_files(:path, format => 'csv', header => true, schema => '…', pathGlobFilter => '*.csv', …)",
    duckdb: "(SELECT *, {file_path, file_name} AS _metadata FROM read_csv([files…], columns = {…}, filename = true))",
    why: 'DuckDB reads CSV with read_csv; the files are listed from the volume folder mapped locally (empty files hold no rows and are skipped), and _metadata.file_path keeps the /Volumes/… form Databricks reports.',
    apply: (masked, context) => replaceCalls(masked, /\bread_files\s*\(/gi, (args) => readFilesToDuckdb(args, context)),
  },
  {
    name: 'current-timestamp-call',
    databricks: 'current_timestamp(), current_date()',
    duckdb: 'current_timestamp, current_date',
    why: 'DuckDB spells them without parentheses.',
    apply: (masked) => masked.replace(/\b(current_timestamp|current_date)\s*\(\s*\)/gi, '$1'),
  },
  {
    name: 'function-datediff',
    databricks: 'datediff(end, start)',
    duckdb: "date_diff('day', start, end)",
    why: 'DuckDB counts days between dates with date_diff, whose arguments come in the other order.',
    apply: (masked) =>
      replaceCalls(masked, /\bdatediff\s*\(/gi, (args) => {
        const parts = splitTopLevel(args, ',');
        if (parts.length !== 2) throw new LocalSqlError('datediff with other than (end, start) has no local translation');
        return `date_diff('day', ${parts[1]}, ${parts[0]})`;
      }),
  },
  {
    name: 'function-timestampdiff',
    databricks: 'timestampdiff(UNIT, start, end)',
    duckdb: "date_diff('unit', start, end)",
    why: 'DuckDB names the unit as a string in date_diff.',
    apply: (masked) =>
      replaceCalls(masked, /\btimestampdiff\s*\(/gi, (args) => {
        const [unit, ...rest] = splitTopLevel(args, ',');
        if (rest.length !== 2 || !/^[A-Za-z]+$/.test(unit)) throw new LocalSqlError('timestampdiff takes (UNIT, start, end)');
        return `date_diff('${unit.toLowerCase()}', ${rest[0]}, ${rest[1]})`;
      }),
  },
  {
    name: 'session-variable-declare',
    databricks: 'DECLARE [OR REPLACE] VARIABLE name TYPE [DEFAULT expr]',
    duckdb: 'SET VARIABLE name = CAST(expr AS type)',
    why: 'DuckDB keeps session variables with SET VARIABLE, typed by their value; the cast gives them the declared type (NULL when no default, as Databricks does).',
    apply: (masked) => {
      const declare = /^\s*DECLARE\s+(?:OR\s+REPLACE\s+)?(?:VARIABLE\s+)?([A-Za-z_]\w*)\s+([\s\S]+?)(?:\s+(?:DEFAULT|=)\s+([\s\S]+))?\s*$/i.exec(masked);
      return declare ? `SET VARIABLE ${declare[1]} = CAST(${declare[3] ?? 'NULL'} AS ${duckdbType(declare[2])})` : masked;
    },
  },
  {
    name: 'session-variable-set',
    databricks: 'SET VAR name = expr',
    duckdb: 'SET VARIABLE name = expr',
    why: 'DuckDB spells the assignment of a session variable SET VARIABLE.',
    apply: (masked) => masked.replace(/^(\s*)SET\s+VAR(?:IABLE)?\s+([A-Za-z_]\w*)\s*=/i, '$1SET VARIABLE $2 ='),
  },
  {
    name: 'session-variable-reference',
    databricks: 'session.name, system.session.name',
    duckdb: "getvariable('name')",
    why: 'DuckDB reads a session variable with getvariable(); the qualified Databricks form is the one the assets use, so a variable is never mistaken for a column.',
    apply: (masked, context) => masked.replace(/(?<![\w.])(?:system\.)?session\.([A-Za-z_]\w*)\b/gi, (_m, name: string) => `getvariable(${addLiteral(context, name)})`),
  },
  renameFunction('array_contains', 'list_contains', 'DuckDB tests list membership with list_contains().'),
  renameFunction('array', 'list_value', 'DuckDB builds a list from values with list_value(); its array() is a subquery.'),
  renameFunction('raise_error', 'error', 'DuckDB raises an error with error(message).'),
  {
    name: 'function-sha2',
    databricks: 'sha2(expr, 256)',
    duckdb: 'sha256(expr)',
    why: 'DuckDB computes SHA-256 (lower-case hex, as sha2 gives it) with sha256(); other bit lengths are not emulated.',
    apply: (masked) =>
      replaceCalls(masked, /\bsha2\s*\(/gi, (args) => {
        const [expression, bits, ...rest] = splitTopLevel(args, ',');
        if (bits !== '256' || rest.length > 0) throw new LocalSqlError(`sha2(${args}) is emulated locally only with 256 bits`);
        return `sha256(${expression})`;
      }),
  },
  {
    name: 'function-decode',
    databricks: "decode(bin, 'UTF-8')",
    duckdb: 'decode(bin)',
    why: 'DuckDB decodes a BLOB as UTF-8 with decode(blob), failing on invalid bytes; other charsets are not emulated.',
    apply: (masked, context) =>
      replaceCalls(masked, /\bdecode\s*\(/gi, (args) => {
        const [expression, charset, ...rest] = splitTopLevel(args, ',');
        const index = charset === undefined ? undefined : placeholderIndex(charset);
        if (index === undefined || rest.length > 0 || literalValue(context.literals[index]).toUpperCase() !== 'UTF-8') {
          throw new LocalSqlError(`decode(${args}) is emulated locally only with the charset 'UTF-8'`);
        }
        return `decode(${expression})`;
      }),
  },
  renameFunction('explode', 'unnest', 'DuckDB turns an array into rows with unnest().'),
  renameFunction('collect_list', 'list', 'DuckDB aggregates values into a list with list().'),
  renameFunction('array_join', 'array_to_string', 'DuckDB joins a list into a string with array_to_string().'),
  {
    name: 'parameter-markers',
    databricks: ':name',
    duckdb: '$name',
    why: 'DuckDB binds named parameters written $name; values stay bound, never spliced into the text.',
    apply: (masked) => masked.replace(/(?<![:\w$]):([A-Za-z_]\w*)/g, '$$$1'),
  },
];

/** Applies every rewrite in order to a masked statement. */
export function rewriteStatement(masked: string, context: RewriteContext): string {
  return REWRITES.reduce((text, rewrite) => rewrite.apply(text, context), masked);
}

/** Names of the `$name` parameters a rewritten statement binds. */
export function boundParameters(rewritten: string): string[] {
  return [...new Set([...rewritten.replace(PLACEHOLDER, '').matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]))];
}

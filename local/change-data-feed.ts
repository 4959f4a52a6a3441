import type { DuckDBConnection } from '@duckdb/node-api';
import type { DeclaredTable } from '../model/declared-tables';
import { CHANGE_DATA_FEED_PROPERTY } from '../model/ops-tables';
import { PLACEHOLDER, closingParenthesis, literalValue, maskSql, placeholderIndex, unmaskSql } from '../sql-lang/sql-text';
import { ChangeFeedReader, LocalSqlError, RewriteContext, addLiteral, boundParameters, duckdbType } from './rewrites';

/**
 * The Delta Change Data Feed, emulated in the local engine's DuckDB state for the declared
 * tables that enable it (`TableSpec.changeDataFeed`, deployed as the table property
 * delta.enableChangeDataFeed), with the semantics Databricks documents:
 * https://docs.databricks.com/en/delta/delta-change-data-feed.html and
 * https://docs.databricks.com/en/sql/language-manual/functions/table_changes.html
 *
 * The log lives in a hidden schema of the catalog, `"<catalog>"."__delta_log"`, so it is in the
 * state file and survives close and reopen:
 * - `commits` (table_name, version, timestamp, operation): one row a version of each table,
 *   which DESCRIBE HISTORY lists. Version 0 is the table's creation when the engine creates it
 *   at open (CREATE TABLE); a table that existed before it was recorded (a state file older than
 *   the emulation) gets version 0 as the moment its feed was enabled (SET TBLPROPERTIES), its
 *   rows then in no version, as on a table whose feed is enabled after creation.
 * - `<layer>__<table>`: the table's columns plus `_change_type`, `_commit_version` and
 *   `_commit_timestamp`: the rows each version changed, which table_changes reads.
 *
 * Every statement that writes such a table (INSERT, MERGE, UPDATE, DELETE), whichever entry
 * point runs it (SQL files, notebooks, the command line, `LocalEngine.query`), commits exactly
 * one new version: its data change, its change rows and its commit row in one DuckDB
 * transaction, so no failure (nor a task killed between statements) leaves one without the
 * other. The target is found in the statement as DuckDB runs it (after IDENTIFIER(), backticks
 * and three-part names are resolved); a write whose target cannot be told, or a write of a kind
 * the feed does not record (TRUNCATE, ALTER, DROP, CREATE OR REPLACE, INSERT OR REPLACE…), is
 * refused when it may touch such a table, never run unrecorded.
 *
 * How a write is recorded (O(rows the statement touches), no other table read): the statement
 * runs with `RETURNING *` (plus MERGE's merge_action), which gives inserted rows, deleted rows
 * (their old values) and updated rows (their new values); the updated rows' pre-images are the
 * target rows the statement could update, copied just before it runs in the same transaction:
 * for a MERGE the target rows its ON condition matches (a semi join of target and source, the
 * join the MERGE itself makes), for an UPDATE the rows its WHERE selects (an UPDATE of another
 * shape copies the whole table). A MERGE with a `WHEN NOT MATCHED BY SOURCE … UPDATE` clause, or
 * of a shape not parsed, is recorded from a snapshot instead, O(table): the whole table is copied
 * before and compared with itself after, by key (DuckDB 1.5 returns the rows such a clause
 * updates with only their SET columns filled; a row updated to the values it had is not seen
 * then). Pre- and post-images are paired by the spec's `changeDataFeed.key`; an update that
 * changes a key value, or a key that is not unique, cannot be paired and is refused (rolled back).
 *
 * Measured (a 1,000-row MERGE, half updates, into 1,000,000 rows; a shared machine, medians of
 * 9-11): 90-170 ms plain, 380-590 ms recorded. Of the ~300-400 ms more: the pre-image semi join,
 * which reads every column of the target once, 50-90 ms; DuckDB's MERGE … RETURNING in an
 * explicit transaction and its commit, the rest (the log rows themselves take ~5 ms). A bulk
 * INSERT of 1,000,000 rows takes about twice as long (the change rows are a second copy).
 *
 * Not emulated: retention (VACUUM, delta.logRetentionDuration: every version stays readable),
 * timestamp bounds of table_changes, schema changes of a table with the feed, the change feed of
 * pipeline tables (streaming tables, materialized views), concurrent writers (one engine writes
 * the state file at a time, so versions never conflict).
 */

/** The hidden schema of the catalog holding the change data feed's log. */
export const CHANGE_LOG_SCHEMA = '__delta_log';
const COMMITS_TABLE = 'commits';

/** A Delta operation, as DESCRIBE HISTORY names it. */
export type DeltaOperation = 'CREATE TABLE' | 'SET TBLPROPERTIES' | 'WRITE' | 'MERGE' | 'UPDATE' | 'DELETE';

type Rows = Record<string, unknown>[];

/** A declared table that records its changes. */
interface FeedTable {
  readonly layer: string;
  readonly name: string;
  /** `layer.name`, lower case: how the log names the table. */
  readonly id: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly key: readonly string[];
}

/** A statement that writes a table with the feed, found in the statement DuckDB runs. */
interface FeedWrite {
  /** The statement as DuckDB runs it, comments blanked and no terminating semicolon. */
  readonly statement: string;
  readonly table: FeedTable;
  readonly operation: Exclude<DeltaOperation, 'CREATE TABLE' | 'SET TBLPROPERTIES'>;
  /** A DuckDB query of the target rows the statement may update, run before it (UPDATE and MERGE). */
  readonly preimages?: string;
  /**
   * The changes are the difference of the whole table before and after the statement, by key,
   * instead of what it returns: a MERGE whose NOT MATCHED BY SOURCE clause updates (DuckDB
   * 1.5 returns such rows with only their SET columns), or one whose shape is not parsed.
   */
  readonly snapshotDiff?: boolean;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** Temporary tables of one write, in the connection's temp catalog. */
const RETURNED_NAME = '__cdf_returned';
const RETURNED = `temp.main.${RETURNED_NAME}`;
const PREIMAGES_NAME = '__cdf_preimages';
const PREIMAGES = `temp.main.${PREIMAGES_NAME}`;

/**
 * A name at `from` in masked SQL: plain identifiers, "quoted" ones (raw or masked) and
 * `backticked` ones (masked), joined by dots. Parts in lower case (Databricks and DuckDB
 * compare names without case); undefined when no name starts there.
 */
function readName(masked: string, from: number, literals: readonly string[]): { parts: string[]; end: number } | undefined {
  const part = new RegExp(`\\s*(?:([A-Za-z_][\\w$]*)|"((?:[^"]|"")*)"|${PLACEHOLDER.source})`, 'y');
  const dot = /\s*\.\s*/y;
  const parts: string[] = [];
  let at = from;
  for (;;) {
    part.lastIndex = at;
    const match = part.exec(masked);
    if (!match) return undefined;
    if (match[1] !== undefined) parts.push(match[1].toLowerCase());
    else if (match[2] !== undefined) parts.push(match[2].replace(/""/g, '"').toLowerCase());
    else {
      const literal = literals[Number(match[3])];
      if (!literal.startsWith('"') && !literal.startsWith('`')) return undefined;
      parts.push(literal.slice(1, -1).split(literal[0] + literal[0]).join(literal[0]).toLowerCase());
    }
    at = part.lastIndex;
    dot.lastIndex = at;
    if (!dot.exec(masked)) break;
    at = dot.lastIndex;
  }
  return parts.length <= 3 ? { parts, end: at } : undefined;
}

/** A table name given as a string, as Spark parses it (parseMultipartIdentifier): parts joined by dots, each plain or `backticked`. */
function parseTableName(text: string): string[] | undefined {
  const part = /\s*(?:([A-Za-z0-9_]+)|`((?:[^`]|``)*)`)\s*/y;
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    part.lastIndex = at;
    const match = part.exec(text);
    if (!match) return undefined;
    parts.push((match[1] ?? match[2].replace(/``/g, '`')).toLowerCase());
    at = part.lastIndex;
    if (at === text.length) return parts.length <= 3 ? parts : undefined;
    if (text[at] !== '.') return undefined;
    at++;
  }
}

/** Index of the first match of a global pattern at paren depth 0 of `text`, from `from`; -1 when none. */
function topLevelIndex(text: string, pattern: RegExp, from = 0): number {
  let depth = 0;
  let scanned = 0;
  for (const match of text.matchAll(pattern)) {
    for (; scanned < match.index; scanned++) {
      if (text[scanned] === '(') depth++;
      else if (text[scanned] === ')') depth--;
    }
    if (match.index >= from && depth === 0) return match.index;
  }
  return -1;
}

/** Index of the statement's own keyword: past a leading WITH clause (its CTEs), if any. */
function statementStart(masked: string): number {
  const first = Math.max(masked.search(/\S/), 0);
  const withClause = /WITH\s+(?:RECURSIVE\s+)?/iy;
  withClause.lastIndex = first;
  if (!withClause.exec(masked)) return first;
  let at = withClause.lastIndex;
  const cte = /\s*[A-Za-z_][\w$]*\s*(?:\([^()]*\)\s*)?AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?(?=\()/iy;
  const comma = /\s*,/y;
  for (;;) {
    cte.lastIndex = at;
    if (!cte.exec(masked)) return first;
    at = closingParenthesis(masked, cte.lastIndex);
    if (at === -1) return first;
    comma.lastIndex = at;
    if (!comma.exec(masked)) break;
    at = comma.lastIndex;
  }
  const rest = masked.slice(at).search(/\S/);
  return rest === -1 ? at : at + rest;
}

/** An alias after a name (`[AS] alias`), unless the next word is the given keyword. */
function aliasAt(text: string, at: number, keyword: string): { alias?: string; end: number } {
  const alias = /\s+(?:AS\s+)?([A-Za-z_][\w$]*)/iy;
  alias.lastIndex = at;
  const match = alias.exec(text);
  if (!match || match[1].toUpperCase() === keyword) return { end: at };
  return { alias: match[1], end: alias.lastIndex };
}

/**
 * The query of the target rows a MERGE may update: those its ON condition matches with a source
 * row. Undefined (the caller copies the whole table) when a NOT MATCHED BY SOURCE clause
 * updates, or the statement is not of the shape `MERGE INTO t [AS a] USING s [AS b] ON c WHEN …`.
 */
function mergePreimages(head: string, nameStart: number, nameEnd: number, literals: readonly string[]): string | undefined {
  const target = head.slice(nameStart, nameEnd);
  const targetAlias = aliasAt(head, nameEnd, 'USING');
  const using = /\s+USING\s+/iy;
  using.lastIndex = targetAlias.end;
  if (!using.exec(head)) return undefined;
  let at = using.lastIndex;
  let sourceEnd: number;
  if (head[at] === '(') sourceEnd = closingParenthesis(head, at);
  else sourceEnd = readName(head, at, literals)?.end ?? -1;
  if (sourceEnd === -1) return undefined;
  const source = head.slice(at, sourceEnd);
  const sourceAlias = aliasAt(head, sourceEnd, 'ON');
  const on = /\s+ON\s+/iy;
  on.lastIndex = sourceAlias.end;
  if (!on.exec(head)) return undefined;
  at = on.lastIndex;
  const firstClause = topLevelIndex(head, /\bWHEN\s+(?:NOT\s+)?MATCHED\b/gi, at);
  if (firstClause === -1) return undefined;
  const clauses = head.slice(firstClause).split(/\bWHEN\s+(?=(?:NOT\s+)?MATCHED\b)/i);
  if (clauses.some((clause) => /^NOT\s+MATCHED\s+BY\s+SOURCE\b[\s\S]*\bTHEN\s+UPDATE\b/i.test(clause))) return undefined;
  const as = (alias?: string) => (alias ? ` AS ${alias}` : '');
  return `SELECT * FROM ${target}${as(targetAlias.alias)} SEMI JOIN ${source}${as(sourceAlias.alias)} ON ${head.slice(at, firstClause)}`;
}

/** The query of the rows an `UPDATE t [AS a] SET … [WHERE c]` updates; undefined for other shapes (UPDATE … FROM). */
function updatePreimages(head: string, nameStart: number, nameEnd: number): string | undefined {
  const alias = aliasAt(head, nameEnd, 'SET');
  const set = /\s+SET\s+/iy;
  set.lastIndex = alias.end;
  if (!set.exec(head)) return undefined;
  if (topLevelIndex(head, /\bFROM\b/gi, set.lastIndex) !== -1) return undefined;
  const where = topLevelIndex(head, /\bWHERE\b/gi, set.lastIndex);
  return `SELECT * FROM ${head.slice(nameStart, nameEnd)}${alias.alias ? ` AS ${alias.alias}` : ''}${where === -1 ? '' : ` ${head.slice(where)}`}`;
}

/** Statements that write a table, by their leading keywords; the target name follows the match. */
const WRITES: readonly { readonly pattern: RegExp; readonly statement: string }[] = [
  { pattern: /^INSERT\s+(?:OR\s+(?:REPLACE|IGNORE)\s+)?INTO\s+/i, statement: 'INSERT' },
  { pattern: /^MERGE\s+INTO\s+/i, statement: 'MERGE' },
  { pattern: /^UPDATE\s+/i, statement: 'UPDATE' },
  { pattern: /^DELETE\s+FROM\s+/i, statement: 'DELETE' },
  { pattern: /^TRUNCATE\s+(?:TABLE\s+)?/i, statement: 'TRUNCATE' },
  { pattern: /^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?/i, statement: 'DROP TABLE' },
  { pattern: /^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?/i, statement: 'ALTER TABLE' },
  { pattern: /^CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?/i, statement: 'CREATE TABLE' },
  { pattern: /^COPY\s+/i, statement: 'COPY' },
];

/** Words of a statement that may write a table, wherever they stand. */
const WRITE_WORDS = /\b(INSERT|MERGE|UPDATE|DELETE|TRUNCATE|DROP|ALTER|COPY|REPLACE)\b/i;

/** The error Databricks gives for an unknown table (Spark's TABLE_OR_VIEW_NOT_FOUND). */
function tableNotFound(id: string): LocalSqlError {
  const display = id.split('.').map((p) => `\`${p}\``).join('.');
  return new LocalSqlError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view ${display} cannot be found. Verify the spelling and correctness of the schema and catalog.`);
}

/** What a statement reading the feed sees: each table's latest version and the tables of the catalog. */
interface FeedSnapshot {
  readonly latest: ReadonlyMap<string, bigint>;
  readonly existing: ReadonlySet<string>;
  readonly currentSchema: string;
}

const INTEGER_TYPES = 'BIGINT|LONG|INT|INTEGER|SMALLINT|SHORT|TINYINT|BYTE';

/** The change data feed of the local engine's declared tables. */
export class ChangeDataFeed {
  private readonly tables: ReadonlyMap<string, FeedTable>;
  private logCreated = false;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly catalog: string,
    declared: readonly DeclaredTable[],
  ) {
    this.tables = new Map(
      declared
        .filter(({ spec }) => spec.changeDataFeed)
        .map(({ layer, spec }) => {
          const table: FeedTable = {
            layer,
            name: spec.name.toLowerCase(),
            id: `${layer}.${spec.name}`.toLowerCase(),
            columns: spec.columns.map((c) => ({ name: c.name, type: duckdbType(c.type) })),
            key: spec.changeDataFeed!.key,
          };
          return [table.id, table];
        }),
    );
  }

  /** Whether the declared table records its changes. */
  records(layer: string, name: string): boolean {
    return this.tables.has(`${layer}.${name}`.toLowerCase());
  }

  /**
   * Creates a declared table that records its changes (`ddl`: its CREATE TABLE IF NOT EXISTS)
   * with its log, in one transaction: version 0 is its creation; a table already in the state
   * keeps its log as it is.
   */
  async createTable({ layer, spec }: DeclaredTable, ddl: string): Promise<void> {
    const table = this.tables.get(`${layer}.${spec.name}`.toLowerCase());
    if (!table) throw new Error(`${layer}.${spec.name} does not enable the change data feed`);
    await this.createLog();
    const existed = await this.exists(layer, spec.name);
    await this.atomically(false, async () => {
      await this.connection.run(ddl);
      const columns = table.columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ');
      await this.connection.run(`CREATE TABLE IF NOT EXISTS ${this.changesTable(table)} (${columns}, _change_type VARCHAR NOT NULL, _commit_version BIGINT NOT NULL, _commit_timestamp TIMESTAMP NOT NULL)`);
      if ((await this.lastCommit(table)) === undefined) {
        await this.connection.run(`INSERT INTO ${this.commitsTable()} VALUES ($table, 0, epoch_ms($ms::BIGINT), $operation)`, {
          table: table.id,
          ms: String(Date.now()),
          operation: (existed ? 'SET TBLPROPERTIES' : 'CREATE TABLE') satisfies DeltaOperation,
        });
      }
    });
  }

  /**
   * Runs one DuckDB statement. A write of a table with the feed commits one version with it,
   * atomically: in a transaction of its own, or in the caller's (`inTransaction`).
   */
  async run(sql: string, values: Record<string, string> | undefined, inTransaction: boolean): Promise<Rows> {
    const write = await this.writeOf(sql);
    if (!write) return (await this.connection.runAndReadAll(sql, values)).getRowObjectsJson() as Rows;
    return this.atomically(inTransaction, () => this.commit(write, values ?? {}));
  }

  /** A reader for a statement that reads the feed (table_changes, DESCRIBE HISTORY), with the tables' latest versions now. */
  async reader(): Promise<ChangeFeedReader> {
    const latest = new Map<string, bigint>();
    if (this.logCreated) {
      const rows = await this.read(`SELECT table_name, max(version) AS version FROM ${this.commitsTable()} GROUP BY table_name`);
      for (const row of rows) latest.set(String(row.table_name), BigInt(String(row.version)));
    }
    const tables = await this.read('SELECT lower(table_schema) || \'.\' || lower(table_name) AS id FROM information_schema.tables WHERE table_catalog = $catalog', { catalog: this.catalog });
    const [schema] = await this.read('SELECT lower(current_schema()) AS name');
    const snapshot: FeedSnapshot = { latest, existing: new Set(tables.map((t) => String(t.id))), currentSchema: String(schema.name) };
    return {
      tableChanges: (args, context) => this.tableChanges(snapshot, args, context),
      describeHistory: (rest, context) => this.describeHistory(snapshot, rest, context),
    };
  }

  /**
   * `table_changes(table_str, start [, end])`, checked as Databricks checks it: table_str a
   * STRING literal (a bound parameter marker is one), start and end BIGINT versions, both ends
   * inclusive, end omitted = the latest version. Error classes and messages are Delta's:
   * delta-io/delta spark/src/main/scala/org/apache/spark/sql/delta/DeltaTableValueFunctions.scala
   * (arguments: INCORRECT_NUMBER_OF_ARGUMENTS; getStringLiteral → DELTA_UNSUPPORTED_EXPRESSION;
   * an integer bound is a version, a string or timestamp bound a timestamp),
   * .../commands/cdc/CDCReader.scala (verifyStartingVersion → DeltaErrors.startVersionAfterLatestVersion,
   * DELTA_CDC_START_VERSION_AFTER_LATEST; end < start → DELTA_INVALID_CDC_RANGE; a table without the
   * feed → DELTA_MISSING_CHANGE_DATA), messages from spark/src/main/resources/error/delta-error-classes.json.
   */
  private tableChanges(snapshot: FeedSnapshot, args: readonly string[], context: RewriteContext): string {
    if (args.length < 2 || args.length > 3) {
      throw new LocalSqlError(`[INCORRECT_NUMBER_OF_ARGUMENTS] ${args.length < 2 ? 'not enough args' : 'too many args'}, table_changes requires at least 2 arguments and at most 3 arguments.`);
    }
    const name = this.tableNameArgument(args[0], context);
    const parts = parseTableName(name);
    if (!parts) throw new LocalSqlError(`[PARSE_SYNTAX_ERROR] table_changes: "${name}" is not a table name (parts joined by dots, each plain or \`quoted\`).`);
    const id = this.resolve(parts, snapshot.currentSchema);
    const start = this.versionArgument(args[1], 'start', context);
    const end = args[2] === undefined ? undefined : this.versionArgument(args[2], 'end', context);
    const table = id ? this.tables.get(id) : undefined;
    if (!table) {
      if (!id || !snapshot.existing.has(id)) throw tableNotFound(id ?? parts.join('.'));
      // the table has no feed: Delta finds the start version without change data (CDCReader.changesToDF)
      throw new LocalSqlError(
        `[DELTA_MISSING_CHANGE_DATA] Error getting change data for range [${start} , ${end ?? start}] as change data was not recorded for version [${start}]. ` +
          `If you've enabled change data feed on this table, use \`DESCRIBE HISTORY\` to see when it was first enabled. Otherwise, to start recording change data, use \`ALTER TABLE table_name SET TBLPROPERTIES (${CHANGE_DATA_FEED_PROPERTY}=true)\`.`,
      );
    }
    const latest = snapshot.latest.get(table.id);
    if (latest === undefined) throw new LocalSqlError(`the change data feed of ${table.id} has no version (its log is missing from the state file)`);
    const earliest = 0n; // no retention: every version stays readable
    // Databricks: start earlier than the earliest version, later than the latest, or end later than the latest is an error (table_changes reference)
    if (start < earliest) throw new LocalSqlError(`Cannot time travel Delta table to version ${start}. Available versions: [${earliest}, ${latest}].`);
    if (start > latest) {
      throw new LocalSqlError(`[DELTA_CDC_START_VERSION_AFTER_LATEST] Provided Start version(${start}) for reading change data is invalid. Start version cannot be greater than the latest version of the table(${latest}).`);
    }
    if (end !== undefined && end > latest) {
      // the table_changes reference states the error; no Delta error class for it is public (DeltaCDFErrors.endVersionAfterLatestVersion in delta-io/connectors words it so)
      throw new LocalSqlError(`Provided end version(${end}) is invalid. End version cannot be greater than the latest version of the table(${latest}).`);
    }
    if (end !== undefined && end < start) throw new LocalSqlError(`[DELTA_INVALID_CDC_RANGE] CDC range from start ${start} to end ${end} was invalid. End cannot be before start.`);
    const columns = table.columns.map((c) => quote(c.name)).join(', ');
    return `(SELECT ${columns}, _change_type, _commit_version, _commit_timestamp FROM ${this.changesTable(table)} WHERE _commit_version BETWEEN ${start} AND ${end ?? latest})`;
  }

  /** table_str: a STRING literal, or a bound parameter marker (which is one). */
  private tableNameArgument(argument: string, context: RewriteContext): string {
    const literal = placeholderIndex(argument);
    if (literal !== undefined && /^['"]/.test(context.literals[literal])) return literalValue(context.literals[literal]);
    const marker = /^:([A-Za-z_]\w*)$/.exec(argument);
    if (marker) {
      const value = context.params[marker[1]];
      if (value === undefined) throw new LocalSqlError(`parameter :${marker[1]} is not set`);
      return value;
    }
    throw new LocalSqlError(
      `[DELTA_UNSUPPORTED_EXPRESSION] Unsupported expression type(${unmaskSql(argument, context.literals)}) for table name. The supported types are [StringType literal]. ` +
        '(table_changes takes the table name as a STRING literal or one parameter marker holding the whole name)',
    );
  }

  /**
   * start or end: a BIGINT version: an integer literal, or CAST(<integer literal, string literal
   * or :marker> AS BIGINT). A STRING (a bare parameter marker of a SQL task is one) or TIMESTAMP
   * bound is a timestamp to Databricks, which the emulation does not read.
   */
  private versionArgument(argument: string, which: 'start' | 'end', context: RewriteContext): bigint {
    const shown = unmaskSql(argument, context.literals);
    const integer = /^([+-]?\d+)[lL]?$/.exec(argument);
    if (integer) return BigInt(integer[1]);
    const cast =
      new RegExp(`^CAST\\s*\\(([\\s\\S]+?)\\s+AS\\s+(?:${INTEGER_TYPES})\\s*\\)$`, 'i').exec(argument) ??
      new RegExp(`^(.+?)\\s*::\\s*(?:${INTEGER_TYPES})$`, 'i').exec(argument);
    if (cast) {
      const value = this.scalarValue(cast[1].trim(), context);
      if (value === undefined) throw this.boundNotEmulated(which, shown, 'it casts an expression the local engine does not evaluate; cast a literal or one :marker');
      if (value === null) throw new LocalSqlError(`[DELTA_CDC_READ_NULL_RANGE_BOUNDARY] table_changes ${which} cannot be NULL.`);
      if (!/^\s*[+-]?\d+\s*$/.test(value)) throw new LocalSqlError(`[CAST_INVALID_INPUT] The value '${value}' of the type "STRING" cannot be cast to "BIGINT" because it is malformed.`);
      return BigInt(value.trim());
    }
    if (/^NULL$/i.test(argument)) throw new LocalSqlError(`[DELTA_CDC_READ_NULL_RANGE_BOUNDARY] table_changes ${which} cannot be NULL.`);
    const marker = /^:([A-Za-z_]\w*)$/.exec(argument);
    if (marker) {
      throw this.boundNotEmulated(which, shown, `a parameter marker of a SQL task binds a STRING, which table_changes reads as a timestamp; for a version write CAST(:${marker[1]} AS BIGINT)`);
    }
    if (placeholderIndex(argument) !== undefined || /^(TIMESTAMP|DATE)\b|\bAS\s+(TIMESTAMP|DATE)|current_timestamp|now\s*\(/i.test(argument)) {
      throw this.boundNotEmulated(which, shown, 'a STRING or TIMESTAMP bound is a timestamp, and timestamp bounds are not emulated; give a version (BIGINT)');
    }
    throw this.boundNotEmulated(which, shown, 'give a BIGINT version: a literal, or CAST(:marker AS BIGINT)');
  }

  /** The value of an integer or string literal or a :marker; null for NULL; undefined for anything else. */
  private scalarValue(term: string, context: RewriteContext): string | null | undefined {
    if (/^[+-]?\d+$/.test(term)) return term;
    if (/^NULL$/i.test(term)) return null;
    const literal = placeholderIndex(term);
    if (literal !== undefined && /^['"]/.test(context.literals[literal])) return literalValue(context.literals[literal]);
    const marker = /^:([A-Za-z_]\w*)$/.exec(term);
    if (marker) {
      const value = context.params[marker[1]];
      if (value === undefined) throw new LocalSqlError(`parameter :${marker[1]} is not set`);
      return value;
    }
    return undefined;
  }

  private boundNotEmulated(which: string, shown: string, why: string): LocalSqlError {
    return new LocalSqlError(`table_changes ${which} bound ${shown} is not emulated locally: ${why}`);
  }

  /** `DESCRIBE HISTORY <table> [LIMIT n]`: version, timestamp and operation of each commit, newest first. */
  private describeHistory(snapshot: FeedSnapshot, rest: string, context: RewriteContext): string {
    const name = readName(rest, 0, context.literals);
    const limit = name && /^\s*(?:LIMIT\s+(\d+))?\s*$/i.exec(rest.slice(name.end));
    if (!name || !limit) throw new LocalSqlError(`DESCRIBE HISTORY${unmaskSql(rest, context.literals)} is not emulated locally: only DESCRIBE HISTORY <table> [LIMIT n]`);
    const id = this.resolve(name.parts, snapshot.currentSchema);
    const table = id ? this.tables.get(id) : undefined;
    if (!table) {
      if (!id || !snapshot.existing.has(id)) throw tableNotFound(id ?? name.parts.join('.'));
      throw new LocalSqlError(`DESCRIBE HISTORY of ${id} is not emulated locally: the local engine keeps the history of the tables that enable the change data feed (${CHANGE_DATA_FEED_PROPERTY}) only`);
    }
    return (
      `SELECT version, "timestamp", operation FROM ${this.commitsTable()} WHERE table_name = ${addLiteral(context, table.id)} ORDER BY version DESC` +
      (limit[1] === undefined ? '' : ` LIMIT ${Number(limit[1])}`)
    );
  }

  /** `schema.table` (lower case) of a name in the catalog, qualified as DuckDB and Databricks qualify it; undefined outside the catalog. */
  private resolve(parts: readonly string[], currentSchema: string): string | undefined {
    if (parts.length === 3) return parts[0] === this.catalog.toLowerCase() ? `${parts[1]}.${parts[2]}` : undefined;
    if (parts.length === 2) return `${parts[0]}.${parts[1]}`;
    return `${currentSchema}.${parts[0]}`;
  }

  /**
   * The write of a table with the feed that a DuckDB statement makes, if any. Refuses (throws)
   * a statement that may write such a table in a way the feed does not record, or whose target
   * it cannot tell.
   */
  private async writeOf(sql: string): Promise<FeedWrite | undefined> {
    if (this.tables.size === 0) return undefined;
    const { masked: text, literals } = maskSql(sql);
    const masked = text.replace(/[\s;]+$/, '');
    const shown = () => unmaskSql(masked, literals).trim().replace(/\s+/g, ' ').slice(0, 120);
    if (masked.includes(';')) {
      // several statements in one text (LocalEngine.query): one that writes a table with the feed is refused, each of those needing a version
      for (const part of masked.split(';')) {
        const write = await this.writeOf(unmaskSql(part, literals));
        if (write) throw new LocalSqlError(`the local change data feed records one statement at a time: run the ${write.operation === 'WRITE' ? 'INSERT' : write.operation} of ${write.table.id} on its own: ${shown()}`);
      }
      return undefined;
    }
    const runnable = unmaskSql(masked, literals);
    const head = masked.slice(statementStart(masked));
    for (const { pattern, statement } of WRITES) {
      const keyword = pattern.exec(head);
      if (!keyword) continue;
      const nameStart = keyword[0].length;
      if (statement === 'COPY' && head[nameStart] === '(') return undefined; // COPY (query) TO …: a read
      const name = readName(head, nameStart, literals);
      if (!name) {
        const mentioned = this.mentionedTable(masked, literals);
        if (mentioned) throw new LocalSqlError(`the local change data feed cannot tell which table this ${statement} writes, and it names ${mentioned.id}, which records its changes: ${shown()}`);
        return undefined;
      }
      const table = await this.tableNamed(name.parts);
      if (!table) return undefined;
      const notRecorded = (why: string) =>
        new LocalSqlError(`${statement} of ${table.id} is not emulated by the local change data feed (${why}); it records INSERT, MERGE, UPDATE and DELETE`);
      switch (statement) {
        case 'INSERT':
          if (/^INSERT\s+OR\b/i.test(head) || /\bON\s+CONFLICT\b/i.test(head)) throw notRecorded('an upsert by INSERT is DuckDB syntax');
          return { statement: runnable, table, operation: 'WRITE' };
        case 'MERGE': {
          const preimages = mergePreimages(head, nameStart, name.end, literals);
          if (preimages === undefined) return { statement: runnable, table, operation: 'MERGE', preimages: `SELECT * FROM ${this.qualified(table)}`, snapshotDiff: true };
          return { statement: runnable, table, operation: 'MERGE', preimages: unmaskSql(preimages, literals) };
        }
        case 'UPDATE':
          return { statement: runnable, table, operation: 'UPDATE', preimages: unmaskSql(updatePreimages(head, nameStart, name.end) ?? `SELECT * FROM ${this.qualified(table)}`, literals) };
        case 'DELETE':
          return { statement: runnable, table, operation: 'DELETE' };
        case 'CREATE TABLE':
          // CREATE TABLE IF NOT EXISTS of the table, which exists: no commit, as on Databricks
          if (/^CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\b/i.test(head)) return undefined;
          throw notRecorded('replacing the table is a schema change');
        case 'COPY':
          if (topLevelIndex(head, /\bTO\b/gi, name.end) !== -1) return undefined; // COPY t TO …: a read
          throw notRecorded('COPY is DuckDB syntax');
        default:
          throw notRecorded(statement === 'TRUNCATE' ? 'TRUNCATE is not recorded as row changes here' : 'schema changes are not emulated');
      }
    }
    // statements that change no table's rows (CREATE TABLE was matched above: other CREATEs make views, schemas, functions…)
    if (/^(SELECT|VALUES|FROM|SET|RESET|DESCRIBE|SHOW|SUMMARIZE|PRAGMA|USE|BEGIN|COMMIT|ROLLBACK|CHECKPOINT|LOAD|INSTALL|CREATE)\b/i.test(head)) return undefined;
    const mentioned = WRITE_WORDS.test(masked) ? this.mentionedTable(masked, literals) : undefined;
    if (mentioned) throw new LocalSqlError(`the local change data feed cannot tell whether this statement writes ${mentioned.id}, which records its changes: ${shown()}`);
    return undefined;
  }

  /** A table with the feed whose name the statement contains as an identifier, if any. */
  private mentionedTable(masked: string, literals: readonly string[]): FeedTable | undefined {
    const words = new Set([...masked.matchAll(/[A-Za-z_][\w$]*/g)].map((m) => m[0].toLowerCase()));
    for (const m of masked.matchAll(PLACEHOLDER)) {
      const literal = literals[Number(m[1])];
      if (/^["`]/.test(literal)) words.add(literal.slice(1, -1).toLowerCase());
    }
    return [...this.tables.values()].find((t) => words.has(t.name));
  }

  /** The table with the feed a DuckDB name designates, if any (a one-part name is in the current schema). */
  private async tableNamed(parts: readonly string[]): Promise<FeedTable | undefined> {
    if (![...this.tables.values()].some((t) => t.name === parts.at(-1))) return undefined;
    const currentSchema = parts.length === 1 ? String((await this.read('SELECT lower(current_schema()) AS name'))[0].name) : '';
    const id = this.resolve(parts, currentSchema);
    return id ? this.tables.get(id) : undefined;
  }

  /**
   * Runs the write and records it as the next version, in the transaction the caller opened:
   * pre-images first, then the statement returning what it changed (or, for a snapshot diff,
   * the table compared with its copy), then the change rows and the commit. A write that
   * changes no row still commits a version (an empty one): the emulation's choice, as Delta
   * commits a MERGE, UPDATE or DELETE that matched nothing and an INSERT of no rows.
   */
  private async commit(write: FeedWrite, values: Record<string, string>): Promise<Rows> {
    const { table, statement: sql } = write;
    const previous = await this.lastCommit(table);
    if (previous === undefined) throw new LocalSqlError(`the change data feed of ${table.id} has no version (its log is missing from the state file)`);
    const version = previous.version + 1n;
    // a commit is never earlier than the one before it (Delta keeps commit timestamps increasing)
    const timestamp = `epoch_ms(${Math.max(Date.now(), previous.ms + 1)}::BIGINT)`;
    const bind = (query: string) => Object.fromEntries(boundParameters(maskSql(query).masked).map((name) => [name, values[name]]));

    if (write.preimages) await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${PREIMAGES_NAME} AS ${write.preimages}`, bind(write.preimages));
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${RETURNED_NAME} AS SELECT *, CAST(NULL AS VARCHAR) AS __cdf_action FROM ${this.qualified(table)} LIMIT 0`);
    const changed = write.snapshotDiff ? await this.runAndDiff(table, sql, values) : await this.runReturning(write, sql, values);

    const columns = table.columns.map((c) => quote(c.name)).join(', ');
    const keys = table.key.map(quote).join(', ');
    const updatedKeys = `(SELECT ${keys} FROM ${RETURNED} WHERE __cdf_action = 'UPDATE')`;
    const sameKey = table.key.map((k) => `p.${quote(k)} = u.${quote(k)}`).join(' AND ');
    if (write.preimages) {
      const [pairs] = await this.read(
        `SELECT (SELECT count(*) FROM ${RETURNED} WHERE __cdf_action = 'UPDATE') AS post, (SELECT count(*) FROM (SELECT DISTINCT ${keys} FROM ${RETURNED} WHERE __cdf_action = 'UPDATE')) AS keys, ` +
          `(SELECT count(*) FROM ${PREIMAGES} AS p SEMI JOIN ${updatedKeys} AS u ON ${sameKey}) AS pre`,
      );
      if (!(pairs.post === pairs.keys && pairs.keys === pairs.pre)) {
        throw new LocalSqlError(
          `the local change data feed pairs an update's pre- and post-image by the key of ${table.id} (${table.key.join(', ')}): this ${write.operation} updated ${pairs.post} row(s) ` +
            `with ${pairs.keys} key value(s), of which ${pairs.pre} were there before; an update that changes key values or a key that is not unique is not emulated (nothing was written)`,
        );
      }
    }
    const changeType = "CASE __cdf_action WHEN 'INSERT' THEN 'insert' WHEN 'DELETE' THEN 'delete' ELSE 'update_postimage' END";
    await this.connection.run(
      `INSERT INTO ${this.changesTable(table)} (${columns}, _change_type, _commit_version, _commit_timestamp) ` +
        `SELECT ${columns}, ${changeType}, ${version}, ${timestamp} FROM ${RETURNED}` +
        (write.preimages ? ` UNION ALL SELECT ${columns}, 'update_preimage', ${version}, ${timestamp} FROM ${PREIMAGES} AS p SEMI JOIN ${updatedKeys} AS u ON ${sameKey}` : ''),
    );
    await this.connection.run(`INSERT INTO ${this.commitsTable()} VALUES ($table, ${version}, ${timestamp}, $operation)`, { table: table.id, operation: write.operation });
    await this.connection.run(`DROP TABLE ${RETURNED}`);
    if (write.preimages) await this.connection.run(`DROP TABLE ${PREIMAGES}`);
    return [{ Count: String(changed) }];
  }

  /** Runs the statement returning the rows it changed, each with its action, into the returned rows; their count. */
  private async runReturning(write: FeedWrite, sql: string, values: Record<string, string>): Promise<number> {
    const action = write.operation === 'MERGE' ? 'CAST(merge_action AS VARCHAR)' : `'${write.operation === 'WRITE' ? 'INSERT' : write.operation}'`;
    const result = await this.connection.run(`${sql} RETURNING *, ${action} AS __cdf_action`, values);
    const appender = await this.connection.createAppender(RETURNED_NAME, 'main', 'temp');
    let changed = 0;
    try {
      for (let i = 0; i < result.chunkCount; i++) {
        const chunk = result.getChunk(i);
        appender.appendDataChunk(chunk);
        changed += chunk.rowCount;
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return changed;
  }

  /**
   * Runs the statement, then finds what it changed by comparing the table with its copy made
   * before (the pre-images), by key: new keys inserted, gone keys deleted, rows that differ
   * updated (an update to identical values is not seen). O(table). Their count, as DuckDB gives it.
   */
  private async runAndDiff(table: FeedTable, sql: string, values: Record<string, string>): Promise<number> {
    const [result] = (await this.connection.runAndReadAll(sql, values)).getRowObjectsJson() as Rows;
    const target = this.qualified(table);
    const sameKey = table.key.map((k) => `t.${quote(k)} = p.${quote(k)}`).join(' AND ');
    const differs = table.columns.map((c) => `t.${quote(c.name)} IS DISTINCT FROM p.${quote(c.name)}`).join(' OR ');
    await this.connection.run(
      `INSERT INTO ${RETURNED} SELECT t.*, 'INSERT' FROM ${target} AS t ANTI JOIN ${PREIMAGES} AS p ON ${sameKey} ` +
        `UNION ALL SELECT p.*, 'DELETE' FROM ${PREIMAGES} AS p ANTI JOIN ${target} AS t ON ${sameKey} ` +
        `UNION ALL SELECT t.*, 'UPDATE' FROM ${target} AS t JOIN ${PREIMAGES} AS p ON ${sameKey} WHERE ${differs}`,
    );
    return Number(result?.Count ?? 0);
  }

  /** Runs `work` in a transaction of its own, unless the caller has one open. */
  private async atomically<T>(inTransaction: boolean, work: () => Promise<T>): Promise<T> {
    if (inTransaction) return work();
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  private async createLog(): Promise<void> {
    if (this.logCreated) return;
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(this.catalog)}.${quote(CHANGE_LOG_SCHEMA)}`);
    await this.connection.run(
      `CREATE TABLE IF NOT EXISTS ${this.commitsTable()} (table_name VARCHAR NOT NULL, version BIGINT NOT NULL, "timestamp" TIMESTAMP NOT NULL, operation VARCHAR NOT NULL, PRIMARY KEY (table_name, version))`,
    );
    this.logCreated = true;
  }

  private async lastCommit(table: FeedTable): Promise<{ version: bigint; ms: number } | undefined> {
    const [last] = await this.read(`SELECT max(version) AS version, epoch_ms(max("timestamp")) AS ms FROM ${this.commitsTable()} WHERE table_name = $table`, { table: table.id });
    return last.version === null ? undefined : { version: BigInt(String(last.version)), ms: Number(last.ms) };
  }

  private async exists(layer: string, name: string): Promise<boolean> {
    const [row] = await this.read('SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = $catalog AND schema_name = $layer AND table_name = $name', { catalog: this.catalog, layer, name });
    return Number(row.n) > 0;
  }

  private async read(sql: string, values?: Record<string, string>): Promise<Rows> {
    return (await this.connection.runAndReadAll(sql, values)).getRowObjectsJson() as Rows;
  }

  private qualified(table: FeedTable): string {
    return `${quote(this.catalog)}.${quote(table.layer)}.${quote(table.name)}`;
  }

  private changesTable(table: FeedTable): string {
    return `${quote(this.catalog)}.${quote(CHANGE_LOG_SCHEMA)}.${quote(`${table.layer}__${table.name}`)}`;
  }

  private commitsTable(): string {
    return `${quote(this.catalog)}.${quote(CHANGE_LOG_SCHEMA)}.${quote(COMMITS_TABLE)}`;
  }
}

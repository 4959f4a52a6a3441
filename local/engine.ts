import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { projectVolumes, theProject } from '../config/project';
import type { DeclaredTable } from '../model/declared-tables';
import { LAYERS, Layer } from '../model/layers';
import { FOLDER_MARKER, NamingContext, defaultNamingContext } from '../model/naming';
import { findUnsupportedConstruct } from './unsupported-constructs';
import { ChangeFeedReader, RewriteContext, boundParameters, duckdbType, rewriteStatement } from './rewrites';
import { ChangeDataFeed } from './change-data-feed';
import { checkSqlText } from '../checks/sql-rules';
import { maskSql, splitStatements, unmaskSql } from '../sql-lang/sql-text';
import { VolumeMapper } from './volumes';
import { FailedError } from '../model/errors';

export interface LocalEngineOptions {
  /** DuckDB file holding the catalog's tables between runs; created if missing. `:memory:` keeps them in memory, for as long as the engine is open. */
  readonly statePath: string;
  /** Name the catalog is attached under, as in three-part names. */
  readonly catalog: string;
  /** Local folder standing for /Volumes. */
  readonly volumesDir: string;
  /** Folder the SQL file paths are relative to. */
  readonly projectRoot: string;
  /** Tables a deployed workspace has before any job runs. @default the project's (platform and sources) */
  readonly tables?: readonly DeclaredTable[];
  /** Volumes whose folders a deploy creates. @default the project's */
  readonly volumes?: readonly { readonly name: string; readonly layer: Layer }[];
  /** Create the volumes' landing folders (with their markers) as a deploy does; false to only query. @default true */
  readonly createLandingFolders?: boolean;
  /**
   * Fold the write-ahead log into the state file when the engine closes. False for a state
   * that is thrown away after use (tests): closing is then cheap, and a reopen replays the
   * log, as after a crash. @default true
   */
  readonly checkpointOnClose?: boolean;
  /**
   * DuckDB's worker threads. The local engine's statements touch a few rows each, so a
   * thread per core buys nothing and costs coordination; 1 where several engines share
   * the cores (the test suite runs one per jest worker). @default DuckDB's: one per core
   * https://duckdb.org/docs/stable/configuration/overview (threads)
   */
  readonly threads?: number;
}

/** A SQL file that failed, located at the statement that failed. */
export class SqlFileError extends FailedError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'SqlFileError';
  }
}

/**
 * Injected by tests: the task dies after this many statements of its file ran (and
 * committed, each on its own, as on Databricks); 0 kills it before the first.
 */
export interface FaultInjection {
  readonly failAfterStatements: number;
  /** How many attempts of the task die so; later retries run clean (a transient fault). @default every attempt */
  readonly attempts?: number;
  /**
   * How it dies: 'error' fails the task (the job retries it); 'kill' ends the whole process
   * with SIGKILL there, as a lost machine would, with no rollback, close or checkpoint: the
   * next run must start from the state file as the kill left it. @default 'error'
   */
  readonly kind?: 'error' | 'kill';
}

export type Row = Record<string, unknown>;

/** The name earlier engines gave a declared table's clustering index (dropped on open; see open()). */
export function clusteringIndexName(table: string): string {
  return `${table}_clustering`;
}

/** Drops the clustering indexes an earlier engine created on declared tables of a state file (see open()); looked up in one query, as a new state has none. */
async function dropClusteringIndexes(connection: DuckDBConnection, catalog: string, tables: readonly DeclaredTable[]): Promise<void> {
  const wanted = new Set(tables.map(({ layer, spec }) => `${layer}.${clusteringIndexName(spec.name)}`.toLowerCase()));
  const found = (await connection.runAndReadAll('SELECT schema_name, index_name FROM duckdb_indexes() WHERE database_name = $catalog', { catalog })).getRowObjectsJson();
  for (const { schema_name: schema, index_name: index } of found) {
    if (wanted.has(`${schema}.${index}`.toLowerCase())) await connection.run(`DROP INDEX IF EXISTS "${catalog}"."${schema}"."${index}"`);
  }
}

/** A statement that reads the change data feed (change-data-feed.ts), found in its masked text. */
const READS_CHANGE_FEED = /(?<![\w.$])table_changes\s*\(|\bDESC(?:RIBE)?\s+HISTORY\b/i;

/** Runs the project's Databricks SQL files, unchanged, on an embedded DuckDB. */
export class LocalEngine {
  readonly volumes: VolumeMapper;
  /** The local catalog's names, for `{{env.…}}` placeholders: default layer schemas, the project's volumes. */
  readonly naming: NamingContext;
  /** Transactions opened by inTransaction, so a write of a table with the change data feed joins them. */
  private transactionDepth = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly options: LocalEngineOptions,
    volumes: readonly { readonly name: string; readonly layer: Layer }[],
    private readonly changeFeed: ChangeDataFeed,
  ) {
    this.volumes = new VolumeMapper(options.volumesDir);
    this.naming = defaultNamingContext(options.catalog, volumes);
  }

  /**
   * Opens (or creates) the state file with the catalog's layer schemas and the tables the
   * stack declares, which on Databricks exist before any job runs, and creates the folders
   * of the landing volumes (incoming/, archive/), as a deploy does. A declared table that
   * enables the change data feed gets its log (change-data-feed.ts): version 0 is its
   * creation here; reopening a state keeps the log it has.
   */
  static async open(options: LocalEngineOptions): Promise<LocalEngine> {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.catalog)) throw new Error(`catalog "${options.catalog}" is not a plain identifier`);
    const instance = await DuckDBInstance.create(':memory:', options.threads === undefined ? undefined : { threads: String(options.threads) });
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run(`ATTACH '${options.statePath.replace(/'/g, "''")}' AS "${options.catalog}"`);
    await connection.run(`USE "${options.catalog}"`);
    if (options.checkpointOnClose === false) await connection.run('PRAGMA disable_checkpoint_on_shutdown');
    for (const layer of LAYERS) await connection.run(`CREATE SCHEMA IF NOT EXISTS "${options.catalog}"."${layer}"`);
    const tables = options.tables ?? theProject().tables;
    const changeFeed = new ChangeDataFeed(connection, options.catalog, tables);
    for (const table of tables) {
      const { layer, spec } = table;
      const columns = spec.columns.map((c) => `"${c.name}" ${duckdbType(c.type)}${c.nullable ? '' : ' NOT NULL'}`).join(', ');
      const ddl = `CREATE TABLE IF NOT EXISTS "${options.catalog}"."${layer}"."${spec.name}" (${columns})`;
      if (changeFeed.records(layer, spec.name)) await changeFeed.createTable(table, ddl);
      else await connection.run(ddl);
      // Liquid clustering has no local counterpart on purpose: no ART index on a declared table.
      // These tables are updated in place (MERGE, UPDATE of ops.watermarks' status, DELETE of
      // staged rows), and an ART index on a table updated in place is what DuckDB's index
      // corruption reports share: "Failed to delete all rows from index" (FATAL, the database
      // invalidated) after UPDATE + index, https://github.com/duckdb/duckdb/issues/21394 and
      // https://github.com/duckdb/duckdb/issues/23645 (a persisted non-unique index then fails
      // every later update), and WAL replay of index entries after a crash,
      // https://github.com/duckdb/duckdb/issues/25395. A kill -9 leaves exactly such a WAL to
      // replay, so the local engine keeps its state index-free (scans only) and drops the
      // clustering index an older engine created in a state file (below).
    }
    await dropClusteringIndexes(connection, options.catalog, tables);
    const volumes = options.volumes ?? projectVolumes();
    const engine = new LocalEngine(instance, connection, options, volumes, changeFeed);
    for (const folders of options.createLandingFolders === false ? [] : engine.naming.volumes.values()) {
      // as deploy leaves them: each folder with its marker file (FOLDER_MARKER), which no reader reads
      for (const folder of [folders.incoming, folders.archive]) {
        const local = engine.volumes.toLocal(folder);
        mkdirSync(local, { recursive: true });
        if (!existsSync(join(local, FOLDER_MARKER.name))) writeFileSync(join(local, FOLDER_MARKER.name), FOLDER_MARKER.content);
      }
    }
    return engine;
  }

  get catalog(): string {
    return this.options.catalog;
  }

  /**
   * Runs the statements of a SQL file one after the other, each committing on its own, as a
   * Databricks SQL file task does (there is no transaction around the file): a failure
   * leaves the statements before it committed, so every file must converge on a retry.
   * Returns the rows of the last statement.
   * https://docs.databricks.com/aws/en/jobs/sql (a SQL file task runs its statements in order)
   */
  async runFile(file: string, params: Readonly<Record<string, string>>, fault?: FaultInjection): Promise<Row[]> {
    const statements = splitStatements(readFileSync(join(this.options.projectRoot, file), 'utf8'));
    let rows: Row[] = [];
    for (const [index, statement] of statements.entries()) {
      if (fault && index >= fault.failAfterStatements) {
        if (fault.kind === 'kill') process.kill(process.pid, 'SIGKILL');
        throw new SqlFileError(file, statement.line, `injected fault: the task died before statement ${index + 1}`);
      }
      rows = await this.execute(file, statement.line, statement.text, params);
    }
    if (fault && fault.failAfterStatements >= statements.length && fault.kind === 'kill') process.kill(process.pid, 'SIGKILL');
    if (fault && fault.failAfterStatements >= statements.length) throw new SqlFileError(file, statements.at(-1)?.line ?? 1, 'injected fault: the task died after its last statement, before reporting success');
    return rows;
  }

  /** Runs `work` in one transaction, rolled back whole if it throws. */
  async inTransaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    this.transactionDepth++;
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    } finally {
      this.transactionDepth--;
    }
  }

  /**
   * Runs one Databricks SQL statement of `file` (which starts at `line`): the fidelity rules
   * first, so a construct Databricks rejects fails here too, naming the rule; then the
   * statement, translated for DuckDB.
   */
  async execute(file: string, line: number, text: string, params: Readonly<Record<string, string>>): Promise<Row[]> {
    const [finding] = checkSqlText(file, text, 'job');
    if (finding) throw new SqlFileError(file, line + finding.line - 1, `[${finding.rule}] ${finding.message}`);
    return this.executeTranslated(file, line, text, params);
  }

  /**
   * Runs a statement the local runners wrote themselves (the pipeline runner's bookkeeping
   * and the queries it derives from pipeline SQL, which it checked with the pipeline rules):
   * translated, not checked again.
   */
  async executeTranslated(file: string, line: number, text: string, params: Readonly<Record<string, string>>, files?: Pick<RewriteContext, 'skipFiles' | 'filesRead'>): Promise<Row[]> {
    const { sql, values } = await this.translate(file, text, line, params, files);
    try {
      // a write of a table with the change data feed commits its version with it
      return await this.changeFeed.run(sql, values, this.transactionDepth > 0);
    } catch (error) {
      throw new SqlFileError(file, line, this.explain(error));
    }
  }

  /**
   * Runs a query of the caller's (DuckDB SQL) and returns its rows as JSON-safe values. A write
   * of a table with the change data feed is recorded as a version, as any other write.
   */
  async query(sql: string): Promise<Row[]> {
    return this.changeFeed.run(sql, undefined, this.transactionDepth > 0);
  }

  /** Row count of `<schema>.<table>` in the catalog, or undefined if the table does not exist. */
  async rowCount(table: string): Promise<number | undefined> {
    if (!(await this.tableExists(table))) return undefined;
    const [schema, name] = table.split('.');
    const result = await this.connection.runAndReadAll(`SELECT count(*) AS n FROM "${this.options.catalog}"."${schema}"."${name}"`);
    return Number(result.getRowObjectsJson()[0].n);
  }

  /** Whether `<schema>.<table>` exists in the catalog. */
  async tableExists(table: string): Promise<boolean> {
    const [schema, name] = table.split('.');
    const result = await this.connection.runAndReadAll(
      'SELECT count(*) AS n FROM information_schema.tables WHERE table_catalog = $catalog AND table_schema = $schema AND table_name = $name',
      { catalog: this.options.catalog, schema, name },
    );
    return Number(result.getRowObjectsJson()[0].n) > 0;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** A DuckDB error in a sentence; a CSV error names the data file (as a /Volumes path), its line and the problem. */
  private explain(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const lines = message.split('\n');
    const csvLine = /CSV Error on Line: (\d+)/.exec(message);
    const dataFile = /^\s*file = (.+)$/m.exec(message);
    if (csvLine && dataFile) {
      const reason = lines.find((l) => /^Error when|^Expected Number of Columns|^Value with unterminated quote/.test(l)) ?? lines[0];
      let where = dataFile[1].trim();
      try {
        where = this.volumes.toVolume(where);
      } catch {
        // a file outside the volumes folder keeps its local path
      }
      return `malformed CSV: ${where} line ${csvLine[1]}: ${reason.replace(DUCKDB_ERROR_KIND, '')}`;
    }
    return lines[0].replace(DUCKDB_ERROR_KIND, '');
  }

  private async translate(
    file: string,
    text: string,
    line: number,
    params: Readonly<Record<string, string>>,
    files?: Pick<RewriteContext, 'skipFiles' | 'filesRead'>,
  ): Promise<{ sql: string; values: Record<string, string> }> {
    const { masked, literals } = maskSql(text);
    // the change data feed's latest versions, read now, for a statement that reads the feed
    const changeFeed: ChangeFeedReader | undefined = READS_CHANGE_FEED.test(masked) ? await this.changeFeed.reader() : undefined;
    const unsupported = findUnsupportedConstruct(masked, { changeDataFeed: changeFeed !== undefined });
    if (unsupported) throw new SqlFileError(file, line + unsupported.lineOffset, `${unsupported.construct} is not supported by the local engine`);
    const context: RewriteContext = { params, volumes: this.volumes, literals: [...literals], ...files, changeFeed };
    let rewritten: string;
    try {
      rewritten = rewriteStatement(masked, context);
    } catch (error) {
      if (error instanceof Error) throw new SqlFileError(file, line, error.message);
      throw error;
    }
    const values: Record<string, string> = {};
    for (const name of boundParameters(rewritten)) {
      if (params[name] === undefined) throw new SqlFileError(file, line, `parameter :${name} is not set`);
      values[name] = params[name];
    }
    return { sql: unmaskSql(rewritten, context.literals), values };
  }
}

const DUCKDB_ERROR_KIND = /^(Error: )?(Invalid Input|Binder|Parser|Catalog|Conversion|Constraint) Error: /;

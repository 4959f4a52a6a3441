import { resolve } from 'node:path';
import { LocalEngine, Row, SqlFileError } from '../../local/engine';
import { REWRITES, RewriteContext } from '../../local/rewrites';
import { maskSql, unmaskSql } from '../../sql-lang/sql-text';
import { VolumeMapper } from '../../local/volumes';
import { killPoints } from '../support/depth';
import { CATALOG, Scratch } from './harness';

/**
 * The local engine's emulation of the Delta change data feed (local/change-data-feed.ts) on
 * silver.orders, the shipped table that enables it (config/sources/orders.yaml), with the
 * semantics of https://docs.databricks.com/en/sql/language-manual/functions/table_changes.html
 */

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const PARAMS = { silver: `${CATALOG}.silver`, ops: `${CATALOG}.ops`, source_table: `${CATALOG}.silver.orders` };

/** Runs one Databricks SQL statement as a SQL file task would (fidelity rules, translation). */
const sql = (text: string, params: Record<string, string> = PARAMS): Promise<Row[]> => scratch.engine.execute('test.sql', 1, text, params);

/** The message a statement fails with. */
async function failure(text: string, params: Record<string, string> = PARAMS): Promise<string> {
  try {
    await sql(text, params);
  } catch (error) {
    expect(error).toBeInstanceOf(SqlFileError);
    return (error as SqlFileError).reason;
  }
  throw new Error(`expected ${text} to fail`);
}

const VALUES = (key: string, status: string, minute = 0) =>
  `('${key}', 'O-${key}', 'C1', 'P1', '${status}', 1, 10.00, TIMESTAMP '2026-11-20 10:${String(minute).padStart(2, '0')}:00', 'f.csv', 'h-${key}-${status}', current_timestamp())`;
const COLUMNS = '(tracking_num, order_id, customer_id, product_id, status, quantity, amount, event_time, source_file, row_hash, updated_at)';
const insert = (...rows: [string, string][]) => sql(`INSERT INTO IDENTIFIER(:silver || '.orders') ${COLUMNS} VALUES ${rows.map(([k, s]) => VALUES(k, s)).join(', ')}`);

/** The changes of a range, in a stable order, as the extract reads them. */
function changes(from: number | string, to?: number | string): Promise<Row[]> {
  const range = to === undefined ? `${from}` : `${from}, ${to}`;
  return sql(`SELECT tracking_num, status, _change_type, _commit_version FROM table_changes('silver.orders', ${range}) ORDER BY _commit_version, tracking_num, _change_type DESC`);
}

const history = async (suffix = '') => (await sql(`DESCRIBE HISTORY silver.orders${suffix}`)).map((r) => ({ version: Number(r.version), operation: r.operation }));

const change = (tracking_num: string, status: string, _change_type: string, version: number) => ({ tracking_num, status, _change_type, _commit_version: String(version) });

/** silver.orders as the change feed tells it: the last change of each key since version 0, deletes left out. */
async function replayed(): Promise<Row[]> {
  return sql(
    `SELECT tracking_num, status, event_time, source_file, row_hash, updated_at FROM table_changes('silver.orders', 0)
     WHERE _change_type <> 'update_preimage'
     QUALIFY row_number() OVER (PARTITION BY tracking_num ORDER BY _commit_version DESC) = 1 AND _change_type <> 'delete'
     ORDER BY tracking_num`,
  );
}
const current = () => scratch.query('SELECT tracking_num, status, event_time, source_file, row_hash, updated_at FROM silver.orders ORDER BY tracking_num');

/** A fresh scratch whose catalog is in a state file, for a test that reopens it. */
async function withStateFile(): Promise<void> {
  scratch.close();
  scratch = await Scratch.open({ stateFile: true });
}

async function reopen(): Promise<void> {
  scratch.engine.close();
  scratch.engine = await LocalEngine.open({ statePath: scratch.state, catalog: CATALOG, volumesDir: scratch.volumes, projectRoot: resolve(__dirname, '..', '..') });
}

describe('the change data feed of silver.orders', () => {
  it('starts at version 0, the creation of the table when the engine opens a new state', async () => {
    expect(await history()).toEqual([{ version: 0, operation: 'CREATE TABLE' }]);
    expect(await changes(0)).toEqual([]);
    expect(await sql("SELECT count(*) AS n FROM table_changes('silver.orders', 0, 0)")).toEqual([{ n: '0' }]);
  });

  it('records inserts, whatever the form of the target name, one version a statement', async () => {
    await insert(['TRK-1', 'PLACED'], ['TRK-2', 'PLACED']);
    await sql(`INSERT INTO ${CATALOG}.silver.orders ${COLUMNS} VALUES ${VALUES('TRK-3', 'PLACED')}`);
    await sql(`INSERT INTO \`silver\`.\`orders\` ${COLUMNS} VALUES ${VALUES('TRK-4', 'PLACED')}`);
    // a leading WITH clause, then the target as one parameter holding its three-part name
    await sql(`WITH n AS (SELECT 1 AS one) INSERT INTO IDENTIFIER(:source_table) ${COLUMNS} SELECT v.* FROM (VALUES ${VALUES('TRK-5', 'PLACED')}) AS v CROSS JOIN n`);
    // DuckDB SQL of the caller's, through LocalEngine.query, is recorded too
    await scratch.query(`INSERT INTO "${CATALOG}"."silver"."orders" ${COLUMNS} VALUES ${VALUES('TRK-6', 'PLACED').replace('current_timestamp()', 'now()')}`);
    expect(await changes(1)).toEqual([
      change('TRK-1', 'PLACED', 'insert', 1),
      change('TRK-2', 'PLACED', 'insert', 1),
      change('TRK-3', 'PLACED', 'insert', 2),
      change('TRK-4', 'PLACED', 'insert', 3),
      change('TRK-5', 'PLACED', 'insert', 4),
      change('TRK-6', 'PLACED', 'insert', 5),
    ]);
    expect(await history()).toEqual([5, 4, 3, 2, 1].map((version) => ({ version, operation: 'WRITE' })).concat({ version: 0, operation: 'CREATE TABLE' }));
    // the statement still answers what DuckDB answers for a write: the rows it changed
    expect(await insert(['TRK-7', 'PLACED'])).toEqual([{ Count: '1' }]);
  });

  it('records the SCD1 merge of ingest-orders: inserts, then pre- and post-images of the updated keys', async () => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,2,20.00,2026-11-20 11:00:00']);
    expect((await scratch.run('ingest-orders', { runId: 'r1' })).succeeded).toBe(true);
    scratch.deliverOrders('b.csv', ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 10:00:00', 'TRK-3,O3,C1,P3,PLACED,1,5.00,2026-11-21 12:00:00', 'TRK-2,O2,C2,P2,PACKED,2,20.00,2026-11-19 09:00:00']);
    expect((await scratch.run('ingest-orders', { runId: 'r2' })).succeeded).toBe(true);

    expect(await changes(0)).toEqual([
      change('TRK-1', 'PLACED', 'insert', 1),
      change('TRK-2', 'PLACED', 'insert', 1),
      change('TRK-1', 'PLACED', 'update_preimage', 2),
      change('TRK-1', 'SHIPPED', 'update_postimage', 2),
      change('TRK-3', 'PLACED', 'insert', 2),
      // the older TRK-2 event changed nothing, so it is in no version
    ]);
    expect(await history()).toEqual([
      { version: 2, operation: 'MERGE' },
      { version: 1, operation: 'MERGE' },
      { version: 0, operation: 'CREATE TABLE' },
    ]);
    // the post-image is the row as the merge left it, the pre-image the row before
    const [pre, post] = await sql("SELECT _change_type, updated_at, row_hash FROM table_changes('silver.orders', 2) WHERE tracking_num = 'TRK-1' ORDER BY _change_type DESC");
    expect(await scratch.query("SELECT CAST(updated_at AS VARCHAR) AS updated_at, row_hash FROM silver.orders WHERE tracking_num = 'TRK-1'")).toEqual([{ updated_at: post.updated_at, row_hash: post.row_hash }]);
    expect(pre.updated_at).not.toEqual(post.updated_at);
    expect(await replayed()).toEqual(await current());
  });

  it('records UPDATE (pre- and post-images) and DELETE (the deleted rows)', async () => {
    await insert(['TRK-1', 'PLACED'], ['TRK-2', 'PLACED'], ['TRK-3', 'PLACED']);
    await sql("UPDATE IDENTIFIER(:silver || '.orders') SET status = 'SHIPPED' WHERE tracking_num IN ('TRK-1', 'TRK-2')");
    await sql("DELETE FROM silver.orders WHERE tracking_num = 'TRK-3'");
    await sql("UPDATE silver.orders AS o SET status = 'DELIVERED' WHERE o.status = 'SHIPPED' AND o.tracking_num = (SELECT max(tracking_num) FROM silver.orders WHERE status = 'SHIPPED')");
    expect(await changes(2)).toEqual([
      change('TRK-1', 'PLACED', 'update_preimage', 2),
      change('TRK-1', 'SHIPPED', 'update_postimage', 2),
      change('TRK-2', 'PLACED', 'update_preimage', 2),
      change('TRK-2', 'SHIPPED', 'update_postimage', 2),
      change('TRK-3', 'PLACED', 'delete', 3),
      change('TRK-2', 'SHIPPED', 'update_preimage', 4),
      change('TRK-2', 'DELIVERED', 'update_postimage', 4),
    ]);
    expect((await history()).map((h) => h.operation)).toEqual(['UPDATE', 'DELETE', 'UPDATE', 'WRITE', 'CREATE TABLE']);
    expect(await replayed()).toEqual(await current());
  });

  it('records a MERGE that deletes, and one whose NOT MATCHED BY SOURCE clause updates (a snapshot of the table gives its pre-images)', async () => {
    await insert(['TRK-1', 'PLACED'], ['TRK-2', 'PLACED'], ['TRK-3', 'PLACED']);
    await sql(
      "MERGE INTO IDENTIFIER(:silver || '.orders') AS t USING (SELECT 'TRK-1' AS k UNION ALL SELECT 'TRK-9') AS s ON t.tracking_num = s.k " +
        `WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT ${COLUMNS} VALUES (s.k, 'O', 'C', 'P', 'PLACED', 1, 1.00, TIMESTAMP '2026-11-20 10:00:00', 'f.csv', 'h', current_timestamp())`,
    );
    await sql("MERGE INTO silver.orders AS t USING (SELECT 'TRK-2' AS k) AS s ON t.tracking_num = s.k WHEN NOT MATCHED BY SOURCE AND t.tracking_num = 'TRK-3' THEN UPDATE SET status = 'CANCELLED'");
    expect(await changes(2)).toEqual([
      change('TRK-1', 'PLACED', 'delete', 2),
      change('TRK-9', 'PLACED', 'insert', 2),
      change('TRK-3', 'PLACED', 'update_preimage', 3),
      change('TRK-3', 'CANCELLED', 'update_postimage', 3),
    ]);
    expect(await replayed()).toEqual(await current());
  });

  it('reads versions inclusive on both ends, to the latest when end is omitted', async () => {
    for (const key of ['TRK-1', 'TRK-2', 'TRK-3', 'TRK-4']) await insert([key, 'PLACED']);
    const versions = async (range: string) => (await sql(`SELECT DISTINCT _commit_version AS v FROM table_changes('silver.orders', ${range}) ORDER BY 1`)).map((r) => Number(r.v));
    expect(await versions('2, 3')).toEqual([2, 3]);
    expect(await versions('3, 3')).toEqual([3]);
    expect(await versions('2')).toEqual([2, 3, 4]);
    expect(await versions('4')).toEqual([4]);
    expect(await versions('0, 4')).toEqual([1, 2, 3, 4]);
    // bounds as the extract passes them: markers cast to BIGINT, the table name as one marker
    const window = await sql('SELECT count(*) AS n FROM table_changes(:source_table, CAST(:from_version AS BIGINT), CAST(:to_version AS BIGINT))', { ...PARAMS, from_version: '2', to_version: '3' });
    expect(window).toEqual([{ n: '2' }]);
    expect(await sql("SELECT count(*) AS n FROM table_changes('`lakehouse_local`.`silver`.`orders`', 1L, 4)")).toEqual([{ n: '4' }]);
  });

  it('gives every row all the columns of the table, then _change_type, _commit_version and _commit_timestamp', async () => {
    await insert(['TRK-1', 'PLACED']);
    const [row] = await sql("SELECT * FROM table_changes('silver.orders', 1)");
    const columns = (await scratch.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'silver' AND table_name = 'orders' ORDER BY ordinal_position")).map((c) => c.column_name);
    expect(Object.keys(row)).toEqual([...columns, '_change_type', '_commit_version', '_commit_timestamp']);
  });

  it('commits one version a write statement, rows changed or not, and none for a read or a write of another table', async () => {
    await insert(['TRK-1', 'PLACED']);
    await sql("UPDATE silver.orders SET status = 'X' WHERE tracking_num = 'none'");
    await sql('DELETE FROM silver.orders WHERE false');
    await sql("MERGE INTO silver.orders AS t USING (SELECT 'TRK-1' AS k) AS s ON t.tracking_num = s.k WHEN MATCHED AND false THEN DELETE");
    await sql(`INSERT INTO silver.orders ${COLUMNS} SELECT * FROM (VALUES ${VALUES('x', 'y')}) WHERE false`);
    await sql('SELECT count(*) FROM silver.orders');
    await sql("UPDATE IDENTIFIER(:ops || '.watermarks') SET status = 'X' WHERE false");
    await sql("CREATE TABLE IF NOT EXISTS IDENTIFIER(:silver || '.orders') (tracking_num STRING)");
    expect((await history()).map((h) => `${h.version} ${h.operation}`)).toEqual(['5 WRITE', '4 MERGE', '3 DELETE', '2 UPDATE', '1 WRITE', '0 CREATE TABLE']);
    expect(await changes(2)).toEqual([]);
    // commit timestamps never go back: strictly increasing versions, one timestamp a version
    const stamps = await sql('DESCRIBE HISTORY silver.orders');
    const times = stamps.map((s) => String(s.timestamp)).reverse();
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(times.length);
  });

  it('keeps its log across close and reopen, and numbers on from it', async () => {
    await withStateFile();
    await insert(['TRK-1', 'PLACED']);
    await sql("UPDATE silver.orders SET status = 'SHIPPED' WHERE tracking_num = 'TRK-1'");
    const before = await sql("SELECT * FROM table_changes('silver.orders', 0) ORDER BY ALL");
    await reopen();
    expect(await sql("SELECT * FROM table_changes('silver.orders', 0) ORDER BY ALL")).toEqual(before);
    expect((await history()).map((h) => h.version)).toEqual([2, 1, 0]);
    await sql("DELETE FROM silver.orders WHERE tracking_num = 'TRK-1'");
    expect(await changes(3)).toEqual([change('TRK-1', 'SHIPPED', 'delete', 3)]);
    expect((await history()).map((h) => `${h.version} ${h.operation}`)).toEqual(['3 DELETE', '2 UPDATE', '1 WRITE', '0 CREATE TABLE']);
  });

  it('records a table that existed before its log from the moment the log starts (version 0: SET TBLPROPERTIES)', async () => {
    await withStateFile();
    await insert(['TRK-1', 'PLACED']);
    // a state file written before the emulation: the table, without its log
    await scratch.query('DROP SCHEMA "__delta_log" CASCADE');
    await reopen();
    expect(await history()).toEqual([{ version: 0, operation: 'SET TBLPROPERTIES' }]);
    await insert(['TRK-2', 'PLACED']);
    expect(await changes(0)).toEqual([change('TRK-2', 'PLACED', 'insert', 1)]);
  });
});

describe('atomicity: a change and its log rows commit together or not at all', () => {
  it('rolls back a write whose change cannot be recorded (an update of the key): neither the data nor a version', async () => {
    await insert(['TRK-1', 'PLACED']);
    const before = await current();
    expect(await failure("UPDATE silver.orders SET tracking_num = 'TRK-9' WHERE tracking_num = 'TRK-1'")).toMatch(/pairs an update's pre- and post-image by the key of silver\.orders \(tracking_num\).*nothing was written/);
    expect(await current()).toEqual(before);
    expect((await history()).map((h) => h.version)).toEqual([1, 0]);
  });

  it('commits no version for a write that fails', async () => {
    expect(await failure(`INSERT INTO silver.orders ${COLUMNS} VALUES (NULL, 'O', 'C', 'P', 'PLACED', 1, 1.00, NULL, 'f', 'h', current_timestamp())`)).toMatch(/NOT NULL/);
    expect(await history()).toEqual([{ version: 0, operation: 'CREATE TABLE' }]);
  });

  it('joins the transaction of its caller, so a rollback of the caller drops the change and its version together', async () => {
    await expect(
      scratch.engine.inTransaction(async () => {
        await insert(['TRK-1', 'PLACED']);
        throw new Error('the caller fails after the write');
      }),
    ).rejects.toThrow('the caller fails after the write');
    expect(await current()).toEqual([]);
    expect(await history()).toEqual([{ version: 0, operation: 'CREATE TABLE' }]);
  });

  // the merge task of ingest-orders dies once before each of its statements (and after the last) and is retried;
  // the quick suite kills it just before and just after the MERGE INTO silver.orders commits
  const MERGE_STATEMENTS = 8;
  const SILVER_MERGE = 5; // 0-based index of the MERGE INTO silver.orders in sql/generated/orders/merge.sql
  it.each(killPoints(MERGE_STATEMENTS, [SILVER_MERGE, SILVER_MERGE + 1]))('a merge task killed after %i statement(s) and retried leaves the feed telling the table, a version a MERGE run', async (after) => {
    scratch.deliverOrders('a.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'TRK-2,O2,C2,P2,PLACED,2,20.00,2026-11-20 11:00:00']);
    expect((await scratch.run('ingest-orders', { runId: 'r1' })).succeeded).toBe(true);
    scratch.deliverOrders('b.csv', ['TRK-1,O1,C1,P1,SHIPPED,1,10.00,2026-11-21 10:00:00', 'TRK-3,O3,C1,P3,PLACED,1,5.00,2026-11-21 12:00:00']);
    const run = await scratch.run('ingest-orders', { runId: 'r2', faults: new Map([['merge', { failAfterStatements: after, attempts: 1 }]]) });
    expect(run.succeeded).toBe(true);

    expect(await replayed()).toEqual(await current());
    // the killed attempt committed its MERGE (a version) when it died after it; the retry commits one more, empty
    const merges = after > SILVER_MERGE ? 2 : 1;
    expect((await history()).map((h) => `${h.version} ${h.operation}`)).toEqual([...Array.from({ length: merges }, (_v, i) => `${1 + merges - i} MERGE`), '1 MERGE', '0 CREATE TABLE']);
    expect((await changes(2)).map((c) => `${c.tracking_num} ${c._change_type} ${c._commit_version}`)).toEqual(['TRK-1 update_preimage 2', 'TRK-1 update_postimage 2', 'TRK-3 insert 2']);
  });
});

describe('table_changes errors, as Databricks gives them', () => {
  beforeEach(async () => {
    await insert(['TRK-1', 'PLACED']);
    await insert(['TRK-2', 'PLACED']);
  });

  it.each([
    ["table_changes('silver.orders', 3)", /^\[DELTA_CDC_START_VERSION_AFTER_LATEST\] Provided Start version\(3\) for reading change data is invalid\. Start version cannot be greater than the latest version of the table\(2\)\.$/],
    ["table_changes('silver.orders', -1, 2)", /^Cannot time travel Delta table to version -1\. Available versions: \[0, 2\]\.$/],
    ["table_changes('silver.orders', 1, 3)", /^Provided end version\(3\) is invalid\. End version cannot be greater than the latest version of the table\(2\)\.$/],
    ["table_changes('silver.orders', 2, 1)", /^\[DELTA_INVALID_CDC_RANGE\] CDC range from start 2 to end 1 was invalid\. End cannot be before start\.$/],
    ["table_changes('ops.watermarks', 0)", /^\[DELTA_MISSING_CHANGE_DATA\] Error getting change data for range \[0 , 0\] as change data was not recorded for version \[0\]\..*delta\.enableChangeDataFeed=true/],
    ["table_changes('silver.no_such_table', 0)", /^\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `silver`\.`no_such_table` cannot be found/],
    ["table_changes('other_catalog.silver.orders', 0)", /^\[TABLE_OR_VIEW_NOT_FOUND\]/],
    ["table_changes('silver.orders')", /^\[INCORRECT_NUMBER_OF_ARGUMENTS\] not enough args, table_changes requires at least 2 arguments and at most 3 arguments\.$/],
    ["table_changes('silver.orders', 0, 1, 2)", /^\[INCORRECT_NUMBER_OF_ARGUMENTS\] too many args/],
    ["table_changes('silver.orders', '2026-11-20 10:00:00')", /^table_changes start bound '2026-11-20 10:00:00' is not emulated locally: a STRING or TIMESTAMP bound is a timestamp, and timestamp bounds are not emulated/],
    ["table_changes('silver.orders', 0, TIMESTAMP '2026-11-20 10:00:00')", /^table_changes end bound TIMESTAMP '2026-11-20 10:00:00' is not emulated locally/],
    ["table_changes('silver.orders', :from_version)", /^table_changes start bound :from_version is not emulated locally: a parameter marker of a SQL task binds a STRING, which table_changes reads as a timestamp; for a version write CAST\(:from_version AS BIGINT\)$/],
    ["table_changes('silver.orders', CAST(:empty AS BIGINT))", /^\[CAST_INVALID_INPUT\] The value '' of the type "STRING" cannot be cast to "BIGINT"/],
    ["table_changes('silver.orders', NULL)", /^\[DELTA_CDC_READ_NULL_RANGE_BOUNDARY\]/],
    ["table_changes('silver.orders', 1 + 1)", /^table_changes start bound 1 \+ 1 is not emulated locally: give a BIGINT version/],
  ])('%s', async (call, message) => {
    expect(await failure(`SELECT * FROM ${call}`, { ...PARAMS, from_version: '1', empty: '' })).toMatch(message);
  });

  it('refuses a table name that is not a string literal or one parameter marker, by the fidelity rule, and so does the translation', async () => {
    expect(await failure("SELECT * FROM table_changes(:catalog || '.silver.orders', 0)", { ...PARAMS, catalog: CATALOG })).toMatch(/^\[table-changes-table-name\] table_changes takes its table name as a STRING literal or one parameter marker/);
    await expect(scratch.engine.executeTranslated('test.sql', 1, "SELECT * FROM table_changes(:catalog || '.silver.orders', 0)", { catalog: CATALOG })).rejects.toThrow(
      /\[DELTA_UNSUPPORTED_EXPRESSION\] Unsupported expression type\(:catalog \|\| '\.silver\.orders'\) for table name\. The supported types are \[StringType literal\]\./,
    );
  });
});

describe('DESCRIBE HISTORY', () => {
  it('lists version, timestamp and operation, newest first, LIMIT n keeping the newest, whatever the form of the name', async () => {
    await insert(['TRK-1', 'PLACED']);
    await sql("MERGE INTO silver.orders AS t USING (SELECT 'TRK-1' AS k) AS s ON t.tracking_num = s.k WHEN MATCHED THEN UPDATE SET status = 'SHIPPED'");
    await sql("UPDATE silver.orders SET status = 'DELIVERED' WHERE tracking_num = 'TRK-1'");
    await sql("DELETE FROM silver.orders WHERE tracking_num = 'TRK-1'");
    const rows = await sql('DESCRIBE HISTORY silver.orders');
    expect(rows.map((r) => Object.keys(r))).toEqual(Array(5).fill(['version', 'timestamp', 'operation']));
    expect(rows.map((r) => `${r.version} ${r.operation}`)).toEqual(['4 DELETE', '3 UPDATE', '2 MERGE', '1 WRITE', '0 CREATE TABLE']);
    // the notebook read_change_window.py reads the latest version so
    expect((await sql(`DESCRIBE HISTORY \`${CATALOG}\`.\`silver\`.\`orders\` LIMIT 1`)).map((r) => r.version)).toEqual(['4']);
    expect((await sql("DESC HISTORY IDENTIFIER(:silver || '.orders') LIMIT 2")).map((r) => r.version)).toEqual(['4', '3']);
  });

  it('is not emulated for a table without the change data feed, and an unknown table is not found', async () => {
    expect(await failure('DESCRIBE HISTORY ops.watermarks')).toMatch(/^DESCRIBE HISTORY of ops\.watermarks is not emulated locally: the local engine keeps the history of the tables that enable the change data feed \(delta\.enableChangeDataFeed\) only$/);
    expect(await failure('DESCRIBE HISTORY silver.nope')).toMatch(/^\[TABLE_OR_VIEW_NOT_FOUND\]/);
    expect(await failure('DESCRIBE HISTORY silver.orders WHERE true')).toMatch(/is not emulated locally: only DESCRIBE HISTORY <table> \[LIMIT n\]/);
  });
});

describe('writes the change data feed cannot record are refused, never run unrecorded', () => {
  it.each([
    [`TRUNCATE ${CATALOG}.silver.orders`, /^TRUNCATE of silver\.orders is not emulated by the local change data feed/],
    ['ALTER TABLE silver.orders ADD COLUMN note VARCHAR', /^ALTER TABLE of silver\.orders is not emulated by the local change data feed \(schema changes are not emulated\)/],
    ['DROP TABLE silver.orders', /^DROP TABLE of silver\.orders is not emulated/],
    ['CREATE OR REPLACE TABLE silver.orders AS SELECT 1 AS a', /^CREATE TABLE of silver\.orders is not emulated/],
    [`INSERT OR REPLACE INTO silver.orders ${COLUMNS} VALUES ${VALUES('TRK-1', 'X')}`, /^INSERT of silver\.orders is not emulated/],
    ['EXPLAIN ANALYZE DELETE FROM silver.orders', /cannot tell whether this statement writes silver\.orders/],
  ])('%s', async (statement, message) => {
    await expect(scratch.query(statement)).rejects.toThrow(message);
    expect(await history()).toEqual([{ version: 0, operation: 'CREATE TABLE' }]);
    expect(await scratch.query("SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'silver' AND table_name = 'orders'")).toEqual([{ n: '11' }]);
  });
});

describe('DuckDB SQL of the caller (LocalEngine.query)', () => {
  it('is recorded with its comments and terminating semicolon', async () => {
    await scratch.query(`INSERT INTO silver.orders ${COLUMNS} VALUES ${VALUES('TRK-1', 'PLACED').replace('current_timestamp()', 'now()')}; -- the first order\n`);
    await scratch.query("UPDATE silver.orders SET status = 'SHIPPED' -- ship it\nWHERE tracking_num = 'TRK-1' /* one */;");
    expect(await changes(1)).toEqual([change('TRK-1', 'PLACED', 'insert', 1), change('TRK-1', 'PLACED', 'update_preimage', 2), change('TRK-1', 'SHIPPED', 'update_postimage', 2)]);
  });

  it('refuses several statements in one text that may write the table, and runs the others', async () => {
    await expect(scratch.query("SELECT 1; DELETE FROM silver.orders WHERE tracking_num = 'x'")).rejects.toThrow('the local change data feed records one statement at a time: run the DELETE of silver.orders on its own');
    expect(await scratch.query('CREATE TEMP TABLE a (x INTEGER); INSERT INTO a VALUES (1); SELECT count(*) AS n FROM silver.orders')).toEqual([{ n: '0' }]);
    expect(await history()).toEqual([{ version: 0, operation: 'CREATE TABLE' }]);
  });
});

describe('the change data feed rewrites', () => {
  const volumes = new VolumeMapper('/tmp');
  const apply = (name: string, text: string): string => {
    const { masked, literals } = maskSql(text);
    const context: RewriteContext = { params: {}, volumes, literals: [...literals] };
    return unmaskSql(REWRITES.find((r) => r.name === name)!.apply(masked, context), context.literals);
  };

  it('backtick-identifiers quotes names for DuckDB, literals untouched', () => {
    expect(apply('backtick-identifiers', "SELECT `a b`.`c``d`, 'x' FROM `s`.`t`")).toBe('SELECT "a b"."c`d", \'x\' FROM "s"."t"');
  });

  it('table-changes and describe-history need the engine, which gives its change data feed', () => {
    expect(() => apply('table-changes', "SELECT * FROM table_changes('t', 1)")).toThrow("table_changes() needs the local engine's change data feed");
    expect(() => apply('describe-history', 'DESCRIBE HISTORY t')).toThrow("DESCRIBE HISTORY needs the local engine's change data feed");
    expect(apply('describe-history', 'DESCRIBE TABLE t')).toBe('DESCRIBE TABLE t');
  });
});

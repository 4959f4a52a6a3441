import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REWRITES, RewriteContext, boundParameters, rewriteStatement } from '../../local/rewrites';
import { blankSql, maskSql, positionAt, splitStatements, unmaskSql } from '../../sql-lang/sql-text';
import { findUnsupportedConstruct } from '../../local/unsupported-constructs';
import { VolumeMapper } from '../../local/volumes';

const volumesRoot = mkdtempSync(join(tmpdir(), 'lakehouse-rewrites-'));
const volumes = new VolumeMapper(volumesRoot);

/** Applies one named rewrite to a statement and returns the resulting SQL. */
function apply(name: string, sql: string, params: Record<string, string> = {}): string {
  const rewrite = REWRITES.find((r) => r.name === name)!;
  const { masked, literals } = maskSql(sql);
  const context: RewriteContext = { params, volumes, literals: [...literals] };
  return unmaskSql(rewrite.apply(masked, context), context.literals);
}

describe('the rewrite list', () => {
  it('documents every rewrite', () => {
    for (const rewrite of REWRITES) expect([rewrite.name, rewrite.databricks, rewrite.duckdb, rewrite.why].every((s) => s.length > 0)).toBe(true);
  });

  it('ddl-using-delta drops USING DELTA from CREATE TABLE only', () => {
    expect(apply('ddl-using-delta', 'CREATE TABLE t (a STRING) USING DELTA')).toBe('CREATE TABLE t (a STRING) ');
    expect(apply('ddl-using-delta', "SELECT 'USING DELTA' AS s")).toBe("SELECT 'USING DELTA' AS s");
  });

  it('ddl-cluster-by drops liquid clustering', () => {
    expect(apply('ddl-cluster-by', 'CREATE TABLE t (a STRING, b INT) CLUSTER BY (a, b)')).toBe('CREATE TABLE t (a STRING, b INT) ');
  });

  it('ddl-comment drops column and table comments, whatever they contain', () => {
    expect(apply('ddl-comment', "CREATE TABLE t (a STRING COMMENT 'it''s; (odd)') COMMENT 'x'")).toBe('CREATE TABLE t (a STRING ) ');
  });

  it('identifier-clause computes the name from bound parameters and quotes each part', () => {
    expect(apply('identifier-clause', "SELECT * FROM IDENTIFIER(:catalog || '.silver.orders')", { catalog: 'lh' })).toBe('SELECT * FROM "lh"."silver"."orders"');
    expect(apply('identifier-clause', "SELECT * FROM IDENTIFIER(:catalog || '.' || :t)", { catalog: 'lh', t: 'ops.w' })).toBe('SELECT * FROM "lh"."ops"."w"');
  });

  it('identifier-clause refuses a name that is not plain identifiers, so no injection gets through', () => {
    expect(() => apply('identifier-clause', "SELECT * FROM IDENTIFIER(:catalog || '.x')", { catalog: 'lh; DROP TABLE y' })).toThrow('is not a name of one to three plain identifiers');
    expect(() => apply('identifier-clause', 'SELECT * FROM IDENTIFIER(:missing)')).toThrow('parameter :missing is not set');
    expect(() => apply('identifier-clause', "SELECT * FROM IDENTIFIER(upper('x'))")).toThrow('cannot evaluate');
  });

  it('session-variable-declare sets a typed DuckDB variable, NULL without a default', () => {
    expect(apply('session-variable-declare', 'DECLARE OR REPLACE VARIABLE ready ARRAY<STRING> DEFAULT array()')).toBe('SET VARIABLE ready = CAST(array() AS VARCHAR[])');
    expect(apply('session-variable-declare', 'DECLARE VARIABLE n INT')).toBe('SET VARIABLE n = CAST(NULL AS INTEGER)');
    expect(apply('session-variable-declare', 'SELECT 1')).toBe('SELECT 1');
  });

  it('session-variable-set assigns with SET VARIABLE', () => {
    expect(apply('session-variable-set', 'SET VAR ready = (SELECT 1)')).toBe('SET VARIABLE ready = (SELECT 1)');
  });

  it('session-variable-reference reads session.x and system.session.x with getvariable, never a column', () => {
    expect(apply('session-variable-reference', 'SELECT session.ready, system.session.n, t.session FROM t')).toBe("SELECT getvariable('ready'), getvariable('n'), t.session FROM t");
  });

  it('function-array_contains tests membership with list_contains', () => {
    expect(apply('function-array_contains', 'SELECT array_contains(xs, 1)')).toBe('SELECT list_contains(xs, 1)');
  });

  it('read-files reads the CSV files of the mapped volume folder, skipping empty ones, with _metadata.file_path as the dbfs:/Volumes URI Databricks gives', () => {
    const folder = join(volumesRoot, 'cat', 'landing', 'orders', 'incoming');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'b.csv'), 'a\n1\n');
    writeFileSync(join(folder, 'a.csv'), 'a\n2\n');
    writeFileSync(join(folder, 'empty.csv'), '');
    writeFileSync(join(folder, 'notes.txt'), 'x');
    writeFileSync(join(folder, 'my file#1.csv'), 'a\n3\n');
    const sql = apply('read-files', "SELECT a, _metadata.file_path FROM read_files(:p, format => 'csv', header => true, pathGlobFilter => '*.csv', schema => 'a INT, d DECIMAL(12, 2)')", {
      p: '/Volumes/cat/landing/orders/incoming/',
    });
    expect(sql).toContain(`read_csv(['${join(folder, 'a.csv')}', '${join(folder, 'b.csv')}', '${join(folder, 'my file#1.csv')}']`);
    expect(sql).toContain("columns = {'a': 'INTEGER', 'd': 'DECIMAL(12, 2)'}");
    expect(sql).toContain("'file_path': 'dbfs:/Volumes/cat/landing/orders/incoming/a.csv'");
    expect(sql).toContain("'file_path': 'dbfs:/Volumes/cat/landing/orders/incoming/my%20file%231.csv', 'file_name': 'my file#1.csv'");
    expect(sql).not.toContain('empty.csv');
    expect(sql).not.toContain('notes.txt');
  });

  it('read-files skips the names Spark skips: the folder marker, _ and . files (but not a=b partition folders)', () => {
    const folder = join(volumesRoot, 'cat', 'landing', 'hidden', 'incoming');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '_lakehouse_folder'), 'marker\n');
    writeFileSync(join(folder, '.part.csv'), 'a\n9\n');
    writeFileSync(join(folder, '_tmp.csv'), 'a\n9\n');
    writeFileSync(join(folder, 'x.csv._COPYING_'), 'a\n9\n');
    writeFileSync(join(folder, 'real.csv'), 'a\n1\n');
    const sql = apply('read-files', "SELECT * FROM read_files(:p, format => 'csv', header => true, schema => 'a STRING')", { p: '/Volumes/cat/landing/hidden/incoming/' });
    expect(sql).toContain(`read_csv(['${join(folder, 'real.csv')}']`);
  });

  it('read-files yields a typed empty relation when the folder holds no file', () => {
    mkdirSync(join(volumesRoot, 'cat', 'landing', 'empty', 'incoming'), { recursive: true });
    const sql = apply('read-files', "SELECT * FROM read_files(:p, format => 'csv', header => true, schema => 'a STRING')", { p: '/Volumes/cat/landing/empty/incoming/' });
    expect(sql).toContain('CAST(NULL AS VARCHAR) AS a');
    expect(sql).toContain('WHERE false');
  });

  it('read-files fails on a folder that does not exist, as Databricks does (PATH_NOT_FOUND), never reading zero rows', () => {
    expect(() => apply('read-files', "SELECT * FROM read_files(:p, format => 'csv', header => true, schema => 'a STRING')", { p: '/Volumes/cat/landing/none/incoming/' })).toThrow(
      '[PATH_NOT_FOUND] Path does not exist: dbfs:/Volumes/cat/landing/none/incoming/',
    );
  });

  it.each([
    ["format => 'json', header => true, schema => 'a INT'", 'format "json" is not supported locally'],
    ["format => 'csv', header => true", 'needs an explicit schema'],
    ["format => 'csv', header => true, schema => 'a INT', inferColumnTypes => true", 'option inferColumnTypes has no local translation'],
    ["format => 'csv', header => true, schema => 'a MAP<STRING, INT>'", 'schema type "MAP<STRING, INT>" has no local mapping'],
    ["format => 'csv', header => true, mode => 'PERMISSIVE', schema => 'a INT'", 'mode PERMISSIVE is not supported locally'],
  ])('read-files refuses what it does not emulate (%s)', (options, message) => {
    expect(() => apply('read-files', `SELECT * FROM read_files(:p, ${options})`, { p: '/Volumes/cat/landing/orders/incoming/' })).toThrow(message);
  });

  it('current-timestamp-call drops the parentheses', () => {
    expect(apply('current-timestamp-call', 'SELECT current_timestamp(), CURRENT_DATE( )')).toBe('SELECT current_timestamp, CURRENT_DATE');
  });

  it('function-datediff swaps (end, start) into date_diff(day, start, end)', () => {
    expect(apply('function-datediff', 'SELECT datediff(CAST(max(b) AS DATE), min(a)) FROM t')).toBe("SELECT date_diff('day', min(a), CAST(max(b) AS DATE)) FROM t");
  });

  it.each([
    ['function-raise_error', "SELECT raise_error('x')", "SELECT error('x')"],
    ['function-explode', "SELECT explode(split(:s, ','))", "SELECT unnest(split(:s, ','))"],
    ['function-collect_list', 'SELECT collect_list(a) FROM t', 'SELECT list(a) FROM t'],
    ['function-array_join', "SELECT array_join(l, ', ')", "SELECT array_to_string(l, ', ')"],
  ])('%s renames the function', (name, sql, expected) => {
    expect(apply(name, sql)).toBe(expected);
  });

  it('parameter-markers turns :name into $name, leaving casts, literals and comments alone', () => {
    expect(apply('parameter-markers', "SELECT :a, x::INT, ':b' FROM t WHERE c = :c_2")).toBe("SELECT $a, x::INT, ':b' FROM t WHERE c = $c_2");
  });

  it('binds only the parameters a statement uses', () => {
    const { masked, literals } = maskSql("SELECT * FROM IDENTIFIER(:catalog || '.x.y') WHERE a = :a AND b = ':literal'");
    const rewritten = rewriteStatement(masked, { params: { catalog: 'lh', a: '1' }, volumes, literals: [...literals] });
    expect(boundParameters(rewritten)).toEqual(['a']);
  });
});

describe('constructs the local engine refuses', () => {
  it.each([
    ["COPY INTO t FROM '/Volumes/x' FILEFORMAT = CSV", 'COPY INTO'],
    ['INSERT OVERWRITE t SELECT 1', 'INSERT OVERWRITE'],
    ["SELECT * FROM table_changes('t', 1)", 'table_changes() (Change Data Feed)'],
    ['CREATE OR REFRESH STREAMING TABLE s AS SELECT 1', 'a declarative pipeline statement (CREATE OR REFRESH, APPLY CHANGES, AUTO CDC, EXPECT, STREAM)'],
    ["SELECT date_format(ts, 'y') FROM t", 'date_format()'],
    ['SELECT nvl(a, 1) FROM t', 'nvl()'],
    ['SELECT * FROM system.lakeflow.jobs', 'system tables'],
  ])('%s', (sql, construct) => {
    expect(findUnsupportedConstruct(maskSql(sql).masked)?.construct).toBe(construct);
  });

  it('does not mistake a literal for a construct', () => {
    expect(findUnsupportedConstruct(maskSql("SELECT 'COPY INTO is refused' AS note").masked)).toBeUndefined();
  });
});

describe('statement splitting', () => {
  it('splits at semicolons outside literals and comments, with the line each statement starts on', () => {
    const sql = "-- header; not a statement\nSELECT 'a;b';\n\n/* c; */ SELECT\n  2;\n";
    expect(splitStatements(sql)).toEqual([
      { text: "SELECT 'a;b'", line: 2, offset: 27 },
      { text: 'SELECT\n  2', line: 4, offset: 51 },
    ]);
  });

  it('blanks comments and the insides of literals without moving any character', () => {
    const sql = "SELECT 'it''s -- no', x -- note\n/* a\nb */ FROM `t`";
    const blank = blankSql(sql);
    expect(blank).toHaveLength(sql.length);
    expect(blank).toBe("SELECT '           ', x        \n    \n     FROM ` `");
    expect(positionAt(sql, sql.indexOf('FROM'))).toEqual({ line: 3, column: 6 });
  });
});

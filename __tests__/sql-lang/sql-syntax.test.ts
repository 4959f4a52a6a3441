import { resolve } from 'node:path';
import { checkSqlFile, checkSqlSyntax, formatSyntaxError, initSqlParser, maskIdentifierClauses, sqlFilesUnder } from '../../sql-lang/syntax';

const root = resolve(__dirname, '..', '..');

beforeAll(() => initSqlParser());

describe('static validation of SQL assets', () => {
  const files = sqlFilesUnder(root, 'sql');

  it('finds the SQL assets', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s parses as Databricks SQL', (file) => {
    const error = checkSqlFile(root, file);
    expect(error && formatSyntaxError(error)).toBeUndefined();
  });

  it('reports a syntax error as file:line:col message', () => {
    const error = checkSqlSyntax('sql/broken.sql', '-- a comment\nSELECT 1;\nSELECT (2 FROM t;\n')!;
    expect(formatSyntaxError(error)).toMatch(/^sql\/broken\.sql:3:\d+ Expected RParen/);
  });

  it('masks IDENTIFIER() clauses without moving anything else', () => {
    const sql = "MERGE INTO IDENTIFIER(:catalog || '.silver.t') AS t USING s ON t.k = s.k\nWHEN MATCHED THEN DELETE";
    const masked = maskIdentifierClauses(sql);
    expect(masked).toHaveLength(sql.length);
    expect(masked).toBe(`MERGE INTO ${'_'.repeat("IDENTIFIER(:catalog || '.silver.t')".length)} AS t USING s ON t.k = s.k\nWHEN MATCHED THEN DELETE`);
  });

  it('keeps error positions exact after masking', () => {
    const error = checkSqlSyntax('x.sql', "UPDATE IDENTIFIER(:catalog || '.ops.w') SET a = 1\nWHERE (b = 2");
    expect([error?.line, error?.column]).toEqual([2, 13]);
  });

  it.each([
    ['IDENTIFIER() as a DDL and DML target', "CREATE TABLE IF NOT EXISTS IDENTIFIER(:catalog || '.ops.x') (a STRING); UPDATE IDENTIFIER(:catalog || '.ops.x') SET a = :a"],
    ['named parameter markers and IDENTIFIER()', "SELECT * FROM IDENTIFIER(:catalog || '.ops.watermarks') WHERE pipeline = :pipeline"],
    ['DLT expectations', "CREATE OR REFRESH STREAMING TABLE s (CONSTRAINT c EXPECT (x > 0) ON VIOLATION DROP ROW) AS SELECT * FROM STREAM read_files('${path}', format => 'csv')"],
    ['AUTO CDC flows', 'CREATE FLOW f AS AUTO CDC INTO t FROM STREAM(s) KEYS (id) SEQUENCE BY ts STORED AS SCD TYPE 2'],
    ['MERGE with UPDATE SET *', 'MERGE INTO t USING s ON t.k = s.k WHEN MATCHED AND s.ts > t.ts THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *'],
  ])('accepts %s', (_what, sql) => {
    expect(checkSqlSyntax('x.sql', sql)).toBeUndefined();
  });
});

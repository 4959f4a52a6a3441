import { checkPipelineSources, checkSqlText, sqlKindOf } from '../../checks/sql-rules';
import { typeProblem } from '../../model/databricks-types';
import { checkSqlSyntax, initSqlParser } from '../../sql-lang/syntax';

/** Rule ids the statement rules report on a SQL text. */
const rulesOn = (sql: string, kind: 'job' | 'pipeline' = sqlKindOf(sql)) => checkSqlText('fixture.sql', sql, kind).map((f) => f.rule);

describe('each SQL rule fires on its bad fixture and not on the good one', () => {
  const cases: [string, string, string][] = [
    [
      'merge-condition-subquery',
      'MERGE INTO t USING s ON t.k = s.k WHEN MATCHED AND EXISTS (SELECT 1 FROM x WHERE x.k = s.k) THEN UPDATE SET v = s.v',
      'MERGE INTO t USING (SELECT k, v FROM s WHERE k IN (SELECT k FROM x)) AS s ON t.k = s.k WHEN MATCHED AND session.ready THEN UPDATE SET v = s.v',
    ],
    ['merge-condition-subquery', 'MERGE INTO t USING s ON t.k = (SELECT max(k) FROM x) WHEN MATCHED THEN DELETE', 'MERGE INTO t USING s ON t.k = s.k WHEN MATCHED THEN DELETE'],
    ['merge-condition-subquery', 'MERGE INTO t USING s ON t.k = s.k WHEN NOT MATCHED BY SOURCE AND t.k IN (SELECT k FROM x) THEN DELETE', 'MERGE INTO t USING s ON t.k = s.k WHEN NOT MATCHED BY SOURCE AND t.b = :b THEN DELETE'],
    ['duckdb-only-syntax', 'INSERT OR REPLACE INTO t VALUES (1)', 'INSERT INTO t VALUES (1)'],
    ['duckdb-only-syntax', 'SELECT * EXCLUDE (a) FROM t', 'SELECT * EXCEPT (a) FROM t'],
    ['duckdb-only-syntax', 'CREATE MACRO plus_one(a) AS a + 1', 'CREATE FUNCTION plus_one(a INT) RETURNS INT RETURN a + 1'],
    ['duckdb-only-syntax', 'FROM t SELECT a', 'SELECT a FROM t'],
    ['duckdb-only-syntax', 'SELECT [1, 2] AS xs', 'SELECT array(1, 2) AS xs, xs[0] AS first FROM t'],
    ['duckdb-only-syntax', "SELECT {'a': 1} AS s", "SELECT named_struct('a', 1) AS s"],
    ['duckdb-only-syntax', 'UPDATE t SET v = s.v FROM s WHERE t.k = s.k', 'UPDATE t SET v = (SELECT max(v) FROM s) WHERE k = 1'],
    ['duckdb-only-syntax', 'SELECT DISTINCT ON (k) k, v FROM t', 'SELECT DISTINCT k, v FROM t'],
    ['duckdb-only-syntax', 'SELECT * FROM a ANTI JOIN b ON a.k = b.k', 'SELECT * FROM a LEFT ANTI JOIN b ON a.k = b.k'],
    ['unknown-function', 'SELECT list_value(1, 2), strftime(ts, \'%Y\') FROM t', 'SELECT array(1, 2), date_format(ts, \'yyyy\') FROM t'],
    ['unknown-function', 'SELECT unnest(xs) FROM t', 'SELECT explode(xs) FROM t'],
    ['databricks-type-names', 'CREATE TABLE t (a VARCHAR, b HUGEINT)', 'CREATE TABLE t (a STRING, b DECIMAL(38,0), c VARCHAR(10), d MAP<STRING, INT>, e ARRAY<STRUCT<x: INT, y STRING>>)'],
    ['databricks-type-names', 'SELECT CAST(a AS TEXT) FROM t', 'SELECT CAST(a AS STRING), try_cast(b AS DECIMAL(12,2)) FROM t'],
    ['databricks-type-names', 'SELECT a::BLOB FROM t', 'SELECT a::BINARY FROM t'],
    ['databricks-type-names', "SELECT * FROM read_files('/Volumes/c/s/v/', format => 'csv', schema => 'a TIMESTAMPTZ')", "SELECT * FROM read_files('/Volumes/c/s/v/', format => 'csv', schema => 'a TIMESTAMP, b DECIMAL(12, 2)')"],
    ['databricks-type-names', 'DECLARE OR REPLACE VARIABLE ready BOOL', 'DECLARE OR REPLACE VARIABLE ready BOOLEAN DEFAULT false'],
    ['marker-placement', 'SELECT * FROM :table_name', 'SELECT * FROM IDENTIFIER(:table_name) WHERE k = :k'],
    ['marker-placement', "CREATE TABLE IDENTIFIER(:t) (a STRING DEFAULT :d)", "CREATE TABLE IDENTIFIER(:catalog || '.s.t') (a STRING)"],
    [
      'table-changes-table-name',
      "SELECT * FROM table_changes(:catalog || '.silver.orders', 0)",
      "SELECT * FROM table_changes(:source_table, CAST(:from_version AS BIGINT)) AS c JOIN table_changes('silver.orders', 1, 2) AS d ON c.k = d.k",
    ],
    ['table-changes-table-name', "SELECT * FROM table_changes(IDENTIFIER(:catalog || '.silver.orders'), 0)", "SELECT * FROM table_changes(\"silver.orders\", 0)"],
  ];

  it.each(cases)('%s: %s', (rule, bad, good) => {
    expect(rulesOn(bad, 'job')).toContain(rule);
    expect(rulesOn(good, 'job')).not.toContain(rule);
  });

  const pipelineCases: [string, string, string][] = [
    [
      'expectation-grammar',
      'CREATE OR REFRESH STREAMING TABLE s (CONSTRAINT ok EXPECT (a > 0) ON VIOLATION DELETE ROW) AS SELECT * FROM STREAM(b)',
      'CREATE OR REFRESH STREAMING TABLE s (a INT, CONSTRAINT ok EXPECT (a > 0) ON VIOLATION DROP ROW, CONSTRAINT f EXPECT (b < 2) ON VIOLATION FAIL UPDATE, CONSTRAINT w EXPECT (a <> 3)) AS SELECT * FROM STREAM(b)',
    ],
    ['expectation-grammar', 'CREATE OR REFRESH MATERIALIZED VIEW m (EXPECT (a > 0)) AS SELECT * FROM b', 'CREATE OR REFRESH MATERIALIZED VIEW m (CONSTRAINT p EXPECT (a > 0)) AS SELECT * FROM b'],
    ['streaming-source', 'CREATE OR REFRESH STREAMING TABLE s AS SELECT * FROM b', 'CREATE OR REFRESH STREAMING TABLE s AS SELECT * FROM STREAM(b)'],
    ['streaming-source', "CREATE OR REFRESH STREAMING TABLE s AS SELECT * FROM read_files('${p}', format => 'csv')", "CREATE OR REFRESH STREAMING TABLE s AS SELECT * FROM STREAM read_files('${p}', format => 'csv')"],
    ['streaming-source', 'CREATE OR REFRESH MATERIALIZED VIEW m AS SELECT * FROM STREAM(b)', 'CREATE OR REFRESH MATERIALIZED VIEW m AS SELECT * FROM b'],
    [
      'no-distinct-aggregate-on-stream',
      'CREATE OR REFRESH STREAMING TABLE s AS SELECT u, count(DISTINCT p) AS pages FROM STREAM(b) GROUP BY u',
      'CREATE OR REFRESH STREAMING TABLE s AS SELECT u, approx_count_distinct(p) AS pages FROM STREAM(b) GROUP BY u',
    ],
    ['marker-placement', 'CREATE OR REFRESH MATERIALIZED VIEW m AS SELECT * FROM b WHERE k = :k', "CREATE OR REFRESH MATERIALIZED VIEW m AS SELECT * FROM b WHERE k = '${k}'"],
  ];

  it.each(pipelineCases)('%s: %s', (rule, bad, good) => {
    expect(rulesOn(bad, 'pipeline')).toContain(rule);
    expect(rulesOn(good, 'pipeline')).not.toContain(rule);
  });
});

describe('findings', () => {
  it('locate the offending construct as file:line:col', () => {
    const sql = '-- a header\nMERGE INTO t USING s ON t.k = s.k\nWHEN MATCHED\n  AND EXISTS (SELECT 1 FROM x) THEN DELETE;\n';
    expect(checkSqlText('sql/x.sql', sql)).toEqual([
      expect.objectContaining({ file: 'sql/x.sql', line: 4, column: 14, rule: 'merge-condition-subquery' }),
    ]);
  });

  it('ignore what stands in comments and literals', () => {
    expect(rulesOn("SELECT 'INSERT OR REPLACE list_value(x)' AS a -- SELECT * EXCLUDE (b)\nFROM t", 'job')).toEqual([]);
  });

  it('tell pipeline SQL from job SQL by its definitions', () => {
    expect(sqlKindOf('-- x\nCREATE OR REFRESH STREAMING TABLE s AS SELECT 1')).toBe('pipeline');
    expect(sqlKindOf('CREATE TABLE IF NOT EXISTS t (a INT)')).toBe('job');
  });
});

describe('the change data feed constructs', () => {
  const statements = [
    "SELECT * FROM table_changes('silver.orders', 0, 3)",
    'SELECT c.tracking_num, c._change_type FROM table_changes(:source_table, CAST(:from_version AS BIGINT), CAST(:to_version AS BIGINT)) AS c',
    "SELECT * FROM table_changes('`lakehouse`.`silver`.`orders`', 2)",
    'DESCRIBE HISTORY silver.orders',
    'DESCRIBE HISTORY `lakehouse`.`silver`.`orders` LIMIT 1',
    "DESCRIBE HISTORY IDENTIFIER(:silver || '.orders') LIMIT 5",
  ];

  it.each(statements)('pass every statement rule (unknown-function knows table_changes): %s', (sql) => {
    expect(rulesOn(sql, 'job')).toEqual([]);
  });

  it.each(statements)('parse as Databricks SQL: %s', async (sql) => {
    await initSqlParser();
    expect(checkSqlSyntax('x.sql', `${sql};\n`)).toBeUndefined();
  });

  it('keeps a syntax error after DESCRIBE HISTORY … LIMIT at its line and column', async () => {
    await initSqlParser();
    expect(checkSqlSyntax('x.sql', 'DESCRIBE HISTORY silver.orders LIMIT 1;\nSELECT (1 FROM t;\n')).toEqual(expect.objectContaining({ line: 2 }));
  });
});

describe('dataset-references', () => {
  const pipeline = (text: string) => checkPipelineSources([{ file: 'p.sql', text }]).filter((f) => f.rule === 'dataset-references');

  it('refuses a read of a dataset the pipeline does not define', () => {
    expect(pipeline('CREATE OR REFRESH STREAMING TABLE a AS SELECT * FROM STREAM(bronze_oders);')).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining('bronze_oders') }),
    ]);
  });

  it('accepts defined datasets, LIVE. names, CTEs, external tables and flows', () => {
    const text = [
      'CREATE OR REFRESH STREAMING TABLE a AS SELECT * FROM STREAM(main.raw.events)',
      'CREATE OR REFRESH MATERIALIZED VIEW b AS WITH c AS (SELECT * FROM LIVE.a) SELECT * FROM c JOIN raw.users AS u ON u.id = c.id',
      'CREATE OR REFRESH STREAMING TABLE h',
      'CREATE FLOW f AS AUTO CDC INTO h FROM STREAM(a) KEYS (id) SEQUENCE BY ts',
      'CREATE OR REFRESH MATERIALIZED VIEW d AS SELECT * FROM h',
    ].join(';\n');
    expect(pipeline(text)).toEqual([]);
  });
});

describe('Databricks type names', () => {
  it.each([
    ['DECIMAL(39,2)', /precision must be 1 to 38/],
    ['DECIMAL(5,7)', /scale 7 exceeds its precision 5/],
    ['VARCHAR', /needs a length/],
    ['UUID', /DuckDB type/],
    ['MAP<STRING>', /key and a value/],
    ['TIMESTAMP WITH TIME ZONE', /not a Databricks type/],
  ])('%s is refused', (type, message) => {
    expect(typeProblem(type)).toMatch(message);
  });

  it.each(['STRING', 'BIGINT', 'DECIMAL(12,2)', 'DECIMAL(12, 2)', 'TIMESTAMP_NTZ', 'ARRAY<MAP<STRING,BIGINT>>', 'STRUCT<a: INT NOT NULL, b: STRING>', 'INTERVAL DAY TO SECOND', 'VARIANT'])(
    '%s is accepted',
    (type) => expect(typeProblem(type)).toBeUndefined(),
  );
});

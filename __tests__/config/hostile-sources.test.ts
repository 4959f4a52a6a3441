import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ConfigError } from '../../config/config-error';
import { loadSources, parseSource } from '../../config/load-sources';
import { generatedSqlFiles } from '../../model/source-sql';
import { splitStatements } from '../../sql-lang/sql-text';
import { checkSqlSyntax, initSqlParser } from '../../sql-lang/syntax';
import { bySuiteDepth, propertyRuns } from '../support/depth';

/**
 * A source file is input from whoever edits config/sources/: nothing in it may reach the
 * generated SQL (run by the service principal) as code. Each hostile input is refused when
 * the source loads, naming file, line and field, or the SQL it generates is exactly the
 * template's statements.
 */

const FILE = 'config/sources/shipments.yaml';

function shipments(overrides: Record<string, unknown> = {}, landing: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'shipments',
    landing: { volume: 'shipments', format: 'csv', ...landing },
    columns: [
      { name: 'shipment_id', type: 'STRING', nullable: false },
      { name: 'status', type: 'STRING' },
      { name: 'updated_at', type: 'TIMESTAMP' },
    ],
    key: ['shipment_id'],
    sequenceBy: 'updated_at',
    expectations: [{ name: 'valid_id', expr: 'shipment_id IS NOT NULL', onViolation: 'drop' }],
    ingestion: 'job',
    ...overrides,
  };
}

const load = (source: Record<string, unknown>) => parseSource(FILE, stringify(source));

/** The statements' first words, in order: what the template writes, whatever the values spliced in. */
function statementShape(source: Record<string, unknown>): string[] {
  return [...generatedSqlFiles(load(source)).entries()].flatMap(([file, sql]) => splitStatements(sql).map((s) => `${file}: ${s.text.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase()}`));
}
const TEMPLATE = statementShape(shipments());

function refusal(source: Record<string, unknown>): string {
  try {
    load(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected the source to be refused');
}

describe('hostile option keys and values', () => {
  it.each([
    ["a key that closes the call and runs a statement", { "header => true); DELETE FROM silver.orders; SELECT * FROM read_files('/x'": true }],
    ['a key with a comment', { 'sep -- ': ';' }],
    ['a key with a quote', { "sep'": ';' }],
    ['a dotted key', { 'spark.sql.x': 'y' }],
    ['an unknown option', { inferColumnTypess: true }],
    ['an option of another format', { allowComments: true }],
  ])('refuses %s, naming the option and the file', (_what, options) => {
    const message = refusal(shipments({}, { options }));
    expect(message).toContain(`${FILE}:`);
    expect(message).toContain('field "landing.options.');
    expect(message).toMatch(/is not a read_files option of csv files/);
  });

  it.each(['format', 'mode', 'pathGlobFilter', 'schema', 'header', 'escape', 'multiLine', 'rescuedDataColumn', 'inferSchema'])('refuses %s, which the generated SQL sets itself, instead of emitting it twice', (key) => {
    expect(refusal(shipments({}, { options: { [key]: key === 'header' || key === 'multiLine' ? false : 'x' } }))).toContain(`field "landing.options.${key}": is set by the generated SQL itself`);
  });

  it('refuses a value of the wrong kind', () => {
    expect(refusal(shipments({}, { options: { ignoreLeadingWhiteSpace: 'yes' } }))).toContain('field "landing.options.ignoreLeadingWhiteSpace": takes a boolean');
  });

  it("writes a documented option's string value as one literal, whatever code it holds", () => {
    const hostile = ') ; DELETE FROM silver.orders; -- /* */ `x` "y" {z} $z';
    expect(statementShape(shipments({}, { options: { sep: hostile, nullValue: hostile } }))).toEqual(TEMPLATE);
  });

  // Databricks reads a backslash in a literal as an escape: sep '\' would swallow the next option's quote, and its value would run as code
  it.each([
    ['a backslash that escapes the closing quote, the next value then code', { sep: '\\', nullValue: ') ; DELETE FROM silver.orders; --' }, 'sep'],
    ['a quote (read as two literals by Databricks)', { quote: "'" }, 'quote'],
    ['a control character (the masking placeholder)', { nullValue: 'a\u00010\u0001' }, 'nullValue'],
    ['a backslash escape', { lineSep: '\\n' }, 'lineSep'],
    ['a pipeline substitution, put in as text before parsing', { nullValue: '${landing_path}' }, 'nullValue'],
  ])('refuses an option value with %s', (_what, options, key) => {
    expect(refusal(shipments({}, { options }))).toContain(`field "landing.options.${key}": holds`);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('refuses %s, a name every object has, as not an option', (key) => {
    expect(refusal(shipments({}, { options: JSON.parse(`{"${key}": "x"}`) as Record<string, unknown> }))).toContain(`field "landing.options.${key}": is not a read_files option of csv files`);
  });

  it('takes a whole number where the docs say Int, and writes it as a number', () => {
    const sql = [...generatedSqlFiles(load(shipments({}, { options: { skipRows: 2, maxColumns: 400 } }))).values()].join('\n');
    expect(sql).toContain('skipRows => 2,');
    expect(sql).toContain('maxColumns => 400,');
  });

  it.each([[-1], [1.5], [Infinity], [NaN], ['2']])('refuses %p for an Int option', (value) => {
    expect(refusal(shipments({}, { options: { skipRows: value } }))).toContain('field "landing.options.skipRows": ');
  });
});

describe('hostile expressions, columns and types', () => {
  it.each([
    ['a statement after the expression', 'shipment_id IS NOT NULL); DELETE FROM silver.orders; --'],
    ['a closing parenthesis', 'shipment_id IS NOT NULL) OR (1 = 1'],
    ['a comment', 'shipment_id IS NOT NULL -- and more'],
    ['a block comment', 'shipment_id /* x */ IS NOT NULL'],
    ['a subquery', 'shipment_id IN (SELECT tracking_num FROM silver.orders)'],
    ['EXISTS', 'EXISTS (SELECT 1)'],
    ['an undeclared column', 'secret_column > 0'],
    ['a parameter marker', 'status = :catalog'],
    ['a backticked name', '`shipment_id` IS NOT NULL'],
    ['an unclosed literal', "status = 'open"],
    ['a secret read', "secret('scope', 'key') IS NOT NULL"],
    ['IDENTIFIER', "IDENTIFIER('status') IS NOT NULL"],
    ['a semicolon in the middle', 'status IS NULL; status IS NOT NULL'],
    ['a backslash that hides the end of a literal from DuckDB', "status = 'a\\' ; DROP TABLE silver.orders; --'"],
    ['a look-alike semicolon (U+037E)', 'shipment_id IS NOT NULL\u037e'],
    ['a no-break space', 'shipment_id\u00a0IS NOT NULL'],
    ['a fullwidth letter', 'shipment_id IS NOT NULL ＯＲ true'],
    ['a control character', 'shipment_id IS NOT NULL\u0001'],
    ['java_method', "java_method('java.lang.Runtime', 'getRuntime') IS NOT NULL"],
    ['reflect', "reflect('java.lang.System', 'exit', 1) IS NULL"],
    ['http_request', "http_request(conn => 'x', method => 'GET', path => '/') IS NOT NULL"],
    ['ai_query', "ai_query('endpoint', status) = 'ok'"],
    ['read_files', "read_files('/Volumes/x') IS NULL"],
    ['a qualified user-defined function', 'shipment_id.evil_udf(status)'],
    ['a catalog function', 'length(status) > 0 AND main.default.evil(status)'],
    ['a name glued to a number', '1secret_column > 0'],
    ['a hex literal', "X'00' IS NOT NULL"],
    ['a pipeline substitution in a literal', "status = '${spark.databricks.x}'"],
    ['a named argument', '=>'],
    ['a trailing operator', 'status IS NOT NULL AND'],
  ])('refuses an expectation with %s', (_what, expr) => {
    const message = refusal(shipments({ expectations: [{ name: 'bad', expr, onViolation: 'drop' }] }));
    expect(message).toContain('field "expectations[0].expr"');
  });

  it.each([
    ["status = r'\\' OR true OR ' = status", 'has a backslash'],
    ["r'x' = status", 'has a prefixed literal'],
  ])("refuses a raw literal (%s) even where r is a column: Databricks reads no escape in it, the checker would have", (expr, problem) => {
    const columns = [{ name: 'shipment_id', type: 'STRING' }, { name: 'status', type: 'STRING' }, { name: 'r', type: 'STRING' }, { name: 'updated_at', type: 'TIMESTAMP' }];
    expect(refusal(shipments({ columns, expectations: [{ name: 'bad', expr, onViolation: 'drop' }] }))).toContain(`field "expectations[0].expr": ${problem}`);
  });

  it('accepts expressions of the row: literals, functions, CASE, CAST, IN lists', () => {
    for (const expr of ["status IN ('open', 'closed')", "length(shipment_id) > 3 AND updated_at >= TIMESTAMP '2020-01-01 00:00:00'", "CASE WHEN status = 'x' THEN true ELSE CAST(status AS STRING) IS NOT NULL END", "status LIKE 'a!%' ESCAPE '!'", "status <> ''", 'length(status) > 1e2 OR length(status) < 10L OR shipment_id.x IS NULL']) {
      expect(() => load(shipments({ expectations: [{ name: 'ok', expr, onViolation: 'warn' }] }))).not.toThrow();
    }
  });

  it.each([
    ['a statement in a type', 'STRING); DROP TABLE silver.orders; --'],
    ['INTERVAL followed by anything', 'INTERVAL DAY); DROP TABLE x; --'],
    ['an INTERVAL without a qualifier', 'INTERVAL'],
    ['GEOMETRY with a statement', 'GEOMETRY(4326); DROP TABLE x'],
    ['GEOMETRY with text', "GEOMETRY('x')"],
    ['a DECIMAL with text', 'DECIMAL(10, x)'],
    ['a STRUCT with a statement', 'STRUCT<a: STRING>); DROP TABLE x; --'],
    ['a STRUCT comment whose backslash ends the literal early', "STRUCT<a: STRING COMMENT 'x\\', b: STRING COMMENT ') ; DROP TABLE t; --'>"],
    ['a STRUCT comment', "STRUCT<a: STRING COMMENT 'a'>"],
    ['a quoted STRUCT field name', 'STRUCT<`a;b`: STRING>'],
    ['a unicode letter', 'STRİNG'],
  ])('refuses a column type with %s', (_what, type) => {
    const message = refusal(shipments({ columns: [{ name: 'shipment_id', type: 'STRING' }, { name: 'status', type }, { name: 'updated_at', type: 'TIMESTAMP' }] }));
    expect(message).toContain('field "columns[1].type"');
  });

  it.each(['INTERVAL DAY TO SECOND', 'INTERVAL YEAR TO MONTH', 'GEOMETRY(4326)', 'GEOGRAPHY(ANY)', 'DECIMAL(12,2)'])('accepts the type %s', (type) => {
    expect(() => load(shipments({ columns: [{ name: 'shipment_id', type: 'STRING' }, { name: 'status', type }, { name: 'updated_at', type: 'TIMESTAMP' }] }))).not.toThrow();
  });

  it.each([["shipment_id; DROP TABLE x"], ['Shipment'], ['a b'], ['`x`']])('refuses the column name %s', (name) => {
    expect(refusal(shipments({ columns: [{ name: 'shipment_id', type: 'STRING' }, { name, type: 'STRING' }, { name: 'updated_at', type: 'TIMESTAMP' }] }))).toContain('field "columns[1].name"');
  });
});

describe('files in config/sources/ that are not sources', () => {
  it.each(['shipments.YAML', 'shipments.yml', 'shipments.yaml.bak', 'Shipments.yaml', '.shipments.yaml', 'notes.txt'])('refuses %s instead of dropping the source from the plan', (name) => {
    const root = mkdtempSync(join(tmpdir(), 'sources-'));
    try {
      mkdirSync(join(root, 'config', 'sources'), { recursive: true });
      writeFileSync(join(root, 'config', 'sources', name), stringify(shipments()));
      expect(() => loadSources(root)).toThrow(new RegExp(`config/sources/${name.replace(/\./g, '\\.')}: source file "${name.replace(/\./g, '\\.')}", field "\\(file name\\)": is not a source file`));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a missing sources folder, which would drop every source from the plan', () => {
    const root = mkdtempSync(join(tmpdir(), 'sources-'));
    try {
      expect(() => loadSources(root)).toThrow('config/sources: sources folder "config/sources", field "(folder)": does not exist');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a folder in it', () => {
    const root = mkdtempSync(join(tmpdir(), 'sources-'));
    try {
      mkdirSync(join(root, 'config', 'sources', 'archive.yaml'), { recursive: true });
      expect(() => loadSources(root)).toThrow(/is not a source file/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/**
 * Where a text's statements end, read as DuckDB reads it (the local engine runs the same files):
 * a quote doubled inside a literal, and no backslash escape, unlike Databricks (splitStatements).
 */
function duckdbStatementCount(sql: string): number {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?/g, (token) => (token.startsWith('-') || token.startsWith('/') ? ' ' : "''"));
  return code.split(';').filter((s) => s.trim() !== '').length;
}

describe('hostile sources, generated (property)', () => {
  beforeAll(() => initSqlParser());

  const piece = fc.constantFrom(
    "'", '"', '`', ';', '\u037e', '\uff1b', '--', '/*', '*/', ')', '(', '\\', "\\'", '\n', '\u0000', '\u0001', '\u00a0', '\u202e', '${', '{{', ':x', '?', 'r\'', "X'", '=>',
    "'); DROP TABLE t; --", 'SELECT 1', 'IDENTIFIER(x)', 'DELETE', 'FROM', 'status', 'shipment_id', 'x', ' ', 'é', '1e', 'reflect(', 'a.b(', 'COMMENT',
  );
  const hostileText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), piece, fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')));
  // text that may well be valid yet holds what would break out of a literal if it were written carelessly
  const nastyText = fc.array(fc.constantFrom(';', '--', '/*', '*/', ')', '(', '"', '`', '${x}', ':p', '?', ' ', 'DELETE FROM silver.orders', 'é', '\u202e', '\n', '\t', 'x'), { maxLength: 6 }).map((parts) => parts.join(''));
  const likely = <T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: hostile });
  const optionName = likely(
    fc.constantFrom('sep', 'quote', 'nullValue', 'lineSep', 'comment', 'emptyValue', 'encoding', 'skipRows', 'maxColumns', 'ignoreLeadingWhiteSpace'),
    fc.oneof(hostileText, fc.constantFrom('header', 'mode', 'schema', 'constructor', '__proto__', 'allowComments')),
  );
  const optionValue = fc.oneof(
    { weight: 6, arbitrary: fc.oneof(nastyText, fc.boolean(), fc.nat({ max: 1000 })) },
    { weight: 2, arbitrary: fc.constantFrom('\\', 'a\\', "\\'", "'", "''", '\u0001') },
    { weight: 1, arbitrary: fc.oneof(hostileText, fc.integer({ min: -3, max: 3 }), fc.double()) },
  );
  const exprPart = fc.oneof(
    fc.constantFrom('status IS NULL', 'shipment_id IS NOT NULL', 'length(status) > 1e2', 'updated_at < current_timestamp()', 'status.x IS NULL'),
    nastyText.map((t) => `status = '${t}'`),
    fc.constantFrom("coalesce(status, '') <> ''", 'NOT (status IS NULL)', 'CAST(status AS INT) BETWEEN 1 AND 10L'),
  );
  const hostileSource = fc.record({
    ingestion: fc.constantFrom('job', 'pipeline'),
    options: fc.dictionary(optionName, optionValue, { maxKeys: 4 }),
    statusName: likely(fc.constant('status'), hostileText),
    expr: likely(fc.array(exprPart, { minLength: 1, maxLength: 3 }).chain((parts) => fc.constantFrom(' AND ', ' OR ').map((op) => parts.join(op))), fc.oneof(hostileText, fc.array(fc.oneof(piece, fc.constantFrom('status', "'a'", '=', 'OR', 'AND', 'length(', ')', '1')), { maxLength: 6 }).map((p) => p.join(' ')))),
    type: likely(fc.constantFrom('STRING', 'BIGINT', 'INTERVAL DAY', 'DECIMAL(10,2)', 'GEOMETRY(4326)', 'ARRAY<STRING>', 'STRUCT<a: STRING, b: INT>'), fc.oneof(hostileText, fc.tuple(hostileText, hostileText).map(([x, y]) => `STRUCT<a: STRING COMMENT '${x}', b: STRING COMMENT '${y}'>`))),
  });
  const templates = new Map(['job', 'pipeline'].map((ingestion) => [ingestion, statementShape(shipments({ ingestion }))]));

  it('refuses it, or generates exactly the statements of the template, as Databricks, the parser and DuckDB read them', () => {
    const seen = { refused: 0, loaded: 0, refusedByCheck: 0 };
    const parsedFiles = bySuiteDepth({ quick: 4, deep: Infinity });
    fc.assert(
      fc.property(hostileSource, ({ ingestion, options, statusName, expr, type }) => {
        const source = shipments(
          { ingestion, expectations: [{ name: 'e', expr, onViolation: 'drop' }], columns: [{ name: 'shipment_id', type: 'STRING' }, { name: statusName, type }, { name: 'updated_at', type: 'TIMESTAMP' }] },
          { options },
        );
        let files: Map<string, string>;
        try {
          files = generatedSqlFiles(load(source));
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          seen.refused++;
          return;
        }
        seen.loaded++;
        expect(statementShape(source)).toEqual(templates.get(ingestion));
        for (const [file, sql] of files) {
          // npm run check parses every generated file and refuses one that does not parse (sql-syntax): such a source is refused there.
          // The parser takes a quarter second a file: a few files in the quick suite, every one in the deep one
          if (seen.loaded <= parsedFiles && checkSqlSyntax(file, sql)) seen.refusedByCheck++;
          expect(duckdbStatementCount(sql)).toBe(splitStatements(sql).length);
        }
      }),
      propertyRuns({ quick: 100, deep: 20_000 }),
    );
    // both outcomes are exercised: the generator writes hostile-but-valid text, and the loader refuses
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.loaded).toBeGreaterThan(0);
    if (process.env.HOSTILE_COUNTS) console.log(JSON.stringify(seen));
  });
});

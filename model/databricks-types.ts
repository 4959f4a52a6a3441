/**
 * The data types Databricks SQL knows, as a checker of a type as written (`DECIMAL(12,2)`,
 * `ARRAY<STRING>`, `MAP<STRING, INT>`, `STRUCT<a: INT, b STRING>`).
 * https://docs.databricks.com/en/sql/language-manual/sql-ref-datatypes.html
 */

const SIMPLE = new Set([
  'BIGINT', 'LONG', 'BINARY', 'BOOLEAN', 'DATE', 'DOUBLE', 'FLOAT', 'REAL', 'INT', 'INTEGER', 'SMALLINT', 'SHORT', 'TINYINT', 'BYTE',
  'STRING', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'TIMESTAMP_NTZ', 'VOID', 'VARIANT', 'DECIMAL', 'DEC', 'NUMERIC', 'GEOGRAPHY', 'GEOMETRY',
]);

/** What DuckDB users write, and what Databricks calls it. */
const DUCKDB_NAMES: Readonly<Record<string, string>> = {
  VARCHAR: 'STRING (or VARCHAR(n) with a length)',
  TEXT: 'STRING',
  CHAR: 'STRING (or CHAR(n) with a length)',
  BPCHAR: 'STRING',
  HUGEINT: 'DECIMAL(38,0)',
  UHUGEINT: 'DECIMAL(38,0)',
  UBIGINT: 'DECIMAL(20,0)',
  UINTEGER: 'BIGINT',
  USMALLINT: 'INT',
  UTINYINT: 'SMALLINT',
  INT8: 'BIGINT',
  INT4: 'INT',
  INT2: 'SMALLINT',
  INT1: 'TINYINT',
  FLOAT8: 'DOUBLE',
  FLOAT4: 'FLOAT',
  BLOB: 'BINARY',
  BYTEA: 'BINARY',
  BOOL: 'BOOLEAN',
  DATETIME: 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP',
  UUID: 'STRING',
  JSON: 'STRING or VARIANT',
  LIST: 'ARRAY<…>',
  TIME: 'STRING or TIMESTAMP',
};

/** Why a type as written is not a Databricks type, or undefined when it is one. */
export function typeProblem(written: string): string | undefined {
  const type = written.trim();
  const generic = /^(ARRAY|MAP|STRUCT)\s*<([\s\S]*)>$/i.exec(type);
  if (generic) {
    const kind = generic[1].toUpperCase();
    const args = splitAngle(generic[2]);
    if (kind === 'ARRAY') return args.length === 1 ? typeProblem(args[0]) : `ARRAY takes one element type, got "${type}"`;
    if (kind === 'MAP') return args.length === 2 ? (typeProblem(args[0]) ?? typeProblem(args[1])) : `MAP takes a key and a value type, got "${type}"`;
    for (const field of args) {
      const member = /^`?([A-Za-z_][A-Za-z0-9_]*)`?\s*:?\s+([\s\S]+?)(\s+NOT\s+NULL)?(\s+COMMENT\s+'[^']*')?$/i.exec(field);
      if (!member) return `STRUCT field "${field}" is not "<name>: <type>"`;
      const problem = typeProblem(member[2]);
      if (problem) return problem;
    }
    return undefined;
  }
  const sized = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(\s*([^)]*)\))?$/.exec(type);
  if (!sized) {
    // INTERVAL { YEAR [TO MONTH] | MONTH | DAY [TO {HOUR|MINUTE|SECOND}] | HOUR [TO {MINUTE|SECOND}] | MINUTE [TO SECOND] | SECOND }
    // https://docs.databricks.com/aws/en/sql/language-manual/data-types/interval-type
    if (/^INTERVAL\b/i.test(type)) return INTERVAL_TYPE.test(type) ? undefined : `"${type}" is not an interval type: INTERVAL YEAR [TO MONTH], INTERVAL MONTH, INTERVAL DAY [TO HOUR|MINUTE|SECOND], INTERVAL HOUR [TO MINUTE|SECOND], INTERVAL MINUTE [TO SECOND] or INTERVAL SECOND`;
    if (/\bWITH\s+TIME\s+ZONE\b/i.test(type)) return `"${type}" is not a Databricks type; use TIMESTAMP (it is with local time zone)`;
    return `"${type}" is not a Databricks type`;
  }
  const name = sized[1].toUpperCase();
  const size = sized[2];
  if (name === 'DECIMAL' || name === 'DEC' || name === 'NUMERIC') {
    if (size === undefined) return undefined;
    const ps = /^(\d+)\s*(?:,\s*(\d+))?$/.exec(size);
    if (!ps) return `${name}(${size}) needs a precision and an optional scale`;
    const precision = Number(ps[1]);
    const scale = Number(ps[2] ?? 0);
    if (precision < 1 || precision > 38) return `${name} precision must be 1 to 38, got ${precision}`;
    if (scale > precision) return `${name} scale ${scale} exceeds its precision ${precision}`;
    return undefined;
  }
  if (name === 'VARCHAR' || name === 'CHAR') return size !== undefined && /^\d+$/.test(size.trim()) ? undefined : `${name} needs a length, ${name}(n); or use ${DUCKDB_NAMES[name]}`;
  // GEOMETRY(srid) and GEOGRAPHY(srid): an SRID number or ANY (https://docs.databricks.com/aws/en/sql/language-manual/data-types/geometry-type)
  if (name === 'GEOMETRY' || name === 'GEOGRAPHY') return size === undefined || /^\s*(\d+|ANY)\s*$/i.test(size) ? undefined : `${name}(${size}) takes an SRID number or ANY`;
  if (SIMPLE.has(name)) return size === undefined ? undefined : `${name} takes no size`;
  if (name === 'INTERVAL') return `${type} is not an interval type: write INTERVAL DAY TO SECOND, INTERVAL YEAR TO MONTH…`;
  const instead = DUCKDB_NAMES[name];
  return instead ? `${sized[1]} is a DuckDB type, not a Databricks one; use ${instead}` : `${sized[1]} is not a Databricks type`;
}

const INTERVAL_TYPE = /^INTERVAL\s+(?:YEAR(?:\s+TO\s+MONTH)?|MONTH|DAY(?:\s+TO\s+(?:HOUR|MINUTE|SECOND))?|HOUR(?:\s+TO\s+(?:MINUTE|SECOND))?|MINUTE(?:\s+TO\s+SECOND)?|SECOND)$/i;

function splitAngle(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<' || text[i] === '(') depth++;
    else if (text[i] === '>' || text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** A type as the Unity Catalog API returns it and the provider compares it: no whitespace after commas. */
export function canonicalTypeProblem(written: string): string | undefined {
  return /\s/.test(written) ? `type "${written}" has whitespace; the API returns "${written.replace(/\s+/g, '').toLowerCase()}"` : undefined;
}

/**
 * Why a type cannot be a column type of a source, or undefined: a Databricks type (typeProblem)
 * written with names, digits, blanks and `< > ( ) , :` only. A source's type is spliced into
 * generated SQL as code (CAST(… AS <type>)) and into the read_files schema literal, so a quote
 * (a STRUCT field's COMMENT '…', a `quoted` field name) or a backslash, which Databricks reads as
 * an escape in a literal, could end the literal or the statement early; a source describes its
 * columns with `comment` instead. https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-datatypes
 */
export function sourceColumnTypeProblem(written: string): string | undefined {
  const stray = /[^A-Za-z0-9_ \t\n\r<>(),:]/.exec(written);
  if (stray) return `"${written}" has ${JSON.stringify(stray[0])}: a source column type is written with names, digits, blanks and < > ( ) , : only (no quoted names or COMMENT in a STRUCT; use the column's comment)`;
  if (/\bCOMMENT\b/i.test(written)) return `"${written}" has a COMMENT: use the column's comment`;
  return typeProblem(written);
}

import { closingParenthesis } from '../sql-lang/sql-text';

/**
 * Small scanners over blanked SQL code (see `blankSql`), shared by the SQL rules: paren
 * depths, keywords at the top level of a statement, and the function calls it makes.
 */

/** Paren depth before each character of the code. */
export function parenDepths(code: string): number[] {
  const depths: number[] = [];
  let depth = 0;
  for (const c of code) {
    if (c === ')') depth = Math.max(0, depth - 1);
    depths.push(depth);
    if (c === '(') depth++;
  }
  return depths;
}

/** Matches of a global pattern that start at the given paren depth (0: the statement's own level). */
export function matchesAtDepth(code: string, pattern: RegExp, depth = 0): RegExpExecArray[] {
  const depths = parenDepths(code);
  return [...code.matchAll(pattern)].filter((m) => depths[m.index] === depth);
}

/** The text between the parenthesis at `open` and its match, and the index just past the match. */
export function parenthesized(code: string, open: number): { inner: string; end: number } | undefined {
  const end = closingParenthesis(code, open);
  return end === -1 ? undefined : { inner: code.slice(open + 1, end - 1), end };
}

/**
 * Splits at commas outside parentheses and the angle brackets of types (ARRAY<…>, MAP<K, V>,
 * STRUCT<…>), keeping each part's index. A `<` or `>` elsewhere is a comparison, not a bracket.
 */
export function splitTopLevel(text: string, offset = 0): { text: string; index: number }[] {
  const parts: { text: string; index: number }[] = [];
  let depth = 0;
  let angles = 0;
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() !== '') parts.push({ text: raw.trim(), index: offset + start + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '<' && (angles > 0 || /\b(ARRAY|MAP|STRUCT)\s*$/i.test(text.slice(0, i)))) angles++;
    else if (c === '>' && angles > 0) angles--;
    else if (c === ',' && depth === 0 && angles === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return parts;
}

/** A subquery: a parenthesis opening on SELECT, WITH, VALUES or FROM. */
export const SUBQUERY = /\(\s*(SELECT|WITH|VALUES|FROM)\b/i;

/** The word before an index (skipping blanks), upper-cased; '' at the start. */
export function wordBefore(code: string, index: number): string {
  const match = /([A-Za-z_][A-Za-z0-9_]*|[^\sA-Za-z0-9_])\s*$/.exec(code.slice(0, index));
  return match ? match[1].toUpperCase() : '';
}

/** Words that may stand before a parenthesis without being a function call. */
const NOT_CALLS = new Set([
  'AND', 'AS', 'BY', 'GROUP', 'INSERT', 'CONSTRAINT', 'CUBE', 'DECIMAL', 'DEC', 'NUMERIC', 'CHAR', 'VARCHAR', 'ELSE', 'EXCEPT', 'EXISTS', 'EXPECT',
  'FILTER', 'FROM', 'GROUPING', 'IDENTIFIER', 'IN', 'INTERSECT', 'INTO', 'JOIN', 'KEYS', 'NOT', 'ON', 'OPTIONS', 'OR', 'OVER',
  'RECURSIVE', 'ROLLUP', 'SELECT', 'SETS', 'STREAM', 'TABLE', 'TBLPROPERTIES', 'THEN', 'UNION', 'USING', 'VALUES', 'VIEW', 'WHEN',
  'WHERE', 'WITH', 'WITHIN', 'CLUSTER', 'PARTITIONED', 'SET', 'LATERAL', 'KEY', 'PRIMARY', 'FOREIGN', 'REFERENCES', 'CHECK',
  'GEOMETRY', 'GEOGRAPHY', 'EXCLUDE', 'COLUMNS',
]);

export interface Call {
  readonly name: string;
  /** Index of the name. */
  readonly index: number;
}

/**
 * The function calls of a statement: a name right before `(`, not qualified (`a.b(` is a
 * user function), not a keyword, not the name of a table or CTE given with its columns
 * (`INSERT INTO t (a, b)`, `WITH t (a) AS (…)`, `AS s (a, b)`).
 */
export function callsIn(code: string): Call[] {
  const calls: Call[] = [];
  for (const match of code.matchAll(/(?<![\w.$:])([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    const name = match[1];
    const upper = name.toUpperCase();
    if (NOT_CALLS.has(upper)) continue;
    const before = wordBefore(code, match.index);
    if (['TABLE', 'INTO', 'VIEW', 'AS', 'WITH', 'RECURSIVE', 'FLOW', ')', 'FUNCTION', 'EXISTS'].includes(before)) continue;
    if (before === ',' && /\bWITH\b/i.test(code.slice(0, match.index))) {
      // `WITH a AS (…), b (x) AS (…)`: a CTE with its columns, when `AS (` follows the parenthesis
      const after = parenthesized(code, match.index + match[0].length - 1);
      if (after && /^\s*AS\s*\(/i.test(code.slice(after.end))) continue;
    }
    calls.push({ name, index: match.index });
  }
  return calls;
}

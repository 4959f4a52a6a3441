import { PLACEHOLDER, maskSql } from './sql-text';

/**
 * Whether a text from a config file is one SQL expression over the given columns, safe to
 * splice into generated SQL (`CONSTRAINT n EXPECT (<expr>)`, `coalesce((<expr>), false)`):
 * single-quoted literals, numbers, the declared columns, operators, function calls and the
 * keywords an expression uses; no statement separator, comment, quoted identifier, parameter
 * marker, subquery or clause, and parentheses that never close what the template opened.
 * Function names are checked against Databricks' built-ins where the generated SQL is
 * checked (the unknown-function rule at synth and in npm run check).
 * Grammar: https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-expression
 */
const EXPRESSION_KEYWORDS = new Set(
  [
    'AND OR NOT IS NULL TRUE FALSE IN BETWEEN LIKE ILIKE RLIKE REGEXP ESCAPE CASE WHEN THEN ELSE END AS DISTINCT FROM_UNKNOWN',
    // types and units of CAST(x AS …), typed literals (DATE '…', TIMESTAMP '…') and INTERVAL literals
    'STRING INT INTEGER BIGINT SMALLINT TINYINT DOUBLE FLOAT DECIMAL BOOLEAN DATE TIMESTAMP TIMESTAMP_NTZ BINARY INTERVAL',
    'YEAR YEARS MONTH MONTHS WEEK WEEKS DAY DAYS HOUR HOURS MINUTE MINUTES SECOND SECONDS TO',
  ]
    .join(' ')
    .split(' '),
);

/** Words that open a clause, a statement or a subquery, or read what no expression of a row should. */
const FORBIDDEN_WORDS = new Set(
  'SELECT FROM WITH WHERE GROUP HAVING ORDER LIMIT UNION INTERSECT EXCEPT JOIN INSERT UPDATE DELETE MERGE DROP CREATE ALTER TRUNCATE GRANT REVOKE USE SET CALL EXECUTE DECLARE VALUES TABLE EXISTS OVER IDENTIFIER SECRET TRY_SECRET'.split(' '),
);

export function expressionProblem(expr: string, columns: readonly string[]): string | undefined {
  if (expr.trim() === '') return 'is empty';
  if (/--|\/\*|\*\//.test(expr.replace(/'(?:[^'\\]|\\.|'')*'/g, "''"))) return 'has a comment: an expression is one line of SQL without comments';
  const { masked, literals } = maskSql(expr);
  for (const literal of literals) {
    if (!literal.startsWith("'")) return `quotes ${literal.slice(0, 20)} with ${literal[0]}: name columns without quotes, and quote strings with '`;
    if (literal.length < 2 || !literal.endsWith("'")) return 'has a string literal that is not closed';
  }
  const code = masked.replace(PLACEHOLDER, ' ');
  const stray = /[;:?${}[\]#@\\"`^~]/.exec(code);
  if (stray) return `has "${stray[0]}", which no expression of a row needs (statement separators, parameter markers and quoted names are refused)`;
  let depth = 0;
  for (const c of masked) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return 'closes a parenthesis it did not open';
  }
  if (depth !== 0) return 'leaves a parenthesis open';
  const known = new Set(columns.map((c) => c.toLowerCase()));
  for (const word of code.matchAll(/(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g)) {
    const upper = word[1].toUpperCase();
    if (FORBIDDEN_WORDS.has(upper)) return `uses ${word[1]}: an expression is checked on one row, without clauses, subqueries or other tables`;
    if (word[2] || EXPRESSION_KEYWORDS.has(upper) || known.has(word[1].toLowerCase())) continue;
    return `refers to "${word[1]}", which is not a column of the source (columns: ${columns.join(', ')})`;
  }
  return undefined;
}

import { PIPELINE_SUBSTITUTION } from '../model/read-files-options';
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

/**
 * Built-in functions that reach outside the row: call Java or HTTP endpoints, models, other
 * tables, files or streams, or read secrets. An expectation is checked on one row; none of
 * these belongs in it. https://docs.databricks.com/aws/en/sql/language-manual/functions/java_method
 * (java_method, reflect), .../functions/http_request, .../functions/ai_query (and the ai_ family),
 * .../functions/vector_search, .../functions/read_files (and the read_ table functions),
 * .../functions/remote_query, .../functions/secret. A qualified name (catalog.schema.function) is a
 * user-defined function, which runs whatever its owner wrote: refused as well.
 */
const OUTSIDE_FUNCTIONS = /^(?:java_method|reflect|try_reflect|http_request|ai_\w*|vector_search|read_\w+|remote_query|secret|try_secret)$/i;

/** The characters of an expression outside its literals: ASCII names, numbers, operators, parentheses, blanks (Spark's lexer has no other). */
const CODE_CHARACTERS = /[^A-Za-z0-9_ \t\n\r.,()+\-*/%<>=!|&]/;

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
    // Databricks reads \' inside a literal as a quote (https://docs.databricks.com/aws/en/sql/language-manual/data-types/string-type),
    // DuckDB as a backslash that closes it: the two engines would disagree on where the literal ends
    if (literal.includes('${')) return `has "\${" in a string literal: ${PIPELINE_SUBSTITUTION}`;
    if (literal.includes('\\')) return 'has a backslash in a string literal, which Databricks reads as an escape and DuckDB does not; write the character itself';
  }
  // r'…' (raw: no escapes), X'…' (binary) and the like lex differently from a plain literal: a space before every literal
  // eslint-disable-next-line no-control-regex -- \u0001 marks where a literal was
  if (/[A-Za-z0-9_]\u0001/.test(masked.replace(PLACEHOLDER, '\u0001'))) return "has a prefixed literal (r'…', X'…'): write a plain string literal, separated from a type name by a space";
  const code = masked.replace(PLACEHOLDER, ' ');
  const stray = /[;:?${}[\]#@\\"`^~]/.exec(code) ?? CODE_CHARACTERS.exec(code);
  if (stray) return `has ${JSON.stringify(stray[0])}${/[^ -~]/.test(stray[0]) ? ` (U+${stray[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})` : ''}, which no expression of a row needs (statement separators, parameter markers, quoted names and characters outside ASCII SQL are refused)`;
  let depth = 0;
  for (const c of masked) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return 'closes a parenthesis it did not open';
  }
  if (depth !== 0) return 'leaves a parenthesis open';
  // named arguments (f(a => 1)) name a function's parameters: none an expectation needs
  if (code.includes('=>')) return 'has "=>", a named argument: an expectation passes arguments by position';
  const bare = masked.replace(PLACEHOLDER, ' 0 ').trim();
  if (/^(?:AND|OR)\b|^[=<>!*/%|&,.]/i.test(bare) || /\b(?:AND|OR|NOT|IS|IN|LIKE|BETWEEN)$|[-=<>!+*/%|&,.(]$/i.test(bare)) return 'starts or ends with an operator: an expectation is one complete expression';
  if (/\.\s*[A-Za-z_]\w*\s*\(/.test(code)) return 'calls a qualified function (catalog.schema.function): an expectation calls built-in functions only';
  // a word glued to a number is one name to Spark's lexer (its identifiers may start with a digit): only number literals start with one
  // https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-literals
  for (const token of code.matchAll(/(?<![A-Za-z0-9_])\d[A-Za-z0-9_.]*/g)) {
    if (!/^(?:\d+\.?\d*)(?:[eE]\d*)?(?:L|S|Y|D|F|BD)?$/i.test(token[0])) return `has "${token[0]}", which is neither a number nor a name of the source`;
  }
  const known = new Set(columns.map((c) => c.toLowerCase()));
  for (const word of code.matchAll(/(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g)) {
    const upper = word[1].toUpperCase();
    if (FORBIDDEN_WORDS.has(upper)) return `uses ${word[1]}: an expression is checked on one row, without clauses, subqueries or other tables`;
    if (word[2] && OUTSIDE_FUNCTIONS.test(word[1])) return `calls ${word[1]}, which reaches outside the row (Java, HTTP, models, tables, files, secrets or session variables)`;
    if (word[2] || EXPRESSION_KEYWORDS.has(upper) || known.has(word[1].toLowerCase())) continue;
    return `refers to "${word[1]}", which is not a column of the source (columns: ${columns.join(', ')})`;
  }
  return undefined;
}

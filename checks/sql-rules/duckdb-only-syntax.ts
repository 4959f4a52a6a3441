import type { SqlRule, SqlRuleHit } from '../sql-rule';
import { matchesAtDepth } from '../sql-scan';

/**
 * Statements and syntax that DuckDB accepts and Databricks SQL does not, each with what to
 * write instead. The Databricks SQL language reference defines what each statement takes:
 * https://docs.databricks.com/en/sql/language-manual/index.html (INSERT: sql-ref-syntax-dml-insert-into.html,
 * star clause: sql-ref-syntax-qry-star.html, UPDATE: delta-update.html, DELETE: delta-delete-from.html,
 * JOIN: sql-ref-syntax-qry-select-join.html, SELECT: sql-ref-syntax-qry-select.html).
 */
const CONSTRUCTS: readonly { readonly pattern: RegExp; readonly what: string; readonly instead: string; readonly topLevel?: boolean }[] = [
  { pattern: /\bINSERT\s+OR\s+(REPLACE|IGNORE)\b/gi, what: 'INSERT OR REPLACE / INSERT OR IGNORE', instead: 'MERGE INTO … WHEN MATCHED … WHEN NOT MATCHED' },
  { pattern: /\bON\s+CONFLICT\b/gi, what: 'ON CONFLICT', instead: 'MERGE INTO' },
  { pattern: /\*\s*EXCLUDE\s*\(/gi, what: 'SELECT * EXCLUDE (…)', instead: 'SELECT * EXCEPT (…)' },
  { pattern: /\bCOLUMNS\s*\(/gi, what: 'the COLUMNS(…) star expression', instead: 'the columns named one by one' },
  { pattern: /\bCREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?MACRO\b/gi, what: 'CREATE MACRO', instead: 'CREATE FUNCTION (a SQL user-defined function)' },
  { pattern: /^\s*FROM\b/gi, what: 'a FROM-first query', instead: 'SELECT … FROM …' },
  { pattern: /^\s*(PRAGMA|ATTACH|DETACH|INSTALL|LOAD|SUMMARIZE|CHECKPOINT|EXPORT\s+DATABASE|IMPORT\s+DATABASE)\b/gi, what: 'a DuckDB statement', instead: 'nothing: Databricks SQL has no such statement' },
  { pattern: /\bCREATE\s+(OR\s+REPLACE\s+)?(SEQUENCE|TYPE)\b/gi, what: 'CREATE SEQUENCE / CREATE TYPE', instead: 'an identity column (GENERATED ALWAYS AS IDENTITY) or a plain type' },
  { pattern: /\b(ASOF|POSITIONAL)\s+(LEFT\s+)?JOIN\b/gi, what: 'ASOF / POSITIONAL JOIN', instead: 'a join on an explicit condition' },
  { pattern: /(?<!\b(LEFT|RIGHT)\s+)\b(ANTI|SEMI)\s+JOIN\b/gi, what: 'a bare ANTI / SEMI JOIN', instead: 'LEFT ANTI JOIN / LEFT SEMI JOIN' },
  { pattern: /\bDISTINCT\s+ON\s*\(/gi, what: 'SELECT DISTINCT ON (…)', instead: 'QUALIFY row_number() OVER (PARTITION BY … ORDER BY …) = 1' },
  { pattern: /\bRETURNING\b/gi, what: 'a RETURNING clause', instead: 'a query after the statement' },
  { pattern: /\bUSING\s+SAMPLE\b/gi, what: 'USING SAMPLE', instead: 'TABLESAMPLE (…)' },
  { pattern: /(?<!\$)\{/g, what: 'a struct literal { … }', instead: 'named_struct(…) or struct(…)' },
  { pattern: /(?<![\w)\]\s])\[|(?<=[(,=]\s*)\[|(?<=\bSELECT\s+)\[/gi, what: 'a list literal [ … ]', instead: 'array(…)' },
];

export const duckdbOnlySyntax: SqlRule = {
  id: 'duckdb-only-syntax',
  description: 'No statement or syntax that only DuckDB understands (INSERT OR REPLACE, SELECT * EXCLUDE, CREATE MACRO, FROM-first queries, list and struct literals, UPDATE … FROM, …).',
  source: 'https://docs.databricks.com/en/sql/language-manual/index.html (the syntax of each statement)',
  appliesTo: ['job', 'pipeline'],
  check({ code }) {
    const hits: SqlRuleHit[] = [];
    for (const { pattern, what, instead } of CONSTRUCTS) {
      for (const match of code.matchAll(pattern)) {
        hits.push({ index: match.index + (match[0].length - match[0].trimStart().length), message: `${what} is DuckDB syntax that Databricks SQL rejects; write ${instead}` });
      }
    }
    // UPDATE … FROM and DELETE … USING join in DuckDB; Databricks updates and deletes one table and joins with MERGE
    if (/^\s*UPDATE\b/i.test(code)) {
      for (const from of matchesAtDepth(code, /\bFROM\b/gi)) hits.push({ index: from.index, message: 'UPDATE … FROM is DuckDB syntax that Databricks SQL rejects; write MERGE INTO … USING … WHEN MATCHED THEN UPDATE' });
    }
    if (/^\s*DELETE\b/i.test(code)) {
      for (const using of matchesAtDepth(code, /\bUSING\b/gi)) hits.push({ index: using.index, message: 'DELETE … USING is DuckDB syntax that Databricks SQL rejects; write MERGE INTO … USING … WHEN MATCHED THEN DELETE' });
    }
    return hits.sort((a, b) => a.index - b.index);
  },
};

import type { SqlRule, SqlRuleHit } from '../sql-rule';
import { parenthesized, wordBefore } from '../sql-scan';

/**
 * Named parameter markers (`:name`) stand for values, never for names: a table, schema or
 * catalog is named with `IDENTIFIER(:name)`. In DDL statements (CREATE, ALTER, …) a marker
 * is allowed only inside IDENTIFIER() (Databricks SQL and Runtime 17.3 LTS and prior).
 * Pipelines bind no markers at all: their SQL reads configuration as `${key}`.
 */
export const MARKER = /(?<![:\w$]):([A-Za-z_]\w*)/g;

const NAME_POSITIONS = new Set(['FROM', 'JOIN', 'INTO', 'TABLE', 'UPDATE', 'VIEW', 'FUNCTION', 'SCHEMA', 'CATALOG', 'DATABASE', 'DESCRIBE', 'USE', 'EXISTS', 'MERGE']);

/** Index ranges of the IDENTIFIER(…) clauses of a statement. */
function identifierClauses(code: string): [number, number][] {
  return [...code.matchAll(/\bIDENTIFIER\s*\(/gi)].flatMap((m) => {
    const inner = parenthesized(code, m.index + m[0].length - 1);
    return inner ? [[m.index, inner.end] as [number, number]] : [];
  });
}

export const markerPlacement: SqlRule = {
  id: 'marker-placement',
  description: 'A parameter marker never names an object (use IDENTIFIER(:name)), appears in DDL only inside IDENTIFIER(), and never in pipeline SQL.',
  source: 'https://docs.databricks.com/en/sql/language-manual/sql-ref-parameter-marker.html; https://docs.databricks.com/en/sql/language-manual/sql-ref-names-identifier-clause.html',
  appliesTo: ['job', 'pipeline'],
  check({ code, kind }) {
    const hits: SqlRuleHit[] = [];
    const ddl = /^\s*(CREATE|ALTER|DROP|COMMENT\s+ON|REPLACE)\b/i.test(code);
    const clauses = identifierClauses(code);
    for (const marker of code.matchAll(MARKER)) {
      const inIdentifier = clauses.some(([from, to]) => marker.index > from && marker.index < to);
      if (kind === 'pipeline') {
        hits.push({ index: marker.index, message: `pipelines bind no parameter markers: read configuration as \${${marker[1]}} instead of :${marker[1]}` });
      } else if (!inIdentifier && NAME_POSITIONS.has(wordBefore(code, marker.index))) {
        hits.push({ index: marker.index, message: `:${marker[1]} stands where an object name is expected; a marker is a value, name the object with IDENTIFIER(:${marker[1]})` });
      } else if (ddl && !inIdentifier) {
        hits.push({ index: marker.index, message: `:${marker[1]} in a DDL statement outside IDENTIFIER(): Databricks SQL rejects parameter markers in DDL except inside IDENTIFIER()` });
      }
    }
    return hits;
  },
};

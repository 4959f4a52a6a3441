import { parenthesized } from './sql-scan';

/**
 * The parts of a pipeline dataset definition, read from blanked code:
 * `CREATE [OR REFRESH] [PRIVATE] (STREAMING TABLE | MATERIALIZED VIEW) name [(specification)] [clauses] [AS query]`.
 * https://docs.databricks.com/aws/en/ldp/developer/ldp-sql-ref-create-streaming-table
 */
export interface DatasetStatement {
  readonly kind: 'streaming' | 'materialized';
  readonly name: string;
  /** Inside of the parenthesized table specification, with its index in the statement. */
  readonly specification?: { readonly inner: string; readonly index: number };
  /** The query after AS, with its index. */
  readonly query?: { readonly code: string; readonly index: number };
}

export function datasetStatement(code: string): DatasetStatement | undefined {
  const head = /^\s*CREATE\s+(OR\s+REFRESH\s+)?(PRIVATE\s+|TEMPORARY\s+)?(STREAMING\s+TABLE|MATERIALIZED\s+VIEW|LIVE\s+TABLE)\s+(?:LIVE\.)?([\w.`]+)\s*/i.exec(code);
  if (!head) return undefined;
  let rest = head[0].length;
  let specification: DatasetStatement['specification'];
  if (code[rest] === '(') {
    const inner = parenthesized(code, rest);
    if (inner) {
      specification = { inner: inner.inner, index: rest + 1 };
      rest = inner.end;
    }
  }
  const as = /\bAS\b/i.exec(code.slice(rest));
  const query = as ? { code: code.slice(rest + as.index + 2), index: rest + as.index + 2 } : undefined;
  return { kind: /STREAMING/i.test(head[3]) ? 'streaming' : 'materialized', name: head[4], specification, query };
}

import type { SqlRule, SqlRuleHit } from '../sql-rule';
import { parenthesized, splitTopLevel } from '../sql-scan';

/**
 * `table_changes(table_str, start [, end])` takes the table's name as a STRING literal: Delta
 * resolves the table while it analyses the query, from the literal itself
 * (CDCNameBased.getTable → getStringLiteral, which throws DELTA_UNSUPPORTED_EXPRESSION "…for
 * table name. The supported types are [StringType literal]"). A bound parameter marker is a
 * literal; an expression is not, `:catalog || '.silver.orders'` and `IDENTIFIER(…)` included.
 * DuckDB, the local engine, would evaluate any expression; pass the whole name as one parameter.
 */
export const tableChangesTableName: SqlRule = {
  id: 'table-changes-table-name',
  description: "table_changes names its table with a STRING literal or one parameter marker, never an expression (:catalog || '.silver.orders', IDENTIFIER(…)).",
  source:
    'https://docs.databricks.com/en/sql/language-manual/functions/table_changes.html (table_str: a STRING literal); delta-io/delta spark/src/main/scala/org/apache/spark/sql/delta/DeltaTableValueFunctions.scala (getStringLiteral → DELTA_UNSUPPORTED_EXPRESSION)',
  appliesTo: ['job', 'pipeline'],
  check({ code }) {
    const hits: SqlRuleHit[] = [];
    for (const call of code.matchAll(/(?<![\w.$])table_changes\s*\(/gi)) {
      const open = call.index + call[0].length - 1;
      const args = parenthesized(code, open);
      if (!args) continue;
      const [table] = splitTopLevel(args.inner, open + 1);
      if (!table) {
        hits.push({ index: call.index, message: 'table_changes needs the table name as its first argument, a STRING literal' });
      } else if (!/^('[^']*'|"[^"]*"|:[A-Za-z_]\w*)$/.test(table.text)) {
        hits.push({
          index: table.index,
          message: `table_changes takes its table name as a STRING literal or one parameter marker, not an expression (DELTA_UNSUPPORTED_EXPRESSION on Databricks): pass the whole name, e.g. table_changes(:source_table, …) with source_table = '<catalog>.<schema>.<table>'`,
        });
      }
    }
    return hits;
  },
};

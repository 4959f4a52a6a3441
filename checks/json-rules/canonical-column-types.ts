import { canonicalTypeProblem, typeProblem } from '../../model/databricks-types';
import type { JsonRule, JsonRuleHit } from '../json-rule';

/**
 * A declared table's column types must be Databricks types written as the API returns
 * them. The provider only lower-cases a type before comparing it with what the API
 * returns (`decimal(12,2)`), so `DECIMAL(12, 2)` shows as a change on every plan after
 * the first apply, and its CustomizeDiff then refuses it: "changing the 'type' of an
 * existing column is not supported".
 */
export const canonicalColumnTypes: JsonRule = {
  id: 'canonical-column-types',
  description: 'Columns of databricks_sql_table have Databricks types without whitespace (as the API returns them).',
  source:
    'databricks/terraform-provider-databricks v1.99.0 catalog/resource_sql_table.go (getColumnType lower-cases only; CustomizeDiff refuses a type change); issue #4192, PR #5432; https://docs.databricks.com/en/sql/language-manual/sql-ref-datatypes.html',
  check(stack) {
    const hits: JsonRuleHit[] = [];
    for (const resource of stack.resources.filter((r) => r.type === 'databricks_sql_table')) {
      for (const column of (resource.config.column ?? []) as { name: string; type?: string }[]) {
        if (typeof column.type !== 'string') continue;
        const problem = typeProblem(column.type) ?? canonicalTypeProblem(column.type);
        if (problem) hits.push({ address: resource.address, message: `column ${column.name} of table ${String(resource.config.name)}: ${problem}` });
      }
    }
    return hits;
  },
};

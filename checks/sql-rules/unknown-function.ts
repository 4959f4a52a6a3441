import { isDatabricksFunction } from '../data/databricks-functions';
import type { SqlRule } from '../sql-rule';
import { callsIn } from '../sql-scan';

/**
 * Every function a statement calls is a Databricks SQL built-in. DuckDB has hundreds that
 * Databricks lacks (list_value, unnest, strftime, epoch_ms, …); calling one passes locally
 * and fails on the warehouse with UNRESOLVED_ROUTINE. The list of built-ins is data with its
 * sources in `checks/data/databricks-functions.json`. A qualified call (`catalog.schema.fn(…)`)
 * is a user-defined function and not checked here.
 */
export const unknownFunction: SqlRule = {
  id: 'unknown-function',
  description: 'Every function called is a Databricks SQL built-in function.',
  source:
    'https://docs.databricks.com/en/sql/language-manual/sql-ref-functions-builtin-alpha.html; apache/spark sql/catalyst/src/main/scala/org/apache/spark/sql/catalyst/analysis/FunctionRegistry.scala (error UNRESOLVED_ROUTINE)',
  appliesTo: ['job', 'pipeline'],
  check({ code }) {
    return callsIn(code)
      .filter((call) => !isDatabricksFunction(call.name))
      .map((call) => ({ index: call.index, message: `${call.name}() is not a Databricks SQL built-in function (UNRESOLVED_ROUTINE on Databricks); use the Databricks equivalent` }));
  },
};

/**
 * The names of the built-in functions Databricks SQL knows, scalar, aggregate, window and
 * table-valued, kept as data in `databricks-functions.json` with the sources it was built from:
 * the Apache Spark function registry (`FunctionRegistry.expressions` and
 * `TableFunctionRegistry.logicalPlans` in FunctionRegistry.scala) plus Databricks' own
 * additions from the Databricks documentation ("Alphabetical list of built-in functions" and
 * the function pages: read_files, event_log, table_changes, ai_*, h3_*, st_*, ...).
 * The JSON's `sources` field gives each source's path or URL and commit or retrieval date.
 *
 * Only names are recorded, not arity or argument shapes: `date_diff` for example is a
 * Databricks function (a synonym of timestampdiff taking an unquoted unit keyword), so DuckDB's
 * `date_diff('day', a, b)` passes a name-only check.
 */
import data from './databricks-functions.json';

/** Lower-case names of every Databricks SQL built-in function. */
export const DATABRICKS_FUNCTIONS: ReadonlySet<string> = new Set(data.functions);

/** Where the list comes from, as recorded in the JSON. */
export const DATABRICKS_FUNCTION_SOURCES: ReadonlyArray<{ what: string; url_or_path: string; commit_or_retrieved: string }> =
  data.sources;

/** Whether `name` is a Databricks SQL built-in function; the comparison ignores case. */
export function isDatabricksFunction(name: string): boolean {
  return DATABRICKS_FUNCTIONS.has(name.toLowerCase());
}

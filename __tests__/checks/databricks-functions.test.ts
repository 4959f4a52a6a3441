import data from '../../checks/data/databricks-functions.json';
import { DATABRICKS_FUNCTIONS, DATABRICKS_FUNCTION_SOURCES, isDatabricksFunction } from '../../checks/data/databricks-functions';

/** Every function the project's SQL under sql/ calls today. */
const CALLED_BY_PROJECT_SQL = [
  'read_files', 'approx_count_distinct', 'max_by', 'min_by', 'count_if', 'timestampdiff', 'datediff',
  'array_join', 'array_sort', 'collect_list', 'collect_set', 'raise_error', 'current_timestamp',
  'current_date', 'make_interval', 'percentile_cont', 'md5', 'concat_ws', 'coalesce', 'nullif', 'split',
  'explode', 'trim', 'upper', 'lower', 'filter', 'array', 'least', 'greatest', 'round', 'startswith',
  'array_contains', 'row_number', 'lead', 'sum', 'count', 'avg', 'min', 'max', 'cast', 'event_log',
  'table_changes', 'try_cast', 'url_decode',
];

/**
 * Functions DuckDB accepts and Databricks SQL rejects. `date_diff` is not here: Databricks
 * documents date_diff (Spark registers it as an alias of datediff since 3.4, and Databricks as
 * a synonym of timestampdiff), so only its DuckDB argument shape, a quoted unit, is foreign.
 */
const DUCKDB_ONLY = [
  'list_value', 'unnest', 'error', 'strftime', 'epoch_ms', 'array_to_string', 'regexp_full_match', 'list',
  'struct_pack', 'string_split', 'list_aggregate', 'read_csv', 'read_csv_auto', 'read_parquet', 'to_minutes',
  'parse_filename', 'json_extract_string',
];

describe('Databricks SQL built-in function list', () => {
  it.each(CALLED_BY_PROJECT_SQL)('knows %s, which the project SQL calls', (name) => {
    expect(isDatabricksFunction(name)).toBe(true);
  });

  it.each(DUCKDB_ONLY)('does not know the DuckDB-only %s', (name) => {
    expect(isDatabricksFunction(name)).toBe(false);
  });

  it('knows date_diff, which Databricks has under the same name as DuckDB', () => {
    expect(isDatabricksFunction('date_diff')).toBe(true);
  });

  it('ignores case', () => {
    expect(isDatabricksFunction('READ_FILES')).toBe(true);
    expect(isDatabricksFunction('Table_Changes')).toBe(true);
    expect(isDatabricksFunction('STRFTIME')).toBe(false);
  });

  it('knows the table-valued functions', () => {
    for (const name of ['read_files', 'table_changes', 'event_log', 'range', 'explode', 'inline', 'stack', 'read_kafka',
      'read_pubsub', 'read_kinesis', 'read_pulsar', 'read_statestore', 'cloud_files_state', 'sql_keywords', 'vector_search']) {
      expect(isDatabricksFunction(name)).toBe(true);
    }
  });

  it('is large', () => {
    expect(DATABRICKS_FUNCTIONS.size).toBeGreaterThan(400);
  });

  it('is stored lower-case, sorted and without duplicates', () => {
    const names = data.functions;
    expect(names.every((n) => /^[a-z_][a-z0-9_]*$/.test(n))).toBe(true);
    expect(names).toEqual([...new Set(names)].sort());
    expect(DATABRICKS_FUNCTIONS.size).toBe(names.length);
  });

  it('records its sources with a commit or a retrieval date', () => {
    expect(DATABRICKS_FUNCTION_SOURCES.length).toBeGreaterThan(0);
    for (const source of DATABRICKS_FUNCTION_SOURCES) {
      expect(source.what).not.toBe('');
      expect(source.url_or_path).not.toBe('');
      expect(source.commit_or_retrieved).not.toBe('');
    }
    expect(DATABRICKS_FUNCTION_SOURCES.some((s) => s.url_or_path.includes('FunctionRegistry.scala') && /^[0-9a-f]{40}$/.test(s.commit_or_retrieved))).toBe(true);
    expect(DATABRICKS_FUNCTION_SOURCES.some((s) => s.url_or_path.includes('sql-ref-functions-builtin-alpha'))).toBe(true);
  });
});

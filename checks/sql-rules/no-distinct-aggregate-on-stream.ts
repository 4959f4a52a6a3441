import { datasetStatement } from '../pipeline-statement';
import type { SqlRule } from '../sql-rule';

/**
 * Structured Streaming refuses distinct aggregations on a stream ("Distinct aggregations are
 * not supported on streaming DataFrames/Datasets"): COUNT(DISTINCT …) in a streaming table's
 * query fails the update. approx_count_distinct is the streaming-compatible form.
 */
export const noDistinctAggregateOnStream: SqlRule = {
  id: 'no-distinct-aggregate-on-stream',
  description: 'No COUNT(DISTINCT …) or other DISTINCT aggregate in a streaming table; use approx_count_distinct.',
  source:
    'apache/spark sql/catalyst/src/main/scala/org/apache/spark/sql/catalyst/analysis/UnsupportedOperationChecker.scala ("Distinct aggregations are not supported on streaming DataFrames/Datasets"); https://spark.apache.org/docs/latest/streaming/apis-on-dataframes-and-datasets.html#unsupported-operations',
  appliesTo: ['pipeline'],
  check({ code }) {
    const dataset = datasetStatement(code);
    if (dataset?.kind !== 'streaming' || !dataset.query) return [];
    return [...dataset.query.code.matchAll(/\b(\w+)\s*\(\s*DISTINCT\b/gi)].map((m) => ({
      index: dataset.query!.index + m.index,
      message: `${m[1]}(DISTINCT …) in streaming table ${dataset.name}: Structured Streaming refuses distinct aggregations on a stream; use ${m[1].toLowerCase() === 'count' ? 'approx_count_distinct(…)' : 'a materialized view'}`,
    }));
  },
};

import { datasetStatement } from '../pipeline-statement';
import type { SqlRule } from '../sql-rule';

/** A streaming read: STREAM(x), STREAM x, STREAM read_files(…), read_stream(…) or cloud_files(…). */
const STREAMING_READ = /\bSTREAM\s*\(|\bSTREAM\s+[A-Za-z_`]|\bread_stream\s*\(|\bcloud_files\s*\(/i;

/**
 * A streaming table is defined by a streaming relation and a materialized view by a batch
 * one; otherwise the update fails with INVALID_FLOW_QUERY_TYPE
 * (BATCH_RELATION_FOR_STREAMING_TABLE / STREAMING_RELATION_FOR_MATERIALIZED_VIEW).
 */
export const streamingSource: SqlRule = {
  id: 'streaming-source',
  description: 'A streaming table reads a streaming source (STREAM(...), STREAM read_files(...)); a materialized view reads none.',
  source: 'https://docs.databricks.com/aws/error-messages/invalid-flow-query-type-error-class',
  appliesTo: ['pipeline'],
  check({ code }) {
    const dataset = datasetStatement(code);
    if (!dataset?.query) return [];
    const streaming = STREAMING_READ.exec(dataset.query.code);
    if (dataset.kind === 'streaming' && !streaming) {
      return [{ index: dataset.query.index, message: `streaming table ${dataset.name} reads no streaming source (BATCH_RELATION_FOR_STREAMING_TABLE): wrap its source in STREAM(...), or read files with STREAM read_files(...)` }];
    }
    if (dataset.kind === 'materialized' && streaming) {
      return [{ index: dataset.query.index + streaming.index, message: `materialized view ${dataset.name} reads a stream (STREAMING_RELATION_FOR_MATERIALIZED_VIEW): read the table without STREAM, or make it a streaming table` }];
    }
    return [];
  },
};

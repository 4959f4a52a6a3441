import type { DeclaredTable } from './declared-tables';
import { sourceTables } from './naming';
import type { Source } from './source';

/**
 * The staging table's column for what a `schemaDrift: rescue` or `quarantine` source's files hold beyond its
 * declared columns: read_files' rescuedDataColumn, named as Databricks names it by default.
 * https://docs.databricks.com/aws/en/ingestion/cloud-object-storage/auto-loader/schema#rescue
 */
export const RESCUED_DATA_COLUMN = '_rescued_data';

/** Columns the load adds to a source's tables, which a source column must not be named (besides its mergedAtColumn). */
export const BOOKKEEPING_COLUMNS: readonly string[] = ['source_file', 'row_hash', 'ingested_at', 'stage_seq', 'broken_rules', 'quarantined_at', 'run_id', '__start_at', '__end_at', RESCUED_DATA_COLUMN];

/**
 * The tables a job-ingested source declares, from its columns: the staging table in bronze
 * (every staged row with its file, hash, stage sequence and time), the current table in
 * silver (SCD1: the latest version per key; SCD2: every version with __start_at/__end_at),
 * and the quarantine in bronze (rows a drop expectation rejected, with the rules they broke),
 * kept out of silver so that readers of curated data never see raw or rejected rows.
 * Columns are only ever appended, so a table's columns keep their positions.
 */
export function sourceTableSpecs(source: Source): DeclaredTable[] {
  const names = sourceTables(source.name);
  const keyed = new Set([...source.key, source.sequenceBy]);
  const columns = source.columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment ?? `${c.name} as the source delivers it.` }));
  const raw = columns.map((c) => ({ ...c, nullable: true }));
  return [
    {
      layer: 'bronze',
      spec: {
        name: names.staging,
        comment: `${source.name} rows as staged from the landing files, each file once.`,
        columns: [
          ...raw,
          { name: 'source_file', type: 'STRING', nullable: false, comment: 'Landing file the row came from.' },
          { name: 'row_hash', type: 'STRING', nullable: false, comment: 'Hash of the row, the last tie-break of the merge.' },
          { name: 'ingested_at', type: 'TIMESTAMP', nullable: false, comment: 'When the row was staged.' },
          { name: 'stage_seq', type: 'BIGINT', nullable: true, comment: 'Stage run that staged the row (ops.ingested_files); merges read only pending ones.' },
          ...(source.schemaDrift !== 'fail'
            ? [{ name: RESCUED_DATA_COLUMN, type: 'STRING', nullable: true, comment: "JSON of the row's values the declared columns did not take (columns the source does not declare, or that did not parse), with the file path." }]
            : []),
        ],
        clusterKeys: ['source_file'],
      },
    },
    {
      layer: 'silver',
      spec: {
        name: names.current,
        comment: source.scd === 1 ? `The latest version of every ${source.name} row, keyed on ${source.key.join(', ')}.` : `Every version of every ${source.name} row (SCD type 2), keyed on ${source.key.join(', ')} and ${source.sequenceBy}.`,
        columns: [
          ...source.columns.map((c) => ({ name: c.name, type: c.type, nullable: keyed.has(c.name) ? false : c.nullable, comment: c.comment ?? `${c.name} as the source delivers it.` })),
          { name: 'source_file', type: 'STRING', nullable: false, comment: source.scd === 1 ? 'Landing file of the latest version.' : 'Landing file of the version.' },
          { name: 'row_hash', type: 'STRING', nullable: false, comment: 'Hash of the source row.' },
          ...(source.scd === 2
            ? [
                { name: '__start_at', type: source.columns.find((c) => c.name === source.sequenceBy)!.type, nullable: false, comment: `When the version starts (its ${source.sequenceBy}).` },
                { name: '__end_at', type: source.columns.find((c) => c.name === source.sequenceBy)!.type, nullable: true, comment: 'When the next version starts; NULL on the current version.' },
              ]
            : []),
          { name: source.mergedAtColumn, type: 'TIMESTAMP', nullable: false, comment: 'When the merge last changed the row; incremental extracts window on it.' },
        ],
        clusterKeys: [...source.key],
        changeDataFeed: source.changeDataFeed ? { key: [...source.key] } : undefined,
      },
    },
    {
      layer: 'bronze',
      spec: {
        name: names.quarantine,
        comment: `${source.name} rows a drop expectation rejected, with the rules they broke.`,
        columns: [
          ...raw,
          { name: 'source_file', type: 'STRING', nullable: false, comment: 'Landing file the row came from.' },
          { name: 'row_hash', type: 'STRING', nullable: false, comment: 'Hash of the row.' },
          { name: 'broken_rules', type: 'ARRAY<STRING>', nullable: false, comment: 'The expectations the row broke.' },
          { name: 'quarantined_at', type: 'TIMESTAMP', nullable: false, comment: 'When the row was quarantined.' },
          { name: 'run_id', type: 'STRING', nullable: true, comment: 'Job run that quarantined it.' },
        ],
        clusterKeys: ['source_file'],
      },
    },
  ];
}

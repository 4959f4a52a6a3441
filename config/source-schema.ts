import { z } from 'zod/v4';
import { sourceColumnTypeProblem } from '../model/databricks-types';

/**
 * The schema of a source file (config/sources/<name>.yaml), the one validator: sources are
 * checked with it when they load, and `npm run generate` writes config/sources/source.schema.json
 * from it (z.toJSONSchema) so editors complete and check the YAML as it is typed.
 */

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,99}$/, 'must be a lower-case identifier: letters, digits and underscores');

const column = z
  .object({
    name: identifier.describe('Column name.'),
    type: z
      .string()
      .check((ctx) => {
        const problem = sourceColumnTypeProblem(ctx.value);
        if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: `must be a Databricks SQL type, e.g. STRING, BIGINT, TIMESTAMP, DECIMAL(12,2): ${problem} (https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-datatypes)` });
      })
      .describe('A Databricks SQL type, e.g. STRING, BIGINT, TIMESTAMP, DECIMAL(12,2).'),
    nullable: z.boolean().default(true).describe('Whether the column may be NULL.'),
    comment: z.string().optional().describe('Column comment.'),
  })
  .strict();

const expectation = z
  .object({
    name: identifier.describe('Expectation name, as metrics and quarantine report it.'),
    expr: z.string().min(1).describe('A SQL boolean expression over the columns, e.g. "amount > 0".'),
    onViolation: z.enum(['drop', 'fail', 'warn']).default('warn').describe('drop: to quarantine; fail: the load fails; warn: kept and counted.'),
  })
  .strict();

const trigger = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('file-arrival'),
      minTimeBetweenTriggersSeconds: z.number().int().min(60).optional().describe('Least time between two runs (Databricks: at least 60).'),
      waitAfterLastChangeSeconds: z.number().int().min(60).optional().describe('Quiet time after the last new file before a run (Databricks: at least 60).'),
    })
    .strict()
    .describe('Run when files land in the incoming folder.'),
  z.object({ type: z.literal('schedule'), quartzCron: z.string().min(1).describe('Quartz cron, seconds first, e.g. "0 0 2 * * ?".') }).strict(),
  z.object({ type: z.literal('on-demand') }).strict().describe('No trigger of its own: another job runs the ingestion job (a job task), or someone does. Job ingestion only.'),
]);

export const sourceSchema = z
  .object({
    name: identifier.describe('Source name: names the tables (<name>_staging, <name>, <name>_quarantine) and the job (ingest-<name>).'),
    description: z.string().default('').describe('What the source is.'),
    landing: z
      .object({
        volume: identifier.describe('Landing volume the files arrive in.'),
        format: z.enum(['csv', 'json', 'parquet']).describe('File format.'),
        options: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])).default({}).describe('Reader options for read_files, e.g. { delimiter: ";" }.'),
      })
      .strict(),
    columns: z.array(column).min(1, 'needs at least one column'),
    key: z.array(identifier).min(1, 'needs at least one key column'),
    sequenceBy: identifier.describe('Column ordering the versions of a key (latest wins).'),
    scd: z.union([z.literal(1), z.literal(2)]).default(1).describe('1: latest version per key; 2: full history.'),
    expectations: z.array(expectation).default([]),
    ingestion: z.enum(['job', 'pipeline']).default('job').describe('job: stage, merge, archive; pipeline: a declarative pipeline.'),
    trigger: trigger.default({ type: 'file-arrival' }),
    changeDataFeed: z.boolean().default(false).describe('Record the changes of the current table (Delta Change Data Feed) for incremental extracts by version (table_changes).'),
    mergedAtColumn: identifier.default('merged_at').describe('Column of the current table holding when the merge last changed a row.'),
    schemaDrift: z
      .enum(['fail', 'quarantine', 'rescue'])
      .default('fail')
      .describe(
        'A CSV file whose header is not the declared columns in order. fail: the run fails naming the file and both headers. quarantine: none of its rows are loaded, ops.ingested_files.schema_drift names the difference, the other files load. rescue: columns are matched by name, and values of undeclared columns go to _rescued_data in the staging table. Job ingestion of CSV only.',
      ),
  })
  .strict();

export type SourceInput = z.input<typeof sourceSchema>;

/** The JSON Schema editors use for config/sources/*.yaml, derived from the validator. */
export function sourceJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(sourceSchema, { io: 'input' }), $id: 'https://lakehouse-workflows/source.schema.json', title: 'Lakehouse source' };
}

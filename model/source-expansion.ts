import type { DeclaredTable } from './declared-tables';
import { generatedSqlFolder, ingestionName, ingestionSchema, sourceTables } from './naming';
import type { Pipeline } from './pipeline';
import type { Source } from './source';
import { sourceTableSpecs } from './source-tables';
import type { Workflow } from './workflow';

/**
 * What a source becomes: its landing volume, its tables, and the workflow or pipeline that
 * ingests it. Pure, so the stacks, the local runner, the generator and the checks all expand
 * a source the same way.
 */

const layerParameter = (layer: 'bronze' | 'silver' | 'ops') => ({ name: layer, default: `{{env.${layer}}}`, description: `The ${layer} schema, as catalog.schema.` });

/** The job of a job-ingested source: stage the new files, merge them (expectations, quarantine), archive them. */
export function sourceWorkflow(source: Source): Workflow {
  const tables = sourceTables(source.name);
  const sql = generatedSqlFolder(source.name);
  const volume = source.landing.volume;
  const schemas = { bronze: '{{job.parameters.bronze}}', silver: '{{job.parameters.silver}}', ops: '{{job.parameters.ops}}' };
  return {
    name: ingestionName(source.name),
    description: `${source.description ? `${source.description} ` : ''}Stages new ${source.name} files (each file once), merges them into silver ${tables.current} (SCD type ${source.scd}, the expectations applied, rejected rows to bronze ${tables.quarantine}) and archives them.`.trim(),
    parameters: [
      layerParameter('bronze'),
      layerParameter('silver'),
      layerParameter('ops'),
      { name: 'landing_path', default: `{{env.volume.${volume}.incoming}}`, description: `Folder that receives the ${source.name} files.` },
      { name: 'archive_path', default: `{{env.volume.${volume}.archive}}`, description: 'Folder the loaded files move to.' },
    ],
    landingVolume: volume,
    trigger: source.trigger.type === 'file-arrival' ? { ...source.trigger, volume } : source.trigger.type === 'schedule' ? { type: 'schedule', quartzCron: source.trigger.quartzCron } : undefined,
    writes: [`bronze.${tables.staging}`, `bronze.${tables.quarantine}`, `silver.${tables.current}`, 'ops.ingested_files', 'ops.expectation_results'],
    tasks: [
      {
        key: 'stage',
        description: `Stage the new files into bronze ${tables.staging}.`,
        asset: { kind: 'sql', file: `${sql}/stage.sql` },
        parameters: { bronze: schemas.bronze, ops: schemas.ops, source: source.name, landing_path: '{{job.parameters.landing_path}}' },
        maxRetries: 2,
      },
      {
        key: 'merge',
        description: `Merge the staged rows into silver ${tables.current}, the expectations applied.`,
        asset: { kind: 'sql', file: `${sql}/merge.sql` },
        parameters: { ...schemas, source: source.name, run_id: '{{job.run_id}}' },
        dependsOn: ['stage'],
        maxRetries: 2,
      },
      {
        key: 'archive',
        description: 'Move the merged files from the landing folder to the archive folder.',
        asset: { kind: 'notebook', file: 'notebooks/archive_processed_files.py' },
        parameters: { landing_path: '{{job.parameters.landing_path}}', archive_path: '{{job.parameters.archive_path}}', ledger_table: `${schemas.ops}.ingested_files`, source: source.name },
        dependsOn: ['merge'],
        maxRetries: 2,
      },
    ],
  };
}

/** The pipeline of a pipeline-ingested source, refreshed when files land or on its schedule. */
export function sourcePipeline(source: Source): Pipeline {
  return {
    name: ingestionName(source.name),
    description: `${source.description ? `${source.description} ` : ''}Streams the ${source.name} files into ${source.name}_raw, checks them into ${source.name}_clean (rejected rows in ${source.name}_quarantine) and applies them to ${source.name} by AUTO CDC (SCD type ${source.scd}).`.trim(),
    schema: ingestionSchema(source.name),
    sourceFiles: [`${generatedSqlFolder(source.name)}/pipeline.sql`],
    configuration: { landing_path: `{{env.volume.${source.landing.volume}.incoming}}` },
    ...(source.trigger.type === 'schedule' ? { refreshSchedule: source.trigger.quartzCron } : { refreshOnFileArrival: source.landing.volume }),
  };
}

export interface ExpandedSources {
  readonly workflows: readonly Workflow[];
  readonly pipelines: readonly Pipeline[];
  /** Tables of the job-ingested sources. */
  readonly tables: readonly DeclaredTable[];
  /** Landing volumes the sources need, by name. */
  readonly volumes: readonly string[];
}

export function expandSources(sources: readonly Source[]): ExpandedSources {
  const jobs = sources.filter((s) => s.ingestion === 'job');
  return {
    workflows: jobs.map(sourceWorkflow),
    pipelines: sources.filter((s) => s.ingestion === 'pipeline').map(sourcePipeline),
    tables: jobs.flatMap(sourceTableSpecs),
    volumes: [...new Set(sources.map((s) => s.landing.volume))],
  };
}

import { Construct } from 'constructs';
import { NamingContext, pipelineEventLogTable, resolvePlaceholders, volumeKey } from '../model/naming';
import type { Pipeline } from '../model/pipeline';
import { DagJob } from './dag-job';
import { DltPipeline } from './dlt-pipeline';
import type { JobDefaults } from './job-defaults';
import { JobTriggerProps } from './job-trigger';
import { LakehouseCatalog } from './lakehouse-catalog';
import { LandingVolume } from './landing-volume';
import { WorkspaceAssets } from './workspace-assets';

export interface LakehousePipelinesProps {
  readonly pipelines: readonly Pipeline[];
  readonly catalog: LakehouseCatalog;
  readonly assets: WorkspaceAssets;
  readonly defaults: JobDefaults;
  /** Resolves the `{{env.…}}` placeholders of configuration values. */
  readonly naming: NamingContext;
  /** Volumes of the stack by `<layer>.<name>`, for refreshes started by file arrival. */
  readonly volumes: ReadonlyMap<string, LandingVolume>;
  /** Development mode (reused compute, no retries): development environments only. @default false */
  readonly development?: boolean;
}

/**
 * The declarative pipelines of one environment, each publishing to a schema of its own,
 * with a job that refreshes it on its schedule or when files land (paused or not per the
 * environment's policy).
 */
export class LakehousePipelines extends Construct {
  /** Pipelines by name. */
  readonly pipelines: ReadonlyMap<string, DltPipeline>;
  /** The job that refreshes each pipeline, by pipeline name. */
  readonly refreshJobs: ReadonlyMap<string, DagJob>;

  constructor(scope: Construct, id: string, props: LakehousePipelinesProps) {
    super(scope, id);
    const { defaults } = props;
    const refreshJobs = new Map<string, DagJob>();
    this.refreshJobs = refreshJobs;
    this.pipelines = new Map(
      props.pipelines.map((pipeline) => {
        const schema = props.catalog.addSchema(pipeline.schema, `Tables of the ${pipeline.name} pipeline.`);
        const configuration = Object.fromEntries(Object.entries(pipeline.configuration).map(([key, value]) => [key, resolvePlaceholders(value, props.naming)]));
        // every folder of a stack's volume the pipeline reads exists from deploy on: read_files
        // fails on a missing path, so a first update before any file lands would fail
        for (const value of Object.values(configuration)) {
          const volume = [...props.volumes.values()].find((v) => value.startsWith(`${v.path}/`) && value.endsWith('/'));
          volume?.ensureFolder(value);
        }
        const deployed = new DltPipeline(this, pipeline.name, {
          name: `${defaults.namePrefix}${pipeline.name}`,
          catalog: props.catalog.catalogName,
          schema: schema.name,
          sourceFiles: pipeline.sourceFiles.map((file) => props.assets.use(file)),
          configuration,
          development: props.development ?? false,
          onFailureEmails: defaults.onFailureEmails,
          runAsServicePrincipal: defaults.runAsServicePrincipal,
          tags: { ...defaults.tags, pipeline: pipeline.name },
          eventLog: { catalog: props.catalog.catalogName, schema: props.catalog.schemaName('ops'), name: pipelineEventLogTable(pipeline.name) },
        });
        const refresh = new DagJob(this, `${pipeline.name}-refresh`, {
          name: `${defaults.namePrefix}refresh ${pipeline.name}`,
          description: `Refreshes the ${pipeline.name} pipeline ${pipeline.refreshOnFileArrival ? `when files land in the ${pipeline.refreshOnFileArrival} volume` : 'on its schedule'}.`,
          tasks: [{ key: 'refresh', kind: 'pipeline', pipelineId: deployed.pipelineId, maxRetries: 1 }],
          trigger: this.refreshTrigger(pipeline, props.volumes),
          paused: defaults.paused,
          timeoutSeconds: 7200,
          tags: { ...defaults.tags, pipeline: pipeline.name },
          onFailureEmails: defaults.onFailureEmails,
          onFailureWebhookIds: defaults.onFailureWebhookIds,
          runAsServicePrincipal: defaults.runAsServicePrincipal,
        });
        refreshJobs.set(pipeline.name, refresh);
        // the refresh job's identity starts the updates
        if (refresh.runAs) deployed.grantRun(refresh.runAs);
        return [pipeline.name, deployed];
      }),
    );
  }

  private refreshTrigger(pipeline: Pipeline, volumes: ReadonlyMap<string, LandingVolume>): JobTriggerProps {
    if (pipeline.refreshOnFileArrival !== undefined) {
      const volume = volumes.get(volumeKey(pipeline.refreshOnFileArrival));
      if (!volume) throw new Error(`${this.node.path}: pipeline "${pipeline.name}" refreshes on files landing in volume "${pipeline.refreshOnFileArrival}", which the environment does not declare`);
      return { type: 'file-arrival', location: volume };
    }
    return { type: 'schedule', quartzCron: pipeline.refreshSchedule! };
  }
}

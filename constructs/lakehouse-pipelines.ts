import { Construct } from 'constructs';
import type { Environment } from '../config/load-config';
import type { Pipeline } from '../model/pipeline';
import { DagJob } from './dag-job';
import { DltPipeline } from './dlt-pipeline';
import { LakehouseCatalog } from './lakehouse-catalog';
import { WorkspaceAssets } from './workspace-assets';

export interface LakehousePipelinesProps {
  readonly environment: Environment;
  readonly pipelines: readonly Pipeline[];
  readonly catalog: LakehouseCatalog;
  readonly assets: WorkspaceAssets;
}

/**
 * The declarative pipelines of one environment, each publishing to a schema of its own,
 * in development mode only in a development environment, with a job that refreshes it on
 * its schedule (paused or not per the environment's policy).
 */
export class LakehousePipelines extends Construct {
  /** Pipelines by name. */
  readonly pipelines: ReadonlyMap<string, DltPipeline>;

  constructor(scope: Construct, id: string, props: LakehousePipelinesProps) {
    super(scope, id);
    const env = props.environment;
    const runAs = env.runAs?.servicePrincipal;
    this.pipelines = new Map(
      props.pipelines.map((pipeline) => {
        const schema = props.catalog.addSchema(pipeline.schema, `Tables of the ${pipeline.name} pipeline.`);
        const deployed = new DltPipeline(this, pipeline.name, {
          name: `[${env.name}] ${pipeline.name}`,
          catalog: props.catalog.catalogName,
          schema: schema.name,
          sourceFiles: pipeline.sourceFiles.map((file) => props.assets.use(file)),
          configuration: Object.fromEntries(Object.entries(pipeline.configuration).map(([key, value]) => [key, value.split('{{env.catalog}}').join(env.catalog.name)])),
          development: env.mode === 'development',
          onFailureEmails: env.notifications.onFailureEmails,
          runAsServicePrincipal: runAs,
          viewers: env.principals.readers,
          operators: [...env.principals.operators, ...(runAs ? [runAs] : [])],
          tags: { ...env.tags, pipeline: pipeline.name },
        });
        new DagJob(this, `${pipeline.name}-refresh`, {
          name: `[${env.name}] refresh ${pipeline.name}`,
          description: `Refreshes the ${pipeline.name} pipeline on its schedule.`,
          tasks: [{ key: 'refresh', kind: 'pipeline', pipelineId: deployed.pipelineId, maxRetries: 1 }],
          trigger: { type: 'schedule', quartzCron: pipeline.refreshSchedule },
          paused: env.pauseTriggers,
          timeoutSeconds: 7200,
          tags: { ...env.tags, pipeline: pipeline.name },
          onFailureEmails: env.notifications.onFailureEmails,
          onFailureWebhookIds: env.notifications.onFailureWebhookIds,
          runAsServicePrincipal: runAs,
        });
        return [pipeline.name, deployed];
      }),
    );
  }
}

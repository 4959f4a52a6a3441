import { Construct } from 'constructs';
import type { Environment } from '../config/load-config';
import { workspaceRoot } from '../model/naming';
import type { Workflow } from '../model/workflow';
import { DeltaTable } from './delta-table';
import { LandingVolume } from './landing-volume';
import { WorkflowJob } from './workflow-job';
import { WorkspaceAssets } from './workspace-assets';

export interface LakehouseJobsProps {
  readonly environment: Environment;
  readonly workflows: readonly Workflow[];
  /** Folder the asset files are read from. */
  readonly projectRoot: string;
  readonly warehouseId: string;
  readonly volumes: ReadonlyMap<string, LandingVolume>;
  readonly tables: ReadonlyMap<string, DeltaTable>;
}

/**
 * The jobs of one environment: every workflow deployed as a job, and the SQL files and
 * notebooks they run uploaded under the environment's own workspace folder.
 */
export class LakehouseJobs extends Construct {
  readonly assets: WorkspaceAssets;
  /** Jobs by workflow name. */
  readonly jobs: ReadonlyMap<string, WorkflowJob>;

  constructor(scope: Construct, id: string, props: LakehouseJobsProps) {
    super(scope, id);
    this.assets = new WorkspaceAssets(this, 'Assets', { root: workspaceRoot(props.environment.name), baseDir: props.projectRoot });
    this.jobs = new Map(
      props.workflows.map((workflow) => [
        workflow.name,
        new WorkflowJob(this, workflow.name, {
          workflow,
          environment: props.environment,
          assets: this.assets,
          warehouseId: props.warehouseId,
          volumes: props.volumes,
          tables: props.tables,
        }),
      ]),
    );
  }
}

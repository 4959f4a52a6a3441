import { Construct } from 'constructs';
import type { NamingContext } from '../model/naming';
import type { Workflow } from '../model/workflow';
import { topologicalOrder } from '../model/task-graph';
import { DeltaTable } from './delta-table';
import type { JobDefaults } from './job-defaults';
import { LandingVolume } from './landing-volume';
import { WorkflowJob } from './workflow-job';
import { WorkspaceAssets } from './workspace-assets';
import type { WorkspaceFolder } from './workspace-folder';

export interface LakehouseJobsProps {
  readonly workflows: readonly Workflow[];
  readonly defaults: JobDefaults;
  /** Resolves the `{{env.…}}` placeholders of parameter defaults. */
  readonly naming: NamingContext;
  /** Workspace folder the SQL files and notebooks are uploaded under. */
  readonly workspaceRoot: string;
  /** The stack's folder holding `workspaceRoot`, whose permissions it sets. @default none (a developer's home folder) */
  readonly workspaceFolder?: WorkspaceFolder;
  /** Folder the asset files are read from. */
  readonly projectRoot: string;
  readonly warehouseId: string;
  /** Volumes of the stack, by `<layer>.<name>`. */
  readonly volumes: ReadonlyMap<string, LandingVolume>;
  /** Tables declared by the stack, by `<layer>.<table>`. */
  readonly tables: ReadonlyMap<string, DeltaTable>;
}

/**
 * The jobs of one environment: every workflow deployed as a job, and the SQL files and
 * notebooks they (and the pipelines) run, uploaded under the environment's workspace folder.
 */
export class LakehouseJobs extends Construct {
  readonly assets: WorkspaceAssets;
  /** Jobs by workflow name. */
  readonly jobs: ReadonlyMap<string, WorkflowJob>;

  constructor(scope: Construct, id: string, props: LakehouseJobsProps) {
    super(scope, id);
    this.assets = new WorkspaceAssets(this, 'Assets', { root: props.workspaceRoot, baseDir: props.projectRoot, folder: props.workspaceFolder });
    const shared = { defaults: props.defaults, naming: props.naming, assets: this.assets, warehouseId: props.warehouseId, volumes: props.volumes, tables: props.tables };
    // a job that runs another job is declared after it, for its id; the ids stay the names
    const jobs = new Map<string, WorkflowJob>();
    for (const workflow of jobOrder(props.workflows)) jobs.set(workflow.name, new WorkflowJob(this, workflow.name, { ...shared, workflow, jobs }));
    this.jobs = new Map(props.workflows.map((w) => [w.name, jobs.get(w.name)!]));
  }
}

/** Workflows ordered so that a workflow comes after every workflow its `job` tasks run. */
function jobOrder(workflows: readonly Workflow[]): Workflow[] {
  if (workflows.length === 0) return [];
  const names = new Set(workflows.map((w) => w.name));
  const nodes = workflows.map((w) => ({ key: w.name, dependsOn: w.tasks.flatMap((t) => (t.asset.kind === 'job' && names.has(t.asset.workflow) ? [t.asset.workflow] : [])), workflow: w }));
  return topologicalOrder(nodes, 'jobs running other jobs').map((n) => n.workflow);
}

import { Construct } from 'constructs';
import { NamingContext, resolvePlaceholders, volumeKey } from '../model/naming';
import type { Workflow, WorkflowTask } from '../model/workflow';
import { DagJob, DagTask } from './dag-job';
import { DeltaTable } from './delta-table';
import type { JobDefaults } from './job-defaults';
import { JobTriggerProps } from './job-trigger';
import { LandingVolume } from './landing-volume';
import { WorkspaceAssets } from './workspace-assets';

export interface WorkflowJobProps {
  readonly workflow: Workflow;
  readonly defaults: JobDefaults;
  /** Resolves the `{{env.…}}` placeholders of parameter defaults. */
  readonly naming: NamingContext;
  readonly assets: WorkspaceAssets;
  readonly warehouseId: string;
  /** Volumes of the stack, by `<layer>.<name>`. */
  readonly volumes: ReadonlyMap<string, LandingVolume>;
  /** Tables declared by the stack, by `<layer>.<table>`. */
  readonly tables: ReadonlyMap<string, DeltaTable>;
  /**
   * The jobs this workflow's `job` tasks run, by workflow name.
   * @default none: a workflow with a `job` task needs the job it runs here
   */
  readonly jobs?: ReadonlyMap<string, WorkflowJob>;
}

/** A workflow of the model deployed as a Databricks job of one environment. */
export class WorkflowJob extends Construct {
  readonly job: DagJob;
  /** The workflow deployed, for checks of what its tasks use. */
  readonly workflow: Workflow;
  /** Its job parameters as deployed: the defaults, placeholders resolved. */
  readonly jobParameters: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WorkflowJobProps) {
    super(scope, id);
    const { workflow, defaults } = props;
    this.workflow = workflow;
    this.jobParameters = Object.fromEntries(workflow.parameters.map((p) => [p.name, resolvePlaceholders(p.default, props.naming)]));
    this.job = new DagJob(this, 'Job', {
      name: `${defaults.namePrefix}${workflow.name}`,
      description: workflow.description,
      tasks: workflow.tasks.map((task) => this.dagTask(task, props)),
      parameters: workflow.parameters.map((p) => ({ name: p.name, default: this.jobParameters[p.name] })),
      warehouseId: props.warehouseId,
      trigger: workflow.trigger ? resolveTrigger(this, workflow, props) : undefined,
      paused: defaults.paused,
      timeoutSeconds: workflow.timeoutSeconds ?? 3600,
      maxConcurrentRuns: workflow.maxConcurrentRuns ?? 1,
      tags: { ...defaults.tags, workflow: workflow.name },
      onFailureEmails: defaults.onFailureEmails,
      onFailureWebhookIds: defaults.onFailureWebhookIds,
      // the daily workflows tell their stakeholders the data is ready
      onSuccessEmails: workflow.notifyOnSuccess ? defaults.onSuccessEmails : undefined,
      onSuccessWebhookIds: workflow.notifyOnSuccess ? defaults.onSuccessWebhookIds : undefined,
      runAsServicePrincipal: defaults.runAsServicePrincipal,
    });
  }

  private dagTask(task: WorkflowTask, props: WorkflowJobProps): DagTask {
    const common = {
      key: task.key,
      description: task.description,
      dependsOn: task.dependsOn,
      runIf: task.runIf,
      maxRetries: task.maxRetries,
      timeoutSeconds: task.timeoutSeconds,
    };
    switch (task.asset.kind) {
      case 'sql':
        return { ...common, kind: 'sql', file: props.assets.use(task.asset.file), parameters: task.parameters };
      case 'notebook':
        return { ...common, kind: 'notebook', notebookPath: props.assets.use(task.asset.file), parameters: task.parameters };
      case 'job': {
        const other = props.jobs?.get(task.asset.workflow);
        if (!other) throw new Error(`${this.node.path}: task "${task.key}" runs job "${task.asset.workflow}", which is not declared before it (declared: ${[...(props.jobs?.keys() ?? [])].join(', ') || 'none'})`);
        return { ...common, kind: 'run-job', jobId: other.job.jobId, parameters: task.parameters };
      }
    }
  }
}

function resolveTrigger(scope: Construct, workflow: Workflow, props: WorkflowJobProps): JobTriggerProps {
  const trigger = workflow.trigger!;
  const where = `${scope.node.path}: workflow "${workflow.name}" trigger`;
  switch (trigger.type) {
    case 'file-arrival': {
      const volume = props.volumes.get(volumeKey(trigger.volume));
      if (!volume) throw new Error(`${where} watches volume "${trigger.volume}", which the environment does not declare (declared: ${[...props.volumes.keys()].join(', ')})`);
      return {
        type: 'file-arrival',
        location: volume,
        minTimeBetweenTriggersSeconds: trigger.minTimeBetweenTriggersSeconds,
        waitAfterLastChangeSeconds: trigger.waitAfterLastChangeSeconds,
      };
    }
    case 'table-update': {
      const tables = trigger.tables.map((name) => {
        const table = props.tables.get(name);
        if (!table) throw new Error(`${where} watches table "${name}", which the stack does not declare (declared: ${[...props.tables.keys()].join(', ')})`);
        return table;
      });
      return { type: 'table-update', tables, condition: trigger.condition };
    }
    case 'schedule':
      return { type: 'schedule', quartzCron: trigger.quartzCron };
  }
}

import { Job, JobTask } from '@cdktn/provider-databricks/lib/job';
import { Token } from 'cdktn';
import { Construct } from 'constructs';
import { graphProblems } from '../model/task-graph';
import type { RunIf } from '../model/workflow';
import { JobTriggerProps, triggerSettings } from './job-trigger';
import { ObjectPermissions, PERMISSION_LEVELS } from './object-permissions';

export type ConditionOp = 'EQUAL_TO' | 'NOT_EQUAL' | 'GREATER_THAN' | 'GREATER_THAN_OR_EQUAL' | 'LESS_THAN' | 'LESS_THAN_OR_EQUAL';

/** What a task runs. */
export type DagTaskWork =
  /** A SQL file in the workspace, on the job's SQL warehouse; parameters fill its `:name` markers. */
  | { readonly kind: 'sql'; readonly file: string; readonly parameters?: Readonly<Record<string, string>> }
  /** A notebook in the workspace, on serverless jobs compute. */
  | { readonly kind: 'notebook'; readonly notebookPath: string; readonly parameters?: Readonly<Record<string, string>> }
  /**
   * An update of a declarative pipeline: all its tables, or only those selected (provider 1.132
   * `pipeline_task.refresh_selection` / `full_refresh_selection`, docs/resources/job.md; Jobs API
   * PipelineTask, https://databricks.github.io/sdk-js/api/interfaces/_databricks_sdk-jobs.v2.PipelineTask.html).
   */
  | {
      readonly kind: 'pipeline';
      readonly pipelineId: string;
      /** Reset every table of the pipeline before the update. @default false */
      readonly fullRefresh?: boolean;
      /** Tables updated without a full refresh; with `fullRefreshSelection`, the only tables updated. @default every table */
      readonly refreshSelection?: readonly string[];
      /** Tables reset and recomputed; with `refreshSelection`, the only tables updated. @default none */
      readonly fullRefreshSelection?: readonly string[];
    }
  /** A branch: dependants choose the `true` or `false` outcome. */
  | { readonly kind: 'condition'; readonly left: string; readonly op: ConditionOp; readonly right: string }
  /** A SQL alert evaluated on the job's warehouse, notifying its subscribers when it triggers. */
  | { readonly kind: 'alert'; readonly alertId: string; readonly subscribers: { readonly userNames?: readonly string[]; readonly destinationIds?: readonly string[] } }
  /** Another job, run to completion: a literal id or another DagJob's `jobId`. */
  | { readonly kind: 'run-job'; readonly jobId: string; readonly parameters?: Readonly<Record<string, string>> };

export type DagDependency = string | { readonly key: string; readonly outcome: 'true' | 'false' };

export type DagTask = DagTaskWork & {
  readonly key: string;
  readonly description?: string;
  readonly dependsOn?: readonly DagDependency[];
  /** @default 'ALL_SUCCESS' */
  readonly runIf?: RunIf;
  /** @default 0 */
  readonly maxRetries?: number;
  /** @default 60000 when retried */
  readonly minRetryIntervalMillis?: number;
  /** @default the job's timeout */
  readonly timeoutSeconds?: number;
};

export interface DagJobProps {
  readonly name: string;
  readonly description?: string;
  readonly tasks: readonly DagTask[];
  /** Job parameters; tasks read them as `{{job.parameters.<name>}}`. */
  readonly parameters?: readonly { readonly name: string; readonly default: string }[];
  /** Warehouse of the SQL tasks. Required when the job has one. */
  readonly warehouseId?: string;
  readonly trigger?: JobTriggerProps;
  /** Whether the trigger or schedule is deployed paused. */
  readonly paused: boolean;
  /** Whole-job timeout. */
  readonly timeoutSeconds: number;
  /** @default 1 */
  readonly maxConcurrentRuns?: number;
  /** Queue runs that arrive while one is active instead of skipping them. @default true */
  readonly queue?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly onFailureEmails?: readonly string[];
  /** Notification destination ids. */
  readonly onFailureWebhookIds?: readonly string[];
  /** E-mail addresses told when a run succeeds. @default none */
  readonly onSuccessEmails?: readonly string[];
  /** Notification destination ids told when a run succeeds. @default none */
  readonly onSuccessWebhookIds?: readonly string[];
  /** Application id of the service principal the job runs as. @default the deploying identity */
  readonly runAsServicePrincipal?: string;
  /** Warn (notifications on duration) when a run exceeds this. */
  readonly durationWarningSeconds?: number;
}

/**
 * A multi-task Databricks job from a dependency map. The graph is checked at synth
 * (unknown dependency, cycle, duplicate key, empty job), and tasks and each task's
 * `depends_on` are emitted sorted by task key: the provider treats both as ordered lists,
 * so any other order shows as a spurious change in the plan.
 */
export class DagJob extends Construct {
  readonly resource: Job;
  /** The job id, for `run_job_task` of other jobs. */
  readonly jobId: string;
  /** The identity the job's runs use: its run-as service principal, else the deploying identity (undefined). */
  readonly runAs?: string;
  /** The tasks as declared, for checks of what the job's identity needs. */
  readonly tasks: readonly DagTask[];
  private readonly permissions: ObjectPermissions;

  constructor(scope: Construct, id: string, props: DagJobProps) {
    super(scope, id);
    validate(this, props);
    const sortedTasks = [...props.tasks].sort((a, b) => a.key.localeCompare(b.key));
    const emails = [...(props.onFailureEmails ?? [])];
    const webhooks = [...(props.onFailureWebhookIds ?? [])];
    const successEmails = [...(props.onSuccessEmails ?? [])];
    const successWebhooks = [...(props.onSuccessWebhookIds ?? [])];
    const trigger = props.trigger ? triggerSettings(this, props.trigger, props.paused, props.runAsServicePrincipal) : undefined;

    this.resource = new Job(this, 'Resource', {
      name: props.name,
      description: props.description,
      maxConcurrentRuns: props.maxConcurrentRuns ?? 1,
      queue: { enabled: props.queue ?? true },
      timeoutSeconds: props.timeoutSeconds,
      tags: props.tags ? { ...props.tags } : undefined,
      parameter: props.parameters?.map((p) => ({ name: p.name, default: p.default })),
      runAs: props.runAsServicePrincipal ? { servicePrincipalName: props.runAsServicePrincipal } : undefined,
      emailNotifications:
        emails.length + successEmails.length > 0
          ? { onFailure: emails.length > 0 ? emails : undefined, onSuccess: successEmails.length > 0 ? successEmails : undefined, onDurationWarningThresholdExceeded: props.durationWarningSeconds && emails.length > 0 ? emails : undefined }
          : undefined,
      // email_notifications.no_alert_for_skipped_runs is deprecated in favour of this block
      // (databricks/cli bundle/schema/jsonschema.json, jobs.JobEmailNotifications; provider docs/resources/job.md)
      notificationSettings: emails.length + webhooks.length + successEmails.length + successWebhooks.length > 0 ? { noAlertForSkippedRuns: true } : undefined,
      webhookNotifications:
        webhooks.length + successWebhooks.length > 0
          ? { onFailure: webhooks.length > 0 ? webhooks.map((hook) => ({ id: hook })) : undefined, onSuccess: successWebhooks.length > 0 ? successWebhooks.map((hook) => ({ id: hook })) : undefined }
          : undefined,
      health: props.durationWarningSeconds
        ? { rules: [{ metric: 'RUN_DURATION_SECONDS', op: 'GREATER_THAN', value: props.durationWarningSeconds }] }
        : undefined,
      trigger: trigger?.trigger,
      schedule: trigger?.schedule,
      dependsOn: trigger && trigger.dependsOn.length > 0 ? trigger.dependsOn : undefined,
      task: sortedTasks.map((task) => taskBlock(task, props.warehouseId)),
    });
    this.jobId = this.resource.id;
    this.runAs = props.runAsServicePrincipal;
    this.tasks = props.tasks;
    this.permissions = new ObjectPermissions(this, 'Permissions', { jobId: this.resource.id }, PERMISSION_LEVELS.job);
    // the run-as identity owns the job it runs, as a Databricks bundle deploys it; a job has
    // exactly one owner, never a group (provider docs/resources/permissions.md, Job usage)
    if (props.runAsServicePrincipal) this.permissions.grant(props.runAsServicePrincipal, 'IS_OWNER');
  }

  /** See the job and its runs (CAN_VIEW). */
  grantView(principal: string): void {
    this.permissions.grant(principal, 'CAN_VIEW');
  }

  /** Start, cancel and repair runs (CAN_MANAGE_RUN): operators, and jobs that run this one. */
  grantManageRun(principal: string): void {
    this.permissions.grant(principal, 'CAN_MANAGE_RUN');
  }

  /** Whether a principal holds at least `level` on the job (the owner holds every level). */
  allows(principal: string, level: 'CAN_VIEW' | 'CAN_MANAGE_RUN' | 'CAN_MANAGE'): boolean {
    return this.permissions.allows(principal, level);
  }
}

function taskBlock(task: DagTask, warehouseId: string | undefined): JobTask {
  const dependsOn = [...(task.dependsOn ?? [])]
    .map((d) => (typeof d === 'string' ? { taskKey: d } : { taskKey: d.key, outcome: d.outcome }))
    .sort((a, b) => a.taskKey.localeCompare(b.taskKey));
  const common: JobTask = {
    taskKey: task.key,
    description: task.description,
    dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    runIf: task.runIf && task.runIf !== 'ALL_SUCCESS' ? task.runIf : undefined,
    maxRetries: task.maxRetries,
    minRetryIntervalMillis: task.maxRetries ? (task.minRetryIntervalMillis ?? 60_000) : undefined,
    timeoutSeconds: task.timeoutSeconds,
  };
  switch (task.kind) {
    case 'sql':
      return { ...common, sqlTask: { warehouseId: warehouseId!, file: { path: task.file, source: 'WORKSPACE' }, parameters: sortedRecord(task.parameters) } };
    case 'notebook':
      return { ...common, notebookTask: { notebookPath: task.notebookPath, source: 'WORKSPACE', baseParameters: sortedRecord(task.parameters) } };
    case 'pipeline':
      return {
        ...common,
        pipelineTask: {
          pipelineId: task.pipelineId,
          fullRefresh: task.fullRefresh,
          refreshSelection: task.refreshSelection?.length ? [...task.refreshSelection] : undefined,
          fullRefreshSelection: task.fullRefreshSelection?.length ? [...task.fullRefreshSelection] : undefined,
        },
      };
    case 'condition':
      return { ...common, conditionTask: { left: task.left, op: task.op, right: task.right } };
    case 'alert':
      // sql_task.alert, not the job's alert_task (provider 1.132): alert_task evaluates an Alerts v2
      // object (databricks_alert_v2; terraform-provider-databricks PR #5629 "Support alert_task when
      // exporting databricks_job": its dependencies are databricks_alert_v2), and the alerts here are
      // databricks_alert; moving them would replace every deployed alert under a new address.
      return {
        ...common,
        sqlTask: {
          warehouseId: warehouseId!,
          alert: {
            alertId: task.alertId,
            subscriptions: [
              ...(task.subscribers.userNames ?? []).map((userName) => ({ userName })),
              ...(task.subscribers.destinationIds ?? []).map((destinationId) => ({ destinationId })),
            ],
          },
        },
      };
    case 'run-job':
      return { ...common, runJobTask: { jobId: /^\d+$/.test(task.jobId) ? Number(task.jobId) : Token.asNumber(task.jobId), jobParameters: sortedRecord(task.parameters) } };
  }
}

function sortedRecord(record: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!record || Object.keys(record).length === 0) return undefined;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A pipeline task's table selection: a full refresh of the whole pipeline ignores none of its
 * tables, so it cannot come with a selection (Pipelines API start update: "If both
 * refresh_selection and full_refresh_selection are empty, this is a full graph update",
 * https://docs.databricks.com/api/workspace/pipelines/startupdate); a table is named once.
 */
function pipelineSelectionProblems(task: Extract<DagTask, { kind: 'pipeline' }>): string[] {
  const selected = [...(task.refreshSelection ?? []), ...(task.fullRefreshSelection ?? [])];
  const problems: string[] = [];
  if (task.fullRefresh && selected.length > 0) problems.push(`task "${task.key}" sets fullRefresh and a table selection: a full refresh updates every table`);
  for (const table of selected) if (!/^\S+$/.test(table)) problems.push(`task "${task.key}" selects a table with an empty or blank name "${table}"`);
  const twice = selected.filter((t, i) => selected.indexOf(t) !== i);
  if (twice.length > 0) problems.push(`task "${task.key}" selects ${[...new Set(twice)].map((t) => `"${t}"`).join(', ')} more than once (refreshSelection and fullRefreshSelection)`);
  return problems;
}

function validate(job: DagJob, props: DagJobProps): void {
  const where = `${job.node.path} (job "${props.name}")`;
  const problems = graphProblems(props.tasks.map((t) => ({ key: t.key, dependsOn: (t.dependsOn ?? []).map((d) => (typeof d === 'string' ? d : d.key)) })));
  for (const task of props.tasks) {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(task.key)) problems.push(`task key "${task.key}" must be 1-100 letters, digits, _ or -`);
    if ((task.kind === 'sql' || task.kind === 'alert') && !props.warehouseId) problems.push(`task "${task.key}" is a SQL task but the job has no warehouseId`);
    if (task.kind === 'pipeline') problems.push(...pipelineSelectionProblems(task));
    if ((task.maxRetries ?? 0) < 0) problems.push(`task "${task.key}" has negative maxRetries`);
    if (task.timeoutSeconds !== undefined && task.timeoutSeconds > props.timeoutSeconds) {
      problems.push(`task "${task.key}" timeoutSeconds ${task.timeoutSeconds} exceeds the job's ${props.timeoutSeconds}`);
    }
  }
  if (props.timeoutSeconds <= 0) problems.push(`timeoutSeconds must be positive, got ${props.timeoutSeconds}`);
  if ((props.maxConcurrentRuns ?? 1) < 1) problems.push(`maxConcurrentRuns must be at least 1, got ${props.maxConcurrentRuns}`);
  if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
}

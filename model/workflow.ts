/**
 * A workflow: named tasks with their asset, parameters and dependencies. Declared once
 * in `config/workflows.ts`; the job constructs turn it into a Databricks job and the
 * local runner executes it on DuckDB. Free of cdktf on purpose.
 */

export type TaskAsset =
  /** A Databricks SQL file, run on a SQL warehouse with named parameter markers (`:name`). */
  | { readonly kind: 'sql'; readonly file: string }
  /** A notebook in Databricks source format, for what SQL cannot do (moving files…). */
  | { readonly kind: 'notebook'; readonly file: string }
  /**
   * Another workflow of the project, run to completion as this task (Databricks
   * `run_job_task`); the task's parameters are its job parameters.
   */
  | { readonly kind: 'job'; readonly workflow: string };

/** What a task's asset is, for diagrams and progress: its file, or the job it runs. */
export function assetLabel(asset: TaskAsset): string {
  return asset.kind === 'job' ? `job ${asset.workflow}` : asset.file;
}

/** When a task runs, relative to its dependencies (Databricks `run_if`). */
export type RunIf = 'ALL_SUCCESS' | 'AT_LEAST_ONE_SUCCESS' | 'NONE_FAILED' | 'ALL_DONE' | 'AT_LEAST_ONE_FAILED' | 'ALL_FAILED';

export interface WorkflowTask {
  /** Unique within the workflow; becomes the job's `task_key`. */
  readonly key: string;
  readonly description?: string;
  /** What the task runs: a file relative to the project root, e.g. `sql/watermark/start_run.sql`, or another workflow. */
  readonly asset: TaskAsset;
  /**
   * Values passed to the asset's parameter markers. A value may hold Databricks dynamic
   * value references such as `{{job.parameters.catalog}}` or `{{job.run_id}}`.
   */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly dependsOn?: readonly string[];
  /** @default 'ALL_SUCCESS' */
  readonly runIf?: RunIf;
  /** Retries on failure. @default 0 */
  readonly maxRetries?: number;
  /** @default the workflow's */
  readonly timeoutSeconds?: number;
}

export interface WorkflowParameter {
  readonly name: string;
  /** Default value; `{{env.catalog}}` stands for the environment's catalog name. */
  readonly default: string;
  readonly description?: string;
}

/** What starts a workflow's job, by names the environment resolves. */
export type WorkflowTrigger =
  /** New files in the incoming folder of a landing volume; timers default to 60 seconds, the minimum. */
  | {
      readonly type: 'file-arrival';
      /** `<name>` of a landing volume, or `<layer>.<name>`. */
      readonly volume: string;
      readonly minTimeBetweenTriggersSeconds?: number;
      readonly waitAfterLastChangeSeconds?: number;
    }
  /** Updates of tables (`<layer>.<table>`, declared by the stack). */
  | { readonly type: 'table-update'; readonly tables: readonly string[]; readonly condition: 'ANY_UPDATED' | 'ALL_UPDATED' }
  /** A Quartz cron schedule in UTC. */
  | { readonly type: 'schedule'; readonly quartzCron: string };

export interface Workflow {
  /** Kebab-case name; becomes the job name. */
  readonly name: string;
  readonly description: string;
  /** Job parameters, each overridable per run. */
  readonly parameters: readonly WorkflowParameter[];
  readonly tasks: readonly WorkflowTask[];
  /** Landing volume (by name) whose incoming folder the workflow reads, if any. */
  readonly landingVolume?: string;
  /** Tables the workflow writes, as `<layer>.<table>` (the catalog comes from the environment). */
  readonly writes: readonly string[];
  /** What starts the job. @default none: runs on demand or from another job */
  readonly trigger?: WorkflowTrigger;
  /** Whole-job timeout. @default 3600 */
  readonly timeoutSeconds?: number;
  /** @default 1 */
  readonly maxConcurrentRuns?: number;
  /** Tell the environment's success destinations (the stakeholders) when a run succeeds. @default false */
  readonly notifyOnSuccess?: boolean;
}

import { recordSucceededTask, succeededTasks } from './run-ledger';
import { workflowNamed } from '../config/project';
import { RunIf, Workflow, assetLabel } from '../model/workflow';
import { topologicalOrder } from '../model/task-graph';
import { FaultInjection, LocalEngine, Row } from './engine';
import { runNotebook } from './notebook-runner';
import { RunContext, jobParameters, taskParameters } from './parameters';

export type TaskStatus = 'SUCCEEDED' | 'FAILED' | 'UPSTREAM_FAILED' | 'EXCLUDED';

export interface TaskOutcome {
  readonly key: string;
  readonly status: TaskStatus;
  readonly message?: string;
  /** Rows the task's last statement returned (a gate's readiness, a window…). */
  readonly rows?: Row[];
}

export interface WorkflowRun {
  readonly workflow: string;
  readonly runId: string;
  readonly succeeded: boolean;
  readonly parameters: Record<string, string>;
  readonly tasks: TaskOutcome[];
  /** Row count of each table the workflow writes (absent when the table does not exist). */
  readonly tables: Record<string, number | null>;
}

export interface RunOptions {
  readonly parameters?: Readonly<Record<string, string>>;
  readonly runId?: string;
  readonly startedAt?: Date;
  /** Task key → fault to inject into that task's SQL file (tests of retries and recovery). */
  readonly faults?: ReadonlyMap<string, FaultInjection>;
  /** Task key → notebook task killed after this many file operations (copies, deletes). */
  readonly notebookFaults?: ReadonlyMap<string, { readonly failAfterFileOperations: number }>;
  readonly onProgress?: (message: string) => void;
  /**
   * Called before each task that runs, e.g. to commit a concurrent writer's change between two
   * tasks (tests of what a job sees of commits that land during its run).
   */
  readonly beforeTask?: (key: string) => Promise<void>;
  /**
   * A repair run of `runId`: the tasks that succeeded in an earlier attempt of this run (run-ledger.ts)
   * are not run again, their task values reused. @default false
   */
  readonly repair?: boolean;
  /** Finds the workflow a `job` task runs. @default the project's workflows */
  readonly workflowNamed?: (name: string) => Workflow;
}

const FAILED: readonly TaskStatus[] = ['FAILED', 'UPSTREAM_FAILED'];

/** Whether a task runs, from its dependencies' outcomes, as Databricks decides `run_if`. */
function shouldRun(runIf: RunIf, dependencies: readonly TaskStatus[]): boolean {
  if (dependencies.length === 0) return true;
  const succeeded = dependencies.filter((s) => s === 'SUCCEEDED').length;
  const failed = dependencies.filter((s) => FAILED.includes(s)).length;
  switch (runIf) {
    case 'ALL_SUCCESS':
      return succeeded === dependencies.length;
    case 'AT_LEAST_ONE_SUCCESS':
      return succeeded > 0;
    case 'NONE_FAILED':
      return failed === 0;
    case 'ALL_DONE':
      return true;
    case 'AT_LEAST_ONE_FAILED':
      return failed > 0;
    case 'ALL_FAILED':
      return failed === dependencies.length;
  }
}

/** Runs a workflow's tasks in dependency order on the local engine, as its job would. */
export async function runWorkflow(engine: LocalEngine, workflow: Workflow, options: RunOptions = {}): Promise<WorkflowRun> {
  const startedAt = options.startedAt ?? new Date();
  const taskValues = new Map<string, Readonly<Record<string, unknown>>>();
  const context: RunContext = { naming: engine.naming, runId: options.runId ?? `local-${startedAt.getTime()}`, startedAt, taskValues };
  const parameters = jobParameters(workflow, options.parameters ?? {}, context);
  const progress = options.onProgress ?? (() => undefined);
  const statuses = new Map<string, TaskStatus>();
  const outcomes: TaskOutcome[] = [];
  const earlier = options.repair ? await succeededTasks(engine, workflow.name, context.runId) : new Map<string, Readonly<Record<string, unknown>>>();

  for (const task of topologicalOrder(workflow.tasks, `workflow ${workflow.name}`)) {
    const dependencies = (task.dependsOn ?? []).map((d) => statuses.get(d)!);
    let outcome: TaskOutcome;
    const repaired = earlier.get(task.key);
    if (repaired) {
      taskValues.set(task.key, repaired);
      outcome = { key: task.key, status: 'SUCCEEDED', message: `succeeded in an earlier attempt of run ${context.runId} (repair run)` };
    } else if (!shouldRun(task.runIf ?? 'ALL_SUCCESS', dependencies)) {
      const upstreamFailed = dependencies.some((s) => FAILED.includes(s)) && (task.runIf ?? 'ALL_SUCCESS') === 'ALL_SUCCESS';
      outcome = { key: task.key, status: upstreamFailed ? 'UPSTREAM_FAILED' : 'EXCLUDED', message: `run_if ${task.runIf ?? 'ALL_SUCCESS'} not met` };
    } else {
      progress(`${workflow.name}: ${task.key} (${assetLabel(task.asset)})`);
      await options.beforeTask?.(task.key);
      try {
        const values = taskParameters(task, parameters, context);
        if (task.asset.kind === 'job') {
          // run_job_task: the other job runs to completion with the task's parameters as its
          // job parameters; the task fails when that run fails, and a retry runs it again
          const child = (options.workflowNamed ?? workflowNamed)(task.asset.workflow);
          const attempts = 1 + (task.maxRetries ?? 0);
          let run: WorkflowRun | undefined;
          for (let attempt = 1; attempt <= attempts && !run?.succeeded; attempt++) {
            run = await runWorkflow(engine, child, { ...options, faults: undefined, notebookFaults: undefined, parameters: values, runId: `${context.runId}-${task.key}-${attempt}`, startedAt });
          }
          if (!run!.succeeded) {
            const failed = run!.tasks.filter((t) => FAILED.includes(t.status)).map((t) => `${t.key}${t.message ? ` (${t.message})` : ''}`);
            throw new Error(`job ${child.name} failed: ${failed.join('; ')}`);
          }
          outcome = { key: task.key, status: 'SUCCEEDED', message: `job ${child.name} run ${run!.runId} succeeded` };
        } else if (task.asset.kind === 'notebook') {
          // the deployed notebook itself, on python3, its spark.sql answered by this engine
          const fault = options.notebookFaults?.get(task.key);
          const run = await runNotebook(engine, task.asset.file, values, fault ? { env: { LAKEHOUSE_NOTEBOOK_FAIL_AFTER_FS_OPS: String(fault.failAfterFileOperations) } } : undefined);
          taskValues.set(task.key, run.taskValues);
          outcome = { key: task.key, status: 'SUCCEEDED', message: run.output.trim().split('\n').at(-1) };
        } else {
          // a failed attempt is retried up to max_retries times, as the job retries the task
          const fault = options.faults?.get(task.key);
          const attempts = 1 + (task.maxRetries ?? 0);
          let rows: Row[] = [];
          for (let attempt = 1; ; attempt++) {
            try {
              rows = await engine.runFile(task.asset.file, values, fault && attempt <= (fault.attempts ?? Infinity) ? fault : undefined);
              break;
            } catch (error) {
              if (attempt >= attempts) throw error;
              progress(`${workflow.name}: ${task.key} attempt ${attempt} failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
            }
          }
          outcome = { key: task.key, status: 'SUCCEEDED', rows };
        }
        await recordSucceededTask(engine, workflow.name, context.runId, task.key, taskValues.get(task.key) ?? {});
      } catch (error) {
        outcome = { key: task.key, status: 'FAILED', message: error instanceof Error ? error.message : String(error) };
      }
    }
    progress(`${workflow.name}: ${task.key} ${outcome.status}${outcome.message ? `: ${outcome.message}` : ''}`);
    statuses.set(task.key, outcome.status);
    outcomes.push(outcome);
  }

  const tables: Record<string, number | null> = {};
  for (const table of workflow.writes) tables[table] = (await engine.rowCount(table)) ?? null;
  return {
    workflow: workflow.name,
    runId: context.runId,
    succeeded: outcomes.every((o) => !FAILED.includes(o.status)),
    parameters,
    tasks: outcomes,
    tables,
  };
}

import type { Run, RunState, RunStatus, RunTask } from './jobs-api';

/** Where a run or task run stands, read from its `state` (or, lacking one, its newer `status`). */
export interface RunProgress {
  readonly finished: boolean;
  /** `life_cycle_state` (or `status.state`), e.g. RUNNING. */
  readonly lifecycle: string;
  /** Once finished: `result_state` (or `termination_details.code`), e.g. SUCCESS; the lifecycle for SKIPPED and INTERNAL_ERROR runs. */
  readonly result?: string;
  readonly message?: string;
}

/** A task that did not succeed. */
export interface FailedTask {
  readonly taskKey: string;
  /** Its result (FAILED, UPSTREAM_FAILED, TIMEDOUT…), or its lifecycle when it has none. */
  readonly state: string;
  readonly message?: string;
}

/** Lifecycle states a run does not leave. */
const TERMINAL_LIFECYCLES: ReadonlySet<string> = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);

/** Task results that are not failures: EXCLUDED is a task whose `run_if` condition was not met. */
const SUCCESSFUL_TASK_RESULTS: ReadonlySet<string> = new Set(['SUCCESS', 'EXCLUDED']);

/** Where a run or task run stands. */
export function runProgress(run: { readonly state?: RunState; readonly status?: RunStatus }): RunProgress {
  const { state, status } = run;
  const statusMessage = status?.termination_details?.message || undefined;
  if (state?.life_cycle_state) {
    const finished = TERMINAL_LIFECYCLES.has(state.life_cycle_state);
    return {
      finished,
      lifecycle: state.life_cycle_state,
      result: finished ? (state.result_state ?? state.life_cycle_state) : state.result_state,
      message: state.state_message || statusMessage,
    };
  }
  if (status?.state) {
    const finished = status.state === 'TERMINATED';
    return { finished, lifecycle: status.state, result: finished ? (status.termination_details?.code ?? 'UNKNOWN') : undefined, message: statusMessage };
  }
  return { finished: false, lifecycle: 'UNKNOWN' };
}

/** A finished run succeeded only with result SUCCESS: SUCCESS_WITH_FAILURES is a failure here. */
export function runSucceeded(progress: RunProgress): boolean {
  return progress.finished && progress.result === 'SUCCESS';
}

/**
 * The tasks of a run whose result is neither SUCCESS nor EXCLUDED, in the run's order. A
 * task retried by the job appears once per attempt; only its last attempt counts.
 */
export function failedTasks(run: Run): FailedTask[] {
  const lastAttempts = new Map<string, RunTask>();
  for (const task of run.tasks ?? []) {
    const previous = lastAttempts.get(task.task_key);
    if (!previous || (task.attempt_number ?? 0) >= (previous.attempt_number ?? 0)) lastAttempts.set(task.task_key, task);
  }
  return [...lastAttempts.values()].flatMap((task) => {
    const progress = runProgress(task);
    if (progress.result && SUCCESSFUL_TASK_RESULTS.has(progress.result)) return [];
    return [{ taskKey: task.task_key, state: progress.result ?? progress.lifecycle, message: progress.message }];
  });
}

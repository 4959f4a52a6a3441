import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import { BadInputError } from './errors';
import type { JobSummary, JobsApi, Run } from './jobs-api';
import { pollUntil } from './poll';
import { FailedTask, RunProgress, failedTasks, runProgress, runSucceeded } from './run-state';

/** A run of a deployed job to start, and whether to follow it. */
export interface RunJobRequest {
  /** The deployed job's exact name, e.g. `[dev] orders-ingest`. */
  readonly jobName: string;
  /** Job-level parameters (`job_parameters`). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Follow the run to its end. */
  readonly wait: boolean;
  /** Give up waiting after this long (the run goes on). */
  readonly timeoutMs: number;
}

/** How to follow a run. */
export interface FollowOptions {
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  /** Called when the run's state changes, e.g. `RUNNING`. */
  readonly onProgress?: (message: string) => void;
  /** The run's idempotency token; a new UUID by default. */
  readonly idempotencyToken?: string;
}

interface RunIdentity {
  readonly jobName: string;
  readonly jobId: number;
  readonly runId: number;
  readonly runPageUrl?: string;
}

/** What became of a run: started (not followed), succeeded, failed (with the failed tasks) or still going when the wait timed out. */
export type RunJobResult =
  | (RunIdentity & { readonly outcome: 'started' })
  | (RunIdentity & { readonly outcome: 'succeeded' })
  | (RunIdentity & { readonly outcome: 'failed'; readonly result: string; readonly message?: string; readonly failedTasks: readonly FailedTask[] })
  | (RunIdentity & { readonly outcome: 'timed-out'; readonly lifecycle: string; readonly waitedMs: number });

/**
 * Starts a run of the job named `jobName` (`run-now` with the job parameters and an
 * idempotency token, so a retried request starts one run) and, when asked, follows it to its
 * end. Throws BadInputError when no job, or more than one, has that name.
 */
export async function runJob(jobs: JobsApi, request: RunJobRequest, options: FollowOptions): Promise<RunJobResult> {
  const job = await deployedJob(jobs, request.jobName);
  const runId = await jobs.runNow(job.job_id, request.parameters, options.idempotencyToken ?? randomUUID());
  const first = await jobs.getRun(runId);
  const identity = { jobName: request.jobName, jobId: job.job_id, runId, runPageUrl: first.run_page_url };
  if (!request.wait) return { ...identity, outcome: 'started' };

  let reads = 0;
  let last = '';
  const polled = await pollUntil<{ run: Run; progress: RunProgress }>(
    async () => {
      const run = reads++ === 0 ? first : await jobs.getRun(runId);
      return { run, progress: runProgress(run) };
    },
    ({ progress }) => progress.finished,
    { clock: options.clock, intervalMs: options.pollIntervalMs, timeoutMs: request.timeoutMs },
    ({ progress }) => {
      const now = progress.finished ? `${progress.lifecycle} ${progress.result}` : progress.lifecycle;
      if (now !== last) options.onProgress?.(`run ${runId} of ${request.jobName}: ${now}`);
      last = now;
    },
  );
  const { run, progress } = polled.value;
  const withUrl = { ...identity, runPageUrl: run.run_page_url ?? identity.runPageUrl };
  if (!polled.finished) return { ...withUrl, outcome: 'timed-out', lifecycle: progress.lifecycle, waitedMs: polled.elapsedMs };
  if (runSucceeded(progress)) return { ...withUrl, outcome: 'succeeded' };
  return { ...withUrl, outcome: 'failed', result: progress.result ?? progress.lifecycle, message: progress.message, failedTasks: failedTasks(run) };
}

/** The one job deployed under `name`. */
async function deployedJob(jobs: JobsApi, name: string): Promise<JobSummary> {
  const named = await jobs.jobsNamed(name);
  if (named.length === 0) throw new BadInputError(`no job named "${name}" is deployed in ${jobs.host}: deploy the environment first`);
  if (named.length > 1) {
    throw new BadInputError(`${named.length} jobs are named "${name}" in ${jobs.host} (job ids ${named.map((j) => j.job_id).join(', ')}); delete or rename the strays so the name is unique`);
  }
  return named[0];
}

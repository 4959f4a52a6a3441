import type { JobsApi } from './jobs-api';
import type { PipelinesApi } from './pipelines-api';
import { runProgress } from './run-state';

/** A deployed job and its most recent run. */
export interface JobStatus {
  readonly name: string;
  readonly jobId: number;
  readonly lastRun?: {
    readonly runId: number;
    /** The run's result once finished (SUCCESS, FAILED…), else its lifecycle (RUNNING…). */
    readonly state: string;
    /** ISO 8601, when the API gives a start time. */
    readonly startedAt?: string;
    readonly url?: string;
  };
}

/** A deployed pipeline and its most recent update. */
export interface PipelineStatus {
  readonly name: string;
  readonly pipelineId: string;
  /** The pipeline's own state (IDLE, RUNNING…). */
  readonly state?: string;
  readonly lastUpdate?: {
    readonly updateId?: string;
    readonly state?: string;
    /** As the API gives it. */
    readonly createdAt?: string;
  };
}

/** What an environment has deployed, each sorted by name. */
export interface EnvironmentStatus {
  readonly jobs: readonly JobStatus[];
  readonly pipelines: readonly PipelineStatus[];
}

/** The jobs and pipelines whose names start with `namePrefix`, with their last run or update. */
export async function environmentStatus(jobs: JobsApi, pipelines: PipelinesApi, namePrefix: string): Promise<EnvironmentStatus> {
  const [allJobs, deployedPipelines] = await Promise.all([jobs.listJobs(), pipelines.pipelinesStartingWith(namePrefix)]);
  const deployedJobs = allJobs.filter((job) => job.settings?.name?.startsWith(namePrefix));
  const jobStatuses = await Promise.all(
    deployedJobs.map(async (job): Promise<JobStatus> => {
      const run = await jobs.latestRun(job.job_id);
      const name = job.settings?.name ?? String(job.job_id);
      if (!run) return { name, jobId: job.job_id };
      const progress = runProgress(run);
      return {
        name,
        jobId: job.job_id,
        lastRun: {
          runId: run.run_id,
          state: (progress.finished ? progress.result : undefined) ?? progress.lifecycle,
          startedAt: run.start_time ? new Date(run.start_time).toISOString() : undefined,
          url: run.run_page_url,
        },
      };
    }),
  );
  const pipelineStatuses = deployedPipelines.map((pipeline): PipelineStatus => {
    const latest = pipeline.latest_updates?.[0];
    return {
      name: pipeline.name ?? pipeline.pipeline_id,
      pipelineId: pipeline.pipeline_id,
      state: pipeline.state,
      lastUpdate: latest && { updateId: latest.update_id, state: latest.state, createdAt: latest.creation_time },
    };
  });
  const byName = <T extends { readonly name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);
  return { jobs: jobStatuses.sort(byName), pipelines: pipelineStatuses.sort(byName) };
}

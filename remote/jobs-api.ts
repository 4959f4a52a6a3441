import type { DatabricksHttpClient } from './http-client';

// The Jobs API 2.2 endpoints the remote client calls (index: https://docs.databricks.com/api/jobs/v2/job.md).
/** https://docs.databricks.com/api/jobs/v2/list-jobs.md: `name` filters exactly but case-insensitively; `limit` ≤ 100; pages by `page_token`. */
const LIST_JOBS = '/api/2.2/jobs/list';
/** https://docs.databricks.com/api/jobs/v2/run-now.md: `job_id`, `job_parameters` (map of strings), `idempotency_token` (≤ 64 characters). */
const RUN_NOW = '/api/2.2/jobs/run-now';
/** https://docs.databricks.com/api/jobs/v2/get-run.md: `run_id`; array properties such as `tasks` page by `page_token` past 100 elements. */
const GET_RUN = '/api/2.2/jobs/runs/get';
/** https://docs.databricks.com/api/jobs/v2/list-runs.md (index: https://docs.databricks.com/api/jobs/v2/run.md): runs of a job, most recently started first. */
const LIST_RUNS = '/api/2.2/jobs/runs/list';

const PAGE_SIZE = 100;

/** A run's (or task's) `state`: `life_cycle_state` QUEUED, PENDING, RUNNING, TERMINATING, TERMINATED, SKIPPED, INTERNAL_ERROR, BLOCKED, WAITING_FOR_RETRY; `result_state` SUCCESS, FAILED, TIMEDOUT, CANCELED, SUCCESS_WITH_FAILURES, EXCLUDED, UPSTREAM_FAILED, … */
export interface RunState {
  readonly life_cycle_state?: string;
  readonly result_state?: string;
  readonly state_message?: string;
}

/** A run's (or task's) newer `status`: `state` up to TERMINATED, then `termination_details.code` SUCCESS, SUCCESS_WITH_FAILURES, RUN_EXECUTION_ERROR, … */
export interface RunStatus {
  readonly state?: string;
  readonly termination_details?: { readonly code?: string; readonly type?: string; readonly message?: string };
}

/** One task run of a job run. */
export interface RunTask {
  readonly task_key: string;
  readonly run_id?: number;
  /** 0 for the first attempt; a retried task appears once per attempt. */
  readonly attempt_number?: number;
  readonly state?: RunState;
  readonly status?: RunStatus;
  readonly run_page_url?: string;
}

/** A job run as `runs/get` and `runs/list` return it (the fields used here). */
export interface Run {
  readonly run_id: number;
  readonly job_id?: number;
  readonly run_page_url?: string;
  readonly state?: RunState;
  readonly status?: RunStatus;
  readonly tasks?: readonly RunTask[];
  /** Epoch milliseconds. */
  readonly start_time?: number;
  readonly end_time?: number;
}

/** A job as `jobs/list` returns it. */
export interface JobSummary {
  readonly job_id: number;
  readonly settings?: { readonly name?: string };
}

interface ListJobsResponse {
  readonly jobs?: readonly JobSummary[];
  readonly has_more?: boolean;
  readonly next_page_token?: string;
}

interface GetRunResponse extends Run {
  readonly next_page_token?: string;
}

/** Typed calls to the Jobs API 2.2 of one workspace. */
export class JobsApi {
  constructor(private readonly http: DatabricksHttpClient) {}

  /** The workspace URL, for messages. */
  get host(): string {
    return this.http.host;
  }

  /** Every job of the workspace (every page), or only those whose name matches `name` case-insensitively, as the API filters. */
  async listJobs(name?: string): Promise<JobSummary[]> {
    const jobs: JobSummary[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await this.http.get<ListJobsResponse>(LIST_JOBS, { name, limit: PAGE_SIZE, page_token: pageToken });
      jobs.push(...(page.jobs ?? []));
      pageToken = page.has_more !== false ? page.next_page_token : undefined;
      if (pageToken !== undefined && seen.has(pageToken)) throw new Error(`${LIST_JOBS} returned page token "${pageToken}" twice; stopping rather than looping`);
      if (pageToken !== undefined) seen.add(pageToken);
    } while (pageToken);
    return jobs;
  }

  /** The jobs named exactly `name` (the API's filter ignores case; this does not). */
  async jobsNamed(name: string): Promise<JobSummary[]> {
    return (await this.listJobs(name)).filter((job) => job.settings?.name === name);
  }

  /** Starts a run of a job with job-level parameters; the idempotency token makes a retried request start one run only. */
  async runNow(jobId: number, jobParameters: Readonly<Record<string, string>>, idempotencyToken: string): Promise<number> {
    const body = { job_id: jobId, idempotency_token: idempotencyToken, ...(Object.keys(jobParameters).length > 0 ? { job_parameters: jobParameters } : {}) };
    const response = await this.http.post<{ run_id?: unknown }>(RUN_NOW, body);
    if (typeof response.run_id !== 'number') throw new Error(`POST ${RUN_NOW} for job ${jobId} returned no run_id`);
    return response.run_id;
  }

  /** A run with all its tasks (following `next_page_token` when a run has more than 100). */
  async getRun(runId: number): Promise<Run> {
    const first = await this.http.get<GetRunResponse>(GET_RUN, { run_id: runId });
    const tasks = [...(first.tasks ?? [])];
    let pageToken = first.next_page_token;
    for (let pages = 1; pageToken && pages < 100; pages++) {
      const page = await this.http.get<GetRunResponse>(GET_RUN, { run_id: runId, page_token: pageToken });
      tasks.push(...(page.tasks ?? []));
      pageToken = page.next_page_token;
    }
    return { ...first, tasks };
  }

  /** The most recently started run of a job, if it has any. */
  async latestRun(jobId: number): Promise<Run | undefined> {
    const response = await this.http.get<{ runs?: readonly Run[] }>(LIST_RUNS, { job_id: jobId, limit: 1 });
    return response.runs?.[0];
  }
}

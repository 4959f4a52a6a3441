import { BadInputError } from '../../remote/errors';
import { exitCodeFor } from '../../model/errors';
import { renderRunResult } from '../../remote/render';
import { RunJobRequest, runJob } from '../../remote/run-job';
import { FakeClock, RunSnapshot } from './fake-databricks';
import { connectTo, rejectionOf, useFakeDatabricks } from './harness';

const JOB = '[dev] coordinated-load';
const terminated = (result_state: string, state_message = ''): RunSnapshot['state'] => ({ life_cycle_state: 'TERMINATED', result_state, state_message });
const task = (task_key: string, result_state: string, state_message = '', attempt_number = 0) => ({ task_key, attempt_number, state: terminated(result_state, state_message) });

describe('run a workflow', () => {
  const fake = useFakeDatabricks();
  const request = (overrides: Partial<RunJobRequest> = {}): RunJobRequest => ({ jobName: JOB, parameters: {}, wait: true, timeoutMs: 3_600_000, ...overrides });

  beforeEach(() => {
    fake().jobs = [
      { job_id: 11, name: '[dev] ingest-orders' },
      { job_id: 12, name: JOB },
      { job_id: 13, name: '[prod] coordinated-load' },
    ];
  });

  it('starts the job with its parameters and follows the run to success', async () => {
    fake().runScripts.set(12, [
      { state: { life_cycle_state: 'QUEUED' } },
      { state: { life_cycle_state: 'RUNNING' } },
      { state: { life_cycle_state: 'RUNNING' } },
      { state: terminated('SUCCESS'), tasks: [task('load_orders', 'SUCCESS'), task('gate', 'SUCCESS')] },
    ]);
    const clock = new FakeClock();
    const progress: string[] = [];
    const result = await runJob(connectTo(fake(), clock).jobs, request({ parameters: { batch_id: '2026-11-21' } }), { clock, pollIntervalMs: 5000, onProgress: (m) => progress.push(m) });

    expect(result).toEqual({ outcome: 'succeeded', jobName: JOB, jobId: 12, runId: 5001, runPageUrl: `${fake().url}/jobs/12/runs/5001` });
    const [runNow] = fake().requestsTo('/api/2.2/jobs/run-now');
    expect(runNow.body).toEqual({ job_id: 12, job_parameters: { batch_id: '2026-11-21' }, idempotency_token: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(fake().requestsTo('/api/2.2/jobs/list')[0].query.get('name')).toBe(JOB);
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
    expect(progress).toEqual([`run 5001 of ${JOB}: QUEUED`, `run 5001 of ${JOB}: RUNNING`, `run 5001 of ${JOB}: TERMINATED SUCCESS`]);
    expect(renderRunResult(result)).toBe(`SUCCEEDED  run 5001 of ${JOB}\n${fake().url}/jobs/12/runs/5001\n`);
  });

  it('without --wait, prints the run id and page and does not poll', async () => {
    fake().runScripts.set(12, [{ state: { life_cycle_state: 'PENDING' } }]);
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, request({ wait: false }), { clock, pollIntervalMs: 5000 });
    expect(result).toEqual({ outcome: 'started', jobName: JOB, jobId: 12, runId: 5001, runPageUrl: `${fake().url}/jobs/12/runs/5001` });
    expect(fake().requestsTo('/api/2.2/jobs/runs/get')).toHaveLength(1);
    expect(fake().requestsTo('/api/2.2/jobs/run-now')[0].body).not.toHaveProperty('job_parameters');
    expect(clock.sleeps).toEqual([]);
  });

  it('names every task whose result is not SUCCESS or EXCLUDED, with its state message', async () => {
    fake().runScripts.set(12, [
      { state: { life_cycle_state: 'RUNNING' } },
      {
        state: terminated('FAILED', 'Workload failed, see run output for details'),
        tasks: [
          task('load_customers', 'SUCCESS'),
          task('load_orders', 'FAILED', 'transient error', 0),
          task('load_orders', 'SUCCESS', '', 1),
          task('gate', 'FAILED', '[USER_RAISED_EXCEPTION] batch 2026-11-21 is missing upstreams: orders'),
          task('load_summary', 'UPSTREAM_FAILED', 'Upstream task(s) failed.'),
          task('notify_skipped', 'EXCLUDED', 'run_if condition not met'),
        ],
      },
    ]);
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, request(), { clock, pollIntervalMs: 1000 });
    expect(result.outcome).toBe('failed');
    if (result.outcome !== 'failed') return;
    expect(result.result).toBe('FAILED');
    expect(result.failedTasks).toEqual([
      { taskKey: 'gate', state: 'FAILED', message: '[USER_RAISED_EXCEPTION] batch 2026-11-21 is missing upstreams: orders' },
      { taskKey: 'load_summary', state: 'UPSTREAM_FAILED', message: 'Upstream task(s) failed.' },
    ]);
    expect(renderRunResult(result)).toBe(
      [
        `FAILED     run 5001 of ${JOB}: FAILED (Workload failed, see run output for details)`,
        '  task gate          FAILED: [USER_RAISED_EXCEPTION] batch 2026-11-21 is missing upstreams: orders',
        '  task load_summary  UPSTREAM_FAILED: Upstream task(s) failed.',
        `${fake().url}/jobs/12/runs/5001`,
        '',
      ].join('\n'),
    );
  });

  it('treats SUCCESS_WITH_FAILURES as a failure, naming the tasks that failed', async () => {
    fake().runScripts.set(12, [{ state: terminated('SUCCESS_WITH_FAILURES'), tasks: [task('load_customers', 'FAILED', 'table not found'), task('load_summary', 'SUCCESS')] }]);
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, request(), { clock, pollIntervalMs: 1000 });
    expect(result).toMatchObject({ outcome: 'failed', result: 'SUCCESS_WITH_FAILURES', failedTasks: [{ taskKey: 'load_customers', state: 'FAILED', message: 'table not found' }] });
  });

  it('reads every page of a run with many tasks before naming the failed ones', async () => {
    fake().runTasksPageSize = 2;
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((key) => task(key, key === 'e' ? 'FAILED' : 'SUCCESS', key === 'e' ? 'last page' : ''));
    fake().runScripts.set(12, [{ state: { life_cycle_state: 'RUNNING' } }, { state: terminated('FAILED'), tasks }]);
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, request(), { clock, pollIntervalMs: 1000 });
    expect(result).toMatchObject({ outcome: 'failed', failedTasks: [{ taskKey: 'e', state: 'FAILED', message: 'last page' }] });
    expect(fake().requestsTo('/api/2.2/jobs/runs/get').map((r) => r.query.get('page_token'))).toEqual([null, null, '2', '4']);
  });

  it('reads the newer status field when a run has no state', async () => {
    fake().runScripts.set(12, [
      { status: { state: 'RUNNING' } },
      { status: { state: 'TERMINATED', termination_details: { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR', message: 'Task gate failed' } }, tasks: [{ task_key: 'gate', status: { state: 'TERMINATED', termination_details: { code: 'RUN_EXECUTION_ERROR', message: 'boom' } } }] },
    ]);
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, request(), { clock, pollIntervalMs: 1000 });
    expect(result).toMatchObject({ outcome: 'failed', result: 'RUN_EXECUTION_ERROR', message: 'Task gate failed', failedTasks: [{ taskKey: 'gate', state: 'RUN_EXECUTION_ERROR', message: 'boom' }] });
  });

  it('gives up waiting at the timeout, saying the run is still going', async () => {
    fake().runScripts.set(12, [{ state: { life_cycle_state: 'PENDING' } }, { state: { life_cycle_state: 'RUNNING' } }]);
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, request({ timeoutMs: 60_000 }), { clock, pollIntervalMs: 25_000 });
    expect(result).toMatchObject({ outcome: 'timed-out', lifecycle: 'RUNNING', waitedMs: 60_000 });
    expect(clock.sleeps).toEqual([25_000, 25_000, 10_000]);
    expect(fake().requestsTo('/api/2.2/jobs/runs/get')).toHaveLength(4);
    expect(renderRunResult(result)).toContain(`TIMED OUT  waited 60 s for run 5001 of ${JOB}, still RUNNING; the run goes on`);
  });

  it('finds the job on a later page of the job list, by its exact name', async () => {
    fake().jobsPageSize = 1;
    fake().jobs = [
      { job_id: 21, name: '[DEV] Coordinated-Load' },
      { job_id: 22, name: '[dev] coordinated-load-old' },
      { job_id: 23, name: JOB },
    ];
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, request({ wait: false }), { clock, pollIntervalMs: 1000 });
    expect(result).toMatchObject({ outcome: 'started', jobId: 23 });
    const pages = fake().requestsTo('/api/2.2/jobs/list');
    expect(pages.map((p) => [p.query.get('page_token'), p.query.get('limit')])).toEqual([
      [null, '100'],
      ['1', '100'],
    ]);
  });

  it('refuses, as bad input, a job that is not deployed or whose name is not unique', async () => {
    const clock = new FakeClock();
    const jobs = connectTo(fake(), clock).jobs;
    const missing = await rejectionOf(runJob(jobs, request({ jobName: '[dev] analytics-dag' }), { clock, pollIntervalMs: 1000 }));
    expect(missing).toBeInstanceOf(BadInputError);
    expect(exitCodeFor(missing)).toBe(2);
    expect((missing as Error).message).toBe(`no job named "[dev] analytics-dag" is deployed in ${fake().url}: deploy the environment first`);

    fake().jobs.push({ job_id: 99, name: JOB });
    await expect(runJob(jobs, request(), { clock, pollIntervalMs: 1000 })).rejects.toThrow(`2 jobs are named "${JOB}" in ${fake().url} (job ids 12, 99)`);
    expect(fake().requestsTo('/api/2.2/jobs/run-now')).toHaveLength(0);
  });
});

import { environmentStatus } from '../../remote/environment-status';
import { renderStatus } from '../../remote/render';
import { FakeClock } from './fake-databricks';
import { connectTo, useFakeDatabricks } from './harness';

describe('status of an environment', () => {
  const fake = useFakeDatabricks();

  beforeEach(() => {
    fake().jobsPageSize = 2;
    fake().jobs = [
      { job_id: 1, name: '[dev] ingest-orders' },
      { job_id: 2, name: '[prod] ingest-orders' },
      { job_id: 3, name: 'someone else’s job' },
      { job_id: 4, name: '[dev] analytics-dag' },
      { job_id: 5, name: '[dev] refresh orders-medallion' },
    ];
    const started = Date.UTC(2026, 10, 21, 2, 0, 0);
    fake().latestRuns.set(1, { run_id: 71, job_id: 1, start_time: started, state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' }, run_page_url: 'https://example/run/71' });
    fake().latestRuns.set(4, { run_id: 74, job_id: 4, start_time: started, state: { life_cycle_state: 'RUNNING' } });
    fake().latestRuns.set(2, { run_id: 72, job_id: 2, state: { life_cycle_state: 'TERMINATED', result_state: 'FAILED' } });
    fake().pipelines = [
      { pipeline_id: 'p1', name: '[dev] user-analytics', state: 'IDLE' },
      { pipeline_id: 'p2', name: '[staging] orders-medallion', state: 'IDLE' },
      {
        pipeline_id: 'p3',
        name: '[dev] orders-medallion',
        state: 'RUNNING',
        latest_updates: [
          { update_id: 'u9', state: 'RUNNING', creation_time: '2026-11-21T02:00:00.000Z' },
          { update_id: 'u8', state: 'COMPLETED', creation_time: '2026-11-20T02:00:00.000Z' },
        ],
      },
    ];
  });

  it('lists the jobs (every page) and pipelines named with the prefix, with their last run or update', async () => {
    const workspace = connectTo(fake(), new FakeClock());
    const status = await environmentStatus(workspace.jobs, workspace.pipelines, '[dev] ');
    expect(status).toEqual({
      jobs: [
        { name: '[dev] analytics-dag', jobId: 4, lastRun: { runId: 74, state: 'RUNNING', startedAt: '2026-11-21T02:00:00.000Z', url: undefined } },
        { name: '[dev] ingest-orders', jobId: 1, lastRun: { runId: 71, state: 'SUCCESS', startedAt: '2026-11-21T02:00:00.000Z', url: 'https://example/run/71' } },
        { name: '[dev] refresh orders-medallion', jobId: 5 },
      ],
      pipelines: [
        { name: '[dev] orders-medallion', pipelineId: 'p3', state: 'RUNNING', lastUpdate: { updateId: 'u9', state: 'RUNNING', createdAt: '2026-11-21T02:00:00.000Z' } },
        { name: '[dev] user-analytics', pipelineId: 'p1', state: 'IDLE', lastUpdate: undefined },
      ],
    });
    expect(fake().requestsTo('/api/2.2/jobs/list')).toHaveLength(3);
    expect(fake().requestsTo('/api/2.2/jobs/runs/list').map((r) => [r.query.get('job_id'), r.query.get('limit')]).sort()).toEqual([
      ['1', '1'],
      ['4', '1'],
      ['5', '1'],
    ]);
    expect(fake().requestsTo('/api/2.0/pipelines')[0].query.get('filter')).toBe("name LIKE '%dev% %'");

    expect(renderStatus(status, '[dev] ', fake().url)).toBe(
      [
        `jobs named "[dev] …" in ${fake().url}:`,
        '  [dev] analytics-dag             RUNNING                2026-11-21T02:00:00.000Z  run 74',
        '  [dev] ingest-orders             SUCCESS                2026-11-21T02:00:00.000Z  run 71',
        '  [dev] refresh orders-medallion  never run',
        'pipelines named "[dev] …":',
        '  [dev] orders-medallion          RUNNING    last update RUNNING 2026-11-21T02:00:00.000Z',
        '  [dev] user-analytics            IDLE       never updated',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing is deployed', async () => {
    const workspace = connectTo(fake(), new FakeClock());
    const status = await environmentStatus(workspace.jobs, workspace.pipelines, '[qa] ');
    expect(status).toEqual({ jobs: [], pipelines: [] });
    expect(renderStatus(status, '[qa] ', fake().url)).toContain('  (none deployed)\n');
  });
});

import { BadInputError } from '../../remote/errors';
import { likeSuperset } from '../../remote/pipelines-api';
import { RefreshRequest, refreshPipeline } from '../../remote/refresh-pipeline';
import { renderRefreshResult } from '../../remote/render';
import { FakeClock } from './fake-databricks';
import { connectTo, rejectionOf, useFakeDatabricks } from './harness';

const PIPELINE = '[dev] orders-medallion';
const UPDATES = '/api/2.0/pipelines/p-dev-orders/updates';

describe('refresh a pipeline', () => {
  const fake = useFakeDatabricks();
  const request = (overrides: Partial<RefreshRequest> = {}): RefreshRequest => ({
    pipelineName: PIPELINE,
    fullRefresh: false,
    validateOnly: false,
    wait: true,
    timeoutMs: 3_600_000,
    ...overrides,
  });

  beforeEach(() => {
    fake().pipelines = [
      { pipeline_id: 'p-staging-orders', name: '[staging] orders-medallion', state: 'IDLE' },
      { pipeline_id: 'p-dev-users', name: '[dev] user-analytics', state: 'IDLE' },
      { pipeline_id: 'p-dev-orders', name: PIPELINE, state: 'IDLE' },
    ];
  });

  it('starts an update and follows it to COMPLETED', async () => {
    fake().updateScripts.set('p-dev-orders', ['WAITING_FOR_RESOURCES', 'INITIALIZING', 'RUNNING', 'COMPLETED']);
    const clock = new FakeClock();
    const progress: string[] = [];
    const result = await refreshPipeline(connectTo(fake(), clock).pipelines, request(), { clock, pollIntervalMs: 2000, onProgress: (m) => progress.push(m) });
    expect(result).toEqual({ outcome: 'succeeded', pipelineName: PIPELINE, pipelineId: 'p-dev-orders', updateId: 'update-1' });
    expect(fake().requestsTo(UPDATES, 'POST')[0].body).toEqual({ full_refresh: false, validate_only: false, cause: 'API_CALL' });
    expect(fake().requestsTo(`${UPDATES}/update-1`)).toHaveLength(4);
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
    expect(progress.at(-1)).toBe(`update update-1 of ${PIPELINE}: COMPLETED`);
    expect(renderRefreshResult(result)).toBe(`SUCCEEDED  update update-1 of ${PIPELINE} (pipeline p-dev-orders): COMPLETED\n`);
  });

  it('finds the pipeline by exact name with a LIKE filter that needs no escaping, across pages', async () => {
    fake().pipelinesPageSize = 1;
    fake().pipelines.unshift({ pipeline_id: 'p-other', name: '{dev} orders-medallion', state: 'IDLE' });
    const clock = new FakeClock();
    await refreshPipeline(connectTo(fake(), clock).pipelines, request({ wait: false }), { clock, pollIntervalMs: 1 });
    const lists = fake().requestsTo('/api/2.0/pipelines');
    expect(lists[0].query.get('filter')).toBe("name LIKE '%dev% orders-medallion'");
    expect(lists.map((l) => l.query.get('page_token'))).toEqual([null, '1']);
    expect(fake().requestsTo(UPDATES, 'POST')).toHaveLength(1);
    expect(likeSuperset("[it's] 100%_done")).toBe('%it%s% 100%%done');
  });

  it('sends --full-refresh and --validate-only in the body', async () => {
    const clock = new FakeClock();
    const pipelines = connectTo(fake(), clock).pipelines;
    await refreshPipeline(pipelines, request({ fullRefresh: true, wait: false }), { clock, pollIntervalMs: 1 });
    await refreshPipeline(pipelines, request({ validateOnly: true, wait: false }), { clock, pollIntervalMs: 1 });
    expect(fake().requestsTo(UPDATES, 'POST').map((r) => r.body)).toEqual([
      { full_refresh: true, validate_only: false, cause: 'API_CALL' },
      { full_refresh: false, validate_only: true, cause: 'API_CALL' },
    ]);
  });

  it('reports a FAILED update with the error events of that update', async () => {
    fake().updateScripts.set('p-dev-orders', ['RUNNING', 'FAILED']);
    fake().events.set('p-dev-orders', [
      { level: 'ERROR', message: "Update update-1 is FAILED.", origin: { update_id: 'update-1' } },
      {
        level: 'ERROR',
        message: "Flow 'silver_orders' has FAILED.",
        origin: { update_id: 'update-1' },
        error: { exceptions: [{ class_name: 'EXPECTATION_VIOLATION', message: "Expectation 'has_event_time' failed on 2 rows" }] },
      },
      { level: 'ERROR', message: 'An older failure', origin: { update_id: 'update-0' } },
    ]);
    const clock = new FakeClock();
    const result = await refreshPipeline(connectTo(fake(), clock).pipelines, request(), { clock, pollIntervalMs: 1000 });
    expect(result).toMatchObject({
      outcome: 'failed',
      state: 'FAILED',
      causes: ['Update update-1 is FAILED.', "Flow 'silver_orders' has FAILED. — EXPECTATION_VIOLATION: Expectation 'has_event_time' failed on 2 rows"],
    });
    expect(fake().requestsTo('/api/2.0/pipelines/p-dev-orders/events')[0].query.get('filter')).toBe("level='ERROR'");
    expect(renderRefreshResult(result)).toBe(
      [
        `FAILED     update update-1 of ${PIPELINE} (pipeline p-dev-orders): FAILED`,
        '  cause: Update update-1 is FAILED.',
        "  cause: Flow 'silver_orders' has FAILED. — EXPECTATION_VIOLATION: Expectation 'has_event_time' failed on 2 rows",
        '',
      ].join('\n'),
    );
  });

  it('reports a CANCELED update as a failure, and says so when the event log cannot be read', async () => {
    fake().updateScripts.set('p-dev-orders', ['CANCELED']);
    fake().fail({ path: '/api/2.0/pipelines/p-dev-orders/events', status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'no access to the event log' } });
    const clock = new FakeClock();
    const result = await refreshPipeline(connectTo(fake(), clock).pipelines, request(), { clock, pollIntervalMs: 1000 });
    expect(result).toMatchObject({ outcome: 'failed', state: 'CANCELED', causes: [] });
    expect(renderRefreshResult(result)).toContain('(the cause could not be read from the event log: GET /api/2.0/pipelines/p-dev-orders/events failed with HTTP 403, PERMISSION_DENIED: no access to the event log)');
  });

  it('gives up waiting at the timeout', async () => {
    fake().updateScripts.set('p-dev-orders', ['RUNNING']);
    const clock = new FakeClock();
    const result = await refreshPipeline(connectTo(fake(), clock).pipelines, request({ timeoutMs: 30_000 }), { clock, pollIntervalMs: 10_000 });
    expect(result).toMatchObject({ outcome: 'timed-out', state: 'RUNNING', waitedMs: 30_000 });
    expect(renderRefreshResult(result)).toContain('TIMED OUT  waited 30 s for update update-1');
  });

  it('refuses, as bad input, a pipeline that is not deployed', async () => {
    const clock = new FakeClock();
    const error = await rejectionOf(refreshPipeline(connectTo(fake(), clock).pipelines, request({ pipelineName: '[qa] orders-medallion' }), { clock, pollIntervalMs: 1 }));
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toBe(`no pipeline named "[qa] orders-medallion" is deployed in ${fake().url}: deploy the environment first`);
  });
});

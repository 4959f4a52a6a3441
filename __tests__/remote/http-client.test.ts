import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../../remote/errors';
import { exitCodeFor } from '../../model/errors';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs } from '../../remote/retry-policy';
import { runJob } from '../../remote/run-job';
import { connectWorkspace } from '../../remote/workspace';
import { FakeClock, fakeSecret } from './fake-databricks';
import { NO_CONFIG_FILE, connectTo, rejectionOf, useFakeDatabricks } from './harness';

const LIST_JOBS = '/api/2.2/jobs/list';
const RUN_NOW = '/api/2.2/jobs/run-now';

describe('the HTTP client', () => {
  const fake = useFakeDatabricks();

  it('does not retry a 4xx, and names the method, path, status, error_code and message', async () => {
    fake().fail({ path: LIST_JOBS, status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'User has no access to jobs' } });
    const clock = new FakeClock();
    const error = await rejectionOf<ApiError>(connectTo(fake(), clock).jobs.listJobs());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('GET /api/2.2/jobs/list failed with HTTP 403, PERMISSION_DENIED: User has no access to jobs');
    expect([error.status, error.errorCode, error.attempts]).toEqual([403, 'PERMISSION_DENIED', 1]);
    expect(fake().requestsTo(LIST_JOBS)).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(exitCodeFor(error)).toBe(1);
  });

  it('does not retry a 400 from run-now either: one run request, a clear error', async () => {
    fake().jobs = [{ job_id: 7, name: '[dev] ingest-orders' }];
    fake().fail({ method: 'POST', path: RUN_NOW, status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Job parameter "nope" is not defined' } });
    const clock = new FakeClock();
    const run = runJob(connectTo(fake(), clock).jobs, { jobName: '[dev] ingest-orders', parameters: { nope: '1' }, wait: false, timeoutMs: 1000 }, { clock, pollIntervalMs: 10 });
    await expect(run).rejects.toThrow('POST /api/2.2/jobs/run-now failed with HTTP 400, INVALID_PARAMETER_VALUE: Job parameter "nope" is not defined');
    expect(fake().requestsTo(RUN_NOW)).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a 429, waiting what Retry-After asks in seconds', async () => {
    fake().jobs = [{ job_id: 7, name: '[dev] ingest-orders' }];
    fake().fail({ path: LIST_JOBS, status: 429, headers: { 'Retry-After': '7' }, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } });
    const clock = new FakeClock();
    const jobs = await connectTo(fake(), clock).jobs.listJobs();
    expect(jobs.map((j) => j.job_id)).toEqual([7]);
    expect(clock.sleeps).toEqual([7000]);
    expect(fake().requestsTo(LIST_JOBS)).toHaveLength(2);
  });

  it('retries a 503, waiting until the HTTP date Retry-After gives', async () => {
    const clock = new FakeClock();
    fake().fail({ path: LIST_JOBS, status: 503, headers: { 'Retry-After': new Date(clock.now() + 3000).toUTCString() }, body: { error_code: 'TEMPORARILY_UNAVAILABLE' } });
    await connectTo(fake(), clock).jobs.listJobs();
    expect(clock.sleeps).toEqual([3000]);
  });

  it('retries 5xx without Retry-After with exponential backoff, then succeeds', async () => {
    fake().fail({ path: LIST_JOBS, status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'oops' }, times: 2 });
    fake().fail({ path: LIST_JOBS, status: 502, body: '<html><body>Bad gateway</body></html>' });
    const clock = new FakeClock();
    await connectTo(fake(), clock).jobs.listJobs();
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(fake().requestsTo(LIST_JOBS)).toHaveLength(4);
  });

  it('gives up on 5xx after a bounded number of attempts, with the last error', async () => {
    fake().fail({ path: LIST_JOBS, status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'The service is at capacity' }, times: 100 });
    const clock = new FakeClock();
    const error = await rejectionOf<ApiError>(connectTo(fake(), clock).jobs.listJobs());
    expect(error.message).toBe('GET /api/2.2/jobs/list failed with HTTP 503, TEMPORARILY_UNAVAILABLE: The service is at capacity (after 5 attempts)');
    expect(fake().requestsTo(LIST_JOBS)).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  it('reads a non-JSON error body (a proxy page) into the message', async () => {
    fake().fail({ path: LIST_JOBS, status: 404, body: '<html><body>Not here</body></html>' });
    await expect(connectTo(fake(), new FakeClock()).jobs.listJobs()).rejects.toThrow('GET /api/2.2/jobs/list failed with HTTP 404, <html><body>Not here</body></html>');
  });

  it('retries run-now on 503 with the same idempotency token, so one run starts', async () => {
    fake().jobs = [{ job_id: 7, name: '[dev] ingest-orders' }];
    fake().fail({ method: 'POST', path: RUN_NOW, status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE' } });
    const clock = new FakeClock();
    const result = await runJob(connectTo(fake(), clock).jobs, { jobName: '[dev] ingest-orders', parameters: {}, wait: false, timeoutMs: 1000 }, { clock, pollIntervalMs: 10 });
    const tokens = fake().requestsTo(RUN_NOW).map((r) => r.body.idempotency_token);
    expect(tokens).toHaveLength(2);
    expect(typeof tokens[0]).toBe('string');
    expect(tokens[1]).toBe(tokens[0]);
    expect(result.outcome).toBe('started');
  });

  it('retries a request that gets no response, then fails naming it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const clock = new FakeClock();
    const workspace = connectWorkspace(
      { host: `http://127.0.0.1:${port}` },
      { env: { DATABRICKS_TOKEN: fakeSecret('dapi'), DATABRICKS_CONFIG_FILE: NO_CONFIG_FILE }, clock, retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 } },
    );
    const error = await rejectionOf<ApiError>(workspace.jobs.listJobs());
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/^GET \/api\/2\.2\/jobs\/list failed with no response, .*ECONNREFUSED.* \(after 3 attempts\)$/);
    expect(clock.sleeps).toEqual([1000, 2000]);
  });
});

describe('Retry-After and backoff', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads delay-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('doubles the backoff up to a cap, and bounds what Retry-After may ask', () => {
    const policy = { maxAttempts: 10, initialDelayMs: 1000, maxDelayMs: 5000, maxRetryAfterMs: 60_000 };
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(policy, retry))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelayMs(policy, 1, 30_000)).toBe(30_000);
    expect(retryDelayMs(policy, 1, 3_600_000)).toBe(60_000);
  });
});

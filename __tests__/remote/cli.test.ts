import { fakeSecret } from './fake-databricks';
import { runRemoteCli, useFakeDatabricks } from './harness';

describe('npm run remote (end to end, against a fake workspace)', () => {
  const fake = useFakeDatabricks();
  const withFake = (): Record<string, string> => ({ DATABRICKS_HOST: fake().url, DATABRICKS_TOKEN: fake().token });

  beforeEach(() => {
    fake().jobs = [
      { job_id: 1, name: '[dev] ingest-orders' },
      { job_id: 2, name: '[dev] coordinated-load' },
    ];
    fake().pipelines = [{ pipeline_id: 'p-orders', name: '[dev] orders-medallion', state: 'IDLE' }];
  });

  it('runs a workflow with parameters, follows it, and exits 0 on success without printing the token', async () => {
    fake().runScripts.set(1, [{ state: { life_cycle_state: 'RUNNING' } }, { state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' } }]);
    const { status, stdout, stderr } = await runRemoteCli(['run', 'ingest-orders', '--env', 'dev', '--param', 'landing_path=/Volumes/x/', '--wait'], withFake());
    expect(stderr).toContain(`${fake().url}: credentials from DATABRICKS_TOKEN`);
    expect(stderr).toContain('run 5001 of [dev] ingest-orders: TERMINATED SUCCESS');
    expect(stdout).toBe(`SUCCEEDED  run 5001 of [dev] ingest-orders\n${fake().url}/jobs/1/runs/5001\n`);
    expect(status).toBe(0);
    expect(fake().requestsTo('/api/2.2/jobs/run-now')[0].body.job_parameters).toEqual({ landing_path: '/Volumes/x/' });
    expect(`${stdout}${stderr}`).not.toContain(fake().token);
  });

  it('exits 1 naming the failed tasks when the run fails', async () => {
    fake().runScripts.set(2, [
      {
        state: { life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'Workload failed' },
        tasks: [
          { task_key: 'gate', state: { life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'missing upstreams: orders' } },
          { task_key: 'load_summary', state: { life_cycle_state: 'TERMINATED', result_state: 'UPSTREAM_FAILED' } },
        ],
      },
    ]);
    const { status, stdout } = await runRemoteCli(['run', 'coordinated-load', '--env', 'dev', '--wait'], withFake());
    expect(status).toBe(1);
    expect(stdout).toContain('FAILED     run 5001 of [dev] coordinated-load: FAILED (Workload failed)');
    expect(stdout).toContain('  task gate          FAILED: missing upstreams: orders\n');
    expect(stdout).toContain('  task load_summary  UPSTREAM_FAILED\n');
  });

  it('exits 1 saying so when the wait times out', async () => {
    fake().runScripts.set(1, [{ state: { life_cycle_state: 'RUNNING' } }]);
    const { status, stdout } = await runRemoteCli(['run', 'ingest-orders', '--env', 'dev', '--wait', '--timeout', '0.05'], withFake());
    expect(status).toBe(1);
    expect(stdout).toMatch(/^TIMED OUT {2}waited \d+ s for run 5001 of \[dev\] ingest-orders, still RUNNING; the run goes on\n/);
  });

  it('starts a run without waiting: prints the run id and page, exits 0', async () => {
    const { status, stdout } = await runRemoteCli(['run', 'ingest-orders', '--env', 'dev'], withFake());
    expect(status).toBe(0);
    expect(stdout).toBe(`STARTED    run 5001 of [dev] ingest-orders\n${fake().url}/jobs/1/runs/5001\n`);
  });

  it('refreshes a pipeline: exit 0 when it completes, 1 when it fails', async () => {
    const ok = await runRemoteCli(['refresh', 'orders-medallion', '--env', 'dev', '--full-refresh', '--wait'], withFake());
    expect(ok.stdout).toBe('SUCCEEDED  update update-1 of [dev] orders-medallion (pipeline p-orders): COMPLETED\n');
    expect(ok.status).toBe(0);
    expect(fake().requestsTo('/api/2.0/pipelines/p-orders/updates', 'POST')[0].body).toEqual({ full_refresh: true, validate_only: false, cause: 'API_CALL' });

    fake().updateScripts.set('p-orders', ['RUNNING', 'FAILED']);
    fake().events.set('p-orders', [{ level: 'ERROR', message: "Flow 'silver_orders' has FAILED.", origin: { update_id: 'update-2' } }]);
    const failed = await runRemoteCli(['refresh', 'orders-medallion', '--env', 'dev', '--validate-only', '--wait'], withFake());
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe("FAILED     update update-2 of [dev] orders-medallion (pipeline p-orders): FAILED\n  cause: Flow 'silver_orders' has FAILED.\n");
  });

  it('prints the status of the environment as JSON', async () => {
    const { status, stdout } = await runRemoteCli(['status', '--env', 'dev', '--json'], withFake());
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      jobs: [
        { name: '[dev] coordinated-load', jobId: 2 },
        { name: '[dev] ingest-orders', jobId: 1 },
      ],
      pipelines: [{ name: '[dev] orders-medallion', pipelineId: 'p-orders', state: 'IDLE' }],
    });
  });

  it('exits 2 on bad input (missing credentials, unknown workflow, job not deployed, bad --param), and 1 when the API refuses the token', async () => {
    const noCredentials = await runRemoteCli(['run', 'ingest-orders', '--env', 'dev', '--wait'], { DATABRICKS_HOST: fake().url });
    expect(noCredentials.status).toBe(2);
    expect(noCredentials.stderr).toContain(`no Databricks credentials for ${fake().url}. Set one of:`);
    expect(noCredentials.stderr).toContain('DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET');

    const unknown = await runRemoteCli(['run', 'nope', '--env', 'dev'], withFake());
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown workflow "nope"; known: .*ingest-orders/);

    const notDeployed = await runRemoteCli(['run', 'analytics-dag', '--env', 'dev'], withFake());
    expect(notDeployed.status).toBe(2);
    expect(notDeployed.stderr).toContain(`no job named "[dev] analytics-dag" is deployed in ${fake().url}`);

    const badParam = await runRemoteCli(['run', 'ingest-orders', '--env', 'dev', '--param', 'no-equals-sign'], withFake());
    expect(badParam.status).toBe(2);
    expect(badParam.stderr).toContain('"no-equals-sign" is not key=value');

    const refused = await runRemoteCli(['run', 'ingest-orders', '--env', 'dev'], { DATABRICKS_HOST: fake().url, DATABRICKS_TOKEN: fakeSecret('dapi', 'r') });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('GET /api/2.2/jobs/list failed with HTTP 401, UNAUTHENTICATED: Invalid access token.');
    expect(refused.stderr).not.toContain(fakeSecret('dapi', 'r'));
  });
});

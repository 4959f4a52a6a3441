import { readFileSync } from 'node:fs';
import { namingContextOf } from '../../config/environment-naming';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { projectPipelines, projectWorkflows, theProject } from '../../config/project';
import { FOLDER_MARKER } from '../../model/naming';
import { BadInputError } from '../../remote/errors';
import { IntegrationPlan, planIntegration, projectIntegrationInputs, renderIntegrationReport, runIntegration } from '../../remote/integration';
import { deploymentTarget } from '../../remote/target';
import { FakeClock, FakeDatabricks } from './fake-databricks';
import { connectTo, runRemoteCli, useFakeDatabricks } from './harness';

const ENV = 'staging';
const RUN = 'gh-77-1';
const target = deploymentTarget(ENV);
const naming = namingContextOf(loadEnvironments(environments).find((e) => e.name === ENV)!, theProject().sourceVolumes);
const landingRoots = [...naming.volumes.entries()].filter(([key]) => key.startsWith('landing.')).map(([, folders]) => folders.root);

/** Whether a path is, or is inside, an `incoming` folder: where real files land and file-arrival triggers look. */
const touchesIncoming = (path: string) => path.split('/').includes('incoming');

/** The staging workspace as deployed: every job and pipeline, and each landing volume with its marked incoming and archive folders. */
function deployStaging(fake: FakeDatabricks): void {
  fake.jobs = projectWorkflows().map((w, i) => ({ job_id: 100 + i, name: target.jobName(w.name) }));
  fake.pipelines = projectPipelines().map((p) => ({ pipeline_id: `p-${p.name}`, name: target.pipelineName(p.name), state: 'IDLE' }));
  for (const volumeRoot of landingRoots) {
    fake.addFile(`${volumeRoot}/incoming/${FOLDER_MARKER.name}`, FOLDER_MARKER.content);
    fake.addFile(`${volumeRoot}/archive/${FOLDER_MARKER.name}`, FOLDER_MARKER.content);
  }
  // a real file waiting in production's folder, which the test must never read, move or delete
  fake.addFile(`${naming.volumes.get('landing.orders')!.root}/incoming/orders_real.csv`, 'tracking_num\nREAL-1\n');
}

/** Every file with its contents and every directory: the workspace's state. */
const stateOf = (fake: FakeDatabricks) => ({ directories: [...fake.directories].sort(), files: [...fake.files.entries()].map(([p, c]) => [p, c.toString('utf8')]).sort() });

function plan(runId = RUN, parameters = {}): IntegrationPlan {
  return planIntegration(projectIntegrationInputs(ENV, target, runId, parameters));
}

describe('integration plan', () => {
  it('points every folder parameter into the test folders, never an incoming folder', () => {
    const planned = plan();
    const folderParameters = new Set(projectWorkflows().flatMap((w) => w.parameters.filter((p) => p.default.includes('{{env.volume.')).map((p) => `${w.name}.${p.name}`)));
    expect(folderParameters.size).toBeGreaterThan(0);
    for (const workflow of planned.workflows) {
      if ('skipped' in workflow) throw new Error(`${workflow.workflow} skipped: ${workflow.skipped}`);
      for (const [name, value] of Object.entries(workflow.parameters)) {
        if (!folderParameters.has(`${workflow.workflow}.${name}`)) continue;
        expect(value).toMatch(new RegExp(`^/Volumes/lakehouse_staging/landing/\\w+/integration/${RUN}/`));
        expect(touchesIncoming(value)).toBe(false);
      }
    }
    const ingestOrders = planned.workflows.find((w) => w.workflow === 'ingest-orders');
    expect(ingestOrders).toEqual({
      workflow: 'ingest-orders',
      jobName: '[staging] ingest-orders',
      parameters: { landing_path: `/Volumes/lakehouse_staging/landing/orders/integration/${RUN}/arrivals/`, archive_path: `/Volumes/lakehouse_staging/landing/orders/integration/${RUN}/archive/` },
    });
    expect([...planned.uploads.map((u) => u.remotePath), ...planned.directories].filter(touchesIncoming)).toEqual([]);
    expect(planned.uploads.map((u) => u.remotePath)).toContain(`/Volumes/lakehouse_staging/landing/orders/integration/${RUN}/arrivals/orders_2026-11-20.csv`);
    expect(planned.uploads.some((u) => u.localPath.endsWith('.gitkeep'))).toBe(false);
  });

  it('runs the ingestion workflows first, sets a batch parameter to the batch the samples hold, and hands a job task the test folders', () => {
    const planned = plan();
    const order = planned.workflows.map((w) => w.workflow);
    const ingestion = projectWorkflows().filter((w) => w.landingVolume).map((w) => w.name);
    expect(order.slice(0, ingestion.length).sort()).toEqual([...ingestion].sort());
    expect(order.sort()).toEqual(projectWorkflows().map((w) => w.name).sort());
    expect(planned.workflows.find((w) => w.workflow === 'coordinated-load')).toMatchObject({
      parameters: { batch_id: '2026-11-21', orders_batches: `/Volumes/lakehouse_staging/landing/orders/integration/${RUN}/batches/` },
    });
    // analytics-dag passes its customers folders on to the ingest-customers job it runs
    expect(planned.workflows.find((w) => w.workflow === 'analytics-dag')).toEqual({
      workflow: 'analytics-dag',
      jobName: '[staging] analytics-dag',
      parameters: {
        customers_landing_path: `/Volumes/lakehouse_staging/landing/customers/integration/${RUN}/arrivals/`,
        customers_archive_path: `/Volumes/lakehouse_staging/landing/customers/integration/${RUN}/archive/`,
      },
    });
    expect(planned.pipelines).toEqual(projectPipelines().map((p) => ({ pipeline: p.name, pipelineName: `[staging] ${p.name}` })));
  });

  it('skips a workflow whose job task would hand the job it runs the real folders, naming the task and the parameters', () => {
    const inputs = projectIntegrationInputs(ENV, target, RUN);
    const withoutFolders = inputs.workflows.map((w) =>
      w.name !== 'analytics-dag'
        ? w
        : { ...w, tasks: w.tasks.map((t) => (t.asset.kind === 'job' ? { ...t, parameters: Object.fromEntries(Object.entries(t.parameters ?? {}).filter(([name]) => !name.endsWith('_path'))) } : t)) },
    );
    const planned = planIntegration({ ...inputs, workflows: withoutFolders });
    expect(planned.workflows.find((w) => w.workflow === 'analytics-dag')).toEqual({
      workflow: 'analytics-dag',
      skipped: expect.stringContaining('its task ingest_customers runs job ingest-customers, whose landing_path, archive_path the task does not pass on'),
    });
    expect(planned.workflows.filter((w) => 'skipped' in w).map((w) => w.workflow)).toEqual(['analytics-dag']);
  });

  it('takes extra parameters per workflow, but never one that names a folder, and refuses a bad run id', () => {
    expect(plan(RUN, { 'coordinated-load': { batch_id: '2026-11-22' } }).workflows.find((w) => w.workflow === 'coordinated-load')).toMatchObject({ parameters: { batch_id: '2026-11-22' } });
    expect(() => plan(RUN, { 'ingest-orders': { landing_path: '/Volumes/lakehouse_staging/landing/orders/incoming/' } })).toThrow(BadInputError);
    expect(() => plan(RUN, { 'ingest-orders': { nope: 'x' } })).toThrow('ingest-orders has no parameter nope');
    expect(() => plan(RUN, { 'no-such-workflow': { a: 'b' } })).toThrow(BadInputError);
    expect(() => plan('../etc')).toThrow(BadInputError);
  });
});

describe('integration stage (against a fake workspace)', () => {
  const fake = useFakeDatabricks();
  const apis = (clock: FakeClock) => connectTo(fake(), clock);
  const options = (clock: FakeClock, keep = false) => ({ clock, pollIntervalMs: 1000, timeoutMs: 600_000, keep });

  beforeEach(() => deployStaging(fake()));

  it('uploads the samples, runs every workflow against the test folders, validates every pipeline, and leaves the workspace as it found it', async () => {
    const before = stateOf(fake());
    fake().directoryPageSize = 2;
    const clock = new FakeClock();
    const planned = plan();
    const report = await runIntegration(apis(clock), planned, options(clock));

    expect(report.passed).toBe(true);
    expect(report.uploaded).toBe(planned.uploads.length);
    expect(report.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
    expect(stateOf(fake())).toEqual(before);

    const runs = fake().requestsTo('/api/2.2/jobs/run-now').map((r) => r.body);
    expect(runs).toHaveLength(projectWorkflows().length);
    const jobIdOf = (workflow: string) => fake().jobs.find((j) => j.name === target.jobName(workflow))!.job_id;
    expect(runs.find((r) => r.job_id === jobIdOf('ingest-orders'))!.job_parameters).toEqual((planned.workflows.find((w) => w.workflow === 'ingest-orders') as { parameters: object }).parameters);
    for (const pipeline of projectPipelines()) expect(fake().requestsTo(`/api/2.0/pipelines/p-${pipeline.name}/updates`, 'POST')[0].body).toEqual({ full_refresh: false, validate_only: true, cause: 'API_CALL' });

    // nothing ever touched an incoming folder: no file request, no job parameter
    expect(fake().requests.filter((r) => r.filePath !== undefined && touchesIncoming(r.filePath)).map((r) => `${r.method} ${r.filePath}`)).toEqual([]);
    expect(runs.flatMap((r) => Object.values((r.job_parameters as Record<string, string>) ?? {})).filter(touchesIncoming)).toEqual([]);
    expect(fake().requests.filter((r) => r.filePath !== undefined).every((r) => r.filePath!.includes(`/integration/${RUN}`) || /\/integration$/.test(r.filePath!))).toBe(true);

    const table = renderIntegrationReport(report, ENV);
    expect(table).toMatch(/^workflow {2}ingest-orders +SUCCEEDED {2}run \d+ /m);
    expect(table).toMatch(/^workflow {2}analytics-dag +SUCCEEDED {2}run \d+ /m);
    expect(table).toMatch(/^pipeline {2}orders-medallion +SUCCEEDED {2}validate-only update update-\d+: COMPLETED$/m);
    expect(table).toContain(`test folders removed (${planned.uploads.length} file(s))`);
    expect(table.trimEnd().endsWith('INTEGRATION PASSED')).toBe(true);
  });

  it('uploads the samples byte for byte, and keeps the test folders with --keep', async () => {
    const clock = new FakeClock();
    const planned = plan();
    const report = await runIntegration(apis(clock), planned, options(clock, true));
    expect(report.passed).toBe(true);
    for (const upload of planned.uploads) expect(fake().files.get(upload.remotePath)?.equals(readFileSync(upload.localPath))).toBe(true);
    expect(renderIntegrationReport(report, ENV)).toContain('test folders kept (--keep)');
  });

  it('fails when a workflow fails, names its failed task, runs the rest, and still removes the test folders', async () => {
    const before = stateOf(fake());
    const failing = fake().jobs.find((j) => j.name === '[staging] ingest-orders')!.job_id;
    fake().runScripts.set(failing, [{ state: { life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'Workload failed' }, tasks: [{ task_key: 'stage', state: { life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'PATH_NOT_FOUND' } }] }]);
    fake().pipelines = fake().pipelines.filter((p) => p.name !== '[staging] user-analytics');
    const clock = new FakeClock();
    const report = await runIntegration(apis(clock), plan(), options(clock));

    expect(report.passed).toBe(false);
    expect(report.results.find((r) => r.name === 'ingest-orders')).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/^run \d+: FAILED \(Workload failed\); task stage FAILED: PATH_NOT_FOUND$/) });
    expect(report.results.find((r) => r.name === 'user-analytics')).toMatchObject({ outcome: 'error', detail: expect.stringContaining('no pipeline named "[staging] user-analytics" is deployed') });
    expect(report.results.filter((r) => r.outcome === 'succeeded').length).toBeGreaterThan(3);
    expect(stateOf(fake())).toEqual(before);
    expect(renderIntegrationReport(report, ENV)).toContain('INTEGRATION FAILED: 2 of');
  });

  it('runs nothing when the samples cannot be uploaded, and removes what it had written', async () => {
    const before = stateOf(fake());
    const planned = plan();
    const second = planned.uploads[1].remotePath.split('/').map((s) => encodeURIComponent(s)).join('/');
    fake().fail({ method: 'PUT', path: `/api/2.0/fs/files${second}`, status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'no WRITE_VOLUME' } });
    const clock = new FakeClock();
    const report = await runIntegration(apis(clock), planned, options(clock));
    expect(report).toMatchObject({ passed: false, uploaded: 1, results: [], setupError: expect.stringContaining('HTTP 403, PERMISSION_DENIED: no WRITE_VOLUME') });
    expect(fake().requestsTo('/api/2.2/jobs/run-now')).toEqual([]);
    expect(stateOf(fake())).toEqual(before);
  });
});

describe('Files API client', () => {
  const fake = useFakeDatabricks();

  it('encodes paths, retries what is worth retrying, and reads a missing file or directory as nothing to delete', async () => {
    const clock = new FakeClock();
    const { files } = connectTo(fake(), clock);
    fake().addDirectory('/Volumes/c/landing/orders');
    await files.createDirectory('/Volumes/c/landing/orders/integration/r1/a b');
    fake().fail({ method: 'PUT', path: '/api/2.0/fs/files/Volumes/c/landing/orders/integration/r1/a%20b/x%231.csv', status: 503, headers: { 'Retry-After': '2' } });
    await files.upload('/Volumes/c/landing/orders/integration/r1/a b/x#1.csv', Buffer.from('id\n1\n'));
    expect(fake().files.get('/Volumes/c/landing/orders/integration/r1/a b/x#1.csv')?.toString()).toBe('id\n1\n');
    expect(clock.sleeps).toEqual([2000]);
    expect(fake().requests.filter((r) => r.method === 'PUT' && r.path.includes('/fs/files/')).map((r) => r.headers['content-type'])).toEqual(['application/octet-stream', 'application/octet-stream']);

    expect(await files.list('/Volumes/c/landing/orders/integration/nope')).toBeUndefined();
    expect(await files.deleteFile('/Volumes/c/landing/orders/integration/r1/nope.csv')).toBe(false);
    expect(await files.deleteRecursively('/Volumes/c/landing/orders/integration/r1')).toBe(1);
    expect(fake().pathsUnder('/Volumes/c/landing/orders')).toEqual(['/Volumes/c/landing/orders', '/Volumes/c/landing/orders/integration']);
    await expect(files.upload('/Volumes/c/landing/orders/../../x.csv', Buffer.from(''))).rejects.toThrow('is not an absolute file or directory path');
    await expect(files.createDirectory('/Volumes/c/landing/nope/x')).rejects.toThrow('PUT /api/2.0/fs/directories/Volumes/c/landing/nope/x failed with HTTP 404, NOT_FOUND: Volume /Volumes/c/landing/nope/x does not exist.');
  });
});

/** `npm run remote -- integration …` as a child process, polling every millisecond. */
const remote = (args: readonly string[], env: Readonly<Record<string, string>>) => runRemoteCli(args, { LAKEHOUSE_REMOTE_POLL_MS: '1', ...env });

describe('npm run remote -- integration (end to end)', () => {
  const fake = useFakeDatabricks();
  const withFake = (): Record<string, string> => ({ DATABRICKS_HOST: fake().url, DATABRICKS_TOKEN: fake().token, GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '2' });

  beforeEach(() => deployStaging(fake()));

  it('exits 0 and prints the table when everything passes, 1 when a run fails; the folders are gone either way', async () => {
    const before = stateOf(fake());
    const ok = await remote(['integration', '--env', ENV], withFake());
    expect(ok.stderr).toContain('uploaded');
    expect(ok.stdout).toContain(`integration run gh-4242-2 of ${ENV}`);
    expect(ok.stdout).toContain('INTEGRATION PASSED');
    expect(ok.status).toBe(0);
    expect(stateOf(fake())).toEqual(before);

    const failing = fake().jobs.find((j) => j.name === '[staging] coordinated-load')!.job_id;
    fake().runScripts.set(failing, [{ state: { life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'gate failed' } }]);
    const failed = await remote(['integration', '--env', ENV, '--run-id', 'second'], withFake());
    expect(failed.stdout).toMatch(/^workflow {2}coordinated-load +FAILED {5}run \d+: FAILED \(gate failed\)/m);
    expect(failed.stdout).toContain('INTEGRATION FAILED: 1 of');
    expect(failed.status).toBe(1);
    expect(stateOf(fake())).toEqual(before);
    expect(fake().requests.filter((r) => r.filePath !== undefined && touchesIncoming(r.filePath))).toEqual([]);
  });

  it('exits 2 on bad input: an unknown environment, a folder parameter overridden', async () => {
    const unknown = await remote(['integration', '--env', 'nope'], withFake());
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown environment "nope"');
    const folder = await remote(['integration', '--env', ENV, '--param', 'ingest-orders.landing_path=/Volumes/x/'], withFake());
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain('landing_path names a volume folder');
    expect(fake().requests).toEqual([]);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeLakehouse } from '../../app/synthesize-lakehouse';
import { ConfigError } from '../../config/load-config';
import { pipelineDefinitions } from '../../config/pipelines';
import { workflowDefinitions } from '../../config/workflows';

type Config = Record<string, Record<string, unknown>>;

function validConfig(): Config {
  return {
    dev: {
      mode: 'development',
      workspace: { host: 'https://dev.example.cloud.databricks.com' },
      catalog: { name: 'lh_dev' },
      warehouse: { type: 'serverless' },
      stateBackend: { type: 's3', bucket: 'tf-state', key: 'dev.tfstate', region: 'eu-west-1' },
      volumes: [{ name: 'customers' }, { name: 'events' }],
    },
    prod: {
      promotedFrom: 'dev',
      mode: 'production',
      workspace: { host: 'https://prod.example.cloud.databricks.com' },
      catalog: { name: 'lh_prod' },
      warehouse: { type: 'existing', id: '0123456789abcdef' },
      runAs: { servicePrincipal: '11111111-2222-4333-8444-555555555555' },
      notifications: { destinations: { 'on-call': { type: 'existing', id: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' } }, onFailure: ['on-call'] },
      stateBackend: { type: 's3', bucket: 'tf-state', key: 'prod.tfstate', region: 'eu-west-1' },
      volumes: [{ name: 'customers' }, { name: 'events' }],
    },
  };
}

let workdir: string;
let outdir: string;
beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), 'lakehouse-config-'));
  outdir = join(workdir, 'cdktf.out');
  // A previous synth's output must survive a failed one untouched.
  mkdirSync(outdir);
  writeFileSync(join(outdir, 'previous.txt'), 'from the last good synth');
});
afterEach(() => rmSync(workdir, { recursive: true, force: true }));

function expectRejected(config: Config, environment: string, field: string, only: string[] = []): ConfigError {
  let caught: unknown;
  try {
    synthesizeLakehouse(config, { outdir, only });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.problems).toContainEqual(expect.objectContaining({ file: 'config/environments.ts', object: `environment "${environment}"`, field }));
  expect(error.message).toContain(`config/environments.ts: environment "${environment}", field "${field}"`);
  expect(readdirSync(workdir)).toEqual(['cdktf.out']);
  expect(readdirSync(outdir)).toEqual(['previous.txt']);
  expect(readFileSync(join(outdir, 'previous.txt'), 'utf8')).toBe('from the last good synth');
  return error;
}

describe('configuration validation', () => {
  it('accepts the valid baseline, so every rejection below is caused by its one change', () => {
    expect(synthesizeLakehouse(validConfig(), { outdir })).toEqual(['lakehouse-dev', 'lakehouse-prod']);
    expect(existsSync(join(outdir, 'stacks', 'lakehouse-prod', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(outdir, 'previous.txt'))).toBe(false);
  });

  const cases: [string, (c: Config) => void, string, string][] = [
    ['a missing workspace host', (c) => delete (c.dev.workspace as Record<string, unknown>).host, 'dev', 'workspace.host'],
    ['a plain-http workspace host', (c) => (c.dev.workspace = { host: 'http://dev.example.com' }), 'dev', 'workspace.host'],
    ['a host with a path', (c) => (c.dev.workspace = { host: 'https://dev.example.com/login' }), 'dev', 'workspace.host'],
    ['a reserved catalog name', (c) => (c.dev.catalog = { name: 'hive_metastore' }), 'dev', 'catalog.name'],
    ['credentials inside the host URL', (c) => (c.dev.workspace = { host: 'https://token:abc@dev.example.com' }), 'dev', 'workspace.host'],
    ['a catalog name with a space', (c) => (c.dev.catalog = { name: 'lh dev' }), 'dev', 'catalog.name'],
    ['a catalog name with a quote', (c) => (c.dev.catalog = { name: "lh'dev" }), 'dev', 'catalog.name'],
    ['a catalog name with a dot', (c) => (c.dev.catalog = { name: 'lh.dev' }), 'dev', 'catalog.name'],
    ['a schema name with upper case', (c) => (c.dev.catalog = { name: 'lh_dev', schemas: { gold: 'Gold' } }), 'dev', 'catalog.schemas.gold'],
    ['duplicate schema names', (c) => (c.dev.catalog = { name: 'lh_dev', schemas: { silver: 'curated', gold: 'curated' } }), 'dev', 'catalog.schemas.gold'],
    ['an unknown schema layer', (c) => (c.dev.catalog = { name: 'lh_dev', schemas: { platinum: 'x' } }), 'dev', 'catalog.schemas.platinum'],
    ['a production environment without run_as', (c) => delete c.prod.runAs, 'prod', 'runAs'],
    ['an environment CI deploys on local state, which a fresh runner loses', (c) => (c.dev.stateBackend = { type: 'local' }), 'dev', 'stateBackend'],
    ['the deprecated DynamoDB lock table', (c) => (c.prod.stateBackend = { type: 's3', bucket: 'tf-state', key: 'prod.tfstate', region: 'eu-west-1', dynamodbTable: 'locks' }), 'prod', 'stateBackend.dynamodbTable'],
    ['a production environment that notifies nobody', (c) => (c.prod.notifications = { destinations: {} }), 'prod', 'notifications'],
    ['a failure destination that is not declared', (c) => (c.dev.notifications = { destinations: {}, onFailure: ['pager'] }), 'dev', 'notifications.onFailure[0]'],
    ['a secret written into the config instead of a variable name', (c) => (c.dev.notifications = { destinations: { chat: { type: 'slack', urlVariable: 'https://hooks.example/x' } } }), 'dev', 'notifications.destinations.chat.urlVariable'],
    ['a run_as that is not a service principal id', (c) => (c.prod.runAs = { servicePrincipal: 'alice@example.com' }), 'prod', 'runAs.servicePrincipal'],
    ['a missing mode', (c) => delete c.dev.mode, 'dev', 'mode'],
    ['an archive path outside /Volumes', (c) => (c.dev.volumes = [{ name: 'orders', archivePath: '/mnt/archive/orders/' }]), 'dev', 'volumes[0].archivePath'],
    ['a volume declared twice', (c) => (c.dev.volumes = [{ name: 'orders' }, { name: 'orders' }]), 'dev', 'volumes[1].name'],
    ['an external volume on a non-cloud URL', (c) => (c.dev.volumes = [{ name: 'orders', storageLocation: 'file:///tmp/x' }]), 'dev', 'volumes[0].storageLocation'],
    ['a malformed existing warehouse id', (c) => (c.prod.warehouse = { type: 'existing', id: 'my-warehouse' }), 'prod', 'warehouse.id'],
    ['an unknown warehouse type', (c) => (c.dev.warehouse = { type: 'classic' }), 'dev', 'warehouse.type'],
    ['a malformed notification e-mail', (c) => (c.dev.notifications = { destinations: { team: { type: 'email', addresses: ['not-an-email'] } } }), 'dev', 'notifications.destinations.team.addresses[0]'],
    ['a local state path outside the project', (c) => (c.dev.stateBackend = { type: 'local', path: '/var/state/dev.tfstate' }), 'dev', 'stateBackend.path'],
    ['an S3 state backend without a bucket', (c) => (c.prod.stateBackend = { type: 's3', key: 'k', region: 'eu-west-1' }), 'prod', 'stateBackend.bucket'],
    ['a secret in the state backend', (c) => (c.prod.stateBackend = { type: 's3', bucket: 'b-state', key: 'k', region: 'r', accessKey: 'AKIA…' }), 'prod', 'stateBackend.accessKey'],
    ['a token next to the workspace host', (c) => (c.dev.workspace = { host: 'https://dev.example.com', token: 'dapi-redacted' }), 'dev', 'workspace.token'],
    ['a misspelt setting', (c) => (c.dev.catalogue = { name: 'x' }), 'dev', 'catalogue'],
    ['a principal with a quote', (c) => (c.dev.principals = { readers: ['analysts"; DROP'] }), 'dev', 'principals.readers[0]'],
    ['an environment name with upper case', (c) => ((c.Prod = c.prod), delete c.prod), 'Prod', '(name)'],
    ['two environments sharing a catalog', (c) => (c.prod.catalog = { name: 'lh_dev' }), 'prod', 'catalog.name'],
  ];

  it.each(cases)('rejects %s, naming the environment and field, and writes nothing', (_what, breakIt, environment, field) => {
    const config = validConfig();
    breakIt(config);
    expectRejected(config, environment, field);
  });

  it('rejects an unknown environment asked for by name', () => {
    const error = expectRejected(validConfig(), 'qa', '(name)', ['qa']);
    expect(error.message).toContain('declared: dev, prod');
  });

  it('reports every problem of every environment at once', () => {
    const config = validConfig();
    delete config.dev.mode;
    delete config.prod.runAs;
    expect(() => synthesizeLakehouse(config, { outdir })).toThrow(/environment "dev", field "mode"[\s\S]*environment "prod", field "runAs"/);
  });
});

describe('workflow and pipeline validation', () => {
  type Raw = Record<string, unknown> & { tasks?: Record<string, unknown>[] };
  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  function rejectedWith(change: { workflows?: (w: Raw[]) => void; pipelines?: (p: Raw[]) => void }, file: string, object: string, field: string): void {
    const workflows = clone(workflowDefinitions) as unknown as Raw[];
    const pipelines = clone(pipelineDefinitions) as unknown as Raw[];
    change.workflows?.(workflows);
    change.pipelines?.(pipelines);
    let caught: unknown;
    try {
      synthesizeLakehouse(validConfig(), { outdir, workflows: workflows as never, pipelines: pipelines as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(`${file}: ${object}, field "${field}"`);
    expect(readdirSync(workdir)).toEqual(['cdktf.out']);
    expect(readdirSync(outdir)).toEqual(['previous.txt']);
  }

  const dag = (w: Raw[]) => w.find((x) => x.name === 'analytics-dag')!;

  it.each([
    ['a misspelt trigger type', (w: Raw[]) => ((dag(w).trigger as Record<string, unknown>).type = 'schedul'), 'trigger.type'],
    ['a misspelt dependsOn', (w: Raw[]) => ((dag(w).tasks![1].dependOn = ['stage']), delete dag(w).tasks![1].dependsOn), 'tasks[1].dependOn'],
    ['a dependency on no task', (w: Raw[]) => (dag(w).tasks![1].dependsOn = ['stag']), 'tasks[1].dependsOn[0]'],
    ['a missing description', (w: Raw[]) => delete dag(w).description, 'description'],
    ['an asset file that does not exist', (w: Raw[]) => ((dag(w).tasks![1].asset as Record<string, unknown>).file = 'sql/analytics/bronze.sql'), 'tasks[1].asset.file'],
    ['a reference to an undeclared job parameter', (w: Raw[]) => ((dag(w).tasks![1].parameters as Record<string, string>).landing_path = '{{job.parameters.landing}}'), 'tasks[1].parameters.landing_path'],
    ['a job task running no workflow of the project', (w: Raw[]) => ((dag(w).tasks![0].asset as Record<string, unknown>).workflow = 'ingest-customer'), 'tasks[0].asset.workflow'],
    ['a job task passing a parameter the job does not declare', (w: Raw[]) => ((dag(w).tasks![0].parameters as Record<string, string>).gold = '{{job.parameters.gold}}'), 'tasks[0].parameters.gold'],
    ['a table written outside the layers', (w: Raw[]) => (dag(w).writes = ['platinum.orders']), 'writes[0]'],
    ['a placeholder naming a volume no environment has', (w: Raw[]) => ((dag(w).parameters as Record<string, unknown>[])[3].default = '{{env.volume.invoices.incoming}}'), 'parameters[3].default'],
  ])('refuses %s, naming the workflow and the field, and writes nothing', (_what, change, field) => {
    rejectedWith({ workflows: change }, 'config/workflows.ts', 'workflow "analytics-dag"', field);
  });

  it('refuses jobs that run each other', () => {
    rejectedWith(
      { workflows: (w) => w.find((x) => x.name === 'incremental-extract')!.tasks!.push({ key: 'again', asset: { kind: 'job', workflow: 'analytics-dag' } }, ) && dag(w).tasks!.push({ key: 'extract', asset: { kind: 'job', workflow: 'incremental-extract' } }) },
      'config/workflows.ts',
      'workflows',
      'tasks[].asset.workflow',
    );
  });

  it('refuses a misspelt pipeline setting and a missing source file', () => {
    rejectedWith({ pipelines: (p) => (p[0].refreshSchedul = '0 0 2 * * ?') }, 'config/pipelines.ts', 'pipeline "orders-medallion"', 'refreshSchedul');
    rejectedWith({ pipelines: (p) => (p[0].sourceFiles = ['sql/pipelines/nope.sql']) }, 'config/pipelines.ts', 'pipeline "orders-medallion"', 'sourceFiles[0]');
  });
});


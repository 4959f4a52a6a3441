import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeLakehouse } from '../../app/synthesize-lakehouse';
import { currentDeveloper } from '../../config/current-developer';
import { developerEnvironment } from '../../config/developer-environment';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { deploymentTarget } from '../../remote/target';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-developers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function synthFor(developer: string): { stacks: string[]; out: Json } {
  const outdir = join(scratch, developer);
  const stacks = synthesizeLakehouse(environments, { outdir, developer });
  return { stacks: readdirSync(join(outdir, 'stacks')), out: JSON.parse(readFileSync(join(outdir, 'stacks', stacks[0], 'cdk.tf.json'), 'utf8')) as Json };
}

/** Everything a deployment manages that has a name, a path or a state key, as text (a table by its schema and name). */
function managedNames(out: Json): Set<string> {
  const names = new Set<string>();
  const schemas = new Map(Object.entries(out.resource.databricks_schema as Record<string, Json>).map(([id, s]) => [`\${databricks_schema.${id}.name}`, s.name as string]));
  for (const [type, resources] of Object.entries(out.resource as Record<string, Record<string, Json>>)) {
    for (const resource of Object.values(resources)) {
      if (type === 'databricks_sql_table') {
        names.add(`table:${schemas.get(resource.schema_name) ?? resource.schema_name}.${resource.name}`);
        continue;
      }
      for (const field of ['name', 'path', 'display_name']) if (typeof resource[field] === 'string') names.add(`${type}:${resource[field]}`);
    }
  }
  names.add(`state:${JSON.stringify(out.terraform.backend)}`);
  return names;
}

describe("a developer's own deployment of dev", () => {
  const jane = synthFor('jane');
  const joe = synthFor('joe');
  const dev = loadEnvironments(environments).find((e) => e.name === 'dev')!;

  it('is one stack of its own, lakehouse-dev-<name>, with its state under a key of its own', () => {
    expect(jane.stacks).toEqual(['lakehouse-dev-jane']);
    expect(jane.out.terraform.backend.s3.key).toBe('lakehouse-dev/developers/jane/terraform.tfstate');
  });

  it('names its jobs [dev <name>] with their triggers paused, and runs its pipelines in development mode', () => {
    const jobs = Object.values(jane.out.resource.databricks_job as Record<string, Json>);
    expect(jobs.length).toBeGreaterThan(5);
    for (const job of jobs) {
      expect(job.name).toMatch(/^\[dev jane\] /);
      for (const pause of [job.trigger?.pause_status, job.schedule?.pause_status].filter(Boolean)) expect(pause).toBe('PAUSED');
      expect(job.run_as).toBeUndefined();
    }
    for (const pipeline of Object.values(jane.out.resource.databricks_pipeline as Record<string, Json>)) expect(pipeline).toMatchObject({ name: expect.stringMatching(/^\[dev jane\] /), development: true });
  });

  it("keeps its assets under the developer's own workspace folder and its tables in schemas of its own", () => {
    for (const file of Object.values(jane.out.resource.databricks_workspace_file as Record<string, Json>)) expect(file.path).toMatch(/^\$\{data\.databricks_current_user\.Developer\.home\}\/lakehouse\/dev-jane\//);
    for (const schema of Object.values(jane.out.resource.databricks_schema as Record<string, Json>)) expect(schema.name).toMatch(/^jane_/);
  });

  it('references what the shared environment manages (catalog, landing volumes, warehouse) and never manages it', () => {
    for (const type of ['databricks_catalog', 'databricks_volume', 'databricks_sql_endpoint', 'databricks_file', 'databricks_grants', 'databricks_permissions']) expect(jane.out.resource[type]).toBeUndefined();
    expect(Object.values(jane.out.data.databricks_sql_warehouse as Record<string, Json>).map((w) => w.name)).toEqual(['lakehouse-dev']);
    const ingest = Object.values(jane.out.resource.databricks_job as Record<string, Json>).find((j) => j.name === '[dev jane] ingest-orders')!;
    expect(ingest.parameter).toContainEqual({ name: 'landing_path', default: `/Volumes/${dev.catalog.name}/landing/orders/incoming/` });
    expect(ingest.parameter).toContainEqual({ name: 'silver', default: `${dev.catalog.name}.jane_silver` });
  });

  it('shares no managed name, path or state key with another developer', () => {
    const shared = [...managedNames(jane.out)].filter((name) => managedNames(joe.out).has(name));
    expect(shared).toEqual([]);
  });

  it('is refused for a production environment', () => {
    const prod = loadEnvironments(environments).find((e) => e.mode === 'production')!;
    expect(() => developerEnvironment(prod, 'jane')).toThrow(/is a production environment/);
  });
});

describe('who the developer is', () => {
  it('is LAKEHOUSE_DEV_USER, made a usable name', () => {
    expect(currentDeveloper({ LAKEHOUSE_DEV_USER: 'Jane.Doe@example.com' })).toBe('jane-doe');
    expect(currentDeveloper({})).toBeUndefined();
    expect(() => currentDeveloper({ LAKEHOUSE_DEV_USER: '42' })).toThrow(/no usable developer name/);
  });

  it("falls back on git's user.email when asked to", () => {
    const repo = mkdtempSync(join(scratch, 'repo-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['config', 'user.email', 'Joe.Bloggs@example.com'], { cwd: repo });
    expect(currentDeveloper({}, { fromGit: true, cwd: repo })).toBe('joe-bloggs');
  });

  it("makes npm run remote target the caller's own deployment of dev, and only of dev", () => {
    expect(deploymentTarget('dev', { LAKEHOUSE_DEV_USER: 'jane' }).jobName('ingest-orders')).toBe('[dev jane] ingest-orders');
    expect(deploymentTarget('dev', {}).jobName('ingest-orders')).toBe('[dev] ingest-orders');
    expect(deploymentTarget('prod', { LAKEHOUSE_DEV_USER: 'jane' }).jobName('ingest-orders')).toBe('[prod] ingest-orders');
  });
});

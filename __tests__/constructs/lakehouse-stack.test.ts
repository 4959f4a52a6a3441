import 'cdktn/lib/testing/adapters/jest';
import { Testing } from 'cdktn';
import { Catalog } from '@cdktn/provider-databricks/lib/catalog';
import { Schema } from '@cdktn/provider-databricks/lib/schema';
import { SqlEndpoint } from '@cdktn/provider-databricks/lib/sql-endpoint';
import { SqlTable } from '@cdktn/provider-databricks/lib/sql-table';
import { environments } from '../../config/environments';
import { Environment, loadEnvironments } from '../../config/load-config';
import { theProject } from '../../config/project';
import { LakehouseStack } from '../../constructs/lakehouse-stack';
import { projectStack } from '../support/project-stack';
import { projectSynth, projectSynthText } from '../support/project-synth';

Testing.setupJest();

const DECLARED_TABLES = theProject().tables;

type Synthesized = { resource: Record<string, Record<string, Record<string, unknown>>>; provider: Record<string, unknown[]>; terraform: Record<string, unknown> };

const byName = new Map(loadEnvironments(environments).map((e) => [e.name, e]));

function synth(environment: Environment): Synthesized {
  const stack = projectStack(environment);
  return JSON.parse(Testing.synth(stack, true)) as Synthesized;
}

/** The stack of an environment without the project's sources, workflows and pipelines: enough for what is the environment's alone (its state backend). */
function synthBare(environment: Environment): Synthesized {
  return JSON.parse(Testing.synth(new LakehouseStack(Testing.app(), environment.stackName, { environment }), true)) as Synthesized;
}

function resources(out: Synthesized, type: string): Record<string, unknown>[] {
  return Object.values(out.resource[type] ?? {});
}

function schemaGrants(out: Synthesized, layer: string): Record<string, string[]> {
  const grants = Object.entries(out.resource.databricks_grants).find(([id]) => id.startsWith(`Catalog_Schema-${layer}-Grants`))![1];
  return Object.fromEntries((grants.grant as { principal: string; privileges: string[] }[]).map((g) => [g.principal, g.privileges]));
}

// Every environment of the config, so a new one is tested without a test change. No snapshot:
// the stacks follow the config (a new source changes them), and a pull request's plan review
// shows what a change does to each environment.
describe.each([...byName.keys()])('the %s stack', (name) => {
  const environment = byName.get(name)!;
  const out = projectSynth(environment) as Synthesized;

  it('synthesizes the same JSON twice: a plan never shows a change that was not made', () => {
    expect(JSON.stringify(synth(environment))).toBe(JSON.stringify(out));
  });

  it('points the provider at the workspace host and holds no credential', () => {
    expect(out.provider.databricks).toEqual([{ host: environment.workspace.host }]);
    expect(JSON.stringify(out)).not.toMatch(/token|client_secret|password/i);
  });

  it('declares the catalog with its five layer schemas', () => {
    const synthesized = projectSynthText(environment);
    expect(synthesized).toHaveResourceWithProperties(Catalog, { name: environment.catalog.name });
    for (const layer of ['landing', 'bronze', 'silver', 'gold', 'ops']) {
      expect(synthesized).toHaveResourceWithProperties(Schema, { name: layer });
    }
  });

  it('declares the landing volumes with their /Volumes paths', () => {
    const expected = [...new Set([...environment.volumes.map((v) => v.name), ...theProject().sourceVolumes])].sort();
    expect(resources(out, 'databricks_volume').map((v) => v.name).sort()).toEqual(expected);
    expect(resources(out, 'databricks_volume').every((v) => v.volume_type === 'MANAGED')).toBe(true);
    expect((out as unknown as { output: { landing_paths: { value: Record<string, string> } } }).output.landing_paths.value.orders).toBe(
      `/Volumes/${environment.catalog.name}/landing/orders/incoming/`,
    );
  });
});

describe('grants', () => {
  const out = projectSynth(byName.get('prod')!) as Synthesized;

  it('lets readers only use the catalog and select from silver and gold', () => {
    expect(schemaGrants(out, 'gold')['data-analysts']).toEqual(['SELECT', 'USE_SCHEMA']);
    expect(schemaGrants(out, 'silver')['data-analysts']).toEqual(['SELECT', 'USE_SCHEMA']);
    for (const layer of ['landing', 'bronze', 'ops']) expect(schemaGrants(out, layer)['data-analysts']).toBeUndefined();
  });

  it('gives writers MODIFY but no CREATE, and read and write on the landing volumes', () => {
    expect(schemaGrants(out, 'silver')['data-engineers']).toEqual(['MODIFY', 'SELECT', 'USE_SCHEMA']);
    expect(schemaGrants(out, 'landing')['data-engineers']).toEqual(['MODIFY', 'SELECT', 'USE_SCHEMA']);
    for (const volume of resources(out, 'databricks_grants').filter((g) => typeof g.volume === 'string')) {
      expect((volume.grant as { principal: string; privileges: string[] }[]).find((g) => g.principal === 'data-engineers')!.privileges).toEqual(['READ_VOLUME', 'WRITE_VOLUME']);
    }
  });

  it('gives operators and the run_as service principal what running jobs needs', () => {
    const sp = byName.get('prod')!.runAs!.servicePrincipal;
    for (const principal of ['lakehouse-operators', sp]) {
      expect(schemaGrants(out, 'ops')[principal]).toEqual(expect.arrayContaining(['USE_SCHEMA', 'SELECT', 'MODIFY', 'CREATE_TABLE']));
    }
    const catalogGrants = resources(out, 'databricks_grants').find((g) => typeof g.catalog === 'string')!;
    expect((catalogGrants.grant as { principal: string; privileges: string[] }[]).map((g) => g.privileges)).toEqual(Array(4).fill(['USE_CATALOG']));
  });

  it('does not change when the principals are listed in another order', () => {
    const env = byName.get('dev')!;
    const reordered: Environment = { ...env, principals: { ...env.principals, readers: ['b-team', 'a-team'] } };
    const sorted: Environment = { ...env, principals: { ...env.principals, readers: ['a-team', 'b-team'] } };
    expect(JSON.stringify(synth(reordered))).toEqual(JSON.stringify(synth(sorted)));
  });
});

describe('declared tables', () => {
  const synthesized = projectSynthText(byName.get('dev')!);

  it.each(DECLARED_TABLES.map((t) => [`${t.layer}.${t.spec.name}`, t.spec] as const))('declares %s as a managed Delta table clustered for its lookups', (_name, spec) => {
    expect(synthesized).toHaveResourceWithProperties(SqlTable, {
      name: spec.name,
      table_type: 'MANAGED',
      data_source_format: 'DELTA',
      cluster_keys: [...spec.clusterKeys],
      column: spec.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, comment: c.comment })),
    });
  });

  it('never partitions them, since changing partitions recreates the table and loses its data', () => {
    const tables = Object.values(JSON.parse(synthesized).resource.databricks_sql_table) as Record<string, unknown>[];
    expect(tables).toHaveLength(DECLARED_TABLES.length);
    tables.forEach((t) => expect(t.partitions).toBeUndefined());
  });

  it('creates them through the environment warehouse', () => {
    expect(synthesized).toHaveResourceWithProperties(SqlEndpoint, { enable_serverless_compute: true, name: 'lakehouse-dev' });
    expect(synthesized).toHaveResourceWithProperties(SqlTable, { warehouse_id: '${databricks_sql_endpoint.Warehouse_50B5FE91.id}' });
  });
});

describe('environment-specific settings', () => {
  it('uses an existing warehouse instead of creating one when told to', () => {
    const env: Environment = { ...byName.get('dev')!, warehouse: { type: 'existing', id: 'abcdef0123456789' } };
    const out = synth(env);
    expect(out.resource.databricks_sql_endpoint).toBeUndefined();
    expect(resources(out, 'databricks_sql_table').every((t) => t.warehouse_id === 'abcdef0123456789')).toBe(true);
  });

  it('keeps the local state of an environment CI does not deploy at a path relative to the project, whatever the build machine', () => {
    const byHand: Environment = { ...byName.get('dev')!, deployedByCi: false, stateBackend: { type: 'local' } };
    expect(synthBare(byHand).terraform.backend).toEqual({ local: { path: '../../../terraform.lakehouse-dev.tfstate' } });
  });

  it('keeps the state of every environment CI deploys remote, encrypted and locked with a lock file', () => {
    for (const environment of byName.values()) {
      if (!environment.deployedByCi) continue;
      const backend = projectSynth(environment).terraform.backend as Record<string, Record<string, unknown> | undefined>;
      expect(Object.keys(backend)).not.toContain('local');
      if (backend.s3) expect(backend.s3).toMatchObject({ encrypt: true, use_lockfile: true });
      expect(backend.s3?.dynamodb_table).toBeUndefined();
    }
  });

  it.each([
    [{ type: 'gcs', bucket: 'tf-state', prefix: 'lakehouse' }, { gcs: { bucket: 'tf-state', prefix: 'lakehouse' } }],
    [
      { type: 'azurerm', resourceGroupName: 'rg', storageAccountName: 'tfstate01', containerName: 'state', key: 'lh.tfstate' },
      { azurerm: { resource_group_name: 'rg', storage_account_name: 'tfstate01', container_name: 'state', key: 'lh.tfstate' } },
    ],
  ] as const)('supports the %o backend', (backend, expected) => {
    expect(synthBare({ ...byName.get('dev')!, stateBackend: backend }).terraform.backend).toEqual(expected);
  });

  it('supports Terraform Cloud', () => {
    const out = synthBare({ ...byName.get('dev')!, stateBackend: { type: 'cloud', organization: 'acme', workspace: 'lakehouse-dev' } });
    expect(out.terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'lakehouse-dev' } });
  });

  it('pauses triggers in development and not in production unless told to', () => {
    expect(byName.get('dev')!.pauseTriggers).toBe(true);
    expect(byName.get('prod')!.pauseTriggers).toBe(false);
  });
});

describe('construct validation', () => {
  const env = byName.get('dev')!;

  it.each([
    [{ ...env, catalog: { ...env.catalog, name: 'Bad Name' } }, /lakehouse-dev\/Catalog: prop "name" "Bad Name" must be a Unity Catalog identifier/],
    [{ ...env, catalog: { ...env.catalog, schemas: { ...env.catalog.schemas, gold: 'silver' } } }, /lakehouse-dev\/Catalog: prop "schemaNames.gold" "silver" is already the silver schema/],
    [{ ...env, volumes: [{ name: 'orders', layer: 'landing' as const, archivePath: '/Volumes/lakehouse_dev/landing/orders/incoming/old/' }] }, /lakehouse-dev\/Volume-landing-orders: prop "archivePath" .* lies inside the incoming folder/],
    [{ ...env, volumes: [{ name: 'orders', layer: 'landing' as const, storageLocation: 'http://x' }] }, /prop "storageLocation" "http:\/\/x" must be a cloud storage URL/],
    [{ ...env, warehouse: { type: 'existing' as const, id: 'nope' } }, /lakehouse-dev\/Warehouse: prop "id" must be a SQL warehouse id/],
  ])('refuses props it cannot deploy, naming the stack, construct and prop (%#)', (environment, message) => {
    expect(() => projectStack(environment)).toThrow(message);
  });

  it('rejects a volume of the same name twice', () => {
    expect(() => synth({ ...env, volumes: [...env.volumes, env.volumes[0]] })).toThrow(new RegExp(`There is already a Construct with name 'Volume-landing-${env.volumes[0].name}'`));
  });
});

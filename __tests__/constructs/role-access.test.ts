import { Testing } from 'cdktn';
import { environments } from '../../config/environments';
import { Environment, loadEnvironments } from '../../config/load-config';
import { theProject } from '../../config/project';
import type { Workflow } from '../../model/workflow';
import { projectStack } from '../support/project-stack';
import { projectSynth } from '../support/project-synth';
import { SystemTableAccess, systemTablesIn } from '../../constructs/system-table-access';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const loaded = loadEnvironments(environments);
const synth = (environment: Environment, workflows?: readonly Workflow[]): Json =>
  workflows ? (JSON.parse(Testing.synth(projectStack(environment, { workflows }), true)) as Json) : projectSynth(environment);
const principalOf = (entry: Json): string => entry.service_principal_name ?? entry.user_name ?? entry.group_name;
const levels = (resource: Json): Record<string, string> => Object.fromEntries((resource.access_control as Json[]).map((e) => [principalOf(e), e.permission_level]));
const permissionsOn = (out: Json, attribute: string): Json[] => Object.values((out.resource.databricks_permissions ?? {}) as Record<string, Json>).filter((p) => attribute in p);
const addressOf = (reference: string): string => /^\$\{([\w-]+\.[\w-]+)\.id\}$/.exec(reference)![1];

describe.each(loaded.filter((e) => e.runAs).map((e) => [e.name, e] as const))('access in the %s stack, which runs as a service principal', (_name, environment) => {
  const out = synth(environment);
  const sp = environment.runAs!.servicePrincipal;
  const { readers, operators } = environment.principals;

  it('lets the run-as principal use the warehouse its SQL and alert tasks run on', () => {
    const [warehouse] = permissionsOn(out, 'sql_endpoint_id');
    expect(levels(warehouse)[sp]).toBe('CAN_USE');
  });

  it('lets the run-as principal run the alert it evaluates, and its query', () => {
    expect(levels(permissionsOn(out, 'sql_alert_id')[0])[sp]).toBe('CAN_RUN');
    expect(levels(permissionsOn(out, 'sql_query_id')[0])[sp]).toBe('CAN_RUN');
  });

  it('makes the run-as principal the owner of every pipeline and job, with views for readers and runs for operators', () => {
    const pipelines = Object.keys(out.resource.databricks_pipeline);
    const jobs = Object.keys(out.resource.databricks_job);
    const byObject = new Map([...permissionsOn(out, 'pipeline_id').map((p) => [addressOf(p.pipeline_id), p] as const), ...permissionsOn(out, 'job_id').map((p) => [addressOf(p.job_id), p] as const)]);
    for (const pipeline of pipelines) {
      expect(levels(byObject.get(`databricks_pipeline.${pipeline}`)!)).toMatchObject({ [sp]: 'IS_OWNER', ...Object.fromEntries(readers.map((r) => [r, 'CAN_VIEW'])), ...Object.fromEntries(operators.map((o) => [o, 'CAN_RUN'])) });
    }
    for (const job of jobs) {
      expect(levels(byObject.get(`databricks_job.${job}`)!)).toMatchObject({ [sp]: 'IS_OWNER', ...Object.fromEntries(readers.map((r) => [r, 'CAN_VIEW'])), ...Object.fromEntries(operators.map((o) => [o, 'CAN_MANAGE_RUN'])) });
    }
  });

  it('lets the run-as principal and operators read the system tables the alerts and dashboard query, with non-authoritative grants', () => {
    const grants = Object.values((out.resource.databricks_grant ?? {}) as Record<string, Json>);
    expect(out.resource.databricks_grants && Object.values(out.resource.databricks_grants as Record<string, Json>).filter((g) => String(g.schema ?? g.catalog).startsWith('system'))).toEqual([]);
    for (const principal of [sp, ...operators]) {
      const held = grants.filter((g) => g.principal === principal);
      expect(held.find((g) => g.catalog === 'system')?.privileges).toEqual(['USE_CATALOG']);
      for (const schema of ['system.lakeflow', 'system.access']) expect(held.find((g) => g.schema === schema)?.privileges).toEqual(['SELECT', 'USE_SCHEMA']);
    }
    for (const reader of readers) expect(grants.filter((g) => g.principal === reader)).toEqual([]);
  });

  it('gives readers no privilege on any schema holding bronze or quarantine data, nor on any volume', () => {
    const schemaNames = new Map(Object.entries(out.resource.databricks_schema as Record<string, Json>).map(([id, s]) => [`\${databricks_schema.${id}.id}`, s.name as string]));
    const readable = Object.values(out.resource.databricks_grants as Record<string, Json>)
      .filter((g) => g.schema && (g.grant as Json[]).some((b) => readers.includes(b.principal)))
      .map((g) => schemaNames.get(g.schema));
    expect(readable.sort()).toEqual(['gold', 'silver']);
    // what the readable schemas hold: no bronze staging table, no quarantine
    const tablesInReadable = Object.values(out.resource.databricks_sql_table as Record<string, Json>).filter((t) => readable.includes(schemaNames.get(t.schema_name) ?? t.schema_name));
    expect(tablesInReadable.map((t) => t.name).filter((n: string) => /staging|quarantine|^bronze_/.test(n))).toEqual([]);
    const volumeGrants = Object.values(out.resource.databricks_grants as Record<string, Json>).filter((g) => g.volume);
    for (const grant of volumeGrants) expect((grant.grant as Json[]).map((b) => b.principal)).not.toEqual(expect.arrayContaining(readers));
  });
});

describe('the task-identity check', () => {
  const prod = loaded.find((e) => e.name === 'prod')!;
  const declared = theProject().declared.workflows;

  it('fails synth when a task writes a table its identity has no grant on, naming job, task, file:line and the privilege', () => {
    const foreign: Workflow = {
      name: 'foreign-write',
      description: 'Writes a table of a catalog this stack does not manage.',
      parameters: [{ name: 'gold', default: 'finance.gold' }, { name: 'ops', default: '{{env.ops}}' }, { name: 'pipeline', default: 'x' }],
      writes: [],
      tasks: [{ key: 'finalize', asset: { kind: 'sql', file: 'sql/watermark/finalize_run.sql' }, parameters: { ops: '{{job.parameters.gold}}', pipeline: 'x', run_id: '{{job.run_id}}', status: 'SUCCESS', error_message: '' } }],
    };
    expect(() => synth(prod, [...declared, foreign])).toThrow(/job "lakehouse-prod\/Jobs\/foreign-write\/Job", task "finalize": sql\/watermark\/finalize_run\.sql:\d+ writes finance\.gold\.watermarks, outside the catalog this stack grants on/);
  });

  it('fails synth when a notebook moves files in a volume its identity cannot write', () => {
    const withExports: Environment = { ...prod, volumes: [...prod.volumes, { name: 'exports', layer: 'gold' }] };
    const archiver: Workflow = {
      name: 'archive-exports',
      description: 'Moves exported files.',
      parameters: [
        { name: 'landing_path', default: '{{env.volume.gold.exports.incoming}}' },
        { name: 'archive_path', default: '{{env.volume.gold.exports.archive}}' },
        { name: 'ops', default: '{{env.ops}}' },
      ],
      writes: [],
      tasks: [
        {
          key: 'archive',
          asset: { kind: 'notebook', file: 'notebooks/archive_processed_files.py' },
          parameters: { landing_path: '{{job.parameters.landing_path}}', archive_path: '{{job.parameters.archive_path}}', ledger_table: '{{job.parameters.ops}}.ingested_files', source: 'exports' },
        },
      ],
    };
    expect(() => synth(withExports, [...declared, archiver])).toThrow(
      new RegExp(`task "archive": parameter landing_path moves files in ${prod.catalog.name}\\.gold\\.exports, but ${prod.runAs!.servicePrincipal} lacks READ_VOLUME, WRITE_VOLUME on it`),
    );
  });

  it("fails synth when the job-failure alert's evaluator cannot read the system tables its query reads", () => {
    const stack = projectStack(prod);
    Object.defineProperty(stack, 'systemTables', { value: new SystemTableAccess(stack, 'NoSystemTables') });
    expect(() => Testing.synth(stack, true)).toThrow(new RegExp(`task "evaluate": the alert's query reads system\\.lakeflow\\.job_run_timeline, but ${prod.runAs!.servicePrincipal} lacks USE_CATALOG, USE_SCHEMA, SELECT on it`));
  });

  it('passes on every shipped stack', () => {
    for (const environment of loaded) expect(() => synth(environment)).not.toThrow();
  });
});

describe.each(loaded.filter((e) => e.mode === 'development').map((e) => [e.name, e] as const))('the %s catalog, which developers copy', (_name, environment) => {
  const catalogGrants = (out: Json): Json => Object.values(out.resource.databricks_grants as Record<string, Json>).find((g) => 'catalog' in g)!;

  it("lets every developer (the environment's writers) create the schemas of their own copy", () => {
    const grants = catalogGrants(synth(environment)).grant as Json[];
    for (const writer of environment.principals.writers) expect(grants.find((g) => g.principal === writer)?.privileges).toEqual(expect.arrayContaining(['USE_CATALOG', 'CREATE_SCHEMA']));
  });

  it('fails synth when a developer could not create them (the task-identity check)', () => {
    const stack = projectStack(environment);
    Object.defineProperty(stack, 'developers', { value: ['someone-without-grants'] });
    expect(() => Testing.synth(stack, true)).toThrow(/developer someone-without-grants deploys their own copy of .*, but lacks USE_CATALOG, CREATE_SCHEMA on it/);
  });
});

describe.each(loaded.filter((e) => e.mode === 'production').map((e) => [e.name, e] as const))('the %s catalog', (_name, environment) => {
  it('lets nobody create schemas in it', () => {
    const out = synth(environment);
    const grants = Object.values(out.resource.databricks_grants as Record<string, Json>).find((g) => 'catalog' in g)!.grant as Json[];
    expect(grants.filter((g) => (g.privileges as string[]).includes('CREATE_SCHEMA'))).toEqual([]);
  });
});

describe('systemTablesIn', () => {
  it('lists the system tables a query names, not those in strings or comments', () => {
    expect(systemTablesIn("SELECT * FROM system.lakeflow.jobs j JOIN SYSTEM.Access.table_lineage l -- system.billing.usage\nWHERE x = 'system.compute.clusters'")).toEqual(['system.access.table_lineage', 'system.lakeflow.jobs']);
  });
});

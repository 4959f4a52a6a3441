import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environments } from '../config/environments';
import { Environment, loadEnvironments } from '../config/load-config';
import { LAYERS } from '../model/layers';
import { InvalidInputError } from '../model/errors';
import { withReadmeRegion } from './readme-regions';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The README region the table lives in; `npm run generate` rewrites it. */
/** The README region holding the table. */
export const ACCESS_TABLE_REGION = 'access-table';

const principalOf = (entry: Json): string => entry.service_principal_name ?? entry.user_name ?? entry.group_name;

/** What one principal holds on the securables of a synthesized stack, as short cells. */
function cellsOf(stack: Json, principal: string, environment: Environment): string[] {
  const resources = (type: string): [string, Json][] => Object.entries((stack.resource?.[type] ?? {}) as Record<string, Json>);
  const schemaNames = new Map(resources('databricks_schema').map(([id, s]) => [`\${databricks_schema.${id}.id}`, s.name as string]));
  const layerSchemas = new Map(LAYERS.map((layer) => [environment.catalog.schemas[layer], layer]));
  const grants = resources('databricks_grants').map(([, g]) => g);
  const privilegesOn = (grant: Json | undefined): string[] => ((grant?.grant ?? []) as Json[]).find((b) => b.principal === principal)?.privileges ?? [];
  const schemaCell = (predicate: (schema: string) => boolean): string => {
    const sets = [...new Set(grants.filter((g) => g.schema && predicate(schemaNames.get(g.schema) ?? '')).map((g) => privilegesOn(g).join(', ')))];
    return sets.filter((s) => s !== '').join(' / ') || '—';
  };
  const levelsOn = (attribute: string): string => {
    const found = resources('databricks_permissions')
      .map(([, p]) => p)
      .filter((p) => attribute in p)
      .map((p) => ((p.access_control ?? []) as Json[]).find((e) => principalOf(e) === principal)?.permission_level as string | undefined);
    const distinct = [...new Set(found.map((l) => l ?? '—'))];
    return distinct.join(' / ') || '—';
  };
  // system tables: databricks_grant (one principal's privileges on one securable), by system schema
  const systemCell =
    resources('databricks_grant')
      .map(([, g]) => g)
      .filter((g) => g.principal === principal && typeof g.schema === 'string' && g.schema.startsWith('system.'))
      .map((g) => `${g.schema.slice('system.'.length)}: ${(g.privileges as string[]).join(', ')}`)
      .sort()
      .join(' / ') || '—';
  const volumeCell = [...new Set(grants.filter((g) => g.volume).map((g) => privilegesOn(g).join(', ')))].filter((s) => s !== '').join(' / ') || '—';
  return [
    privilegesOn(grants.find((g) => g.catalog)).join(', ') || '—',
    ...LAYERS.map((layer) => schemaCell((s) => s === environment.catalog.schemas[layer])),
    schemaCell((s) => s !== '' && !layerSchemas.has(s)),
    volumeCell,
    levelsOn('sql_endpoint_id'),
    levelsOn('job_id'),
    levelsOn('pipeline_id'),
    levelsOn('sql_alert_id'),
    levelsOn('dashboard_id'),
    levelsOn('directory_path'),
    systemCell,
  ];
}

/**
 * The access table of the README, read from a synthesized stack (not from what the code means
 * to grant): per role, the Unity Catalog privileges on the catalog, each layer's schema, the
 * pipelines' schemas and the landing volumes, and the permission levels on the warehouse, the
 * jobs, the pipelines, the alerts, the dashboard, the workspace folder of the code they run and the
 * system tables. Cells with `/` list what differs between objects of a kind.
 */
export function accessTable(stack: Json, environment: Environment): string {
  const roles: [string, string | undefined][] = [
    ['readers', environment.principals.readers[0]],
    ['writers', environment.principals.writers[0]],
    ['operators', environment.principals.operators[0]],
    ['run-as service principal', environment.runAs?.servicePrincipal],
  ];
  const header = ['role', 'catalog', ...LAYERS.map((l) => `${l} schema`), 'pipeline schemas', 'landing volumes', 'warehouse', 'jobs', 'pipelines', 'alerts', 'dashboard', 'workspace folder', 'system tables'];
  const rows = roles.filter(([, principal]) => principal !== undefined).map(([role, principal]) => [role, ...cellsOf(stack, principal!, environment)]);
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The README with its access-table region replaced by `table`. */
export function withAccessTable(readme: string, table: string): string {
  return withReadmeRegion(readme, ACCESS_TABLE_REGION, table);
}

/** The environment the README's table shows: the first production environment with a run-as principal. */
export function accessTableEnvironment(): Environment {
  const environment = loadEnvironments(environments).find((e) => e.mode === 'production' && e.runAs);
  if (!environment) throw new InvalidInputError('no production environment with a run-as service principal to read the access table from');
  return environment;
}

/** The README's access table, synthesized the way `npm run synth` does (in a scratch folder). */
export function synthesizedAccessTable(synthesize: (outdir: string, only: readonly string[]) => void): string {
  const environment = accessTableEnvironment();
  const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-access-'));
  try {
    synthesize(scratch, [environment.name]);
    return accessTable(JSON.parse(readFileSync(join(scratch, 'stacks', environment.stackName, 'cdk.tf.json'), 'utf8')), environment);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

import diff from 'microdiff';
import { environmentOfStack, resourcePrefix, stackName, workspaceRoot } from '../model/naming';
import type { SynthStack } from './synth-output';

/**
 * Compares the environments of one synth output and reports what differs beyond what the
 * environment config intends: environment names in names and paths, the run-as principal,
 * notification destinations (and which destinations exist), warehouse sizing, development mode, prevent_destroy and the
 * environment tag are expected to differ, and so is CREATE_SCHEMA on a development environment's catalog; anything else (a job missing in prod, different
 * grants, a different max_concurrent_runs…) is a warning, and a trigger paused in some
 * environments only is information (development environments pause by default).
 */

export interface EnvironmentDifference {
  readonly severity: 'warning' | 'info';
  readonly address: string;
  readonly message: string;
}

const INTENDED = new Set(['run_as', 'email_notifications', 'webhook_notifications', 'notification', 'subscriptions', 'development', 'lifecycle', 'cluster_size', 'max_num_clusters', 'auto_stop_mins', 'environment']);

const environmentOf = environmentOfStack;

/**
 * An environment's own names, as the stack holds them, and their placeholders: the catalog
 * as the stack declares it (whatever it is called), and the job prefix, workspace root and
 * stack name as naming makes them; the longest first, so none replaces part of another.
 */
function ownNames(stack: SynthStack, environment: string, runAs: string | undefined): [string, string][] {
  const catalog = [...stack.values()].find((r) => r.type === 'databricks_catalog')?.config.name;
  const names: [string, string][] = [
    [workspaceRoot(environment), workspaceRoot('<env>')],
    [resourcePrefix(environment), resourcePrefix('<env>')],
    [stackName(environment), stackName('<env>')],
    [`"${environment}"`, '"<env>"'],
  ];
  if (typeof catalog === 'string') names.push([catalog, '<catalog>']);
  if (runAs) names.push([runAs, '<run-as>']);
  return names.sort(([a], [b]) => b.length - a.length);
}

/**
 * Whether a stack is a development environment's: its catalog is not protected from destroy
 * (LakehouseStack protects the catalog with prevent_destroy in production environments only).
 */
function isDevelopment(stack: SynthStack): boolean {
  const catalogs = [...stack.values()].filter((r) => r.type === 'databricks_catalog');
  return catalogs.length > 0 && catalogs.every((r) => (r.config.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy !== true);
}

/** The resource config with the environment's own values replaced by placeholders. */
function normalize(config: Record<string, unknown>, names: readonly [string, string][], development: boolean): unknown {
  let text = JSON.stringify(config);
  for (const [name, placeholder] of names) text = text.split(name).join(placeholder);
  const value = JSON.parse(text) as Record<string, unknown>;
  // the run-as principal's own grants exist only where the config sets one
  if (Array.isArray(value.grant)) value.grant = (value.grant as { principal: string }[]).filter((g) => g.principal !== '<run-as>');
  // a development environment's developers create their own schemas in its catalog
  // (LakehouseStack.developers, LakehouseCatalog.grantCreateSchema); production grants it to nobody
  if (development && value.catalog !== undefined && Array.isArray(value.grant)) {
    value.grant = (value.grant as { privileges: string[] }[]).map((g) => ({ ...g, privileges: g.privileges.filter((p) => p !== 'CREATE_SCHEMA') }));
  }
  if (Array.isArray(value.access_control)) value.access_control = (value.access_control as { service_principal_name?: string }[]).filter((g) => g.service_principal_name !== '<run-as>');
  return value;
}

function runAsOf(stack: SynthStack): string | undefined {
  for (const resource of stack.values()) {
    const runAs = (resource.config.run_as as { service_principal_name?: string } | undefined)?.service_principal_name;
    if (runAs) return runAs;
  }
  return undefined;
}

export function compareEnvironments(stacks: ReadonlyMap<string, SynthStack>): EnvironmentDifference[] {
  const stackNames = [...stacks.keys()];
  const names = new Map(stackNames.map((n) => [n, ownNames(stacks.get(n)!, environmentOf(n), runAsOf(stacks.get(n)!))]));
  const development = new Map(stackNames.map((n) => [n, isDevelopment(stacks.get(n)!)]));
  const differences: EnvironmentDifference[] = [];
  const addresses = [...new Set(stackNames.flatMap((n) => [...stacks.get(n)!.keys()]))].sort();
  for (const address of addresses) {
    // each environment declares its own notification destinations
    if (address.startsWith('databricks_notification_destination.')) continue;
    const present = stackNames.filter((n) => stacks.get(n)!.has(address));
    if (present.length < stackNames.length) {
      // a grant to the run-as principal alone (databricks_grant) exists only where the config sets one
      const runAsOnly = present.every((n) => (normalize(stacks.get(n)!.get(address)!.config, names.get(n)!, development.get(n)!) as { principal?: string }).principal === '<run-as>');
      if (runAsOnly && stackNames.filter((n) => !present.includes(n)).every((n) => runAsOf(stacks.get(n)!) === undefined)) continue;
      const missing = stackNames.filter((n) => !present.includes(n)).map(environmentOf);
      differences.push({ severity: 'warning', address, message: `exists in ${present.map(environmentOf).join(', ')} but not in ${missing.join(', ')}` });
      continue;
    }
    const [reference, ...others] = present;
    const raw = (name: string) => stacks.get(name)!.get(address)!.config;
    const normalized = (name: string) => normalize(raw(name), names.get(name)!, development.get(name)!) as Record<string, unknown>;
    const valueAt = (value: unknown, path: readonly (string | number)[]) => path.reduce<unknown>((v, p) => (v as Record<string | number, unknown> | undefined)?.[p], value);
    const base = normalized(reference);
    const reported = new Set<string>();
    for (const other of others) {
      for (const d of diff(base, normalized(other))) {
        const attribute = d.path.join('.');
        if (d.path.some((p) => typeof p === 'string' && INTENDED.has(p)) || reported.has(attribute)) continue;
        // text that is the same everywhere (say, a comment naming an environment) is no difference
        const rawValues = present.map((n) => JSON.stringify(valueAt(raw(n), d.path)));
        if (rawValues.every((v) => v === rawValues[0])) continue;
        reported.add(attribute);
        const values = present.map((n) => `${environmentOf(n)}: ${JSON.stringify(valueAt(normalized(n), d.path))}`).join(', ');
        const paused = /pause_status$/.test(attribute);
        differences.push({
          severity: paused ? 'info' : 'warning',
          address,
          message: `${attribute} differs (${values})${paused ? '; development environments pause their triggers by default' : ''}`,
        });
      }
    }
  }
  return differences;
}

export function renderEnvironmentDifferences(differences: readonly EnvironmentDifference[]): string {
  const lines = ['## Environment consistency', ''];
  if (differences.length === 0) return [...lines, 'The environments differ only where their configuration says so.', ''].join('\n');
  for (const severity of ['warning', 'info'] as const) {
    const found = differences.filter((d) => d.severity === severity);
    if (found.length === 0) continue;
    lines.push(severity === 'warning' ? '### Unintended differences' : '### Expected differences', '', ...found.map((d) => `- \`${d.address}\`: ${d.message}`), '');
  }
  return lines.join('\n');
}

import diff from 'microdiff';
import { environmentOfStack, resourcePrefix, stackName, workspaceRoot } from '../model/naming';
import type { SynthStack } from './synth-output';

/**
 * Compares the environments of one synth output and reports what differs beyond what the
 * environment config intends: environment names in names and paths, the run-as principal,
 * notification destinations (and which destinations exist), warehouse sizing, development mode, prevent_destroy and the
 * environment tag are expected to differ; anything else (a job missing in prod, different
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

/** The resource config with the environment's own values replaced by placeholders. */
function normalize(config: Record<string, unknown>, names: readonly [string, string][]): unknown {
  let text = JSON.stringify(config);
  for (const [name, placeholder] of names) text = text.split(name).join(placeholder);
  const value = JSON.parse(text) as Record<string, unknown>;
  // the run-as principal's own grants exist only where the config sets one
  if (Array.isArray(value.grant)) value.grant = (value.grant as { principal: string }[]).filter((g) => g.principal !== '<run-as>');
  // the developers' CREATE_SCHEMA on the catalog exists only in development environments (their own copies create schemas there)
  if (typeof value.catalog === 'string' && Array.isArray(value.grant)) {
    value.grant = (value.grant as { principal: string; privileges: string[] }[]).map((g) => ({ ...g, privileges: g.privileges.filter((p) => p !== 'CREATE_SCHEMA') }));
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
  const differences: EnvironmentDifference[] = [];
  const addresses = [...new Set(stackNames.flatMap((n) => [...stacks.get(n)!.keys()]))].sort();
  for (const address of addresses) {
    // each environment declares its own notification destinations
    if (address.startsWith('databricks_notification_destination.')) continue;
    const present = stackNames.filter((n) => stacks.get(n)!.has(address));
    // a grant of the run-as principal's own (databricks_grant) exists only where the config sets one
    if (present.every((n) => { const config = stacks.get(n)!.get(address)!.config; return config.principal !== undefined && config.principal === runAsOf(stacks.get(n)!); })) continue;
    if (present.length < stackNames.length) {
      const missing = stackNames.filter((n) => !present.includes(n)).map(environmentOf);
      differences.push({ severity: 'warning', address, message: `exists in ${present.map(environmentOf).join(', ')} but not in ${missing.join(', ')}` });
      continue;
    }
    const [reference, ...others] = present;
    const raw = (name: string) => stacks.get(name)!.get(address)!.config;
    const normalized = (name: string) => normalize(raw(name), names.get(name)!) as Record<string, unknown>;
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

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'ini';

/** What one profile of `~/.databrickscfg` holds that the remote client uses. */
export interface ConfigProfile {
  readonly host?: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/** A config file read for one profile. */
export interface ProfileLookup {
  readonly path: string;
  readonly fileExists: boolean;
  /** The profile, when the file has it. */
  readonly profile?: ConfigProfile;
  /** Every profile the file declares, for messages. */
  readonly profiles: readonly string[];
}

/** `DATABRICKS_CONFIG_FILE`, else `~/.databrickscfg`, as the Databricks CLI and Terraform provider read it. */
export function configFilePath(env: Readonly<Record<string, string | undefined>>): string {
  return env.DATABRICKS_CONFIG_FILE || join(homedir(), '.databrickscfg');
}

/** Reads one profile of a Databricks config file (INI: `[profile]` sections of `host`, `token`, `client_id`, `client_secret`). */
export function readProfile(path: string, name: string): ProfileLookup {
  if (!existsSync(path)) return { path, fileExists: false, profiles: [] };
  const parsed = parse(readFileSync(path, 'utf8'));
  const sections = new Map(flattenSections(parsed));
  const section = sections.get(name);
  return {
    path,
    fileExists: true,
    profile: section && {
      host: stringValue(section.host),
      token: stringValue(section.token),
      clientId: stringValue(section.client_id),
      clientSecret: stringValue(section.client_secret),
    },
    profiles: [...sections.keys()],
  };
}

/** Sections by their full name: `ini` nests dotted section names (`[team.dev]`), profile names keep the dots. */
function flattenSections(node: Record<string, unknown>, prefix = ''): [string, Record<string, unknown>][] {
  return Object.entries(node).flatMap(([key, value]) => {
    if (!isObject(value)) return [];
    const name = prefix ? `${prefix}.${key}` : key;
    const values = Object.values(value);
    const own = values.length === 0 || values.some((v) => !isObject(v)) ? [[name, value] as [string, Record<string, unknown>]] : [];
    return [...own, ...flattenSections(value, name)];
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

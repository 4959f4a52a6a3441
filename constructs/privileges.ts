import { Grants } from '@cdktf/provider-databricks/lib/grants';
import { Construct } from 'constructs';

/** Who may do what, by role. Each role gets the least it needs on a securable. */
export interface RolePrincipals {
  /** Read curated data: USE CATALOG / USE SCHEMA / SELECT. */
  readonly readers?: readonly string[];
  /** Change data by hand: readers' privileges plus MODIFY. */
  readonly writers?: readonly string[];
  /** Identities that run jobs and pipelines: create and write tables, read and write volumes. */
  readonly operators?: readonly string[];
}

export type PrivilegesByPrincipal = ReadonlyMap<string, ReadonlySet<string>>;

/** Merges role grants so each principal appears once, as `databricks_grants` requires. */
export function mergeGrants(entries: ReadonlyArray<readonly [readonly string[] | undefined, readonly string[]]>): PrivilegesByPrincipal {
  const merged = new Map<string, Set<string>>();
  for (const [principals, privileges] of entries) {
    for (const principal of principals ?? []) {
      const set = merged.get(principal) ?? new Set<string>();
      privileges.forEach((p) => set.add(p));
      merged.set(principal, set);
    }
  }
  return merged;
}

/** Sorted grant blocks, so the synthesized plan does not change when config order does. */
export function grantBlocks(privileges: PrivilegesByPrincipal): { principal: string; privileges: string[] }[] {
  return [...privileges.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([principal, set]) => ({ principal, privileges: [...set].sort() }));
}

/** An authoritative `databricks_grants` on one securable, or nothing when nobody is granted anything. */
export function declareGrants(
  scope: Construct,
  id: string,
  securable: { catalog: string } | { schema: string } | { volume: string } | { table: string },
  privileges: PrivilegesByPrincipal,
): Grants | undefined {
  if (privileges.size === 0) return undefined;
  return new Grants(scope, id, { ...securable, grant: grantBlocks(privileges) });
}

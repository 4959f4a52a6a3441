import { Grants, GrantsConfig, GrantsGrant } from '@cdktn/provider-databricks/lib/grants';
import { Lazy } from 'cdktn';
import { Construct } from 'constructs';

/** Which Unity Catalog securable a `databricks_grants` governs. */
export type Securable = Pick<GrantsConfig, 'catalog' | 'schema' | 'volume' | 'table'>;

/**
 * The Unity Catalog privileges granted on one securable, granted after construction (the
 * `grant…` methods of the constructs) and written as one `databricks_grants`, created on the
 * first grant. Each principal appears once, and principals and privileges are sorted, so the
 * plan does not change when the order of grants does. Authoritative: privileges granted on
 * the securable outside this project are revoked at the next apply
 * (provider docs/resources/grants.md; terraform-provider-databricks issues #2705, #5215).
 */
export class SecurableGrants {
  private readonly privileges = new Map<string, Set<string>>();
  private resource?: Grants;

  constructor(
    private readonly scope: Construct,
    private readonly id: string,
    private readonly securable: Securable,
  ) {}

  grant(principal: string, privileges: readonly string[]): void {
    if (principal.trim() === '') throw new Error(`${this.scope.node.path}: a grant needs a principal`);
    const set = this.privileges.get(principal) ?? new Set<string>();
    privileges.forEach((p) => set.add(p));
    this.privileges.set(principal, set);
    this.resource ??= new Grants(this.scope, this.id, { ...this.securable, grant: Lazy.anyValue({ produce: () => this.blocks() }) as unknown as GrantsGrant[] });
  }

  /** What a principal was granted here. */
  privilegesOf(principal: string): ReadonlySet<string> {
    return this.privileges.get(principal) ?? new Set();
  }

  /** Every principal granted anything here. */
  principals(): string[] {
    return [...this.privileges.keys()].sort();
  }

  private blocks(): { principal: string; privileges: string[] }[] {
    return [...this.privileges.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([principal, set]) => ({ principal, privileges: [...set].sort() }));
  }
}

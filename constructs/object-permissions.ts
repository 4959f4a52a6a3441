import { Permissions, PermissionsAccessControl, PermissionsConfig } from '@cdktn/provider-databricks/lib/permissions';
import { Lazy } from 'cdktn';
import { Construct } from 'constructs';

/** A service principal is named by its application id (a UUID), a user by an e-mail address, anything else is a group. */
const APPLICATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The access-control entry of one principal, named the way `databricks_permissions` wants it. */
export function accessControlEntry(principal: string, permissionLevel: string): PermissionsAccessControl {
  if (APPLICATION_ID.test(principal)) return { servicePrincipalName: principal, permissionLevel };
  if (principal.includes('@')) return { userName: principal, permissionLevel };
  return { groupName: principal, permissionLevel };
}

/** Which object a `databricks_permissions` governs: one of its object-id attributes. */
export type PermissionsObject = Pick<PermissionsConfig, 'jobId' | 'pipelineId' | 'sqlEndpointId' | 'sqlAlertId' | 'dashboardId' | 'sqlQueryId' | 'directoryPath'>;

/**
 * The permissions of one workspace object, granted after construction (`grant…` methods of
 * the constructs) and written as one authoritative `databricks_permissions`, created on the
 * first grant. Levels are ordered from least to most: a principal granted twice keeps the
 * higher level. Entries are sorted by principal so the plan does not change when the order of
 * grants does. Authoritative: permissions granted on the object outside this project are
 * removed at the next apply (provider docs/resources/permissions.md).
 */
export class ObjectPermissions {
  private readonly levels = new Map<string, string>();
  private resource?: Permissions;

  constructor(
    private readonly scope: Construct,
    private readonly id: string,
    private readonly object: PermissionsObject,
    /** The object type's permission levels, least first. */
    private readonly order: readonly string[],
  ) {}

  grant(principal: string, level: string): void {
    if (!this.order.includes(level)) throw new Error(`${this.scope.node.path}: "${level}" is no permission level of this object (${this.order.join(', ')})`);
    const current = this.levels.get(principal);
    if (current === undefined || this.order.indexOf(level) > this.order.indexOf(current)) this.levels.set(principal, level);
    this.resource ??= new Permissions(this.scope, this.id, {
      ...this.object,
      accessControl: Lazy.anyValue({ produce: () => this.entries() }) as unknown as PermissionsAccessControl[],
    });
  }

  /** The level granted to a principal here, if any. */
  levelOf(principal: string): string | undefined {
    return this.levels.get(principal);
  }

  /** Every principal granted here, with its level. */
  grants(): ReadonlyMap<string, string> {
    return this.levels;
  }

  /** Whether a principal holds at least `level`. */
  allows(principal: string, level: string): boolean {
    const held = this.levels.get(principal);
    return held !== undefined && this.order.indexOf(held) >= this.order.indexOf(level);
  }

  private entries(): Record<string, string>[] {
    return [...this.levels.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([principal, level]) => {
        const entry = accessControlEntry(principal, level);
        return Object.fromEntries(
          Object.entries({ service_principal_name: entry.servicePrincipalName, user_name: entry.userName, group_name: entry.groupName, permission_level: entry.permissionLevel }).filter(([, v]) => v !== undefined),
        ) as Record<string, string>;
      });
  }
}

/** Permission levels per object type, least first (provider docs/resources/permissions.md, v1.99.0). */
export const PERMISSION_LEVELS = {
  job: ['CAN_VIEW', 'CAN_MANAGE_RUN', 'CAN_MANAGE', 'IS_OWNER'],
  pipeline: ['CAN_VIEW', 'CAN_RUN', 'CAN_MANAGE', 'IS_OWNER'],
  warehouse: ['CAN_VIEW', 'CAN_MONITOR', 'CAN_USE', 'CAN_MANAGE', 'IS_OWNER'],
  alert: ['CAN_VIEW', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
  query: ['CAN_VIEW', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
  dashboard: ['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
  /** `directory_path`: what a folder grants is inherited by every object in it (provider docs/resources/permissions.md, "Folder usage"). */
  folder: ['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'],
} as const;

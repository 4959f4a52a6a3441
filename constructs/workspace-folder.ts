import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { Construct } from 'constructs';
import { specialFolderOf } from '../model/naming';
import { ObjectPermissions, PERMISSION_LEVELS } from './object-permissions';
import { PropError } from './prop-error';

export interface WorkspaceFolderProps {
  /**
   * The folder's workspace path, at the workspace root (`/lakehouse-prod`): a folder below
   * `/Shared`, `/Users` or another folder would inherit that folder's permissions, which no
   * permission set here can take away.
   */
  readonly path: string;
}

/** The levels a folder of deployed code grants at most: reading and running it, never changing it. */
export const FOLDER_READ_LEVELS: readonly string[] = ['CAN_READ', 'CAN_RUN'];

/**
 * A workspace folder whose access the stack owns, as bundle deployments in production mode own
 * their root folder (databricks/cli bundle/permissions/apply_folder_permissions.go sets the
 * root path's permissions explicitly): a `databricks_directory` at the workspace root, where
 * "only workspace admins can create objects", and one authoritative `databricks_permissions`
 * (`directory_path`) granting only read and run. "Objects in a folder inherit all permissions
 * settings of that folder" (https://learn.microsoft.com/en-us/azure/databricks/security/auth-authz/access-control/workspace-acl),
 * so whoever may change the SQL and notebooks below it are the admins and the deploying
 * identity (its creator, CAN MANAGE), which are the owners of the jobs that run them.
 */
export class WorkspaceFolder extends Construct {
  /** The folder's path, as written (literal, for checks). */
  readonly folderPath: string;
  /** The folder's path as a reference to the `databricks_directory`, so what lives in it is created after it. */
  readonly path: string;
  readonly directory: Directory;
  private readonly permissions: ObjectPermissions;

  constructor(scope: Construct, id: string, props: WorkspaceFolderProps) {
    super(scope, id);
    if (!/^\/[A-Za-z0-9_.-]+$/.test(props.path)) throw new PropError(scope, id, 'path', `"${props.path}" must be a folder at the workspace root (/<name>): a folder below another inherits its permissions`);
    const special = specialFolderOf(props.path);
    if (special) throw new PropError(scope, id, 'path', `"${props.path}" is a special folder whose access the platform sets (${special}); use a folder of its own at the workspace root`);
    this.folderPath = props.path;
    this.directory = new Directory(this, 'Directory', { path: props.path });
    this.path = this.directory.path;
    this.permissions = new ObjectPermissions(this, 'Permissions', { directoryPath: this.directory.path }, PERMISSION_LEVELS.folder);
  }

  /** Lets a principal see the folder's objects (CAN_READ). */
  grantRead(principal: string): void {
    this.permissions.grant(principal, 'CAN_READ');
  }

  /** Lets a principal read and run the folder's notebooks, files, queries and alerts (CAN_RUN). */
  grantRun(principal: string): void {
    this.permissions.grant(principal, 'CAN_RUN');
  }

  /** Whether a principal holds at least `level` on the folder. */
  allows(principal: string, level: string): boolean {
    return this.permissions.allows(principal, level);
  }

  /** Every principal granted on the folder, with its level. */
  grants(): ReadonlyMap<string, string> {
    return this.permissions.grants();
  }
}

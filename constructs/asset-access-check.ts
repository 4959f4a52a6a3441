import { Alert } from '@cdktn/provider-databricks/lib/alert';
import { Dashboard } from '@cdktn/provider-databricks/lib/dashboard';
import { DataDatabricksCurrentUser } from '@cdktn/provider-databricks/lib/data-databricks-current-user';
import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { Notebook } from '@cdktn/provider-databricks/lib/notebook';
import { Permissions } from '@cdktn/provider-databricks/lib/permissions';
import { Query } from '@cdktn/provider-databricks/lib/query';
import { WorkspaceFile } from '@cdktn/provider-databricks/lib/workspace-file';
import { Token, Tokenization } from 'cdktn';
import type { Construct } from 'constructs';
import { specialFolderOf } from '../model/naming';
import { FOLDER_READ_LEVELS, WorkspaceFolder } from './workspace-folder';

/** A workspace object of the stack and the path that decides its inherited access. */
interface PlacedObject {
  readonly what: string;
  readonly path: string;
}

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** A path that starts with a reference to an attribute (`${databricks_directory.x.path}/…`): the attribute's Terraform identifier and the literal rest. */
function referenced(path: string): { readonly identifier?: string; readonly rest: string } {
  const head = /^\$\{TfToken\[TOKEN\.\d+\]\}/.exec(path);
  if (!head) return { rest: path };
  const token = Tokenization.reverseString(head[0]).firstToken as { identifier?: unknown } | undefined;
  return { identifier: typeof token?.identifier === 'string' ? token.identifier : undefined, rest: path.slice(head[0].length) };
}

const identifierOf = (attribute: string): string | undefined => referenced(attribute).identifier;

/**
 * Proves, at synth, that nobody can change what the stack's jobs run or evaluate more easily
 * than they can change the jobs: every SQL file, notebook, query, alert, dashboard and folder
 * the stack puts in the workspace lies in a WorkspaceFolder of the stack (at the workspace root,
 * its permissions set by the stack and granting at most CAN_RUN) or in the deploying user's own
 * home folder (a developer's copy, https://learn.microsoft.com/en-us/azure/databricks/security/auth-authz/access-control/workspace-acl:
 * "The user has the Can Manage permission on their home folder. All other users have the No
 * Permissions permission"). Anywhere else an object inherits what its folder grants: below
 * `/Shared` all users hold CAN MANAGE on it (same page: "Objects in a folder inherit all
 * permissions settings of that folder"; "All users have the Can Manage permission for objects in
 * the Workspace > Shared folder"), so anyone could edit what the production service principal runs.
 */
export function assetAccessProblems(stack: Construct): string[] {
  const problems: string[] = [];
  const nodes = stack.node.findAll();
  const folders = nodes.filter((n): n is WorkspaceFolder => n instanceof WorkspaceFolder);
  const directories = nodes.filter((n): n is Directory => n instanceof Directory);
  const homes = new Set(nodes.filter((n): n is DataDatabricksCurrentUser => n instanceof DataDatabricksCurrentUser).map((u) => identifierOf(u.home)));
  const directoryPaths = new Map(directories.map((d) => [identifierOf(d.path), d.pathInput ?? '']));
  /** A path with a folder reference replaced by the folder's path, or the home folder it lies in. */
  const literalPath = (path: string): { readonly path: string; readonly home?: boolean } => {
    const { identifier, rest } = referenced(path);
    if (identifier === undefined) return { path };
    if (homes.has(identifier)) return { path: rest, home: true };
    const directory = directoryPaths.get(identifier);
    return { path: directory === undefined ? path : `${directory}${rest}` };
  };

  const placed: PlacedObject[] = [];
  for (const node of nodes) {
    const what = `${node.node.path}`;
    if (node instanceof WorkspaceFile || node instanceof Notebook) placed.push({ what, path: node.pathInput ?? '' });
    if (node instanceof Directory && !folders.some((f) => f.directory === node)) placed.push({ what, path: node.pathInput ?? '' });
    if (node instanceof Query || node instanceof Alert || node instanceof Dashboard) placed.push({ what, path: node.parentPathInput ?? '' });
  }

  for (const object of placed) {
    // a folder referenced by its databricks_directory (so it is created first) stands for its path
    const { path, home } = literalPath(object.path);
    if (home) continue;
    if (path === '' || Token.isUnresolved(path)) {
      problems.push(`${object.what}: its workspace path is only known at plan time, so synth cannot tell what access it inherits; place it in a WorkspaceFolder of the stack`);
      continue;
    }
    const folder = folders.filter((f) => within(path, f.folderPath)).sort((a, b) => b.folderPath.length - a.folderPath.length)[0];
    if (!folder) {
      const special = specialFolderOf(path);
      const inherits = special === '/Shared' ? 'where all users hold CAN MANAGE' : special ? `whose access the platform sets` : 'whose permissions this stack does not set';
      problems.push(`${object.what}: "${path}" inherits the permissions of ${special ?? (path.slice(0, path.lastIndexOf('/')) || '/')} (${inherits}): anyone granted there could change what the environment's jobs run; place it in a WorkspaceFolder of the stack`);
    }
  }

  for (const folder of folders) {
    for (const [principal, level] of folder.grants()) {
      if (!FOLDER_READ_LEVELS.includes(level)) problems.push(`${folder.node.path}: ${principal} holds ${level} on "${folder.folderPath}", so it could change what the jobs run; grant at most ${FOLDER_READ_LEVELS.join(' or ')}`);
    }
  }
  // a second databricks_permissions on the folder, or on an object in it, would widen what the folder's grants
  for (const permissions of nodes.filter((n): n is Permissions => n instanceof Permissions)) {
    const target = permissions.directoryPathInput ?? permissions.notebookPathInput ?? permissions.workspaceFilePathInput;
    if (target === undefined || folders.some((f) => f.node.tryFindChild('Permissions') === permissions)) continue;
    const { path } = literalPath(target);
    const folder = folders.find((f) => within(path, f.folderPath));
    if (folder) problems.push(`${permissions.node.path}: sets permissions on "${path}" inside ${folder.folderPath}, whose access its WorkspaceFolder alone decides`);
  }
  return problems;
}

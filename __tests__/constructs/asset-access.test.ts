import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { Notebook } from '@cdktn/provider-databricks/lib/notebook';
import { Permissions } from '@cdktn/provider-databricks/lib/permissions';
import { WorkspaceFile } from '@cdktn/provider-databricks/lib/workspace-file';
import { Testing, TerraformStack } from 'cdktn';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { assetAccessProblems } from '../../constructs/asset-access-check';
import { WorkspaceFolder } from '../../constructs/workspace-folder';
import { workspaceRoot } from '../../model/naming';
import { projectStack } from '../support/project-stack';
import { projectSynth } from '../support/project-synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const prod = loadEnvironments(environments).find((e) => e.name === 'prod')!;
const principalOf = (entry: Json): string => entry.service_principal_name ?? entry.user_name ?? entry.group_name;
const content = Buffer.from('SELECT 1\n').toString('base64');

describe('where the prod stack puts what its jobs run', () => {
  const out = projectSynth(prod);
  const root = workspaceRoot(prod.name);
  const [folderId, folder] = Object.entries(out.resource.databricks_directory as Record<string, Json>).find(([, d]) => d.path === root)!;

  it('puts every SQL file, notebook and alerts folder in a folder of its own at the workspace root, never below /Shared', () => {
    expect(root).toMatch(/^\/[^/]+$/);
    const paths = [
      ...Object.values(out.resource.databricks_workspace_file as Record<string, Json>).map((f) => f.path as string),
      ...Object.values(out.resource.databricks_notebook as Record<string, Json>).map((n) => n.path as string),
      ...Object.values(out.resource.databricks_directory as Record<string, Json>).map((d) => d.path as string),
    ];
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) expect(path === folder.path || path.startsWith(`${root}/`)).toBe(true);
    // each is created after the folder
    for (const file of Object.values(out.resource.databricks_workspace_file as Record<string, Json>)) expect(file.depends_on).toContain(`databricks_directory.${folderId}`);
  });

  it("sets the folder's permissions: the run-as principal runs, operators read, nobody else may change the code", () => {
    const [permissions] = Object.values(out.resource.databricks_permissions as Record<string, Json>).filter((p) => p.directory_path === `\${databricks_directory.${folderId}.path}`);
    const levels = Object.fromEntries((permissions.access_control as Json[]).map((e) => [principalOf(e), e.permission_level]));
    expect(levels).toEqual({ [prod.runAs!.servicePrincipal]: 'CAN_RUN', ...Object.fromEntries(prod.principals.operators.map((o) => [o, 'CAN_READ'])) });
  });
});

describe('the asset-access check', () => {
  const stackWith = (build: (stack: TerraformStack) => void): TerraformStack => {
    const stack = new TerraformStack(Testing.app(), 'assets');
    build(stack);
    return stack;
  };

  it('fails a SQL file deployed below /Shared, where all users hold CAN MANAGE', () => {
    const stack = stackWith((s) => new WorkspaceFile(s, 'File', { path: '/Shared/lakehouse/prod/sql/load.sql', contentBase64: content }));
    expect(assetAccessProblems(stack)).toEqual([expect.stringMatching(/^assets\/File: "\/Shared\/lakehouse\/prod\/sql\/load\.sql" inherits the permissions of \/Shared \(where all users hold CAN MANAGE\)/)]);
  });

  it('fails a notebook in a folder whose permissions the stack does not set', () => {
    const stack = stackWith((s) => {
      new WorkspaceFolder(s, 'Folder', { path: '/lakehouse-prod' });
      new Notebook(s, 'Notebook', { path: '/elsewhere/archive', language: 'PYTHON', contentBase64: content });
    });
    expect(assetAccessProblems(stack)).toEqual([expect.stringContaining('assets/Notebook: "/elsewhere/archive" inherits the permissions of /elsewhere (whose permissions this stack does not set)')]);
  });

  it('passes files in a WorkspaceFolder, also through a sub-folder referenced by its databricks_directory', () => {
    const stack = stackWith((s) => {
      const folder = new WorkspaceFolder(s, 'Folder', { path: '/lakehouse-prod' });
      folder.grantRun('runner');
      const alerts = new Directory(s, 'Alerts', { path: '/lakehouse-prod/alerts' });
      new WorkspaceFile(s, 'File', { path: `${alerts.path}/q.sql`, contentBase64: content });
    });
    expect(assetAccessProblems(stack)).toEqual([]);
  });

  it('fails a second databricks_permissions that widens an object inside the folder', () => {
    const stack = stackWith((s) => {
      const folder = new WorkspaceFolder(s, 'Folder', { path: '/lakehouse-prod' });
      new WorkspaceFile(s, 'File', { path: '/lakehouse-prod/sql/q.sql', contentBase64: content });
      new Permissions(s, 'Widen', { directoryPath: folder.path, accessControl: [{ groupName: 'users', permissionLevel: 'CAN_MANAGE' }] });
    });
    expect(assetAccessProblems(stack)).toEqual([expect.stringContaining('assets/Widen: sets permissions on "/lakehouse-prod" inside /lakehouse-prod')]);
  });

  it('fails synth of the prod stack when its assets go back to /Shared', () => {
    const stack = projectStack(prod);
    new WorkspaceFile(stack, 'Stray', { path: '/Shared/lakehouse/prod/sql/stray.sql', contentBase64: content });
    expect(() => Testing.synth(stack, true)).toThrow(/lakehouse-prod\/Stray: "\/Shared\/lakehouse\/prod\/sql\/stray\.sql" inherits the permissions of \/Shared/);
  });

  it('refuses a WorkspaceFolder below /Shared or below another folder', () => {
    expect(() => stackWith((s) => new WorkspaceFolder(s, 'F', { path: '/Shared/lakehouse' }))).toThrow(/must be a folder at the workspace root/);
    expect(() => stackWith((s) => new WorkspaceFolder(s, 'F', { path: '/Shared' }))).toThrow(/special folder/);
  });
});

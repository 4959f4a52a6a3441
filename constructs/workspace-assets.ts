import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Notebook } from '@cdktn/provider-databricks/lib/notebook';
import { WorkspaceFile } from '@cdktn/provider-databricks/lib/workspace-file';
import { Token } from 'cdktn';
import { Construct } from 'constructs';
import { PropError } from './prop-error';
import type { WorkspaceFolder } from './workspace-folder';

export interface WorkspaceAssetsProps {
  /** Workspace folder the assets go under, e.g. `/lakehouse-dev` (naming.ts workspaceRoot). */
  readonly root: string;
  /**
   * The folder of the stack that holds `root` and sets its permissions: every asset is created
   * after it. (Before its permissions are applied, the folder grants less, not more: at the
   * workspace root it inherits only the admins' access.)
   * @default none (a developer's home folder, which is theirs alone)
   */
  readonly folder?: WorkspaceFolder;
  /** Local folder the asset paths are relative to. */
  readonly baseDir: string;
}

/** Notebook languages by file extension; a notebook file starts with the Databricks source header. */
const NOTEBOOK_LANGUAGES: Readonly<Record<string, string>> = { '.py': 'PYTHON', '.sql': 'SQL', '.scala': 'SCALA', '.r': 'R' };

/**
 * The project's SQL files and notebooks, uploaded to the workspace by the same deployment
 * that declares the jobs using them. Content is embedded (base64), so a changed file is a
 * changed resource in the plan, and no path of the build machine reaches the output.
 */
export class WorkspaceAssets extends Construct {
  private readonly uploaded = new Map<string, string>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: WorkspaceAssetsProps,
  ) {
    super(scope, id);
    // a root read from the workspace at plan time (a developer's home folder) is a token, checked by Databricks
    if (!Token.isUnresolved(props.root) && !/^\/[^\s]*[^/\s]$/.test(props.root)) throw new PropError(scope, id, 'root', `"${props.root}" must be an absolute workspace folder without a trailing /`);
  }

  /**
   * Uploads a file (once) and returns its workspace path, as a reference to the uploaded
   * resource so that a job using it is created after it. SQL files become workspace
   * files; files under `notebooks/` become notebooks, whose workspace path drops the
   * extension as Databricks does.
   */
  use(file: string): string {
    const known = this.uploaded.get(file);
    if (known) return known;
    const local = join(this.props.baseDir, file);
    if (posix.isAbsolute(file) || file.split('/').includes('..')) throw this.assetError(file, 'must be relative to the project root');
    if (!existsSync(local)) throw this.assetError(file, 'does not exist in the project');
    const content = readFileSync(local);
    const resourceId = file.replace(/[^A-Za-z0-9]+/g, '-');
    let path: string;
    if (file.startsWith('notebooks/')) {
      const extension = posix.extname(file).toLowerCase();
      const language = NOTEBOOK_LANGUAGES[extension];
      if (!language) throw this.assetError(file, `has no notebook language (expected ${Object.keys(NOTEBOOK_LANGUAGES).join(', ')})`);
      if (!content.toString('utf8').startsWith('# Databricks notebook source') && !content.toString('utf8').startsWith('-- Databricks notebook source')) {
        throw this.assetError(file, 'is not in Databricks notebook source format (its first line must be the "Databricks notebook source" header)');
      }
      const notebook = new Notebook(this, resourceId, { path: `${this.props.root}/${file.slice(0, -extension.length)}`, language, format: 'SOURCE', contentBase64: content.toString('base64'), dependsOn: this.folderDependency() });
      path = notebook.path;
    } else {
      path = new WorkspaceFile(this, resourceId, { path: `${this.props.root}/${file}`, contentBase64: content.toString('base64'), dependsOn: this.folderDependency() }).path;
    }
    this.uploaded.set(file, path);
    return path;
  }

  private folderDependency() {
    return this.props.folder ? [this.props.folder.directory] : undefined;
  }

  private assetError(file: string, problem: string): Error {
    return new Error(`${this.node.path}: asset "${file}" ${problem}`);
  }
}

import { DatabricksHttpClient, failure } from './http-client';

// The Files API endpoints the remote client calls, for files in Unity Catalog volumes
// (index: https://docs.databricks.com/api/files/v2/):
/**
 * https://docs.databricks.com/api/files/v2/upload-file.md: `PUT /api/2.0/fs/files{file_path}`, the file's raw bytes as the
 * body (an octet stream, up to 5 GiB), `overwrite` in the query; no response body.
 * https://docs.databricks.com/api/files/v2/delete-file.md: `DELETE /api/2.0/fs/files{file_path}`; no response body.
 */
const FILES = '/api/2.0/fs/files';
/**
 * https://docs.databricks.com/api/files/v2/create-directory.md: `PUT /api/2.0/fs/directories{directory_path}` creates the
 * directory and its parents (`mkdir -p`), and succeeds when it exists.
 * https://docs.databricks.com/api/files/v2/delete-directory.md: `DELETE` removes an empty directory only ("first delete all of its contents").
 * https://docs.databricks.com/api/files/v2/list-directory-contents.md: `GET` returns `contents` (`path`, `name`, `is_directory`,
 * `file_size`, `last_modified`) and `next_page_token` until the listing is complete, `page_size` at most 1000; HTTP 404 when there is no directory.
 */
const DIRECTORIES = '/api/2.0/fs/directories';

const PAGE_SIZE = 1000;

/** One entry of a directory listing. */
export interface DirectoryEntry {
  readonly path: string;
  readonly name?: string;
  readonly is_directory?: boolean;
  readonly file_size?: number;
  readonly last_modified?: number;
}

/**
 * `/Volumes/c/s/v/a b.csv` as the path of a Files API URL: each segment percent-encoded, the
 * slashes kept. Refuses a path that is not absolute or climbs (`..`), so no call ever leaves
 * the folder it names.
 */
export function filesApiPath(path: string): string {
  const segments = path.replace(/\/+$/, '').split('/');
  if (!path.startsWith('/') || segments.slice(1).some((s) => s === '' || s === '.' || s === '..')) throw new Error(`"${path}" is not an absolute file or directory path`);
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

/**
 * Typed calls to the Files API of one workspace: upload and delete files, create, list and
 * delete directories of a volume. Requests are authenticated and retried as the JSON client's
 * are (429, 5xx and requests without a response, as the transport's policy says); a failure is
 * an ApiError naming method, path, status and the API's error.
 */
export class FilesApi {
  constructor(private readonly http: DatabricksHttpClient) {}

  /** Writes a file (its parent directories must exist; see createDirectory), replacing one of that name. */
  async upload(path: string, contents: Uint8Array): Promise<void> {
    await this.send('PUT', `${FILES}${filesApiPath(path)}`, { overwrite: 'true' }, contents);
  }

  /** Deletes a file; false when there was none. */
  async deleteFile(path: string): Promise<boolean> {
    return (await this.send('DELETE', `${FILES}${filesApiPath(path)}`, {}, undefined, { missingOk: true })) !== undefined;
  }

  /** Creates a directory and its parents; nothing happens when it exists. */
  async createDirectory(path: string): Promise<void> {
    await this.send('PUT', `${DIRECTORIES}${filesApiPath(path)}`, {});
  }

  /** Deletes an empty directory; false when there was none. */
  async deleteDirectory(path: string): Promise<boolean> {
    return (await this.send('DELETE', `${DIRECTORIES}${filesApiPath(path)}`, {}, undefined, { missingOk: true })) !== undefined;
  }

  /** The entries of a directory (every page), or undefined when there is no such directory. */
  async list(path: string): Promise<DirectoryEntry[] | undefined> {
    const entries: DirectoryEntry[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const query: Record<string, string> = { page_size: String(PAGE_SIZE), ...(pageToken ? { page_token: pageToken } : {}) };
      const text = await this.send('GET', `${DIRECTORIES}${filesApiPath(path)}`, query, undefined, { missingOk: true });
      if (text === undefined) return pageToken === undefined ? undefined : entries;
      const page = (text.trim() ? JSON.parse(text) : {}) as { contents?: readonly DirectoryEntry[]; next_page_token?: string };
      entries.push(...(page.contents ?? []));
      pageToken = page.next_page_token || undefined;
      if (pageToken !== undefined && seen.has(pageToken)) throw new Error(`${DIRECTORIES} returned page token "${pageToken}" twice for ${path}; stopping rather than looping`);
      if (pageToken !== undefined) seen.add(pageToken);
    } while (pageToken);
    return entries;
  }

  /**
   * Deletes a directory with everything in it, depth first (the API deletes empty directories
   * only). Returns how many files it deleted; 0 when there was no directory.
   */
  async deleteRecursively(path: string): Promise<number> {
    const entries = await this.list(path);
    if (entries === undefined) return 0;
    let files = 0;
    for (const entry of entries) {
      const child = entry.path.replace(/\/+$/, '');
      if (!child.startsWith(`${path.replace(/\/+$/, '')}/`)) throw new Error(`listing ${path} returned ${entry.path}, which is not inside it; nothing more is deleted`);
      if (entry.is_directory) files += await this.deleteRecursively(child);
      else if (await this.deleteFile(child)) files++;
    }
    await this.deleteDirectory(path);
    return files;
  }

  /** Sends a request, retrying as the transport's policy says; returns the body, or undefined for a 404 when `missingOk`. */
  private async send(method: 'GET' | 'PUT' | 'DELETE', path: string, query: Readonly<Record<string, string>>, body?: Uint8Array, options: { readonly missingOk?: boolean } = {}): Promise<string | undefined> {
    const exchange = await this.http.exchange(method, path, query, body === undefined ? undefined : { contentType: 'application/octet-stream', data: body });
    // a retried DELETE whose first attempt went through finds nothing: that is the outcome asked for
    if (exchange.status === 404 && options.missingOk) return undefined;
    if (!exchange.ok) throw failure(exchange);
    return exchange.text;
  }
}

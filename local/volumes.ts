import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidInputError } from '../model/errors';

/** Characters java.net.URI keeps as they are in a path. */
const URI_PATH_SAFE = /^[A-Za-z0-9_\-!.~'()*,;:$&+=/@]$/;

/** Maps Unity Catalog volume paths (`/Volumes/<catalog>/<schema>/<volume>/…`) to a local folder and back. */
export class VolumeMapper {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The local form of a `/Volumes/…` path. */
  toLocal(volumePath: string): string {
    const match = /^\/Volumes\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(volumePath);
    if (!match) throw new InvalidInputError(`"${volumePath}" is not a volume path: expected /Volumes/<catalog>/<schema>/<volume>/…`);
    const local = join(this.root, volumePath.slice('/Volumes/'.length)).replace(/[\\/]+$/, '');
    if (relative(this.root, local).split(sep).includes('..')) throw new InvalidInputError(`"${volumePath}" leaves the volumes folder`);
    return volumePath.endsWith('/') ? `${local}${sep}` : local;
  }

  /**
   * The URI Databricks reports for a volume file, e.g. as `_metadata.file_path`:
   * scheme-qualified (`dbfs:/Volumes/…`) and quoted the way a Hadoop path becomes a
   * java.net.URI (space, `%`, `#`, `?`… percent-encoded; letters, digits, `-_.!~'()*,;:$&+=@/`
   * and non-ASCII letters kept), so code comparing paths is tested against the real form.
   * https://docs.databricks.com/en/ingestion/file-metadata-column.html (file_path: the file's URI)
   */
  toUri(localPath: string): string {
    return `dbfs:${[...this.toVolume(localPath)].map((char) => (URI_PATH_SAFE.test(char) || (char.codePointAt(0)! > 127 && /\P{C}/u.test(char) && !/\s/u.test(char)) ? char : encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))).join('')}`;
  }

  /** The `/Volumes/…` form of a local path inside the volumes folder. */
  toVolume(localPath: string): string {
    const rel = relative(this.root, localPath);
    if (isAbsolute(rel) || rel.startsWith('..')) throw new InvalidInputError(`"${localPath}" is not inside the volumes folder ${this.root}`);
    return `/Volumes/${rel.split(sep).join('/')}`;
  }
}

import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Maps Unity Catalog volume paths (`/Volumes/<catalog>/<schema>/<volume>/…`) to a local folder and back. */
export class VolumeMapper {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The local form of a `/Volumes/…` path. */
  toLocal(volumePath: string): string {
    const match = /^\/Volumes\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(volumePath);
    if (!match) throw new Error(`"${volumePath}" is not a volume path: expected /Volumes/<catalog>/<schema>/<volume>/…`);
    const local = join(this.root, volumePath.slice('/Volumes/'.length)).replace(/[\\/]+$/, '');
    if (relative(this.root, local).split(sep).includes('..')) throw new Error(`"${volumePath}" leaves the volumes folder`);
    return volumePath.endsWith('/') ? `${local}${sep}` : local;
  }

  /** The `/Volumes/…` form of a local path inside the volumes folder. */
  toVolume(localPath: string): string {
    const rel = relative(this.root, localPath);
    if (isAbsolute(rel) || rel.startsWith('..')) throw new Error(`"${localPath}" is not inside the volumes folder ${this.root}`);
    return `/Volumes/${rel.split(sep).join('/')}`;
  }
}

import { File } from '@cdktn/provider-databricks/lib/file';
import { Volume } from '@cdktn/provider-databricks/lib/volume';
import { Fn } from 'cdktn';
import { Construct } from 'constructs';
import { UC_IDENTIFIER } from '../model/identifiers';
import type { Layer } from '../model/layers';
import { FOLDER_MARKER, LANDING_FOLDERS, VOLUME_FOLDER, volumeFolder, volumePath } from '../model/naming';
import { LakehouseCatalog } from './lakehouse-catalog';
import { PropError } from './prop-error';
import { SecurableGrants } from './securable-grants';

export interface LandingVolumeProps {
  readonly catalog: LakehouseCatalog;
  readonly name: string;
  /** @default 'landing' */
  readonly layer?: Layer;
  /** External location URL (s3://, abfss://, gs://). @default a managed volume */
  readonly storageLocation?: string;
  /** Folder where sources drop new files. @default LANDING_FOLDERS.incoming ('incoming') */
  readonly incomingFolder?: string;
  /** Folder where processed files are moved. @default LANDING_FOLDERS.archive ('archive') */
  readonly archiveFolder?: string;
  /** A `/Volumes/…/` folder elsewhere for processed files; overrides archiveFolder. */
  readonly archivePath?: string;
  readonly comment?: string;
  /** Refuse to destroy the volume and its files (Terraform lifecycle.prevent_destroy). @default false */
  readonly preventDestroy?: boolean;
  /**
   * The volume is managed by another deployment, in this schema (a developer's deployment
   * uses the shared environment's volumes): its paths are known, nothing is created or granted.
   * @default the volume is created here, in the catalog's schema of its layer
   */
  readonly existingInSchema?: string;
}

const FOLDER = /^[A-Za-z0-9_-]+$/;

/** A Unity Catalog volume where source files land, with an incoming and an archive folder. */
export class LandingVolume extends Construct {
  /** `catalog.schema.volume`. */
  readonly fullName: string;
  /** The layer whose schema holds the volume. */
  readonly layer: Layer;
  /** `/Volumes/<catalog>/<schema>/<volume>`, without a trailing slash. */
  readonly path: string;
  /** Where new files arrive, ending with `/` as file-arrival triggers require. */
  readonly incomingPath: string;
  /** Where processed files are moved, ending with `/`. */
  readonly archivePath: string;
  /** The volume resource, unless the volume is managed by another deployment. */
  readonly resource?: Volume;
  /** The marker files that make the incoming and archive folders exist from deploy on (FOLDER_MARKER). */
  readonly folderMarkers: readonly File[];
  private readonly grants: SecurableGrants;

  constructor(scope: Construct, id: string, props: LandingVolumeProps) {
    super(scope, id);
    const layer = props.layer ?? 'landing';
    this.layer = layer;
    const incoming = props.incomingFolder ?? LANDING_FOLDERS.incoming;
    const archive = props.archiveFolder ?? LANDING_FOLDERS.archive;
    if (!UC_IDENTIFIER.test(props.name)) throw new PropError(scope, id, 'name', `"${props.name}" must be a Unity Catalog identifier`);
    if (props.storageLocation !== undefined && !/^(s3|abfss|gs):\/\/\S+$/.test(props.storageLocation)) {
      throw new PropError(scope, id, 'storageLocation', `"${props.storageLocation}" must be a cloud storage URL (s3://, abfss:// or gs://)`);
    }
    for (const [field, folder] of [['incomingFolder', incoming], ['archiveFolder', archive]] as const) {
      if (!FOLDER.test(folder)) throw new PropError(scope, id, field, `"${folder}" must be one folder name (letters, digits, _ or -)`);
    }
    if (props.archivePath !== undefined && !VOLUME_FOLDER.test(props.archivePath)) {
      throw new PropError(scope, id, 'archivePath', `"${props.archivePath}" must be a folder inside a volume: /Volumes/<catalog>/<schema>/<volume>/…/`);
    }

    this.fullName = props.existingInSchema ? `${props.catalog.catalogName}.${props.existingInSchema}.${props.name}` : `${props.catalog.schemaFullName(layer)}.${props.name}`;
    this.path = volumePath(props.catalog.catalogName, props.existingInSchema ?? props.catalog.schemaName(layer), props.name);
    this.incomingPath = volumeFolder(this.path, incoming);
    this.archivePath = props.archivePath ?? volumeFolder(this.path, archive);
    if (this.archivePath.startsWith(this.incomingPath)) {
      const field = props.archivePath === undefined ? 'archiveFolder' : 'archivePath';
      throw new PropError(scope, id, field, `"${this.archivePath}" lies inside the incoming folder: archived files would be loaded again`);
    }

    if (props.existingInSchema) {
      this.folderMarkers = [];
      this.grants = new SecurableGrants(this, 'Grants', { volume: this.fullName });
      return;
    }
    const schema = props.catalog.schema(layer);
    const volume = new Volume(this, 'Resource', {
      catalogName: schema.catalogName,
      schemaName: schema.name,
      name: props.name,
      volumeType: props.storageLocation ? 'EXTERNAL' : 'MANAGED',
      storageLocation: props.storageLocation,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      comment: props.comment ?? `Landing zone for ${props.name} files: ${this.incomingPath} receives, ${this.archivePath} keeps processed files.`,
    });
    this.resource = volume;
    // a volume has no empty folders: a file in each makes them exist before the first file lands
    // (databricks_file, provider docs/resources/file.md: content_base64, path under /Volumes)
    this.folderMarkers = [
      ['Folder-incoming', this.incomingPath],
      ['Folder-archive', this.archivePath],
    ].map(([markerId, folder]) => new File(this, markerId, { path: `${folder}${FOLDER_MARKER.name}`, contentBase64: Fn.base64encode(FOLDER_MARKER.content), dependsOn: [volume] }));
    this.grants = new SecurableGrants(this, 'Grants', { volume: volume.id });
  }

  /**
   * Makes a folder below the volume's root exist from deploy on, with its marker file (as
   * incoming/ and archive/ are); once per folder.
   */
  addFolder(folder: string): void {
    if (!/^[\w-]+(\/[\w-]+)*$/.test(folder)) throw new Error(`${this.node.path}: "${folder}" is not a folder below the volume's root`);
    const id = `Folder-${folder.replace(/\//g, '-')}`;
    // a volume another deployment manages gets its folders from that deployment
    if (!this.resource || this.node.tryFindChild(id)) return;
    new File(this, id, { path: `${volumeFolder(this.path, ...folder.split('/'))}${FOLDER_MARKER.name}`, contentBase64: Fn.base64encode(FOLDER_MARKER.content), dependsOn: [this.resource] });
  }

  /** Read the volume's files (READ VOLUME; USE CATALOG and USE SCHEMA come from the catalog). */
  grantRead(principal: string): void {
    this.refuseIfExisting();
    this.grants.grant(principal, ['READ_VOLUME']);
  }

  /** Read and write the volume's files: land, move and archive them. */
  grantReadWrite(principal: string): void {
    this.refuseIfExisting();
    this.grants.grant(principal, ['READ_VOLUME', 'WRITE_VOLUME']);
  }

  private refuseIfExisting(): void {
    if (!this.resource) throw new Error(`${this.node.path}: the volume ${this.fullName} is managed by another deployment; grant on it there`);
  }

  /** What a principal was granted on the volume itself (schema-level grants come on top). */
  privilegesOf(principal: string): ReadonlySet<string> {
    return this.grants.privilegesOf(principal);
  }
}

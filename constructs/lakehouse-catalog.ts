import { Catalog } from '@cdktf/provider-databricks/lib/catalog';
import { Schema } from '@cdktf/provider-databricks/lib/schema';
import { Construct } from 'constructs';
import { UC_IDENTIFIER } from '../model/identifiers';
import { LAYERS, Layer } from '../model/layers';
import { PropError } from './prop-error';
import { PrivilegesByPrincipal, RolePrincipals, declareGrants, mergeGrants } from './privileges';

export interface LakehouseCatalogProps extends RolePrincipals {
  /** Catalog name, unique in the metastore. */
  readonly name: string;
  /** Schema name per layer. @default the layer's own name */
  readonly schemaNames?: Partial<Readonly<Record<Layer, string>>>;
  /** Managed storage location. @default the metastore's */
  readonly storageRoot?: string;
  /** Layers that readers may query. @default ['silver', 'gold'] */
  readonly readerLayers?: readonly Layer[];
  /** Catalog owner. @default the deploying identity */
  readonly owner?: string;
  readonly comment?: string;
  /** Refuse to destroy the catalog and its schemas (Terraform lifecycle.prevent_destroy). @default false */
  readonly preventDestroy?: boolean;
}

const READER = ['USE_SCHEMA', 'SELECT'];
const WRITER = ['USE_SCHEMA', 'SELECT', 'MODIFY'];
const LANDING_WRITER = [...WRITER, 'READ_VOLUME', 'WRITE_VOLUME'];
const OPERATOR = ['USE_SCHEMA', 'SELECT', 'MODIFY', 'CREATE_TABLE', 'CREATE_MATERIALIZED_VIEW', 'CREATE_FUNCTION', 'EXECUTE', 'READ_VOLUME', 'WRITE_VOLUME'];

/** A Unity Catalog catalog with one schema per medallion layer and least-privilege grants per role. */
export class LakehouseCatalog extends Construct {
  /** The catalog name as written, for paths and three-part names. */
  readonly catalogName: string;
  private readonly schemaNames: Readonly<Record<Layer, string>>;
  private readonly schemas = new Map<Layer, Schema>();
  private readonly schemaPrivileges = new Map<Layer, PrivilegesByPrincipal>();
  private readonly catalog: Catalog;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LakehouseCatalogProps,
  ) {
    super(scope, id);
    validate(scope, id, props);

    const catalog = new Catalog(this, 'Resource', {
      name: props.name,
      comment: props.comment ?? 'Lakehouse ingestion platform, managed by cdktf.',
      storageRoot: props.storageRoot,
      owner: props.owner,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.catalog = catalog;
    this.catalogName = props.name;
    this.schemaNames = Object.fromEntries(LAYERS.map((l) => [l, props.schemaNames?.[l] ?? l])) as Record<Layer, string>;

    const readerLayers = props.readerLayers ?? ['silver', 'gold'];
    for (const layer of LAYERS) {
      const { schema, privileges } = this.declareSchema(layer, this.schemaNames[layer], `${layer} layer`, readerLayers.includes(layer), layer === 'landing' ? LANDING_WRITER : WRITER);
      this.schemas.set(layer, schema);
      this.schemaPrivileges.set(layer, privileges);
    }

    declareGrants(
      this,
      'Grants',
      { catalog: catalog.name },
      mergeGrants([
        [props.readers, ['USE_CATALOG']],
        [props.writers, ['USE_CATALOG']],
        [props.operators, ['USE_CATALOG']],
      ]),
    );
  }

  /** A schema outside the layers, e.g. the one a pipeline publishes to; readers may query it. */
  addSchema(name: string, comment: string): Schema {
    if (!UC_IDENTIFIER.test(name)) throw new PropError(this, `Schema-${name}`, 'name', `"${name}" must be a Unity Catalog identifier`);
    if (Object.values(this.schemaNames).includes(name)) throw new PropError(this, `Schema-${name}`, 'name', `"${name}" is already a layer schema`);
    return this.declareSchema(name, name, comment, true, WRITER).schema;
  }

  private declareSchema(key: string, name: string, comment: string, readable: boolean, writer: readonly string[]): { schema: Schema; privileges: PrivilegesByPrincipal } {
    const schema = new Schema(this, `Schema-${key}`, {
      catalogName: this.catalog.name,
      name,
      comment,
      lifecycle: this.props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    const privileges = mergeGrants([
      [readable ? this.props.readers : [], READER],
      [this.props.writers, writer],
      [this.props.operators, OPERATOR],
    ]);
    declareGrants(this, `Schema-${key}-Grants`, { schema: schema.id }, privileges);
    return { schema, privileges };
  }

  /** The schema resource of a layer; reference it so that dependants are created after it. */
  schema(layer: Layer): Schema {
    return this.schemas.get(layer)!;
  }

  /** The schema name of a layer as written. */
  schemaName(layer: Layer): string {
    return this.schemaNames[layer];
  }

  /** The layer whose schema has this name, if any. */
  layerOfSchema(schemaName: string): Layer | undefined {
    return LAYERS.find((layer) => this.schemaNames[layer] === schemaName);
  }

  /** Privileges this catalog grants a principal on a layer's schema. */
  schemaPrivilegesOf(principal: string, layer: Layer): ReadonlySet<string> {
    return this.schemaPrivileges.get(layer)?.get(principal) ?? new Set();
  }

  /** `catalog.schema` of a layer as written. */
  schemaFullName(layer: Layer): string {
    return `${this.catalogName}.${this.schemaNames[layer]}`;
  }
}

function validate(scope: Construct, id: string, props: LakehouseCatalogProps): void {
  if (!UC_IDENTIFIER.test(props.name)) {
    throw new PropError(scope, id, 'name', `"${props.name}" must be a Unity Catalog identifier (lower-case letters, digits, underscores)`);
  }
  const seen = new Map<string, Layer>();
  for (const layer of LAYERS) {
    const name = props.schemaNames?.[layer] ?? layer;
    if (!UC_IDENTIFIER.test(name)) throw new PropError(scope, id, `schemaNames.${layer}`, `"${name}" must be a Unity Catalog identifier`);
    const other = seen.get(name);
    if (other) throw new PropError(scope, id, `schemaNames.${layer}`, `"${name}" is already the ${other} schema`);
    seen.set(name, layer);
  }
  for (const role of ['readers', 'writers', 'operators'] as const) {
    (props[role] ?? []).forEach((p, i) => {
      if (p.trim() === '') throw new PropError(scope, id, `${role}[${i}]`, 'must not be empty');
    });
  }
}

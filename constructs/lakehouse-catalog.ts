import { Catalog } from '@cdktn/provider-databricks/lib/catalog';
import { Schema } from '@cdktn/provider-databricks/lib/schema';
import { Construct } from 'constructs';
import { UC_IDENTIFIER } from '../model/identifiers';
import { LAYERS, Layer } from '../model/layers';
import { PropError } from './prop-error';
import { SecurableGrants } from './securable-grants';

export interface LakehouseCatalogProps {
  /** Catalog name, unique in the metastore. */
  readonly name: string;
  /** Schema name per layer. @default the layer's own name */
  readonly schemaNames?: Partial<Readonly<Record<Layer, string>>>;
  /** Managed storage location. @default the metastore's */
  readonly storageRoot?: string;
  /** Catalog owner. @default the deploying identity */
  readonly owner?: string;
  readonly comment?: string;
  /** Refuse to destroy the catalog and its schemas (Terraform lifecycle.prevent_destroy). @default false */
  readonly preventDestroy?: boolean;
  /**
   * The catalog is managed by another deployment (a developer's deployment uses the shared
   * environment's): referenced by name, never created nor granted on; the schemas are this
   * deployment's own. @default false: the catalog is created here
   */
  readonly existing?: boolean;
  /** Prefix of the schemas added with addSchema (a developer's `jane_`). @default none */
  readonly addedSchemaPrefix?: string;
}

/**
 * Unity Catalog privileges of the roles, per schema
 * (https://docs.databricks.com/en/data-governance/unity-catalog/manage-privileges/privileges.html).
 * Files are granted per volume (LandingVolume.grant…), not per schema.
 */
export const SCHEMA_PRIVILEGES = {
  /** Query the tables. */
  read: ['USE_SCHEMA', 'SELECT'],
  /** Change rows by hand. */
  write: ['USE_SCHEMA', 'SELECT', 'MODIFY'],
  /** Run the workloads: create and change tables, views and functions. */
  run: ['USE_SCHEMA', 'SELECT', 'MODIFY', 'CREATE_TABLE', 'CREATE_MATERIALIZED_VIEW', 'CREATE_FUNCTION', 'EXECUTE'],
} as const;

/**
 * A Unity Catalog catalog with one schema per medallion layer (and schemas added for
 * pipelines). Access is granted with its `grant…` methods, aws-cdk style, which the stack
 * calls per role; each securable gets one authoritative `databricks_grants`, created on its
 * first grant. Role grants also reach schemas added later.
 */
export class LakehouseCatalog extends Construct {
  /** The catalog name as written, for paths and three-part names. */
  readonly catalogName: string;
  private readonly schemaNames: Readonly<Record<Layer, string>>;
  private readonly schemas = new Map<Layer, Schema>();
  /** Every schema by key (a layer, or a pipeline schema's name), with the privileges granted on it. */
  private readonly schemaGrants = new Map<string, { readonly schema: Schema; readonly grants: SecurableGrants }>();
  private readonly catalogGrants: SecurableGrants;
  /** Role grants that reach every schema, including those added later. */
  private readonly everySchema: { principal: string; privileges: readonly string[] }[] = [];
  /** The catalog's name, as a reference to the resource when this deployment creates it. */
  private readonly catalogReference: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LakehouseCatalogProps,
  ) {
    super(scope, id);
    validate(scope, id, props);

    const catalog = props.existing
      ? undefined
      : new Catalog(this, 'Resource', {
          name: props.name,
          comment: props.comment ?? 'Lakehouse ingestion platform, managed by cdktf.',
          storageRoot: props.storageRoot,
          owner: props.owner,
          lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
        });
    this.catalogReference = catalog?.name ?? props.name;
    this.catalogGrants = new SecurableGrants(this, 'Grants', { catalog: this.catalogReference });
    this.catalogName = props.name;
    this.schemaNames = Object.fromEntries(LAYERS.map((l) => [l, props.schemaNames?.[l] ?? l])) as Record<Layer, string>;
    for (const layer of LAYERS) this.schemas.set(layer, this.declareSchema(layer, this.schemaNames[layer], `${layer} layer`));
  }

  /** A schema outside the layers, e.g. the one a pipeline publishes to. Readers get nothing on it unless granted. */
  addSchema(unprefixed: string, comment: string): Schema {
    const name = `${this.props.addedSchemaPrefix ?? ''}${unprefixed}`;
    if (!UC_IDENTIFIER.test(name)) throw new PropError(this, `Schema-${name}`, 'name', `"${name}" must be a Unity Catalog identifier`);
    if (Object.values(this.schemaNames).includes(name)) throw new PropError(this, `Schema-${name}`, 'name', `"${name}" is already a layer schema`);
    return this.declareSchema(name, name, comment);
  }

  /** USE CATALOG for a principal: needed for anything inside it. */
  grantUseCatalog(principal: string): void {
    if (this.props.existing) throw new Error(`${this.node.path}: the catalog ${this.catalogName} is managed by another deployment; grant on it there`);
    this.catalogGrants.grant(principal, ['USE_CATALOG']);
  }

  /**
   * Create schemas of one's own in the catalog (USE CATALOG, CREATE SCHEMA): what a developer
   * deploying their own copy of a development environment needs, since that copy declares its
   * own prefixed schemas in the shared catalog and owns them.
   * https://docs.databricks.com/aws/en/data-governance/unity-catalog/manage-privileges/privileges#create-schema
   */
  grantCreateSchema(principal: string): void {
    if (this.props.existing) throw new Error(`${this.node.path}: the catalog ${this.catalogName} is managed by another deployment; grant on it there`);
    this.catalogGrants.grant(principal, ['USE_CATALOG', 'CREATE_SCHEMA']);
  }

  /** Privileges on one schema: a layer's, or a schema added with addSchema (by its name). */
  grantOnSchema(schema: Layer | string, principal: string, privileges: readonly string[]): void {
    const entry = this.schemaGrants.get(schema);
    if (!entry) throw new Error(`${this.node.path}: no schema "${schema}" (schemas: ${[...this.schemaGrants.keys()].join(', ')})`);
    entry.grants.grant(principal, privileges);
  }

  /** Read the tables of the given layers (readers: published data only, never bronze). */
  grantReadData(principal: string, layers: readonly Layer[]): void {
    this.grantUseCatalog(principal);
    for (const layer of layers) this.grantOnSchema(layer, principal, SCHEMA_PRIVILEGES.read);
  }

  /** Change rows of every schema by hand, including schemas added later. */
  grantWriteData(principal: string): void {
    this.grantToEverySchema(principal, SCHEMA_PRIVILEGES.write);
  }

  /** What running the jobs and pipelines needs, on every schema (operators and the run-as identity). */
  grantRunWorkloads(principal: string): void {
    this.grantToEverySchema(principal, SCHEMA_PRIVILEGES.run);
  }

  private grantToEverySchema(principal: string, privileges: readonly string[]): void {
    this.grantUseCatalog(principal);
    this.everySchema.push({ principal, privileges });
    for (const key of this.schemaGrants.keys()) this.grantOnSchema(key, principal, privileges);
  }

  private declareSchema(key: string, name: string, comment: string): Schema {
    const schema = new Schema(this, `Schema-${key}`, {
      catalogName: this.catalogReference,
      name,
      comment,
      lifecycle: this.props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.schemaGrants.set(key, { schema, grants: new SecurableGrants(this, `Schema-${key}-Grants`, { schema: schema.id }) });
    for (const grant of this.everySchema) this.grantOnSchema(key, grant.principal, grant.privileges);
    return schema;
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

  /** Privileges granted to a principal on a schema: a layer's, or an added schema's (by name). */
  schemaPrivilegesOf(principal: string, schema: Layer | string): ReadonlySet<string> {
    return this.schemaGrants.get(schema)?.grants.privilegesOf(principal) ?? new Set();
  }

  /** Privileges granted to a principal on the catalog itself. */
  catalogPrivilegesOf(principal: string): ReadonlySet<string> {
    return this.catalogGrants.privilegesOf(principal);
  }

  /** The schema keys (layers and added schemas) a principal holds any privilege on. */
  schemasGrantedTo(principal: string): string[] {
    return [...this.schemaGrants.entries()].filter(([, e]) => e.grants.privilegesOf(principal).size > 0).map(([key]) => key);
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
}

/**
 * The one owner of every name and path pattern the platform deploys: stack names, the
 * job and pipeline name prefix, the workspace folder, volume paths and the placeholders
 * config values use. Constructs, the local runner, the checks and the plan review all ask
 * here; nothing else spells these patterns.
 */
import { LAYERS, Layer, isLayer } from './layers';

/**
 * A folder inside a Unity Catalog volume: `/Volumes/<catalog>/<schema>/<volume>/<folders>/`,
 * ending with `/`. https://docs.databricks.com/en/volumes/paths.html
 */
export const VOLUME_FOLDER = /^\/Volumes\/[a-z_][a-z0-9_]*\/[a-z_][a-z0-9_]*\/[a-z_][a-z0-9_]*\/([A-Za-z0-9_-]+\/)*$/;

/**
 * The key of a volume among an environment's volumes: `<layer>.<name>`. A workflow names a
 * volume by `<name>` (a landing volume) or `<layer>.<name>`; names repeat across layers, so
 * a bare name never matches a volume of another layer.
 */
export function volumeKey(reference: string, defaultLayer = 'landing'): string {
  return reference.includes('.') ? reference : `${defaultLayer}.${reference}`;
}

/** `/Volumes/<catalog>/<schema>/<volume>`, without a trailing slash. */
export function volumePath(catalog: string, schema: string, volume: string): string {
  return `/Volumes/${catalog}/${schema}/${volume}`;
}

/** A folder of a volume, ending with `/` as file-arrival triggers and read_files folders are written. */
export function volumeFolder(volumeRoot: string, ...folders: readonly string[]): string {
  return `${[volumeRoot, ...folders].join('/')}/`;
}

/** An environment's Terraform stack (`cdktf deploy <stack>`), its state and its warehouse: `lakehouse-<env>`. */
export function stackName(environment: string): string {
  return `lakehouse-${environment}`;
}

/** The environment a stack name (stackName) belongs to. */
export function environmentOfStack(stack: string): string {
  return stack.replace(/^lakehouse-/, '');
}

/**
 * A developer's name as deployments use it: lower-case letters, digits and dashes, from a
 * name or an e-mail address (its local part): `Jane.Doe@example.com` → `jane-doe`.
 */
export function developerName(raw: string): string {
  const name = raw.trim().split('@')[0].toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z][a-z0-9-]{0,29}$/.test(name)) throw new Error(`"${raw}" gives no usable developer name (lower-case letters, digits and dashes, starting with a letter, at most 30)`);
  return name;
}

/** A developer's own deployment of a shared environment: its name (`dev-jane`), label (`dev jane`, as job names show it) and schema prefix (`jane_`). */
export function developerDeployment(environment: string, developer: string): { readonly name: string; readonly label: string; readonly schemaPrefix: string } {
  return { name: `${environment}-${developer}`, label: `${environment} ${developer}`, schemaPrefix: `${developer.replace(/-/g, '_')}_` };
}

/** A developer's workspace folder for a deployment: under their home folder, which only a plan knows (`databricks_current_user.home`). */
export function developerWorkspaceRoot(home: string, environment: string): string {
  return `${home}/lakehouse/${environment}`;
}

/** A developer's state, beside the shared environment's: `lakehouse-dev/terraform.tfstate` → `lakehouse-dev/developers/jane/terraform.tfstate`. */
export function developerStateKey(sharedKey: string, developer: string): string {
  const slash = sharedKey.lastIndexOf('/');
  return slash === -1 ? `developers/${developer}/${sharedKey}` : `${sharedKey.slice(0, slash)}/developers/${developer}/${sharedKey.slice(slash + 1)}`;
}

/** The workspace folder an environment's assets, queries, alerts and dashboards live under. */
export function workspaceRoot(environment: string): string {
  return `/Shared/lakehouse/${environment}`;
}

/** The folder of an environment's SQL alerts and their queries, below its workspace root. */
export function alertsFolder(root: string): string {
  return `${root}/alerts`;
}

/** The folders of a landing volume: sources drop files in `incoming/`, processed files move to `archive/`. */
export const LANDING_FOLDERS = { incoming: 'incoming', archive: 'archive' } as const;

/**
 * The file that makes a landing folder exist from deploy on (a volume has no empty folders
 * until something writes one), so a first run finds its folder instead of failing with
 * PATH_NOT_FOUND. Its name starts with `_`, which Spark's file listing skips
 * (HadoopFSUtils.shouldFilterOutPathName, apache/spark core/src/main/scala/org/apache/spark/util/HadoopFSUtils.scala:
 * names starting with `_` or `.`, unless they hold `=`), so read_files, COPY INTO and the
 * pipelines never read it; the archive step moves only files the ledger lists.
 */
export const FOLDER_MARKER = { name: '_lakehouse_folder', content: 'Keeps this landing folder in place; names starting with _ are skipped by every reader.\n' } as const;

/** Whether Spark's file listing skips a file of this name (see FOLDER_MARKER). */
export function isHiddenFileName(name: string): boolean {
  return (name.startsWith('_') && !name.includes('=')) || name.startsWith('.') || name.endsWith('._COPYING_');
}

/** What placeholders in config values resolve against: one environment's (or the local runner's) names. */
export interface NamingContext {
  readonly environment: string;
  readonly catalog: string;
  /** Schema name of each layer. */
  readonly schemas: Readonly<Record<Layer, string>>;
  /** Volumes by `<layer>.<name>`, with their folders. */
  readonly volumes: ReadonlyMap<string, VolumeFolders>;
}

/** A volume's root (`/Volumes/c/s/v`, no trailing slash) and its incoming and archive folders (ending with `/`). */
export interface VolumeFolders {
  readonly root: string;
  readonly incoming: string;
  readonly archive: string;
}

/** The folders of a volume as naming defines them, unless an archive folder is configured elsewhere. */
export function landingFolders(catalog: string, schema: string, volume: string, archivePath?: string): VolumeFolders {
  const root = volumePath(catalog, schema, volume);
  return { root, incoming: volumeFolder(root, LANDING_FOLDERS.incoming), archive: archivePath ?? volumeFolder(root, LANDING_FOLDERS.archive) };
}

/** A naming context for the default layer schema names (the local runner's, or a test's). */
export function defaultNamingContext(catalog: string, volumes: readonly { readonly name: string; readonly layer?: Layer }[] = [], environment = 'local'): NamingContext {
  const schemas = Object.fromEntries(LAYERS.map((l) => [l, l])) as Record<Layer, string>;
  return {
    environment,
    catalog,
    schemas,
    volumes: new Map(volumes.map((v) => [volumeKey(v.name, v.layer), landingFolders(catalog, schemas[v.layer ?? 'landing'], v.name)])),
  };
}

/**
 * Resolves the placeholders config values use, the one implementation every consumer calls:
 * `{{env.name}}`, `{{env.catalog}}`, `{{env.<layer>}}` (the layer's schema as
 * `<catalog>.<schema>`), `{{env.volume.<name>.incoming}}`, `{{env.volume.<name>.archive}}` and
 * `{{env.volume.<name>.root}}` (a landing volume's folders and root; `<layer>.<name>` for
 * another layer). Job dynamic value
 * references (`{{job.…}}`, `{{tasks.…}}`) are left for Databricks. An unknown `{{env.…}}`
 * placeholder is an error naming it.
 */
export function resolvePlaceholders(text: string, context: NamingContext): string {
  return text.replace(/\{\{\s*env\.([\w.]+)\s*\}\}/g, (placeholder, path: string) => {
    if (path === 'name') return context.environment;
    if (path === 'catalog') return context.catalog;
    if (isLayer(path)) return `${context.catalog}.${context.schemas[path]}`;
    const volume = /^volume\.((?:\w+\.)?\w+)\.(incoming|archive|root)$/.exec(path);
    const folders = volume ? context.volumes.get(volumeKey(volume[1])) : undefined;
    if (volume && folders) return folders[volume[2] as keyof VolumeFolders];
    throw new Error(`${placeholder} names nothing of environment "${context.environment}" (known: {{env.name}}, {{env.catalog}}, {{env.<layer>}}, {{env.volume.<name>.incoming|archive|root}}; volumes: ${[...context.volumes.keys()].join(', ') || 'none'})`);
  });
}

/**
 * Folders below a volume's root that a config value names (`{{env.volume.<name>.root}}/<folder>/`,
 * as the user-analytics pipeline names `profiles/`): like incoming/ and archive/, they must
 * exist from deploy on, since read_files fails on a missing path (PATH_NOT_FOUND).
 */
export function volumeSubfolders(text: string): { readonly volume: string; readonly folder: string }[] {
  return [...text.matchAll(/\{\{\s*env\.volume\.((?:\w+\.)?\w+)\.root\s*\}\}\/([\w-]+(?:\/[\w-]+)*)\/?/g)].map((m) => ({ volume: m[1], folder: m[2] }));
}

/** The job of a workflow in an environment: `[<env>] <workflow>`. */
export function resourcePrefix(environment: string): string {
  return `[${environment}] `;
}

/** What the tables of a source are called, in their layers. */
export function sourceTables(source: string): { staging: string; current: string; quarantine: string } {
  return { staging: `${source}_staging`, current: source, quarantine: `${source}_quarantine` };
}

/** The workflow (job ingestion) or pipeline (pipeline ingestion) that ingests a source: kebab-case, as job names are (`order_lines` → `ingest-order-lines`). */
export function ingestionName(source: string): string {
  return `ingest-${source.replace(/_/g, '-')}`;
}

/** The schema a source's pipeline publishes to. */
export function ingestionSchema(source: string): string {
  return `ingest_${source}`;
}

/** The table a pipeline publishes its event log to, in the ops schema (expectation metrics, update history). */
export function pipelineEventLogTable(pipeline: string): string {
  return `${pipeline.replace(/-/g, '_')}_event_log`;
}

/** Where the SQL generated for a source lives, relative to the project root. */
export function generatedSqlFolder(source: string): string {
  return `sql/generated/${source}`;
}

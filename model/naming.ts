/**
 * The one owner of every name and path pattern the platform deploys: stack names, the
 * job and pipeline name prefix, the workspace folder, volume paths and the placeholders
 * config values use. Constructs, the local runner, the checks and the plan review all ask
 * here; nothing else spells these patterns.
 */

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

/** The workspace folder an environment's assets, queries, alerts and dashboards live under. */
export function workspaceRoot(environment: string): string {
  return `/Shared/lakehouse/${environment}`;
}

/** The folder of an environment's SQL alerts and their queries, below its workspace root. */
export function alertsFolder(root: string): string {
  return `${root}/alerts`;
}

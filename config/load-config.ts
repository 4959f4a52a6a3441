import { LAYERS, Layer } from '../model/layers';
import { stackName } from '../model/naming';
import { ConfigError, ConfigProblem, zodProblems } from './config-error';
import { ENVIRONMENT_NAME, EnvironmentSettings, environmentSchema } from './environment-schema';
import { productionProblems } from './promotion-chain';

export { ConfigError } from './config-error';

/** One environment's validated configuration, with every default filled in. */
export interface Environment extends Omit<EnvironmentSettings, 'catalog' | 'pauseTriggers'> {
  readonly name: string;
  /** `cdktf deploy <stackName>` deploys this environment. */
  readonly stackName: string;
  readonly catalog: {
    readonly name: string;
    readonly storageRoot?: string;
    readonly schemas: Readonly<Record<Layer, string>>;
  };
  readonly pauseTriggers: boolean;
  /** Set on a developer's own deployment of a shared environment (config/developer-environment.ts). @default a deployment of its own */
  readonly developer?: {
    readonly name: string;
    /** How names show the deployment: `dev jane`. */
    readonly label: string;
    /** Prefix of the deployment's own schemas: `jane_`. */
    readonly schemaPrefix: string;
    /** The environment whose catalog, volumes and warehouse it uses. */
    readonly shared: Environment;
  };
}

function crossFieldProblems(settings: EnvironmentSettings): Pick<ConfigProblem, 'field' | 'message'>[] {
  const problems: Pick<ConfigProblem, 'field' | 'message'>[] = [];
  if (settings.mode === 'production' && !settings.runAs) {
    problems.push({
      field: 'runAs',
      message: 'is required in a production environment: set runAs.servicePrincipal to the application id of the service principal that runs the jobs',
    });
  }
  for (const role of ['onFailure', 'onSuccess'] as const) {
    settings.notifications[role].forEach((name, i) => {
      if (!(name in settings.notifications.destinations)) problems.push({ field: `notifications.${role}[${i}]`, message: `names no destination of the environment (destinations: ${Object.keys(settings.notifications.destinations).join(', ') || 'none'})` });
    });
  }
  if (settings.stateBackend.type === 's3' && settings.stateBackend.dynamodbTable !== undefined) {
    problems.push({
      field: 'stateBackend.dynamodbTable',
      message: 'is deprecated: Terraform ≥ 1.11 locks S3 state with a lock file beside it (use_lockfile), which every S3 backend here turns on; remove dynamodbTable',
    });
  }
  if (settings.deployedByCi && settings.stateBackend.type === 'local') {
    problems.push({
      field: 'stateBackend',
      message: 'is local, but CI deploys this environment: each run starts on a fresh machine, so local state is lost and the next deploy re-creates everything. Declare a remote backend (s3, azurerm, gcs, cloud), or set deployedByCi: false',
    });
  }
  if (settings.mode === 'production' && settings.notifications.onFailure.length === 0) {
    problems.push({
      field: 'notifications',
      message: 'needs at least one failure destination in a production environment (notifications.onFailure)',
    });
  }

  const schemas = resolveSchemaNames(settings);
  const seen = new Map<string, Layer>();
  for (const layer of LAYERS) {
    const other = seen.get(schemas[layer]);
    if (other) {
      problems.push({
        field: `catalog.schemas.${layer}`,
        message: `"${schemas[layer]}" is already the ${other} schema; each layer needs its own schema`,
      });
    }
    seen.set(schemas[layer], layer);
  }

  const volumeNames = new Set<string>();
  settings.volumes.forEach((volume, index) => {
    const key = `${volume.layer}.${volume.name}`;
    if (volumeNames.has(key)) {
      problems.push({ field: `volumes[${index}].name`, message: `volume "${volume.name}" is declared twice in the ${volume.layer} schema` });
    }
    volumeNames.add(key);
  });
  return problems;
}

function resolveSchemaNames(settings: EnvironmentSettings): Record<Layer, string> {
  return Object.fromEntries(LAYERS.map((layer) => [layer, settings.catalog.schemas[layer] ?? layer])) as Record<Layer, string>;
}

/** The config file environments are declared in. */
export const ENVIRONMENTS_FILE = 'config/environments.ts';

const at = (name: string) => ({ file: ENVIRONMENTS_FILE, object: `environment "${name}"` });

function parseEnvironment(name: string, raw: unknown): Environment | ConfigProblem[] {
  if (!ENVIRONMENT_NAME.test(name)) {
    return [{ ...at(name), field: '(name)', message: 'environment names must be lower-case letters, digits and dashes, starting with a letter' }];
  }
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) return zodProblems(parsed.error, at(name));
  const settings = parsed.data;
  const problems = crossFieldProblems(settings).map((p) => ({ ...at(name), ...p }));
  if (problems.length > 0) return problems;
  return {
    ...settings,
    name,
    stackName: stackName(name),
    catalog: { name: settings.catalog.name, storageRoot: settings.catalog.storageRoot, schemas: resolveSchemaNames(settings) },
    pauseTriggers: settings.pauseTriggers ?? settings.mode === 'development',
    tags: { environment: name, ...settings.tags },
  };
}

/**
 * Validates every environment and returns them in declaration order, or throws a
 * ConfigError listing every problem of every environment at once.
 */
export function loadEnvironments(raw: Readonly<Record<string, unknown>>): Environment[] {
  const entries = Object.entries(raw);
  if (entries.length === 0) throw new ConfigError([{ file: ENVIRONMENTS_FILE, object: 'environments', field: '(environments)', message: 'no environment is declared' }]);
  const results = entries.map(([name, value]) => parseEnvironment(name, value));
  const problems = results.flatMap((r) => (Array.isArray(r) ? r : []));
  if (problems.length > 0) throw new ConfigError(problems);
  const environments = results as Environment[];
  const catalogs = new Map<string, string>();
  for (const env of environments) {
    const owner = catalogs.get(env.catalog.name);
    if (owner) {
      problems.push({ ...at(env.name), field: 'catalog.name', message: `catalog "${env.catalog.name}" is already used by environment "${owner}"` });
    }
    catalogs.set(env.catalog.name, env.name);
  }
  problems.push(...promotionProblems(environments));
  if (problems.length > 0) throw new ConfigError(problems);
  return inPromotionOrder(environments);
}

/**
 * What is wrong with the promotion chain the environments declare (`promotedFrom`): the
 * CI-deployed environments must form one line, from the one that names no predecessor to
 * the last; an environment outside CI is outside the chain.
 */
function promotionProblems(environments: readonly Environment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = new Set(environments.map((e) => e.name));
  const chained = environments.filter((e) => e.deployedByCi);
  const problem = (name: string, message: string) => problems.push({ ...at(name), field: 'promotedFrom', message });
  for (const env of environments) {
    if (env.promotedFrom === undefined) continue;
    if (!env.deployedByCi) problem(env.name, 'an environment CI does not deploy is outside the promotion chain: remove promotedFrom, or deploy it by CI');
    else if (!names.has(env.promotedFrom) || env.promotedFrom === env.name) problem(env.name, `"${env.promotedFrom}" is not another declared environment`);
    else if (!chained.some((e) => e.name === env.promotedFrom)) problem(env.name, `"${env.promotedFrom}" is not deployed by CI, so it is not in the promotion chain`);
  }
  const starts = chained.filter((e) => e.promotedFrom === undefined);
  if (chained.length > 0 && starts.length !== 1) {
    for (const env of starts.slice(1)) problem(env.name, `names no environment it is promoted from, and neither does "${starts[0].name}": say which environment a change reaches before this one`);
  }
  // the end of the chain is production, whatever its mode says, and so is what follows a
  // production environment: its guardrails cannot be switched off by a field (config/promotion-chain.ts)
  const chain = wellFormedChain(chained);
  if (chain) for (const { environment, field, message } of productionProblems(chain)) problems.push({ ...at(environment), field, message });
  const successors = new Map<string, string>();
  for (const env of chained) {
    if (env.promotedFrom === undefined) continue;
    const other = successors.get(env.promotedFrom);
    if (other) problem(env.name, `"${env.promotedFrom}" is already followed by "${other}": the promotion chain is one line, so promote "${env.name}" from "${other}" or the other way round`);
    else successors.set(env.promotedFrom, env.name);
  }
  return problems;
}

/** The environments of a well-formed chain (one start, one successor each) in promotion order, if it is one. */
function wellFormedChain(chained: readonly Environment[]): Environment[] | undefined {
  const starts = chained.filter((e) => e.promotedFrom === undefined);
  if (starts.length !== 1) return undefined;
  const ordered = [starts[0]];
  for (;;) {
    const current = ordered.at(-1)!;
    const next = chained.filter((e) => e.promotedFrom === current.name);
    if (next.length === 0) return ordered.length === chained.length ? ordered : undefined;
    if (next.length !== 1 || ordered.includes(next[0])) return undefined;
    ordered.push(next[0]);
  }
}

/** The CI-deployed environments along the promotion chain, then those CI does not deploy, in declaration order. */
function inPromotionOrder(environments: readonly Environment[]): Environment[] {
  const chained = environments.filter((e) => e.deployedByCi);
  const ordered: Environment[] = [];
  for (let next = chained.find((e) => e.promotedFrom === undefined); next; next = chained.find((e) => e.promotedFrom === ordered.at(-1)!.name)) {
    if (ordered.includes(next)) break;
    ordered.push(next);
  }
  if (ordered.length !== chained.length) {
    const cut = chained.filter((e) => !ordered.includes(e)).map((e) => e.name);
    throw new ConfigError(cut.map((name) => ({ ...at(name), field: 'promotedFrom', message: `is not reachable from the start of the promotion chain (${ordered.map((e) => e.name).join(' → ')}): a cycle?` })));
  }
  return [...ordered, ...environments.filter((e) => !e.deployedByCi)];
}

/** Narrows the environments to the named ones (all when `names` is empty). */
export function selectEnvironments(environments: readonly Environment[], names: readonly string[]): Environment[] {
  if (names.length === 0) return [...environments];
  const known = environments.map((e) => e.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((n) => ({ ...at(n), field: '(name)', message: `is not a declared environment; declared: ${known.join(', ')}` })),
    );
  }
  return environments.filter((e) => names.includes(e.name));
}

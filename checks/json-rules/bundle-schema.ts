import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import extract from '../data/bundle-schema/jobs-pipelines.schema.json';
import type { JsonRule, JsonRuleHit } from '../json-rule';
import type { SynthesizedResource } from '../synthesized-stack';

/**
 * Every `databricks_job` and `databricks_pipeline` validates against Databricks' own schema
 * of job and pipeline settings — the `resources.Job` and `resources.Pipeline` definitions of
 * the bundle JSON schema of databricks/cli, extracted into checks/data/bundle-schema/ by
 * scripts/extract-bundle-schema.ts — and sets no field that schema marks deprecated.
 *
 * The Terraform configuration is first put in the API's shape, guided by the schema itself:
 * Terraform's block names become the API's field names (a table per schema definition, so a
 * `task` inside `for_each_task` or a `cluster` key of a `configuration` map is left alone),
 * Terraform-only attributes are dropped, and Terraform references become a bundle variable.
 */

type Json = Record<string, unknown>;
type SchemaNode = Record<string, unknown>;

const SCHEMA = extract as unknown as SchemaNode;
const SCHEMA_ID = 'databricks-bundle-jobs-pipelines';
const SOURCE_COMMIT = 'e37109f8ba1060aeb553d7b8e0a7a83a01d8fe82';

const DEFINITIONS = {
  databricks_job: '#/$defs/github.com/databricks/cli/bundle/config/resources.Job',
  databricks_pipeline: '#/$defs/github.com/databricks/cli/bundle/config/resources.Pipeline',
} as const;
type ResourceType = keyof typeof DEFINITIONS;

/**
 * Terraform names that differ from the API's, per schema definition (the last segment of its
 * `$defs` path). The provider spells a repeated block in the singular and some fields with a
 * `tf:"alias:…"` tag. Sources: databricks/terraform-provider-databricks docs/resources/job.md
 * (`task`, `parameter`, `job_cluster`, `environment`, `library` of a job and of a task,
 * `git_source` with `url`/`provider`/`branch`/`tag`/`commit`) and docs/resources/pipeline.md
 * (`cluster`, `library`, `notification`); checked against the Terraform names the provider
 * bindings write (@cdktn/provider-databricks, lib/job and lib/pipeline
 * `*ToTerraform`): with this table every attribute of theirs is a field of the schema except
 * those in TERRAFORM_ONLY, the Jobs API 2.0 single-task fields (LEGACY_SINGLE_TASK) and a few
 * cluster attributes the Jobs API does not know (`cluster_id`, `idempotency_token`,
 * `cluster_mount_info`, `library` of a `new_cluster`), which are reported.
 * Unchanged, as the API spells them too: a task's `depends_on`, `subscriptions`,
 * `init_scripts`, `for_each_task.task`, a pipeline's `environment`, the `on_*` lists of
 * `webhook_notifications`.
 */
const TERRAFORM_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'resources.Job': { task: 'tasks', parameter: 'parameters', job_cluster: 'job_clusters', environment: 'environments' },
  'jobs.Task': { library: 'libraries' },
  'jobs.GitSource': { url: 'git_url', provider: 'git_provider', branch: 'git_branch', tag: 'git_tag', commit: 'git_commit' },
  'resources.Pipeline': { cluster: 'clusters', library: 'libraries', notification: 'notifications' },
};

/** Terraform meta-arguments: https://developer.hashicorp.com/terraform/language/meta-arguments */
const META_ARGUMENTS = ['lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'provisioner', 'connection'];
/** Provider attributes that are not API settings: computed ones, and the provider's own switches. */
const PROVIDER_ONLY = ['timeouts', 'provider_config', 'id', 'url'];
/**
 * API fields the bundle schema leaves out because `databricks bundle deploy` sets them itself
 * (`deployment: {kind: BUNDLE}`, `edit_mode: UI_LOCKED`, `format: MULTI_TASK`): not errors when
 * Terraform sets them, and not checked here.
 */
const SET_BY_BUNDLES = ['deployment', 'edit_mode', 'format'];

/** Configuration keys dropped before validating, per schema definition. */
const TERRAFORM_ONLY: Readonly<Record<string, ReadonlySet<string>>> = {
  // always_running (deprecated) and control_run_state: the provider restarts the run itself
  'resources.Job': new Set([...META_ARGUMENTS, ...PROVIDER_ONLY, ...SET_BY_BUNDLES, 'always_running', 'control_run_state']),
  // expected_last_modified: the provider's optimistic-concurrency check; the rest: pipeline state the provider reads back
  'resources.Pipeline': new Set([...META_ARGUMENTS, ...PROVIDER_ONLY, ...SET_BY_BUNDLES, 'expected_last_modified', 'cause', 'cluster_id', 'creator_user_name', 'health', 'last_modified', 'latest_updates', 'run_as_user_name', 'state']),
  'compute.ClusterSpec': new Set(['__apply_policy_default_values_allow_list', 'provider_config']),
  'compute.Library': new Set(['provider_config']),
};

/** Jobs API 2.0 single-task fields the provider still accepts at the job's top level; the API 2.1+ settings put them in a task. */
const LEGACY_SINGLE_TASK = new Set(['existing_cluster_id', 'new_cluster', 'library', 'notebook_task', 'spark_jar_task', 'spark_python_task', 'spark_submit_task', 'pipeline_task', 'python_wheel_task', 'run_job_task', 'dbt_task', 'max_retries', 'min_retry_interval_millis', 'retry_on_timeout']);

/** How list items are named in a path: tasks by key, parameters by name…; other lists by index. */
const ITEM_LABELS: Readonly<Record<string, string>> = { tasks: 'task_key', job_clusters: 'job_cluster_key', environments: 'environment_key', parameters: 'name', clusters: 'label' };

/**
 * What a Terraform reference becomes. Every definition of the extract that is not a plain
 * string is a `oneOf` whose first branch is the real type and whose other branches are
 * strings matching an (unanchored) interpolation pattern — `${resources…}`, `${bundle…}`,
 * `${workspace…}`, `${artifacts…}` on scalars, `${var…}` everywhere, enums and objects
 * included — so a bundle variable is accepted wherever a value is only known at apply.
 */
export const TERRAFORM_REFERENCE = '${var.terraform_reference}';

// ---------------------------------------------------------------- schema navigation

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function lookup(ref: string): SchemaNode {
  if (!ref.startsWith('#/')) throw new Error(`bundle schema: only local references are supported, not ${ref}`);
  let node: unknown = SCHEMA;
  for (const token of ref.slice(2).split('/')) node = isObject(node) ? node[decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  if (!isObject(node)) throw new Error(`bundle schema: ${ref} does not resolve in checks/data/bundle-schema/jobs-pipelines.schema.json`);
  return node;
}

/** A schema node with its `$ref`s followed, and the name of the definition they led to (none for an inline schema). */
function resolve(node: SchemaNode | undefined): { node: SchemaNode | undefined; definition: string | undefined } {
  let current = node;
  let name: string | undefined;
  for (let depth = 0; current && typeof current.$ref === 'string'; depth++) {
    if (depth > 50) throw new Error(`bundle schema: $ref cycle at ${current.$ref}`);
    name = current.$ref.slice(current.$ref.lastIndexOf('/') + 1);
    current = lookup(current.$ref);
  }
  return { node: current, definition: name };
}

function branches(node: SchemaNode | undefined): SchemaNode[] {
  if (!node) return [];
  return Array.isArray(node.oneOf) ? (node.oneOf as SchemaNode[]) : [node];
}

/** The branch of a node that describes a value of this kind: its object or array form, else its real (first) branch. */
function branchFor(node: SchemaNode | undefined, value: unknown): SchemaNode | undefined {
  const all = branches(node);
  const kind = Array.isArray(value) ? 'array' : isObject(value) ? 'object' : undefined;
  return (kind && all.find((b) => b.type === kind)) || all[0];
}

// ---------------------------------------------------------------- Terraform → API shape

/** `${…}` Terraform interpolations replaced by a bundle variable; `$${` and `%%{` escapes unescaped. */
export function withoutTerraformReferences(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      out += `${text[i]}{`;
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = closingBrace(text, i + 2);
      if (end === -1) return out + text.slice(i);
      out += TERRAFORM_REFERENCE;
      i = end + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

/** Index of the `}` closing an interpolation that starts at `from`, skipping nested braces and quoted strings. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (quoted) {
      if (c === '\\') j++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return j;
      depth--;
    }
  }
  return -1;
}

function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pathWith(path: string, key: string): string {
  const step = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return !path ? step : step.startsWith('[') ? `${path}${step}` : `${path}.${step}`;
}

/** A resource's configuration in the API's shape, with where each part came from. */
export interface ApiShape {
  readonly api: Json;
  /** JSON pointer in `api` (as ajv's instancePath) → path in Terraform's spelling, e.g. `task[load].sql_task.file`. */
  readonly terraformPaths: ReadonlyMap<string, string>;
  /** JSON pointer of each object in `api` → the schema definition describing it (`jobs.Task`…). */
  readonly definitions: ReadonlyMap<string, string>;
  /** Fields given in the API's spelling where Terraform has a name of its own (`tasks` for `task`): unknown to Terraform, left out of `api`. */
  readonly apiSpellings: readonly { readonly path: string; readonly terraformName: string }[];
}

export function toApiShape(type: ResourceType, config: Json): ApiShape {
  const terraformPaths = new Map<string, string>();
  const definitions = new Map<string, string>();
  const apiSpellings: { path: string; terraformName: string }[] = [];

  const convert = (value: unknown, schema: SchemaNode | undefined, path: string, pointer: string, listKey: string): unknown => {
    const { node, definition } = resolve(schema);
    const all = branches(node);
    const objectForm = all.find((b) => b.type === 'object');
    const arrayForm = all.find((b) => b.type === 'array');
    terraformPaths.set(pointer, path || '(top level)');
    if (typeof value === 'string') return withoutTerraformReferences(value);
    // Terraform JSON writes a nested block as an object or as an array of objects, either for any block type
    if (Array.isArray(value) && !arrayForm && objectForm && value.length === 1 && isObject(value[0])) return convert(value[0], schema, path, pointer, listKey);
    if (isObject(value) && arrayForm && !objectForm && branches(resolve(arrayForm.items as SchemaNode | undefined).node).some((b) => b.type === 'object')) {
      return convert([value], schema, path, pointer, listKey);
    }
    if (Array.isArray(value)) {
      const items = arrayForm?.items as SchemaNode | undefined;
      return value.map((item, i) => {
        const label = ITEM_LABELS[listKey] && isObject(item) && typeof item[ITEM_LABELS[listKey]] === 'string' ? (item[ITEM_LABELS[listKey]] as string) : String(i);
        return convert(item, items, `${path}[${label}]`, `${pointer}/${i}`, '');
      });
    }
    if (!isObject(value)) return value;
    if (definition) definitions.set(pointer, definition);
    const properties = isObject(objectForm?.properties) ? (objectForm.properties as Record<string, SchemaNode>) : undefined;
    const mapValues = isObject(objectForm?.additionalProperties) ? (objectForm.additionalProperties as SchemaNode) : undefined;
    const names = (definition && TERRAFORM_NAMES[definition]) || {};
    const dropped = (definition && TERRAFORM_ONLY[definition]) || new Set<string>();
    const out: Json = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === null) continue; // null is Terraform's "not set"
      if (properties) {
        if (dropped.has(key)) continue;
        const terraformName = Object.keys(names).find((name) => names[name] === key);
        if (terraformName !== undefined && !(key in names)) {
          apiSpellings.push({ path: pathWith(path, key), terraformName });
          continue;
        }
        const apiKey = names[key] ?? key;
        out[apiKey] = convert(inner, properties[apiKey], pathWith(path, key), `${pointer}/${pointerToken(apiKey)}`, apiKey);
      } else {
        // a map: its keys are data, never renamed
        out[key] = convert(inner, mapValues, pathWith(path, key), `${pointer}/${pointerToken(key)}`, '');
      }
    }
    return out;
  };

  const api = convert(config, { $ref: DEFINITIONS[type] }, '', '', '') as Json;
  return { api, terraformPaths, definitions, apiSpellings };
}

// ---------------------------------------------------------------- validation

const validators: Partial<Record<ResourceType, ValidateFunction>> = {};
let ajv: Ajv | undefined;
function validatorFor(type: ResourceType): ValidateFunction {
  if (!validators[type]) {
    if (!ajv) {
      // strict off: the schema carries vendor keywords (deprecationMessage, doNotSuggest, x-databricks-launch-stage…);
      // unicodeRegExp for the \p{L} of its interpolation patterns; verbose for the schema beside each error
      ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true, verbose: true });
      ajv.addSchema(SCHEMA, SCHEMA_ID);
    }
    const validate = ajv.getSchema(`${SCHEMA_ID}${DEFINITIONS[type]}`);
    if (!validate) throw new Error(`bundle schema: ${DEFINITIONS[type]} is missing from the extract`);
    validators[type] = validate;
  }
  return validators[type]!;
}

/**
 * The errors of the value's real type. Each `oneOf` of the schema is [real type, `${…}`
 * alternatives…], so an error under branch 1+ only says the value is not an interpolation,
 * and the `oneOf` error itself only that no branch matched.
 */
function realTypeErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => {
    if (e.keyword === 'oneOf') return false;
    const branch = [...e.schemaPath.matchAll(/\/oneOf\/(\d+)(?=\/)/g)].pop();
    return !branch || branch[1] === '0';
  });
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** One validation error in Terraform's words. */
function describe(error: ErrorObject, shape: ApiShape): string {
  const at = shape.terraformPaths.get(error.instancePath) ?? error.instancePath;
  const definition = shape.definitions.get(error.instancePath);
  const terraformName = (apiName: string) => Object.entries((definition && TERRAFORM_NAMES[definition]) || {}).find(([, api]) => api === apiName)?.[0] ?? apiName;
  const top = at === '(top level)';
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as Json | undefined) ?? {}).map(terraformName);
      const closest = known.map((name) => ({ name, distance: editDistance(field, name) })).sort((a, b) => a.distance - b.distance)[0];
      const hint = top && definition === 'resources.Job' && LEGACY_SINGLE_TASK.has(field) ? ' (a Jobs API 2.0 single-task field: set it in a task block)' : closest && closest.distance <= 2 ? ` (did you mean "${closest.name}"?)` : '';
      return `${pathWith(top ? '' : at, field)} is an unknown field${hint}`;
    }
    case 'enum':
      return `${at} is ${JSON.stringify(error.data)}, not one of the allowed values ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${at} must be ${String(error.params.type)}, not ${kindOf(error.data)}`;
    case 'required':
      return `${top ? 'the configuration' : at} lacks the required field "${terraformName(String(error.params.missingProperty))}"`;
    default:
      return `${at} ${error.message ?? error.keyword}`;
  }
}

// ---------------------------------------------------------------- deprecations

const GENERIC_DEPRECATION = 'This field is deprecated';

/**
 * What the schema says of a deprecated field: its description from the sentence that says
 * "deprecated" (or "legacy") on, where the replacement follows; else its sentences naming a
 * replacement; else the `deprecationMessage`, when it is more than the generic one.
 */
function advice(description: unknown, deprecationMessage: unknown): string {
  const text = typeof description === 'string' ? description.replace(/\s+/g, ' ').trim() : '';
  const sentences = text ? text.split(/(?<=[.!?])\s+/) : [];
  const from = sentences.findIndex((s) => /deprecat|legacy/i.test(s));
  const replacement = sentences.filter((s) => /instead|in favou?r of|replace|recommend/i.test(s));
  const message = typeof deprecationMessage === 'string' && deprecationMessage !== GENERIC_DEPRECATION ? deprecationMessage : undefined;
  const said = from !== -1 ? sentences.slice(from, from + 3).join(' ') : replacement.length > 0 ? replacement.join(' ') : (message ?? text);
  return said.length > 400 ? `${said.slice(0, 399)}…` : said || 'the schema names no replacement';
}

/** Text that opens with "Deprecated" (after a launch-stage tag such as "[Private Preview]") or says "deprecated in favor of". */
const DEPRECATED_TEXT = /^\s*(?:\[[^\]]*\]\s*)?deprecated\b|\bdeprecated in favou?r of\b/i;

/**
 * Whether the schema marks a property deprecated, and its advice. The schema marks a field on
 * its property entry with `deprecated: true` and a `deprecationMessage` (mostly the generic
 * "This field is deprecated"; the replacement is in the `description`); a few fields are
 * marked only by their description ("DEPRECATED — use …"), on the property or on the
 * definition it refers to.
 */
function deprecationOf(property: SchemaNode): string | undefined {
  if (property.deprecated === true) return advice(property.description, property.deprecationMessage);
  if (typeof property.description === 'string' && DEPRECATED_TEXT.test(property.description)) return advice(property.description, undefined);
  const target = branches(resolve(property).node)[0];
  if (target && typeof target.description === 'string' && DEPRECATED_TEXT.test(target.description)) return advice(target.description, undefined);
  return undefined;
}

/** Enum values a description lists under "The following … are deprecated …:" (as compute.DataSecurityMode does). */
function deprecatedValues(description: unknown): Map<string, string> {
  const values = new Map<string, string>();
  if (typeof description !== 'string') return values;
  for (const match of description.matchAll(/(The following [^.:\n]*?\bdeprecated\b[^:]*):\s*\n((?:[ \t]*\n|[ \t]*\*[ \t]*`[^`]+`[^\n]*\n?)+)/gi)) {
    for (const bullet of match[2].matchAll(/\*[ \t]*`([^`]+)`/g)) values.set(bullet[1], match[1].replace(/\s+/g, ' '));
  }
  return values;
}

function deprecations(shape: ApiShape, type: ResourceType): string[] {
  const found: string[] = [];
  const walk = (value: unknown, schema: SchemaNode | undefined, pointer: string) => {
    const form = branchFor(resolve(schema).node, value);
    if (!form) return;
    const at = () => shape.terraformPaths.get(pointer) ?? pointer;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, form.items as SchemaNode | undefined, `${pointer}/${i}`));
    } else if (isObject(value)) {
      const properties = isObject(form.properties) ? (form.properties as Record<string, SchemaNode>) : undefined;
      for (const [key, inner] of Object.entries(value)) {
        const property = properties ? properties[key] : isObject(form.additionalProperties) ? (form.additionalProperties as SchemaNode) : undefined;
        if (!property) continue;
        const child = `${pointer}/${pointerToken(key)}`;
        const deprecated = properties ? deprecationOf(property) : undefined;
        if (deprecated) found.push(`${shape.terraformPaths.get(child) ?? child} is deprecated: ${deprecated}`);
        walk(inner, property, child);
      }
    } else if (typeof value === 'string' && Array.isArray(form.enum)) {
      const reason = deprecatedValues(form.description).get(value);
      if (reason) {
        const description = Array.isArray(form.enumDescriptions) ? form.enumDescriptions[form.enum.indexOf(value)] : undefined;
        found.push(`${at()} is ${JSON.stringify(value)}, a value the schema marks deprecated: ${reason}${description ? ` (${String(description)})` : ''}`);
      }
    }
  };
  walk(shape.api, { $ref: DEFINITIONS[type] }, '');
  return found;
}

// ---------------------------------------------------------------- the rule

function subject(resource: SynthesizedResource): string {
  const kind = resource.type === 'databricks_job' ? 'job' : 'pipeline';
  return typeof resource.config.name === 'string' ? `${kind} ${JSON.stringify(resource.config.name)}` : `${kind} ${resource.id}`;
}

export const bundleSchema: JsonRule = {
  id: 'bundle-schema',
  description: "Jobs and pipelines validate against Databricks' bundle JSON schema of job and pipeline settings (Terraform's names translated) and set no field it marks deprecated.",
  source: `databricks/cli bundle/schema/jsonschema.json @ ${SOURCE_COMMIT} (resources.Job, resources.Pipeline; extract in checks/data/bundle-schema)`,
  check(stack) {
    const hits: JsonRuleHit[] = [];
    for (const resource of stack.resources) {
      if (resource.type !== 'databricks_job' && resource.type !== 'databricks_pipeline') continue;
      const shape = toApiShape(resource.type, resource.config);
      const validate = validatorFor(resource.type);
      const messages = new Set<string>(shape.apiSpellings.map(({ path, terraformName }) => `${path} is an unknown field (the API's name: Terraform calls it "${terraformName}")`));
      if (!validate(shape.api)) for (const error of realTypeErrors(validate.errors ?? [])) messages.add(describe(error, shape));
      for (const deprecated of deprecations(shape, resource.type)) messages.add(deprecated);
      for (const message of messages) hits.push({ address: resource.address, message: `${subject(resource)}: ${message}` });
    }
    return hits;
  },
};

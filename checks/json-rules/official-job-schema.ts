import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import schema from '../data/databricks-job-schema/jobs-pipelines.schema.json';
import type { JsonRule, JsonRuleHit } from '../json-rule';

/**
 * Every job and pipeline validates against Databricks' own schema of job and pipeline
 * settings (the bundle JSON schema of databricks/cli, extracted into checks/data), and sets
 * no field that schema marks deprecated. Terraform spells the API's lists in the singular
 * (`task`, `library`…) and adds meta-arguments; both are translated before validating.
 */

const DEFINITIONS = {
  databricks_job: 'bundle#/$defs/github.com/databricks/cli/bundle/config/resources.Job',
  databricks_pipeline: 'bundle#/$defs/github.com/databricks/cli/bundle/config/resources.Pipeline',
} as const;

/**
 * Terraform block names and the API fields they stand for: the provider spells repeated
 * blocks in the singular (databricks/terraform-provider-databricks docs/resources/job.md:
 * `task`, `parameter`, `job_cluster`, `environment`, `library`; docs/resources/pipeline.md:
 * `library`, `cluster`, `notification`).
 */
const API_NAMES: Readonly<Record<string, string>> = {
  task: 'tasks',
  parameter: 'parameters',
  job_cluster: 'job_clusters',
  environment: 'environments',
  library: 'libraries',
  cluster: 'clusters',
  notification: 'notifications',
};

/** Terraform meta-arguments and provider-only attributes, which the API does not know. */
const TERRAFORM_ONLY = new Set(['lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'always_running', 'control_run_state', 'provider_config']);

/** A Terraform reference stands for a value known at apply; the schema accepts a bundle variable in its place. */
const REFERENCE = /^\$\{[^}]+\}$/;

/** A resource's configuration in the API's spelling: the schema's input. */
export function apiShape(config: Record<string, unknown>): Record<string, unknown> {
  const convert = (value: unknown): unknown => {
    if (typeof value === 'string') return REFERENCE.test(value) ? '${var.terraform_reference}' : value;
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [API_NAMES[k] ?? k, convert(v)]));
    return value;
  };
  return convert(Object.fromEntries(Object.entries(config).filter(([key]) => !TERRAFORM_ONLY.has(key)))) as Record<string, unknown>;
}

let validators: Record<keyof typeof DEFINITIONS, ValidateFunction> | undefined;
function validatorFor(type: keyof typeof DEFINITIONS): ValidateFunction {
  if (!validators) {
    // unicodeRegExp for the schema's \p{L} patterns; strict off for its vendor keywords (deprecationMessage…)
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true });
    ajv.addSchema(schema, 'bundle');
    validators = { databricks_job: ajv.getSchema(DEFINITIONS.databricks_job)!, databricks_pipeline: ajv.getSchema(DEFINITIONS.databricks_pipeline)! };
  }
  return validators[type];
}

/** `tasks/2/sql_task` as Terraform spells it, tasks by key: `task[load].sql_task`. */
function terraformPath(instancePath: string, shaped: Record<string, unknown>): string {
  const parts = instancePath.split('/').filter(Boolean);
  let node: unknown = shaped;
  let path = '';
  for (const part of parts) {
    const inList = Array.isArray(node);
    node = (node as Record<string, unknown>)?.[part];
    if (inList) {
      const key = (node as { task_key?: string; name?: string } | undefined)?.task_key ?? (node as { name?: string } | undefined)?.name;
      path += `[${key ?? part}]`;
    } else {
      const singular = Object.entries(API_NAMES).find(([, api]) => api === part)?.[0] ?? part;
      path += path ? `.${singular}` : singular;
    }
  }
  return path || '(whole)';
}

/** The errors that say what is wrong, without the ones of the interpolation alternative each definition also allows. */
function meaningful(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'oneOf' && !(e.keyword === 'pattern' && String(e.params.pattern).startsWith('\\$\\{')) && !(e.keyword === 'type' && e.params.type === 'string' && /oneOf\/1\/type$/.test(e.schemaPath)));
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `has the unknown field "${String(error.params.additionalProperty)}"`;
    case 'enum':
      return `is not one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `lacks the required field "${String(error.params.missingProperty)}"`;
    default:
      return error.message ?? error.keyword;
  }
}

/** The fields of a value that the schema marks deprecated, as Terraform paths with the schema's advice. */
function deprecatedFields(value: unknown, schemaNode: unknown, path: string, found: string[]): void {
  const resolve = (node: unknown): Record<string, unknown> | undefined => {
    let current = node as Record<string, unknown> | undefined;
    for (let depth = 0; current && depth < 20; depth++) {
      if (typeof current.$ref === 'string') current = current.$ref.replace(/^#\//, '').split('/').reduce<unknown>((n, p) => (n as Record<string, unknown>)?.[p], schema) as Record<string, unknown>;
      else if (Array.isArray(current.oneOf)) current = (current.oneOf as Record<string, unknown>[]).find((b) => b.type === 'object' || b.type === 'array' || b.$ref) ?? current.oneOf[0];
      else return current;
    }
    return current;
  };
  const node = resolve(schemaNode);
  if (!node) return;
  if (Array.isArray(value)) value.forEach((item, i) => deprecatedFields(item, node.items, `${path}[${(item as { task_key?: string }).task_key ?? i}]`, found));
  else if (value && typeof value === 'object' && node.properties) {
    for (const [key, inner] of Object.entries(value)) {
      const property = (node.properties as Record<string, Record<string, unknown>>)[key];
      if (!property) continue;
      const at = path ? `${path}.${Object.entries(API_NAMES).find(([, api]) => api === key)?.[0] ?? key}` : key;
      if (property.deprecated === true) found.push(`${at} is deprecated: ${String(property.description ?? property.deprecationMessage).replace(/\s+/g, ' ')}`);
      else deprecatedFields(inner, property, at, found);
    }
  }
}

export const officialJobSchema: JsonRule = {
  id: 'official-job-schema',
  description: "Jobs and pipelines validate against Databricks' bundle JSON schema and set no deprecated field.",
  source: 'databricks/cli bundle/schema/jsonschema.json @ e37109f8ba1060aeb553d7b8e0a7a83a01d8fe82 (extract in checks/data/databricks-job-schema)',
  check(stack) {
    const hits: JsonRuleHit[] = [];
    for (const resource of stack.resources) {
      if (resource.type !== 'databricks_job' && resource.type !== 'databricks_pipeline') continue;
      const shaped = apiShape(resource.config);
      const what = `${resource.type === 'databricks_job' ? 'job' : 'pipeline'} ${String(resource.config.name)}`;
      const validate = validatorFor(resource.type);
      if (!validate(shaped)) {
        const seen = new Set<string>();
        for (const error of meaningful(validate.errors ?? [])) {
          const message = `${what}: ${terraformPath(error.instancePath, shaped)} ${describe(error)}`;
          if (!seen.has(message)) hits.push({ address: resource.address, message });
          seen.add(message);
        }
      }
      const deprecated: string[] = [];
      deprecatedFields(shaped, { $ref: DEFINITIONS[resource.type].replace(/^bundle/, '') }, '', deprecated);
      hits.push(...deprecated.map((d) => ({ address: resource.address, message: `${what}: ${d}` })));
    }
    return hits;
  },
};

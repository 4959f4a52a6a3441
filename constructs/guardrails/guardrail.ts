import { TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';

/** What a guardrail knows about the environment it checks. */
export interface GuardrailContext {
  /** Production mode: locked down, like a Databricks bundle's production target. */
  readonly production: boolean;
  /** The environment's config asks for paused triggers. */
  readonly pauseTriggers: boolean;
}

/** A resource as it will be synthesized: its Terraform type and snake_case configuration. */
export interface ResourceView {
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly lifecycle?: { prevent_destroy?: boolean };
}

/**
 * One policy rule: a pure function of one resource. Returns the problem, or undefined
 * when the resource complies (or the rule does not concern it).
 */
export interface Guardrail {
  readonly id: string;
  readonly description: string;
  check(resource: ResourceView, context: GuardrailContext): string | undefined;
}

export function viewOf(node: IConstruct): ResourceView | undefined {
  if (!TerraformResource.isTerraformResource(node)) return undefined;
  const resource = node as TerraformResource;
  const synthesized = resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const config = Object.values(synthesized.resource[resource.terraformResourceType])[0];
  return { type: resource.terraformResourceType, config, lifecycle: config.lifecycle as ResourceView['lifecycle'] };
}

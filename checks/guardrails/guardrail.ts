/**
 * A guardrail: one policy rule of the platform (production locked down, no secrets, valid
 * names…), a pure function of one resource as it will be synthesized. The stacks apply them
 * at synth through an Aspect; `npm run check` applies them again to `cdktf.out`.
 */

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

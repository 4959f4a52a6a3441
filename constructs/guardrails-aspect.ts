import { IAspect, TerraformResource } from 'cdktn';
import { IConstruct } from 'constructs';
import { GUARDRAILS } from '../checks/guardrails';
import { Guardrail, GuardrailContext, ResourceView } from '../checks/guardrails/guardrail';

/**
 * A resource as it will be synthesized, for the guardrails. References and lazy values are
 * still tokens here (`${TfToken[…]}`), which the rules take for references; synth checks the
 * written JSON again with everything resolved (app/synthesize-lakehouse.ts). Resolving here
 * would cost as much as a second synth.
 */
export function viewOf(node: IConstruct): ResourceView | undefined {
  if (!TerraformResource.isTerraformResource(node)) return undefined;
  const resource = node as TerraformResource;
  const synthesized = resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const config = Object.values(synthesized.resource[resource.terraformResourceType])[0];
  return { type: resource.terraformResourceType, config, lifecycle: config.lifecycle as ResourceView['lifecycle'] };
}

/**
 * Applies the guardrails to every resource of a stack. A violation is a validation error of
 * the resource, which fails synth: unlike an error annotation, no environment variable
 * (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) lets it through.
 */
export class Guardrails implements IAspect {
  constructor(
    private readonly context: GuardrailContext,
    private readonly rules: readonly Guardrail[] = GUARDRAILS,
  ) {}

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    // checked when validations run, after every construct (and grant) is in place
    node.node.addValidation({
      validate: () => {
        const view = viewOf(node)!;
        return this.rules.flatMap((rule) => {
          const problem = rule.check(view, this.context);
          return problem ? [`[${rule.id}] ${view.type} ${problem}. Rule: ${rule.description}`] : [];
        });
      },
    });
  }
}

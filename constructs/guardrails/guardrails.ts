import { Annotations, IAspect } from 'cdktf';
import { IConstruct } from 'constructs';
import { Guardrail, GuardrailContext, viewOf } from './guardrail';
import { jobTimeoutAndConcurrency } from './job-timeout-and-concurrency';
import { noSecrets } from './no-secrets';
import { prodJobFailureNotifications } from './prod-job-failure-notifications';
import { prodNoDevelopmentPipelines } from './prod-no-development-pipelines';
import { prodNoPausedTriggers } from './prod-no-paused-triggers';
import { prodPreventDestroy } from './prod-prevent-destroy';
import { prodRunAsServicePrincipal } from './prod-run-as-service-principal';
import { unityCatalogNames } from './unity-catalog-names';

export const GUARDRAILS: readonly Guardrail[] = [
  prodRunAsServicePrincipal,
  prodNoDevelopmentPipelines,
  prodJobFailureNotifications,
  prodNoPausedTriggers,
  prodPreventDestroy,
  jobTimeoutAndConcurrency,
  noSecrets,
  unityCatalogNames,
];

/** Applies the guardrails to every resource of a stack; a violation is an error that fails synth. */
export class Guardrails implements IAspect {
  constructor(
    private readonly context: GuardrailContext,
    private readonly rules: readonly Guardrail[] = GUARDRAILS,
  ) {}

  visit(node: IConstruct): void {
    const view = viewOf(node);
    if (!view) return;
    for (const rule of this.rules) {
      const problem = rule.check(view, this.context);
      if (problem) Annotations.of(node).addError(`[${rule.id}] ${view.type} ${problem}. Rule: ${rule.description}`);
    }
  }
}

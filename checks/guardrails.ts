import type { Diagnostic } from '../model/diagnostic';
import { Guardrail, GuardrailContext } from './guardrails/guardrail';
import { destinationSecretsFromVariables } from './guardrails/destination-secrets-from-variables';
import { jobTimeoutAndConcurrency } from './guardrails/job-timeout-and-concurrency';
import { noSecrets, secretsIn } from './guardrails/no-secrets';
import { prodJobFailureNotifications } from './guardrails/prod-job-failure-notifications';
import { prodNoDevelopmentPipelines } from './guardrails/prod-no-development-pipelines';
import { prodNoPausedTriggers } from './guardrails/prod-no-paused-triggers';
import { prodPreventDestroy } from './guardrails/prod-prevent-destroy';
import { prodRunAsServicePrincipal } from './guardrails/prod-run-as-service-principal';
import { reservedCatalogNames } from './guardrails/reserved-catalog-names';
import { unityCatalogNames } from './guardrails/unity-catalog-names';
import { SynthesizedStack, lineOf } from './synthesized-stack';

export const GUARDRAILS: readonly Guardrail[] = [
  prodRunAsServicePrincipal,
  prodNoDevelopmentPipelines,
  prodJobFailureNotifications,
  prodNoPausedTriggers,
  prodPreventDestroy,
  jobTimeoutAndConcurrency,
  noSecrets,
  destinationSecretsFromVariables,
  unityCatalogNames,
  reservedCatalogNames,
];

/**
 * The guardrails on a synthesized stack: every resource, and the blocks that are not
 * resources (provider, backend, variables, outputs, data sources) for secrets.
 */
export function checkGuardrails(stack: SynthesizedStack, context: GuardrailContext, outdirName = 'cdktf.out', rules: readonly Guardrail[] = GUARDRAILS): Diagnostic[] {
  const file = `${outdirName}/${stack.file}`;
  const findings: Diagnostic[] = [];
  for (const resource of stack.resources) {
    const view = { type: resource.type, config: resource.config, lifecycle: resource.config.lifecycle as { prevent_destroy?: boolean } | undefined };
    for (const rule of rules) {
      const problem = rule.check(view, context);
      if (problem) findings.push({ file, line: lineOf(stack, resource.address), column: 1, rule: rule.id, severity: 'error', message: `${resource.address}: ${resource.type} ${problem}` });
    }
  }
  if (rules.includes(noSecrets)) {
    for (const [block, value] of Object.entries(stack.json).filter(([key]) => key !== 'resource' && key !== '//')) {
      const found = secretsIn(value);
      if (found.length > 0) findings.push({ file, line: lineOf(stack, block), column: 1, rule: noSecrets.id, severity: 'error', message: `${block} block contains what looks like ${found.join(', ')}: read it from the environment instead` });
    }
  }
  return findings;
}

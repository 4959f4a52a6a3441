import type { Diagnostic } from '../model/diagnostic';
import { Guardrail, GuardrailContext } from './guardrails/guardrail';
import { GUARDRAILS } from './guardrails/index';
import { noSecrets } from './guardrails/no-secrets';
import { describeSecret, findSecrets } from './secret-scan';
import { SynthesizedStack, lineOf } from './synthesized-stack';

export { GUARDRAILS } from './guardrails/index';

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
      const found = findSecrets(value);
      if (found.length > 0) findings.push({ file, line: lineOf(stack, block), column: 1, rule: noSecrets.id, severity: 'error', message: `${block} block contains what looks like ${found.map(describeSecret).join('; ')}: read it from the environment instead` });
    }
  }
  return findings;
}

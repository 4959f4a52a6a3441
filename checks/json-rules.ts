import type { Diagnostic } from '../model/diagnostic';
import type { JsonRule } from './json-rule';
import { JSON_RULES } from './json-rules/index';
import { SynthesizedStack, lineOf } from './synthesized-stack';

export { JSON_RULES } from './json-rules/index';

/** Findings of the JSON rules on one stack, located in its cdk.tf.json (relative to `outdirName`). */
export function checkStack(stack: SynthesizedStack, outdirName = 'cdktf.out', rules: readonly JsonRule[] = JSON_RULES): Diagnostic[] {
  return rules.flatMap((rule) =>
    rule.check(stack).map((hit) => ({ file: `${outdirName}/${stack.file}`, line: lineOf(stack, hit.address), column: 1, rule: rule.id, severity: 'error' as const, message: `${hit.address}: ${hit.message}` })),
  );
}

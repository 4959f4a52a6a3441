import type { Diagnostic } from '../model/diagnostic';
import type { JsonRule } from './json-rule';
import { canonicalColumnTypes } from './json-rules/canonical-column-types';
import { jobParameterReferences } from './json-rules/job-parameter-references';
import { bundleSchema } from './json-rules/bundle-schema';
import { quartzSchedules } from './json-rules/quartz-schedules';
import { sqlMarkersSupplied } from './json-rules/sql-markers-supplied';
import { workspaceFoldersCreated } from './json-rules/workspace-folders-created';
import { SynthesizedStack, lineOf } from './synthesized-stack';

/** Every rule over synthesized stacks. */
export const JSON_RULES: readonly JsonRule[] = [canonicalColumnTypes, workspaceFoldersCreated, quartzSchedules, jobParameterReferences, sqlMarkersSupplied, bundleSchema];

/** Findings of the JSON rules on one stack, located in its cdk.tf.json (relative to `outdirName`). */
export function checkStack(stack: SynthesizedStack, outdirName = 'cdktf.out', rules: readonly JsonRule[] = JSON_RULES): Diagnostic[] {
  return rules.flatMap((rule) =>
    rule.check(stack).map((hit) => ({ file: `${outdirName}/${stack.file}`, line: lineOf(stack, hit.address), column: 1, rule: rule.id, severity: 'error' as const, message: `${hit.address}: ${hit.message}` })),
  );
}

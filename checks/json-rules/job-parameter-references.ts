import { referenceProblem, dynamicReferences, referencedJobParameter } from '../dynamic-value-references';
import type { JsonRule, JsonRuleHit } from '../json-rule';

/**
 * Every dynamic value reference in a job is one Databricks resolves, and every
 * `{{job.parameters.x}}` names a parameter the job declares (an undeclared one is refused
 * when the job is saved, as an invalid reference in the known `job` namespace).
 */
export const jobParameterReferences: JsonRule = {
  id: 'job-parameter-references',
  description: 'Dynamic value references in a job are known ones, and {{job.parameters.x}} names a declared job parameter.',
  source: 'https://docs.databricks.com/en/jobs/dynamic-value-references.html',
  check(stack) {
    const hits: JsonRuleHit[] = [];
    for (const job of stack.resources.filter((r) => r.type === 'databricks_job')) {
      const declared = new Set(((job.config.parameter ?? []) as { name: string }[]).map((p) => p.name));
      const seen = new Set<string>();
      for (const reference of dynamicReferences(JSON.stringify(job.config))) {
        if (seen.has(reference)) continue;
        seen.add(reference);
        const parameter = referencedJobParameter(reference);
        const problem = parameter !== undefined && !declared.has(parameter) ? `{{${reference}}} names no parameter of the job (declared: ${[...declared].sort().join(', ') || 'none'})` : referenceProblem(reference);
        if (problem) hits.push({ address: job.address, message: `job ${String(job.config.name)}: ${problem}` });
      }
    }
    return hits;
  },
};

import { describeSecret, findSecrets } from '../secret-scan';
import { Guardrail } from './guardrail';

/**
 * No literal credential reaches cdktf.out (and so Terraform state, plans and CI logs) or a
 * workspace file: every string of the resource and the decoded content of every file it
 * uploads, by key, by value shape and by assignment (checks/secret-scan.ts; the shape rules in
 * checks/data/secret-rules.json cite the detectors they come from). Nothing in the
 * configuration can allow a value through.
 */
export const noSecrets: Guardrail = {
  id: 'no-secrets',
  description: 'No secret-looking value appears in the synthesized configuration (any block: resources, provider, backend, variables) or in an uploaded file; credentials come from the environment, Terraform variables or Databricks secrets.',
  check({ config }) {
    const found = findSecrets(config);
    return found.length > 0 ? `contains what looks like ${found.map(describeSecret).join('; ')}: read it from the environment, a sensitive Terraform variable or a Databricks secret instead` : undefined;
  },
};

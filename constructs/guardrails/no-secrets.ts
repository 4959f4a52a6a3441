import { Guardrail } from './guardrail';

/** Shapes of credentials that must never reach cdktf.out (and so Terraform state and plans). */
const SECRET_SHAPES: readonly [string, RegExp][] = [
  ['a Databricks personal access token', /dapi[0-9a-f]{32}/],
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['a password or secret assignment', /\b(password|passwd|secret|client_secret|token)\s*[:=]\s*['"]?[^\s'"${}]{8,}/i],
];

/** Text of a resource as deployed, with embedded file contents decoded. */
function deployedText(config: Record<string, unknown>): string {
  const encoded = typeof config.content_base64 === 'string' ? Buffer.from(config.content_base64, 'base64').toString('utf8') : '';
  return `${JSON.stringify(config)}\n${encoded}`;
}

export const noSecrets: Guardrail = {
  id: 'no-secrets',
  description: 'No secret-looking value appears in the synthesized configuration; credentials come from the environment.',
  check({ config }) {
    const text = deployedText(config);
    const found = SECRET_SHAPES.filter(([, shape]) => shape.test(text)).map(([what]) => what);
    return found.length > 0 ? `contains what looks like ${found.join(', ')}: read it from the environment instead` : undefined;
  },
};

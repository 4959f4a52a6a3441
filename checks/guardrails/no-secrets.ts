import { Guardrail } from './guardrail';

/** Shapes of credentials that must never reach cdktf.out (and so Terraform state and plans). */
const SECRET_SHAPES: readonly [string, RegExp][] = [
  ['a Databricks personal access token', /dapi[0-9a-f]{32}/],
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['a Slack webhook URL', /hooks\.slack\.com\/services\/[A-Za-z0-9/]{10,}/],
  ['a password or secret assignment', /\b(password|passwd|secret|client_secret|token)\s*[:=]\s*['"]?[^\s'"${}]{8,}/i],
];

/**
 * Keys whose value is a credential: `password`, `db_password`, `client_secret`, `secret_key`,
 * `access_token`, `integration_key`, `private_key`… A value read from a Terraform variable or
 * another resource (`${…}`) is not a literal credential and passes.
 */
const SECRET_KEY = /(^|_)(password|passwd|secret|token|private_key|api_key|access_key|secret_key|integration_key|client_secret|sas_token)$/i;

function secretKeys(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => secretKeys(v, `${path}[${i}]`, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (SECRET_KEY.test(key) && typeof v === 'string' && v.trim() !== '' && !/^\$\{[^}]+\}$/.test(v.trim())) found.push(at);
      else secretKeys(v, at, found);
    }
  }
}

/** What in a JSON value (embedded file contents decoded) looks like a credential, as short descriptions. */
export function secretsIn(value: unknown): string[] {
  const embedded: string[] = [];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) {
        if (key === 'content_base64' && typeof inner === 'string') embedded.push(Buffer.from(inner, 'base64').toString('utf8'));
        else collect(inner);
      }
    }
  };
  collect(value);
  const text = `${JSON.stringify(value)}\n${embedded.join('\n')}`;
  const keys: string[] = [];
  secretKeys(value, '', keys);
  return [...SECRET_SHAPES.filter(([, shape]) => shape.test(text)).map(([what]) => what), ...keys.map((k) => `a credential in "${k}"`)];
}

export const noSecrets: Guardrail = {
  id: 'no-secrets',
  description: 'No secret-looking value appears in the synthesized configuration (any block: resources, provider, backend, variables); credentials come from the environment.',
  check({ config }) {
    const found = secretsIn(config);
    return found.length > 0 ? `contains what looks like ${found.join(', ')}: read it from the environment instead` : undefined;
  },
};

import { Guardrail } from './guardrail';

/**
 * The secret fields of a notification destination (provider docs/resources/notification_destination.md):
 * a webhook's URL and password, a Slack URL or OAuth token, a PagerDuty integration key, a
 * Teams URL or app secret.
 */
const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  slack: ['url', 'oauth_token'],
  generic_webhook: ['url', 'password'],
  pagerduty: ['integration_key'],
  microsoft_teams: ['url', 'auth_secret'],
};

export const destinationSecretsFromVariables: Guardrail = {
  id: 'destination-secrets-from-variables',
  description: "A notification destination's secret (webhook URL, integration key, token) is a Terraform variable set at plan time, never a value written into the configuration.",
  check({ type, config }) {
    if (type !== 'databricks_notification_destination') return undefined;
    const blocks = (config.config ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const literal = Object.entries(SECRET_FIELDS).flatMap(([kind, fields]) =>
      fields.filter((field) => {
        const value = blocks[kind]?.[field];
        // a variable reference, or a reference not resolved yet (at construct time, a token)
        return typeof value === 'string' && !/^\$\{(var\.[A-Za-z0-9_-]+|TfToken\[TOKEN\.\d+\])\}$/.test(value.trim());
      }).map((field) => `config.${kind}.${field}`),
    );
    return literal.length > 0 ? `writes ${literal.join(', ')} into the configuration: declare a sensitive variable and set it from TF_VAR_<name>` : undefined;
  },
};

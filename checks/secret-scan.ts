/**
 * Finds literal credentials in what the stacks write: every string of the synthesized
 * Terraform JSON (resources, provider, backend, variables' defaults, outputs…) and every
 * workspace file they upload (`content_base64`: SQL files, generated SQL, notebooks, volume
 * files). Credentials come from the environment, Terraform variables or Databricks secrets,
 * never from the configuration: what the configuration writes lands in Terraform state, in
 * plans, in CI logs and in workspace files every user of the folder can read.
 *
 * Three detectors, none of which a configuration can extend or relax:
 * - by key: a value stored under a credential-named key, whatever its casing or separators
 *   (`password`, `db_password`, `dbPassword`, `spark.db.password`, `DB-PWD`, `clientSecret`…),
 *   including name/value pairs such as a job parameter `{ name: "db_password", default: … }`;
 * - by value shape: the rules of `data/secret-rules.json`, adapted from gitleaks' and
 *   detect-secrets' rule sets (each rule names its source there);
 * - by assignment in text: `password => 'x'` (SQL named arguments and options),
 *   `token = "…"`, `"apiKey": "…"`, `PWD=…` in files and in strings, the keyword list of
 *   detect-secrets' keyword plugin
 *   (https://github.com/Yelp/detect-secrets/blob/master/detect_secrets/plugins/keyword.py) and
 *   gitleaks' generic-api-key rule (https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml).
 *
 * What is not a literal passes: a Terraform reference (`${var.x}`, `${databricks_secret.s.string_value}`),
 * a Databricks secret reference (`{{secrets/scope/key}}`, https://docs.databricks.com/aws/en/security/secrets/secrets-spark-conf-env-var),
 * the SQL `secret('scope', 'key')` function (https://docs.databricks.com/aws/en/sql/language-manual/functions/secret),
 * `dbutils.secrets.get(…)`, and a dynamic value reference (`{{job.parameters.x}}`).
 */
import rules from './data/secret-rules.json';

/** One literal credential found. The value itself is never repeated in full. */
export interface SecretFinding {
  /** Rule id: `secret-key`, `secret-assignment` or a shape rule of data/secret-rules.json. */
  readonly rule: string;
  /** What it looks like, e.g. `a Databricks personal access token`. */
  readonly what: string;
  /** Where: the dotted path in the JSON, and for an uploaded file its path and line (`content_base64 (/Workspace/lh/sql/load.sql:12)`). */
  readonly at: string;
  /** The key the value is stored or assigned under, when there is one. */
  readonly key?: string;
  /** The first characters of the value and its length, enough to find it, never the whole. */
  readonly preview: string;
}

interface ShapeRule {
  readonly id: string;
  readonly description: string;
  readonly pattern: RegExp;
}

const SHAPES: readonly ShapeRule[] = rules.rules.map((r) => ({ id: r.id, description: r.description, pattern: new RegExp(r.pattern, `${r.flags}g`) }));

/** Words that make a key a credential's: detect-secrets' keyword DENYLIST and the provider's secret fields. */
const SECRET_WORDS = ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'credential', 'credentials', 'apikey', 'privatekey', 'accesskey', 'secretkey', 'clientsecret', 'integrationkey', 'routingkey', 'accountkey', 'signingkey', 'encryptionkey', 'masterkey', 'authkey', 'sastoken', 'pat'];
/** Joined words that hold a secret word (`dbpassword`, `accesstoken`): the secret word must end or start them. */
const EMBEDDED_SECRET_WORD = /(password|passwd|passphrase|secret|token|credentials?)$|^(password|passwd|secret)/;
/** A key whose last word is one of these names a credential's metadata, not the credential: `secret_scope`, `token_lifetime_seconds`, `password_variable`. */
const METADATA_WORDS = new Set(['scope', 'scopes', 'name', 'names', 'id', 'ids', 'variable', 'var', 'ref', 'reference', 'path', 'file', 'type', 'ttl', 'lifetime', 'seconds', 'minutes', 'hours', 'days', 'expiry', 'expiration', 'length', 'policy', 'enabled', 'required', 'url', 'uri', 'endpoint', 'header', 'count', 'version', 'rotation', 'source', 'env', 'arn']);

/** The words of a key in any casing or separator form: `spark.db.password`, `dbPassword`, `DB_PWD`, `client-secret`. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a key names a credential (`password`, `db_password`, `dbPassword`, `spark.db.password`, `apiKey`, `access_key`…). */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0 || METADATA_WORDS.has(words[words.length - 1])) return false;
  const joined = words.slice(1).map((w, i) => `${words[i]}${w}`);
  return [...words, ...joined].some((w) => SECRET_WORDS.includes(w) || EMBEDDED_SECRET_WORD.test(w));
}

/**
 * Words that make a key a likely credential's only when its value also looks generated
 * (gitleaks' generic-api-key keywords: access, auth, api, credential, creds, key, with an
 * entropy floor of 3.5 bits per character).
 */
const WEAK_SECRET_WORDS = new Set(['auth', 'key', 'creds', 'access', 'api', 'signature', 'salt', 'bearer']);

/** Shannon entropy of a string, in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.values()].reduce((sum, n) => sum - (n / value.length) * Math.log2(n / value.length), 0);
}

/** A value that looks machine-generated: 20+ characters without spaces or path separators, letters and digits, mixed case or one unbroken run, entropy ≥ 3.5 (gitleaks generic-api-key). */
export function looksGenerated(value: string): boolean {
  const mixed = /[a-z]/.test(value) && /[A-Z]/.test(value);
  // snake_case or dotted names of one case (`ingest_orders_2024_daily`) are identifiers, not keys
  return value.length >= 20 && !/[\s/\\]/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value) && (mixed || !/[_.-]/.test(value)) && !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(value) && entropy(value) >= 3.5;
}

/** Whether a key names a likely credential (`auth_key`, `apiAuth`, `creds`) whose value counts only when it looks generated. */
export function isWeakSecretKey(key: string): boolean {
  const words = keyWords(key);
  return words.length > 0 && !METADATA_WORDS.has(words[words.length - 1]) && words.some((w) => WEAK_SECRET_WORDS.has(w));
}

/** A Terraform reference with nothing literal in it: `${var.x}`, `${data.a.b.c[0]}`, or a cdktf token before resolution. */
const TERRAFORM_REFERENCE = /^\$\{\s*(?:TfToken\[TOKEN\.\d+\]|[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\]|\["[\w-]+"\])+)\s*\}$/;
/** `{{secrets/scope/key}}` and the other dynamic value references Databricks resolves at run time. */
const DATABRICKS_REFERENCE = /^\{\{\s*[\w./-]+\s*\}\}$/;
/** `secret('scope', 'key')` in SQL, `dbutils.secrets.get(...)` in a notebook. */
const SECRET_FUNCTION = /^(?:secret|try_secret|dbutils\.secrets\.get(?:Bytes)?)\s*\(/i;
/**
 * A value given at run time: a SQL parameter marker (`:db_password`,
 * https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-parameter-marker) or an
 * environment variable (`$DB_PASSWORD`, `${DB_PASSWORD}`, `%DB_PASSWORD%`).
 */
const RUN_TIME_VALUE = /^(?::[A-Za-z_]\w*|\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*\}|%[A-Za-z_]\w*%)$/;

/** Whether a value is a literal (and so a credential when its key names one), not a reference to one. */
export function isLiteral(value: string): boolean {
  const v = value.trim();
  return v !== '' && !TERRAFORM_REFERENCE.test(v) && !DATABRICKS_REFERENCE.test(v) && !SECRET_FUNCTION.test(v) && !RUN_TIME_VALUE.test(v);
}

function preview(value: string): string {
  return `${value.slice(0, 3)}… (${value.length} characters)`;
}

/**
 * `name => 'value'`, `name = "value"`, `"name": "value"`, `NAME=value`: a key and a quoted value,
 * or an unquoted one that is not a call, an attribute or an identifier of code.
 */
const ASSIGNMENT = /([A-Za-z_][\w.-]*)['"]?\s*(=>|:=|=|:)\s*(?:(['"])([^'"\r\n]*)\3|([^\s'",;(){}[\]<>]+)(?![\w.([]))/g;

/** Credentials written in text: value shapes and assignments to credential-named keys. */
export function secretsInText(text: string, at: (index: number) => string): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const shape of SHAPES) {
    for (const match of text.matchAll(shape.pattern)) found.push({ rule: shape.id, what: shape.description, at: at(match.index), preview: preview(match[0]) });
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const [, key, , quote, quoted, bare] = match;
    const value = quote ? quoted : bare;
    if (!isLiteral(value)) continue;
    if (!isSecretKey(key)) {
      if (isWeakSecretKey(key) && looksGenerated(value)) found.push({ rule: 'generic-secret', what: 'a generated-looking credential assignment', at: at(match.index), key, preview: preview(value) });
      continue;
    }
    // an unquoted value is code more often than a credential: only a mix of letters and digits or symbols counts
    if (!quote && (value.length < 8 || !/[A-Za-z]/.test(value) || !/[^A-Za-z_]/.test(value))) continue;
    found.push({ rule: 'secret-assignment', what: 'a password or secret assignment', at: at(match.index), key, preview: preview(value) });
  }
  return found;
}

/** The text of an uploaded file: its base64 content, or the literal of a `${base64encode("…")}` expression. */
function fileText(value: string): string | undefined {
  const expression = /^\$\{base64encode\(("(?:[^"\\]|\\.)*")\)\}$/.exec(value);
  if (expression) return JSON.parse(expression[1]) as string;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('utf8');
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The name of a name/value pair (`{ name: "db_password", default: "…" }`). */
function pairName(object: Record<string, unknown>): string | undefined {
  const name = object.name ?? object.key;
  return typeof name === 'string' ? name : undefined;
}

const PAIR_VALUES = new Set(['default', 'value', 'string_value']);

/**
 * Every literal credential in a JSON value: by key, by shape and by assignment, in strings and
 * in the decoded content of uploaded files (`content_base64`), located by dotted path (and line).
 */
export function findSecrets(value: unknown, path = ''): SecretFinding[] {
  const found: SecretFinding[] = [];
  const visit = (v: unknown, at: string, key: string | undefined, file?: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, `${at}[${i}]`, key));
    else if (v !== null && typeof v === 'object') {
      const object = v as Record<string, unknown>;
      // a value stands for its pair's name, else for the block it is the value of (`variable.db_password.default`)
      const name = pairName(object) ?? key;
      const path = typeof object.path === 'string' ? object.path : undefined;
      for (const [k, inner] of Object.entries(object)) visit(inner, at ? `${at}.${k}` : k, PAIR_VALUES.has(k) && name !== undefined ? name : k, path);
    } else if (typeof v === 'string') {
      if (key === 'content_base64') {
        const text = fileText(v);
        if (text !== undefined) {
          // the uploaded file and line: `content_base64 (/Workspace/…/sql/generated/orders/load.sql:12)`
          found.push(...secretsInText(text, (index) => `${at} (${file ?? 'file'}:${lineAt(text, index)})`));
          return;
        }
      }
      if (key !== undefined && isSecretKey(key) && isLiteral(v)) found.push({ rule: 'secret-key', what: `a credential in "${at}"`, at, key, preview: preview(v.trim()) });
      else if (key !== undefined && isWeakSecretKey(key) && isLiteral(v) && looksGenerated(v.trim())) found.push({ rule: 'generic-secret', what: `a generated-looking credential in "${at}"`, at, key, preview: preview(v.trim()) });
      found.push(...secretsInText(v, () => at));
    }
  };
  visit(value, path, undefined);
  // one finding per place and rule (a value can match a shape twice)
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(`${f.rule} ${f.at}`) && seen.add(`${f.rule} ${f.at}`));
}

/** A finding as a message: what, where, and a preview that does not give the secret away. */
export function describeSecret(finding: SecretFinding): string {
  return `${finding.what} at ${finding.at}${finding.key ? ` (key "${finding.key}")` : ''}: ${finding.preview}`;
}

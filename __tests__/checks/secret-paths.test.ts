import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { synthesizeLakehouse } from '../../app/synthesize-lakehouse';
import { environments } from '../../config/environments';
import { theProject } from '../../config/project';
import { checkGuardrails } from '../../checks/guardrails';
import { GuardrailContext } from '../../checks/guardrails/guardrail';
import { parseSynthesizedStack } from '../../checks/synthesized-stack';
import { propertyRuns } from '../support/depth';

/**
 * Every path by which a literal credential could reach cdktf.out or a workspace file, one a
 * case, each caught by the no-secrets guardrail on the synthesized stack. Credential-shaped
 * values are built here from pieces, so no such string sits in the repository.
 */

const DEV: GuardrailContext = { production: false, pauseTriggers: true };
const b64 = (text: string) => Buffer.from(text).toString('base64');
const hex = (n: number) => '0123456789abcdef'.repeat(4).slice(0, n);
const alnum = (n: number) => 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYz'.repeat(4).slice(0, n);

/** Credential-shaped values, assembled at run time. */
const V = {
  pat: ['dapi', hex(32)].join(''),
  awsKeyId: ['AKIA', 'IOSFODNN7EXAMPLE'].join(''),
  awsSecret: ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY', 'AB'].join('/'),
  password: ['hunter', '2-', 'correct-horse'].join(''),
  githubFineGrained: ['github', 'pat', `11${alnum(20)}_${alnum(59)}`].join('_'),
  githubClassic: ['ghp', alnum(36)].join('_'),
  jwt: ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.'),
  slackBot: ['xoxb', '1234567890', '0987654321', alnum(24)].join('-'),
  slackWorkflow: ['https://hooks.slack.com', 'triggers', `T0${alnum(8)}`, `${alnum(12)}`, alnum(32)].join('/'),
  pagerDuty: alnum(32).toLowerCase(),
  pgpKey: ['-----BEGIN PGP', 'PRIVATE KEY BLOCK-----'].join(' '),
};

const stack = (json: Record<string, unknown>) => parseSynthesizedStack('s', 'stacks/s/cdk.tf.json', JSON.stringify(json, null, 2));
const secretFindings = (json: Record<string, unknown>) => checkGuardrails(stack(json), DEV).filter((f) => f.rule === 'no-secrets');
const job = (config: Record<string, unknown>) => ({ resource: { databricks_job: { Load: { name: 'load', ...config } } } });
const file = (path: string, text: string) => ({ resource: { databricks_workspace_file: { Asset: { path, content_base64: b64(text) } } } });
const notebook = (text: string) => ({ resource: { databricks_notebook: { Nb: { path: '/Workspace/lh/load', language: 'PYTHON', content_base64: b64(text) } } } });

/** [path, stack JSON, what the finding must name (location or key), the secret that must not be printed]. */
const PATHS: readonly [string, Record<string, unknown>, RegExp, string][] = [
  ['AWS secret key under a dotted Spark conf key', job({ job_cluster: [{ new_cluster: { spark_conf: { 'fs.s3a.secret.key': V.awsSecret } } }] }), /databricks_job\.Load: .*spark_conf\.fs\.s3a\.secret\.key/, V.awsSecret],
  ['AWS secret key assigned in a notebook', notebook(`# Databricks notebook source\naws_secret_access_key = "${V.awsSecret}"\n`), /databricks_notebook\.Nb: .*content_base64 \(\/Workspace\/lh\/load:2\)/, V.awsSecret],
  ['AWS access key id in a job tag', job({ tags: { note: `uploaded with ${V.awsKeyId}` } }), /an AWS access key id at tags\.note/, V.awsKeyId],
  ["SQL option password => '…' in an uploaded SQL file", file('/Workspace/lh/sql/extract.sql', `SELECT * FROM read_files('/Volumes/c/s/v', format => 'csv',\n  password => '${V.password}');\n`), /content_base64 \(\/Workspace\/lh\/sql\/extract\.sql:2\) \(key "password"\)/, V.password],
  ['dotted key spark.db.password', job({ job_cluster: [{ new_cluster: { spark_conf: { 'spark.db.password': V.password } } }] }), /spark_conf\.spark\.db\.password/, V.password],
  ['camelCase key dbPassword in notebook parameters', job({ task: [{ task_key: 't', notebook_task: { notebook_path: '/x', base_parameters: { dbPassword: V.password } } }] }), /base_parameters\.dbPassword/, V.password],
  ['job-parameter default', job({ parameter: [{ name: 'db_password', default: V.password }] }), /parameter\[0\]\.default \(key "db_password"\)/, V.password],
  ['pwd in an environment variable', job({ job_cluster: [{ new_cluster: { spark_env_vars: { DB_PWD: V.password } } }] }), /spark_env_vars\.DB_PWD/, V.password],
  ['JDBC URL with a password in a generated SQL file', file('/Workspace/lh/sql/generated/orders/load.sql', `-- generated\nCREATE TABLE x USING jdbc OPTIONS (url 'jdbc:postgresql://db:5432/app;user=etl;password=${V.password}');\n`), /a JDBC or ODBC connection string with a password at content_base64 \(\/Workspace\/lh\/sql\/generated\/orders\/load\.sql:2\)/, V.password],
  ['connection string user:pass@host in a pipeline configuration', { resource: { databricks_pipeline: { P: { name: 'p', configuration: { source_url: `postgres://etl:${V.password}@db.internal:5432/app` } } } } }, /configuration\.source_url/, V.password],
  ['Databricks PAT in a variable default', { variable: { workspace: { type: 'string', default: V.pat } } }, /variable block .*a Databricks personal access token at workspace\.default/, V.pat],
  ['literal under a secret-named variable', { variable: { db_password: { type: 'string', default: V.password } } }, /variable block .*db_password\.default \(key "db_password"\)/, V.password],
  ['GitHub fine-grained token in a job tag', job({ tags: { note: V.githubFineGrained } }), /a GitHub token at tags\.note/, V.githubFineGrained],
  ['GitHub classic token in a git source', job({ git_source: { url: `https://${V.githubClassic}@github.com/org/repo` } }), /git_source\.url/, V.githubClassic],
  ['JWT in a job description', job({ description: `calls the API with ${V.jwt}` }), /a JSON web token at description/, V.jwt],
  ['Slack bot token in a webhook password', { resource: { databricks_notification_destination: { D: { display_name: 'd', config: { generic_webhook: { url: 'https://x', password: V.slackBot } } } } } }, /generic_webhook\.password/, V.slackBot],
  ['Slack workflow webhook URL in a notebook', notebook(`# Databricks notebook source\nrequests.post("${V.slackWorkflow}")\n`), /a Slack webhook URL at content_base64 \(\/Workspace\/lh\/load:2\)/, V.slackWorkflow],
  ['PagerDuty routing key in a notebook', notebook(`# Databricks notebook source\nevent = {"routing_key": "${V.pagerDuty}"}\n`), /content_base64 \(\/Workspace\/lh\/load:2\)/, V.pagerDuty],
  ['PGP private key block in a volume file', { resource: { databricks_file: { F: { path: '/Volumes/c/s/v/key.asc', content_base64: b64(`${V.pgpKey}\nabc\n`) } } } }, /a private key at content_base64 \(\/Volumes\/c\/s\/v\/key\.asc:1\)/, V.pgpKey],
  ['literal inside a base64encode() expression', { resource: { databricks_file: { F: { path: '/Volumes/c/s/v/.conf', content_base64: `\${base64encode("secret => '${V.password}'")}` } } } }, /databricks_file\.F: .*content_base64/, V.password],
  ['kebab-case api-key in a pipeline configuration', { resource: { databricks_pipeline: { P: { name: 'p', configuration: { 'source.api-key': V.password } } } } }, /configuration\.source\.api-key/, V.password],
  ['camelCase clientSecret in the provider block', { provider: { databricks: [{ host: 'https://x', azureClientSecret: V.password }] } }, /provider block .*databricks\[0\]\.azureClientSecret/, V.password],
  ['credentials in an output', { output: { warehouse_credentials: { value: `etl/${V.password}` } } }, /output block .*warehouse_credentials\.value/, V.password],
  ['password in a SQL task parameter', job({ task: [{ task_key: 't', sql_task: { file: { path: '/x.sql' }, parameters: { source_password: V.password } } }] }), /sql_task\.parameters\.source_password/, V.password],
  ['token assigned in a dashboard definition', { resource: { databricks_dashboard: { D: { display_name: 'd', serialized_dashboard: JSON.stringify({ datasets: [{ query: `SELECT http_request(token => '${V.password}')` }] }) } } } }, /serialized_dashboard \(key "token"\)/, V.password],
  ['generated-looking value under an auth key', job({ tags: { vendor_auth: alnum(32) } }), /a generated-looking credential in "tags\.vendor_auth"/, alnum(32)],
  ['generated-looking value assigned to an api key name in a notebook', notebook(`# Databricks notebook source\nclient = Client(api_auth="${alnum(28)}")\n`), /a generated-looking credential assignment at content_base64 \(\/Workspace\/lh\/load:2\) \(key "api_auth"\)/, alnum(28)],
  ['password in the backend block', { terraform: { backend: { pg: { conn_str: `postgres://tf:${V.password}@db/state` } } } }, /terraform block .*backend\.pg\.conn_str/, V.password],
];

describe('no literal credential reaches cdktf.out or a workspace file', () => {
  it.each(PATHS)('caught: %s', (_path, json, where, secret) => {
    const findings = secretFindings(json);
    expect(findings.map((f) => f.message).join('\n')).toMatch(where);
    for (const f of findings) expect(f.message).not.toContain(secret);
  });

  it('refuses to synthesize a workflow whose job-parameter default is a literal password, writing nothing', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'secret-paths-'));
    try {
      const [first, ...rest] = theProject().declared.workflows;
      const leaky = { ...first, parameters: [...first.parameters, { name: 'dbPassword', default: V.password }] };
      const synth = () => synthesizeLakehouse(environments, { outdir: join(scratch, 'cdktf.out'), only: ['dev'], workflows: [leaky, ...rest] });
      expect(synth).toThrow(/\[no-secrets\].*key "dbPassword"/);
      expect(synth).not.toThrow(V.password);
      expect(existsSync(join(scratch, 'cdktf.out'))).toBe(false);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('counts the paths tried and caught', () => {
    const caught = PATHS.filter(([, json]) => secretFindings(json).length > 0);
    expect(caught.length).toBe(PATHS.length);
  });

  it.each([
    ['a Terraform variable', { provider: { databricks: [{ host: 'https://x', token: '${var.databricks_token}' }] } }],
    ['a secret resource attribute', { resource: { x: { X: { password: '${databricks_secret.db.string_value}' } } } }],
    ['a Databricks secret reference', job({ job_cluster: [{ new_cluster: { spark_conf: { 'spark.db.password': '{{secrets/etl/db-password}}' } } }] })],
    ['the SQL secret() function', file('/Workspace/lh/sql/extract.sql', "SELECT * FROM read_files('/Volumes/c/s/v', password => secret('etl', 'db'));\n")],
    ['dbutils.secrets.get in a notebook', notebook('# Databricks notebook source\npassword = dbutils.secrets.get(scope="etl", key="db")\ntoken = response_token\n')],
    ['a SQL parameter marker or an environment variable', file('/Workspace/lh/sql/extract.sql', "SELECT * FROM read_files('/Volumes/c/s/v', password => :db_password, token => '${SOURCE_TOKEN}');\n")],
    ['os.environ in a notebook', notebook('# Databricks notebook source\npassword = os.environ["DB_PASSWORD"]\napi_token = os.getenv("API_TOKEN")\n')],
    ['a job parameter read from another', job({ parameter: [{ name: 'db_password', default: '{{job.parameters.secret_ref}}' }] })],
    ['metadata of a credential', job({ tags: { secret_scope: 'etl', token_lifetime_seconds: '3600', password_variable: 'db_password' } })],
    ['plain names under key-like keys', job({ task: [{ task_key: 'ingest_orders_2024_daily_load', notebook_task: { base_parameters: { source_key: 'tracking_num', access_mode: 'read_only_v2_migrated' } } }] })],
    ['an id under a key-like key', job({ tags: { api_client: '11111111-2222-4333-8444-555555555555', key_column: 'orders.tracking_num' } })],
  ])('let a value read from %s through', (_what, json) => {
    expect(secretFindings(json)).toEqual([]);
  });

  it('takes a key in any casing or separator form as the credential it names', () => {
    const forms = (words: readonly string[]) => [
      words.join('_'),
      words.join('.'),
      words.join('-'),
      words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join(''),
      words.join('_').toUpperCase(),
    ];
    const secretWords = fc.constantFrom(['password'], ['passwd'], ['pwd'], ['secret'], ['token'], ['api', 'key'], ['access', 'key'], ['private', 'key'], ['client', 'secret'], ['credentials'], ['secret', 'key'], ['auth', 'token']);
    const prefix = fc.constantFrom([], ['db'], ['spark', 'jdbc'], ['source']);
    // not a reference: no ${…}, {{…}}, :marker, $VAR or %VAR%
    const literal = fc.string({ minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== '' && !/[{$]/.test(s) && !/^[:%]/.test(s.trim()));
    fc.assert(
      fc.property(prefix, secretWords, literal, fc.nat(4), (pre, words, value, form) => {
        const key = forms([...pre, ...words])[form];
        expect(secretFindings(job({ tags: { [key]: value } })).length).toBeGreaterThan(0);
      }),
      propertyRuns({ quick: 60, deep: 2000 }),
    );
  });

  it('finds a credential-shaped value whatever surrounds it and wherever it is written', () => {
    const chars = (alphabet: string, n: number) => fc.array(fc.constantFrom(...alphabet.split('')), { minLength: n, maxLength: n }).map((a) => a.join(''));
    const HEX = '0123456789abcdef';
    const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const shaped = fc.oneof(
      chars(HEX, 32).map((h) => ['dapi', h].join('')),
      chars(UPPER, 16).map((k) => ['AKIA', k].join('')),
      chars(ALNUM, 36).map((t) => ['ghp', t].join('_')),
      fc.tuple(chars('0123456789', 11), chars(ALNUM, 24)).map(([n, t]) => ['xoxb', n, n, t].join('-')),
      fc.tuple(chars(ALNUM, 8), chars(ALNUM, 10), chars(ALNUM, 24)).map(([t, b, k]) => ['https://hooks.slack.com/services', `T${t}`, `B${b}`, k].join('/')),
      fc.constantFrom('RSA', 'EC', 'OPENSSH', 'ENCRYPTED').map((k) => ['-----BEGIN', k, 'PRIVATE KEY-----'].join(' ')),
      fc.tuple(chars(ALNUM, 20), chars(ALNUM, 20), chars(ALNUM, 12)).map(([h, p, sig]) => [`eyJ${h}`, `eyJ${p}`, sig].join('.')),
      fc.tuple(chars('abcdefghij', 5), chars(ALNUM, 12)).map(([u, pw]) => `postgresql://${u}:${pw}@db.internal:5432/app`),
    );
    const separator = fc.constantFrom(' ', '\n', "'", '"', '(', ', ');
    const words = fc.array(fc.constantFrom('SELECT', 'load', 'orders', '--', 'note:', 'x', '#'), { maxLength: 6 }).map((w) => w.join(' '));
    const place = fc.constantFrom(
      (t: string) => job({ tags: { note: t } }),
      (t: string) => job({ description: t }),
      (t: string) => notebook(`# Databricks notebook source\n${t}\n`),
      (t: string) => file('/Workspace/lh/sql/generated/s/load.sql', `-- generated\n${t}\n`),
      (t: string) => ({ variable: { v: { default: t } } }),
      (t: string) => ({ provider: { databricks: [{ host: 'https://x', note: t }] } }),
      (t: string) => ({ resource: { databricks_pipeline: { P: { name: 'p', configuration: { 'source.settings': t } } } } }),
    );
    fc.assert(
      fc.property(shaped, words, separator, words, separator, place, (secret, before, open, after, close, at) => {
        const findings = secretFindings(at(`${before}${open}${secret}${close}${after}`));
        expect(findings.length).toBeGreaterThan(0);
        for (const f of findings) expect(f.message).not.toContain(secret);
      }),
      propertyRuns({ quick: 80, deep: 5000 }),
    );
  });
});

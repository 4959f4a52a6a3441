import { Catalog } from '@cdktn/provider-databricks/lib/catalog';
import { Job } from '@cdktn/provider-databricks/lib/job';
import { Pipeline } from '@cdktn/provider-databricks/lib/pipeline';
import { DatabricksProvider } from '@cdktn/provider-databricks/lib/provider';
import { WorkspaceFile } from '@cdktn/provider-databricks/lib/workspace-file';
import { Aspects, Testing, TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { GuardrailContext } from '../../checks/guardrails/guardrail';
import { Guardrails } from '../../constructs/guardrails-aspect';
import { LakehouseStack } from '../../constructs/lakehouse-stack';
import { NotificationDestination } from '@cdktn/provider-databricks/lib/notification-destination';
import { theProject } from '../../config/project';
import { synthesizeApp } from '../../app/synthesize-lakehouse';
import { checkGuardrails } from '../../checks/guardrails';
import { parseSynthesizedStack } from '../../checks/synthesized-stack';

const PROD: GuardrailContext = { production: true, pauseTriggers: false };
const DEV: GuardrailContext = { production: false, pauseTriggers: true };
const SP = '11111111-2222-4333-8444-555555555555';
/** Shaped like a Databricks personal access token, built here so no such string sits in the repository. */
const FAKE_TOKEN = `dapi${'0123456789abcdef'.repeat(2)}`;

/** A compliant production job; each test breaks one thing. */
const goodJob = {
  name: 'job',
  timeoutSeconds: 3600,
  maxConcurrentRuns: 1,
  runAs: { servicePrincipalName: SP },
  emailNotifications: { onFailure: ['ops@example.com'] },
  trigger: { pauseStatus: 'UNPAUSED', periodic: { interval: 1, unit: 'HOURS' } },
};

/** Synthesizes the way `npm run synth` does: construct validations fail it, Testing.synth() ignores them. */
function synthWith(context: GuardrailContext, build: (scope: Construct) => void): () => void {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'guarded');
  new DatabricksProvider(stack, 'databricks', { host: 'https://x.cloud.databricks.com' });
  build(stack);
  Aspects.of(stack).add(new Guardrails(context));
  return () => synthesizeApp(app);
}

describe('guardrails', () => {
  it('let a compliant production job and protected catalog through', () => {
    expect(
      synthWith(PROD, (s) => {
        new Job(s, 'Job', goodJob);
        new Catalog(s, 'Catalog', { name: 'lh_prod', lifecycle: { preventDestroy: true } });
      }),
    ).not.toThrow();
  });

  it.each([
    ['prod-run-as-service-principal', PROD, (s: Construct) => new Job(s, 'Job', { ...goodJob, runAs: undefined }), 'guarded/Job', 'has no run_as service principal'],
    ['prod-run-as-service-principal', PROD, (s: Construct) => new Pipeline(s, 'Pipe', { name: 'p', runAs: { userName: 'alice@example.com' } }), 'guarded/Pipe', 'has no run_as service principal'],
    ['prod-no-development-pipelines', PROD, (s: Construct) => new Pipeline(s, 'Pipe', { name: 'p', development: true, runAs: { servicePrincipalName: SP } }), 'guarded/Pipe', 'is in development mode'],
    ['prod-job-failure-notifications', PROD, (s: Construct) => new Job(s, 'Job', { ...goodJob, emailNotifications: undefined }), 'guarded/Job', 'notifies nobody on failure'],
    ['prod-no-paused-triggers', PROD, (s: Construct) => new Job(s, 'Job', { ...goodJob, trigger: { ...goodJob.trigger, pauseStatus: 'PAUSED' } }), 'guarded/Job', 'has a paused trigger'],
    ['prod-prevent-destroy', PROD, (s: Construct) => new Catalog(s, 'Catalog', { name: 'lh_prod' }), 'guarded/Catalog', 'lacks lifecycle.prevent_destroy'],
    ['job-timeout-and-concurrency', DEV, (s: Construct) => new Job(s, 'Job', { name: 'j' }), 'guarded/Job', 'sets no timeout_seconds and no max_concurrent_runs'],
    ['no-secrets', DEV, (s: Construct) => new Job(s, 'Job', { ...goodJob, tags: { note: `token=${FAKE_TOKEN}` } }), 'guarded/Job', 'a Databricks personal access token'],
    ['no-secrets', DEV, (s: Construct) => new WorkspaceFile(s, 'File', { path: '/Shared/x.py', contentBase64: Buffer.from("password = 'hunter2hunter2'\n").toString('base64') }), 'guarded/File', 'a password or secret assignment'],
    ['unity-catalog-names', DEV, (s: Construct) => new Catalog(s, 'Catalog', { name: 'Sales Data' }), 'guarded/Catalog', 'name "Sales Data" is not a valid Unity Catalog identifier'],
    ['reserved-catalog-names', DEV, (s: Construct) => new Catalog(s, 'Catalog', { name: 'hive_metastore' }), 'guarded/Catalog', 'declares the reserved catalog "hive_metastore"'],
    ['no-secrets', DEV, (s: Construct) => new Job(s, 'Job', { ...goodJob, tags: { db_password: 'correct-horse' } }), 'guarded/Job', 'a credential in "tags.db_password"'],
    [
      'destination-secrets-from-variables',
      DEV,
      (s: Construct) => new NotificationDestination(s, 'Pager', { displayName: 'pager', config: { pagerduty: { integrationKey: ['r3', 'k9', 'v2'].join('') } } }),
      'guarded/Pager',
      'writes config.pagerduty.integration_key into the configuration',
    ],
  ] as const)('%s fires, naming the resource and the rule', (rule, context, build, path, problem) => {
    expect(synthWith(context, build)).toThrow(new RegExp(`\\[${path}\\] \\[${rule}\\] .*${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('allow paused triggers in production when the environment config asks for them', () => {
    expect(synthWith({ production: true, pauseTriggers: true }, (s) => new Job(s, 'Job', { ...goodJob, trigger: { ...goodJob.trigger, pauseStatus: 'PAUSED' } }))).not.toThrow();
  });

  it('keep production rules out of development environments', () => {
    expect(synthWith(DEV, (s) => new Pipeline(s, 'Pipe', { name: 'p', development: true }))).not.toThrow();
  });

  it.each(loadEnvironments(environments).map((e) => [e.name, e] as const))('pass on the shipped %s stack', (_name, environment) => {
    const app = Testing.app();
    new LakehouseStack(app, environment.stackName, { environment, ...theProject().declared, sources: theProject().sources });
    expect(() => app.synth()).not.toThrow();
  });

  it('cannot be switched off with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS, and the error suggests no way around it', () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = '1';
    try {
      const synth = synthWith(PROD, (s) => new Job(s, 'Job', { ...goodJob, runAs: undefined }));
      expect(synth).toThrow(/\[prod-run-as-service-principal\]/);
      expect(synth).not.toThrow(/CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS|skipValidation/);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });
});

describe('guardrails on a synthesized stack', () => {
  const stackFile = (json: Record<string, unknown>) => parseSynthesizedStack('s', 'stacks/s/cdk.tf.json', JSON.stringify(json, null, 2));
  const secretFindings = (json: Record<string, unknown>) => checkGuardrails(stackFile(json), DEV).filter((f) => f.rule === 'no-secrets').map((f) => f.message);
  const privateKey = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ');

  it.each([
    ['the provider block', { provider: { databricks: [{ host: 'https://x', password: 'hunter2hunter2' }] } }, /provider block .*"databricks\[0\]\.password"/],
    ['the backend block', { terraform: { backend: { s3: { bucket: 'b', secret_key: 'abc123abc123' } } } }, /terraform block .*"backend\.s3\.secret_key"/],
    ['a variable default', { variable: { db: { default: privateKey } } }, /variable block .*a private key/],
    ['a resource', { resource: { databricks_job: { J: { name: 'j', tags: { client_secret: 'not-a-var-value' } } } } }, /databricks_job\.J: .*"tags\.client_secret"/],
  ])('find a credential in %s', (_where, json, message) => {
    expect(secretFindings(json)).toEqual([expect.stringMatching(message)]);
  });

  it('let values read from variables or other resources through', () => {
    expect(secretFindings({ provider: { databricks: [{ host: 'https://x', token: '${var.databricks_token}' }] }, resource: { x: { X: { password: '${random_password.p.result}' } } } })).toEqual([]);
  });
});


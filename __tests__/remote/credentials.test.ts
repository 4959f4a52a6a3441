import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Environment, requireHost } from '../../remote/credentials';
import { ApiError, BadInputError, MissingCredentialsError } from '../../remote/errors';
import { exitCodeFor } from '../../model/errors';
import { connectWorkspace } from '../../remote/workspace';
import { FakeClock, fakeSecret } from './fake-databricks';
import { NO_CONFIG_FILE, connectTo, rejectionOf, useFakeDatabricks } from './harness';

const LIST_JOBS = '/api/2.2/jobs/list';

describe('authentication', () => {
  const fake = useFakeDatabricks();
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'lakehouse-remote-auth-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  function servicePrincipal(): { clientId: string; clientSecret: string; accessToken: string } {
    const sp = { clientId: '2b1f6c9e-0d3a-4e5b-8f7a-6c5d4e3b2a10', clientSecret: fakeSecret('dose', 's'), accessToken: fakeSecret('eyJ', 'a'), expiresIn: 3600 };
    fake().oauth = sp;
    return sp;
  }

  function configFile(text: string): string {
    const path = join(scratch, 'databrickscfg');
    writeFileSync(path, text);
    return path;
  }

  const authorizations = (): string[] => fake().requestsTo(LIST_JOBS).map((r) => String(r.headers.authorization));

  it('1. sends DATABRICKS_TOKEN as a bearer token', async () => {
    const workspace = connectTo(fake(), new FakeClock(), { DATABRICKS_TOKEN: fake().token });
    expect(workspace.authDescription).toBe('DATABRICKS_TOKEN');
    await workspace.jobs.listJobs();
    expect(authorizations()).toEqual([`Bearer ${fake().token}`]);
  });

  it('1. prefers DATABRICKS_TOKEN to a service principal, as the Terraform provider does', async () => {
    const sp = servicePrincipal();
    await connectTo(fake(), new FakeClock(), { DATABRICKS_TOKEN: fake().token, DATABRICKS_CLIENT_ID: sp.clientId, DATABRICKS_CLIENT_SECRET: sp.clientSecret }).jobs.listJobs();
    expect(fake().requestsTo('/oidc/v1/token')).toHaveLength(0);
  });

  it('2. fetches an OAuth M2M token from /oidc/v1/token once, reuses it, and renews it shortly before it expires', async () => {
    const sp = servicePrincipal();
    const clock = new FakeClock();
    const workspace = connectTo(fake(), clock, { DATABRICKS_CLIENT_ID: sp.clientId, DATABRICKS_CLIENT_SECRET: sp.clientSecret });
    expect(workspace.authDescription).toBe('OAuth M2M (DATABRICKS_CLIENT_ID)');
    await Promise.all([workspace.jobs.listJobs(), workspace.jobs.listJobs()]);
    await workspace.jobs.listJobs();

    const tokenRequests = fake().requestsTo('/oidc/v1/token', 'POST');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].headers.authorization).toBe(`Basic ${Buffer.from(`${sp.clientId}:${sp.clientSecret}`).toString('base64')}`);
    expect(tokenRequests[0].body).toEqual({ grant_type: 'client_credentials', scope: 'all-apis' });
    expect(authorizations()).toEqual(Array(3).fill(`Bearer ${sp.accessToken}`));

    clock.time += 3_540_000 - 1; // just under an hour less the renewal margin: still the same token
    await workspace.jobs.listJobs();
    expect(fake().requestsTo('/oidc/v1/token')).toHaveLength(1);
    clock.time += 1;
    await workspace.jobs.listJobs();
    expect(fake().requestsTo('/oidc/v1/token')).toHaveLength(2);
  });

  it('2. fails naming the token endpoint, and never the secret, when the service principal is refused', async () => {
    const sp = servicePrincipal();
    const wrongSecret = fakeSecret('dose', 'w');
    const workspace = connectTo(fake(), new FakeClock(), { DATABRICKS_CLIENT_ID: sp.clientId, DATABRICKS_CLIENT_SECRET: wrongSecret });
    const error = await rejectionOf<ApiError>(workspace.jobs.listJobs());
    expect(error.message).toBe('POST /oidc/v1/token failed with HTTP 401, invalid_client: Client authentication failed');
    expect(error.message).not.toContain(wrongSecret);
    expect(fake().requestsTo(LIST_JOBS)).toHaveLength(0);
  });

  it("3. reads the environment's profile from the config file DATABRICKS_CONFIG_FILE names", async () => {
    const path = configFile(['[DEFAULT]', 'host = https://elsewhere.cloud.databricks.com', `token = ${fakeSecret('dapi', 'd')}`, '', '[lakehouse-dev]', `host = ${fake().url}`, `token = ${fake().token}`, ''].join('\n'));
    const workspace = connectWorkspace({ host: fake().url, profile: 'lakehouse-dev' }, { env: { DATABRICKS_CONFIG_FILE: path }, clock: new FakeClock() });
    expect(workspace.authDescription).toBe(`profile "lakehouse-dev" of ${path}`);
    await workspace.jobs.listJobs();
    expect(authorizations()).toEqual([`Bearer ${fake().token}`]);
  });

  it('3. falls back to DATABRICKS_CONFIG_PROFILE, then DEFAULT; takes a dotted profile name; and uses client_id/client_secret for OAuth M2M', async () => {
    const sp = servicePrincipal();
    const path = configFile(
      ['[DEFAULT]', `token = ${fake().token}`, '[team.ci]', `client_id = ${sp.clientId}`, `client_secret = ${sp.clientSecret}`, ''].join('\n'),
    );
    const env: Environment = { DATABRICKS_CONFIG_FILE: path };
    expect(connectWorkspace({ host: fake().url }, { env }).authDescription).toBe(`profile "DEFAULT" of ${path}`);

    const workspace = connectWorkspace({ host: fake().url }, { env: { ...env, DATABRICKS_CONFIG_PROFILE: 'team.ci' }, clock: new FakeClock() });
    expect(workspace.authDescription).toBe(`OAuth M2M (profile "team.ci" of ${path})`);
    await workspace.jobs.listJobs();
    expect(authorizations()).toEqual([`Bearer ${sp.accessToken}`]);
  });

  it("3. takes the host from the profile only when neither DATABRICKS_HOST nor the deployment gives one, and warns when they differ", () => {
    const path = configFile(['[DEFAULT]', `host = ${fake().url}/`, `token = ${fake().token}`, ''].join('\n'));
    expect(connectWorkspace({ host: '' }, { env: { DATABRICKS_CONFIG_FILE: path } }).host).toBe(fake().url);

    const warnings: string[] = [];
    const workspace = connectWorkspace({ host: 'https://lakehouse-dev.cloud.databricks.com' }, { env: { DATABRICKS_CONFIG_FILE: path }, warn: (m) => warnings.push(m) });
    expect(workspace.host).toBe('https://lakehouse-dev.cloud.databricks.com');
    expect(warnings).toEqual([`profile "DEFAULT" of ${path} is for ${fake().url}/; using its credentials for https://lakehouse-dev.cloud.databricks.com`]);
  });

  it('DATABRICKS_HOST overrides the deployment host; plain http is refused off the loopback interface', () => {
    const env = { DATABRICKS_TOKEN: fake().token, DATABRICKS_CONFIG_FILE: NO_CONFIG_FILE };
    expect(connectWorkspace({ host: 'https://lakehouse-dev.cloud.databricks.com' }, { env: { ...env, DATABRICKS_HOST: `${fake().url}/` } }).host).toBe(fake().url);
    expect(() => requireHost('http://lakehouse-dev.cloud.databricks.com')).toThrow(BadInputError);
    expect(() => requireHost('lakehouse-dev')).toThrow('workspace host "lakehouse-dev" is not a URL');
    expect(requireHost('http://localhost:8080/')).toBe('http://localhost:8080');
  });

  it('without credentials, fails as bad input listing the three ways, and what it found', () => {
    const attempt = (env: Environment, profile?: string): MissingCredentialsError => {
      try {
        connectWorkspace({ host: 'https://lakehouse-dev.cloud.databricks.com', profile }, { env });
      } catch (error) {
        return error as MissingCredentialsError;
      }
      throw new Error('expected missing credentials');
    };

    const none = attempt({ DATABRICKS_CONFIG_FILE: NO_CONFIG_FILE, DATABRICKS_TOKEN: '' });
    expect(none).toBeInstanceOf(MissingCredentialsError);
    expect(none).toBeInstanceOf(BadInputError);
    expect(exitCodeFor(none)).toBe(2);
    expect(none.message).toBe(
      [
        'no Databricks credentials for https://lakehouse-dev.cloud.databricks.com. Set one of:',
        '  1. DATABRICKS_TOKEN (a personal access token or other bearer token)',
        '  2. DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M, a service principal)',
        `  3. a profile "DEFAULT" in ${NO_CONFIG_FILE} (path: DATABRICKS_CONFIG_FILE; profile: workspace.profile in the environment's config, else DATABRICKS_CONFIG_PROFILE, else DEFAULT) holding token, or client_id and client_secret`,
        `Note: ${NO_CONFIG_FILE} does not exist.`,
      ].join('\n'),
    );

    const secret = fakeSecret('dose', 'h');
    const half = attempt({ DATABRICKS_CONFIG_FILE: NO_CONFIG_FILE, DATABRICKS_CLIENT_SECRET: secret });
    expect(half.message).toContain('Note: DATABRICKS_CLIENT_SECRET is set but DATABRICKS_CLIENT_ID is not.');
    expect(half.message).not.toContain(secret);

    const path = configFile(['[DEFAULT]', 'host = https://lakehouse-dev.cloud.databricks.com', '[other]', `token = ${fake().token}`, ''].join('\n'));
    expect(attempt({ DATABRICKS_CONFIG_FILE: path }, 'lakehouse-dev').message).toContain(`Note: ${path} has no profile "lakehouse-dev" (it has: DEFAULT, other).`);
    expect(attempt({ DATABRICKS_CONFIG_FILE: path }).message).toContain(`Note: profile "DEFAULT" of ${path} has neither token nor client_id and client_secret.`);
  });
});

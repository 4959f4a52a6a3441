import { Authenticator, bearerTokenAuthenticator } from './authenticator';
import { configFilePath, readProfile } from './databricks-config-file';
import { BadInputError, MissingCredentialsError } from './errors';
import { OAuthM2MAuthenticator } from './oauth-m2m';
import type { Transport } from './transport';

/** The process environment, or a stand-in for it in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The workspace to reach and the credentials to reach it with. */
export interface WorkspaceAuth {
  readonly host: string;
  readonly authenticator: Authenticator;
}

/** Where the deployment says the workspace is. */
export interface WorkspaceLocation {
  readonly host: string;
  /** A profile of the Databricks config file named by the deployment. */
  readonly profile?: string;
}

/**
 * Finds the workspace host and credentials the way the Databricks Terraform provider does:
 *  1. `DATABRICKS_TOKEN`: a bearer token;
 *  2. `DATABRICKS_CLIENT_ID` + `DATABRICKS_CLIENT_SECRET`: OAuth M2M;
 *  3. a profile of `~/.databrickscfg` (`DATABRICKS_CONFIG_FILE` overrides the path; the profile
 *     is the deployment's, else `DATABRICKS_CONFIG_PROFILE`, else `DEFAULT`) with `token`, or
 *     `client_id` and `client_secret`.
 * The host is the deployment's, overridden by `DATABRICKS_HOST`; a profile's `host` is used
 * only when neither is set. Throws MissingCredentialsError, listing the three ways, when none
 * applies. Credentials never appear in a message.
 */
export function resolveWorkspaceAuth(location: WorkspaceLocation, env: Environment, transport: Transport, warn: (message: string) => void = () => undefined): WorkspaceAuth {
  const explicitHost = nonEmpty(env.DATABRICKS_HOST) ?? nonEmpty(location.host);

  const token = nonEmpty(env.DATABRICKS_TOKEN);
  if (token) {
    const host = requireHost(explicitHost);
    return { host, authenticator: bearerTokenAuthenticator(token, 'DATABRICKS_TOKEN') };
  }

  const clientId = nonEmpty(env.DATABRICKS_CLIENT_ID);
  const clientSecret = nonEmpty(env.DATABRICKS_CLIENT_SECRET);
  if (clientId && clientSecret) {
    const host = requireHost(explicitHost);
    return { host, authenticator: new OAuthM2MAuthenticator(host, clientId, clientSecret, transport, 'OAuth M2M (DATABRICKS_CLIENT_ID)') };
  }

  const profileName = nonEmpty(location.profile) ?? nonEmpty(env.DATABRICKS_CONFIG_PROFILE) ?? 'DEFAULT';
  const profileNamed = profileName !== 'DEFAULT';
  const lookup = readProfile(configFilePath(env), profileName);
  const profile = lookup.profile;
  const notes: string[] = [];
  if (clientId || clientSecret) notes.push(`${clientId ? 'DATABRICKS_CLIENT_ID' : 'DATABRICKS_CLIENT_SECRET'} is set but ${clientId ? 'DATABRICKS_CLIENT_SECRET' : 'DATABRICKS_CLIENT_ID'} is not`);
  if (!lookup.fileExists) notes.push(`${lookup.path} does not exist`);
  else if (!profile) notes.push(`${lookup.path} has no profile "${profileName}"${lookup.profiles.length ? ` (it has: ${lookup.profiles.join(', ')})` : ''}`);

  if (profile) {
    const host = requireHost(explicitHost ?? profile.host);
    if (explicitHost && profile.host && normalizeHost(profile.host) !== normalizeHost(explicitHost)) {
      warn(`profile "${profileName}" of ${lookup.path} is for ${profile.host}; using its credentials for ${host}`);
    }
    const where = `profile "${profileName}" of ${lookup.path}`;
    if (profile.token) return { host, authenticator: bearerTokenAuthenticator(profile.token, where) };
    if (profile.clientId && profile.clientSecret) {
      return { host, authenticator: new OAuthM2MAuthenticator(host, profile.clientId, profile.clientSecret, transport, `OAuth M2M (${where})`) };
    }
    notes.push(`${where} has neither token nor client_id and client_secret`);
  }

  throw new MissingCredentialsError(
    [
      `no Databricks credentials for ${explicitHost ?? 'the workspace'}${profileNamed ? ` (profile "${profileName}")` : ''}. Set one of:`,
      '  1. DATABRICKS_TOKEN (a personal access token or other bearer token)',
      '  2. DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M, a service principal)',
      `  3. a profile "${profileName}" in ${lookup.path} (path: DATABRICKS_CONFIG_FILE; profile: workspace.profile in the environment's config, else DATABRICKS_CONFIG_PROFILE, else DEFAULT) holding token, or client_id and client_secret`,
      ...notes.map((note) => `Note: ${note}.`),
    ].join('\n'),
  );
}

/**
 * A workspace URL the client may send credentials to: `https://…`, or `http://` on the
 * loopback interface only (a local stand-in of the API); returned without a trailing slash.
 */
export function requireHost(host: string | undefined): string {
  if (!host) throw new BadInputError('no workspace host: set workspace.host in the environment\'s config or DATABRICKS_HOST');
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new BadInputError(`workspace host "${host}" is not a URL such as https://my-workspace.cloud.databricks.com`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new BadInputError(`workspace host "${host}" must use https:// (plain http is accepted on the loopback interface only)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new BadInputError(`workspace host "${url.origin}" must be a bare workspace URL, without credentials, query or fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function normalizeHost(host: string): string {
  return host.trim().replace(/\/+$/, '').toLowerCase();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

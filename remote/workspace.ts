import { Clock, systemClock } from './clock';
import { Environment, WorkspaceLocation, resolveWorkspaceAuth } from './credentials';
import { FilesApi } from './files-api';
import { DatabricksHttpClient } from './http-client';
import { JobsApi } from './jobs-api';
import { PipelinesApi } from './pipelines-api';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './retry-policy';

/** The APIs of one workspace, authenticated. */
export interface Workspace {
  readonly host: string;
  /** How the credentials were found (never the credentials). */
  readonly authDescription: string;
  readonly jobs: JobsApi;
  readonly pipelines: PipelinesApi;
  readonly files: FilesApi;
}

/** What a connection uses; everything but the environment has a real default. */
export interface ConnectOptions {
  /** The process environment (credentials, DATABRICKS_HOST, DATABRICKS_CONFIG_FILE…). */
  readonly env: Environment;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly retry?: RetryPolicy;
  readonly requestTimeoutMs?: number;
  /** Where warnings go (e.g. a profile for another host). */
  readonly warn?: (message: string) => void;
}

/**
 * Connects to the workspace of a deployment: resolves the host and credentials (see
 * `resolveWorkspaceAuth`; throws MissingCredentialsError when there are none) and returns
 * the Jobs, Pipelines and Files APIs over one retrying HTTP client. Nothing is sent yet.
 */
export function connectWorkspace(location: WorkspaceLocation, options: ConnectOptions): Workspace {
  const transport = {
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock ?? systemClock,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
  };
  const { host, authenticator } = resolveWorkspaceAuth(location, options.env, transport, options.warn);
  const http = new DatabricksHttpClient(host, authenticator, transport);
  return { host, authDescription: authenticator.description, jobs: new JobsApi(http), pipelines: new PipelinesApi(http), files: new FilesApi(http) };
}

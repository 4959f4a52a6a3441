import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Environment } from '../../remote/credentials';
import type { RetryPolicy } from '../../remote/retry-policy';
import { Workspace, connectWorkspace } from '../../remote/workspace';
import { FakeClock, FakeDatabricks } from './fake-databricks';

/** A config file path that does not exist, so no test reads the real ~/.databrickscfg. */
export const NO_CONFIG_FILE = join(tmpdir(), 'lakehouse-remote-tests-no-such-databrickscfg');

/** Starts a fake workspace for each test of the file and stops it after. */
export function useFakeDatabricks(): () => FakeDatabricks {
  let fake: FakeDatabricks;
  beforeEach(async () => {
    fake = await new FakeDatabricks().start();
  });
  afterEach(async () => {
    await fake.stop();
  });
  return () => fake;
}

/** The fake workspace's APIs on a fake clock, with its token unless `env` says otherwise. */
export function connectTo(fake: FakeDatabricks, clock: FakeClock, env?: Environment, retry?: RetryPolicy): Workspace {
  return connectWorkspace({ host: fake.url }, { env: { DATABRICKS_CONFIG_FILE: NO_CONFIG_FILE, ...(env ?? { DATABRICKS_TOKEN: fake.token }) }, clock, retry });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** What a run of the remote CLI printed, and how it exited. */
export interface CliOutcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm run remote -- …` as a child process, asynchronously so a fake in this process can answer
 * it; with no config file, HOME in the project, and a 5 ms poll unless `env` says otherwise.
 */
export function runRemoteCli(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliOutcome> {
  const root = resolve(__dirname, '..', '..');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'remote/cli.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: root, DATABRICKS_CONFIG_FILE: NO_CONFIG_FILE, LAKEHOUSE_REMOTE_POLL_MS: '5', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

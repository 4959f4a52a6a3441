import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

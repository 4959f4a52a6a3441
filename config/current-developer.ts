import { spawnSync } from 'node:child_process';
import { developerName } from '../model/naming';
import { InvalidInputError } from '../model/errors';

/**
 * Who is deploying their own copy of the development environment: LAKEHOUSE_DEV_USER when it
 * is set, else (when asked for one) the local part of git's user.email. Undefined when neither
 * names anyone: the shared environments are synthesized instead.
 */
export function currentDeveloper(variables: NodeJS.ProcessEnv, options: { readonly fromGit?: boolean; readonly cwd?: string } = {}): string | undefined {
  const named = variables.LAKEHOUSE_DEV_USER?.trim();
  if (named) return developerName(named);
  if (!options.fromGit) return undefined;
  const email = spawnSync('git', ['config', 'user.email'], { cwd: options.cwd, encoding: 'utf8' });
  const value = email.status === 0 ? email.stdout.trim() : '';
  if (!value) throw new InvalidInputError('no developer: set LAKEHOUSE_DEV_USER=<name>, or git config user.email');
  return developerName(value);
}

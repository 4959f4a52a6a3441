import { environments } from '../../config/environments';
import { ConfigError, loadEnvironments } from '../../config/load-config';

/** The shipped environments with some changed; each test changes one thing. */
const withChanges = (changes: Record<string, Record<string, unknown> | undefined>) =>
  Object.fromEntries(Object.entries({ ...environments, ...changes }).filter((entry): entry is [string, Record<string, unknown>] => entry[1] !== undefined));

function problemsOf(raw: Record<string, unknown>): ConfigError['problems'] {
  try {
    loadEnvironments(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('production is decided by the promotion chain, not by a field it can flip', () => {
  const chain = loadEnvironments(environments).filter((e) => e.deployedByCi);
  const last = chain.at(-1)!;

  it('ships a chain whose last environment is production', () => {
    expect(last.mode).toBe('production');
    expect(problemsOf(environments)).toEqual([]);
  });

  it('refuses development mode on the last environment of the chain, naming file, environment and field', () => {
    const problems = problemsOf(withChanges({ [last.name]: { ...environments[last.name], mode: 'development' } }));
    expect(problems).toEqual([expect.objectContaining({ file: 'config/environments.ts', object: `environment "${last.name}"`, field: 'mode', message: expect.stringContaining('is the last environment of the promotion chain, so it is production') })]);
  });

  it('refuses a development environment CI deploys after production', () => {
    const appended = { ...environments.dev, catalog: { name: 'lakehouse_after' }, promotedFrom: last.name, stateBackend: { type: 's3', bucket: 'state-bucket', key: 'after.tfstate', region: 'eu-west-1' } };
    const problems = problemsOf(withChanges({ after: appended }));
    expect(problems).toContainEqual(expect.objectContaining({ object: 'environment "after"', field: 'mode' }));
  });

  it('refuses a development environment promoted from a production one in the middle of the chain', () => {
    const [, second] = chain;
    const qa = { ...environments.dev, catalog: { name: 'lakehouse_qa' }, promotedFrom: second.name, stateBackend: { type: 's3', bucket: 'state-bucket', key: 'qa.tfstate', region: 'eu-west-1' } };
    const problems = problemsOf(withChanges({ qa, [last.name]: { ...environments[last.name], promotedFrom: 'qa' } }));
    expect(problems).toEqual([expect.objectContaining({ object: 'environment "qa"', field: 'mode', message: expect.stringContaining(`promoted from the production environment "${second.name}"`) })]);
  });

  it('lets an environment before production and one outside the chain run in development mode', () => {
    const sandbox = { ...environments.dev, catalog: { name: 'lakehouse_sandbox' }, deployedByCi: false, stateBackend: { type: 'local' } };
    expect(problemsOf(withChanges({ sandbox }))).toEqual([]);
  });
});

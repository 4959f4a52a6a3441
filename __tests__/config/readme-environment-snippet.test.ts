import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';

/** The README's "Adding an environment" snippet, evaluated with the names config/environments.ts defines. */
function readmeSnippet(): Record<string, unknown> {
  const readme = readFileSync(resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Adding an environment'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)![1];
  const { dev, prod } = environments as Record<string, Record<string, unknown>>;
  const stateBucket = { ...(prod.stateBackend as Record<string, unknown>), key: undefined };
  const names = { teamGroups: dev.principals, landingVolumes: dev.volumes, stateBucket };
  return new Function(...Object.keys(names), `return {${code}};`)(...Object.values(names)) as Record<string, unknown>;
}

describe("the README's Adding an environment snippet", () => {
  it('is a valid environment that joins the promotion chain where it says, once the next environment is promoted from it', () => {
    const snippet = readmeSnippet();
    const added = Object.keys(snippet)[0];
    const entry = snippet[added] as { promotedFrom: string };
    const next = loadEnvironments(environments).find((e) => e.promotedFrom === entry.promotedFrom)!;
    const chain = loadEnvironments({ ...environments, ...snippet, [next.name]: { ...environments[next.name], promotedFrom: added } }).map((e) => e.name);
    expect(chain.indexOf(added)).toBe(chain.indexOf(entry.promotedFrom) + 1);
    expect(chain.indexOf(next.name)).toBe(chain.indexOf(added) + 1);
  });
});

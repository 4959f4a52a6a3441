import type { Environment } from './load-config';

// The promotion chain CI deploys along: the CI-deployed environments in the order their
// `promotedFrom` links give (loadEnvironments orders them so), as `npm run environments` prints
// them for the delivery workflows.

/** One environment as the delivery workflows see it: a leg of the promotion chain. */
export interface EnvironmentEntry {
  readonly environment: string;
  /** The Terraform stack: `cdktf.out/stacks/<stack>/`. */
  readonly stack: string;
  /** A production environment: its GitHub environment should require an approval. */
  readonly production: boolean;
  readonly deployedByCi: boolean;
  /** Run the integration stage after this environment's apply: every environment of the chain but the last, so nothing reaches the next one untested. */
  readonly integration: boolean;
  /** The environment before this one in the chain, which must have verified the commit first; '' for the first. */
  readonly after: string;
}

/**
 * The environments in promotion order, narrowed to the CI-deployed ones when asked. Every
 * environment of the chain but the last runs the integration stage, and each names the one
 * before it, whose integration stage must have passed on the same commit.
 */
export function promotionChain(all: readonly Environment[], options: { readonly ci?: boolean } = {}): EnvironmentEntry[] {
  const chain = options.ci ? all.filter((e) => e.deployedByCi) : [...all];
  return chain.map((e, i) => ({
    environment: e.name,
    stack: e.stackName,
    production: e.mode === 'production',
    deployedByCi: e.deployedByCi,
    integration: i < chain.length - 1,
    after: i === 0 ? '' : chain[i - 1].name,
  }));
}

/** The GitHub Actions matrix of a chain: `{"include":[…]}`, one leg per environment. */
export function actionsMatrix(chain: readonly EnvironmentEntry[]): { include: EnvironmentEntry[] } {
  return { include: [...chain] };
}

/** What `npm run environments` prints. */
export function renderEnvironments(chain: readonly EnvironmentEntry[], format: 'names' | 'json' | 'matrix'): string {
  if (format === 'matrix') return `${JSON.stringify(actionsMatrix(chain))}\n`;
  if (format === 'json') return `${JSON.stringify(chain, null, 2)}\n`;
  return chain.map((e) => `${e.environment}\n`).join('');
}

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

/** A problem of where production stands in the chain: the environment and field at fault. */
export interface ProductionProblem {
  readonly environment: string;
  readonly field: 'mode';
  readonly message: string;
}

/**
 * Which environment is production is decided by the promotion chain, not by a field it could
 * flip: the last CI-deployed environment of the chain is production, since every change ends
 * there, and production only tightens along the chain, so an environment promoted from a
 * production one is production too (nothing CI deploys after a production environment is
 * less guarded than it). An environment in such a position declaring `mode: 'development'`
 * would switch off every production guardrail (service-principal run-as, prevent_destroy,
 * no development pipelines, failure notifications, unpaused triggers) and is refused; the way
 * to stop guarding an environment is to take it out of the chain in a reviewed change of
 * `promotedFrom`/`deployedByCi`, which the plan review then reports as destructive.
 * Environments CI does not deploy (a sandbox, a developer's own copy) stand outside the chain.
 *
 * A chain of one environment has no production yet (a project's first environment).
 * `chain` is the CI-deployed environments in promotion order (as loadEnvironments orders them).
 */
export function productionProblems(chain: readonly Pick<Environment, 'name' | 'mode'>[]): ProductionProblem[] {
  const line = chain.map((e) => e.name).join(' → ');
  return chain.flatMap((e, i): ProductionProblem[] => {
    if (e.mode !== 'development') return [];
    // a chain of one is a project's first environment, not a production yet
    if (i === chain.length - 1 && chain.length > 1) {
      return [{ environment: e.name, field: 'mode', message: `"${e.name}" is the last environment of the promotion chain, so it is production: mode must be 'production' (its guardrails cannot be switched off by config); promote another environment after it to make it a pre-production one (${line})` }];
    }
    if (i > 0 && chain[i - 1].mode === 'production') {
      return [{ environment: e.name, field: 'mode', message: `is "development", but "${e.name}" is promoted from the production environment "${chain[i - 1].name}" (${line}): what CI deploys after production is production; set mode: 'production'` }];
    }
    return [];
  });
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

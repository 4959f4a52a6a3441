import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { environments } from '../config/environments';
import { Environment, loadEnvironments } from '../config/load-config';

// `npm run environments -- [--ci] [--json|--matrix] [--from <file.json>]`
// The environments of config/environments.ts in promotion order (the order config declares
// them in): one name a line, `--json` as objects, `--matrix` as a GitHub Actions matrix
// (`{"include":[…]}`, for `strategy.matrix: ${{ fromJSON(…) }}`). `--ci` keeps the
// environments CI deploys (deployedByCi). `--from` reads the environments from a JSON file
// of the same shape as config/environments.ts instead (tests, what-ifs).
// Exit codes: 0, or 2 when the config is invalid or an option is bad.

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

function rawEnvironments(from: string | undefined): Readonly<Record<string, unknown>> {
  if (!from) return environments;
  const parsed: unknown = JSON.parse(readFileSync(from, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${from} must hold an object of environments by name, as config/environments.ts exports`);
  return parsed as Record<string, unknown>;
}

/** Run as `npm run environments` (the bundle scripts/run-ts.mjs makes of this file), not when a test imports it. */
const isEntryPoint = /(^|[\\/])(scripts-)?environments\.(ts|cjs)$/.test(process.argv[1] ?? '');

if (isEntryPoint) {
  const program = new Command('environments')
    .description('The environments of config/environments.ts in promotion order')
    .option('--ci', 'only the environments CI deploys (deployedByCi)')
    .option('--json', 'print JSON objects')
    .option('--matrix', 'print a GitHub Actions matrix ({"include":[…]})')
    .option('--from <file.json>', 'read the environments from a JSON file instead of config/environments.ts')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action((options: { ci?: boolean; json?: boolean; matrix?: boolean; from?: string }) => {
      if (options.json && options.matrix) throw new Error('give one of --json and --matrix, not both');
      const chain = promotionChain(loadEnvironments(rawEnvironments(options.from)), { ci: options.ci });
      process.stdout.write(renderEnvironments(chain, options.matrix ? 'matrix' : options.json ? 'json' : 'names'));
    });
  try {
    program.parse(process.argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { environments } from '../config/environments';
import { loadEnvironments } from '../config/load-config';
import { promotionChain, renderEnvironments } from '../config/promotion-chain';
import { exitOnUsageError, failCommand, InvalidInputError } from '../model/errors';

// `npm run environments -- [--ci] [--json|--matrix] [--from <file.json>]`
// The environments of config/environments.ts in promotion order (the order config declares
// them in): one name a line, `--json` as objects, `--matrix` as a GitHub Actions matrix
// (`{"include":[…]}`, for `strategy.matrix: ${{ fromJSON(…) }}`). `--ci` keeps the
// environments CI deploys (deployedByCi). `--from` reads the environments from a JSON file
// of the same shape as config/environments.ts instead (tests, what-ifs).
// Exit codes: 0, or 2 when the config is invalid or an option is bad.

function rawEnvironments(from: string | undefined): Readonly<Record<string, unknown>> {
  if (!from) return environments;
  const parsed: unknown = JSON.parse(readFileSync(from, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidInputError(`${from} must hold an object of environments by name, as config/environments.ts exports`);
  return parsed as Record<string, unknown>;
}

const program = new Command('environments')
  .description('The environments of config/environments.ts in promotion order')
  .option('--ci', 'only the environments CI deploys (deployedByCi)')
  .option('--json', 'print JSON objects')
  .option('--matrix', 'print a GitHub Actions matrix ({"include":[…]})')
  .option('--from <file.json>', 'read the environments from a JSON file instead of config/environments.ts')
  .exitOverride(exitOnUsageError)
  .action((options: { ci?: boolean; json?: boolean; matrix?: boolean; from?: string }) => {
    if (options.json && options.matrix) throw new InvalidInputError('give one of --json and --matrix, not both');
    const chain = promotionChain(loadEnvironments(rawEnvironments(options.from)), { ci: options.ci });
    process.stdout.write(renderEnvironments(chain, options.matrix ? 'matrix' : options.json ? 'json' : 'names'));
  });

try {
  program.parse(process.argv);
} catch (error) {
  failCommand(error);
}

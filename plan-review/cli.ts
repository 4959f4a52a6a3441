import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { PROJECT_ROOT } from '../config/project-root';
import { compareEnvironments, renderEnvironmentDifferences } from './environment-consistency';
import { synthesizeGitRef } from './git-base';
import { renderMarkdown } from './render-markdown';
import { Verdict, reviewPlans } from './review';
import { readSynthOutput } from './synth-output';
import { EXIT_CODES, ExitCode, InvalidInputError, exitOnUsageError, failCommand } from '../model/errors';

// `npm run plan-review -- --base <synth dir or git ref> --head <synth dir> [--json]`
// `npm run plan-review -- --envs <synth dir> [--json]`
// Exit codes (model/errors.ts): 0 no change (or environments consistent), 1 unintended
// differences between environments, 2 invalid input, 3 destructive changes, 4 changes.
const EXIT: Readonly<Record<Verdict, ExitCode>> = { 'no-change': EXIT_CODES.ok, change: EXIT_CODES.changes, destructive: EXIT_CODES.destructive };

const program = new Command('plan-review')
  .description('What a change does to each environment, from two synth outputs, without credentials')
  .option('--base <dir-or-ref>', 'synth output (or git ref to synthesize) before the change')
  .option('--head <dir>', 'synth output after the change', 'cdktf.out')
  .option('--envs <dir>', 'compare the environments of one synth output instead')
  .option('--json', 'print JSON')
  .exitOverride(exitOnUsageError)
  .action((options: { base?: string; head: string; envs?: string; json?: boolean }) => {
    if (options.envs) {
      const differences = compareEnvironments(readSynthOutput(resolve(options.envs)));
      process.stdout.write(options.json ? `${JSON.stringify(differences, null, 2)}\n` : renderEnvironmentDifferences(differences));
      process.exitCode = differences.some((d) => d.severity === 'warning') ? EXIT_CODES.failed : EXIT_CODES.ok;
      return;
    }
    if (!options.base) throw new InvalidInputError('--base is required (a synth output folder or a git ref), unless --envs is given');
    const baseIsDir = existsSync(resolve(options.base));
    const baseDir = baseIsDir ? resolve(options.base) : synthesizeGitRef(PROJECT_ROOT, options.base);
    try {
      const review = reviewPlans(readSynthOutput(baseDir), readSynthOutput(resolve(options.head)));
      process.stdout.write(options.json ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review));
      process.exitCode = EXIT[review.verdict];
    } finally {
      if (!baseIsDir) rmSync(dirname(baseDir), { recursive: true, force: true });
    }
  });

try {
  program.parse(process.argv);
} catch (error) {
  failCommand(error);
}

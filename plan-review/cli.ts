import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { PROJECT_ROOT } from '../config/project-root';
import { compareEnvironments, renderEnvironmentDifferences } from './environment-consistency';
import { synthesizeGitRef } from './git-base';
import { renderMarkdown } from './render-markdown';
import { Verdict, reviewPlans } from './review';
import { readSynthOutput } from './synth-output';

// `npm run plan-review -- --base <synth dir or git ref> --head <synth dir> [--json]`
// `npm run plan-review -- --envs <synth dir> [--json]`
// Exit codes: 0 no change (or environments consistent), 1 error, 2 changes (or unintended
// differences between environments), 3 destructive changes.
const EXIT: Readonly<Record<Verdict, number>> = { 'no-change': 0, change: 2, destructive: 3 };

const program = new Command('plan-review')
  .description('What a change does to each environment, from two synth outputs, without credentials')
  .option('--base <dir-or-ref>', 'synth output (or git ref to synthesize) before the change')
  .option('--head <dir>', 'synth output after the change', 'cdktf.out')
  .option('--envs <dir>', 'compare the environments of one synth output instead')
  .option('--json', 'print JSON')
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 1))
  .action((options: { base?: string; head: string; envs?: string; json?: boolean }) => {
    if (options.envs) {
      const differences = compareEnvironments(readSynthOutput(resolve(options.envs)));
      process.stdout.write(options.json ? `${JSON.stringify(differences, null, 2)}\n` : renderEnvironmentDifferences(differences));
      process.exitCode = differences.some((d) => d.severity === 'warning') ? 2 : 0;
      return;
    }
    if (!options.base) throw new Error('--base is required (a synth output folder or a git ref), unless --envs is given');
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
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

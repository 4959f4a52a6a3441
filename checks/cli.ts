import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { PROJECT_ROOT } from '../config/project-root';
import { environments } from '../config/environments';
import { loadEnvironments } from '../config/load-config';
import { projectPipelines, projectVolumes, projectWorkflows, theProject } from '../config/project';
import { sqlFilesUnder } from '../sql-lang/syntax';
import { formatDiagnostic } from '../model/diagnostic';
import { checkProject, checkSqlFiles } from './project-check';
import { EXIT_CODES, InvalidInputError, exitOnUsageError, failCommand } from '../model/errors';

// `npm run check`: the SQL assets (syntax, fidelity rules, contracts), the pipelines, and
// the guardrails and fidelity rules on the synthesized stacks in cdktf.out.
// `npm run check -- <file.sql>…`: the given SQL files only (job or pipeline SQL, told apart
// by content). Prints `file:line:col rule message` per finding. Exit codes: 0 clean,
// 1 findings, 2 bad input (a missing file, no synth output).
// The package script runs node with --liftoff-only: V8 compiles the SQL parser's WebAssembly
// (22 MB) with its baseline tier only, as a check is over before the optimizing tier pays
// back its compile (`npm run bench -- check` compares both). npm test runs jest so too, for
// the test files that parse SQL. https://v8.dev/docs/wasm-compilation-pipeline

const program = new Command('check')
  .description('Check the SQL assets and the synthesized stacks against what Databricks, Delta and the provider accept')
  .argument('[files...]', 'SQL files to check instead of the whole project')
  .option('--outdir <dir>', 'synth output to check', 'cdktf.out')
  .exitOverride(exitOnUsageError)
  .action(async (files: string[], options: { outdir: string }) => {
    const findings =
      files.length > 0
        ? await checkSqlFiles(
            PROJECT_ROOT,
            files.map((file) => {
              if (!existsSync(resolve(file))) throw new InvalidInputError(`${file}: no such file`);
              return relative(PROJECT_ROOT, resolve(file)).split('\\').join('/');
            }),
            projectPipelines(),
          )
        : await checkProject({
            projectRoot: PROJECT_ROOT,
            sqlFiles: sqlFilesUnder(PROJECT_ROOT, 'sql'),
            workflows: projectWorkflows(),
            pipelines: projectPipelines(),
            declaredTables: new Set(theProject().tables.map((t) => `${t.layer}.${t.spec.name}`)),
            declaredVolumes: new Set(projectVolumes().map((v) => `${v.layer}.${v.name}`)),
            synthOutput: existsSync(resolve(options.outdir))
              ? {
                  dir: resolve(options.outdir),
                  name: basename(options.outdir),
                  contexts: new Map(loadEnvironments(environments).map((e) => [e.stackName, { production: e.mode === 'production', pauseTriggers: e.pauseTriggers }])),
                }
              : (() => {
                  throw new InvalidInputError(`${options.outdir} does not exist: run npm run synth first, or name SQL files to check`);
                })(),
          });
    for (const finding of findings) process.stdout.write(`${formatDiagnostic(finding)}\n`);
    process.stderr.write(findings.length === 0 ? 'check: clean\n' : `check: ${findings.length} finding(s)\n`);
    process.exitCode = findings.length === 0 ? EXIT_CODES.ok : EXIT_CODES.failed;
  });

program.parseAsync(process.argv).catch(failCommand);

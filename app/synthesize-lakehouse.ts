import { rmSync, existsSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { App } from 'cdktn';
import { FailedError, FindingsError, InvalidInputError } from '../model/errors';
import { checkGuardrails } from '../checks/guardrails';
import { checkStack } from '../checks/json-rules';
import { readSynthesizedStacks } from '../checks/synthesized-stack';
import { Environment, loadEnvironments, selectEnvironments } from '../config/load-config';
import { assertPlaceholdersResolve } from '../config/environment-naming';
import { developerEnvironment } from '../config/developer-environment';
import { assertGeneratedSqlCurrent } from '../config/generated-files';
import { loadProject } from '../config/project';
import { PROJECT_ROOT } from '../config/project-root';
import { LakehouseStack } from '../constructs/lakehouse-stack';
import { withoutCreationStacks } from './creation-stacks';
import type { Pipeline } from '../model/pipeline';
import type { Workflow } from '../model/workflow';

export interface SynthesizeOptions {
  /** Where the synthesized stacks go. */
  readonly outdir: string;
  /** Environment names to synthesize; all when empty. */
  readonly only?: readonly string[];
  /** Workflows as written (validated here). @default the workflows of config/workflows.ts */
  readonly workflows?: readonly Workflow[];
  /** Pipelines as written (validated here). @default the pipelines of config/pipelines.ts */
  readonly pipelines?: readonly Pipeline[];
  /** Folder of the source files, relative to the project root. @default config/sources */
  readonly sourcesFolder?: string;
  /** Folder the config files and assets are read from. @default the project root */
  readonly projectRoot?: string;
  /**
   * Synthesize this developer's own deployment of the (first) development environment
   * instead of the shared environments: stack `lakehouse-dev-<developer>`.
   * @default the shared environments
   */
  readonly developer?: string;
}

/**
 * Validates the configuration, builds one stack per environment and synthesizes them.
 * Output is staged beside `outdir` and moved into place only when every stack has
 * synthesized and validated, so a failure leaves `outdir` as it was.
 */
export function synthesizeLakehouse(rawEnvironments: Readonly<Record<string, unknown>>, options: SynthesizeOptions): string[] {
  const loaded = loadEnvironments(rawEnvironments);
  const environments = options.developer !== undefined ? [developerEnvironment(developmentEnvironment(loaded), options.developer)] : selectEnvironments(loaded, options.only ?? []);
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const project = loadProject({ workflows: options.workflows, pipelines: options.pipelines, sourcesFolder: options.sourcesFolder, projectRoot });
  assertGeneratedSqlCurrent(project.sources, projectRoot);
  assertPlaceholdersResolve(environments, project.sourceVolumes, project.workflows, project.pipelines);
  const staging = `${options.outdir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    // No stack traces in the manifest: they hold absolute paths of the build machine.
    const app = new App({ outdir: staging, stackTraces: false });
    withoutCreationStacks(() => {
      for (const environment of environments) {
        new LakehouseStack(app, environment.stackName, { environment, ...project.declared, sources: project.sources, projectRoot });
      }
      synthesizeApp(app);
    });
    // the stacks as written, checked again: the guardrails over every block (provider and
    // backend included) and the fidelity rules over the Terraform JSON
    const contexts = new Map(environments.map((e) => [e.stackName, { production: e.mode === 'production', pauseTriggers: e.pauseTriggers }]));
    const findings = readSynthesizedStacks(staging).flatMap((stack) => [...checkGuardrails(stack, contexts.get(stack.name)!, basename(options.outdir)), ...checkStack(stack, basename(options.outdir))]);
    if (findings.length > 0) throw new FindingsError(findings);
    replaceDirectory(staging, options.outdir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return environments.map((e) => e.stackName);
}

/** A stack that cannot be synthesized: its construct validations (the guardrails among them) failed. */
export class SynthValidationError extends FailedError {
  constructor(readonly problems: readonly string[]) {
    super(`Synthesis refused:\n  ${problems.join('\n  ')}`);
    this.name = 'SynthValidationError';
  }
}

/**
 * Synthesizes the app. cdktf runs every construct validation (the guardrails' among them,
 * added when it invokes the aspects) and no environment variable skips them; a failure is
 * reported in our own words, since cdktf's message suggests switching validations off.
 */
export function synthesizeApp(app: App): void {
  try {
    app.synth();
  } catch (error) {
    const problems = app.node.findAll().flatMap((node) => node.node.validate().map((message) => `[${node.node.path}] ${message}`));
    if (problems.length > 0) throw new SynthValidationError(problems);
    throw error;
  }
}

function replaceDirectory(source: string, target: string): void {
  const previous = `${target}.previous-${process.pid}`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(source, target);
  rmSync(previous, { recursive: true, force: true });
}

/** The environment developers deploy their own copies of: the first development environment of the config. */
export function developmentEnvironment(environments: readonly Environment[]): Environment {
  const found = environments.find((e) => e.mode === 'development');
  if (!found) throw new InvalidInputError('no development environment to deploy a developer copy of (config/environments.ts)');
  return found;
}

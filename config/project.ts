import { PLATFORM_TABLES } from '../model/declared-tables';
import type { DeclaredTable } from '../model/declared-tables';
import type { Pipeline } from '../model/pipeline';
import type { Source } from '../model/source';
import { expandSources } from '../model/source-expansion';
import type { Workflow } from '../model/workflow';
import type { Layer } from '../model/layers';
import { volumeKey } from '../model/naming';
import { graphProblems } from '../model/task-graph';
import { ConfigError, ConfigProblem } from './config-error';
import { environments } from './environments';
import { loadEnvironments } from './load-config';
import { loadSources } from './load-sources';
import { loadPipelines, loadWorkflows } from './load-workflows';
import { pipelineDefinitions } from './pipelines';
import { PROJECT_ROOT } from './project-root';
import { workflowDefinitions } from './workflows';
import { InvalidInputError } from '../model/errors';

/**
 * The project's workflows and pipelines, validated once when first asked for. Every entry
 * point (synth, the local runner, the checks, the remote CLI, the diagrams) reads them here,
 * inside its own error handling, so a typo is a ConfigError naming file, object and field.
 */
export interface Project {
  readonly sources: readonly Source[];
  /** What config declares by hand (the stacks add the sources' own): workflows, pipelines and the platform's tables. */
  readonly declared: { readonly workflows: readonly Workflow[]; readonly pipelines: readonly Pipeline[]; readonly tables: readonly DeclaredTable[] };
  /** The hand-written workflows and those of the job-ingested sources. */
  readonly workflows: readonly Workflow[];
  /** The hand-written pipelines and those of the pipeline-ingested sources. */
  readonly pipelines: readonly Pipeline[];
  /** The platform's tables (ops, coordinated load) and those of the job-ingested sources. */
  readonly tables: readonly DeclaredTable[];
  /** Landing volumes the sources need, by name. */
  readonly sourceVolumes: readonly string[];
}

/** Where a project's configuration comes from; the files of this project by default. */
export interface ProjectInput {
  readonly workflows?: readonly unknown[];
  readonly pipelines?: readonly unknown[];
  /** Folder of the source files, relative to the project root. @default config/sources */
  readonly sourcesFolder?: string;
  readonly projectRoot?: string;
}

/**
 * Loads and validates the project's configuration: sources (expanded into their workflows,
 * pipelines and tables), workflows and pipelines. Names must be unique across hand-written
 * and generated objects, and a landing volume has at most one source.
 */
export function loadProject(input: ProjectInput = {}): Project {
  const root = input.projectRoot ?? PROJECT_ROOT;
  const sources = loadSources(root, input.sourcesFolder);
  const expanded = expandSources(sources);
  const declaredWorkflows = loadWorkflows(input.workflows ?? workflowDefinitions, 'config/workflows.ts', root);
  const declaredPipelines = loadPipelines(input.pipelines ?? pipelineDefinitions, 'config/pipelines.ts', root);
  // generated objects are valid by construction; names must still be unique across both
  const workflows = loadWorkflows([...declaredWorkflows, ...expanded.workflows], 'config/workflows.ts (with the sources)', root);
  const pipelines = loadPipelines([...declaredPipelines, ...expanded.pipelines], 'config/pipelines.ts (with the sources)', root);
  const owners = new Map<string, Source>();
  const problems = sources.flatMap((source) => {
    const owner = owners.get(source.landing.volume);
    owners.set(source.landing.volume, source);
    return owner ? [{ file: source.file, object: `source "${source.name}"`, field: 'landing.volume', message: `volume "${source.landing.volume}" already belongs to source "${owner.name}": each landing folder has one consumer` }] : [];
  });
  problems.push(...jobTaskProblems(workflows));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    sources,
    declared: { workflows: declaredWorkflows, pipelines: declaredPipelines, tables: PLATFORM_TABLES },
    workflows,
    pipelines,
    tables: [...PLATFORM_TABLES, ...expanded.tables],
    sourceVolumes: expanded.volumes,
  };
}

/**
 * Tasks that run another job (`run_job_task`): the job must be a workflow of the project, the
 * task's parameters its job parameters ("Job-level parameters used to trigger the job":
 * jobs.RunJobTask.job_parameters in Databricks' bundle JSON schema; a name the job does not
 * declare is read by nothing), and no job may end up running itself.
 */
function jobTaskProblems(workflows: readonly Workflow[]): ConfigProblem[] {
  const byName = new Map(workflows.map((w) => [w.name, w]));
  const problems: ConfigProblem[] = [];
  for (const workflow of workflows) {
    workflow.tasks.forEach((task, i) => {
      if (task.asset.kind !== 'job') return;
      const at = { file: 'config/workflows.ts', object: `workflow "${workflow.name}"` };
      const other = byName.get(task.asset.workflow);
      if (!other) {
        problems.push({ ...at, field: `tasks[${i}].asset.workflow`, message: `names no workflow of the project (workflows: ${[...byName.keys()].join(', ')})` });
        return;
      }
      const known = new Set(other.parameters.map((p) => p.name));
      for (const name of Object.keys(task.parameters ?? {})) {
        if (!known.has(name)) problems.push({ ...at, field: `tasks[${i}].parameters.${name}`, message: `is no job parameter of ${other.name} (its parameters: ${[...known].join(', ') || 'none'})` });
      }
    });
  }
  const cycle = graphProblems(workflows.map((w) => ({ key: w.name, dependsOn: w.tasks.flatMap((t) => (t.asset.kind === 'job' && byName.has(t.asset.workflow) ? [t.asset.workflow] : [])) }))).find((p) => p.includes('cycle'));
  if (cycle) problems.push({ file: 'config/workflows.ts', object: 'workflows', field: 'tasks[].asset.workflow', message: `jobs run each other: ${cycle}` });
  return problems;
}

let project: Project | undefined;

/** This project's configuration, loaded once. */
export function theProject(): Project {
  project ??= loadProject();
  return project;
}

export function projectWorkflows(): readonly Workflow[] {
  return theProject().workflows;
}

export function projectPipelines(): readonly Pipeline[] {
  return theProject().pipelines;
}

/** A name that is no workflow or pipeline of the project: invalid input. */
export class UnknownNameError extends InvalidInputError {
  constructor(kind: string, name: string, known: readonly string[]) {
    super(`unknown ${kind} "${name}"; known: ${known.join(', ')}`);
    this.name = 'UnknownNameError';
  }
}

export function workflowNamed(name: string): Workflow {
  const workflow = projectWorkflows().find((w) => w.name === name);
  if (!workflow) throw new UnknownNameError('workflow', name, projectWorkflows().map((w) => w.name));
  return workflow;
}

export function pipelineNamed(name: string): Pipeline | undefined {
  return projectPipelines().find((p) => p.name === name);
}

/**
 * Every volume the environments and sources declare, by name and layer: what the local
 * runner creates folders for and resolves `{{env.volume.…}}` against.
 */
export function projectVolumes(): { readonly name: string; readonly layer: Layer }[] {
  const found = new Map<string, { name: string; layer: Layer }>();
  for (const environment of loadEnvironments(environments)) for (const v of environment.volumes) found.set(volumeKey(v.name, v.layer), { name: v.name, layer: v.layer });
  for (const name of theProject().sourceVolumes) found.set(volumeKey(name), { name, layer: 'landing' });
  return [...found.values()].sort((a, b) => volumeKey(a.name, a.layer).localeCompare(volumeKey(b.name, b.layer)));
}

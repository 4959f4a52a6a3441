import type { Pipeline } from '../model/pipeline';
import type { Workflow } from '../model/workflow';
import { loadPipelines, loadWorkflows } from './load-workflows';
import { pipelineDefinitions } from './pipelines';
import { PROJECT_ROOT } from './project-root';
import { workflowDefinitions } from './workflows';

/**
 * The project's workflows and pipelines, validated once when first asked for. Every entry
 * point (synth, the local runner, the checks, the remote CLI, the diagrams) reads them here,
 * inside its own error handling, so a typo is a ConfigError naming file, object and field.
 */
let workflows: readonly Workflow[] | undefined;
let pipelines: readonly Pipeline[] | undefined;

export function projectWorkflows(): readonly Workflow[] {
  workflows ??= loadWorkflows(workflowDefinitions, 'config/workflows.ts', PROJECT_ROOT);
  return workflows;
}

export function projectPipelines(): readonly Pipeline[] {
  pipelines ??= loadPipelines(pipelineDefinitions, 'config/pipelines.ts', PROJECT_ROOT);
  return pipelines;
}

/** A name that is no workflow or pipeline of the project: bad input. */
export class UnknownNameError extends Error {
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

import { environments } from '../config/environments';
import { loadEnvironments } from '../config/load-config';
import { projectPipelines, projectWorkflows } from '../config/project';
import { currentDeveloper } from '../config/current-developer';
import { developerDeployment, resourcePrefix } from '../model/naming';
import { BadInputError } from './errors';

// The one file of remote/ that knows the project's configuration: which workspace an
// environment deploys to and what its jobs and pipelines are named there (as
// constructs/workflow-job.ts and constructs/lakehouse-pipelines.ts name them). Swap this
// file to read the names from elsewhere (a synth output, a bundle) and nothing else changes.

/** Where an environment is deployed, and the names its jobs and pipelines have there. */
export interface DeploymentTarget {
  readonly host: string;
  /** A profile of ~/.databrickscfg holding the credentials, when the environment names one. */
  readonly profile?: string;
  /** The deployed job of a workflow. Throws BadInputError for an unknown workflow. */
  jobName(workflow: string): string;
  /** The deployed pipeline. Throws BadInputError for an unknown pipeline. */
  pipelineName(pipeline: string): string;
  /** What every job and pipeline name of the environment starts with. */
  readonly namePrefix: string;
}

/**
 * The deployment of the environment named `envName`: in a development environment, the
 * caller's own deployment when LAKEHOUSE_DEV_USER names them (`[dev jane] …`), else the shared
 * one. Throws BadInputError for an unknown environment.
 */
export function deploymentTarget(envName: string, variables: NodeJS.ProcessEnv = process.env): DeploymentTarget {
  const all = loadEnvironments(environments);
  const env = all.find((e) => e.name === envName);
  if (!env) throw new BadInputError(`unknown environment "${envName}"; known: ${all.map((e) => e.name).join(', ')}`);
  // a developer working on the development environment operates their own deployment of it
  const developer = env.mode === 'development' ? currentDeveloper(variables) : undefined;
  const namePrefix = resourcePrefix(developer ? developerDeployment(env.name, developer).label : env.name);
  return {
    host: env.workspace.host,
    profile: env.workspace.profile,
    namePrefix,
    jobName(workflow) {
      const workflows = projectWorkflows();
      if (!workflows.some((w) => w.name === workflow)) throw new BadInputError(`unknown workflow "${workflow}"; known: ${workflows.map((w) => w.name).join(', ')}`);
      return `${namePrefix}${workflow}`;
    },
    pipelineName(pipeline) {
      const pipelines = projectPipelines();
      if (!pipelines.some((p) => p.name === pipeline)) throw new BadInputError(`unknown pipeline "${pipeline}"; known: ${pipelines.map((p) => p.name).join(', ')}`);
      return `${namePrefix}${pipeline}`;
    },
  };
}

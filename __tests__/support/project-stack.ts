import { Testing } from 'cdktn';
import type { Environment } from '../../config/load-config';
import { theProject } from '../../config/project';
import { LakehouseStack, LakehouseStackProps } from '../../constructs/lakehouse-stack';

/** The stack of an environment as synth builds it from this project's config: platform tables, workflows, pipelines and sources. */
export function projectStack(environment: Environment, overrides: Partial<LakehouseStackProps> = {}): LakehouseStack {
  const project = theProject();
  return new LakehouseStack(Testing.app(), environment.stackName, { environment, ...project.declared, sources: project.sources, ...overrides });
}

/** The e-mail addresses of the environment's failure destinations, as jobs and pipelines are told. */
export function failureEmails(environment: Environment): string[] {
  return environment.notifications.onFailure.flatMap((name) => {
    const destination = environment.notifications.destinations[name];
    return destination.type === 'email' ? destination.addresses : [];
  });
}

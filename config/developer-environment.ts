import { LAYERS, Layer } from '../model/layers';
import { developerDeployment, developerStateKey, stackName } from '../model/naming';
import type { EnvironmentSettings } from './environment-schema';
import type { Environment } from './load-config';
import { InvalidInputError } from '../model/errors';

/** The state of a developer's deployment: the shared environment's backend, under a key of its own. */
function developerBackend(environment: Environment, developer: string): EnvironmentSettings['stateBackend'] {
  const shared = environment.stateBackend;
  switch (shared.type) {
    case 'local':
      return { type: 'local', path: `terraform.${stackName(developerDeployment(environment.name, developer).name)}.tfstate` };
    case 's3':
      return { ...shared, key: developerStateKey(shared.key, developer) };
    case 'azurerm':
      return { ...shared, key: developerStateKey(shared.key, developer) };
    case 'gcs':
      return { ...shared, prefix: developerStateKey(shared.prefix ?? 'lakehouse', developer) };
    case 'cloud':
      return { ...shared, workspace: `${shared.workspace}-${developer}` };
  }
}

/**
 * A developer's own deployment of a shared (development) environment, as Databricks Asset
 * Bundles' development mode deploys one, and more separate: its own stack
 * (`lakehouse-dev-jane`), jobs named `[dev jane] …` with their triggers paused, pipelines in
 * development mode, its own schemas in the shared catalog (`jane_bronze`…), its assets under
 * the developer's workspace folder and its state under a key of its own. What the shared
 * environment manages (the catalog, the landing volumes, the warehouse) is referenced, never
 * managed, so one developer's plan cannot destroy or recreate another's objects or the shared
 * ones (the failure databricks/cli #4839 and #6050 report of bundles sharing a target).
 */
export function developerEnvironment(shared: Environment, developer: string): Environment {
  if (shared.mode !== 'development') throw new InvalidInputError(`environment "${shared.name}" is a production environment: developers deploy their own copies of development environments only`);
  const deployment = developerDeployment(shared.name, developer);
  return {
    ...shared,
    name: deployment.name,
    stackName: stackName(deployment.name),
    deployedByCi: false,
    runAs: undefined,
    pauseTriggers: true,
    catalog: { ...shared.catalog, schemas: Object.fromEntries(LAYERS.map((l) => [l, `${deployment.schemaPrefix}${shared.catalog.schemas[l]}`])) as Record<Layer, string> },
    stateBackend: developerBackend(shared, developer),
    notifications: { destinations: {}, onFailure: [], onSuccess: [] },
    tags: { ...shared.tags, developer },
    developer: { name: developer, label: deployment.label, schemaPrefix: deployment.schemaPrefix, shared },
  };
}

import { NamingContext, VolumeFolders, landingFolders, resolvePlaceholders, volumeKey } from '../model/naming';
import type { Layer } from '../model/layers';
import type { Pipeline } from '../model/pipeline';
import type { Workflow } from '../model/workflow';
import { ConfigError, ConfigProblem } from './config-error';
import type { Environment } from './load-config';

/** A volume an environment deploys: its own settings, or a source's landing volume with none. */
export interface EnvironmentVolume {
  readonly name: string;
  readonly layer: Layer;
  readonly storageLocation?: string;
  readonly archivePath?: string;
}

/** The volumes of an environment: those its config lists, then the landing volume of every source it does not list. */
export function environmentVolumes(environment: Environment, sourceVolumes: readonly string[]): EnvironmentVolume[] {
  const listed = new Set(environment.volumes.map((v) => volumeKey(v.name, v.layer)));
  return [...environment.volumes, ...sourceVolumes.filter((name) => !listed.has(volumeKey(name))).map((name) => ({ name, layer: 'landing' as const }))];
}

/** What the environment's names and paths are, for `{{env.…}}` placeholders: the one place an environment's naming is derived. */
export function namingContextOf(environment: Environment, sourceVolumes: readonly string[]): NamingContext {
  // a developer's deployment reads the shared environment's volumes, in its schemas
  const volumeSchemas = environment.developer?.shared.catalog.schemas ?? environment.catalog.schemas;
  const folders = (v: EnvironmentVolume): VolumeFolders => landingFolders(environment.catalog.name, volumeSchemas[v.layer], v.name, v.archivePath);
  return {
    environment: environment.name,
    catalog: environment.catalog.name,
    schemas: environment.catalog.schemas,
    volumes: new Map(environmentVolumes(environment, sourceVolumes).map((v) => [volumeKey(v.name, v.layer), folders(v)])),
  };
}

/**
 * Every placeholder of the workflows' parameter defaults and the pipelines' configuration
 * resolves in every environment: one naming a volume an environment lacks is a ConfigError
 * naming the environment, the object and the field.
 */
export function assertPlaceholdersResolve(environments: readonly Environment[], sourceVolumes: readonly string[], workflows: readonly Workflow[], pipelines: readonly Pipeline[]): void {
  const problems: ConfigProblem[] = [];
  for (const environment of environments) {
    const naming = namingContextOf(environment, sourceVolumes);
    const tryResolve = (value: string, file: string, object: string, field: string) => {
      try {
        resolvePlaceholders(value, naming);
      } catch (error) {
        problems.push({ file, object, field, message: error instanceof Error ? error.message : String(error) });
      }
    };
    workflows.forEach((w) => w.parameters.forEach((p, i) => tryResolve(p.default, 'config/workflows.ts', `workflow "${w.name}"`, `parameters[${i}].default`)));
    pipelines.forEach((p) => Object.entries(p.configuration).forEach(([key, value]) => tryResolve(value, 'config/pipelines.ts', `pipeline "${p.name}"`, `configuration.${key}`)));
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { Environment } from '../config/load-config';
import { PROJECT_ROOT } from '../config/project-root';
import { DECLARED_TABLES } from '../model/declared-tables';
import { volumeKey } from '../model/naming';
import type { Pipeline } from '../model/pipeline';
import type { Workflow } from '../model/workflow';
import { LakehouseCatalog } from './lakehouse-catalog';
import { JobFailureAlert } from './job-failure-alert';
import { LakehouseJobs } from './lakehouse-jobs';
import { LakehousePipelines } from './lakehouse-pipelines';
import { LandingVolume } from './landing-volume';
import { DeltaTable } from './delta-table';
import { Guardrails } from './guardrails-aspect';
import { SqlWarehouse } from './sql-warehouse';
import { useStateBackend } from './state-backend';

export interface LakehouseStackProps {
  readonly environment: Environment;
  /** Workflows deployed as jobs. @default none */
  readonly workflows?: readonly Workflow[];
  /** Declarative pipelines, each with its refresh job. @default none */
  readonly pipelines?: readonly Pipeline[];
  /** Folder the SQL and notebook assets are read from. @default the project root */
  readonly projectRoot?: string;
}

/**
 * Everything one environment deploys. Construct ids here are a contract: a resource's
 * Terraform address derives from them, and renaming one recreates the resource.
 */
export class LakehouseStack extends TerraformStack {
  readonly environment: Environment;
  readonly catalog: LakehouseCatalog;
  readonly warehouse: SqlWarehouse;
  /** Volumes by `<layer>.<name>` (see volumeKey). */
  readonly volumes: ReadonlyMap<string, LandingVolume>;
  /** Tables the stack declares, by `<layer>.<table>`. */
  readonly tables: ReadonlyMap<string, DeltaTable>;
  readonly jobs: LakehouseJobs;
  readonly pipelines: LakehousePipelines;

  constructor(scope: Construct, props: LakehouseStackProps) {
    const env = props.environment;
    super(scope, env.stackName);
    this.environment = env;

    // Only the host and an optional profile name: the provider reads credentials from
    // DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID/SECRET or ~/.databrickscfg at plan time.
    new DatabricksProvider(this, 'databricks', { host: env.workspace.host, profile: env.workspace.profile });
    useStateBackend(this, env.stackName, env.stateBackend);

    const production = env.mode === 'production';
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    Aspects.of(this).add(new Guardrails({ production, pauseTriggers: env.pauseTriggers }));

    const runAs = env.runAs ? [env.runAs.servicePrincipal] : [];
    this.catalog = new LakehouseCatalog(this, 'Catalog', {
      name: env.catalog.name,
      schemaNames: env.catalog.schemas,
      storageRoot: env.catalog.storageRoot,
      readers: env.principals.readers,
      writers: env.principals.writers,
      operators: [...env.principals.operators, ...runAs],
      preventDestroy: production,
    });

    this.warehouse = new SqlWarehouse(
      this,
      'Warehouse',
      env.warehouse.type === 'existing'
        ? env.warehouse
        : { ...env.warehouse, name: `lakehouse-${env.name}`, tags: env.tags },
    );

    this.volumes = new Map(
      env.volumes.map((v) => [
        volumeKey(v.name, v.layer),
        new LandingVolume(this, `Volume-${v.layer}-${v.name}`, { catalog: this.catalog, name: v.name, layer: v.layer, storageLocation: v.storageLocation, archivePath: v.archivePath, preventDestroy: production }),
      ]),
    );

    this.tables = new Map(
      DECLARED_TABLES.map(({ layer, spec }) => [
        `${layer}.${spec.name}`,
        new DeltaTable(this, tableConstructId(layer, spec.name), { catalog: this.catalog, layer, spec, warehouseId: this.warehouse.id, preventDestroy: production }),
      ]),
    );

    this.jobs = new LakehouseJobs(this, 'Jobs', {
      environment: env,
      workflows: props.workflows ?? [],
      projectRoot,
      warehouseId: this.warehouse.id,
      volumes: this.volumes,
      tables: this.tables,
    });

    this.pipelines = new LakehousePipelines(this, 'Pipelines', {
      environment: env,
      pipelines: props.pipelines ?? [],
      catalog: this.catalog,
      assets: this.jobs.assets,
    });

    new JobFailureAlert(this, 'JobFailureAlert', { environment: env, warehouseId: this.warehouse.id, projectRoot });

    new TerraformOutput(this, 'catalog_name', { value: this.catalog.catalogName });
    new TerraformOutput(this, 'landing_paths', { value: Object.fromEntries(env.volumes.filter((v) => v.layer === 'landing').map((v) => [v.name, this.volumes.get(volumeKey(v.name))!.incomingPath])) });
  }
}

/** The ops tables keep the construct ids they were first deployed with: an id change would recreate them. */
function tableConstructId(layer: string, name: string): string {
  const established: Record<string, string> = { 'ops.batch_control': 'ControlTable', 'ops.watermarks': 'WatermarkTable' };
  return established[`${layer}.${name}`] ?? `Table-${layer}-${name}`;
}

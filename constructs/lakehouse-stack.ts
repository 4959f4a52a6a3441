import { DataDatabricksCurrentUser } from '@cdktn/provider-databricks/lib/data-databricks-current-user';
import { DatabricksProvider } from '@cdktn/provider-databricks/lib/provider';
import { Aspects, TerraformOutput, TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import type { Environment } from '../config/load-config';
import { PROJECT_ROOT } from '../config/project-root';
import type { DeclaredTable } from '../model/declared-tables';
import { environmentVolumes, namingContextOf } from '../config/environment-naming';
import { NamingContext, developerWorkspaceRoot, resourcePrefix, sourceTables, stackName, volumeKey, workspaceRoot } from '../model/naming';
import type { Pipeline } from '../model/pipeline';
import type { Source } from '../model/source';
import { expandSources } from '../model/source-expansion';
import type { Workflow } from '../model/workflow';
import { DeltaTable } from './delta-table';
import { Guardrails } from './guardrails-aspect';
import type { JobDefaults } from './job-defaults';
import { DagJob } from './dag-job';
import { DataQualityAlert } from './data-quality-alert';
import { JobFailureAlert } from './job-failure-alert';
import { MonitoringDashboard } from './monitoring-dashboard';
import { grantRoleAccess } from './role-access';
import { taskIdentityProblems } from './task-identity-check';
import { assetAccessProblems } from './asset-access-check';
import { WorkspaceFolder } from './workspace-folder';
import { SystemTableAccess, systemTablesIn } from './system-table-access';
import { LakehouseCatalog } from './lakehouse-catalog';
import { LakehouseJobs } from './lakehouse-jobs';
import { LakehousePipelines } from './lakehouse-pipelines';
import { LandingVolume } from './landing-volume';
import { NotificationDestinations } from './notification-destinations';
import { SqlWarehouse } from './sql-warehouse';
import { useStateBackend } from './state-backend';

export interface LakehouseStackProps {
  readonly environment: Environment;
  /** Tables the stack declares besides the sources' own. @default none */
  readonly tables?: readonly DeclaredTable[];
  /** Workflows deployed as jobs, besides the sources' own. @default none */
  readonly workflows?: readonly Workflow[];
  /** Declarative pipelines, each with its refresh job, besides the sources' own. @default none */
  readonly pipelines?: readonly Pipeline[];
  /** Sources: each brings its landing volume, its tables and its ingestion job or pipeline. @default none */
  readonly sources?: readonly Source[];
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
  /** Volumes by `<layer>.<name>`. */
  readonly volumes: ReadonlyMap<string, LandingVolume>;
  /** Tables the stack declares, by `<layer>.<table>`. */
  readonly tables: ReadonlyMap<string, DeltaTable>;
  readonly jobs: LakehouseJobs;
  readonly pipelines: LakehousePipelines;
  /** What the environment's names and paths are, for placeholders. */
  readonly naming: NamingContext;
  /** What every job of the environment shares. */
  readonly jobDefaults: JobDefaults;
  /** The environment's alerts and dashboard; a developer's deployment has none (the shared environment's watch it). */
  readonly jobFailureAlert?: JobFailureAlert;
  readonly dataQualityAlert?: DataQualityAlert;
  readonly dashboard?: MonitoringDashboard;
  /** The environment's notification destinations. */
  readonly destinations: NotificationDestinations;
  /** The folder the environment's SQL, notebooks, queries, alerts and dashboard live in, whose permissions the stack sets; a developer's deployment has none (its assets are in the developer's home folder). */
  readonly workspaceFolder?: WorkspaceFolder;
  /** Read access to the system tables the alerts and dashboard query; a developer's deployment has none. */
  readonly systemTables?: SystemTableAccess;
  /** Who deploys their own copy of this environment (a development environment's writers); each must be able to create schemas in its catalog. */
  readonly developers: readonly string[];

  constructor(scope: Construct, id: string, props: LakehouseStackProps) {
    super(scope, id);
    const env = props.environment;
    this.environment = env;
    const sources = expandSources(props.sources ?? []);

    // Only the host and an optional profile name: the provider reads credentials from
    // DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID/SECRET or ~/.databrickscfg at plan time.
    new DatabricksProvider(this, 'databricks', { host: env.workspace.host, profile: env.workspace.profile });
    useStateBackend(this, id, env.stateBackend);

    const production = env.mode === 'production';
    // the writers of a shared development environment are its developers (config/developer-environment.ts)
    this.developers = env.mode === 'development' && !env.developer ? env.principals.writers : [];
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    Aspects.of(this).add(new Guardrails({ production, pauseTriggers: env.pauseTriggers }));
    const runAs = env.runAs?.servicePrincipal;
    // a developer's own deployment of a shared environment (config/developer-environment.ts)
    const shared = env.developer?.shared;
    const label = env.developer?.label ?? env.name;
    this.destinations = new NotificationDestinations(this, 'Destinations', { destinations: env.notifications.destinations, namePrefix: resourcePrefix(label) });
    const onFailure = this.destinations.recipients(env.notifications.onFailure);
    const onSuccess = this.destinations.recipients(env.notifications.onSuccess);
    this.jobDefaults = {
      namePrefix: resourcePrefix(label),
      paused: env.pauseTriggers,
      tags: env.tags,
      onFailureEmails: onFailure.emails,
      onFailureWebhookIds: onFailure.destinationIds,
      alertDestinationIds: onFailure.allDestinationIds,
      onSuccessEmails: onSuccess.emails,
      onSuccessWebhookIds: onSuccess.destinationIds,
      runAsServicePrincipal: runAs,
    };

    this.catalog = new LakehouseCatalog(this, 'Catalog', {
      name: env.catalog.name,
      schemaNames: env.catalog.schemas,
      storageRoot: env.catalog.storageRoot,
      preventDestroy: production,
      existing: shared !== undefined,
      addedSchemaPrefix: env.developer?.schemaPrefix,
    });

    this.warehouse = new SqlWarehouse(
      this,
      'Warehouse',
      env.warehouse.type === 'existing' ? env.warehouse : shared ? { type: 'by-name', name: stackName(shared.name) } : { ...env.warehouse, name: stackName(env.name), tags: env.tags },
    );

    const volumeSettings = environmentVolumes(env, sources.volumes);
    this.volumes = new Map(
      volumeSettings.map((v) => [
        volumeKey(v.name, v.layer),
        new LandingVolume(this, `Volume-${v.layer}-${v.name}`, {
          catalog: this.catalog,
          name: v.name,
          layer: v.layer,
          storageLocation: v.storageLocation,
          archivePath: v.archivePath,
          preventDestroy: production,
          existingInSchema: shared?.catalog.schemas[v.layer],
        }),
      ]),
    );
    this.naming = namingContextOf(env, sources.volumes);

    this.tables = new Map(
      [...(props.tables ?? []), ...sources.tables].map(({ layer, spec }) => [
        `${layer}.${spec.name}`,
        new DeltaTable(this, tableConstructId(layer, spec.name), { catalog: this.catalog, layer, spec, warehouseId: this.warehouse.id, preventDestroy: production }),
      ]),
    );

    this.workspaceFolder = shared ? undefined : new WorkspaceFolder(this, 'WorkspaceFolder', { path: workspaceRoot(env.name) });
    this.jobs = new LakehouseJobs(this, 'Jobs', {
      workspaceFolder: this.workspaceFolder,
      workflows: [...(props.workflows ?? []), ...sources.workflows],
      defaults: this.jobDefaults,
      naming: this.naming,
      workspaceRoot: shared ? developerWorkspaceRoot(new DataDatabricksCurrentUser(this, 'Developer').home, env.name) : workspaceRoot(env.name),
      projectRoot,
      warehouseId: this.warehouse.id,
      volumes: this.volumes,
      tables: this.tables,
    });

    this.pipelines = new LakehousePipelines(this, 'Pipelines', {
      pipelines: [...(props.pipelines ?? []), ...sources.pipelines],
      catalog: this.catalog,
      assets: this.jobs.assets,
      defaults: this.jobDefaults,
      naming: this.naming,
      volumes: this.volumes,
      development: env.mode === 'development',
    });

    if (!shared) {
      this.jobFailureAlert = new JobFailureAlert(this, 'JobFailureAlert', { environmentName: env.name, defaults: this.jobDefaults, warehouseId: this.warehouse.id, projectRoot, workspaceFolder: this.workspaceFolder });
      // monitoring: the dashboard and the data-quality alert share the alerts' folder
      const monitored = { catalog: env.catalog.name, opsSchema: this.catalog.schemaName('ops'), pipelines: [...(props.pipelines ?? []), ...sources.pipelines], projectRoot, environmentName: env.name, warehouseId: this.warehouse.id, folder: this.jobFailureAlert.folder };
      const lineageSource = (props.sources ?? []).find((s) => s.ingestion === 'job');
      this.dashboard = new MonitoringDashboard(this, 'MonitoringDashboard', {
        ...monitored,
        namePrefix: this.jobDefaults.namePrefix,
        lineageTable: lineageSource ? `${this.catalog.schemaFullName('silver')}.${sourceTables(lineageSource.name).current}` : `${this.catalog.schemaFullName('ops')}.watermarks`,
      });
      this.dataQualityAlert = new DataQualityAlert(this, 'DataQualityAlert', { ...monitored, defaults: this.jobDefaults, dropRateThreshold: env.monitoring.dropRateThreshold, assets: this.jobs.assets });

      this.systemTables = new SystemTableAccess(this, 'SystemTables');
      const systemTables = [this.jobFailureAlert.queryText, this.dataQualityAlert.queryText, ...this.dashboard.queries].flatMap(systemTablesIn);

      // a developer's deployment grants nothing: its objects are the developer's own
      grantRoleAccess(
        {
          catalog: this.catalog,
          warehouse: this.warehouse,
          landingVolumes: [...this.volumes.values()].filter((v) => v.layer === 'landing'),
          jobs: this.node.findAll().filter((n): n is DagJob => n instanceof DagJob),
          pipelines: [...this.pipelines.pipelines.values()],
          alerts: [this.jobFailureAlert, this.dataQualityAlert],
          dashboards: [this.dashboard],
          workspaceFolder: this.workspaceFolder,
          systemTables: { access: this.systemTables, tables: [...new Set(systemTables)].sort() },
        },
        { ...env.principals, runAs, developers: this.developers },
      );
    }
    this.node.addValidation({ validate: () => taskIdentityProblems(this, projectRoot) });
    this.node.addValidation({ validate: () => assetAccessProblems(this) });

    new TerraformOutput(this, 'catalog_name', { value: this.catalog.catalogName });
    new TerraformOutput(this, 'landing_paths', {
      value: Object.fromEntries(volumeSettings.filter((v) => v.layer === 'landing').map((v) => [v.name, this.volumes.get(volumeKey(v.name))!.incomingPath])),
    });
  }
}

/** The ops tables keep the construct ids they were first deployed with: an id change would recreate them. */
function tableConstructId(layer: string, name: string): string {
  const established: Record<string, string> = { 'ops.batch_control': 'ControlTable', 'ops.watermarks': 'WatermarkTable' };
  return established[`${layer}.${name}`] ?? `Table-${layer}-${name}`;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dashboard } from '@cdktn/provider-databricks/lib/dashboard';
import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { Construct } from 'constructs';
import { monitoringDashboardSpec, type ExpectationAction, type PipelineEventLog } from '../model/dashboard/monitoring-dashboard';
import { serializeDashboard } from '../model/dashboard/serialize';
import { alertsFolder, pipelineEventLogTable, workspaceRoot } from '../model/naming';
import type { Pipeline } from '../model/pipeline';
import { readPipelineDefinitions } from '../sql-lang/pipeline-definitions';
import { ObjectPermissions, PERMISSION_LEVELS } from './object-permissions';
import { PropError } from './prop-error';
import { systemSchemasIn } from '../sql-lang/system-tables';

/** Where the monitoring SQL of an environment reads from: its catalog, ops schema and pipelines. */
export interface MonitoredEnvironment {
  /** The environment's catalog. */
  readonly catalog: string;
  /** The ops schema's name in the catalog (where the pipelines publish their event logs and the jobs their expectation results). @default 'ops' */
  readonly opsSchema?: string;
  /** The environment's pipelines, whose published event logs and expectations are monitored. @default none */
  readonly pipelines?: readonly Pipeline[];
  /** Folder the SQL files (`sql/observability/`, the pipelines' SQL) are read from. */
  readonly projectRoot: string;
}

/**
 * The event log of each pipeline (`<catalog>.<ops schema>.<pipelineEventLogTable(name)>`, where
 * LakehousePipelines publishes it) with the action of each of its expectations, read from the
 * pipeline's SQL at synth: the event log counts failed rows per expectation but does not say
 * which expectations drop them.
 */
export function pipelineEventLogs(environment: MonitoredEnvironment, read?: (file: string) => string): PipelineEventLog[] {
  const ops = environment.opsSchema ?? 'ops';
  return (environment.pipelines ?? []).map((pipeline) => {
    const definitions = readPipelineDefinitions(environment.projectRoot, pipeline.sourceFiles, pipeline.configuration, read);
    const expectationActions: Record<string, ExpectationAction> = {};
    for (const dataset of definitions.datasets) for (const expectation of dataset.expectations) expectationActions[`${dataset.name}.${expectation.name}`] = expectation.action;
    return { pipeline: pipeline.name, table: `${environment.catalog}.${ops}.${pipelineEventLogTable(pipeline.name)}`, expectationActions };
  });
}

export interface MonitoringDashboardProps extends MonitoredEnvironment {
  /** The environment, whose workspace folder holds the dashboard. */
  readonly environmentName: string;
  /** Prefix of the environment's job and pipeline names, e.g. `[prod] `: picks its jobs and names the dashboard `<prefix>lakehouse monitoring`. */
  readonly namePrefix: string;
  /** The SQL warehouse the dashboard's queries run on. */
  readonly warehouseId: string;
  /** Three-part name of the table whose downstream tables the lineage page lists (the default of its `table_name` parameter). */
  readonly lineageTable: string;
  /**
   * Workspace folder of the dashboard, as the path of a `databricks_directory` of the stack
   * (a reference, so the folder is created first). Pass the folder the environment's alerts
   * already use: two `databricks_directory` of one path would each delete it on destroy.
   * @default a databricks_directory created here at the environment's alerts folder (`alertsFolder(workspaceRoot(environmentName))`)
   */
  readonly folder?: string;
  /** Days of job runs, pipeline updates and lineage shown. @default 30 */
  readonly lookbackDays?: number;
  /** Hours of expectation results shown. @default 168 (7 days) */
  readonly dataQualityWindowHours?: number;
  /**
   * Whether viewers of the published dashboard see the data with the deploying identity's
   * rights (`embed_credentials`, provider default true) instead of their own.
   * @default false: each viewer needs SELECT on the system tables, event logs and ops tables
   */
  readonly embedCredentials?: boolean;
}

/**
 * The Lakeview (AI/BI) monitoring dashboard of one environment (`databricks_dashboard`,
 * published by the provider): job runs and their success rate and p95 duration, pipeline
 * updates, data quality per expectation and lineage impact, from `sql/observability/`. Table
 * names are resolved at synth and reach the SQL as dataset parameter defaults.
 */
export class MonitoringDashboard extends Construct {
  readonly resource: Dashboard;
  /** The dashboard's id, for `databricks_permissions.dashboard_id` and links. */
  readonly dashboardId: string;
  /** The `serialized_dashboard` definition deployed. */
  readonly serialized: string;
  /** The system schemas its datasets read: its viewers (who query with their own rights) need read access to them. */
  readonly systemSchemas: readonly string[];
  private readonly permissions: ObjectPermissions;

  constructor(scope: Construct, id: string, props: MonitoringDashboardProps) {
    super(scope, id);
    if (!/^[^.\s]+\.[^.\s]+\.[^.\s]+$/.test(props.lineageTable)) throw new PropError(scope, id, 'lineageTable', `"${props.lineageTable}" must be a three-part name <catalog>.<schema>.<table>`);
    for (const [field, value] of [['lookbackDays', props.lookbackDays], ['dataQualityWindowHours', props.dataQualityWindowHours]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new PropError(scope, id, field, `must be a whole number of at least 1, got ${value}`);
    }
    const spec = monitoringDashboardSpec({
      namePrefix: props.namePrefix,
      opsSchema: `${props.catalog}.${props.opsSchema ?? 'ops'}`,
      eventLogTables: pipelineEventLogs(props),
      lineageTable: props.lineageTable,
      lookbackDays: props.lookbackDays,
      dataQualityWindowHours: props.dataQualityWindowHours,
      sqlOf: (file) => readFileSync(join(props.projectRoot, file), 'utf8'),
    });
    this.serialized = serializeDashboard(spec);
    this.systemSchemas = systemSchemasIn(spec.datasets.map((d) => d.sql).join('\n;\n'));
    // the provider creates a dashboard in parent_path without creating the folder
    // (workspace-folders-created rule): the stack creates it, and references it
    const folder = props.folder ?? new Directory(this, 'Folder', { path: alertsFolder(workspaceRoot(props.environmentName)) }).path;
    this.resource = new Dashboard(this, 'Resource', {
      displayName: spec.title,
      warehouseId: props.warehouseId,
      parentPath: folder,
      serializedDashboard: this.serialized,
      embedCredentials: props.embedCredentials ?? false,
    });
    this.dashboardId = this.resource.id;
    this.permissions = new ObjectPermissions(this, 'Permissions', { dashboardId: this.resource.id }, PERMISSION_LEVELS.dashboard);
  }

  /**
   * Lets a principal (group, user e-mail or service principal application id) open the
   * published dashboard: `CAN_RUN` (the default) also refreshes it and runs its queries,
   * `CAN_READ` only views it (provider docs/resources/permissions.md "Dashboard usage":
   * `dashboard_id` takes CAN_READ, CAN_RUN, CAN_EDIT, CAN_MANAGE). A principal granted twice
   * keeps the higher level.
   */
  grantView(principal: string, level: 'CAN_READ' | 'CAN_RUN' = 'CAN_RUN'): void {
    this.permissions.grant(principal, level);
  }
}

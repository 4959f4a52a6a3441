import type { Layer } from '../model/layers';
import type { DagJob } from './dag-job';
import type { DltPipeline } from './dlt-pipeline';
import type { LakehouseCatalog } from './lakehouse-catalog';
import type { LandingVolume } from './landing-volume';
import type { SqlWarehouse } from './sql-warehouse';
import type { WorkspaceFolder } from './workspace-folder';
import type { SystemTableAccess } from './system-table-access';

/** What can be granted on an alert: the project's alerts all evaluate a query. */
export interface GrantableAlert {
  grantRun(principal: string): void;
  grantView(principal: string): void;
}

/** The environment's principals, by role. */
export interface RolePrincipals {
  /** Read published data: the silver and gold layers, never bronze, quarantine or pipeline internals. */
  readonly readers: readonly string[];
  /** Change data by hand and land files. */
  readonly writers: readonly string[];
  /** Run and watch the workloads: start, cancel and repair runs and updates, evaluate alerts. */
  readonly operators: readonly string[];
  /** The service principal the jobs and pipelines run as (production environments). @default the deploying identity */
  readonly runAs?: string;
  /** Deploy their own copies of the environment (development environments): they create their own schemas in its catalog. @default none */
  readonly developers?: readonly string[];
}

/** What can be granted on a dashboard. */
export interface GrantableDashboard {
  grantView(principal: string, level?: 'CAN_READ' | 'CAN_RUN'): void;
}

export interface RoleAccessTargets {
  readonly catalog: LakehouseCatalog;
  readonly warehouse: SqlWarehouse;
  readonly landingVolumes: readonly LandingVolume[];
  readonly jobs: readonly DagJob[];
  readonly pipelines: readonly DltPipeline[];
  readonly alerts: readonly GrantableAlert[];
  readonly dashboards: readonly GrantableDashboard[];
  /** The system tables the alerts and dashboard read, and where to grant them. @default none */
  readonly systemTables?: { readonly access: SystemTableAccess; readonly tables: readonly string[] };
  /** The folder of the environment's SQL, notebooks, queries and alerts. @default none */
  readonly workspaceFolder?: WorkspaceFolder;
}

/** The layers readers query: published data only (bronze holds raw rows and the quarantine). */
export const READER_LAYERS: readonly Layer[] = ['silver', 'gold'];

/**
 * Least privilege per role, composed from the constructs' `grant…` methods. The run-as identity
 * owns the jobs and pipelines it runs (their constructs make it so) and gets what its tasks use:
 * the workloads' schema privileges, the landing volumes' files and the warehouse; the stack's
 * task-identity check proves it holds what every task's SQL uses.
 */
export function grantRoleAccess(targets: RoleAccessTargets, roles: RolePrincipals): void {
  const { catalog, warehouse } = targets;
  for (const reader of roles.readers) {
    catalog.grantReadData(reader, READER_LAYERS);
    warehouse.grantUse(reader);
    targets.jobs.forEach((job) => job.grantView(reader));
    targets.pipelines.forEach((pipeline) => pipeline.grantView(reader));
  }
  for (const writer of roles.writers) {
    catalog.grantWriteData(writer);
    warehouse.grantUse(writer);
    targets.landingVolumes.forEach((volume) => volume.grantReadWrite(writer));
    targets.jobs.forEach((job) => job.grantView(writer));
    targets.pipelines.forEach((pipeline) => pipeline.grantView(writer));
  }
  const runners = [...roles.operators, ...(roles.runAs ? [roles.runAs] : [])];
  for (const runner of runners) {
    catalog.grantRunWorkloads(runner);
    warehouse.grantUse(runner);
    targets.landingVolumes.forEach((volume) => volume.grantReadWrite(runner));
    // the job-failure alert (evaluated by the run-as identity, run by operators) and the dashboard
    // (operators, with their own credentials) read system tables
    targets.systemTables?.access.grantSelect(runner, targets.systemTables.tables, runner === roles.runAs ? 'run-as' : runner);
  }
  for (const developer of roles.developers ?? []) catalog.grantCreateSchema(developer);
  // the code the jobs run: the run-as identity reads and runs it, operators read it; nobody but
  // the admins and the deploying identity (the jobs' owner) may change it (asset-access-check.ts)
  if (roles.runAs) targets.workspaceFolder?.grantRun(roles.runAs);
  for (const operator of roles.operators) targets.workspaceFolder?.grantRead(operator);
  for (const operator of roles.operators) {
    targets.jobs.forEach((job) => job.grantManageRun(operator));
    targets.pipelines.forEach((pipeline) => pipeline.grantRun(operator));
    targets.alerts.forEach((alert) => alert.grantRun(operator));
    // the monitoring dashboard is the operators' (it reads job runs and event logs)
    targets.dashboards.forEach((dashboard) => dashboard.grantView(operator, 'CAN_RUN'));
  }
}

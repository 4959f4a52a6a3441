import type { Layer } from '../model/layers';
import type { DagJob } from './dag-job';
import type { DltPipeline } from './dlt-pipeline';
import type { LakehouseCatalog } from './lakehouse-catalog';
import type { LandingVolume } from './landing-volume';
import type { SqlWarehouse } from './sql-warehouse';

/** What can be granted on an alert: the project's alerts all evaluate a query. */
export interface GrantableAlert {
  grantRun(principal: string): void;
  grantView(principal: string): void;
  /** The system schemas its query reads. */
  readonly systemSchemas?: readonly string[];
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

/** Read access to system tables. */
export interface SystemTablesTarget {
  grantRead(principal: string, schema: string, role?: string): void;
}

/** What can be granted on a dashboard. */
export interface GrantableDashboard {
  grantView(principal: string, level?: 'CAN_READ' | 'CAN_RUN'): void;
  /** The system schemas its datasets read, with the viewer's rights. */
  readonly systemSchemas?: readonly string[];
}

export interface RoleAccessTargets {
  readonly catalog: LakehouseCatalog;
  readonly warehouse: SqlWarehouse;
  readonly landingVolumes: readonly LandingVolume[];
  readonly jobs: readonly DagJob[];
  readonly pipelines: readonly DltPipeline[];
  readonly alerts: readonly GrantableAlert[];
  readonly dashboards: readonly GrantableDashboard[];
  readonly systemTables: SystemTablesTarget;
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
  }
  for (const developer of roles.developers ?? []) catalog.grantCreateSchema(developer);
  // the system tables the alerts read, for whoever evaluates them (the run-as principal, and the
  // operators, who may run them); those the dashboard reads, for its viewers (the operators)
  const alertSchemas = [...new Set(targets.alerts.flatMap((a) => a.systemSchemas ?? []))];
  const dashboardSchemas = [...new Set(targets.dashboards.flatMap((d) => d.systemSchemas ?? []))];
  for (const runner of runners) for (const schema of alertSchemas) targets.systemTables.grantRead(runner, schema, runner === roles.runAs ? 'run-as' : runner);
  for (const operator of roles.operators) for (const schema of dashboardSchemas) targets.systemTables.grantRead(operator, schema);
  for (const operator of roles.operators) {
    targets.jobs.forEach((job) => job.grantManageRun(operator));
    targets.pipelines.forEach((pipeline) => pipeline.grantRun(operator));
    targets.alerts.forEach((alert) => alert.grantRun(operator));
    // the monitoring dashboard is the operators' (it reads job runs and event logs)
    targets.dashboards.forEach((dashboard) => dashboard.grantView(operator, 'CAN_RUN'));
  }
}

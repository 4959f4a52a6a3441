import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Alert } from '@cdktn/provider-databricks/lib/alert';
import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { Query } from '@cdktn/provider-databricks/lib/query';
import { Construct } from 'constructs';
import type { JobDefaults } from './job-defaults';
import { alertsFolder, workspaceRoot } from '../model/naming';
import { DagJob } from './dag-job';
import { AlertAccess } from './alert-access';
import { systemSchemasIn } from '../sql-lang/system-tables';

export interface JobFailureAlertProps {
  /** The environment, as the alert's names and folder show it. */
  readonly environmentName: string;
  /** Where failures are reported and who the evaluating job runs as. */
  readonly defaults: JobDefaults;
  readonly warehouseId: string;
  /** Folder the alert query file is read from. */
  readonly projectRoot: string;
}

/** The alert query: failed runs of the environment's jobs in the last hour, by job name prefix. */
const QUERY_FILE = 'sql/observability/failed_job_runs_alert.sql';

/**
 * A SQL alert on the system tables that fires when a job of the environment failed in the
 * last hour, evaluated hourly by a job that notifies the environment's failure destinations.
 * It catches failures of jobs whose own notifications were lost or misconfigured.
 */
export class JobFailureAlert extends Construct {
  /** The hourly job that evaluates the alert. */
  readonly job: DagJob;
  readonly alertId: string;
  /** The workspace folder of the environment's alerts (a databricks_directory path: reference it to come after it). */
  readonly folder: string;
  /** The system schemas its query reads: whoever evaluates it needs read access to them. */
  readonly systemSchemas: readonly string[];
  private readonly access: AlertAccess;

  constructor(scope: Construct, id: string, props: JobFailureAlertProps) {
    super(scope, id);
    const { environmentName, defaults } = props;
    // the provider creates a query or alert in parent_path without creating the folder
    // (sql/resource_query.go): the stack creates it, and references it so it comes first
    const folder = new Directory(this, 'Folder', { path: alertsFolder(workspaceRoot(environmentName)) }).path;
    this.folder = folder;
    const queryText = readFileSync(join(props.projectRoot, QUERY_FILE), 'utf8');
    this.systemSchemas = systemSchemasIn(queryText);
    const query = new Query(this, 'Query', {
      displayName: `${defaults.namePrefix}failed job runs`,
      warehouseId: props.warehouseId,
      parentPath: folder,
      queryText,
      parameter: [{ name: 'name_prefix', title: 'Job name prefix', textValue: { value: defaults.namePrefix } }],
    });
    const alert = new Alert(this, 'Alert', {
      displayName: `${defaults.namePrefix}a job failed`,
      queryId: query.id,
      parentPath: folder,
      secondsToRetrigger: 3600,
      // a zero threshold is never sent: the provider reads config with GetOk, which skips zero
      // values (common/reflect_resource.go; provider issue #4483), so the condition is >= 1
      condition: { op: 'GREATER_THAN_OR_EQUAL', operand: { column: { name: 'failed_runs' } }, threshold: { value: { doubleValue: 1 } }, emptyResultState: 'OK' },
      customSubject: `${defaults.namePrefix}lakehouse job failure`,
    });
    this.alertId = alert.id;
    this.access = new AlertAccess(this, { alert: 'AlertPermissions', query: 'QueryPermissions' }, { alertId: this.alertId, queryId: query.id });
    this.job = new DagJob(this, 'Job', {
      name: `${defaults.namePrefix}job failure alert`,
      description: 'Evaluates the job-failure alert every hour and notifies the environment’s failure destinations.',
      tasks: [
        {
          key: 'evaluate',
          kind: 'alert',
          alertId: this.alertId,
          // notification destinations, never mailing lists as workspace user names (a subscription's
          // user_name is a workspace user; jobs.SqlTaskSubscription in Databricks' bundle JSON schema)
          subscribers: { destinationIds: defaults.alertDestinationIds ?? defaults.onFailureWebhookIds },
        },
      ],
      warehouseId: props.warehouseId,
      trigger: { type: 'schedule', quartzCron: '0 5 * * * ?' },
      paused: defaults.paused,
      timeoutSeconds: 900,
      tags: { ...defaults.tags, purpose: 'observability' },
      onFailureEmails: defaults.onFailureEmails,
      onFailureWebhookIds: defaults.onFailureWebhookIds,
      runAsServicePrincipal: defaults.runAsServicePrincipal,
    });
    // the evaluating identity runs the alert and its query (CAN_RUN; provider docs/resources/permissions.md, SQL alerts and queries)
    if (this.job.runAs) this.grantRun(this.job.runAs);
  }

  /** Evaluate the alert and run its query (CAN_RUN on both). */
  grantRun(principal: string): void {
    this.access.grantRun(principal);
  }

  /** See the alert and its query (CAN_VIEW). */
  grantView(principal: string): void {
    this.access.grantView(principal);
  }

  /** Whether a principal may evaluate the alert. */
  allowsRun(principal: string): boolean {
    return this.access.allowsRun(principal);
  }
}

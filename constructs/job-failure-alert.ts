import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Alert } from '@cdktf/provider-databricks/lib/alert';
import { Directory } from '@cdktf/provider-databricks/lib/directory';
import { Query } from '@cdktf/provider-databricks/lib/query';
import { Construct } from 'constructs';
import type { Environment } from '../config/load-config';
import { alertsFolder, workspaceRoot } from '../model/naming';
import { DagJob } from './dag-job';

export interface JobFailureAlertProps {
  readonly environment: Environment;
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
  constructor(scope: Construct, id: string, props: JobFailureAlertProps) {
    super(scope, id);
    const env = props.environment;
    // the provider creates a query or alert in parent_path without creating the folder
    // (sql/resource_query.go): the stack creates it, and references it so it comes first
    const folder = new Directory(this, 'Folder', { path: alertsFolder(workspaceRoot(env.name)) }).path;
    const query = new Query(this, 'Query', {
      displayName: `[${env.name}] failed job runs`,
      warehouseId: props.warehouseId,
      parentPath: folder,
      queryText: readFileSync(join(props.projectRoot, QUERY_FILE), 'utf8'),
      parameter: [{ name: 'name_prefix', title: 'Job name prefix', textValue: { value: `[${env.name}] ` } }],
    });
    const alert = new Alert(this, 'Alert', {
      displayName: `[${env.name}] a job failed`,
      queryId: query.id,
      parentPath: folder,
      secondsToRetrigger: 3600,
      // a zero threshold is never sent: the provider reads config with GetOk, which skips zero
      // values (common/reflect_resource.go; provider issue #4483), so the condition is >= 1
      condition: { op: 'GREATER_THAN_OR_EQUAL', operand: { column: { name: 'failed_runs' } }, threshold: { value: { doubleValue: 1 } }, emptyResultState: 'OK' },
      customSubject: `[${env.name}] lakehouse job failure`,
    });
    new DagJob(this, 'Job', {
      name: `[${env.name}] job failure alert`,
      description: 'Evaluates the job-failure alert every hour and notifies the environment’s failure destinations.',
      tasks: [
        {
          key: 'evaluate',
          kind: 'alert',
          alertId: alert.id,
          subscribers: { userNames: env.notifications.onFailureEmails, destinationIds: env.notifications.onFailureWebhookIds },
        },
      ],
      warehouseId: props.warehouseId,
      trigger: { type: 'schedule', quartzCron: '0 5 * * * ?' },
      paused: env.pauseTriggers,
      timeoutSeconds: 900,
      tags: { ...env.tags, purpose: 'observability' },
      onFailureEmails: env.notifications.onFailureEmails,
      onFailureWebhookIds: env.notifications.onFailureWebhookIds,
      runAsServicePrincipal: env.runAs?.servicePrincipal,
    });
  }
}

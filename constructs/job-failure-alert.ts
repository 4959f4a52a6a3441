import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Alert } from '@cdktf/provider-databricks/lib/alert';
import { Query } from '@cdktf/provider-databricks/lib/query';
import { Construct } from 'constructs';
import type { Environment } from '../config/load-config';
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
    const folder = `/Shared/lakehouse/${env.name}/alerts`;
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
      condition: { op: 'GREATER_THAN', operand: { column: { name: 'failed_runs' } }, threshold: { value: { doubleValue: 0 } }, emptyResultState: 'OK' },
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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Alert } from '@cdktn/provider-databricks/lib/alert';
import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { Query, QueryParameter } from '@cdktn/provider-databricks/lib/query';
import { Construct } from 'constructs';
import { expectationRowsQuery, type ParameterizedSql } from '../model/dashboard/monitoring-dashboard';
import { alertsFolder, workspaceRoot } from '../model/naming';
import { DagJob, type DagTask } from './dag-job';
import type { JobDefaults } from './job-defaults';
import { MonitoredEnvironment, pipelineEventLogs } from './monitoring-dashboard';
import { AlertAccess } from './alert-access';
import { PropError } from './prop-error';
import { WorkspaceAssets } from './workspace-assets';

export interface DataQualityAlertProps extends MonitoredEnvironment {
  /** The environment, whose workspace folder holds the query and the alert. */
  readonly environmentName: string;
  /** Names (`<prefix>…`), the evaluating job's schedule pause, tags and run-as identity. */
  readonly defaults: JobDefaults;
  /** The SQL warehouse the alert's query runs on. */
  readonly warehouseId: string;
  /**
   * The alert fires when an expectation dropped more than this fraction of the rows it checked
   * during the window (e.g. 0.05 for 5%). Strictly between 0 and 1.
   */
  readonly dropRateThreshold: number;
  /** Hours of expectation results each hourly evaluation looks at. @default 1, the evaluation period, so each load is judged once */
  readonly evaluationWindowHours?: number;
  /**
   * Who the evaluating job notifies when the alert fires: workspace user names (a subscription's
   * `user_name` is a workspace user, not a mailing list) and notification destination ids.
   * @default the environment's failure destinations, as destinations (`defaults.alertDestinationIds`, else `defaults.onFailureWebhookIds`), as JobFailureAlert does
   */
  readonly subscribers?: { readonly userNames?: readonly string[]; readonly destinationIds?: readonly string[] };
  /**
   * Workspace folder of the query and the alert, as the path of a `databricks_directory` of the
   * stack. Pass the folder the job-failure alert already uses: two `databricks_directory` of
   * one path would each delete it on destroy.
   * @default a databricks_directory created here at `alertsFolder(workspaceRoot(environmentName))`
   */
  readonly folder?: string;
  /**
   * Where the job's gate notebook (notebooks/event_logs_ready.py) is uploaded: the stack's
   * assets, so the notebook lies in the environment's folder with the jobs' SQL and notebooks.
   * @default a WorkspaceAssets of its own under `workspaceRoot(environmentName)` (a stack that has one passes it: two would upload the notebook twice)
   */
  readonly assets?: WorkspaceAssets;
}

/** The notebook that tells whether every table the alert's query reads exists yet (a task value `ready`). */
export const EVENT_LOGS_READY_NOTEBOOK = 'notebooks/event_logs_ready.py';

/**
 * A SQL alert on data quality: the drop rate of every expectation over the last evaluation
 * window (rows a drop expectation removed, over the rows it checked), from the pipelines'
 * published event logs and the job-ingested sources' `ops.expectation_results` — the rows of
 * the monitoring dashboard's data-quality page — firing when the highest crosses
 * `dropRateThreshold`. An hourly job evaluates it and notifies the subscribers; its run-as
 * identity gets the CAN_RUN on the alert an alert task needs.
 */
export class DataQualityAlert extends Construct {
  readonly query: Query;
  readonly alert: Alert;
  /** The alert's id. */
  readonly alertId: string;
  /** The evaluating job. */
  readonly job: DagJob;
  /** The query text deployed: every expectation's drop rate, highest first. */
  readonly queryText: string;
  private readonly access: AlertAccess;

  constructor(scope: Construct, id: string, props: DataQualityAlertProps) {
    super(scope, id);
    const { defaults } = props;
    const threshold = props.dropRateThreshold;
    if (!Number.isFinite(threshold) || threshold <= 0 || threshold >= 1) {
      // zero: the provider never sends a zero threshold (it reads config with GetOk, which skips
      // zero values: common/reflect_resource.go, provider issue #4483), so the alert would have none
      throw new PropError(scope, id, 'dropRateThreshold', `must be a fraction strictly between 0 and 1 (0.05 fires above 5% of rows dropped), got ${threshold}`);
    }
    const windowHours = props.evaluationWindowHours ?? 1;
    if (!Number.isInteger(windowHours) || windowHours < 1) throw new PropError(scope, id, 'evaluationWindowHours', `must be a whole number of hours, at least 1, got ${windowHours}`);
    const subscribers = props.subscribers ?? { destinationIds: defaults.alertDestinationIds ?? defaults.onFailureWebhookIds };
    const userNames = [...(subscribers.userNames ?? [])];
    const destinationIds = [...(subscribers.destinationIds ?? [])];
    // an environment without failure destinations still gets the alert (its state shows in the
    // workspace); subscribers given explicitly must name someone
    if (props.subscribers && userNames.length + destinationIds.length === 0) throw new PropError(scope, id, 'subscribers', 'notify nobody: give workspace user names or notification destination ids');

    const rows = expectationRowsQuery({
      opsSchema: `${props.catalog}.${props.opsSchema ?? 'ops'}`,
      eventLogTables: pipelineEventLogs(props),
      windowHours,
      sqlOf: (file) => readFileSync(join(props.projectRoot, file), 'utf8'),
    });
    this.queryText = dropRateQueryText(rows);
    // the provider creates a query or alert in parent_path without creating the folder
    // (sql/resource_query.go): the stack creates it, and references it so it comes first
    const folder = props.folder ?? new Directory(this, 'Folder', { path: alertsFolder(workspaceRoot(props.environmentName)) }).path;
    this.query = new Query(this, 'Query', {
      displayName: `${defaults.namePrefix}data quality drop rates`,
      warehouseId: props.warehouseId,
      parentPath: folder,
      queryText: this.queryText,
      parameter: rows.parameters.map(queryParameter),
    });
    const percent = `${+(threshold * 100).toFixed(4)}%`;
    this.alert = new Alert(this, 'Alert', {
      displayName: `${defaults.namePrefix}an expectation dropped more than ${percent} of rows`,
      queryId: this.query.id,
      parentPath: folder,
      secondsToRetrigger: 3600,
      // the query lists every expectation's drop rate, highest first: the alert compares the
      // first row's, so it fires when the highest crosses the threshold
      condition: { op: 'GREATER_THAN', operand: { column: { name: 'drop_rate' } }, threshold: { value: { doubleValue: threshold } }, emptyResultState: 'OK' },
      customSubject: `${defaults.namePrefix}lakehouse data quality: drop rate above ${percent}`,
    });
    this.alertId = this.alert.id;
    this.access = new AlertAccess(this, { alert: 'Permissions', query: 'QueryPermissions' }, { alertId: this.alertId, queryId: this.query.id });

    // A pipeline publishes its event log table on its first update: until every pipeline has
    // run, the query fails (TABLE_OR_VIEW_NOT_FOUND) and would fail the job and page on-call
    // after a fresh deploy. A gate notebook tells whether every event log exists; the alert is
    // evaluated only then, and the run succeeds either way (a condition's false outcome skips
    // its dependants: https://docs.databricks.com/aws/en/jobs/if-else).
    const eventLogs = pipelineEventLogs(props).map((log) => log.table);
    const evaluate = { key: 'evaluate', kind: 'alert', alertId: this.alertId, subscribers: { userNames, destinationIds } } as const;
    const assets = eventLogs.length === 0 ? undefined : (props.assets ?? new WorkspaceAssets(this, 'Assets', { root: workspaceRoot(props.environmentName), baseDir: props.projectRoot }));
    const tasks: DagTask[] = assets
      ? [
          { key: 'event_logs_ready', kind: 'notebook', notebookPath: assets.use(EVENT_LOGS_READY_NOTEBOOK), parameters: { tables: eventLogs.join(',') } },
          { key: 'ready', kind: 'condition', left: '{{tasks.event_logs_ready.values.ready}}', op: 'EQUAL_TO', right: 'true', dependsOn: ['event_logs_ready'] },
          { ...evaluate, dependsOn: [{ key: 'ready', outcome: 'true' }] },
        ]
      : [evaluate];
    this.job = new DagJob(this, 'Job', {
      name: `${defaults.namePrefix}data quality alert`,
      description: `Evaluates the data-quality alert every hour, once every pipeline has published its event log: fires when an expectation dropped more than ${percent} of the rows it checked in the last ${windowHours} hour(s).`,
      tasks,
      warehouseId: props.warehouseId,
      trigger: { type: 'schedule', quartzCron: '0 10 * * * ?' },
      paused: defaults.paused,
      timeoutSeconds: 900,
      tags: { ...defaults.tags, purpose: 'observability' },
      onFailureEmails: defaults.onFailureEmails,
      onFailureWebhookIds: defaults.onFailureWebhookIds,
      runAsServicePrincipal: defaults.runAsServicePrincipal,
    });
    // the job's run-as identity evaluates it; the deploying identity owns the alert already
    if (defaults.runAsServicePrincipal) this.grantRun(defaults.runAsServicePrincipal);
  }

  /** Lets a principal (group, user e-mail or service principal application id) evaluate the alert and run its query (CAN_RUN). */
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

/** Every expectation's drop rate over the window, highest first (rows without one last). */
export function dropRateQueryText(rows: ParameterizedSql): string {
  return [
    '-- Data-quality alert query: every expectation of the pipelines and the job-ingested sources',
    '-- over the last :window_hours hours with its drop rate, highest first; the alert compares the',
    '-- first row. Built from sql/observability/job_expectations.sql and pipeline_expectations.sql.',
    rows.sql,
    'ORDER BY drop_rate DESC NULLS LAST',
  ].join('\n');
}

function queryParameter(parameter: ParameterizedSql['parameters'][number]): QueryParameter {
  const common = { name: parameter.keyword, title: parameter.displayName };
  return parameter.type === 'STRING' ? { ...common, textValue: { value: String(parameter.default) } } : { ...common, numericValue: { value: Number(parameter.default) } };
}

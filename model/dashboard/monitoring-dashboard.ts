/**
 * The monitoring dashboard of one environment, as a `DashboardSpec` (pure: the SQL comes in
 * through `sqlOf`, names through the input): job runs per day and outcome, the success rate
 * and p95 duration of the environment's jobs, pipeline updates and their duration, data
 * quality per expectation (pipelines' event logs and `ops.expectation_results`), and the
 * lineage impact of a chosen table.
 *
 * Every dataset reads `sql/observability/*.sql` as written. What differs per environment
 * reaches the SQL as typed dataset parameters whose defaults are the environment's values
 * (named parameter markers, and `IDENTIFIER(:…)` for table names, as in the job SQL): no
 * environment name is spelt in SQL. Dataset parameters with no filter widget on the canvas
 * keep their default value (Databricks "Work with dashboard parameters": parameters are set
 * by authors, or by viewers through filter widgets; "Use named parameter markers": markers work
 * in the AI/BI dashboard dataset editor with the types String, Integer, Decimal, Date and
 * Timestamp).
 *
 * A pipeline publishes its event log to a table of its own, so the per-pipeline files are
 * repeated once per event log and joined with UNION ALL (`unionOverEventLogs`), each copy with
 * its own markers (`:event_log` becomes `:event_log_<pipeline>`).
 */
import type { DashboardSpec, DatasetSpec, ParameterSpec, WidgetSpec } from './dashboard-spec';

/** The SQL files the dashboard and the data-quality alert read, relative to the project root. */
export const MONITORING_SQL = {
  jobRunsByDay: 'sql/observability/job_runs_by_day.sql',
  jobSuccessSummary: 'sql/observability/job_success_summary.sql',
  jobRunHealth: 'sql/observability/job_run_health.sql',
  jobRunDurations: 'sql/observability/job_run_durations.sql',
  pipelineUpdates: 'sql/observability/pipeline_updates.sql',
  pipelineExpectations: 'sql/observability/pipeline_expectations.sql',
  jobExpectations: 'sql/observability/job_expectations.sql',
  lineageImpact: 'sql/observability/lineage_impact.sql',
} as const;

/** What an expectation does with a row that breaks it (the event log does not say; the pipeline's SQL does). */
export type ExpectationAction = 'drop' | 'fail' | 'warn';

/** A pipeline's published event log, and the actions of its expectations. */
export interface PipelineEventLog {
  /** The pipeline's name in config, e.g. `orders-medallion`. */
  readonly pipeline: string;
  /** Three-part name of the table its event log is published to. */
  readonly table: string;
  /** `<dataset>.<expectation>` → action, for telling dropped rows apart. @default none: no dropped rows are counted */
  readonly expectationActions?: Readonly<Record<string, ExpectationAction>>;
}

/** The columns of every per-expectation row (job_expectations.sql and pipeline_expectations.sql, in this order). */
export const EXPECTATION_COLUMNS = ['origin', 'source', 'dataset', 'expectation', 'action', 'passed_rows', 'failed_rows', 'dropped_rows', 'drop_rate', 'last_checked_at'] as const;

export interface MonitoringDashboardInput {
  /** Prefix of the environment's job and pipeline names, e.g. `[prod] `: picks its jobs and names the dashboard. */
  readonly namePrefix: string;
  /** The environment's ops schema, `<catalog>.<schema>` (as the job SQL's `:ops`). */
  readonly opsSchema: string;
  /** The event logs of the environment's pipelines. */
  readonly eventLogTables: readonly PipelineEventLog[];
  /** Three-part name of the table whose downstream tables the lineage page lists (the `table_name` parameter's default). */
  readonly lineageTable: string;
  /** Days of job runs, pipeline updates and lineage shown. @default 30 */
  readonly lookbackDays?: number;
  /** Hours of expectation results shown. @default 168 (7 days) */
  readonly dataQualityWindowHours?: number;
  /** The text of a project SQL file (a `MONITORING_SQL` path). */
  readonly sqlOf: (file: string) => string;
}

/** A query with the typed parameters its markers need. */
export interface ParameterizedSql {
  readonly sql: string;
  readonly parameters: readonly ParameterSpec[];
}

/** The dashboard's display name. */
export function monitoringDashboardTitle(namePrefix: string): string {
  return `${namePrefix}lakehouse monitoring`;
}

/**
 * `<dataset>.<expectation>=<action>` pairs, sorted and comma-separated, as pipeline_expectations.sql
 * reads `:expectation_actions`; `none` for a pipeline without expectations (it maps nothing, and
 * unlike an empty string it reaches the API: the provider skips empty values read with GetOk).
 */
export function expectationActionsValue(actions: Readonly<Record<string, ExpectationAction>> = {}): string {
  const pairs = Object.entries(actions)
    .sort(([a], [b]) => compare(a, b))
    .map(([key, action]) => `${key}=${action}`);
  return pairs.length > 0 ? pairs.join(',') : 'none';
}

/**
 * A per-pipeline file once per event log, joined with UNION ALL; each copy gets its own
 * markers for the keywords in `perPipeline` (`:event_log` → `:event_log_orders_medallion`),
 * with the values `valuesOf` gives. Markers not listed (`:lookback_days`…) are shared. No
 * event log gives a query of the same columns that returns no rows.
 */
export function unionOverEventLogs(
  sql: string,
  eventLogs: readonly PipelineEventLog[],
  perPipeline: readonly { readonly keyword: string; readonly displayName: string; readonly valueOf: (log: PipelineEventLog) => string }[],
  emptyColumns: readonly string[],
): ParameterizedSql {
  if (eventLogs.length === 0) return { sql: `SELECT ${emptyColumns.map((column) => `NULL AS ${column}`).join(', ')}\nLIMIT 0`, parameters: [] };
  const suffixes = new Map<string, string>();
  for (const log of eventLogs) {
    const suffix = log.pipeline.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
    const clash = [...suffixes].find(([, other]) => other === suffix);
    if (clash) throw new Error(`pipelines "${clash[0]}" and "${log.pipeline}" give the same parameter suffix "${suffix}"`);
    suffixes.set(log.pipeline, suffix);
  }
  const branches = eventLogs.map((log) => {
    const suffix = suffixes.get(log.pipeline)!;
    const renamed = perPipeline.reduce((text, parameter) => renameMarker(text, parameter.keyword, `${parameter.keyword}_${suffix}`), statementBody(sql));
    return `SELECT * FROM (\n${renamed}\n)`;
  });
  const parameters: ParameterSpec[] = eventLogs.flatMap((log) =>
    perPipeline.map((parameter) => ({
      keyword: `${parameter.keyword}_${suffixes.get(log.pipeline)!}`,
      displayName: `${parameter.displayName} (${log.pipeline})`,
      type: 'STRING' as const,
      default: parameter.valueOf(log),
    })),
  );
  return { sql: branches.join('\nUNION ALL\n'), parameters };
}

/**
 * Data quality per expectation over the last `windowHours` hours: the job-ingested sources'
 * results (ops.expectation_results) and every pipeline's event log, one row per source,
 * dataset, expectation and action, with the columns `EXPECTATION_COLUMNS`.
 */
export function expectationRowsQuery(input: {
  readonly opsSchema: string;
  readonly eventLogTables: readonly PipelineEventLog[];
  readonly windowHours: number;
  readonly sqlOf: (file: string) => string;
}): ParameterizedSql {
  const pipelines = unionOverEventLogs(
    input.sqlOf(MONITORING_SQL.pipelineExpectations),
    input.eventLogTables,
    [
      { keyword: 'event_log', displayName: 'Event log', valueOf: (log) => log.table },
      { keyword: 'expectation_actions', displayName: 'Expectation actions', valueOf: (log) => expectationActionsValue(log.expectationActions) },
    ],
    EXPECTATION_COLUMNS,
  );
  const jobs = `SELECT * FROM (\n${statementBody(input.sqlOf(MONITORING_SQL.jobExpectations))}\n)`;
  return {
    sql: input.eventLogTables.length === 0 ? jobs : `${jobs}\nUNION ALL\n${pipelines.sql}`,
    parameters: [
      { keyword: 'ops', displayName: 'Ops schema', type: 'STRING', default: input.opsSchema },
      { keyword: 'window_hours', displayName: 'Window (hours)', type: 'INTEGER', default: input.windowHours },
      ...pipelines.parameters,
    ],
  };
}

/** The monitoring dashboard of one environment; `dashboardProblems` finds none in it. */
export function monitoringDashboardSpec(input: MonitoringDashboardInput): DashboardSpec {
  const lookbackDays = input.lookbackDays ?? 30;
  const windowHours = input.dataQualityWindowHours ?? 168;
  for (const [name, value] of [['lookbackDays', lookbackDays], ['dataQualityWindowHours', windowHours]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, got ${value}`);
  }
  const lookback: ParameterSpec = { keyword: 'lookback_days', displayName: 'Lookback (days)', type: 'INTEGER', default: lookbackDays };
  const jobParameters: ParameterSpec[] = [lookback, { keyword: 'name_prefix', displayName: 'Job name prefix', type: 'STRING', default: input.namePrefix }];
  const file = (path: string) => statementBody(input.sqlOf(path));

  const updates = unionOverEventLogs(
    input.sqlOf(MONITORING_SQL.pipelineUpdates),
    input.eventLogTables,
    [{ keyword: 'event_log', displayName: 'Event log', valueOf: (log) => log.table }],
    PIPELINE_UPDATE_COLUMNS,
  );
  const expectations = expectationRowsQuery({ opsSchema: input.opsSchema, eventLogTables: input.eventLogTables, windowHours, sqlOf: input.sqlOf });

  const datasets: DatasetSpec[] = [
    { name: 'job_success', displayName: 'Job success summary', sql: file(MONITORING_SQL.jobSuccessSummary), columns: ['runs', 'succeeded', 'failed', 'success_rate_pct', 'p95_duration_seconds'], parameters: jobParameters },
    { name: 'job_runs_by_day', displayName: 'Job runs per day and outcome', sql: file(MONITORING_SQL.jobRunsByDay), columns: ['run_date', 'outcome', 'runs'], parameters: jobParameters },
    {
      name: 'job_health',
      displayName: 'Job health per job',
      sql: file(MONITORING_SQL.jobRunHealth),
      columns: ['job_name', 'job_id', 'runs', 'succeeded', 'failed', 'success_rate_pct', 'p95_duration_seconds', 'last_run_started_at'],
      parameters: jobParameters,
    },
    { name: 'job_durations', displayName: 'Job run durations per day', sql: file(MONITORING_SQL.jobRunDurations), columns: ['run_date', 'job_name', 'p95_duration_seconds', 'max_duration_seconds'], parameters: jobParameters },
    // :lookback_days is shared by every pipeline's copy of the SQL; it is absent when no pipeline is
    { name: 'pipeline_updates', displayName: 'Pipeline updates', sql: updates.sql, columns: [...PIPELINE_UPDATE_COLUMNS], parameters: input.eventLogTables.length > 0 ? [lookback, ...updates.parameters] : [] },
    { name: 'expectations', displayName: 'Data quality per expectation', sql: expectations.sql, columns: [...EXPECTATION_COLUMNS], parameters: expectations.parameters },
    {
      name: 'lineage_impact',
      displayName: 'Lineage impact',
      sql: file(MONITORING_SQL.lineageImpact),
      columns: ['table_full_name', 'hops', 'shortest_path'],
      parameters: [{ keyword: 'table_name', displayName: 'Table (catalog.schema.table)', type: 'STRING', default: input.lineageTable }, lookback],
    },
  ];

  const jobs: WidgetSpec[] = [
    { kind: 'text', name: 'jobs_intro', markdown: `## Jobs\n\nRuns of the jobs named \`${input.namePrefix}…\` over the last ${lookbackDays} days, from \`system.lakeflow\`.`, position: at(0, 0, 6, 1) },
    { kind: 'counter', name: 'job_success_rate', dataset: 'job_success', title: 'Success rate (%)', value: 'success_rate_pct', position: at(0, 1, 2, 2) },
    { kind: 'counter', name: 'job_runs_total', dataset: 'job_success', title: 'Runs', value: 'runs', position: at(2, 1, 2, 2) },
    { kind: 'counter', name: 'job_runs_failed', dataset: 'job_success', title: 'Failed runs', value: 'failed', position: at(4, 1, 2, 2) },
    { kind: 'bar', name: 'runs_per_job', dataset: 'job_health', title: 'Runs per job', x: 'job_name', y: 'runs', position: at(0, 3, 3, 5) },
    { kind: 'bar', name: 'p95_per_job', dataset: 'job_health', title: 'p95 run duration per job (s)', x: 'job_name', y: 'p95_duration_seconds', position: at(3, 3, 3, 5) },
    { kind: 'bar', name: 'runs_per_day', dataset: 'job_runs_by_day', title: 'Runs per day and outcome', x: 'run_date', y: 'runs', color: 'outcome', xScale: 'temporal', position: at(0, 8, 6, 5) },
    { kind: 'line', name: 'run_durations', dataset: 'job_durations', title: 'p95 run duration per day (s)', x: 'run_date', y: 'p95_duration_seconds', color: 'job_name', position: at(0, 13, 6, 5) },
    {
      kind: 'table',
      name: 'job_health_table',
      dataset: 'job_health',
      title: 'Job health',
      columns: ['job_name', 'runs', 'succeeded', 'failed', 'success_rate_pct', 'p95_duration_seconds', 'last_run_started_at'],
      position: at(0, 18, 6, 6),
    },
  ];
  const pipelines: WidgetSpec[] = [
    { kind: 'text', name: 'pipelines_intro', markdown: `## Pipeline updates\n\nFrom the event log each pipeline publishes to \`${input.opsSchema}\`, over the last ${lookbackDays} days.`, position: at(0, 0, 6, 1) },
    { kind: 'line', name: 'update_durations', dataset: 'pipeline_updates', title: 'Update duration (s)', x: 'started_at', y: 'duration_seconds', color: 'pipeline', position: at(0, 1, 6, 5) },
    { kind: 'table', name: 'updates_table', dataset: 'pipeline_updates', title: 'Updates', columns: ['pipeline', 'update_id', 'state', 'started_at', 'ended_at', 'duration_seconds'], position: at(0, 6, 6, 6) },
  ];
  const quality: WidgetSpec[] = [
    {
      kind: 'text',
      name: 'quality_intro',
      markdown: `## Data quality\n\nRows that passed, failed and were dropped per expectation over the last ${windowHours} hours: pipelines from their event logs, job-ingested sources from \`${input.opsSchema}.expectation_results\`.`,
      position: at(0, 0, 6, 1),
    },
    { kind: 'bar', name: 'dropped_per_expectation', dataset: 'expectations', title: 'Dropped rows per expectation', x: 'expectation', y: 'dropped_rows', color: 'source', position: at(0, 1, 6, 5) },
    { kind: 'table', name: 'expectations_table', dataset: 'expectations', title: 'Expectations', columns: [...EXPECTATION_COLUMNS], position: at(0, 6, 6, 7) },
  ];
  const lineage: WidgetSpec[] = [
    {
      kind: 'text',
      name: 'lineage_intro',
      markdown: `## Lineage impact\n\nEvery table downstream of \`${input.lineageTable}\` (the \`table_name\` parameter), however many hops away, from \`system.access.table_lineage\`.`,
      position: at(0, 0, 6, 1),
    },
    { kind: 'table', name: 'lineage_table', dataset: 'lineage_impact', title: 'Downstream tables', columns: ['table_full_name', 'hops', 'shortest_path'], position: at(0, 1, 6, 8) },
  ];

  return {
    title: monitoringDashboardTitle(input.namePrefix),
    datasets,
    pages: [
      { name: 'jobs', displayName: 'Jobs', widgets: jobs },
      { name: 'pipelines', displayName: 'Pipelines', widgets: pipelines },
      { name: 'data_quality', displayName: 'Data quality', widgets: quality },
      { name: 'lineage', displayName: 'Lineage', widgets: lineage },
    ],
  };
}

/** The columns of pipeline_updates.sql. */
const PIPELINE_UPDATE_COLUMNS = ['pipeline', 'update_id', 'state', 'started_at', 'ended_at', 'duration_seconds'] as const;

function at(x: number, y: number, width: number, height: number) {
  return { x, y, width, height };
}

/** A file's one statement, without its trailing semicolon, to nest in a larger query. */
export function statementBody(sql: string): string {
  return sql.trimEnd().replace(/;$/, '');
}

/** `:keyword` renamed as a named parameter marker: not part of a `::` cast, a JSON path (`details:x`) nor a longer name. */
function renameMarker(sql: string, keyword: string, renamed: string): string {
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return sql.replace(new RegExp(`(?<![:\\w$]):${escaped}(?!\\w)`, 'g'), `:${renamed}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Directory } from '@cdktn/provider-databricks/lib/directory';
import { DatabricksProvider } from '@cdktn/provider-databricks/lib/provider';
import { TerraformStack, Testing } from 'cdktn';
import { monitoringDashboardPicture, MONITORING_DASHBOARD_PICTURE } from '../../../app/generated-files';
import { checkGuardrails } from '../../../checks/guardrails';
import { checkStack } from '../../../checks/json-rules';
import { checkSqlText } from '../../../checks/sql-rules';
import { parseSynthesizedStack } from '../../../checks/synthesized-stack';
import { MARKER } from '../../../checks/sql-rules/marker-placement';
import { environments } from '../../../config/environments';
import { loadEnvironments } from '../../../config/load-config';
import { theProject } from '../../../config/project';
import { MonitoringDashboard, MonitoringDashboardProps, pipelineEventLogs } from '../../../constructs/monitoring-dashboard';
import type { DashboardSpec } from '../../../model/dashboard/dashboard-spec';
import { EXPECTATION_COLUMNS, MONITORING_SQL, expectationActionsValue, monitoringDashboardSpec, unionOverEventLogs } from '../../../model/dashboard/monitoring-dashboard';
import { serializeDashboard } from '../../../model/dashboard/serialize';
import { dashboardProblems } from '../../../model/dashboard/validate';
import { alertsFolder, resourcePrefix, workspaceRoot } from '../../../model/naming';
import { blankSql } from '../../../sql-lang/sql-text';
import { checkSqlSyntax, initSqlParser } from '../../../sql-lang/syntax';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = resolve(__dirname, '..', '..', '..');
const sqlOf = (file: string) => readFileSync(join(root, file), 'utf8');
const project = theProject();
const all = loadEnvironments(environments);

function specOf(environment: (typeof all)[number], pipelines = project.pipelines): DashboardSpec {
  const { catalog } = environment;
  return monitoringDashboardSpec({
    namePrefix: resourcePrefix(environment.name),
    opsSchema: `${catalog.name}.${catalog.schemas.ops}`,
    eventLogTables: pipelineEventLogs({ catalog: catalog.name, opsSchema: catalog.schemas.ops, pipelines, projectRoot: root }),
    lineageTable: `${catalog.name}.${catalog.schemas.silver}.orders`,
    sqlOf,
  });
}

/** The named parameter markers a query uses (comments and string literals left out). */
function markersOf(sql: string): string[] {
  return [...new Set([...blankSql(sql).matchAll(MARKER)].map((m) => m[1]))].sort();
}

beforeAll(() => initSqlParser());

describe.each(all.map((e) => [e.name, e] as const))('the monitoring dashboard spec of %s', (name, environment) => {
  const spec = specOf(environment);

  it('has no problems and serializes', () => {
    expect(dashboardProblems(spec)).toEqual([]);
    expect(() => JSON.parse(serializeDashboard(spec))).not.toThrow();
    expect(spec.title).toBe(`[${name}] lakehouse monitoring`);
  });

  it.each(spec.datasets.map((d) => [d.name, d] as const))('dataset %s passes the SQL rules and parses as Databricks SQL', (_dataset, dataset) => {
    expect(checkSqlText(`dataset ${dataset.name}`, dataset.sql, 'job')).toEqual([]);
    expect(checkSqlSyntax(`dataset ${dataset.name}`, dataset.sql)).toBeUndefined();
  });

  it('declares every marker its SQL uses as a typed parameter, and no other', () => {
    for (const dataset of spec.datasets) {
      expect([dataset.name, (dataset.parameters ?? []).map((p) => p.keyword).sort()]).toEqual([dataset.name, markersOf(dataset.sql)]);
      for (const parameter of dataset.parameters ?? []) expect(['STRING', 'INTEGER']).toContain(parameter.type);
    }
  });

  it("gets the environment's names through parameter defaults, never in the SQL text", () => {
    const other = specOf(all.find((e) => e.name !== name) ?? environment);
    expect(spec.datasets.map((d) => d.sql)).toEqual(other.datasets.map((d) => d.sql));
    for (const dataset of spec.datasets) {
      // comments may give examples; the code names nothing of an environment
      const code = blankSql(dataset.sql);
      expect(code).not.toContain(environment.catalog.name);
      expect(code).not.toContain(`[${name}]`);
    }
    const defaults = Object.fromEntries(spec.datasets.flatMap((d) => (d.parameters ?? []).map((p) => [`${d.name}.${p.keyword}`, p.default])));
    expect(defaults['job_health.name_prefix']).toBe(`[${name}] `);
    expect(defaults['expectations.ops']).toBe(`${environment.catalog.name}.${environment.catalog.schemas.ops}`);
    expect(defaults['expectations.event_log_orders_medallion']).toBe(`${environment.catalog.name}.${environment.catalog.schemas.ops}.orders_medallion_event_log`);
    expect(defaults['pipeline_updates.event_log_user_analytics']).toBe(`${environment.catalog.name}.${environment.catalog.schemas.ops}.user_analytics_event_log`);
    expect(defaults['lineage_impact.table_name']).toBe(`${environment.catalog.name}.${environment.catalog.schemas.silver}.orders`);
  });
});

describe('the monitoring dashboard spec', () => {
  const [environment] = all;
  const spec = specOf(environment);
  const dataset = (name: string) => spec.datasets.find((d) => d.name === name)!;
  const widgets = spec.pages.flatMap((p) => p.widgets);

  it('reads the observability SQL files as written', () => {
    expect(dataset('job_health').sql).toBe(sqlOf(MONITORING_SQL.jobRunHealth).trimEnd().replace(/;$/, ''));
    expect(dataset('lineage_impact').sql).toBe(sqlOf(MONITORING_SQL.lineageImpact).trimEnd().replace(/;$/, ''));
    expect(dataset('job_runs_by_day').sql).toContain('startswith(j.name, :name_prefix)');
  });

  it('shows counters for the success rate, a bar of runs per job, lines of durations, a table of expectations and the lineage table', () => {
    expect(widgets.find((w) => w.name === 'job_success_rate')).toMatchObject({ kind: 'counter', dataset: 'job_success', value: 'success_rate_pct' });
    expect(widgets.find((w) => w.name === 'runs_per_job')).toMatchObject({ kind: 'bar', dataset: 'job_health', x: 'job_name', y: 'runs' });
    expect(widgets.find((w) => w.name === 'runs_per_day')).toMatchObject({ kind: 'bar', dataset: 'job_runs_by_day', x: 'run_date', y: 'runs', color: 'outcome' });
    expect(widgets.find((w) => w.name === 'run_durations')).toMatchObject({ kind: 'line', dataset: 'job_durations', y: 'p95_duration_seconds' });
    expect(widgets.find((w) => w.name === 'update_durations')).toMatchObject({ kind: 'line', dataset: 'pipeline_updates', y: 'duration_seconds', color: 'pipeline' });
    expect(widgets.find((w) => w.name === 'expectations_table')).toMatchObject({ kind: 'table', dataset: 'expectations', columns: [...EXPECTATION_COLUMNS] });
    expect(widgets.find((w) => w.name === 'lineage_table')).toMatchObject({ kind: 'table', dataset: 'lineage_impact' });
    expect(dataset('lineage_impact').parameters?.find((p) => p.keyword === 'table_name')?.type).toBe('STRING');
  });

  it("unions the job results with every pipeline's event log, each with its own markers", () => {
    const sql = dataset('expectations').sql;
    expect(sql).toContain("IDENTIFIER(:ops || '.expectation_results')");
    for (const pipeline of project.pipelines) {
      const suffix = pipeline.name.replace(/-/g, '_');
      expect(sql).toContain(`IDENTIFIER(:event_log_${suffix})`);
      expect(sql).toContain(`:expectation_actions_${suffix}`);
    }
    expect(sql.split('\nUNION ALL\n')).toHaveLength(1 + project.pipelines.length);
    expect(sql).not.toMatch(/:event_log(?!_)/);
  });

  it("tells dropped rows apart by the actions of the pipeline's expectations, read from its SQL", () => {
    const parameter = dataset('expectations').parameters!.find((p) => p.keyword === 'expectation_actions_orders_medallion')!;
    expect(String(parameter.default).split(',')).toEqual(
      expect.arrayContaining(['silver_orders.positive_amount=drop', 'silver_orders.has_event_time=fail', 'silver_orders.known_status=warn']),
    );
    expect(expectationActionsValue({})).toBe('none');
    expect(expectationActionsValue({ 'b.y': 'warn', 'a.x': 'drop' })).toBe('a.x=drop,b.y=warn');
  });

  it('still has no problems, and parses, with no pipelines', async () => {
    const empty = specOf(environment, []);
    expect(dashboardProblems(empty)).toEqual([]);
    for (const d of empty.datasets) {
      expect(checkSqlText(d.name, d.sql, 'job')).toEqual([]);
      expect(checkSqlSyntax(d.name, d.sql)).toBeUndefined();
      expect((d.parameters ?? []).map((p) => p.keyword).sort()).toEqual(markersOf(d.sql));
    }
    expect(unionOverEventLogs('SELECT 1 AS a FROM IDENTIFIER(:event_log)', [], [], ['a', 'b']).sql).toBe('SELECT NULL AS a, NULL AS b\nLIMIT 0');
  });

  it('refuses two pipelines whose names give one parameter suffix', () => {
    const logs = [
      { pipeline: 'a-b', table: 'c.ops.a_b_event_log' },
      { pipeline: 'a_b', table: 'c.ops.a_b2_event_log' },
    ];
    expect(() => unionOverEventLogs('SELECT 1 FROM IDENTIFIER(:event_log)', logs, [{ keyword: 'event_log', displayName: 'Event log', valueOf: (l) => l.table }], ['x'])).toThrow(/same parameter suffix "a_b"/);
  });
});

describe('MonitoringDashboard', () => {
  const [environment] = all;
  const props = (overrides: Partial<MonitoringDashboardProps> = {}): MonitoringDashboardProps => ({
    environmentName: environment.name,
    namePrefix: resourcePrefix(environment.name),
    warehouseId: 'abcdef0123456789',
    catalog: environment.catalog.name,
    opsSchema: environment.catalog.schemas.ops,
    pipelines: project.pipelines,
    lineageTable: `${environment.catalog.name}.silver.orders`,
    projectRoot: root,
    ...overrides,
  });
  const synth = (build: (stack: TerraformStack) => void): Json => {
    const stack = new TerraformStack(Testing.app(), 'monitoring');
    new DatabricksProvider(stack, 'databricks', { host: 'https://example.cloud.databricks.com' });
    build(stack);
    return JSON.parse(Testing.synth(stack, true)) as Json;
  };

  const out = synth((stack) => new MonitoringDashboard(stack, 'MonitoringDashboard', props()));
  const [[directoryId, directory]] = Object.entries(out.resource.databricks_directory as Record<string, Json>);
  const [dashboard] = Object.values(out.resource.databricks_dashboard as Record<string, Json>);

  it('deploys a dashboard named after the environment, on its warehouse, in a folder the stack creates first', () => {
    expect(dashboard.display_name).toBe(`[${environment.name}] lakehouse monitoring`);
    expect(dashboard.warehouse_id).toBe('abcdef0123456789');
    expect(directory.path).toBe(alertsFolder(workspaceRoot(environment.name)));
    expect(dashboard.parent_path).toBe(`\${databricks_directory.${directoryId}.path}`);
    expect(dashboard.embed_credentials).toBe(false);
  });

  it('has a serialized_dashboard that is valid JSON with every dataset, the table names resolved', () => {
    const definition = JSON.parse(dashboard.serialized_dashboard as string) as Json;
    expect(definition.datasets.map((d: Json) => d.name)).toEqual(['job_success', 'job_runs_by_day', 'job_health', 'job_durations', 'pipeline_updates', 'expectations', 'lineage_impact']);
    expect(definition.pages.map((p: Json) => p.name)).toEqual(['jobs', 'pipelines', 'data_quality', 'lineage']);
    const expectations = definition.datasets.find((d: Json) => d.name === 'expectations');
    const eventLog = expectations.parameters.find((p: Json) => p.keyword === 'event_log_orders_medallion');
    expect(eventLog.defaultSelection.values.values).toEqual([{ value: `${environment.catalog.name}.${environment.catalog.schemas.ops}.orders_medallion_event_log` }]);
    // Terraform would read ${…} or %{…} in a string as an interpolation or a directive
    expect(dashboard.serialized_dashboard).not.toMatch(/[$%]\{/);
  });

  it('passes the fidelity rules and the guardrails', () => {
    const stack = parseSynthesizedStack('monitoring', 'cdk.tf.json', JSON.stringify(out));
    expect(checkStack(stack)).toEqual([]);
    expect(checkGuardrails(stack, { production: true, pauseTriggers: false })).toEqual([]);
  });

  it('grants no permission until asked', () => {
    expect(out.resource.databricks_permissions).toBeUndefined();
  });

  it('grantView adds CAN_RUN (or CAN_READ) on the dashboard, one databricks_permissions for all', () => {
    const granted = synth((stack) => {
      const board = new MonitoringDashboard(stack, 'MonitoringDashboard', props());
      board.grantView('data-readers');
      board.grantView('analyst@example.com', 'CAN_READ');
      board.grantView('data-readers', 'CAN_READ');
    });
    const [[dashboardId]] = Object.entries(granted.resource.databricks_dashboard as Record<string, Json>);
    const permissions = Object.values(granted.resource.databricks_permissions as Record<string, Json>);
    expect(permissions).toHaveLength(1);
    expect(permissions[0].dashboard_id).toBe(`\${databricks_dashboard.${dashboardId}.id}`);
    expect(permissions[0].access_control).toEqual([
      { user_name: 'analyst@example.com', permission_level: 'CAN_READ' },
      { group_name: 'data-readers', permission_level: 'CAN_RUN' },
    ]);
  });

  it('reuses a folder passed in instead of creating one', () => {
    const shared = synth((stack) => {
      const folder = new Directory(stack, 'Shared', { path: '/Shared/lakehouse/x/alerts' });
      new MonitoringDashboard(stack, 'MonitoringDashboard', props({ folder: folder.path }));
    });
    expect(Object.keys(shared.resource.databricks_directory)).toHaveLength(1);
    const [board] = Object.values(shared.resource.databricks_dashboard as Record<string, Json>);
    expect(board.parent_path).toMatch(/^\$\{databricks_directory\.Shared\.path\}$/);
  });

  it.each([
    ['lineageTable', { lineageTable: 'orders' }, /prop "lineageTable" "orders" must be a three-part name/],
    ['lookbackDays', { lookbackDays: 0 }, /prop "lookbackDays" must be a whole number of at least 1, got 0/],
    ['dataQualityWindowHours', { dataQualityWindowHours: 1.5 }, /prop "dataQualityWindowHours"/],
  ] as const)('refuses a bad %s', (_field, overrides, message) => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    expect(() => new MonitoringDashboard(stack, 'MonitoringDashboard', props(overrides as Partial<MonitoringDashboardProps>))).toThrow(message);
  });
});

describe(MONITORING_DASHBOARD_PICTURE, () => {
  it('is up to date with the dashboard spec (run `npm run generate`)', () => {
    expect(readFileSync(join(root, MONITORING_DASHBOARD_PICTURE), 'utf8')).toBe(monitoringDashboardPicture(project, root));
  });

  it('draws every page and widget', () => {
    const svg = monitoringDashboardPicture(project, root);
    for (const page of ['Jobs', 'Pipelines', 'Data quality', 'Lineage']) expect(svg).toContain(`>${page}</text>`);
    expect(svg).toContain('Runs per job');
    expect(svg).toContain('lakehouse monitoring');
  });
});

/**
 * The Lakeview (AI/BI) dashboard definition of a `DashboardSpec`: the JSON string that
 * `databricks_dashboard.serialized_dashboard` takes, in the format of a `.lvdash.json` file.
 * Deterministic: the same spec gives a byte-identical string (keys in a fixed order, spec order
 * kept for datasets and pages, layout entries sorted by grid position).
 *
 * Format sources (public material read while writing this; no code copied):
 * - databricks/terraform-provider-databricks docs/resources/dashboard.md: `serialized_dashboard`
 *   is the dashboard's contents in serialized string form (example `{"pages":[{"name":…,"displayName":…}]}`);
 *   `display_name`, `warehouse_id`, `parent_path` are resource attributes, not part of the JSON.
 * - databricks/bundle-examples knowledge_base/dashboard_nyc_taxi/src/nyc_taxi_trip_analysis.lvdash.json
 *   (a dashboard exported from a workspace): layout entries `{widget, position {x, y, width, height}}`
 *   on a 6-column grid; `queries: [{name: "main_query", query: {datasetName, fields: [{name, expression}],
 *   disaggregated}}]`; `spec {version, widgetType, encodings, frame {showTitle, title}}`; counter
 *   version 2 with `encodings.value {fieldName, displayName}`; bar version 3 with `x`/`y`/`color`
 *   `{fieldName, scale {type}, displayName}`; table version 1 with `encodings.columns [{fieldName, displayName, …}]`.
 * - databricks/bundle-examples contrib/helen_databricks_cost_dashboard/src/helen_databricks_cost_dashboard.lvdash.json:
 *   line version 3 (temporal x); dataset `parameters [{displayName, keyword, dataType,
 *   defaultSelection {values {dataType, values [{value}]}}}]`.
 * - databrickslabs/dqx src/databricks/labs/dqx/dashboards/DQX_Data_Quality_Dashboard.lvdash.json and
 *   databricks/bundle-examples contrib/databricks_ingestion_monitoring/generic_sdp_monitoring_dab/dashboards/
 *   SDP Monitoring Dashboard Template.lvdash.json: datasets `{name, displayName, queryLines, parameters}`,
 *   `queryLines` = the SQL cut after each newline (every line keeps its "\n"; joined they give the SQL back);
 *   parameter data types STRING, DATE, DATETIME.
 * - databricks/cli acceptance/bundle/generate/dashboard/out/dashboard/test_dashboard.lvdash.json
 *   (generated from a workspace): pages `{displayName, layout, name, pageType: "PAGE_TYPE_CANVAS"}`.
 * - databricks/bundle-examples deco_is_awesome/src/bookings_overview.lvdash.json: a hand-written
 *   definition with `queryLines` and a `disaggregated: true` counter, deployed by a bundle.
 * - Text widgets `{name, multilineTextboxSpec {lines}}`, lines cut like `queryLines`: exported
 *   dashboards found in the public code index (the index did not name their repositories); the
 *   2023 NYC taxi export above still uses the older `textbox_spec` string.
 * - Databricks docs "Manage dashboards with Workspace APIs" (learn.microsoft.com/azure/databricks/
 *   dashboards/tutorials/workspace-lakeview-api): dashboards are `.lvdash.json` files, the Lakeview
 *   API's `serialized_dashboard` is their content.
 */
import { dashboardProblems } from './validate';
import { widgetFields, type AxisScale, type DashboardSpec, type DataWidgetSpec, type DatasetSpec, type PageSpec, type ParameterSpec, type WidgetSpec } from './dashboard-spec';

/** Widget spec versions as Databricks exports them (see the sources above). */
export const WIDGET_VERSIONS = { counter: 2, table: 1, bar: 3, line: 3 } as const;

/** The query name Lakeview gives a visualization's own query. */
export const MAIN_QUERY = 'main_query';

/** The spec as a Lakeview definition; throws, listing every problem, when `dashboardProblems` finds any. */
export function serializeDashboard(spec: DashboardSpec): string {
  const problems = dashboardProblems(spec);
  if (problems.length > 0) {
    throw new Error(`dashboard "${spec.title}" is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  return JSON.stringify({ datasets: spec.datasets.map(dataset), pages: spec.pages.map(page) }, null, 2);
}

/**
 * Text cut after each newline, as Lakeview stores SQL (`queryLines`) and markdown (`lines`):
 * every line keeps its line break, so joining the lines gives the text back exactly.
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    lines.push(text.slice(start, newline + 1));
    start = newline + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

function dataset(spec: DatasetSpec): object {
  const parameters = spec.parameters ?? [];
  return {
    name: spec.name,
    displayName: spec.displayName,
    queryLines: splitLines(spec.sql),
    ...(parameters.length > 0 ? { parameters: parameters.map(parameter) } : {}),
  };
}

function parameter(spec: ParameterSpec): object {
  return {
    displayName: spec.displayName,
    keyword: spec.keyword,
    dataType: spec.type,
    defaultSelection: { values: { dataType: spec.type, values: [{ value: String(spec.default) }] } },
  };
}

function page(spec: PageSpec): object {
  const widgets = [...spec.widgets].sort(
    (a, b) => a.position.y - b.position.y || a.position.x - b.position.x || compare(a.name, b.name),
  );
  return { name: spec.name, displayName: spec.displayName, layout: widgets.map(layoutEntry), pageType: 'PAGE_TYPE_CANVAS' };
}

function layoutEntry(spec: WidgetSpec): object {
  const { x, y, width, height } = spec.position;
  return { widget: widget(spec), position: { x, y, width, height } };
}

function widget(spec: WidgetSpec): object {
  if (spec.kind === 'text') return { name: spec.name, multilineTextboxSpec: { lines: splitLines(spec.markdown) } };
  return {
    name: spec.name,
    queries: [
      {
        name: MAIN_QUERY,
        query: {
          datasetName: spec.dataset,
          fields: widgetFields(spec).map((column) => ({ name: column, expression: quoteIdentifier(column) })),
          // The dataset's SQL already aggregates: widgets show its rows as they are.
          disaggregated: true,
        },
      },
    ],
    spec: {
      version: WIDGET_VERSIONS[spec.kind],
      widgetType: spec.kind,
      encodings: encodings(spec),
      frame: spec.title === undefined ? { showTitle: false } : { showTitle: true, title: spec.title },
    },
  };
}

function encodings(spec: DataWidgetSpec): object {
  switch (spec.kind) {
    case 'counter':
      return { value: { fieldName: spec.value, displayName: spec.title ?? spec.value } };
    case 'table':
      return { columns: widgetFields(spec).map((column) => ({ fieldName: column, displayName: column })) };
    case 'bar':
    case 'line': {
      const xScale: AxisScale = spec.xScale ?? (spec.kind === 'bar' ? 'categorical' : 'temporal');
      return {
        x: axis(spec.x, xScale),
        y: axis(spec.y, 'quantitative'),
        ...(spec.color === undefined ? {} : { color: axis(spec.color, 'categorical') }),
      };
    }
  }
}

function axis(column: string, scale: AxisScale): object {
  return { fieldName: column, scale: { type: scale }, displayName: column };
}

/** A column as a Databricks SQL identifier: backquoted, inner backquotes doubled. */
function quoteIdentifier(column: string): string {
  return `\`${column.replace(/`/g, '``')}\``;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

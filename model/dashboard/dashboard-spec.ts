/**
 * The small typed description of a Lakeview (AI/BI) dashboard that the project writes.
 * `serializeDashboard` (serialize.ts) turns it into the definition that `databricks_dashboard`
 * takes as `serialized_dashboard`; `dashboardProblems` (validate.ts) checks it offline.
 * See serialize.ts for the format and the sources it follows.
 */

/** Lakeview pages are laid out on a grid 6 columns wide; rows grow downwards without limit. */
export const GRID_COLUMNS = 6;

/** Data types of a dataset parameter, as the `dataType` of a Lakeview parameter. */
export type ParameterType = 'STRING' | 'INTEGER' | 'DECIMAL' | 'DATE' | 'DATETIME';

/** A named parameter marker (`:keyword`) of a dataset's SQL, with the value used by default. */
export interface ParameterSpec {
  readonly keyword: string;
  readonly displayName: string;
  readonly type: ParameterType;
  readonly default: string | number;
}

export interface DatasetSpec {
  /** Identifier widgets refer to (`datasetName`). */
  readonly name: string;
  /** Shown in the dashboard's Data tab. */
  readonly displayName: string;
  /** The query, kept intact (line breaks included). */
  readonly sql: string;
  /** Columns the query returns: what widgets may use, checked offline by `dashboardProblems`. */
  readonly columns: readonly string[];
  readonly parameters?: readonly ParameterSpec[];
}

/** A widget's place on the page grid: columns 0..5 across, rows downwards, sizes in cells. */
export interface GridPosition {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface WidgetBase {
  /** Unique across the dashboard. */
  readonly name: string;
  readonly position: GridPosition;
}

interface DataWidgetBase extends WidgetBase {
  /** Name of the dataset the widget queries. */
  readonly dataset: string;
  /** Frame title; none shows no title. */
  readonly title?: string;
}

/** One number: the value of `value` in the dataset's (single-row) result. */
export interface CounterWidgetSpec extends DataWidgetBase {
  readonly kind: 'counter';
  readonly value: string;
}

/** The dataset's rows, these columns in this order. */
export interface TableWidgetSpec extends DataWidgetBase {
  readonly kind: 'table';
  readonly columns: readonly string[];
}

/** How a chart reads its x column: categories, time or numbers. */
export type AxisScale = 'categorical' | 'temporal' | 'quantitative';

/** A bar or line chart of `y` against `x`, one series per value of `color` when given. */
export interface ChartWidgetSpec extends DataWidgetBase {
  readonly kind: 'bar' | 'line';
  readonly x: string;
  readonly y: string;
  readonly color?: string;
  /** Default: categorical for bars, temporal for lines. */
  readonly xScale?: AxisScale;
}

/** Markdown text; it queries no dataset. */
export interface TextWidgetSpec extends WidgetBase {
  readonly kind: 'text';
  readonly markdown: string;
}

export type DataWidgetSpec = CounterWidgetSpec | TableWidgetSpec | ChartWidgetSpec;
export type WidgetSpec = DataWidgetSpec | TextWidgetSpec;

export interface PageSpec {
  readonly name: string;
  readonly displayName: string;
  readonly widgets: readonly WidgetSpec[];
}

export interface DashboardSpec {
  /** The dashboard's display name (`display_name` of the resource; not part of the definition). */
  readonly title: string;
  readonly datasets: readonly DatasetSpec[];
  readonly pages: readonly PageSpec[];
}

/** The dataset columns a widget uses, each once, in the order its encodings use them. */
export function widgetFields(widget: WidgetSpec): string[] {
  switch (widget.kind) {
    case 'counter':
      return [widget.value];
    case 'table':
      return unique(widget.columns);
    case 'bar':
    case 'line':
      return unique(widget.color === undefined ? [widget.x, widget.y] : [widget.x, widget.y, widget.color]);
    case 'text':
      return [];
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

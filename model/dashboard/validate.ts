/**
 * Offline checks of a dashboard spec: what Lakeview would reject or show broken (a widget on
 * an unknown dataset, a field the dataset does not return, widgets off the grid or on top of
 * each other, names used twice). Each problem is one sentence naming its page, widget or dataset.
 */
import { GRID_COLUMNS, widgetFields, type DashboardSpec, type GridPosition, type PageSpec, type WidgetSpec } from './dashboard-spec';

export function dashboardProblems(spec: DashboardSpec): string[] {
  return [...nameProblems(spec), ...datasetProblems(spec), ...spec.pages.flatMap((page) => pageProblems(spec, page))];
}

function nameProblems(spec: DashboardSpec): string[] {
  const problems: string[] = [];
  for (const [name, count] of duplicates(spec.datasets.map((dataset) => dataset.name))) {
    problems.push(`dataset name "${name}" is used by ${count} datasets`);
  }
  for (const [name, count] of duplicates(spec.pages.map((page) => page.name))) {
    problems.push(`page name "${name}" is used by ${count} pages`);
  }
  const widgetPages = spec.pages.flatMap((page) => page.widgets.map((widget) => ({ widget: widget.name, page: page.name })));
  for (const [name, count] of duplicates(widgetPages.map((entry) => entry.widget))) {
    const pages = [...new Set(widgetPages.filter((entry) => entry.widget === name).map((entry) => `"${entry.page}"`))];
    problems.push(`widget name "${name}" is used by ${count} widgets (page ${pages.join(', page ')}); widget names must be unique in the dashboard`);
  }
  return problems;
}

function datasetProblems(spec: DashboardSpec): string[] {
  const problems: string[] = [];
  for (const dataset of spec.datasets) {
    if (dataset.columns.length === 0) problems.push(`dataset "${dataset.name}" declares no columns`);
    for (const [column] of duplicates(dataset.columns)) problems.push(`dataset "${dataset.name}" declares column "${column}" more than once`);
    const parameters = dataset.parameters ?? [];
    for (const [keyword] of duplicates(parameters.map((parameter) => parameter.keyword))) {
      problems.push(`dataset "${dataset.name}" declares parameter "${keyword}" more than once`);
    }
    for (const parameter of parameters) {
      if (!usesParameter(dataset.sql, parameter.keyword)) {
        problems.push(`dataset "${dataset.name}" declares parameter "${parameter.keyword}" but its SQL never uses :${parameter.keyword}`);
      }
    }
  }
  return problems;
}

function pageProblems(spec: DashboardSpec, page: PageSpec): string[] {
  const problems: string[] = [];
  for (const widget of page.widgets) {
    const where = `page "${page.name}" widget "${widget.name}"`;
    problems.push(...positionProblems(where, widget.position));
    if (widget.kind === 'text') continue;
    if (widget.kind === 'table' && widget.columns.length === 0) problems.push(`${where} is a table that shows no columns`);
    const dataset = spec.datasets.find((candidate) => candidate.name === widget.dataset);
    if (!dataset) {
      problems.push(`${where} references unknown dataset "${widget.dataset}"`);
      continue;
    }
    for (const field of widgetFields(widget)) {
      if (!dataset.columns.includes(field)) {
        problems.push(`${where} uses field "${field}", which dataset "${dataset.name}" does not declare (columns: ${dataset.columns.join(', ')})`);
      }
    }
  }
  const placed = page.widgets.filter((widget) => hasArea(widget.position));
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      if (overlap(placed[i], placed[j])) {
        problems.push(`page "${page.name}": widgets "${placed[i].name}" and "${placed[j].name}" overlap (${describe(placed[i].position)} and ${describe(placed[j].position)})`);
      }
    }
  }
  return problems;
}

function positionProblems(where: string, position: GridPosition): string[] {
  const { x, y, width, height } = position;
  if (![x, y, width, height].every(Number.isInteger)) return [`${where} has a position that is not whole grid cells (${describe(position)})`];
  const problems: string[] = [];
  if (width <= 0 || height <= 0) problems.push(`${where} has a zero or negative size (width ${width}, height ${height})`);
  if (x < 0 || y < 0) problems.push(`${where} starts outside the grid (x ${x}, y ${y}); x and y start at 0`);
  if (x + Math.max(width, 0) > GRID_COLUMNS) {
    problems.push(`${where} extends past the ${GRID_COLUMNS}-column grid (x ${x} + width ${width} > ${GRID_COLUMNS})`);
  }
  return problems;
}

function hasArea(position: GridPosition): boolean {
  return position.width > 0 && position.height > 0;
}

function overlap(a: WidgetSpec, b: WidgetSpec): boolean {
  const p = a.position;
  const q = b.position;
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

function describe(position: GridPosition): string {
  return `x ${position.x}, y ${position.y}, width ${position.width}, height ${position.height}`;
}

/** `:keyword` as a named parameter marker: not part of `::` casts nor of a longer name. */
function usesParameter(sql: string, keyword: string): boolean {
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![:\\w]):${escaped}(?!\\w)`).test(sql);
}

function duplicates(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1);
}

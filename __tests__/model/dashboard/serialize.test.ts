import type { DashboardSpec } from '../../../model/dashboard/dashboard-spec';
import { serializeDashboard, splitLines } from '../../../model/dashboard/serialize';

const JOB_RUNS_SQL = ['-- runs per job over :lookback_days days', 'SELECT job_name, runs, failed, success_rate_pct', 'FROM x', 'WHERE days <= :lookback_days'].join('\n');

const spec: DashboardSpec = {
  title: '[dev] Lakehouse monitoring',
  datasets: [
    {
      name: 'job_runs',
      displayName: 'Job runs',
      sql: JOB_RUNS_SQL,
      columns: ['job_name', 'runs', 'failed', 'success_rate_pct'],
      parameters: [{ keyword: 'lookback_days', displayName: 'Lookback (days)', type: 'INTEGER', default: 30 }],
    },
    { name: 'daily_runs', displayName: 'Daily runs', sql: 'SELECT day, job_name, runs\nFROM y\n', columns: ['day', 'job_name', 'runs'] },
    { name: 'totals', displayName: 'Totals', sql: 'SELECT total_runs FROM z', columns: ['total_runs'] },
  ],
  pages: [
    {
      name: 'overview',
      displayName: 'Overview',
      widgets: [
        // Deliberately not in grid order: the layout comes out sorted by (y, x).
        { kind: 'table', name: 'runs_table', dataset: 'job_runs', title: 'Runs per job', columns: ['job_name', 'runs', 'failed', 'success_rate_pct'], position: { x: 0, y: 7, width: 6, height: 5 } },
        { kind: 'bar', name: 'runs_by_job', dataset: 'job_runs', title: 'Runs by job', x: 'job_name', y: 'runs', position: { x: 0, y: 3, width: 3, height: 4 } },
        { kind: 'line', name: 'runs_over_time', dataset: 'daily_runs', title: 'Runs per day', x: 'day', y: 'runs', color: 'job_name', position: { x: 3, y: 3, width: 3, height: 4 } },
        { kind: 'counter', name: 'total_runs', dataset: 'totals', title: 'Runs', value: 'total_runs', position: { x: 0, y: 1, width: 2, height: 2 } },
        { kind: 'text', name: 'intro', markdown: '# Lakehouse monitoring\n\nJob health of the **dev** workspace.', position: { x: 0, y: 0, width: 6, height: 1 } },
      ],
    },
    {
      name: 'details',
      displayName: 'Details',
      widgets: [{ kind: 'counter', name: 'total_runs_untitled', dataset: 'totals', value: 'total_runs', position: { x: 0, y: 0, width: 1, height: 2 } }],
    },
  ],
};

type Json = ReturnType<typeof JSON.parse>;

function parsed(): Json {
  return JSON.parse(serializeDashboard(spec));
}

function layoutOf(definition: Json, page: number): Json[] {
  return definition.pages[page].layout;
}

function widgetNamed(definition: Json, name: string): Json {
  const entry = definition.pages.flatMap((page: Json) => page.layout).find((candidate: Json) => candidate.widget.name === name);
  if (!entry) throw new Error(`no widget ${name}`);
  return entry.widget;
}

/** Every `fieldName` anywhere under a value. */
function fieldNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(fieldNames);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'fieldName' && typeof inner === 'string' ? [inner] : fieldNames(inner)));
}

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reverseKeys(inner)])) as T;
}

describe('serializeDashboard', () => {
  it('is deterministic: the same spec gives a byte-identical string, whatever the key order of the spec objects', () => {
    const first = serializeDashboard(spec);
    expect(serializeDashboard(spec)).toBe(first);
    expect(serializeDashboard(reverseKeys(spec))).toBe(first);
    expect(serializeDashboard(JSON.parse(JSON.stringify(spec)))).toBe(first);
  });

  it('round-trips through JSON.parse, every widget on a declared dataset, every encoding on a field of its query', () => {
    const definition = parsed();
    const datasetNames = new Set(definition.datasets.map((dataset: Json) => dataset.name));
    const widgets = definition.pages.flatMap((page: Json) => page.layout.map((entry: Json) => entry.widget));
    expect(widgets).toHaveLength(6);
    for (const widget of widgets.filter((candidate: Json) => candidate.queries)) {
      const [query] = widget.queries;
      expect(datasetNames).toContain(query.query.datasetName);
      const fields = query.query.fields.map((field: Json) => field.name);
      const used = fieldNames(widget.spec.encodings);
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) expect(fields).toContain(name);
      // and no field the encodings do not use
      expect([...new Set(used)].sort()).toEqual([...fields].sort());
    }
  });

  it('has the Lakeview structure: key names at every level', () => {
    const definition = parsed();
    expect(Object.keys(definition)).toEqual(['datasets', 'pages']);
    expect(Object.keys(definition.datasets[0])).toEqual(['name', 'displayName', 'queryLines', 'parameters']);
    expect(Object.keys(definition.datasets[1])).toEqual(['name', 'displayName', 'queryLines']);
    expect(definition.datasets[0].parameters).toEqual([
      {
        displayName: 'Lookback (days)',
        keyword: 'lookback_days',
        dataType: 'INTEGER',
        defaultSelection: { values: { dataType: 'INTEGER', values: [{ value: '30' }] } },
      },
    ]);

    const page = definition.pages[0];
    expect(Object.keys(page)).toEqual(['name', 'displayName', 'layout', 'pageType']);
    expect(page.pageType).toBe('PAGE_TYPE_CANVAS');
    for (const entry of page.layout) {
      expect(Object.keys(entry)).toEqual(['widget', 'position']);
      expect(Object.keys(entry.position)).toEqual(['x', 'y', 'width', 'height']);
    }

    const bar = widgetNamed(definition, 'runs_by_job');
    expect(Object.keys(bar)).toEqual(['name', 'queries', 'spec']);
    expect(Object.keys(bar.queries[0])).toEqual(['name', 'query']);
    expect(bar.queries[0].name).toBe('main_query');
    expect(Object.keys(bar.queries[0].query)).toEqual(['datasetName', 'fields', 'disaggregated']);
    expect(bar.queries[0].query.fields).toEqual([
      { name: 'job_name', expression: '`job_name`' },
      { name: 'runs', expression: '`runs`' },
    ]);
    expect(Object.keys(bar.spec)).toEqual(['version', 'widgetType', 'encodings', 'frame']);
    expect(bar.spec.frame).toEqual({ showTitle: true, title: 'Runs by job' });
    expect(bar.spec.encodings).toEqual({
      x: { fieldName: 'job_name', scale: { type: 'categorical' }, displayName: 'job_name' },
      y: { fieldName: 'runs', scale: { type: 'quantitative' }, displayName: 'runs' },
    });

    const line = widgetNamed(definition, 'runs_over_time');
    expect(Object.keys(line.spec.encodings)).toEqual(['x', 'y', 'color']);
    expect(line.spec.encodings.x.scale).toEqual({ type: 'temporal' });
    expect(line.spec.encodings.color).toEqual({ fieldName: 'job_name', scale: { type: 'categorical' }, displayName: 'job_name' });

    const counter = widgetNamed(definition, 'total_runs');
    expect(counter.spec.encodings).toEqual({ value: { fieldName: 'total_runs', displayName: 'Runs' } });

    const table = widgetNamed(definition, 'runs_table');
    expect(Object.keys(table.spec.encodings)).toEqual(['columns']);
    expect(table.spec.encodings.columns.map((column: Json) => Object.keys(column))).toEqual(Array(4).fill(['fieldName', 'displayName']));

    const text = widgetNamed(definition, 'intro');
    expect(text).toEqual({ name: 'intro', multilineTextboxSpec: { lines: ['# Lakehouse monitoring\n', '\n', 'Job health of the **dev** workspace.'] } });
  });

  it('uses the widget versions Databricks exports: counter 2, table 1, bar and line 3', () => {
    const definition = parsed();
    const versions = Object.fromEntries(
      layoutOf(definition, 0)
        .filter((entry: Json) => entry.widget.spec)
        .map((entry: Json) => [entry.widget.spec.widgetType, entry.widget.spec.version]),
    );
    expect(versions).toEqual({ counter: 2, table: 1, bar: 3, line: 3 });
  });

  it('keeps the SQL intact in queryLines, line by line, each line with its newline', () => {
    const definition = parsed();
    const [jobRuns, dailyRuns, totals] = definition.datasets;
    expect(jobRuns.queryLines).toEqual([
      '-- runs per job over :lookback_days days\n',
      'SELECT job_name, runs, failed, success_rate_pct\n',
      'FROM x\n',
      'WHERE days <= :lookback_days',
    ]);
    expect(jobRuns.queryLines.join('')).toBe(JOB_RUNS_SQL);
    expect(dailyRuns.queryLines).toEqual(['SELECT day, job_name, runs\n', 'FROM y\n']);
    expect(totals.queryLines).toEqual(['SELECT total_runs FROM z']);
  });

  it('lays out each page sorted by row, then column', () => {
    expect(layoutOf(parsed(), 0).map((entry: Json) => entry.widget.name)).toEqual(['intro', 'total_runs', 'runs_by_job', 'runs_over_time', 'runs_table']);
  });

  it('hides the frame title of a widget without one', () => {
    expect(widgetNamed(parsed(), 'total_runs_untitled').spec.frame).toEqual({ showTitle: false });
  });

  it('writes an exact, pinned definition for a one-counter dashboard', () => {
    const minimal: DashboardSpec = {
      title: 'Minimal',
      datasets: [{ name: 'd', displayName: 'D', sql: 'SELECT 1 AS n', columns: ['n'] }],
      pages: [{ name: 'p', displayName: 'P', widgets: [{ kind: 'counter', name: 'c', dataset: 'd', value: 'n', title: 'N', position: { x: 0, y: 0, width: 1, height: 2 } }] }],
    };
    expect(serializeDashboard(minimal)).toBe(
      JSON.stringify(
        {
          datasets: [{ name: 'd', displayName: 'D', queryLines: ['SELECT 1 AS n'] }],
          pages: [
            {
              name: 'p',
              displayName: 'P',
              layout: [
                {
                  widget: {
                    name: 'c',
                    queries: [{ name: 'main_query', query: { datasetName: 'd', fields: [{ name: 'n', expression: '`n`' }], disaggregated: true } }],
                    spec: { version: 2, widgetType: 'counter', encodings: { value: { fieldName: 'n', displayName: 'N' } }, frame: { showTitle: true, title: 'N' } },
                  },
                  position: { x: 0, y: 0, width: 1, height: 2 },
                },
              ],
              pageType: 'PAGE_TYPE_CANVAS',
            },
          ],
        },
        null,
        2,
      ),
    );
  });

  it('quotes field expressions as Databricks SQL identifiers', () => {
    const odd: DashboardSpec = {
      title: 'Odd',
      datasets: [{ name: 'd', displayName: 'D', sql: 'SELECT 1 AS `a``b`, 2 AS `Total runs`', columns: ['a`b', 'Total runs'] }],
      pages: [{ name: 'p', displayName: 'P', widgets: [{ kind: 'table', name: 't', dataset: 'd', columns: ['a`b', 'Total runs'], position: { x: 0, y: 0, width: 6, height: 3 } }] }],
    };
    expect(widgetNamed(JSON.parse(serializeDashboard(odd)), 't').queries[0].query.fields).toEqual([
      { name: 'a`b', expression: '`a``b`' },
      { name: 'Total runs', expression: '`Total runs`' },
    ]);
  });

  it('refuses an invalid spec, listing its problems', () => {
    const broken: DashboardSpec = { ...spec, datasets: spec.datasets.slice(1) };
    expect(() => serializeDashboard(broken)).toThrow(/dashboard "\[dev\] Lakehouse monitoring" is invalid:\n {2}- page "overview" widget "runs_table" references unknown dataset "job_runs"/);
  });
});

describe('splitLines', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a\n']],
    ['a\n\nb', ['a\n', '\n', 'b']],
    ['a\r\nb\r\n', ['a\r\n', 'b\r\n']],
    ['\n', ['\n']],
  ])('cuts %j after each newline, keeping it', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
    expect(splitLines(text).join('')).toBe(text);
  });
});

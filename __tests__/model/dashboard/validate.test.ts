import type { DashboardSpec, GridPosition, WidgetSpec } from '../../../model/dashboard/dashboard-spec';
import { dashboardProblems } from '../../../model/dashboard/validate';

const at = (x: number, y: number, width: number, height: number): GridPosition => ({ x, y, width, height });

function dashboard(widgets: WidgetSpec[], extra: Partial<DashboardSpec> = {}): DashboardSpec {
  return {
    title: 'Test',
    datasets: [{ name: 'runs', displayName: 'Runs', sql: 'SELECT job_name, runs FROM x', columns: ['job_name', 'runs'] }],
    pages: [{ name: 'main', displayName: 'Main', widgets }],
    ...extra,
  };
}

describe('dashboardProblems', () => {
  it('finds nothing wrong in a good dashboard (widgets may touch, text widgets need no dataset)', () => {
    expect(
      dashboardProblems(
        dashboard([
          { kind: 'text', name: 'intro', markdown: '# Runs', position: at(0, 0, 6, 1) },
          { kind: 'counter', name: 'total', dataset: 'runs', value: 'runs', position: at(0, 1, 2, 2) },
          { kind: 'bar', name: 'by_job', dataset: 'runs', x: 'job_name', y: 'runs', position: at(2, 1, 4, 4) },
          { kind: 'line', name: 'trend', dataset: 'runs', x: 'job_name', y: 'runs', color: 'job_name', position: at(0, 5, 6, 3) },
          { kind: 'table', name: 'rows', dataset: 'runs', columns: ['job_name', 'runs'], position: at(0, 8, 6, 4) },
        ]),
      ),
    ).toEqual([]);
  });

  it('names every problem of a bad fixture, each in one sentence naming its page, widget or dataset', () => {
    const bad: DashboardSpec = {
      title: 'Bad',
      datasets: [
        {
          name: 'runs',
          displayName: 'Runs',
          sql: 'SELECT job_name, runs FROM x WHERE runs > :min_runs::int',
          columns: ['job_name', 'runs', 'runs'],
          parameters: [
            { keyword: 'min_runs', displayName: 'Min runs', type: 'INTEGER', default: 0 },
            { keyword: 'min_runs', displayName: 'Min runs again', type: 'INTEGER', default: 1 },
            { keyword: 'int', displayName: 'Not a parameter: a cast', type: 'STRING', default: '' },
          ],
        },
        { name: 'runs', displayName: 'Runs again', sql: 'SELECT 1 AS n', columns: [] },
      ],
      pages: [
        {
          name: 'main',
          displayName: 'Main',
          widgets: [
            { kind: 'counter', name: 'orphan', dataset: 'nowhere', value: 'runs', position: at(0, 0, 1, 1) },
            { kind: 'bar', name: 'wrong_field', dataset: 'runs', x: 'job', y: 'runs', color: 'colour', position: at(1, 0, 2, 2) },
            { kind: 'table', name: 'too_wide', dataset: 'runs', columns: ['runs'], position: at(4, 3, 3, 1) },
            { kind: 'table', name: 'empty_table', dataset: 'runs', columns: [], position: at(0, 10, 1, 1) },
            { kind: 'text', name: 'negative', markdown: 'x', position: at(-1, -2, 1, 1) },
            { kind: 'text', name: 'flat', markdown: 'x', position: at(0, 6, 2, 0) },
            { kind: 'text', name: 'fractional', markdown: 'x', position: at(0.5, 7, 1, 1) },
            { kind: 'counter', name: 'on_top', dataset: 'runs', value: 'runs', position: at(2, 1, 2, 2) },
          ],
        },
        { name: 'main', displayName: 'Main again', widgets: [{ kind: 'text', name: 'orphan', markdown: 'x', position: at(0, 0, 1, 1) }] },
      ],
    };
    expect(dashboardProblems(bad)).toEqual([
      'dataset name "runs" is used by 2 datasets',
      'page name "main" is used by 2 pages',
      'widget name "orphan" is used by 2 widgets (page "main"); widget names must be unique in the dashboard',
      'dataset "runs" declares column "runs" more than once',
      'dataset "runs" declares parameter "min_runs" more than once',
      'dataset "runs" declares parameter "int" but its SQL never uses :int',
      'dataset "runs" declares no columns',
      'page "main" widget "orphan" references unknown dataset "nowhere"',
      'page "main" widget "wrong_field" uses field "job", which dataset "runs" does not declare (columns: job_name, runs, runs)',
      'page "main" widget "wrong_field" uses field "colour", which dataset "runs" does not declare (columns: job_name, runs, runs)',
      'page "main" widget "too_wide" extends past the 6-column grid (x 4 + width 3 > 6)',
      'page "main" widget "empty_table" is a table that shows no columns',
      'page "main" widget "negative" starts outside the grid (x -1, y -2); x and y start at 0',
      'page "main" widget "flat" has a zero or negative size (width 2, height 0)',
      'page "main" widget "fractional" has a position that is not whole grid cells (x 0.5, y 7, width 1, height 1)',
      'page "main": widgets "wrong_field" and "on_top" overlap (x 1, y 0, width 2, height 2 and x 2, y 1, width 2, height 2)',
    ]);
  });

  it('reports widget names used twice on the same page', () => {
    expect(
      dashboardProblems(
        dashboard([
          { kind: 'text', name: 'same', markdown: 'a', position: at(0, 0, 1, 1) },
          { kind: 'text', name: 'same', markdown: 'b', position: at(1, 0, 1, 1) },
        ]),
      ),
    ).toEqual(['widget name "same" is used by 2 widgets (page "main"); widget names must be unique in the dashboard']);
  });

  it('reports negative widths as a size problem', () => {
    expect(dashboardProblems(dashboard([{ kind: 'text', name: 't', markdown: 'a', position: at(2, 0, -1, 1) }]))).toEqual([
      'page "main" widget "t" has a zero or negative size (width -1, height 1)',
    ]);
  });

  it('reports a widget wholly inside another as overlapping', () => {
    expect(
      dashboardProblems(
        dashboard([
          { kind: 'table', name: 'big', dataset: 'runs', columns: ['runs'], position: at(0, 0, 6, 6) },
          { kind: 'counter', name: 'small', dataset: 'runs', value: 'runs', position: at(2, 2, 1, 1) },
        ]),
      ),
    ).toEqual(['page "main": widgets "big" and "small" overlap (x 0, y 0, width 6, height 6 and x 2, y 2, width 1, height 1)']);
  });

  it('counts a parameter as used only as a named marker, not inside a longer name', () => {
    const withParameter = (sql: string) =>
      dashboard([], {
        datasets: [
          { name: 'runs', displayName: 'Runs', sql, columns: ['runs'], parameters: [{ keyword: 'days', displayName: 'Days', type: 'INTEGER', default: 7 }] },
        ],
      });
    expect(dashboardProblems(withParameter('SELECT runs FROM x WHERE d < :days'))).toEqual([]);
    expect(dashboardProblems(withParameter('SELECT runs FROM x WHERE d < :days_back'))).toEqual([
      'dataset "runs" declares parameter "days" but its SQL never uses :days',
    ]);
  });
});

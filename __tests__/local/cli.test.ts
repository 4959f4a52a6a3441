import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-cli-'));
const volumes = join(scratch, 'volumes');
cpSync(join(root, 'samples', 'volumes'), volumes, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function local(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('node', ['scripts/run-ts.mjs', 'local/cli.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run local', () => {
  it('describes a workflow: tasks in run order, landing paths in both forms, tables written', () => {
    const { status, stdout } = local('describe', 'ingest-orders', '--volumes', volumes, '--json');
    expect(status).toBe(0);
    const described = JSON.parse(stdout);
    expect(described.tasks.map((t: { key: string }) => t.key)).toEqual(['stage', 'merge', 'archive']);
    expect(described.landingPaths).toEqual([
      { volume: '/Volumes/lakehouse_local/landing/orders/incoming/', local: `${join(volumes, 'lakehouse_local', 'landing', 'orders', 'incoming')}/` },
    ]);
    expect(described.tablesWritten).toEqual([
      'lakehouse_local.bronze.orders_staging',
      'lakehouse_local.bronze.orders_quarantine',
      'lakehouse_local.silver.orders',
      'lakehouse_local.ops.ingested_files',
      'lakehouse_local.ops.expectation_results',
    ]);
  });

  it('runs a workflow against a state file that keeps its tables between runs, and refuses in sql what Databricks refuses', () => {
    const state = join(scratch, 'orders.duckdb');
    const first = local('run', 'ingest-orders', '--volumes', volumes, '--state', state, '--json');
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('ingest-orders: stage SUCCEEDED');
    const summary = JSON.parse(first.stdout);
    expect(summary.tasks.map((t: { key: string; status: string }) => [t.key, t.status])).toEqual([
      ['stage', 'SUCCEEDED'],
      ['merge', 'SUCCEEDED'],
      ['archive', 'SUCCEEDED'],
    ]);
    expect(summary.tables).toMatchObject({ 'bronze.orders_staging': 8, 'silver.orders': 4, 'bronze.orders_quarantine': 0 });

    const second = JSON.parse(local('run', 'ingest-orders', '--volumes', volumes, '--state', state, '--json').stdout);
    expect(second.tables).toMatchObject({ 'bronze.orders_staging': 8, 'silver.orders': 4 });

    const rows = JSON.parse(local('sql', '--state', state, "SELECT tracking_num, status FROM silver.orders WHERE tracking_num = 'TRK-1001'", '--json').stdout);
    expect(rows).toEqual([{ tracking_num: 'TRK-1001', status: 'DELIVERED' }]);

    // sql refuses what Databricks refuses, naming the rule, like any task, and leaves the state as it was
    const merge = "MERGE INTO silver.orders AS t USING (SELECT tracking_num FROM silver.orders) AS s ON t.tracking_num = s.tracking_num WHEN MATCHED AND EXISTS (SELECT 1 FROM bronze.orders_staging) THEN DELETE";
    const refused = local('sql', merge, '--state', state);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^\(command line\):1: \[merge-condition-subquery\] Delta rejects a subquery/m);
    expect(local('sql', 'SELECT count(*) AS n FROM silver.orders', '--state', state, '--json').stdout).toContain('"n": "4"');
  });

  it('passes job parameters, and stops dependants of a failing task with a non-zero exit', () => {
    const state = join(scratch, 'extract.duckdb');
    const { status, stdout } = local('run', 'incremental-extract', '--volumes', volumes, '--state', state, '--param', 'window_high=not a time', '--json');
    expect(status).toBe(1);
    const summary = JSON.parse(stdout);
    expect(summary.parameters.window_high).toBe('not a time');
    expect(summary.tasks.map((t: { key: string; status: string }) => [t.key, t.status])).toEqual([
      ['read_versions', 'SUCCEEDED'],
      ['start_run', 'FAILED'],
      ['extract', 'UPSTREAM_FAILED'],
      ['finalize_success', 'UPSTREAM_FAILED'],
      ['finalize_failed', 'FAILED'],
    ]);
    expect(summary.tasks[1].message).toMatch(/^sql\/watermark\/start_run\.sql:\d+: .*not a time/);
  });

  it('runs a pipeline update and prints its expectation metrics', () => {
    const state = join(scratch, 'pipeline.duckdb');
    const text = local('run', 'user-analytics', '--volumes', volumes, '--state', state);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('expectation events.has_user [drop]: 5 passed, 1 dropped');
    const json = JSON.parse(local('run', 'user-analytics', '--volumes', volumes, '--state', state, '--json').stdout);
    expect(json.succeeded).toBe(true);
    expect(json.datasets.find((d: { dataset: string }) => d.dataset === 'events')).toMatchObject({ rowsIn: 0, filesRead: [] });
    expect(json.tables.final_metrics).toBe(2);
  });

  it.each([
    [['run', 'no-such-workflow', '--volumes', 'v', '--state', 's'], 'unknown workflow "no-such-workflow"'],
    [['run', 'ingest-orders', '--state', 's'], "required option '--volumes <dir>' not specified"],
    [['run', 'ingest-orders', '--volumes', 'v', '--state', 's', '--param', 'oops'], '"oops" is not key=value'],
    [['run', 'ingest-orders', '--volumes', volumes, '--state', join(scratch, 'x.duckdb'), '--param', 'colour=red'], 'workflow ingest-orders has no parameter "colour"'],
    [['run', 'ingest-orders', '--volumes', join(scratch, 'no-such-volumes'), '--state', join(scratch, 'y.duckdb')], 'no-such-volumes: no such folder'],
    [['sql', 'SELECT 1', '--state', join(scratch, 'no-such.duckdb')], 'no such state file'],
  ])('refuses bad input with exit code 2 and says what is wrong (%#)', (args, message) => {
    const { status, stderr } = local(...args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
  });
});

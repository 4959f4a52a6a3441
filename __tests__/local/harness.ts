import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { workflowNamed } from '../../config/project';
import { LocalEngine, Row } from '../../local/engine';
import { RunOptions, WorkflowRun, runWorkflow } from '../../local/workflow-runner';

export const CATALOG = 'lakehouse_local';
export const ORDERS_HEADER = 'tracking_num,order_id,customer_id,product_id,status,quantity,amount,event_time';
const FIXTURES = join(__dirname, 'fixtures');
const PROJECT_ROOT = resolve(__dirname, '..', '..');

export interface ScratchOptions {
  /**
   * Keep the catalog in a state file (`state`), for a test that closes the engine and opens
   * the state again; otherwise it lives in memory, which DuckDB opens and closes faster.
   * @default false
   */
  readonly stateFile?: boolean;
}

/** A throwaway volumes folder and catalog with an engine open on them. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'lakehouse-local-'));
  readonly volumes = join(this.dir, 'volumes');
  /** The state file, when the scratch was opened with `stateFile`. */
  readonly state = join(this.dir, 'state.duckdb');
  engine!: LocalEngine;

  static async open(options: ScratchOptions = {}): Promise<Scratch> {
    const scratch = new Scratch();
    mkdirSync(scratch.volumes);
    const statePath = options.stateFile ? scratch.state : ':memory:';
    scratch.engine = await LocalEngine.open({ statePath, catalog: CATALOG, volumesDir: scratch.volumes, projectRoot: PROJECT_ROOT, checkpointOnClose: false, threads: 1 });
    return scratch;
  }

  /** Local folder of `/Volumes/<catalog>/<rest>`. */
  folder(rest: string): string {
    const folder = join(this.volumes, CATALOG, rest);
    mkdirSync(folder, { recursive: true });
    return folder;
  }

  /** Delivers an orders file (header added) into the orders landing folder. */
  deliverOrders(name: string, rows: readonly string[]): void {
    writeFileSync(join(this.folder('landing/orders/incoming'), name), `${[ORDERS_HEADER, ...rows].join('\n')}\n`);
  }

  /** Delivers a fixture file, as it is, into the orders landing folder. */
  deliverFixture(fixture: string, name = fixture.split('/').pop()!): void {
    copyFileSync(join(FIXTURES, fixture), join(this.folder('landing/orders/incoming'), name));
  }

  run(workflow: string, options: RunOptions = {}): Promise<WorkflowRun> {
    return runWorkflow(this.engine, workflowNamed(workflow), options);
  }

  query(sql: string): Promise<Row[]> {
    return this.engine.query(sql);
  }

  /** silver.orders without the merge time, in key order: what two equivalent histories must agree on. */
  silverOrders(): Promise<Row[]> {
    return this.query('SELECT tracking_num, order_id, customer_id, status, quantity, amount, event_time, source_file FROM silver.orders ORDER BY tracking_num');
  }

  close(): void {
    this.engine.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

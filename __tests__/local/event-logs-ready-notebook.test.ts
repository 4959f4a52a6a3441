import { runNotebook } from '../../local/notebook-runner';
import { CATALOG, Scratch } from './harness';

/**
 * The data-quality alert job's gate (notebooks/event_logs_ready.py), run locally: it tells
 * whether every table the alert's query reads exists (task value `ready`), so a fresh deploy,
 * whose pipelines have not published their event logs yet, neither fails the job nor pages.
 */
const NOTEBOOK = 'notebooks/event_logs_ready.py';
const EVENT_LOG = `${CATALOG}.ops.orders_medallion_event_log`;

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const gate = (tables: string) => runNotebook(scratch.engine, NOTEBOOK, { tables });

describe('the event-logs gate of the data-quality alert', () => {
  it('is not ready while a pipeline has not published its event log, naming it, and succeeds', async () => {
    const run = await gate(`${EVENT_LOG}, ${CATALOG}.ops.expectation_results`);
    expect(run.taskValues).toEqual({ ready: 'false' });
    expect(run.output).toBe(`not ready: 1 of 2 table(s) not published yet: ${EVENT_LOG}\n`);
  });

  it('is ready once every table exists', async () => {
    await scratch.query('CREATE TABLE ops.orders_medallion_event_log (id VARCHAR)');
    const run = await gate(`${EVENT_LOG},\`${CATALOG}\`.ops.expectation_results,ops.watermarks`);
    expect(run.taskValues).toEqual({ ready: 'true' });
    expect(run.output).toBe('ready: all 3 table(s) exist\n');
  });

  it('counts a table of another catalog as missing here', async () => {
    expect((await gate('another_catalog.ops.expectation_results')).taskValues).toEqual({ ready: 'false' });
  });

  it('fails when it is told no table, rather than letting the alert run unchecked', async () => {
    await expect(gate(' , ')).rejects.toThrow('ValueError: the tables widget names no table');
  });
});

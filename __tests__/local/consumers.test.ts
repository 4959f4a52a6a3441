import { resolve } from 'node:path';
import { pipelineNamed } from '../../config/project';
import { runPipeline } from '../../local/pipelines/pipeline-runner';
import { Scratch } from './harness';

const root = resolve(__dirname, '..', '..');

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const medallion = () => runPipeline(scratch.engine, pipelineNamed('orders-medallion')!, root);

describe('the two consumers of the orders landing folder', () => {
  it('each see every landed row exactly once: ingest-orders from incoming, the pipeline from what it archived, a file landing between them reaching both', async () => {
    scratch.deliverOrders('a.csv', ['T1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00', 'T2,O2,C1,P1,PLACED,1,20.00,2026-11-20 10:05:00']);
    expect((await scratch.run('ingest-orders', { runId: 'i1' })).succeeded).toBe(true);

    // lands after ingest-orders ran, before the pipeline runs
    scratch.deliverOrders('b.csv', ['T3,O3,C1,P1,PLACED,1,30.00,2026-11-20 11:00:00']);
    expect((await medallion()).succeeded).toBe(true);
    expect(await scratch.query('SELECT tracking_num FROM orders_medallion.bronze_orders ORDER BY 1')).toEqual([{ tracking_num: 'T1' }, { tracking_num: 'T2' }]);

    expect((await scratch.run('ingest-orders', { runId: 'i2' })).succeeded).toBe(true);
    expect((await medallion()).succeeded).toBe(true);
    // each row once in each consumer
    expect(await scratch.query('SELECT tracking_num, count(*) AS n FROM orders_medallion.bronze_orders GROUP BY 1 ORDER BY 1')).toEqual([
      { tracking_num: 'T1', n: '1' },
      { tracking_num: 'T2', n: '1' },
      { tracking_num: 'T3', n: '1' },
    ]);
    expect(await scratch.query('SELECT tracking_num, count(*) AS n FROM bronze.orders_staging GROUP BY 1 ORDER BY 1')).toEqual([
      { tracking_num: 'T1', n: '1' },
      { tracking_num: 'T2', n: '1' },
      { tracking_num: 'T3', n: '1' },
    ]);
    expect(await scratch.query('SELECT tracking_num FROM silver.orders ORDER BY 1')).toEqual([{ tracking_num: 'T1' }, { tracking_num: 'T2' }, { tracking_num: 'T3' }]);

    // a third pipeline update finds nothing new
    const again = await medallion();
    expect(again.tables.bronze_orders).toBe(3);
  });
});

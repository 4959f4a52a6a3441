import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipelineNamed } from '../../config/project';
import { runPipeline } from '../../local/pipelines/pipeline-runner';
import { ORDERS_HEADER, Scratch } from './harness';

// read_files with an explicit schema binds CSV columns by position and ignores the header
// (enforceSchema defaults to true), so the stage load checks every file's header against the
// declared columns first (model/source-sql.ts headerCheck): a file with any other header fails
// the load, naming the file, the expected and the found header, and nothing of any file is
// recorded or staged.

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

const EXPECTED = ORDERS_HEADER;
const ROW = 'TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00';

/** Writes a file with the given header and body lines into the orders landing folder. */
function deliver(name: string, header: string, rows: readonly string[], eol = '\n'): void {
  writeFileSync(join(scratch.folder('landing/orders/incoming'), name), `${[header, ...rows].join(eol)}${eol}`);
}

/** Runs ingest-orders and returns the stage task's failure message, expecting nothing recorded or staged. */
async function refused(): Promise<string> {
  const run = await scratch.run('ingest-orders');
  expect(run.succeeded).toBe(false);
  const stage = run.tasks.find((t) => t.key === 'stage')!;
  expect(stage.status).toBe('FAILED');
  expect(await scratch.query('SELECT count(*) AS n FROM ops.ingested_files')).toEqual([{ n: '0' }]);
  expect(await scratch.query('SELECT count(*) AS n FROM bronze.orders_staging')).toEqual([{ n: '0' }]);
  return stage.message!;
}

const mismatch = (file: string, found: string) =>
  `header of dbfs:/Volumes/lakehouse_local/landing/orders/incoming/${file} does not match the declared columns of orders: expected "${EXPECTED}", found "${found}"`;

describe('CSV header against the declared columns', () => {
  it('refuses a file whose columns are reordered (which would load with key columns swapped), naming it and both headers', async () => {
    deliver('good.csv', ORDERS_HEADER, [ROW]);
    const swapped = 'order_id,tracking_num,customer_id,product_id,status,quantity,amount,event_time';
    deliver('swapped.csv', swapped, ['O2,TRK-2,C2,P2,PLACED,1,10.00,2026-11-20 10:00:00']);
    const message = await refused();
    expect(message).toMatch(/^sql\/generated\/orders\/stage\.sql:\d+: /);
    expect(message).toContain(mismatch('swapped.csv', swapped));
  });

  it('refuses a file missing a declared column', async () => {
    const missing = 'tracking_num,order_id,customer_id,product_id,status,quantity,event_time';
    deliver('missing.csv', missing, ['TRK-1,O1,C1,P1,PLACED,1,2026-11-20 10:00:00']);
    expect(await refused()).toContain(mismatch('missing.csv', missing));
  });

  it('refuses a file with an extra column', async () => {
    const extra = `${ORDERS_HEADER},channel`;
    deliver('extra.csv', extra, [`${ROW},web`]);
    expect(await refused()).toContain(mismatch('extra.csv', extra));
  });

  it('refuses a file with a renamed column', async () => {
    const renamed = ORDERS_HEADER.replace('amount', 'total');
    deliver('renamed.csv', renamed, [ROW]);
    expect(await refused()).toContain(mismatch('renamed.csv', renamed));
  });

  it('loads once the file is delivered again with the declared header, and accepts case, quotes and CRLF as the reader does', async () => {
    deliver('late.csv', 'order_id,tracking_num,customer_id,product_id,status,quantity,amount,event_time', ['O1,TRK-1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    await refused();
    deliver('late.csv', ORDERS_HEADER.toUpperCase().split(',').map((c) => `"${c}"`).join(','), [ROW], '\r\n');
    const run = await scratch.run('ingest-orders');
    expect(run.succeeded).toBe(true);
    expect(await scratch.query('SELECT tracking_num, order_id FROM silver.orders')).toEqual([{ tracking_num: 'TRK-1', order_id: 'O1' }]);
  });
});

describe('CSV header in a pipeline-ingested source (read_files enforceSchema => false)', () => {
  const products = () => runPipeline(scratch.engine, pipelineNamed('ingest-products')!, resolve(__dirname, '..', '..'));
  const PRODUCTS = 'product_id,name,category,price,updated_at';

  it('fails the update on a file whose header does not conform, naming the file, as Spark does', async () => {
    writeFileSync(join(scratch.folder('landing/products/incoming'), 'p1.csv'), `${PRODUCTS}\nP1,Beans,coffee,10.00,2026-11-01 00:00:00\n`);
    writeFileSync(join(scratch.folder('landing/products/incoming'), 'p2.csv'), 'name,product_id,category,price,updated_at\nTea,P2,tea,5.00,2026-11-01 00:00:00\n');
    const update = await products();
    expect(update.succeeded).toBe(false);
    expect(update.error).toContain('CSV header does not conform to the schema.');
    expect(update.error).toContain('Expected: product_id but found: name\nCSV file: dbfs:/Volumes/lakehouse_local/landing/products/incoming/p2.csv');
  });

  it('loads files whose header conforms, whatever its case', async () => {
    writeFileSync(join(scratch.folder('landing/products/incoming'), 'p1.csv'), `${PRODUCTS.toUpperCase()}\nP1,Beans,coffee,10.00,2026-11-01 00:00:00\n`);
    const update = await products();
    expect(update.error).toBeUndefined();
    expect(update.succeeded).toBe(true);
  });
});

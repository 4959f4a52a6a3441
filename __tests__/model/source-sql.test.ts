import { theProject } from '../../config/project';
import { pipelineSql, stageSql } from '../../model/source-sql';
import type { Source } from '../../model/source';

const sourceNamed = (name: string): Source => theProject().sources.find((s) => s.name === name)!;

describe('stage SQL of a CSV source', () => {
  const sql = stageSql(sourceNamed('orders'));

  it('checks every file header against the declared columns before the ledger records anything', () => {
    const check = sql.indexOf("WHERE b.length > 0 AND lower(trim(replace(replace(split_part(decode(b.content, 'UTF-8'), chr(10), 1), chr(13), ''), '\"', ''))) <> 'tracking_num,order_id,customer_id,product_id,status,quantity,amount,event_time'");
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(sql.indexOf("INSERT INTO IDENTIFIER(:ops || '.ingested_files')"));
  });

  it('knows a file by path and content hash, and reads rows with the header validated', () => {
    expect(sql).toContain('coalesce(l.content_hash, sha2(b.content, 256)) = sha2(b.content, 256)');
    expect(sql).toContain('enforceSchema => false');
  });
});

describe('stage SQL of a CSV source with its own separator', () => {
  it.each([['sep', ';'], ['delimiter', '|']])('compares the header joined by the %s option (%s), as the files write it', (option, separator) => {
    const orders = sourceNamed('orders');
    const sql = stageSql({ ...orders, landing: { ...orders.landing, options: { ...orders.landing.options, [option]: separator } } });
    expect(sql).toContain(`<> '${orders.columns.map((c) => c.name).join(separator)}'`);
    expect(sql).not.toContain(`<> '${orders.columns.map((c) => c.name).join(',')}'`);
  });
});

describe('a source in another format', () => {
  it('has no CSV header check, nor the CSV-only enforceSchema option', () => {
    const orders = sourceNamed('orders');
    const sql = stageSql({ ...orders, landing: { ...orders.landing, format: 'json' } });
    expect(sql).not.toContain('split_part');
    expect(sql).not.toContain('enforceSchema');
    expect(sql).toContain('sha2(b.content, 256)');
  });
});

describe('pipeline SQL of a CSV source', () => {
  it('reads the files with the header validated (enforceSchema => false)', () => {
    expect(pipelineSql(sourceNamed('products'))).toContain('enforceSchema => false');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../config/config-error';
import { sourcesFromInventory } from '../../config/inventory';
import { loadSources } from '../../config/load-sources';
import type { Source } from '../../model/source';

const root = resolve(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-onboard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function onboard(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('node', ['scripts/run-ts.mjs', 'scripts/onboard.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

// the header in an order of its own: the columns are found by name
const HEADER = ['columns', 'name', 'scd', 'key', 'format', 'ingestion', 'sequence_by'] as const;
type Row = Record<(typeof HEADER)[number], string>;
const csv = (rows: readonly Row[]) => [HEADER.join(','), ...rows.map((row) => HEADER.map((c) => field(row[c])).join(','))].join('\n') + '\n';

/** Row i of the inventory: every format, both ingestions and SCD types, every fifth key composite, a DECIMAL(12,2) column. */
function row(i: number): Row {
  const composite = i % 5 === 0;
  const columns = [`${composite ? 'account_id' : 'id'}:STRING`, ...(composite ? ['line_no:INT'] : []), 'amount:DECIMAL(12,2)', 'status:STRING', ...(i % 2 ? ['note:STRING'] : []), 'updated_at:TIMESTAMP'];
  return {
    name: `src_${String(i).padStart(3, '0')}`,
    format: ['csv', 'json', 'parquet'][i % 3],
    key: composite ? 'account_id;line_no' : 'id',
    sequence_by: 'updated_at',
    scd: String((Math.floor(i / 2) % 2) + 1),
    ingestion: i % 2 ? 'pipeline' : 'job',
    columns: columns.join(';'),
  };
}

/** The source a row says, as loading its file gives it. */
function expected(r: Row, file: string): Source {
  const key = r.key.split(';');
  return {
    name: r.name,
    description: '',
    landing: { volume: r.name, format: r.format as Source['landing']['format'], options: {} },
    columns: r.columns.split(';').map((c) => {
      const [name, type] = [c.slice(0, c.indexOf(':')), c.slice(c.indexOf(':') + 1)];
      return { name, type, nullable: !key.includes(name) };
    }),
    key,
    sequenceBy: r.sequence_by,
    scd: Number(r.scd) as 1 | 2,
    expectations: [],
    ingestion: r.ingestion as Source['ingestion'],
    trigger: { type: 'file-arrival' },
    mergedAtColumn: 'merged_at',
    changeDataFeed: false,
    schemaDrift: 'fail',
    file,
  };
}

/** Every file of a folder with its content. */
const snapshot = (dir: string) => (existsSync(dir) ? Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')])) : undefined);

describe('npm run onboard', () => {
  const rows = Array.from({ length: 200 }, (_, i) => row(i));
  const inventory = join(scratch, 'inventory.csv');
  const sources = join(scratch, 'sources');
  writeFileSync(inventory, csv(rows));

  it('writes one source file per row, which load as the sources the rows say', () => {
    expect(new Set(rows.map((r) => `${r.format} ${r.ingestion} scd${r.scd} ${r.key.includes(';') ? 'composite' : 'single'}`)).size).toBeGreaterThanOrEqual(12);
    const { status, stdout, stderr } = onboard('--from', inventory, '--to', sources);
    expect(stderr).toContain('run npm run generate');
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(200);
    expect(stdout).toContain(`wrote ${sources}/src_007.yaml`);
    const loaded = loadSources(scratch, 'sources');
    expect(loaded).toHaveLength(200);
    expect(loaded).toEqual(rows.map((r) => expected(r, `sources/${r.name}.yaml`)));
    expect(readFileSync(join(sources, 'src_000.yaml'), 'utf8')).toBe(
      [
        '# yaml-language-server: $schema=./source.schema.json',
        `# Written by npm run onboard from ${inventory}:2; edit it as any source.`,
        'name: src_000',
        'landing: { volume: src_000, format: csv }',
        'columns:',
        '  - { name: account_id, type: STRING, nullable: false }',
        '  - { name: line_no, type: INT, nullable: false }',
        "  - { name: amount, type: 'DECIMAL(12,2)' }",
        '  - { name: status, type: STRING }',
        '  - { name: updated_at, type: TIMESTAMP }',
        'key: [account_id, line_no]',
        'sequenceBy: updated_at',
        'scd: 1',
        'ingestion: job',
        'trigger: { type: file-arrival }',
        '',
      ].join('\n'),
    );
  });

  it('takes a rerun of the same rows as done and writes only the new ones; refuses a row whose file exists with other content, writing nothing', () => {
    const before = snapshot(sources)!;
    const again = join(scratch, 'again.csv');
    writeFileSync(again, csv([...rows, { ...row(1), name: 'src_new' }]));
    const rerun = onboard('--from', again, '--to', sources);
    expect(rerun.status).toBe(0);
    expect(rerun.stderr).toContain('1 source file(s) written, 200 already onboarded');
    expect(snapshot(sources)).toEqual({ ...before, 'src_new.yaml': expect.any(String) });
    rmSync(join(sources, 'src_new.yaml'));

    writeFileSync(join(sources, 'src_000.yaml'), before['src_000.yaml'].replace('scd: 1', 'scd: 2'));
    const changed = join(scratch, 'changed.csv');
    writeFileSync(changed, csv([...rows, { ...row(1), name: 'src_other' }]));
    const { status, stdout, stderr } = onboard('--from', changed, '--to', sources);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${changed}:2: source "src_000", field "name": ${sources}/src_000.yaml exists already`);
    expect(stderr).toContain('1 problem(s), nothing written');
    expect(existsSync(join(sources, 'src_other.yaml'))).toBe(false);
    writeFileSync(join(sources, 'src_000.yaml'), before['src_000.yaml']);
  });

  it('names the inventory file, line and column of every bad row, and leaves the folder untouched', () => {
    const folder = join(scratch, 'untouched');
    mkdirSync(folder);
    writeFileSync(join(folder, 'keep.yaml'), readFileSync(join(root, 'config/sources/shipments.yaml')));
    const bad = join(scratch, 'bad.csv');
    writeFileSync(
      bad,
      csv([
        row(1),
        { ...row(2), name: 'unknown_format', format: 'xml' },
        { ...row(3), name: 'key_not_a_column', key: 'id;line_no' },
        { ...row(4), name: 'malformed_columns', columns: 'id:STRING;amount;updated_at:TIMESTAMP' },
        { ...row(6), name: 'scd_three', scd: '3' },
        { ...row(1), name: 'src_001' },
        row(8),
      ]),
    );
    const { status, stdout, stderr } = onboard('--from', bad, '--to', folder);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${bad}:3: source "unknown_format", field "format": must be csv, json or parquet, got "xml"`);
    expect(stderr).toContain(`${bad}:4: source "key_not_a_column", field "key": "line_no" is not a column of the source`);
    expect(stderr).toContain(`${bad}:5: source "malformed_columns", field "columns": entry 2 "amount" is not name:TYPE`);
    expect(stderr).toContain(`${bad}:6: source "scd_three", field "scd": must be 1 (latest version per key) or 2 (full history), got "3"`);
    expect(stderr).toContain(`${bad}:7: source "src_001", field "name": source "src_001" is already on line 2`);
    expect(stderr).toContain('5 problem(s), nothing written');
    expect(snapshot(folder)).toEqual({ 'keep.yaml': readFileSync(join(root, 'config/sources/shipments.yaml'), 'utf8') });
  });

  it('refuses a missing inventory as bad input', () => {
    const { status, stderr } = onboard('--from', join(scratch, 'missing.csv'), '--to', join(scratch, 'none'));
    expect(status).toBe(2);
    expect(stderr).toContain('missing.csv: no such file');
    expect(existsSync(join(scratch, 'none'))).toBe(false);
  });
});

describe('an inventory', () => {
  const header = 'name,format,key,sequence_by,scd,ingestion,columns';

  it('reads quoted fields, line breaks in them and a DECIMAL type, and numbers rows by the line they start on', () => {
    const text = `${header}\n"orders_feed",csv,id,ts,2,pipeline,"id:STRING;amount:DECIMAL(12,2);ts:TIMESTAMP"\n\n"bad\nname",csv,id,ts,1,job,id:STRING;ts:TIMESTAMP\n`;
    expect(() => sourcesFromInventory('inv.csv', text)).toThrow(/inv\.csv:4: source "bad\\nname", field "name": must be a lower-case identifier/);
    const [onboarded] = sourcesFromInventory('inv.csv', text.split('\n\n')[0] + '\n');
    expect(onboarded.file).toBe('config/sources/orders_feed.yaml');
    expect(onboarded.source.columns[1]).toEqual({ name: 'amount', type: 'DECIMAL(12,2)', nullable: true });
    expect(onboarded.source).toMatchObject({ scd: 2, ingestion: 'pipeline', file: 'config/sources/orders_feed.yaml' });
  });

  it('names every problem of a row at once, each under its column', () => {
    let caught: unknown;
    try {
      sourcesFromInventory('inv.csv', `${header}\nx,avro,id;k,when,0,batch,id:STRING;ts:TIMESTAMP;ts:INTEGR\n`);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems.map((p) => `${p.line} ${p.field}`)).toEqual(['2 format', '2 key', '2 sequence_by', '2 scd', '2 ingestion', '2 columns', '2 columns']);
  });

  it('needs its header to name every column once', () => {
    expect(() => sourcesFromInventory('inv.csv', 'name,formt,key,key\nx,csv,id,id\n')).toThrow(/inv\.csv:1: inventory, field "\(header\)": lacks the column\(s\) format, sequence_by, scd, ingestion, columns[\s\S]*field "formt": is not an inventory column[\s\S]*field "key": is a column named twice/);
  });
});

import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktn';
import { synthesizeLakehouse } from '../../app/synthesize-lakehouse';
import { ConfigError } from '../../config/config-error';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { parseSource } from '../../config/load-sources';
import { loadProject, theProject } from '../../config/project';
import { sampleCsv } from '../../model/source-samples';
import { sourceWorkflow } from '../../model/source-expansion';
import { projectStack } from '../support/project-stack';
import { projectSynth } from '../support/project-synth';
import { FOLDER_MARKER, isHiddenFileName } from '../../model/naming';
import { Scratch } from '../local/harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const root = resolve(__dirname, '..', '..');

describe.each(loadEnvironments(environments).map((e) => [e.name, e] as const))('the shipments source in the %s stack', (name, environment) => {
  const out = projectSynth(environment);
  const catalog = environment.catalog.name;
  const byName = (type: string) => new Map(Object.values((out.resource[type] ?? {}) as Record<string, Json>).map((r) => [r.name, r]));

  it('declares its landing volume, its incoming and archive folders existing from deploy on', () => {
    expect(byName('databricks_volume').get('shipments')).toMatchObject({ catalog_name: expect.any(String), volume_type: 'MANAGED' });
    const markers = Object.values(out.resource.databricks_file as Record<string, Json>).map((f) => f.path).filter((p: string) => p.includes('/shipments/'));
    expect(markers.sort()).toEqual([`/Volumes/${catalog}/landing/shipments/archive/${FOLDER_MARKER.name}`, `/Volumes/${catalog}/landing/shipments/incoming/${FOLDER_MARKER.name}`]);
  });

  it('declares its staging, current and quarantine tables, with the bookkeeping columns', () => {
    const tables = byName('databricks_sql_table');
    expect(tables.get('shipments_staging')!.column.map((c: Json) => c.name)).toEqual(['shipment_id', 'order_id', 'status', 'updated_at', 'source_file', 'row_hash', 'ingested_at', 'stage_seq']);
    expect(tables.get('shipments')!.column.map((c: Json) => [c.name, c.nullable])).toEqual([
      ['shipment_id', false],
      ['order_id', true],
      ['status', true],
      ['updated_at', false],
      ['source_file', false],
      ['row_hash', false],
      ['merged_at', false],
    ]);
    expect(tables.get('shipments_quarantine')!.column.map((c: Json) => c.name)).toContain('broken_rules');
  });

  it('grants its layers to the roles: readers read silver, never the bronze staging or quarantine', () => {
    const grants = Object.values(out.resource.databricks_grants as Record<string, Json>);
    // a table names its schema by the schema's name; the schema's grants name it by id
    const schemaOf = (table: string) => String(byName('databricks_sql_table').get(table)!.schema_name).replace(/\.name\}$/, '.id}');
    const grantees = (schemaRef: string) => (grants.find((g) => g.schema === schemaRef)?.grant ?? []).map((g: Json) => g.principal);
    expect(grantees(schemaOf('shipments'))).toContain(environment.principals.readers[0]);
    expect(grantees(schemaOf('shipments_staging'))).not.toContain(environment.principals.readers[0]);
  });

  it(`deploys the job [${name}] ingest-shipments, triggered by files landing in its volume`, () => {
    const job = byName('databricks_job').get(`[${name}] ingest-shipments`)!;
    expect(job.trigger.file_arrival.url).toBe(`/Volumes/${catalog}/landing/shipments/incoming/`);
    expect(job.task.map((t: Json) => t.task_key)).toEqual(['archive', 'merge', 'stage']);
  });
});

describe('the shipments source, run locally', () => {
  it('loads a landed CSV: the latest row per key, the expectations applied, the rejected rows in quarantine', async () => {
    const scratch = await Scratch.open();
    try {
      writeFileSync(join(scratch.folder('landing/shipments/incoming'), 'shipments_sample.csv'), readFileSync(join(root, 'samples/volumes/lakehouse_local/landing/shipments/incoming/shipments_sample.csv')));
      const run = await scratch.run('ingest-shipments');
      expect(run.tasks.map((t) => t.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      expect(await scratch.query('SELECT shipment_id, order_id FROM silver.shipments ORDER BY 1')).toEqual([
        { shipment_id: 'SHIPMENTS-1', order_id: 'order_id-4' },
        { shipment_id: 'SHIPMENTS-2', order_id: 'order_id-2' },
        { shipment_id: 'SHIPMENTS-3', order_id: 'order_id-3' },
      ]);
      expect(await scratch.query('SELECT order_id, broken_rules FROM bronze.shipments_quarantine')).toEqual([{ order_id: 'order_id-5', broken_rules: ['key_present', 'valid_id'] }]);
      expect(readdirSync(scratch.folder('landing/shipments/archive')).filter((f) => !isHiddenFileName(f))).toEqual(['shipments_sample.csv']);
    } finally {
      scratch.close();
    }
  });
});

describe('a source with an underscore in its name and an integer key', () => {
  const text = ['name: order_lines', 'landing: { volume: order_lines, format: csv }', 'columns:', '  - { name: line_id, type: BIGINT, nullable: false }', '  - { name: sku, type: STRING }', '  - { name: updated_at, type: TIMESTAMP }', 'key: [line_id]', 'sequenceBy: updated_at', ''].join('\n');
  const source = parseSource('config/sources/order_lines.yaml', text);

  it('gets a kebab-case job, as job names are', () => {
    expect(loadProject({ workflows: [...theProject().declared.workflows, sourceWorkflow(source)] }).workflows.map((w) => w.name)).toContain('ingest-order-lines');
  });

  it('gets sample rows its key type can read, which load locally', async () => {
    const csv = sampleCsv(source)!;
    expect(csv.split('\n')[1].split(',')[0]).toBe('1');
    const scratch = await Scratch.open();
    try {
      writeFileSync(join(scratch.folder('landing/orders/incoming'), 'lines.csv'), csv);
      const rows = await scratch.engine.query(`SELECT count(*) AS n FROM read_csv('${join(scratch.folder('landing/orders/incoming'), 'lines.csv')}', header = true, columns = {'line_id': 'BIGINT', 'sku': 'VARCHAR', 'updated_at': 'TIMESTAMP'})`);
      expect(rows).toEqual([{ n: '5' }]);
    } finally {
      scratch.close();
    }
  });
});

describe('a source file', () => {
  it('names file, line and field for every problem', () => {
    const text = ['name: shipments', 'landing: { volume: shipments, format: xml }', 'columns:', '  - { name: id, type: STRING }', '  - { name: id, type: VARCHAR }', 'key: [shipment_id]', 'sequenceBy: id', 'tigger: { type: file-arrival }', ''].join('\n');
    let caught: unknown;
    try {
      parseSource('config/sources/shipments.yaml', text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems.map((p) => `${p.line} ${p.field}`)).toEqual(['2 landing.format', '5 columns[1].type', '8 tigger']);
    expect(() => parseSource('config/sources/shipments.yaml', text.replace('format: xml', 'format: csv').replace('VARCHAR', 'STRING').replace('tigger', 'trigger'))).toThrow(
      /config\/sources\/shipments\.yaml:5: source "shipments", field "columns\[1\]\.name": column "id" is declared twice[\s\S]*config\/sources\/shipments\.yaml:6: source "shipments", field "key\[0\]": "shipment_id" is not a column/,
    );
  });

  it('that is broken fails synth naming file, line and field, and leaves cdktf.out as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakehouse-sources-'));
    try {
      const sources = join(dir, 'sources');
      const outdir = join(dir, 'cdktf.out');
      mkdirSync(sources);
      mkdirSync(outdir);
      writeFileSync(join(outdir, 'previous.txt'), 'from the last good synth');
      for (const source of theProject().sources) writeFileSync(join(sources, `${source.name}.yaml`), readFileSync(join(root, source.file)));
      writeFileSync(join(sources, 'shipments.yaml'), readFileSync(join(root, 'config/sources/shipments.yaml'), 'utf8').replace('sequenceBy: updated_at', 'sequenceBy: updatedAt'));
      expect(() => synthesizeLakehouse(environments, { outdir, sourcesFolder: sources })).toThrow(/shipments\.yaml:11: source "shipments", field "sequenceBy"/);
      expect(readdirSync(outdir)).toEqual(['previous.txt']);
      expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'sources']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('naming options work end to end', () => {
  const dev = loadEnvironments(environments).find((e) => e.name === 'dev')!;

  it('a renamed layer schema reaches the triggers, the job parameters and the pipelines', () => {
    const schemas = { ...dev.catalog.schemas, landing: 'raw', silver: 'curated' };
    const out = JSON.parse(Testing.synth(projectStack({ ...dev, catalog: { ...dev.catalog, schemas } }), true)) as Json;
    const jobs = new Map(Object.values(out.resource.databricks_job as Record<string, Json>).map((j) => [j.name, j]));
    const ingest = jobs.get('[dev] ingest-orders')!;
    expect(ingest.trigger.file_arrival.url).toBe('/Volumes/lakehouse_dev/raw/orders/incoming/');
    expect(ingest.parameter).toContainEqual({ name: 'silver', default: 'lakehouse_dev.curated' });
    expect(ingest.parameter).toContainEqual({ name: 'landing_path', default: '/Volumes/lakehouse_dev/raw/orders/incoming/' });
    const medallion = Object.values(out.resource.databricks_pipeline as Record<string, Json>).find((p) => p.name === '[dev] orders-medallion')!;
    expect(medallion.configuration.customers_path).toBe('/Volumes/lakehouse_dev/raw/customers/archive/');
  });

  it('a configured archive folder reaches the archive task and the pipeline reading the archive', () => {
    const archivePath = '/Volumes/lakehouse_dev/landing/cold/orders/';
    const out = JSON.parse(Testing.synth(projectStack({ ...dev, volumes: [...dev.volumes, { name: 'orders', layer: 'landing', archivePath }] }), true)) as Json;
    const ingest = Object.values(out.resource.databricks_job as Record<string, Json>).find((j) => j.name === '[dev] ingest-orders')!;
    expect(ingest.parameter).toContainEqual({ name: 'archive_path', default: archivePath });
    const medallion = Object.values(out.resource.databricks_pipeline as Record<string, Json>).find((p) => p.name === '[dev] orders-medallion')!;
    expect(medallion.configuration.orders_path).toBe(archivePath);
  });
});

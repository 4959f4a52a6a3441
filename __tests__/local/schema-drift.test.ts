import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { theProject } from '../../config/project';
import { parseSource } from '../../config/load-sources';
import { ConfigError } from '../../config/config-error';
import type { Source } from '../../model/source';
import { LocalEngine, Row } from '../../local/engine';
import { generatedSqlFiles, stageSql } from '../../model/source-sql';
import { sourceWorkflow } from '../../model/source-expansion';
import { isHiddenFileName } from '../../model/naming';
import { runWorkflow } from '../../local/workflow-runner';
import { RESCUED_DATA_COLUMN, sourceTableSpecs } from '../../model/source-tables';
import { splitStatements } from '../../sql-lang/sql-text';
import { CATALOG } from './harness';
import { killPoints } from '../support/depth';

/**
 * A source's declared schema-drift policy (model/source.ts SchemaDriftPolicy). `rescue`: the
 * stage load reads with read_files' rescuedDataColumn, so columns are matched by name and what
 * the declared columns do not take is kept, with the file's path, in the staging table's
 * _rescued_data; the local engine emulates that read (local/rewrites.ts rescuingCsvRead).
 */
const ROOT = resolve(__dirname, '..', '..');
const HEADER = 'tracking_num,order_id,status,quantity,event_time';
const sourceText = (policy: string, extra = '') =>
  [
    'name: parcels',
    'landing: { volume: parcels, format: csv }',
    'columns:',
    '  - { name: tracking_num, type: STRING }',
    '  - { name: order_id, type: STRING }',
    '  - { name: status, type: STRING }',
    '  - { name: quantity, type: INT }',
    '  - { name: event_time, type: TIMESTAMP }',
    'key: [tracking_num]',
    'sequenceBy: event_time',
    `schemaDrift: ${policy}`,
    extra,
  ].join('\n');
const rescue = parseSource('config/sources/parcels.yaml', sourceText('rescue'));
const uri = (file: string) => `dbfs:/Volumes/${CATALOG}/landing/parcels/incoming/${file}`;

let dir: string;
let engine: LocalEngine;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'schema-drift-'));
  engine = await openEngine(rescue);
});
afterEach(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function deliver(name: string, header: string, rows: readonly string[]): void {
  writeFileSync(join(dir, CATALOG, 'landing', 'parcels', 'incoming', name), `${[header, ...rows].join('\n')}\n`);
}

/** An engine on the scratch volumes whose catalog holds the project's tables and `source`'s, its SQL files read from `projectRoot`. */
function openEngine(source: Source, projectRoot = ROOT): Promise<LocalEngine> {
  return LocalEngine.open({ statePath: ':memory:', catalog: CATALOG, volumesDir: dir, projectRoot, tables: [...theProject().tables, ...sourceTableSpecs(source)], volumes: [{ name: 'parcels', layer: 'landing' }], checkpointOnClose: false, threads: 1 });
}

/** Runs the generated stage load of `source`, statement by statement, as its SQL file task would. */
async function stage(source: Source = rescue): Promise<void> {
  const params = { bronze: `${CATALOG}.bronze`, ops: `${CATALOG}.ops`, source: 'parcels', landing_path: `/Volumes/${CATALOG}/landing/parcels/incoming/` };
  for (const statement of splitStatements(stageSql(source))) await engine.execute('sql/generated/parcels/stage.sql', statement.line, statement.text, params);
}

const staged = async (): Promise<Row[]> =>
  (await engine.query(`SELECT tracking_num, order_id, status, quantity, CAST(event_time AS VARCHAR) AS event_time, ${RESCUED_DATA_COLUMN} AS rescued FROM bronze.parcels_staging ORDER BY tracking_num`)).map((r) => ({
    ...r,
    rescued: r.rescued === null ? null : JSON.parse(String(r.rescued)),
  }));

describe('schemaDrift: rescue', () => {
  it('generates a read with rescuedDataColumn and no header check; the staging table has the column', () => {
    const sql = stageSql(rescue);
    expect(sql).toContain(`rescuedDataColumn => '${RESCUED_DATA_COLUMN}'`);
    expect(sql).not.toContain('enforceSchema');
    expect(sql).not.toContain('raise_error');
    expect(sourceTableSpecs(rescue)[0].spec.columns.map((c) => c.name)).toContain(RESCUED_DATA_COLUMN);
    const fail = parseSource('config/sources/parcels.yaml', sourceText('fail'));
    expect(stageSql(fail)).toContain('enforceSchema => false');
    expect(sourceTableSpecs(fail)[0].spec.columns.map((c) => c.name)).not.toContain(RESCUED_DATA_COLUMN);
  });

  it('loads a file whose columns are reordered by name: no key swapped, nothing rescued', async () => {
    deliver('declared.csv', HEADER, ['TRK-1,O1,PLACED,1,2026-11-20 10:00:00']);
    deliver('reordered.csv', 'order_id,event_time,tracking_num,quantity,status', ['O2,2026-11-21 09:00:00,TRK-2,2,SHIPPED']);
    await stage();
    expect(await staged()).toEqual([
      { tracking_num: 'TRK-1', order_id: 'O1', status: 'PLACED', quantity: 1, event_time: '2026-11-20 10:00:00', rescued: null },
      { tracking_num: 'TRK-2', order_id: 'O2', status: 'SHIPPED', quantity: 2, event_time: '2026-11-21 09:00:00', rescued: null },
    ]);
  });

  it('keeps the values of an undeclared column, with the file path, and NULL for a declared column the file lacks', async () => {
    deliver('wider.csv', 'tracking_num,channel,order_id,status,event_time', ['TRK-1,web,O1,PLACED,2026-11-20 10:00:00']);
    await stage();
    expect(await staged()).toEqual([{ tracking_num: 'TRK-1', order_id: 'O1', status: 'PLACED', quantity: null, event_time: '2026-11-20 10:00:00', rescued: { channel: 'web', _file_path: uri('wider.csv') } }]);
  });

  it('rescues a column named in another case (readerCaseSensitive) and a value of another type, leaving the declared column NULL', async () => {
    deliver('drift.csv', 'tracking_num,order_id,Status,quantity,event_time', ['TRK-1,O1,PLACED,two,2026-11-20 10:00:00']);
    await stage();
    expect(await staged()).toEqual([{ tracking_num: 'TRK-1', order_id: 'O1', status: null, quantity: null, event_time: '2026-11-20 10:00:00', rescued: { Status: 'PLACED', quantity: 'two', _file_path: uri('drift.csv') } }]);
  });

  it('stages each file once, whatever the retries', async () => {
    deliver('wider.csv', `${HEADER},channel`, ['TRK-1,O1,PLACED,1,2026-11-20 10:00:00,web']);
    await stage();
    await stage();
    expect((await staged()).map((r) => r.tracking_num)).toEqual(['TRK-1']);
  });
});

describe('schemaDrift in a source file', () => {
  it('is refused for a source the policy cannot apply to, naming file, line and field', () => {
    expect(() => parseSource('config/sources/parcels.yaml', sourceText('rescue', 'ingestion: pipeline'))).toThrow(
      /config\/sources\/parcels\.yaml:11: source "parcels", field "schemaDrift": "rescue" applies to CSV files loaded by a job \(this source: csv, pipeline\)/,
    );
    expect(() => parseSource('config/sources/parcels.yaml', sourceText('drop'))).toThrow(ConfigError);
  });

  it('defaults to fail: the shipped sources keep their header check', () => {
    expect(theProject().sources.map((s) => s.schemaDrift)).toEqual(theProject().sources.map(() => 'fail'));
  });
});

describe('schemaDrift: quarantine', () => {
  const quarantine = parseSource('config/sources/parcels.yaml', sourceText('quarantine'));

  beforeEach(async () => {
    engine.close();
    engine = await openEngine(quarantine);
  });

  const stageQuarantine = () => stage(quarantine);

  it('keeps every row of a drifted file out, records why in the ledger, and loads the other files', async () => {
    deliver('good.csv', HEADER, ['TRK-1,O1,PLACED,1,2026-11-20 10:00:00']);
    const swapped = 'order_id,tracking_num,status,quantity,event_time';
    deliver('swapped.csv', swapped, ['O2,TRK-2,PLACED,1,2026-11-20 10:00:00']);
    deliver('wider.csv', `${HEADER},channel`, ['TRK-3,O3,PLACED,1,2026-11-20 10:00:00,web']);
    await stageQuarantine();
    await stageQuarantine();
    expect((await staged()).map((r) => r.tracking_num)).toEqual(['TRK-1']);
    expect(await engine.query("SELECT file_path, staged_rows, schema_drift FROM ops.ingested_files WHERE source = 'parcels' ORDER BY file_path")).toEqual([
      { file_path: uri('good.csv'), staged_rows: '1', schema_drift: null },
      { file_path: uri('swapped.csv'), staged_rows: '0', schema_drift: `header "${swapped}" is not the declared "${HEADER}"` },
      { file_path: uri('wider.csv'), staged_rows: '0', schema_drift: `header "${HEADER},channel" is not the declared "${HEADER}"` },
    ]);
  });

  it('loads the file once it is delivered again with the declared header', async () => {
    deliver('late.csv', 'order_id,tracking_num,status,quantity,event_time', ['O2,TRK-2,PLACED,1,2026-11-20 10:00:00']);
    await stageQuarantine();
    deliver('late.csv', HEADER, ['TRK-2,O2,PLACED,1,2026-11-20 10:00:00']);
    await stageQuarantine();
    expect((await staged()).map((r) => [r.tracking_num, r.order_id])).toEqual([['TRK-2', 'O2']]);
  });
});

describe('a schemaDrift: quarantine source, run as its job', () => {
  const quarantine = parseSource('config/sources/parcels.yaml', sourceText('quarantine'));
  let project: string;

  beforeEach(async () => {
    // the job's SQL files, generated into a project folder of their own; notebooks are the project's
    project = mkdtempSync(join(tmpdir(), 'schema-drift-project-'));
    for (const [file, text] of generatedSqlFiles(quarantine)) {
      mkdirSync(dirname(join(project, file)), { recursive: true });
      writeFileSync(join(project, file), text);
    }
    engine.close();
    engine = await openEngine(quarantine, project);
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('merges the conforming files, archives every file, and names the quarantined one in the ledger', async () => {
    deliver('good.csv', HEADER, ['TRK-1,O1,PLACED,1,2026-11-20 10:00:00']);
    deliver('swapped.csv', 'order_id,tracking_num,status,quantity,event_time', ['O2,TRK-2,PLACED,1,2026-11-20 10:00:00']);
    const run = await runWorkflow(engine, sourceWorkflow(quarantine));
    expect(run.tasks.map((t) => [t.key, t.status])).toEqual([
      ['stage', 'SUCCEEDED'],
      ['merge', 'SUCCEEDED'],
      ['archive', 'SUCCEEDED'],
    ]);
    expect(await engine.query('SELECT tracking_num, order_id FROM silver.parcels')).toEqual([{ tracking_num: 'TRK-1', order_id: 'O1' }]);
    expect(await engine.query("SELECT file_path FROM ops.ingested_files WHERE schema_drift IS NOT NULL")).toEqual([{ file_path: uri('swapped.csv') }]);
    expect(readdirSync(join(dir, CATALOG, 'landing', 'parcels', 'archive')).filter((f) => !isHiddenFileName(f)).sort()).toEqual(['good.csv', 'swapped.csv']);
  });

  it('converges when the stage dies between its statements and is retried (every point in test:deep)', async () => {
    const statements = splitStatements(stageSql(quarantine)).map((st) => st.text);
    // quick: the file recorded (its drift with it) but no row staged; the rows staged but not counted
    const recorded = statements.findIndex((text) => text.includes("INSERT INTO IDENTIFIER(:ops || '.ingested_files')")) + 1;
    const deliverAll = () => {
      deliver('good.csv', HEADER, ['TRK-1,O1,PLACED,1,2026-11-20 10:00:00']);
      deliver('swapped.csv', 'order_id,tracking_num,status,quantity,event_time', ['O2,TRK-2,PLACED,1,2026-11-20 10:00:00']);
    };
    const ledger = () => engine.query("SELECT file_path, staged_rows, schema_drift FROM ops.ingested_files ORDER BY file_path");
    deliverAll();
    await runWorkflow(engine, sourceWorkflow(quarantine));
    const reference = { silver: await engine.query('SELECT tracking_num FROM silver.parcels'), ledger: await ledger() };
    for (const after of killPoints(statements.length, [recorded, statements.length - 1])) {
      engine.close();
      rmSync(join(dir, CATALOG, 'landing', 'parcels'), { recursive: true, force: true });
      engine = await openEngine(quarantine, project);
      deliverAll();
      const failed = await runWorkflow(engine, sourceWorkflow(quarantine), { faults: new Map([['stage', { failAfterStatements: after }]]) });
      expect(failed.succeeded).toBe(false);
      await runWorkflow(engine, sourceWorkflow(quarantine));
      expect({ after, silver: await engine.query('SELECT tracking_num FROM silver.parcels'), ledger: await ledger() }).toEqual({ after, ...reference });
    }
  });
});

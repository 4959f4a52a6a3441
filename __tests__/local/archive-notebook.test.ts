import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { NotebookError, runNotebook } from '../../local/notebook-runner';
import { FOLDER_MARKER } from '../../model/naming';
import { bySuiteDepth } from '../support/depth';
import { CATALOG, Scratch } from './harness';

const NOTEBOOK = 'notebooks/archive_processed_files.py';
const ROOT = resolve(__dirname, '..', '..');
const LANDING = `/Volumes/${CATALOG}/landing/orders/incoming/`;
const WIDGETS = { landing_path: LANDING, archive_path: '', ledger_table: `${CATALOG}.ops.ingested_files`, source: 'orders' };

let scratch: Scratch;
beforeEach(async () => {
  scratch = await Scratch.open();
});
afterEach(() => scratch.close());

/** Every file of the volumes folder as `<path below /Volumes/<catalog>/>: <content>`, sorted. */
function volumeFiles(): string[] {
  const root = join(scratch.volumes, CATALOG);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name !== FOLDER_MARKER.name)
      .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [`${relative(root, join(dir, e.name)).split(sep).join('/')}: ${readFileSync(join(dir, e.name), 'utf8')}`]));
  return walk(root).sort();
}

/** Writes a file at `/Volumes/<catalog>/<path>`. */
function deliver(path: string, content: string): void {
  const slash = path.lastIndexOf('/');
  writeFileSync(join(scratch.folder(path.slice(0, slash)), path.slice(slash + 1)), content);
}

/** Records files as staged and merged in the file ledger the way Databricks gives their paths: `_metadata.file_path`, scheme-qualified and URL-encoded. */
async function stage(...paths: string[]): Promise<void> {
  for (const path of paths) {
    const encoded = `dbfs:/Volumes/${CATALOG}/${path.split('/').map(encodeURIComponent).join('/')}`;
    await scratch.engine.query(
      `INSERT INTO ops.ingested_files (source, file_path, stage_seq, staged_rows, staged_at, merged_at) VALUES ('orders', '${encoded.replace(/'/g, "''")}', 1, 1, now(), now())`,
    );
  }
}

function archive(widgets: Partial<typeof WIDGETS> = {}, env?: NodeJS.ProcessEnv) {
  return runNotebook(scratch.engine, NOTEBOOK, { ...WIDGETS, ...widgets }, { env });
}

describe('archive notebook, run locally', () => {
  it('moves the staged files to the archive and leaves unstaged files and subfolders alone', async () => {
    deliver('landing/orders/incoming/a.csv', 'A');
    deliver('landing/orders/incoming/b.csv', 'BB');
    deliver('landing/orders/incoming/late.csv', 'L');
    deliver('landing/orders/incoming/sub/c.csv', 'C');
    await stage('landing/orders/incoming/a.csv', 'landing/orders/incoming/b.csv', 'landing/orders/incoming/sub/c.csv');

    const { output } = await archive();

    expect(output).toBe(`archived 2 staged file(s) from ${LANDING} to /Volumes/${CATALOG}/landing/orders/archive/; 1 unstaged file(s) left in place\n`);
    expect(volumeFiles()).toEqual([
      'landing/orders/archive/a.csv: A',
      'landing/orders/archive/b.csv: BB',
      'landing/orders/incoming/late.csv: L',
      'landing/orders/incoming/sub/c.csv: C',
    ]);
    // the folder marker deploy (and the local engine) put in each folder stays, uncounted
    expect(readdirSync(scratch.folder('landing/orders/incoming'))).toContain(FOLDER_MARKER.name);
  });

  it('moves a file whose name has a space, recorded URL-encoded', async () => {
    deliver('landing/orders/incoming/my file (1).csv', 'X');
    await stage('landing/orders/incoming/my file (1).csv');
    const [row] = await scratch.query('SELECT file_path FROM ops.ingested_files');
    expect(row.file_path).toBe(`dbfs:${LANDING}my%20file%20(1).csv`);

    await archive();

    expect(volumeFiles()).toEqual(['landing/orders/archive/my file (1).csv: X']);
  });

  it('moves to a configured archive folder in another volume', async () => {
    deliver('landing/orders/incoming/a.csv', 'A');
    await stage('landing/orders/incoming/a.csv');

    const { output } = await archive({ archive_path: `/Volumes/${CATALOG}/cold/archive/orders/` });

    expect(output).toContain(`to /Volumes/${CATALOG}/cold/archive/orders/;`);
    expect(volumeFiles()).toEqual(['cold/archive/orders/a.csv: A']);
  });

  it('works on a landing folder not named incoming/', async () => {
    deliver('landing/orders/drop/a.csv', 'A');
    deliver('landing/orders/incoming/a.csv', 'other folder');
    await stage('landing/orders/drop/a.csv');

    await archive({ landing_path: `/Volumes/${CATALOG}/landing/orders/drop/` });

    expect(volumeFiles()).toEqual(['landing/orders/archive/a.csv: A', 'landing/orders/incoming/a.csv: other folder']);
  });

  it('recovers from a run that failed after copying a file but before deleting it: every file archived once, nothing lost', async () => {
    deliver('landing/orders/incoming/a.csv', 'A');
    deliver('landing/orders/incoming/b.csv', 'BB');
    deliver('landing/orders/incoming/late.csv', 'L');
    await stage('landing/orders/incoming/a.csv', 'landing/orders/incoming/b.csv');

    await expect(archive({}, { LAKEHOUSE_NOTEBOOK_FAIL_AFTER_FS_OPS: '2' })).rejects.toThrow(/InjectedFault: injected fault after 2 file operation\(s\).*rm .*a\.csv not done/);
    expect(volumeFiles()).toEqual([
      'landing/orders/archive/a.csv: A',
      'landing/orders/incoming/a.csv: A',
      'landing/orders/incoming/b.csv: BB',
      'landing/orders/incoming/late.csv: L',
    ]);

    const { output } = await archive();

    expect(output).toContain('archived 2 staged file(s)');
    expect(output).toContain('(1 already copied by an interrupted run)');
    expect(volumeFiles()).toEqual(['landing/orders/archive/a.csv: A', 'landing/orders/archive/b.csv: BB', 'landing/orders/incoming/late.csv: L']);
  });

  // every file operation of a run over three files (copy, rename, delete each), and one more: after the last;
  // the quick suite kills in the first file's three and after the last (test:deep: all ten)
  it.each(bySuiteDepth({ quick: [0, 1, 2, 9], deep: Array.from({ length: 10 }, (_v, k) => k) }))('restarts after a kill -9 in file operation %i (a copy killed half-written included): every file archived whole, once, with no manual cleaning', async (k) => {
    const contents = { 'a.csv': 'A'.repeat(4000), 'b.csv': 'B'.repeat(3000), 'c.csv': 'C'.repeat(5000) };
    for (const [name, content] of Object.entries(contents)) deliver(`landing/orders/incoming/${name}`, content);
    await stage(...Object.keys(contents).map((name) => `landing/orders/incoming/${name}`));

    const killed = archive({}, { LAKEHOUSE_NOTEBOOK_KILL_AT_FS_OP: String(k) });
    if (k < 9) await expect(killed).rejects.toThrow(/killed by SIGKILL/);
    else await killed;

    const { output } = await archive();
    expect(output).toMatch(/archived \d staged file\(s\)|archived 0 staged file\(s\)/);
    expect(volumeFiles()).toEqual(Object.entries(contents).map(([name, content]) => `landing/orders/archive/${name}: ${content}`));
  });

  it('fails, naming both files and overwriting nothing, when the archive holds a different file of the same name', async () => {
    deliver('landing/orders/incoming/a.csv', 'new content');
    deliver('landing/orders/archive/a.csv', 'old');
    await stage('landing/orders/incoming/a.csv');

    const failure = archive();

    await expect(failure).rejects.toThrow(NotebookError);
    await expect(failure).rejects.toThrow(
      `${NOTEBOOK}: ArchiveError: the archive already holds other files of the staged files' names; nothing was moved and nothing is overwritten: ` +
        `/Volumes/${CATALOG}/landing/orders/archive/a.csv (3 bytes) is a different file from ${LANDING}a.csv (11 bytes)`,
    );
    expect(volumeFiles()).toEqual(['landing/orders/archive/a.csv: old', 'landing/orders/incoming/a.csv: new content']);
  });

  it('fails when landing_path is not a volume folder', async () => {
    deliver('landing/orders/incoming/a.csv', 'A');
    await stage('landing/orders/incoming/a.csv');

    const failure = archive({ landing_path: 'dbfs:/mnt/landing/orders/incoming/' });

    await expect(failure).rejects.toThrow(/ArchiveError: landing_path must be a folder inside a volume.*'dbfs:\/mnt\/landing\/orders\/incoming\/'/);
    await expect(failure).rejects.toMatchObject({ traceback: expect.stringContaining(`File "${NOTEBOOK}", line`) });
    expect(volumeFiles()).toEqual(['landing/orders/incoming/a.csv: A']);
  });

  it('archives what the local stage load staged (plain /Volumes paths)', async () => {
    scratch.deliverOrders('my orders.csv', ['TRK-1,O1,C1,P1,PLACED,1,10.00,2026-11-20 10:00:00']);
    expect((await scratch.run('ingest-orders')).succeeded).toBe(true);

    await archive();

    expect(volumeFiles()).toEqual([expect.stringMatching(/^landing\/orders\/archive\/my orders\.csv: tracking_num,/)]);
  });

  it('reports a failing query with the notebook line of the spark.sql call', async () => {
    const failure = archive({ ledger_table: `${CATALOG}.ops.no_such_table` });
    await expect(failure).rejects.toThrow(new RegExp(`SparkSqlError: ${NOTEBOOK.replace(/\./g, '\\.')}:\\d+: .*no_such_table`));
  });
});

describe('archive notebook functions (python3 -m unittest)', () => {
  it('pass', () => {
    const result = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', '__tests__/local', '-p', 'archive_notebook_test.py'], {
      cwd: ROOT,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`python3 -m unittest failed:\n${result.stderr}${result.stdout}`);
    expect(result.stderr).toMatch(/\nOK\n?$/);
  });
});

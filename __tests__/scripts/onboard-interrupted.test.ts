import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSources } from '../../config/load-sources';
import { bySuiteDepth } from '../support/depth';

/**
 * `npm run onboard` interrupted by kill -9, Ctrl-C (SIGINT) or SIGTERM at any moment leaves no
 * partial file and nothing in the sources folder but whole sources, and a rerun of the same
 * inventory finishes the work.
 */
const root = resolve(__dirname, '..', '..');
const ROWS = bySuiteDepth({ quick: 400, deep: 10_000 });
const SIGNALS = bySuiteDepth({ quick: ['SIGKILL'] as const, deep: ['SIGKILL', 'SIGINT', 'SIGTERM'] as const });
const MOMENTS = bySuiteDepth({ quick: [0.9], deep: [0.1, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99] });

const inventory = (rows: number) =>
  ['name,format,key,sequence_by,scd,ingestion,columns', ...Array.from({ length: rows }, (_, i) => `src_${String(i).padStart(5, '0')},csv,id,updated_at,1,job,id:STRING;amount:BIGINT;updated_at:TIMESTAMP`)].join('\n') + '\n';

const onboardArgs = (csv: string, folder: string) => ['scripts/run-ts.mjs', 'scripts/onboard.ts', '--from', csv, '--to', folder];

describe(`npm run onboard of ${ROWS} rows, interrupted`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'onboard-interrupted-'));
  const csv = join(scratch, 'inventory.csv');
  writeFileSync(csv, inventory(ROWS));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // how long an uninterrupted run takes here, to place the interruptions along it
  const started = Date.now();
  // stdout (a line a source, over spawnSync's 1 MB buffer at 10,000 rows) is not read: only the exit and stderr
  const whole = spawnSync(process.execPath, onboardArgs(csv, join(scratch, 'whole')), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const duration = Date.now() - started;

  it('runs whole when nothing interrupts it', () => {
    expect(whole.status).toBe(0);
    expect(readdirSync(join(scratch, 'whole'))).toHaveLength(ROWS);
  });

  const cases = SIGNALS.flatMap((signal) => MOMENTS.map((moment) => [signal, moment] as const));
  it.each(cases)('%s at %s of the run: no partial file, nothing but whole sources, and the rerun finishes', async (signal, moment) => {
    const folder = join(scratch, `${signal}-${moment}`);
    const child = spawn(process.execPath, onboardArgs(csv, folder), { cwd: root, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill(signal), Math.round(duration * moment));
    await new Promise<void>((done) => child.on('exit', () => done()));
    clearTimeout(timer);

    const present = existsSync(folder) ? readdirSync(folder) : [];
    expect(present.filter((f) => !/^src_\d{5}\.yaml$/.test(f))).toEqual([]);
    if (present.length > 0) expect(loadSources(scratch, `${signal}-${moment}`)).toHaveLength(present.length);

    const rerun = spawnSync(process.execPath, onboardArgs(csv, folder), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    expect({ status: rerun.status, stderr: rerun.status === 0 ? '' : rerun.stderr }).toEqual({ status: 0, stderr: '' });
    expect(readdirSync(folder).sort()).toEqual(readdirSync(join(scratch, 'whole')).sort());
    expect(readdirSync(scratch).filter((f) => f.startsWith('.onboarding-'))).toEqual([]);
  });
});

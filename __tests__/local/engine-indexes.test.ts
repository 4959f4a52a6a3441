import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalEngine, clusteringIndexName } from '../../local/engine';
import { CATALOG } from './harness';

/**
 * The local state holds no ART index: DuckDB's index corruption after in-place updates and WAL
 * replay ("Failed to delete all rows from index", duckdb/duckdb#21394, #23645) wedged a state a
 * kill -9 left behind, and every declared table is updated in place by some task. See
 * LocalEngine.open.
 */
const ROOT = resolve(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'lakehouse-indexes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (state: string) => LocalEngine.open({ statePath: join(dir, state), catalog: CATALOG, volumesDir: join(dir, 'volumes'), projectRoot: ROOT, createLandingFolders: false });
const indexes = (engine: LocalEngine) => engine.query(`SELECT schema_name || '.' || index_name AS name FROM duckdb_indexes() WHERE database_name = '${CATALOG}' ORDER BY ALL`);

describe('local engine state: no index on a table updated in place', () => {
  it('creates no index on any declared table (clustering keys included)', async () => {
    const engine = await open('fresh.duckdb');
    try {
      expect(await indexes(engine)).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('drops the clustering index an earlier engine left in a state file', async () => {
    const first = await open('older.duckdb');
    await first.query(`CREATE INDEX "${clusteringIndexName('watermarks')}" ON ops.watermarks (pipeline, status)`);
    expect(await indexes(first)).toEqual([{ name: `ops.${clusteringIndexName('watermarks')}` }]);
    first.close();
    const reopened = await open('older.duckdb');
    try {
      expect(await indexes(reopened)).toEqual([]);
    } finally {
      reopened.close();
    }
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkMergeSources, checkWorkflowTables, tableUses } from '../../checks/sql-contract';
import { sqlFilesUnder } from '../../sql-lang/syntax';
import { projectWorkflows } from '../../config/project';

const workflows = projectWorkflows();
import { projectVolumes, theProject } from '../../config/project';
import type { Workflow } from '../../model/workflow';

const root = resolve(__dirname, '..', '..');
const declaredTables = new Set(theProject().tables.map((t) => `${t.layer}.${t.spec.name}`));
const declaredVolumes = new Set(projectVolumes().map((v) => `${v.layer}.${v.name}`));

describe('SQL contracts', () => {
  it('every table a workflow uses is declared by the stacks or created by an earlier task, and every volume it reads is declared', () => {
    expect(checkWorkflowTables(root, workflows, declaredTables, declaredVolumes)).toEqual([]);
  });

  it.each(sqlFilesUnder(root, 'sql').filter((f) => !f.startsWith('sql/pipelines/')))('%s deduplicates every MERGE source on its merge key', (file) => {
    expect(checkMergeSources(file, readFileSync(resolve(root, file), 'utf8'))).toEqual([]);
  });

  it('finds a table that nothing creates, naming workflow, task, file and line', () => {
    const broken: Workflow = { ...workflows.find((w) => w.name === 'incremental-extract')! };
    const withoutOrders = new Set([...declaredTables].filter((t) => t !== 'silver.orders'));
    expect(checkWorkflowTables(root, [broken], withoutOrders, declaredVolumes)).toEqual([
      { workflow: 'incremental-extract', task: 'extract', file: 'sql/incremental/extract_order_changes.sql', line: expect.any(Number), message: 'reads silver.orders, which no stack declares and no earlier task creates' },
    ]);
  });

  it('finds a volume that no environment declares', () => {
    const ingest = workflows.find((w) => w.name === 'ingest-orders')!;
    const broken: Workflow = { ...ingest, parameters: ingest.parameters.map((p) => (p.name === 'landing_path' ? { ...p, default: '/Volumes/{{env.catalog}}/landing/invoices/incoming/' } : p)) };
    expect(checkWorkflowTables(root, [broken], declaredTables, declaredVolumes).map((v) => v.message)).toEqual(['parameter landing_path points into volume landing.invoices, which no environment declares']);
  });

  it('finds a MERGE whose source may hold a key twice', () => {
    const sql = 'MERGE INTO IDENTIFIER(:catalog || \'.silver.t\') AS t\nUSING (SELECT k, v FROM IDENTIFIER(:catalog || \'.bronze.s\')) AS s\nON t.k = s.k\nWHEN MATCHED THEN UPDATE SET v = s.v;';
    expect(checkMergeSources('x.sql', sql)).toEqual([{ file: 'x.sql', line: 1, message: expect.stringContaining('MERGE source is not deduplicated on merge key k') }]);
  });

  it('refuses a MERGE it cannot read rather than passing it', () => {
    expect(checkMergeSources('x.sql', 'MERGE INTO t USING s ON t.k = s.k WHEN MATCHED THEN DELETE')[0].message).toContain('MERGE source must be a subquery');
  });

  it('accepts deduplication by QUALIFY, GROUP BY, a constant key or a single-row source', () => {
    for (const source of [
      'SELECT k, v FROM s QUALIFY row_number() OVER (PARTITION BY k ORDER BY v DESC) = 1',
      'SELECT k, max(v) AS v FROM s GROUP BY k',
      'SELECT :k AS k, 1 AS v',
    ]) {
      expect(checkMergeSources('x.sql', `MERGE INTO t USING (${source}) AS s ON t.k = s.k WHEN MATCHED THEN DELETE`)).toEqual([]);
    }
  });

  it('reads table uses with their access', () => {
    const uses = tableUses("CREATE TABLE IF NOT EXISTS IDENTIFIER(:silver || '.x') (a INT);\nINSERT INTO IDENTIFIER(:silver || '.x') SELECT * FROM IDENTIFIER(:source);", { silver: 'catalog.silver', source: 'catalog.bronze.y' });
    expect(uses).toEqual([
      { table: 'silver.x', access: 'create', line: 1 },
      { table: 'silver.x', access: 'write', line: 2 },
      { table: 'bronze.y', access: 'read', line: 2 },
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ACCESS_TABLE_REGION, accessTable, accessTableEnvironment } from '../../app/access-table';
import { readmeRegion } from '../../app/readme-regions';
import { projectSynth } from '../support/project-synth';

const root = resolve(__dirname, '..', '..');

describe("the README's access table", () => {
  it('is what synth grants in production (run `npm run generate` to refresh it)', () => {
    const production = accessTableEnvironment();
    const table = accessTable(projectSynth(production), production);
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    expect(readmeRegion(readme, ACCESS_TABLE_REGION)).toBe(table);
  });

  it('shows readers nothing on bronze, ops, landing or the pipelines', () => {
    const production = accessTableEnvironment();
    const readers = accessTable(projectSynth(production), production)
      .split('\n')
      .find((row) => row.startsWith('| readers |'))!
      .split('|')
      .map((c) => c.trim());
    // role, catalog, landing, bronze, silver, gold, ops, pipeline schemas, volumes, …
    expect(readers.slice(2, 10)).toEqual(['USE_CATALOG', '—', '—', 'SELECT, USE_SCHEMA', 'SELECT, USE_SCHEMA', '—', '—', '—']);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readmeRegion } from '../../app/readme-regions';
import { readmeTables } from '../../app/readme-tables';
import { theProject } from '../../config/project';
import { EXIT_CODES } from '../../model/errors';

const readme = readFileSync(resolve(__dirname, '..', '..', 'README.md'), 'utf8');

describe("the README's generated tables (run `npm run generate` to refresh them)", () => {
  it.each([...readmeTables(theProject())])('%s is what the code says', (region, table) => {
    expect(readmeRegion(readme, region)).toBe(table);
  });

  it('lists every workflow, rule, guardrail and exit code', () => {
    const tables = readmeTables(theProject());
    for (const workflow of theProject().workflows) expect(tables.get('workflows')).toContain(`\`${workflow.name}\``);
    for (const code of Object.values(EXIT_CODES)) expect(tables.get('exit-codes')).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('spells the exit codes once: no other paragraph of the README gives their numbers as a list', () => {
    const outside = readme.replace(readmeRegion(readme, 'exit-codes'), '');
    expect(outside).not.toMatch(/exit codes?:? 0 [a-z ]+, [12]/i);
  });
});

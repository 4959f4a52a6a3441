import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { synthesizedAccessTable, withAccessTable } from '../app/access-table';
import { GENERATED_FOLDERS, generatedFiles } from '../app/generated-files';
import { withReadmeRegion } from '../app/readme-regions';
import { readmeTables } from '../app/readme-tables';
import { synthesizeLakehouse } from '../app/synthesize-lakehouse';
import { environments } from '../config/environments';
import { loadProject } from '../config/project';
import { PROJECT_ROOT } from '../config/project-root';
import { failCommand } from '../model/errors';

// `npm run generate`: writes what the sources and workflows determine (the sources' SQL, the
// JSON Schema of source files, samples, diagrams, the README's generated tables) and removes generated files no longer
// generated. Run it after adding or changing a source or a workflow; a test fails when its
// output is stale.
try {
  const files = generatedFiles(loadProject(), PROJECT_ROOT);
  let written = 0;
  for (const [path, content] of files) {
    const target = join(PROJECT_ROOT, path);
    if (existsSync(target) && readFileSync(target, 'utf8') === content) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written++;
  }
  const walk = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)])) : []);
  let removed = 0;
  for (const folder of GENERATED_FOLDERS) {
    for (const file of walk(join(PROJECT_ROOT, folder))) {
      if (!files.has(relative(PROJECT_ROOT, file).split('\\').join('/'))) {
        rmSync(file);
        removed++;
      }
    }
  }
  // the README's access table, read from what synth grants (after the files above: synth checks the generated SQL)
  const readmePath = join(PROJECT_ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  let updated = withAccessTable(readme, synthesizedAccessTable((outdir, only) => synthesizeLakehouse(environments, { outdir, only })));
  for (const [region, table] of readmeTables(loadProject())) updated = withReadmeRegion(updated, region, table);
  if (updated !== readme) {
    writeFileSync(readmePath, updated);
    written++;
  }
  process.stderr.write(`generate: ${files.size + 1} files, ${written} written, ${removed} removed\n`);
} catch (error) {
  failCommand(error);
}

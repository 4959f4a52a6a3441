import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

/** Lints source text as if it were a file of the project, with the project's ESLint config. */
function lint(source: string, filePath: string): { ruleId: string | null; line: number; message: string }[] {
  const result = spawnSync(resolve(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });
  return JSON.parse(result.stdout)[0].messages;
}

describe('lint rules', () => {
  it("refuses the provider's root index, which loads every resource module", () => {
    const messages = lint("import { job } from '@cdktf/provider-databricks';\nexport const j = job;\n", 'constructs/example.ts');
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([['no-restricted-imports', 1]]);
    expect(messages[0].message).toContain("'@cdktf/provider-databricks/lib/<resource>'");
  });

  it('accepts deep imports of one resource', () => {
    expect(lint("import { Job } from '@cdktf/provider-databricks/lib/job';\nexport const j = Job;\n", 'constructs/example.ts')).toEqual([]);
  });
});

describe('folder dependencies go one way', () => {
  it.each([
    ['model/example.ts', "import { LakehouseStack } from '../constructs/lakehouse-stack';\nexport const s = LakehouseStack;\n", 'model/ imports only from no other folder'],
    ['config/example.ts', "import { checkProject } from '../checks/project-check';\nexport const c = checkProject;\n", 'config/ imports only from model, sql-lang'],
    ['local/example.ts', "import { reviewPlans } from '../plan-review/review';\nexport const r = reviewPlans;\n", 'local/ imports only from model, sql-lang, config, checks, constructs'],
    ['constructs/example.ts', "import { synthesizeLakehouse } from '../app/synthesize-lakehouse';\nexport const s = synthesizeLakehouse;\n", 'constructs/ imports only from'],
  ])('refuses an import upwards or sideways from %s', (file, source, message) => {
    const messages = lint(source, file);
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([['import/no-restricted-paths', 1]]);
    expect(messages[0].message).toContain(message);
  });

  it('accepts an import downwards', () => {
    expect(lint("import { LAYERS } from '../model/layers';\nexport const l = LAYERS;\n", 'constructs/example.ts')).toEqual([]);
  });
});

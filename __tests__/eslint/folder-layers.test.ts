import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

type Message = { ruleId: string | null; line: number; message: string };

/** Every source text a test lints, as if it were the file at its path, with the project's ESLint config. */
const CASES: Record<string, [source: string, filePath: string]> = {
  rootIndex: ["import { job } from '@cdktn/provider-databricks';\nexport const j = job;\n", 'constructs/example.ts'],
  deepImport: ["import { Job } from '@cdktn/provider-databricks/lib/job';\nexport const j = Job;\n", 'constructs/example.ts'],
  model: ["import { LakehouseStack } from '../constructs/lakehouse-stack';\nexport const s = LakehouseStack;\n", 'model/example.ts'],
  config: ["import { checkProject } from '../checks/project-check';\nexport const c = checkProject;\n", 'config/example.ts'],
  local: ["import { reviewPlans } from '../plan-review/review';\nexport const r = reviewPlans;\n", 'local/example.ts'],
  constructs: ["import { synthesizeLakehouse } from '../app/synthesize-lakehouse';\nexport const s = synthesizeLakehouse;\n", 'constructs/example.ts'],
  downwards: ["import { LAYERS } from '../model/layers';\nexport const l = LAYERS;\n", 'constructs/example.ts'],
};

/** Lints every case in one ESLint process (its start costs more than linting a text). */
function lintAll(): Record<string, Message[]> {
  const script = `const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const out = {};
      for (const [name, [source, filePath]] of Object.entries(cases)) out[name] = (await eslint.lintText(source, { filePath }))[0].messages;
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(CASES), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`eslint failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, Message[]>;
}

const linted = lintAll();
const lint = (name: keyof typeof CASES): Message[] => linted[name];

describe('lint rules', () => {
  it("refuses the provider's root index, which loads every resource module", () => {
    const messages = lint('rootIndex');
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([['no-restricted-imports', 1]]);
    expect(messages[0].message).toContain("'@cdktn/provider-databricks/lib/<resource>'");
  });

  it('accepts deep imports of one resource', () => {
    expect(lint('deepImport')).toEqual([]);
  });
});

describe('folder dependencies go one way', () => {
  it.each([
    ['model', 'model/ imports only from no other folder'],
    ['config', 'config/ imports only from model, sql-lang'],
    ['local', 'local/ imports only from model, sql-lang, config, checks, constructs'],
    ['constructs', 'constructs/ imports only from'],
  ] as const)('refuses an import upwards or sideways from %s/', (name, message) => {
    const messages = lint(name);
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([['import/no-restricted-paths', 1]]);
    expect(messages[0].message).toContain(message);
  });

  it('accepts an import downwards', () => {
    expect(lint('downwards')).toEqual([]);
  });
});

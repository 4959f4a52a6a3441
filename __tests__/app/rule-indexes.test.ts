import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RULE_FOLDERS, ruleIndexFiles } from '../../app/rule-indexes';

const root = resolve(__dirname, '..', '..');

describe('the index of each rule folder (run `npm run generate` to refresh them)', () => {
  it.each([...ruleIndexFiles(root)])('%s lists every rule file of its folder', (path, content) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(content);
  });

  it('takes a new rule from its file alone, and refuses a file of the folder that is not one rule', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'rule-indexes-'));
    try {
      for (const folder of RULE_FOLDERS) cpSync(join(root, folder.folder), join(scratch, folder.folder), { recursive: true });
      const family = RULE_FOLDERS.find((f) => f.list === 'GUARDRAILS')!;
      writeFileSync(join(scratch, family.folder, 'zz-new-rule.ts'), "import type { Guardrail } from './guardrail';\nexport const zzNewRule: Guardrail = { id: 'zz', description: '', check: () => undefined };\n");
      const index = (folder: string) => ruleIndexFiles(scratch).get(`${folder}/index.ts`);
      expect(index(family.folder)).toContain("import { zzNewRule } from './zz-new-rule';");
      expect(index(family.folder)).toMatch(/export const GUARDRAILS: readonly Guardrail\[\] = \[.*zzNewRule\];/);
      writeFileSync(join(scratch, family.folder, 'helper.ts'), 'export const shared = 1;\n');
      expect(() => ruleIndexFiles(scratch)).toThrow('checks/guardrails/helper.ts: a file of checks/guardrails/ exports exactly one Guardrail (found 0)');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

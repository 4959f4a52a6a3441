import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');

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

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SQL_RULES, PIPELINE_RULES } from '../../checks/sql-rules';
import { packageScript } from '../support/package-script';
import { projectSynthOutput } from '../support/project-synth';

const root = resolve(__dirname, '..', '..');
const fixtures = join('__tests__', 'checks', 'fixtures');
const { command, args: checkArgs } = packageScript('check');
const check = (...args: string[]) => spawnSync(command, [...checkArgs, ...args], { cwd: root, encoding: 'utf8' });

describe('npm run check', () => {
  const files = readdirSync(join(root, fixtures)).filter((f) => f.endsWith('.sql'));

  it('has a bad fixture for every SQL and pipeline rule', () => {
    const covered = files.map((f) => f.replace(/\.sql$/, ''));
    for (const rule of [...SQL_RULES, ...PIPELINE_RULES]) expect(covered).toContain(rule.id);
  });

  // one run over every fixture (a process start costs more than checking a file); each file's findings are read from its lines
  const everyFixture = check(...files.map((file) => join(fixtures, file)));

  it.each(files)('fails on %s, naming the rule at file:line:col', (file) => {
    const rule = file.replace(/\.sql$/, '');
    expect(everyFixture.status).toBe(1);
    expect(everyFixture.stdout).toMatch(new RegExp(`^${fixtures.replace(/[\\/]/g, '[\\\\/]')}[\\\\/]${file.replace('.', '\\.')}:\\d+:\\d+ ${rule} `, 'm'));
  });

  it('fails on one bad fixture alone', () => {
    expect(check(join(fixtures, files[0])).status).toBe(1);
  });

  it('is clean on the project and its synthesized stacks', () => {
    const result = check('--outdir', projectSynthOutput());
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('exits 2 on a file that does not exist, or on a missing synth output', () => {
    expect(check('sql/no/such.sql').status).toBe(2);
    expect(check('--outdir', join(tmpdir(), 'no-such-cdktf-out')).status).toBe(2);
  });
});

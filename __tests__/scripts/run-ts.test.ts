import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

describe('scripts/run-ts.mjs', () => {
  it('rebuilds the bundle when an input changed, even when it comes back with an older mtime', () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-ts-'));
    try {
      const entry = join(dir, 'entry.ts');
      const module = join(dir, 'value.ts');
      writeFileSync(entry, "import { value } from './value';\nprocess.stdout.write(value);\n");
      writeFileSync(module, "export const value = 'first';\n");
      const run = () => execFileSync(process.execPath, ['scripts/run-ts.mjs', entry], { cwd: root, encoding: 'utf8' });
      expect(run()).toBe('first');
      expect(run()).toBe('first');
      // restored from a backup: different content, same size, an mtime older than the bundle
      writeFileSync(module, "export const value = 'other';\n");
      utimesSync(module, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
      expect(run()).toBe('other');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      const bundle = relative(root, join(dir, 'entry')).replace(/[\\/]/g, '-');
      for (const suffix of ['.cjs', '.inputs.json', '.v8cache']) rmSync(join(root, '.build', `${bundle}${suffix}`), { force: true });
    }
  });
});

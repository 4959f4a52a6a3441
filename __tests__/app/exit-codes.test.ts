import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { seedBundles } from '../../plan-review/git-base';
import { packageScript } from '../support/package-script';
import { EXIT_CODES, FailedError, FindingsError, InvalidInputError, exitCodeFor } from '../../model/errors';

/**
 * One error model: every command maps an error to its exit code in one place (model/errors.ts),
 * so the same invalid source file exits with the same code from each of them.
 */
const root = resolve(__dirname, '..', '..');
const BAD_SOURCE = ['name: broken', 'landing: { volume: broken, format: csv }', 'columns: [{ name: id, type: STRING }]', 'key: [id]', 'sequenceBy: missing_column', ''].join('\n');

describe('exit codes', () => {
  it('are decided by error class', () => {
    expect(exitCodeFor(new InvalidInputError('x'))).toBe(EXIT_CODES.invalidInput);
    expect(exitCodeFor(new FindingsError([]))).toBe(EXIT_CODES.failed);
    expect(exitCodeFor(new FailedError('x'))).toBe(EXIT_CODES.failed);
    expect(exitCodeFor(new Error('a bug'))).toBe(EXIT_CODES.internal);
    expect(new Set(Object.values(EXIT_CODES)).size).toBe(Object.keys(EXIT_CODES).length);
  });

  describe('of an invalid source file, from every command that reads the sources', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'exit-codes-'));
    const copy = join(scratch, 'project');
    // a copy of the project's files with one more, invalid, source file
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      try {
        copyFileSync(join(root, file), join(copy, file));
      } catch {
        // a file deleted in the working tree is left out, as a checkout would
      }
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    // the bundles built here, as a plan review gives a base worktree: checked against the copy's files by content, rebuilt where they differ
    seedBundles(root, copy);
    writeFileSync(join(copy, 'config', 'sources', 'broken.yaml'), BAD_SOURCE);
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    // each command as its package script runs it, in the copy
    const run = (script: string, ...args: string[]) => {
      const { command, args: scriptArgs } = packageScript(script);
      return spawnSync(command, [...scriptArgs, ...args], { cwd: copy, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: join(scratch, 'out') } });
    };

    it.each([
      ['synth', []],
      ['check', []],
      ['local', ['describe', 'ingest-orders']],
      ['generate', []],
    ] as const)('%s exits 2 naming file, line and field', (command, args) => {
      const result = run(command, ...args);
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: EXIT_CODES.invalidInput, stderr: expect.stringContaining('config/sources/broken.yaml:5: source "broken", field "sequenceBy"') });
    });

    it('plan-review exits 2 when the base it synthesizes has it', () => {
      // a commit of this repository's HEAD tree with the invalid file added, made without touching the work tree
      const index = join(scratch, 'index');
      const env = { ...process.env, GIT_INDEX_FILE: index, GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };
      const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env, input }).trim();
      git(['read-tree', 'HEAD']);
      const blob = git(['hash-object', '-w', '--stdin'], BAD_SOURCE);
      git(['update-index', '--add', '--cacheinfo', `100644,${blob},config/sources/broken.yaml`]);
      const commit = git(['commit-tree', git(['write-tree']), '-p', 'HEAD', '-m', 'an invalid source'], '');
      mkdirSync(join(scratch, 'head', 'stacks'), { recursive: true });
      const result = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'plan-review/cli.ts', '--base', commit, '--head', join(scratch, 'head')], { cwd: root, encoding: 'utf8' });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: EXIT_CODES.invalidInput, stderr: expect.stringContaining('config/sources/broken.yaml:5: source "broken", field "sequenceBy"') });
    });
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '../model/errors';

/**
 * The node_modules a ref synthesizes with: this checkout's when the ref locks the same
 * dependencies, otherwise the ref's own (lockedDependencies).
 */
function dependenciesFor(projectRoot: string, worktree: string): string {
  const lock = readFileSync(join(worktree, 'package-lock.json'));
  const own = join(projectRoot, 'package-lock.json');
  if (existsSync(own) && readFileSync(own).equals(lock)) return join(projectRoot, 'node_modules');
  return lockedDependencies(projectRoot, readFileSync(join(worktree, 'package.json')), lock);
}

/**
 * The node_modules of another package.json and lock (a base on other libraries, such as one
 * from before a move of the CDK, synthesizes with what it was written for): installed once
 * with `npm ci` into `.build/base-dependencies/<lock hash>/` and reused.
 */
export function lockedDependencies(projectRoot: string, packageJson: Buffer, lock: Buffer): string {
  const folder = join(projectRoot, '.build', 'base-dependencies', createHash('sha256').update(lock).digest('hex').slice(0, 16));
  const modules = join(folder, 'node_modules');
  if (existsSync(modules)) return modules;
  // installed aside and renamed into place, so an interrupted install is never taken for a complete one
  const staging = `${folder}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), packageJson);
  writeFileSync(join(staging, 'package-lock.json'), lock);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: staging, stdio: 'pipe' });
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);
  return modules;
}

/** The bundle runner both checkouts synthesize through (scripts/run-ts.mjs) and the folder it keeps its bundles in. */
const BUNDLE_RUNNER = join('scripts', 'run-ts.mjs');
const BUNDLE_FOLDER = '.build';

/**
 * Gives another checkout of the project (a worktree, a copy) this checkout's bundles when it runs them with the very same runner,
 * which checks a bundle against the content of every input it was built from and rebuilds
 * it on any difference: a base whose code is the head's then synthesizes without bundling
 * again, and any other base is bundled from its own files. A base with another runner gets
 * nothing, so no bundle is trusted by rules it does not share.
 */
export function seedBundles(projectRoot: string, worktree: string): void {
  const runner = join(projectRoot, BUNDLE_RUNNER);
  const theirs = join(worktree, BUNDLE_RUNNER);
  if (!existsSync(runner) || !existsSync(theirs) || !readFileSync(runner).equals(readFileSync(theirs))) return;
  const from = join(projectRoot, BUNDLE_FOLDER);
  if (!existsSync(from)) return;
  mkdirSync(join(worktree, BUNDLE_FOLDER), { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) if (entry.isFile()) copyFileSync(join(from, entry.name), join(worktree, BUNDLE_FOLDER, entry.name));
}

/**
 * Synthesizes the project as it is at a git ref, in a throwaway worktree with the ref's
 * dependencies (see dependenciesFor), and returns the synth output folder. The worktree is
 * removed whatever happens; the output folder is the caller's to remove.
 */
export function synthesizeGitRef(projectRoot: string, ref: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'plan-review-'));
  const worktree = join(scratch, 'worktree');
  const outdir = join(scratch, 'cdktf.out');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, stdio: 'pipe' });
  try {
    try {
      git('rev-parse', '--verify', `${ref}^{commit}`);
    } catch {
      throw new InvalidInputError(`"${ref}" is neither a synth output folder nor a git ref of this repository`);
    }
    git('worktree', 'add', '--detach', worktree, ref);
    try {
      symlinkSync(dependenciesFor(projectRoot, worktree), join(worktree, 'node_modules'), 'dir');
      seedBundles(projectRoot, worktree);
      execFileSync(process.execPath, [BUNDLE_RUNNER, 'main.ts'], { cwd: worktree, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new InvalidInputError(`the base ${ref} does not synthesize${stderr ? `: ${stderr}` : ''}`);
    } finally {
      git('worktree', 'remove', '--force', worktree);
    }
  } catch (error) {
    // nothing of a failed attempt stays behind
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return outdir;
}

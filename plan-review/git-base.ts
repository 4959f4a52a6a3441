import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '../model/errors';

/**
 * Synthesizes the project as it is at a git ref, in a throwaway worktree that shares this
 * checkout's node_modules, and returns the synth output folder. The worktree is removed
 * whatever happens; the output folder is the caller's to remove.
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
      symlinkSync(join(projectRoot, 'node_modules'), join(worktree, 'node_modules'), 'dir');
      execFileSync(process.execPath, ['scripts/run-ts.mjs', 'main.ts'], { cwd: worktree, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe' });
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

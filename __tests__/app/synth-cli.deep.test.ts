import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthOutputFiles } from '../../app/synth-output-files';

/**
 * The CLI (cdktn synth, as `cdktn diff` and `cdktn deploy` run it) writes what npm run synth
 * writes. It starts cdktn's whole CLI, so it runs in test:deep and in .ci/run; the quick
 * suite checks that both run the same app (synth-output.test.ts).
 */
const root = resolve(__dirname, '..', '..');


it('cdktn synth (the CLI) synthesizes the same output as npm run synth, through the same app', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-cli-'));
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1' };
  try {
    execFileSync('npm', ['run', '-s', 'synth'], { cwd: root, env: { ...env, CDKTF_OUTDIR: join(scratch, 'npm') }, stdio: 'pipe' });
    execFileSync(join(root, 'node_modules', '.bin', 'cdktn'), ['synth', '--output', join(scratch, 'cli')], { cwd: root, env, stdio: 'pipe' });
    const npm = synthOutputFiles(join(scratch, 'npm'));
    expect(npm.size).toBeGreaterThan(3);
    expect(synthOutputFiles(join(scratch, 'cli'))).toEqual(npm);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

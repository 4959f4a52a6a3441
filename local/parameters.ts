import { NamingContext, resolvePlaceholders } from '../model/naming';
import type { Workflow, WorkflowTask } from '../model/workflow';
import { BadInputError } from './bad-input';
import { InvalidInputError } from '../model/errors';

/** Values of the Databricks dynamic value references a local run resolves. */
export interface RunContext {
  /** What `{{env.…}}` placeholders resolve to. */
  readonly naming: NamingContext;
  readonly runId: string;
  /** The run's start, which stands for the trigger time too. */
  readonly startedAt: Date;
  /** Task values set so far in the run (dbutils.jobs.taskValues.set), by task key. */
  readonly taskValues?: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** The workflow's job parameters: defaults (with `{{env.…}}` placeholders resolved) overridden by `overrides`. */
export function jobParameters(workflow: Workflow, overrides: Readonly<Record<string, string>>, context: RunContext): Record<string, string> {
  const known = workflow.parameters.map((p) => p.name);
  const unknown = Object.keys(overrides).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new BadInputError(`workflow ${workflow.name} has no parameter ${unknown.map((n) => `"${n}"`).join(', ')}; its parameters: ${known.join(', ')}`);
  }
  const values: Record<string, string> = {};
  for (const parameter of workflow.parameters) {
    const raw = overrides[parameter.name] ?? parameter.default;
    values[parameter.name] = resolveReferences(resolvePlaceholders(raw, context.naming), {}, context, `parameter ${parameter.name}`);
  }
  return values;
}

/** The values a task passes to its asset's parameter markers. */
export function taskParameters(task: WorkflowTask, job: Readonly<Record<string, string>>, context: RunContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(task.parameters ?? {}).map(([name, value]) => [name, resolveReferences(value, job, context, `task ${task.key} parameter ${name}`)]),
  );
}

function resolveReferences(value: string, job: Readonly<Record<string, string>>, context: RunContext, where: string): string {
  const iso = context.startedAt.toISOString();
  const known: Record<string, string> = {
    'job.run_id': context.runId,
    'job.trigger.time.iso_date': iso.slice(0, 10),
    'job.trigger.time.iso_datetime': iso,
    'job.start_time.iso_date': iso.slice(0, 10),
    'job.start_time.iso_datetime': iso,
  };
  return value.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_m, reference: string) => {
    const parameter = /^job\.parameters\.(\w+)$/.exec(reference);
    if (parameter) {
      if (!(parameter[1] in job)) throw new InvalidInputError(`${where} refers to job parameter "${parameter[1]}", which the workflow does not declare`);
      return job[parameter[1]];
    }
    if (reference in known) return known[reference];
    // {{tasks.<task>.values.<key>}}: a value an upstream task set; a string as it is, anything else as JSON
    // (https://docs.databricks.com/en/jobs/task-values.html)
    const taskValue = /^tasks\.([\w-]+)\.values\.(\w+)$/.exec(reference);
    if (taskValue) {
      const values = context.taskValues?.get(taskValue[1]);
      if (!values || !(taskValue[2] in values)) throw new InvalidInputError(`${where} uses {{${reference}}}, but task ${taskValue[1]} set no value ${taskValue[2]} in this run`);
      const value = values[taskValue[2]];
      return typeof value === 'string' ? value : JSON.stringify(value);
    }
    throw new InvalidInputError(`${where} uses {{${reference}}}, which the local runner does not resolve`);
  });
}

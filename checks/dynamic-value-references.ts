/**
 * Databricks job dynamic value references (`{{job.run_id}}`, `{{job.parameters.x}}`, …):
 * which ones exist. An invalid reference in a known namespace (`{{job.naem}}`) is refused
 * when the job is saved; one outside any namespace stays literal text.
 * https://docs.databricks.com/en/jobs/dynamic-value-references.html
 */

const TIME_PARTS = ['iso_weekday', 'is_weekday', 'iso_date', 'iso_datetime', 'year', 'month', 'day', 'hour', 'minute', 'second', 'timestamp_ms'];

const EXACT = new Set([
  'job.id',
  'job.name',
  'job.run_id',
  'job.repair_count',
  'job.trigger.type',
  'job.trigger.file_arrival.location',
  'task.name',
  'task.run_id',
  'task.execution_count',
  'task.notebook_path',
  'workspace.id',
  'workspace.url',
  ...TIME_PARTS.flatMap((p) => [`job.start_time.${p}`, `job.trigger.time.${p}`]),
]);

const NAMESPACES = ['job', 'task', 'tasks', 'workspace'];
const IDENTIFIER = '(?:[A-Za-z0-9_]+|`[^`]+`)';
const TASK_REFERENCE = new RegExp(`^tasks\\.${IDENTIFIER}\\.(run_id|result_state|error_code|execution_count|notebook_path|values\\.${IDENTIFIER})$`);
const JOB_PARAMETER = new RegExp(`^job\\.parameters\\.(${IDENTIFIER})$`);

/** Every `{{…}}` reference in a text. */
export function dynamicReferences(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1]);
}

/** The job parameter a reference reads, if it reads one. */
export function referencedJobParameter(reference: string): string | undefined {
  const match = JOB_PARAMETER.exec(reference);
  return match ? match[1].replace(/^`|`$/g, '') : undefined;
}

/** Why a reference is refused, or undefined when Databricks resolves it (job parameters are checked by the caller). */
export function referenceProblem(reference: string): string | undefined {
  if (EXACT.has(reference) || TASK_REFERENCE.test(reference) || JOB_PARAMETER.test(reference)) return undefined;
  const namespace = reference.split('.')[0];
  if (NAMESPACES.includes(namespace)) return `{{${reference}}} is not a dynamic value reference Databricks knows (the job is refused when saved)`;
  return `{{${reference}}} is in no namespace Databricks resolves (job., task., tasks., workspace.): it would stay literal text`;
}

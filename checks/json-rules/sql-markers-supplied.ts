import { blankSql } from '../../sql-lang/sql-text';
import type { JsonRule, JsonRuleHit } from '../json-rule';
import { MARKER } from '../sql-rules/marker-placement';
import type { SynthesizedStack } from '../synthesized-stack';

/** Each uploaded workspace file (its path and text), by the reference a task uses for its path and by its literal path. */
function uploadedFiles(stack: SynthesizedStack): Map<string, { path: string; text: string }> {
  const files = new Map<string, { path: string; text: string }>();
  for (const file of stack.resources.filter((r) => r.type === 'databricks_workspace_file' && typeof r.config.content_base64 === 'string')) {
    const uploaded = { path: String(file.config.path), text: Buffer.from(String(file.config.content_base64), 'base64').toString('utf8') };
    files.set(`\${${file.address}.path}`, uploaded);
    files.set(uploaded.path, uploaded);
  }
  return files;
}

/**
 * Every named parameter marker of a SQL file run by a task is supplied: by the task's
 * `sql_task.parameters` or by a job parameter (job parameters are pushed down to SQL file
 * tasks). An unsupplied marker fails the task with UNBOUND_SQL_PARAMETER.
 */
export const sqlMarkersSupplied: JsonRule = {
  id: 'sql-markers-supplied',
  description: 'Every :name marker of a SQL file task is supplied by the task parameters or a job parameter.',
  source:
    'https://docs.databricks.com/en/sql/language-manual/sql-ref-parameter-marker.html (UNBOUND_SQL_PARAMETER); https://docs.databricks.com/en/jobs/job-parameters.html (job parameters are pushed down to tasks)',
  check(stack) {
    const files = uploadedFiles(stack);
    const hits: JsonRuleHit[] = [];
    for (const job of stack.resources.filter((r) => r.type === 'databricks_job')) {
      const jobParameters = ((job.config.parameter ?? []) as { name: string }[]).map((p) => p.name);
      for (const task of (job.config.task ?? []) as { task_key: string; sql_task?: { file?: { path?: string }; parameters?: Record<string, string> } }[]) {
        const path = task.sql_task?.file?.path;
        if (!path) continue;
        const uploaded = files.get(path);
        if (uploaded === undefined) {
          hits.push({ address: job.address, message: `job ${String(job.config.name)} task ${task.task_key}: SQL file ${path} is not uploaded by the stack` });
          continue;
        }
        const supplied = new Set([...Object.keys(task.sql_task?.parameters ?? {}), ...jobParameters]);
        const missing = [...new Set([...blankSql(uploaded.text).matchAll(MARKER)].map((m) => m[1]))].filter((name) => !supplied.has(name));
        if (missing.length > 0) {
          hits.push({ address: job.address, message: `job ${String(job.config.name)} task ${task.task_key}: ${missing.map((m) => `:${m}`).join(', ')} of ${uploaded.path} ${missing.length === 1 ? 'is' : 'are'} supplied by no task or job parameter (UNBOUND_SQL_PARAMETER)` });
        }
      }
    }
    return hits;
  },
};

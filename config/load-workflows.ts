import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Pipeline } from '../model/pipeline';
import { generatedSqlFolder } from '../model/naming';
import { graphProblems } from '../model/task-graph';
import type { Workflow } from '../model/workflow';
import { ConfigError, ConfigProblem, zodProblems } from './config-error';
import { pipelineSchema, workflowSchema } from './workflow-schema';

/** Where generated SQL lives (every source's folder starts so). */
const GENERATED_SQL = generatedSqlFolder('');

/** Where an object of a list of config objects came from, for messages. */
function objectAt(kind: string, file: string, raw: unknown, index: number): Omit<ConfigProblem, 'field' | 'message'> {
  const name = (raw as { name?: unknown } | null)?.name;
  return { file, object: typeof name === 'string' ? `${kind} "${name}"` : `${kind} #${index + 1}` };
}

function validateList<T extends { name: string }>(kind: string, file: string, raw: readonly unknown[], schema: z.ZodType<T, z.ZodTypeDef, unknown>, extra: (item: T) => Pick<ConfigProblem, 'field' | 'message'>[]): T[] {
  const problems: ConfigProblem[] = [];
  const items: T[] = [];
  const names = new Set<string>();
  raw.forEach((value, index) => {
    const at = objectAt(kind, file, value, index);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, at));
      return;
    }
    if (names.has(parsed.data.name)) problems.push({ ...at, field: 'name', message: `another ${kind} is already named "${parsed.data.name}"` });
    names.add(parsed.data.name);
    problems.push(...extra(parsed.data).map((p) => ({ ...at, ...p })));
    items.push(parsed.data);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return items;
}

/**
 * Validates workflows as they load: shape (strict, so a misspelt key is an error), task
 * graph (unknown or cyclic dependencies, named by field), job parameter references and the
 * asset files. Throws a ConfigError naming file, workflow and field.
 */
export function loadWorkflows(raw: readonly unknown[], file: string, projectRoot: string): Workflow[] {
  return validateList('workflow', file, raw, workflowSchema, (workflow) => {
    const problems: Pick<ConfigProblem, 'field' | 'message'>[] = [];
    const keys = new Map(workflow.tasks.map((t, i) => [t.key, i]));
    workflow.tasks.forEach((task, i) => {
      if (keys.get(task.key) !== i) problems.push({ field: `tasks[${i}].key`, message: `task "${task.key}" is declared twice` });
      (task.dependsOn ?? []).forEach((dependency, d) => {
        if (!keys.has(dependency)) problems.push({ field: `tasks[${i}].dependsOn[${d}]`, message: `names no task of the workflow (tasks: ${[...keys.keys()].join(', ')})` });
      });
      // generated SQL is checked against its sources at synth (config/generated-files.ts), and may not exist before npm run generate
      if (task.asset.kind !== 'job' && !task.asset.file.startsWith(GENERATED_SQL) && !existsSync(join(projectRoot, task.asset.file))) {
        problems.push({ field: `tasks[${i}].asset.file`, message: `${task.asset.file} does not exist` });
      }
      const declared = new Set(workflow.parameters.map((p) => p.name));
      for (const [name, value] of Object.entries(task.parameters ?? {})) {
        for (const match of value.matchAll(/\{\{\s*job\.parameters\.(\w+)\s*\}\}/g)) {
          if (!declared.has(match[1])) problems.push({ field: `tasks[${i}].parameters.${name}`, message: `{{job.parameters.${match[1]}}} names no parameter of the workflow` });
        }
      }
    });
    for (const problem of graphProblems(workflow.tasks).filter((p) => p.includes('cycle'))) problems.push({ field: 'tasks', message: problem });
    return problems;
  }) as Workflow[];
}

/** Validates pipelines as they load: shape (strict) and source files. */
export function loadPipelines(raw: readonly unknown[], file: string, projectRoot: string): Pipeline[] {
  return validateList('pipeline', file, raw, pipelineSchema, (pipeline) =>
    pipeline.sourceFiles.flatMap((source, i) => (source.startsWith(GENERATED_SQL) || existsSync(join(projectRoot, source)) ? [] : [{ field: `sourceFiles[${i}]`, message: `${source} does not exist` }])),
  );
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSqlSyntax, initSqlParser } from '../sql-lang/syntax';
import type { Pipeline } from '../model/pipeline';
import type { Workflow } from '../model/workflow';
import type { Diagnostic } from '../model/diagnostic';
import type { GuardrailContext } from './guardrails/guardrail';
import { checkGuardrails } from './guardrails';
import { checkStack } from './json-rules';
import { PIPELINE_RULES, checkSqlText } from './sql-rules';
import { checkMergeSources, checkWorkflowTables } from './sql-contract';
import { readSynthesizedStacks } from './synthesized-stack';
import { InvalidInputError } from '../model/errors';

/** The checks of the project as a whole, besides the rules of sql-rules/, pipeline-rules/ and json-rules/: what they check and on what. */
export const CONTRACT_CHECKS: readonly { readonly id: string; readonly on: string; readonly description: string; readonly source: string }[] = [
  { id: 'sql-syntax', on: 'all SQL', description: 'Parses as Databricks SQL (@polyglot-sql/sdk).', source: 'Databricks SQL language reference' },
  { id: 'merge-source-deduplicated', on: 'job SQL', description: 'Every MERGE source is unique on its key (the check fails closed).', source: 'Delta MERGE: DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE' },
  { id: 'workflow-tables-exist', on: 'workflows', description: 'Every table and volume a workflow uses exists when its task runs.', source: 'TABLE_OR_VIEW_NOT_FOUND' },
];

/** What the project check looks at. */
export interface ProjectCheckInput {
  readonly projectRoot: string;
  /** SQL files to check, relative to the project root. */
  readonly sqlFiles: readonly string[];
  readonly workflows: readonly Workflow[];
  readonly pipelines: readonly Pipeline[];
  /** `<layer>.<table>` of the tables the stacks declare, and `<layer>.<volume>` of the volumes. */
  readonly declaredTables: ReadonlySet<string>;
  readonly declaredVolumes: ReadonlySet<string>;
  /** A synth output to check, and the guardrail context of each of its stacks; none to check SQL only. */
  readonly synthOutput?: { readonly dir: string; readonly name: string; readonly contexts: ReadonlyMap<string, GuardrailContext> };
}

/** Findings of the parser, the statement rules and the MERGE contract on SQL files, and of the pipeline rules on the pipelines they belong to. */
export async function checkSqlFiles(projectRoot: string, files: readonly string[], pipelines: readonly Pipeline[]): Promise<Diagnostic[]> {
  await initSqlParser();
  const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');
  const findings: Diagnostic[] = [];
  for (const file of files) {
    const text = read(file);
    const syntax = checkSqlSyntax(file, text);
    if (syntax) findings.push({ file, line: syntax.line, column: syntax.column, rule: 'sql-syntax', severity: 'error', message: syntax.message });
    findings.push(...checkSqlText(file, text));
    findings.push(...checkMergeSources(file, text).map((v) => ({ file, line: v.line, column: 1, rule: 'merge-source-deduplicated', severity: 'error' as const, message: v.message })));
  }
  // a pipeline's files are read together; only findings in the files asked about are kept
  const wanted = new Set(files);
  for (const pipeline of pipelines.filter((p) => p.sourceFiles.some((f) => wanted.has(f)))) {
    const sources = pipeline.sourceFiles.map((file) => ({ file, text: read(file) }));
    findings.push(...PIPELINE_RULES.flatMap((rule) => rule.check(sources)).filter((f) => wanted.has(f.file)));
  }
  const loose = files.filter((f) => !pipelines.some((p) => p.sourceFiles.includes(f)) && /\bCREATE\s+OR\s+REFRESH\b/i.test(read(f)));
  if (loose.length > 0) findings.push(...PIPELINE_RULES.flatMap((rule) => rule.check(loose.map((file) => ({ file, text: read(file) })))));
  return findings;
}

/** Every check of the project: the SQL assets, the workflows' table and volume contracts, and the synthesized stacks. */
export async function checkProject(input: ProjectCheckInput): Promise<Diagnostic[]> {
  const findings = await checkSqlFiles(input.projectRoot, input.sqlFiles, input.pipelines);
  findings.push(
    ...checkWorkflowTables(input.projectRoot, input.workflows, input.declaredTables, input.declaredVolumes).map((v) => ({
      file: v.file,
      line: v.line,
      column: 1,
      rule: 'workflow-tables-exist',
      severity: 'error' as const,
      message: `workflow ${v.workflow} task ${v.task}: ${v.message}`,
    })),
  );
  const output = input.synthOutput;
  if (output) {
    if (!existsSync(output.dir)) throw new InvalidInputError(`${output.name} does not exist: run npm run synth first`);
    for (const stack of readSynthesizedStacks(output.dir)) {
      const context = output.contexts.get(stack.name);
      if (!context) throw new InvalidInputError(`${output.name}/${stack.file}: stack ${stack.name} belongs to no configured environment`);
      findings.push(...checkGuardrails(stack, context, output.name), ...checkStack(stack, output.name));
    }
  }
  return findings;
}

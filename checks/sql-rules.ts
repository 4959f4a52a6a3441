import { blankSql, positionAt, splitStatements } from '../sql-lang/sql-text';
import type { Diagnostic } from '../model/diagnostic';
import type { PipelineRule, PipelineSource } from './pipeline-rule';
import type { SqlKind, SqlRule } from './sql-rule';
import { SQL_RULES } from './sql-rules/index';
import { PIPELINE_RULES } from './pipeline-rules/index';

// the rules themselves: one file each, listed by the generated index of their folder
export { SQL_RULES } from './sql-rules/index';
export { PIPELINE_RULES } from './pipeline-rules/index';

/** Pipeline SQL defines datasets or flows; anything else is job SQL. */
export function sqlKindOf(text: string): SqlKind {
  return /^\s*(CREATE\s+(OR\s+REFRESH\s+)?(PRIVATE\s+|TEMPORARY\s+)?(STREAMING\s+TABLE|MATERIALIZED\s+VIEW|LIVE\s+TABLE|FLOW)|APPLY\s+CHANGES)\b/im.test(blankSql(text)) ? 'pipeline' : 'job';
}

/** Findings of the statement rules on a SQL text (a file, or a statement typed on the command line). */
export function checkSqlText(file: string, text: string, kind: SqlKind = sqlKindOf(text), rules: readonly SqlRule[] = SQL_RULES): Diagnostic[] {
  const findings: Diagnostic[] = [];
  for (const statement of splitStatements(text)) {
    const view = { text: statement.text, code: blankSql(statement.text), kind };
    for (const rule of rules.filter((r) => r.appliesTo.includes(kind))) {
      for (const hit of rule.check(view)) {
        const { line, column } = positionAt(text, statement.offset + hit.index);
        findings.push({ file, line, column, rule: rule.id, severity: 'error', message: hit.message });
      }
    }
  }
  return findings;
}

/** Findings of every rule on the files of one pipeline: each file's statements, then the files together. */
export function checkPipelineSources(sources: readonly PipelineSource[], rules: readonly PipelineRule[] = PIPELINE_RULES): Diagnostic[] {
  return [...sources.flatMap((s) => checkSqlText(s.file, s.text, 'pipeline')), ...rules.flatMap((rule) => rule.check(sources))];
}

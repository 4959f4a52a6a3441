import { blankSql, positionAt, splitStatements } from '../../sql-lang/sql-text';
import type { Diagnostic } from '../../model/diagnostic';
import { datasetStatement } from '../pipeline-statement';
import type { PipelineRule } from '../pipeline-rule';

/** A relation read by name: FROM x, JOIN x, STREAM(x), STREAM x — with LIVE. and dotted parts. */
const READ = /\b(?:FROM|JOIN)\s+(?:STREAM\s*\(\s*|STREAM\s+)?((?:[A-Za-z_`][\w`]*\s*\.\s*)*[A-Za-z_`][\w`]*)(?!\s*[.(\w])|\bSTREAM\s*\(\s*((?:[A-Za-z_`][\w`]*\s*\.\s*)*[A-Za-z_`][\w`]*)\s*\)/gi;

/**
 * Every dataset a pipeline reads by a one-part name (or `LIVE.name`) is defined by the
 * pipeline itself: a typo reads nothing locally and fails the update on Databricks
 * (TABLE_OR_VIEW_NOT_FOUND). Two- and three-part names are external tables; CTE names are local.
 */
export const datasetReferences: PipelineRule = {
  id: 'dataset-references',
  description: 'Every dataset read by a one-part name is defined by the pipeline (or is a CTE); other tables are named schema.table or catalog.schema.table.',
  source: 'https://docs.databricks.com/aws/en/ldp/developer/ldp-sql-ref-create-streaming-table (table_name resolution in a pipeline); error class TABLE_OR_VIEW_NOT_FOUND',
  check(sources) {
    const statements = sources.flatMap((source) => splitStatements(source.text).map((statement) => ({ source, statement, code: blankSql(statement.text) })));
    const defined = new Set<string>();
    for (const { code } of statements) {
      const dataset = datasetStatement(code);
      if (dataset) defined.add(dataset.name.toLowerCase());
      const flowTarget = /^\s*CREATE\s+FLOW\s+\w+\s+AS\s+(?:AUTO\s+CDC|APPLY\s+CHANGES)\s+INTO\s+(?:LIVE\.)?(\w+)/i.exec(code) ?? /^\s*APPLY\s+CHANGES\s+INTO\s+(?:LIVE\.)?(\w+)/i.exec(code);
      if (flowTarget) defined.add(flowTarget[1].toLowerCase());
    }
    const findings: Diagnostic[] = [];
    for (const { source, statement, code } of statements) {
      const ctes = new Set([...code.matchAll(/(?:\bWITH\s+(?:RECURSIVE\s+)?|,\s*)([A-Za-z_]\w*)\s*(?:\([^()]*\)\s*)?AS\s*\(/gi)].map((m) => m[1].toLowerCase()));
      for (const match of code.matchAll(READ)) {
        const written = (match[1] ?? match[2]).replace(/\s+/g, '');
        const parts = written.split('.');
        const live = parts.length === 2 && parts[0].toUpperCase() === 'LIVE';
        if (parts.length > 1 && !live) continue;
        const name = parts.at(-1)!.replace(/`/g, '').toLowerCase();
        if (defined.has(name) || ctes.has(name)) continue;
        const { line, column } = positionAt(source.text, statement.offset + match.index);
        findings.push({ file: source.file, line, column, rule: 'dataset-references', severity: 'error', message: `reads ${written}, which this pipeline does not define (TABLE_OR_VIEW_NOT_FOUND): define it, or name an external table as schema.table` });
      }
    }
    return findings;
  },
};

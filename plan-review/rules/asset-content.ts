import { Dataset, Expectation, datasetsIn } from '../../sql-lang/pipeline-definitions';
import { maskSql, unmaskSql } from '../../sql-lang/sql-text';
import { RuleFinding, ReviewRule } from '../finding';

/** The text of a workspace file or notebook as deployed. */
export function assetText(config: Record<string, unknown>): string | undefined {
  return typeof config.content_base64 === 'string' ? Buffer.from(config.content_base64, 'base64').toString('utf8') : undefined;
}

/** An expectation as its clause reads: `EXPECT (…) [ON VIOLATION …]`. */
function clause(expectation: Expectation): string {
  const violation = { drop: ' ON VIOLATION DROP ROW', fail: ' ON VIOLATION FAIL UPDATE', warn: '' }[expectation.action];
  return `EXPECT (${expectation.expression})${violation}`;
}

/** A streaming table's definition (query and expectations, comments and spacing aside): a change may need a full refresh to reach rows already processed. */
function definition(dataset: Dataset): string {
  const { masked, literals } = maskSql(dataset.query ?? '');
  return JSON.stringify([unmaskSql(masked, literals).replace(/\s+/g, ' ').trim(), dataset.expectations]);
}

export const assetContent: ReviewRule = {
  name: 'asset-content',
  review: (changes) =>
    changes.flatMap((c): RuleFinding[] => {
      if (c.kind !== 'changed' || !['databricks_workspace_file', 'databricks_notebook'].includes(c.after.type)) return [];
      const before = assetText(c.before.config);
      const after = assetText(c.after.config);
      if (before === undefined || after === undefined || before === after) return [];
      const findings: RuleFinding[] = [];
      const file = String(c.after.config.path);
      const datasetsBefore = new Map(datasetsIn(before, file).map((d) => [d.name, d]));
      const datasetsAfter = datasetsIn(after, file);
      const was = new Map([...datasetsBefore.values()].flatMap((d) => d.expectations).map((e) => [e.name, clause(e)]));
      const now = new Map(datasetsAfter.flatMap((d) => d.expectations).map((e) => [e.name, clause(e)]));
      for (const [name, text] of now) {
        if (!was.has(name)) findings.push({ severity: 'warning', rule: 'asset-content', address: c.after.address, message: `adds expectation ${name} ${text}` });
        else if (was.get(name) !== text) findings.push({ severity: 'warning', rule: 'asset-content', address: c.after.address, message: `changes expectation ${name}: ${was.get(name)} → ${text}` });
      }
      for (const [name, text] of was) {
        if (!now.has(name)) findings.push({ severity: 'warning', rule: 'asset-content', address: c.after.address, message: `removes expectation ${name} ${text}` });
      }
      for (const dataset of datasetsAfter.filter((d) => d.kind === 'streaming')) {
        const previous = datasetsBefore.get(dataset.name);
        if (previous && definition(previous) !== definition(dataset)) {
          findings.push({ severity: 'warning', rule: 'asset-content', address: c.after.address, message: `changes the definition of streaming table ${dataset.name}: rows already processed keep the old logic unless the pipeline runs a full refresh` });
        }
      }
      return findings;
    }),
};

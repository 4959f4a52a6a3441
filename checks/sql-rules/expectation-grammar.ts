import { datasetStatement } from '../pipeline-statement';
import type { SqlRule, SqlRuleHit } from '../sql-rule';
import { parenthesized, splitTopLevel } from '../sql-scan';

/**
 * Expectations are written `CONSTRAINT <name> EXPECT (<condition>) [ON VIOLATION { DROP ROW | FAIL UPDATE }]`;
 * without ON VIOLATION a violation is only counted (warn). Anything else in a constraint
 * (`ON VIOLATION DELETE ROW`, `ON VIOLATION FAIL`, a missing name) fails the pipeline update.
 */
export const expectationGrammar: SqlRule = {
  id: 'expectation-grammar',
  description: 'Every expectation reads CONSTRAINT <name> EXPECT (<condition>) [ON VIOLATION DROP ROW | FAIL UPDATE].',
  source: 'https://docs.databricks.com/aws/en/ldp/expectations (the CONSTRAINT … EXPECT clause); https://docs.databricks.com/aws/en/ldp/developer/ldp-sql-ref-create-streaming-table',
  appliesTo: ['pipeline'],
  check({ code }) {
    const dataset = datasetStatement(code);
    const hits: SqlRuleHit[] = [];
    if (dataset?.specification) {
      for (const part of splitTopLevel(dataset.specification.inner, dataset.specification.index)) {
        const expects = /\bEXPECT\b/i.test(part.text);
        if (!/^CONSTRAINT\b/i.test(part.text)) {
          if (expects) hits.push({ index: part.index, message: 'an expectation needs a name: CONSTRAINT <name> EXPECT (<condition>)' });
          continue;
        }
        const head = /^CONSTRAINT\s+([A-Za-z_]\w*)\s+/i.exec(part.text);
        if (!head) {
          hits.push({ index: part.index, message: 'CONSTRAINT needs a plain name: CONSTRAINT <name> EXPECT (<condition>)' });
          continue;
        }
        const body = part.text.slice(head[0].length);
        if (/^(PRIMARY|FOREIGN)\s+KEY\b/i.test(body)) continue;
        const expect = /^EXPECT\s*\(/i.exec(body);
        const condition = expect ? parenthesized(body, expect[0].length - 1) : undefined;
        if (!expect || !condition) {
          hits.push({ index: part.index, message: `constraint ${head[1]} is not CONSTRAINT <name> EXPECT (<condition>)` });
          continue;
        }
        const tail = body.slice(condition.end).trim();
        if (tail !== '' && !/^ON\s+VIOLATION\s+(DROP\s+ROW|FAIL\s+UPDATE)$/i.test(tail)) {
          hits.push({ index: part.index + head[0].length + condition.end + (body.slice(condition.end).length - body.slice(condition.end).trimStart().length), message: `expectation ${head[1]}: "${tail}" is not ON VIOLATION DROP ROW or ON VIOLATION FAIL UPDATE (omit it to only count violations)` });
        }
      }
    }
    return hits;
  },
};

import type { SqlRule, SqlRuleHit } from '../sql-rule';
import { SUBQUERY, matchesAtDepth } from '../sql-scan';

/**
 * Delta refuses a subquery in any condition of a MERGE: the ON search condition and every
 * `WHEN [NOT] MATCHED [BY SOURCE] AND <condition>` (error DELTA_UNSUPPORTED_SUBQUERY,
 * "Subqueries are not supported in the <operation> (condition = <cond>)"). DuckDB accepts
 * them. Evaluate the condition first, e.g. into a session variable, and use the variable.
 */
export const mergeConditionSubquery: SqlRule = {
  id: 'merge-condition-subquery',
  description: 'No subquery (EXISTS, IN (SELECT …), scalar subquery) in a MERGE search condition or WHEN clause condition.',
  source:
    'delta-io/delta spark/src/main/scala/org/apache/spark/sql/delta/PreprocessTableMerge.scala (checkCondition → DeltaErrors.subqueryNotSupportedException, error class DELTA_UNSUPPORTED_SUBQUERY); apache/spark SPARK-44138',
  appliesTo: ['job'],
  check({ code }) {
    if (!/^\s*MERGE\s+INTO\b/i.test(code)) return [];
    const keywords = matchesAtDepth(code, /\b(ON|WHEN|THEN)\b/gi);
    const hits: SqlRuleHit[] = [];
    keywords.forEach((keyword, i) => {
      const word = keyword[1].toUpperCase();
      if (word === 'THEN') return;
      const end = keywords[i + 1]?.index ?? code.length;
      const condition = code.slice(keyword.index, end);
      const subquery = SUBQUERY.exec(condition) ?? /\bEXISTS\s*\(/i.exec(condition);
      if (subquery) {
        const where = word === 'ON' ? 'the MERGE search condition (ON)' : `the condition of a WHEN clause`;
        hits.push({ index: keyword.index + subquery.index, message: `Delta rejects a subquery in ${where} (DELTA_UNSUPPORTED_SUBQUERY): compute it before the MERGE, e.g. into a session variable (DECLARE VARIABLE … SET VAR …), and compare with the variable` });
      }
    });
    return hits;
  },
};

import { typeProblem } from '../../model/databricks-types';
import type { SqlRule, SqlRuleHit } from '../sql-rule';
import { matchesAtDepth, parenthesized, splitTopLevel } from '../sql-scan';

/**
 * Every type a statement names is a Databricks type: column definitions of CREATE TABLE
 * (and of pipeline datasets), CAST / TRY_CAST targets, `::` casts, session variables and
 * the `schema => '…'` of read_files. DuckDB's VARCHAR, HUGEINT, TEXT, BLOB, TIMESTAMPTZ…
 * run locally and fail on Databricks.
 */
export const databricksTypeNames: SqlRule = {
  id: 'databricks-type-names',
  description: 'Every type named (columns, casts, variables, read_files schemas) is a Databricks SQL type.',
  source: 'https://docs.databricks.com/en/sql/language-manual/sql-ref-datatypes.html',
  appliesTo: ['job', 'pipeline'],
  check({ text, code }) {
    const hits: SqlRuleHit[] = [];
    const report = (index: number, written: string) => {
      const problem = typeProblem(written);
      if (problem) hits.push({ index, message: problem });
    };
    // column definitions: CREATE … TABLE|VIEW <name> ( <defs> )
    const create = /^\s*CREATE\b[^(]*?\b(TABLE|VIEW)\s+(IF\s+NOT\s+EXISTS\s+)?(IDENTIFIER\s*\([^)]*\)|[\w.`]+)\s*\(/i.exec(code);
    if (create) {
      const open = create.index + create[0].length - 1;
      const defs = parenthesized(code, open);
      if (defs) {
        for (const part of splitTopLevel(defs.inner, open + 1)) {
          if (/^(CONSTRAINT|PRIMARY|FOREIGN|CHECK)\b/i.test(part.text)) continue;
          const column = /^(`[^`]*`|[A-Za-z_]\w*)\s+/.exec(part.text);
          if (!column) continue;
          const typeStart = part.index + column[0].length;
          report(typeStart, readType(code, typeStart));
        }
      }
    }
    // CAST(x AS type), TRY_CAST(x AS type)
    for (const cast of code.matchAll(/\b(TRY_)?CAST\s*\(/gi)) {
      const open = cast.index + cast[0].length - 1;
      const inner = parenthesized(code, open);
      if (!inner) continue;
      const as = matchesAtDepth(inner.inner, /\bAS\s+/gi).at(-1);
      if (as) report(open + 1 + as.index + as[0].length, inner.inner.slice(as.index + as[0].length).trim());
    }
    // expr::type
    for (const colons of code.matchAll(/::\s*/g)) report(colons.index + colons[0].length, readType(code, colons.index + colons[0].length));
    // DECLARE [OR REPLACE] VARIABLE name type
    const variable = /^\s*DECLARE\s+(OR\s+REPLACE\s+)?(VARIABLE\s+)?[A-Za-z_][\w.]*\s+(?!DEFAULT\b|=)/i.exec(code);
    if (variable) report(variable[0].length, readType(code, variable[0].length));
    // read_files(…, schema => '<name type, …>')
    for (const schema of code.matchAll(/\bschema\s*=>\s*'/gi)) {
      const start = schema.index + schema[0].length;
      const end = code.indexOf("'", start);
      if (end === -1) continue;
      for (const column of splitTopLevel(text.slice(start, end), start)) {
        const definition = /^(`[^`]*`|[A-Za-z_]\w*)\s+([\s\S]+?)(\s+NOT\s+NULL)?$/i.exec(column.text);
        if (definition) report(column.index + definition[1].length + 1, definition[2]);
      }
    }
    return hits;
  },
};

/** The type written at `start`: a name, then a balanced (…) or <…>, or a multi-word type such as `TIMESTAMP WITH TIME ZONE`. */
function readType(code: string, start: number): string {
  const name = /^[A-Za-z_]\w*/.exec(code.slice(start));
  if (!name) return code.slice(start).split(/[\s,)]/)[0];
  let end = start + name[0].length;
  const rest = code.slice(end);
  const opener = /^\s*([(<])/.exec(rest);
  if (opener) {
    const open = end + opener[0].length - 1;
    const close = opener[1] === '(' ? ')' : '>';
    let depth = 0;
    for (let i = open; i < code.length; i++) {
      if (code[i] === opener[1]) depth++;
      else if (code[i] === close && --depth === 0) {
        end = i + 1;
        break;
      }
    }
  } else {
    const zone = /^\s+WITH(OUT)?\s+(LOCAL\s+)?TIME\s+ZONE\b/i.exec(rest);
    if (zone) end += zone[0].length;
  }
  return code.slice(start, end);
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sqlFilesUnder } from '../../sql-lang/syntax';
import { literalValue, maskSql, patternWithLiterals, splitStatements } from '../../sql-lang/sql-text';
import { PLATFORM_TABLES as DECLARED_TABLES } from '../../model/declared-tables';

const root = resolve(__dirname, '..', '..');

interface ParsedDdl {
  readonly file: string;
  readonly columns: { name: string; type: string; nullable: boolean; comment?: string }[];
  readonly clusterKeys: string[];
}

/** Every `CREATE TABLE IF NOT EXISTS IDENTIFIER(:<layer> || '.<table>') (…)` of the SQL assets, by `<layer>.<table>`. */
function ddlOfSqlAssets(): Map<string, ParsedDdl[]> {
  const found = new Map<string, ParsedDdl[]>();
  for (const file of sqlFilesUnder(root, 'sql')) {
    for (const statement of splitStatements(readFileSync(resolve(root, file), 'utf8'))) {
      const { masked, literals } = maskSql(statement.text);
      const head = patternWithLiterals('^CREATE TABLE IF NOT EXISTS IDENTIFIER\\(:(\\w+) \\|\\| <literal>\\)\\s*\\(', 'i').exec(masked);
      if (!head) continue;
      const name = `${head[1]}${literalValue(literals[Number(head[2])])}`;
      let depth = 1;
      let end = head[0].length;
      for (; depth > 0; end++) {
        if (masked[end] === '(') depth++;
        if (masked[end] === ')') depth--;
      }
      const body = masked.slice(head[0].length, end - 1);
      const columns = body.split(/,(?![^(]*\))/).map((definition) => {
        const match = patternWithLiterals('^\\s*(\\w+)\\s+([A-Z]+(?:\\(\\s*\\d+\\s*,\\s*\\d+\\s*\\))?)(\\s+NOT NULL)?(?:\\s+COMMENT\\s+<literal>)?\\s*$', 'i').exec(definition)!;
        return { name: match[1], type: match[2].replace(/\s+/g, ''), nullable: !match[3], comment: match[4] ? literalValue(literals[Number(match[4])]) : undefined };
      });
      const cluster = /CLUSTER BY \(([^)]*)\)/i.exec(masked.slice(end));
      const ddl = { file, columns, clusterKeys: cluster ? cluster[1].split(',').map((k) => k.trim()) : [] };
      found.set(name, [...(found.get(name) ?? []), ddl]);
    }
  }
  return found;
}

describe('SQL DDL of the tables the stacks declare', () => {
  const ddl = ddlOfSqlAssets();

  it.each(DECLARED_TABLES.map((t) => [`${t.layer}.${t.spec.name}`, t.spec] as const))('%s: every CREATE TABLE in sql/ agrees with the declared columns and clustering', (name, spec) => {
    const statements = ddl.get(name) ?? [];
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const expected = spec.columns.map((c) => ({ name: c.name, type: c.type.replace(/\s+/g, ''), nullable: c.nullable }));
      expect({ file: statement.file, columns: statement.columns.map(({ name: n, type, nullable }) => ({ name: n, type: type.toUpperCase(), nullable })) }).toEqual({ file: statement.file, columns: expected });
      expect({ file: statement.file, clusterKeys: statement.clusterKeys }).toEqual({ file: statement.file, clusterKeys: [...spec.clusterKeys] });
    }
  });

  it('keeps the ops tables’ column comments in sync as well', () => {
    for (const { layer, spec } of DECLARED_TABLES.filter((t) => t.layer === 'ops')) {
      const [statement] = ddl.get(`${layer}.${spec.name}`)!;
      expect(statement.columns.map((c) => c.comment)).toEqual(spec.columns.map((c) => c.comment));
    }
  });
});

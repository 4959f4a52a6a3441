import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Dialect, init, isInitialized, parse } from '@polyglot-sql/sdk';

/** A syntax error in a SQL asset, located as `file:line:col`. */
export interface SqlSyntaxError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function formatSyntaxError(error: SqlSyntaxError): string {
  return `${error.file}:${error.line}:${error.column} ${error.message}`;
}

/** Loads the parser's WebAssembly; call (and await) once before checking. */
export async function initSqlParser(): Promise<void> {
  if (!isInitialized()) await init();
}

/**
 * The parser accepts `IDENTIFIER(...)` in queries but not as the target of CREATE, MERGE,
 * INSERT or UPDATE, where Databricks allows it. Each clause is replaced by a plain
 * identifier of the same length, so error lines and columns stay those of the file.
 */
export function maskIdentifierClauses(text: string): string {
  return text.replace(/IDENTIFIER\s*\(([^()]|\([^()]*\))*\)/gi, (clause) => clause.replace(/[^\n]/g, '_'));
}

/**
 * The parser refuses the LIMIT of `DESCRIBE HISTORY <table> LIMIT n`, which Databricks takes
 * (https://docs.databricks.com/en/sql/language-manual/delta-describe-history.html). The clause
 * is blanked, same length, so error lines and columns stay those of the file.
 */
export function maskDescribeHistoryLimit(text: string): string {
  return text.replace(/(\bDESC(?:RIBE)?\s+HISTORY\s+[\w.`]+\s+)(LIMIT\s+\d+)/gi, (_clause, head: string, limit: string) => head + limit.replace(/[^\n]/g, ' '));
}

/** Parses a file's text as Databricks SQL (DLT statements included); undefined when it parses. */
export function checkSqlSyntax(file: string, text: string): SqlSyntaxError | undefined {
  const result = parse(maskDescribeHistoryLimit(maskIdentifierClauses(text)), Dialect.Databricks);
  if (result.success) return undefined;
  const withLocation = result as typeof result & { errorLine?: number; errorColumn?: number };
  const message = (result.error ?? 'does not parse').replace(/^Parse error at line \d+, column \d+: /, '');
  return { file, line: withLocation.errorLine ?? 1, column: withLocation.errorColumn ?? 1, message };
}

/** Every `.sql` file under a folder, as paths relative to `root`. */
export function sqlFilesUnder(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.sql')) found.push(relative(root, full).split('\\').join('/'));
    }
  };
  walk(join(root, folder));
  return found;
}

export function checkSqlFile(root: string, file: string): SqlSyntaxError | undefined {
  return checkSqlSyntax(file, readFileSync(join(root, file), 'utf8'));
}

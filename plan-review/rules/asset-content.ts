import { Finding, ReviewRule } from '../finding';

/** The text of a workspace file or notebook as deployed. */
export function assetText(config: Record<string, unknown>): string | undefined {
  return typeof config.content_base64 === 'string' ? Buffer.from(config.content_base64, 'base64').toString('utf8') : undefined;
}

/** `CONSTRAINT name EXPECT (…) [ON VIOLATION …]` clauses, by name. */
export function expectationsOf(sql: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of sql.matchAll(/CONSTRAINT\s+(\w+)\s+EXPECT\s*\(([\s\S]*?)\)\s*(ON\s+VIOLATION\s+(?:DROP\s+ROW|FAIL\s+UPDATE))?\s*[,)]/gi)) {
    found.set(m[1], `EXPECT (${m[2].trim()})${m[3] ? ` ${m[3].replace(/\s+/g, ' ').toUpperCase()}` : ''}`);
  }
  return found;
}

/** Streaming table definitions, by name: a change to one may need a full refresh to apply to rows already processed. */
function streamingDefinitions(sql: string): Map<string, string> {
  const found = new Map<string, string>();
  const statements = sql.split(/;\s*(?:\n|$)/);
  for (const statement of statements) {
    const m = /CREATE\s+OR\s+REFRESH\s+STREAMING\s+TABLE\s+(\w+)/i.exec(statement);
    if (m) found.set(m[1], statement.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim());
  }
  return found;
}

export const assetContent: ReviewRule = {
  name: 'asset-content',
  review: (changes) =>
    changes.flatMap((c): Finding[] => {
      if (c.kind !== 'changed' || !['databricks_workspace_file', 'databricks_notebook'].includes(c.after.type)) return [];
      const before = assetText(c.before.config);
      const after = assetText(c.after.config);
      if (before === undefined || after === undefined || before === after) return [];
      const findings: Finding[] = [];
      const was = expectationsOf(before);
      const now = expectationsOf(after);
      for (const [name, clause] of now) {
        if (!was.has(name)) findings.push({ severity: 'impact', rule: 'asset-content', address: c.after.address, message: `adds expectation ${name} ${clause}` });
        else if (was.get(name) !== clause) findings.push({ severity: 'impact', rule: 'asset-content', address: c.after.address, message: `changes expectation ${name}: ${was.get(name)} → ${clause}` });
      }
      for (const [name, clause] of was) {
        if (!now.has(name)) findings.push({ severity: 'impact', rule: 'asset-content', address: c.after.address, message: `removes expectation ${name} ${clause}` });
      }
      const streamsBefore = streamingDefinitions(before);
      for (const [name, definition] of streamingDefinitions(after)) {
        if (streamsBefore.has(name) && streamsBefore.get(name) !== definition) {
          findings.push({ severity: 'impact', rule: 'asset-content', address: c.after.address, message: `changes the definition of streaming table ${name}: rows already processed keep the old logic unless the pipeline runs a full refresh` });
        }
      }
      return findings;
    }),
};

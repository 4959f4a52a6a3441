import { Finding, ReviewRule } from '../finding';

interface Column {
  readonly name: string;
  readonly type?: string;
}

/** Column additions, removals and type changes of declared tables, which a plan shows only as a list diff. */
export const tableColumns: ReviewRule = {
  name: 'table-columns',
  review: (changes) =>
    changes.flatMap((c) => {
      if (c.kind !== 'changed' || c.after.type !== 'databricks_sql_table') return [];
      const before = new Map(((c.before.config.column ?? []) as Column[]).map((col) => [col.name, col]));
      const after = new Map(((c.after.config.column ?? []) as Column[]).map((col) => [col.name, col]));
      const table = c.after.name;
      const findings: Finding[] = [];
      for (const [name, col] of before) {
        const now = after.get(name);
        if (!now) findings.push({ severity: 'destructive', rule: 'table-columns', address: c.after.address, message: `drops column ${name} of ${table}: its values are lost` });
        else if (now.type !== col.type) {
          findings.push({ severity: 'destructive', rule: 'table-columns', address: c.after.address, message: `changes column ${name} of ${table} from ${col.type} to ${now.type}: a type change cannot be applied in place (the plan fails or the table is recreated)` });
        }
      }
      for (const [name, col] of after) {
        if (!before.has(name)) findings.push({ severity: 'impact', rule: 'table-columns', address: c.after.address, message: `adds column ${name} ${col.type} to ${table}: existing rows get NULL` });
      }
      return findings;
    }),
};

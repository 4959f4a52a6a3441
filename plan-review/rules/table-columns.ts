import { RuleFinding, ReviewRule } from '../finding';

interface Column {
  readonly name: string;
  readonly type?: string;
  readonly nullable?: boolean;
  readonly comment?: string;
}

/**
 * Whether two declared types plan the same. The provider compares the configured type with the
 * state's lower-cased (getColumnType in catalog/resource_sql_table.go, provider v1.99.0), and the
 * state holds the type as the API returns it, without whitespace (`decimal(12,2)`; provider
 * issue #4192): so two declarations that differ only in case or whitespace plan the same
 * against a deployed table (the one with whitespace diffs forever, which the fidelity rule
 * canonical-column-types refuses).
 */
const canonicalType = (column: Column) => (column.type ?? '').toLowerCase().replace(/\s+/g, '');
const sameType = (a: Column, b: Column) => canonicalType(a) === canonicalType(b);
const sameFields = (a: Column, b: Column) => sameType(a, b) && (a.nullable ?? true) === (b.nullable ?? true) && (a.comment ?? '') === (b.comment ?? '');

/**
 * Column additions, removals and type changes of declared tables, which a plan shows only as
 * a list diff, and the two column changes the provider applies differently from how they
 * read (databricks/terraform-provider-databricks catalog/resource_sql_table.go, v1.99.0):
 * - with the column count unchanged it matches columns by position and renames the ones
 *   whose name differs (alterExistingColumnStatements: `RENAME COLUMN old to new`; types are
 *   compared by position too, assertNoColumnTypeDiff), so dropping one column and adding
 *   another keeps the old values under the new name;
 * - with the column count changed it refuses any change to an existing column's type,
 *   nullability or comment in the same plan (assertNoColumnMembershipAndFieldValueUpdate:
 *   "please do not change number of columns and update column values at the same time").
 */
export const tableColumns: ReviewRule = {
  name: 'table-columns',
  review: (changes) =>
    changes.flatMap((c) => {
      if (c.kind !== 'changed' || c.after.type !== 'databricks_sql_table') return [];
      const beforeList = (c.before.config.column ?? []) as Column[];
      const afterList = (c.after.config.column ?? []) as Column[];
      const before = new Map(beforeList.map((col) => [col.name, col]));
      const after = new Map(afterList.map((col) => [col.name, col]));
      const table = c.after.name;
      const finding = (severity: RuleFinding['severity'], message: string): RuleFinding => ({ severity, rule: 'table-columns', address: c.after.address, message });
      const findings: RuleFinding[] = [];
      // same count: the provider matches by position and renames what no longer matches
      const renames = beforeList.length === afterList.length ? beforeList.flatMap((old, i) => (old.name !== afterList[i].name ? [[old.name, afterList[i].name]] : [])) : [];
      if (renames.length > 0) {
        findings.push(
          finding(
            'error',
            `renames columns of ${table} by position: ${renames.map(([from, to]) => `${from} → ${to}`).join(', ')}: with the column count unchanged the provider matches columns by position, so each new name keeps the old column's values (and a type that differs at a position fails the plan); drop and add in separate deploys if that is not meant`,
          ),
        );
      }
      if (beforeList.length !== afterList.length) {
        const altered = [...before].filter(([name, col]) => after.has(name) && !sameFields(col, after.get(name)!)).map(([name]) => name);
        if (altered.length > 0) {
          findings.push(finding('error', `adds or drops columns of ${table} and changes ${altered.join(', ')} in the same deploy: the provider refuses the plan ("do not change number of columns and update column values at the same time"); deploy the two changes separately`));
        }
      }
      const renamedFrom = new Set(renames.map(([from]) => from));
      const renamedTo = new Set(renames.map(([, to]) => to));
      for (const [name, col] of before) {
        const now = after.get(name);
        if (!now && !renamedFrom.has(name)) findings.push(finding('error', `drops column ${name} of ${table}: its values are lost`));
        else if (now && !renamedFrom.has(name) && !sameType(now, col)) {
          findings.push(finding('error', `changes column ${name} of ${table} from ${col.type} to ${now.type}: a type change cannot be applied in place (the plan fails or the table is recreated)`));
        }
      }
      for (const [name, col] of after) {
        if (!before.has(name) && !renamedTo.has(name)) findings.push(finding('warning', `adds column ${name} ${col.type} to ${table}: existing rows get NULL`));
      }
      return findings;
    }),
};

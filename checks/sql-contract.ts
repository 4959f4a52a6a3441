import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closingParenthesis, literalValue, maskSql, placeholderIndex, splitStatements } from '../sql-lang/sql-text';
import type { Layer } from '../model/layers';
import { defaultNamingContext, resolvePlaceholders } from '../model/naming';
import { topologicalOrder } from '../model/task-graph';
import type { Workflow } from '../model/workflow';

/**
 * Contract checks of the SQL assets, run by the tests: every table a workflow's SQL reads or
 * writes exists (declared by the stacks, or created by an earlier task of the same
 * workflow, or earlier in the same file), every volume it reads is declared, and every
 * MERGE source is deduplicated on the merge key, so a MERGE never fails (or picks a row at
 * random) on duplicate source rows.
 */

export interface ContractViolation {
  readonly workflow?: string;
  readonly task?: string;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export type Access = 'create' | 'write' | 'read';

interface TableUse {
  readonly table: string;
  readonly access: Access;
  readonly line: number;
}

/** The catalog name the checks resolve `{{env.catalog}}` to, and strip from three-part names. */
const CATALOG = 'catalog';

/** `<layer>.<table>` of an `:silver || '.x'` style expression, with the parameters' values; the catalog is dropped, as the environment supplies it. */
function identifierName(expression: string, literals: readonly string[], params: Readonly<Record<string, string>>): string | undefined {
  const parts = expression.split('||').map((t) => t.trim());
  let name = '';
  for (const part of parts) {
    const literal = placeholderIndex(part);
    if (literal !== undefined) name += literalValue(literals[literal]);
    else if (/^:\w+$/.test(part) && params[part.slice(1)] !== undefined) name += params[part.slice(1)];
    else return undefined;
  }
  return name.replace(new RegExp(`^${CATALOG}\\.`), '');
}

/** The tables a SQL file uses, in order, with parameter values resolved from the task. */
export function tableUses(text: string, params: Readonly<Record<string, string>>): TableUse[] {
  const uses: TableUse[] = [];
  for (const statement of splitStatements(text)) {
    const { masked, literals } = maskSql(statement.text);
    for (const match of masked.matchAll(/IDENTIFIER\s*\(([^()]*)\)/gi)) {
      const table = identifierName(match[1], literals, params);
      if (!table) continue;
      const before = masked.slice(0, match.index);
      const access: Access = /CREATE\s+(OR\s+REPLACE\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?$/i.test(before)
        ? 'create'
        : /(INSERT\s+INTO|MERGE\s+INTO|UPDATE)\s+$/i.test(before)
          ? 'write'
          : 'read';
      uses.push({ table, access, line: statement.line + before.split('\n').length - 1 });
    }
    // table_changes(:table, …) reads the table's change data feed
    for (const match of masked.matchAll(/\btable_changes\s*\(\s*:(\w+)/gi)) {
      const value = params[match[1]];
      if (value === undefined) continue;
      const before = masked.slice(0, match.index);
      uses.push({ table: value.replace(new RegExp(`^${CATALOG}\\.`), ''), access: 'read', line: statement.line + before.split('\n').length - 1 });
    }
  }
  return uses;
}

/** Tables and volumes every workflow uses exist where and when its tasks run. */
export function checkWorkflowTables(projectRoot: string, workflows: readonly Workflow[], declaredTables: ReadonlySet<string>, declaredVolumes: ReadonlySet<string>): ContractViolation[] {
  const violations: ContractViolation[] = [];
  for (const workflow of workflows) {
    // job parameters as an environment with the default schema names resolves them
    const naming = defaultNamingContext(CATALOG, [...declaredVolumes].map((key) => ({ name: key.split('.')[1], layer: key.split('.')[0] as Layer })));
    const jobParameters: Record<string, string> = {};
    for (const parameter of workflow.parameters) {
      try {
        jobParameters[parameter.name] = resolvePlaceholders(parameter.default, naming);
      } catch (error) {
        violations.push({ workflow: workflow.name, file: 'config', line: 1, message: `parameter ${parameter.name}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    const created = new Set<string>();
    for (const task of topologicalOrder(workflow.tasks, workflow.name)) {
      if (task.asset.kind !== 'sql') continue;
      const params = Object.fromEntries(
        Object.entries(task.parameters ?? {}).map(([k, v]) => [k, v.replace(/\{\{job\.parameters\.(\w+)\}\}/g, (_m, name: string) => jobParameters[name] ?? '')]),
      );
      const file = task.asset.file;
      const createdHere = new Set<string>();
      for (const use of tableUses(readFileSync(join(projectRoot, file), 'utf8'), params)) {
        if (use.access === 'create') createdHere.add(use.table);
        else if (!declaredTables.has(use.table) && !created.has(use.table) && !createdHere.has(use.table)) {
          violations.push({ workflow: workflow.name, task: task.key, file, line: use.line, message: `${use.access === 'write' ? 'writes' : 'reads'} ${use.table}, which no stack declares and no earlier task creates` });
        }
      }
      createdHere.forEach((t) => created.add(t));
      for (const [name, value] of Object.entries(params)) {
        const volume = /^\/Volumes\/[^/]+\/([^/]+)\/([^/]+)\//.exec(value);
        if (volume && !declaredVolumes.has(`${volume[1]}.${volume[2]}`)) {
          violations.push({ workflow: workflow.name, task: task.key, file, line: 1, message: `parameter ${name} points into volume ${volume[1]}.${volume[2]}, which no environment declares` });
        }
      }
    }
  }
  return violations;
}

function depthZero(masked: string): string {
  let depth = 0;
  let out = '';
  for (const c of masked) {
    if (c === '(') depth++;
    out += depth === 0 ? c : c === '\n' ? '\n' : ' ';
    if (c === ')') depth--;
  }
  return out;
}

/** Every MERGE of a SQL file reads a source with at most one row per merge key. */
export function checkMergeSources(file: string, text: string): ContractViolation[] {
  const violations: ContractViolation[] = [];
  for (const statement of splitStatements(text)) {
    const { masked } = maskSql(statement.text);
    if (!/\bMERGE\s+INTO\b/i.test(masked)) continue;
    const using = /\bMERGE\s+INTO\b[\s\S]*?\bUSING\s*\(/i.exec(masked);
    if (!using) {
      violations.push({ file, line: statement.line, message: 'MERGE source must be a subquery followed by AS <alias> ON <condition>, so its deduplication can be checked' });
      continue;
    }
    const open = using.index + using[0].length - 1;
    const end = closingParenthesis(masked, open);
    const close = end === -1 ? masked.length : end - 1;
    const source = masked.slice(open + 1, close);
    // a MERGE this check cannot read is a violation, never a silent pass
    const tail = /^\s*AS\s+(\w+)\s+ON\s+([\s\S]+?)\s+WHEN\b/i.exec(masked.slice(close + 1));
    if (!tail) {
      violations.push({ file, line: statement.line, message: 'MERGE source must be a subquery followed by AS <alias> ON <condition>, so its deduplication can be checked' });
      continue;
    }
    const alias = tail[1];
    const keys = [...tail[2].matchAll(/(\w+)\.(\w+)\s*=\s*(\w+)\.(\w+)/g)].map((m) => (m[1] === alias ? m[2] : m[3] === alias ? m[4] : undefined)).filter((k): k is string => !!k);
    if (keys.length === 0) {
      violations.push({ file, line: statement.line, message: `MERGE condition names no source column (${alias}.<key>) equal to a target column` });
      continue;
    }
    const outer = depthZero(source);
    const stripAlias = (list: string) => list.split(',').map((c) => c.trim().replace(/^\w+\./, ''));
    const qualify = /QUALIFY\s+row_number\s*\(\s*\)\s*OVER\s*\(\s*PARTITION\s+BY\s+([^)]*?)\s+ORDER\s+BY[^)]*\)\s*=\s*1/i.exec(source);
    const partitioned = qualify && outer.includes('QUALIFY') ? stripAlias(qualify[1]) : [];
    const groupBy = /\bGROUP\s+BY\s+([\s\S]+?)(?:\bHAVING\b|\bQUALIFY\b|$)/i.exec(outer);
    const grouped = groupBy ? stripAlias(groupBy[1]) : [];
    const singleRow = !/\bFROM\b/i.test(outer);
    for (const key of keys) {
      const constant = new RegExp(`:\\w+\\s+AS\\s+${key}\\b`, 'i').test(outer);
      if (!singleRow && !constant && !partitioned.includes(key) && !grouped.includes(key)) {
        violations.push({ file, line: statement.line, message: `MERGE source is not deduplicated on merge key ${key}: add QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} …) = 1 or GROUP BY ${keys.join(', ')}` });
      }
    }
  }
  return violations;
}

import { GUARDRAILS } from '../checks/guardrails';
import { JSON_RULES } from '../checks/json-rules';
import { CONTRACT_CHECKS } from '../checks/project-check';
import { PIPELINE_RULES, SQL_RULES } from '../checks/sql-rules';
import type { Project } from '../config/project';
import { EXIT_CODES, EXIT_CODE_MEANINGS } from '../model/errors';
import { startedBy } from './job-diagrams';
import { markdownTable } from './readme-regions';

/**
 * The README's tables that code determines, by region name (see readme-regions.ts): the
 * exit codes, the fidelity rules, the guardrails and the workflows. `npm run generate`
 * writes them; a test fails when one is stale, so the README never describes what the code
 * no longer does.
 */
export function readmeTables(project: Project): Map<string, string> {
  return new Map([
    ['exit-codes', exitCodesTable()],
    ['fidelity-rules', fidelityRulesTable()],
    ['guardrails', guardrailsTable()],
    ['workflows', workflowsTable(project)],
  ]);
}

const code = (text: string) => `\`${text}\``;

function exitCodesTable(): string {
  return markdownTable(
    ['exit code', 'meaning'],
    (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]).map((name) => [String(EXIT_CODES[name]), EXIT_CODE_MEANINGS[name]]),
  );
}

function fidelityRulesTable(): string {
  const on = (kinds: readonly string[]) => (kinds.length === 2 ? 'all SQL' : `${kinds[0]} SQL`);
  return markdownTable(['rule', 'on', 'what', 'source'], [
    ...SQL_RULES.map((r) => [code(r.id), on(r.appliesTo), r.description, r.source]),
    ...PIPELINE_RULES.map((r) => [code(r.id), "a pipeline's files", r.description, r.source]),
    ...JSON_RULES.map((r) => [code(r.id), 'cdktf.out', r.description, r.source]),
    ...CONTRACT_CHECKS.map((c) => [code(c.id), c.on, c.description, c.source]),
  ]);
}

function guardrailsTable(): string {
  return markdownTable(['rule', 'what'], GUARDRAILS.map((g) => [code(g.id), g.description]));
}

function workflowsTable(project: Project): string {
  return markdownTable(
    ['workflow', 'what it does', 'started by', 'diagram'],
    project.workflows.map((w) => [code(w.name), w.description, startedBy(w), `[${w.name}](docs/jobs/${w.name}.md)`]),
  );
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closingParenthesis, maskSql, patternWithLiterals, splitStatements, unmaskSql } from './sql-text';
import { InvalidInputError } from '../model/errors';

/**
 * The datasets and flows a declarative pipeline's SQL defines, read from its files the way
 * the Databricks pipeline reads them: `${key}` configuration values substituted first.
 */

export type ViolationAction = 'drop' | 'fail' | 'warn';

export interface Expectation {
  readonly name: string;
  /** The SQL boolean expression, as written. */
  readonly expression: string;
  readonly action: ViolationAction;
}

export interface Dataset {
  readonly name: string;
  readonly kind: 'streaming' | 'materialized';
  readonly expectations: readonly Expectation[];
  /** The defining query, as written; absent for a streaming table fed by flows. */
  readonly query?: string;
  readonly file: string;
  readonly line: number;
}

/** `AUTO CDC INTO` (or the older `APPLY CHANGES INTO`): changes of a stream applied to a target by key. */
export interface CdcFlow {
  readonly name: string;
  readonly target: string;
  readonly source: string;
  readonly keys: readonly string[];
  readonly sequenceBy: string;
  readonly scdType: 1 | 2;
  readonly file: string;
  readonly line: number;
}

export interface PipelineDefinitions {
  readonly datasets: readonly Dataset[];
  readonly flows: readonly CdcFlow[];
}

export class PipelineDefinitionError extends InvalidInputError {}

const fail = (file: string, line: number, message: string) => new PipelineDefinitionError(`${file}:${line}: ${message}`);

/** Replaces `${key}` with configuration values; an unknown key is an error naming it. */
export function substituteConfiguration(text: string, file: string, configuration: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([\w.]+)\}/g, (_m, key: string, offset: number) => {
    if (!(key in configuration)) throw fail(file, text.slice(0, offset).split('\n').length, `configuration value \${${key}} is not set by the pipeline`);
    return configuration[key];
  });
}

function parseExpectations(masked: string, literals: readonly string[], file: string, line: number): Expectation[] {
  const expectations: Expectation[] = [];
  let rest = masked.trim();
  while (rest.length > 0) {
    const head = /^CONSTRAINT\s+(\w+)\s+EXPECT\s*\(/i.exec(rest);
    if (!head) throw fail(file, line, `expected "CONSTRAINT <name> EXPECT (<condition>)", found "${unmaskSql(rest.slice(0, 40), literals)}"`);
    const end = closingParenthesis(rest, head[0].length - 1);
    const expression = unmaskSql(rest.slice(head[0].length, end - 1), literals).trim();
    rest = rest.slice(end).trim();
    const violation = /^ON\s+VIOLATION\s+(DROP\s+ROW|FAIL\s+UPDATE)/i.exec(rest);
    const action: ViolationAction = !violation ? 'warn' : /DROP/i.test(violation[1]) ? 'drop' : 'fail';
    if (violation) rest = rest.slice(violation[0].length).trim();
    expectations.push({ name: head[1], expression, action });
    rest = rest.replace(/^,\s*/, '');
  }
  return expectations;
}

function parseDataset(masked: string, literals: readonly string[], file: string, line: number): Dataset | undefined {
  const head = /^CREATE\s+OR\s+REFRESH\s+(STREAMING\s+TABLE|MATERIALIZED\s+VIEW)\s+(?:LIVE\.)?(\w+)\s*/i.exec(masked);
  if (!head) return undefined;
  let rest = masked.slice(head[0].length);
  let expectations: Expectation[] = [];
  if (rest.startsWith('(')) {
    const end = closingParenthesis(rest, 0);
    expectations = parseExpectations(rest.slice(1, end - 1), literals, file, line);
    rest = rest.slice(end).trim();
  }
  rest = rest.replace(patternWithLiterals('^COMMENT\\s+<literal>\\s*', 'i'), '');
  const query = /^AS\s+([\s\S]+)$/i.exec(rest);
  if (!query && rest.trim() !== '') throw fail(file, line, `cannot read the definition of ${head[2]} after "${unmaskSql(rest.slice(0, 40), literals)}"`);
  const kind = /STREAMING/i.test(head[1]) ? 'streaming' : 'materialized';
  if (!query && kind === 'materialized') throw fail(file, line, `materialized view ${head[2]} has no query`);
  return { name: head[2], kind, expectations, query: query ? unmaskSql(query[1], literals) : undefined, file, line };
}

function parseFlow(masked: string, file: string, line: number): CdcFlow | undefined {
  const flow =
    /^CREATE\s+FLOW\s+(\w+)\s+AS\s+AUTO\s+CDC\s+INTO\s+(?:LIVE\.)?(\w+)\s+FROM\s+STREAM\s*\(\s*(?:LIVE\.)?(\w+)\s*\)\s+KEYS\s*\(([^)]*)\)\s+SEQUENCE\s+BY\s+(\w+)(?:\s+STORED\s+AS\s+SCD\s+TYPE\s+([12]))?\s*$/i.exec(masked) ??
    /^(APPLY)\s+CHANGES\s+INTO\s+(?:LIVE\.)?(\w+)\s+FROM\s+STREAM\s*\(\s*(?:LIVE\.)?(\w+)\s*\)\s+KEYS\s*\(([^)]*)\)\s+SEQUENCE\s+BY\s+(\w+)(?:\s+STORED\s+AS\s+SCD\s+TYPE\s+([12]))?\s*$/i.exec(masked);
  if (!flow) return undefined;
  return {
    name: flow[1].toUpperCase() === 'APPLY' ? `${flow[2]}_changes` : flow[1],
    target: flow[2],
    source: flow[3],
    keys: flow[4].split(',').map((k) => k.trim()),
    sequenceBy: flow[5],
    scdType: flow[6] === '2' ? 2 : 1,
    file,
    line,
  };
}

/** The datasets a SQL text defines; statements that define none are skipped, so any SQL file can be read. */
export function datasetsIn(text: string, file: string): Dataset[] {
  return splitStatements(text).flatMap((statement) => {
    const { masked, literals } = maskSql(statement.text);
    const dataset = parseDataset(masked, literals, file, statement.line);
    return dataset ? [dataset] : [];
  });
}

/** Reads the datasets and flows of a pipeline's SQL files. */
export function readPipelineDefinitions(
  projectRoot: string,
  files: readonly string[],
  configuration: Readonly<Record<string, string>>,
  read: (file: string) => string = (file) => readFileSync(join(projectRoot, file), 'utf8'),
): PipelineDefinitions {
  const datasets: Dataset[] = [];
  const flows: CdcFlow[] = [];
  for (const file of files) {
    const text = substituteConfiguration(read(file), file, configuration);
    for (const statement of splitStatements(text)) {
      const { masked, literals } = maskSql(statement.text);
      const dataset = parseDataset(masked, literals, file, statement.line);
      const flow = dataset ? undefined : parseFlow(masked, file, statement.line);
      if (dataset) datasets.push(dataset);
      else if (flow) flows.push(flow);
      else throw fail(file, statement.line, `not a pipeline definition: "${statement.text.slice(0, 60)}…" (expected CREATE OR REFRESH STREAMING TABLE / MATERIALIZED VIEW, or an AUTO CDC flow)`);
    }
  }
  const names = new Set<string>();
  for (const dataset of datasets) {
    if (names.has(dataset.name)) throw fail(dataset.file, dataset.line, `${dataset.name} is defined twice`);
    names.add(dataset.name);
  }
  for (const flow of flows) {
    const target = datasets.find((d) => d.name === flow.target);
    if (!target || target.kind !== 'streaming' || target.query) throw fail(flow.file, flow.line, `flow ${flow.name} writes into ${flow.target}, which must be a streaming table declared without a query`);
    if (!names.has(flow.source)) throw fail(flow.file, flow.line, `flow ${flow.name} reads ${flow.source}, which the pipeline does not define`);
  }
  return { datasets, flows };
}

/** Datasets a query reads, in order of first mention: `FROM x`, `JOIN x`, `STREAM(x)`, `LIVE.x`. */
export function referencedDatasets(query: string, known: ReadonlySet<string>): string[] {
  const { masked } = maskSql(query);
  const found = [...masked.matchAll(/\b(?:FROM|JOIN)\s+(?:STREAM\s*\(\s*)?(?:LIVE\.)?(\w+)\b(?!\s*\()|\bSTREAM\s*\(\s*(?:LIVE\.)?(\w+)\s*\)/gi)].map((m) => m[1] ?? m[2]);
  return [...new Set(found.filter((name) => known.has(name)))];
}

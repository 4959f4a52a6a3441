import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FindingsError } from '../../model/errors';
import { checkPipelineSources } from '../../checks/sql-rules';
import { resolvePlaceholders } from '../../model/naming';
import type { Pipeline } from '../../model/pipeline';
import { topologicalOrder } from '../../model/task-graph';
import { LocalEngine, Row } from '../engine';
import { maskSql, unmaskSql } from '../../sql-lang/sql-text';
import { CdcFlow, Dataset, Expectation, PipelineDefinitions, readPipelineDefinitions, referencedDatasets, substituteConfiguration } from '../../sql-lang/pipeline-definitions';

/**
 * Runs a declarative pipeline's update on the local engine with Databricks semantics:
 * datasets in dependency order; streaming tables read only what is new since their last
 * update (files not seen before, rows appended upstream); materialized views recomputed;
 * expectations applied (DROP ROW removes and counts, FAIL UPDATE fails the whole update
 * and leaves every table as it was, warn-only keeps and counts); AUTO CDC flows keep SCD
 * type 2 history with correct open and closed versions whatever the order changes arrive in.
 */

export interface ExpectationMetric {
  readonly dataset: string;
  readonly expectation: string;
  readonly action: Expectation['action'];
  readonly passed: number;
  /** Rows that violated it: dropped, warned about, or (fail) the rows that failed the update. */
  readonly failed: number;
}

export interface DatasetOutcome {
  readonly dataset: string;
  readonly kind: Dataset['kind'];
  /** Rows the dataset's query produced (new rows, for a streaming table). */
  readonly rowsIn: number;
  readonly rowsWritten: number;
  /** Files a streaming table read in this update. */
  readonly filesRead: string[];
}

export interface PipelineUpdate {
  readonly pipeline: string;
  readonly update: number;
  readonly succeeded: boolean;
  readonly error?: string;
  readonly datasets: DatasetOutcome[];
  readonly expectations: ExpectationMetric[];
  /** Row count of each dataset after the update (null when it does not exist). */
  readonly tables: Record<string, number | null>;
}

/** Marks the update a streaming row arrived in, so downstream streams read only what is new. */
const UPDATE_COLUMN = '__dlt_update';
const SCRATCH = '__dlt_new';

export async function runPipeline(engine: LocalEngine, pipeline: Pipeline, projectRoot: string): Promise<PipelineUpdate> {
  const configuration = Object.fromEntries(Object.entries(pipeline.configuration).map(([k, v]) => [k, resolvePlaceholders(v, engine.naming)]));
  // what Databricks would refuse fails the update before anything runs, naming the rule
  const sources = pipeline.sourceFiles.map((file) => ({ file, text: substituteConfiguration(readFileSync(join(projectRoot, file), 'utf8'), file, configuration) }));
  const findings = checkPipelineSources(sources);
  if (findings.length > 0) {
    return { pipeline: pipeline.name, update: 0, succeeded: false, error: new FindingsError(findings).message, datasets: [], expectations: [], tables: {} };
  }
  const definitions = readPipelineDefinitions(projectRoot, pipeline.sourceFiles, configuration);
  const run = new PipelineUpdateRun(engine, pipeline, definitions);
  let error: string | undefined;
  try {
    await engine.inTransaction(() => run.execute());
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const tables: Record<string, number | null> = {};
  for (const dataset of definitions.datasets) tables[dataset.name] = (await engine.rowCount(`${pipeline.schema}.${dataset.name}`)) ?? null;
  return { pipeline: pipeline.name, update: run.update, succeeded: error === undefined, error, datasets: run.outcomes, expectations: run.metrics, tables };
}

class PipelineUpdateRun {
  update = 0;
  readonly outcomes: DatasetOutcome[] = [];
  readonly metrics: ExpectationMetric[] = [];
  private readonly byName: ReadonlyMap<string, Dataset>;

  constructor(
    private readonly engine: LocalEngine,
    private readonly pipeline: Pipeline,
    private readonly definitions: PipelineDefinitions,
  ) {
    this.byName = new Map(definitions.datasets.map((d) => [d.name, d]));
  }

  private table(name: string): string {
    return `"${this.engine.catalog}"."${this.pipeline.schema}"."${name}"`;
  }

  private sql(sql: string, dataset?: Dataset, files?: { skipFiles: ReadonlySet<string>; filesRead: string[] }): Promise<Row[]> {
    return this.engine.executeTranslated(dataset?.file ?? `pipeline ${this.pipeline.name}`, dataset?.line ?? 1, sql, {}, files);
  }

  async execute(): Promise<void> {
    await this.sql(`CREATE SCHEMA IF NOT EXISTS "${this.engine.catalog}"."${this.pipeline.schema}"`);
    await this.sql(`CREATE TABLE IF NOT EXISTS ${this.table('__dlt_files')} (dataset VARCHAR, file_path VARCHAR, update_id BIGINT)`);
    await this.sql(`CREATE TABLE IF NOT EXISTS ${this.table('__dlt_checkpoints')} (dataset VARCHAR, source VARCHAR, update_id BIGINT)`);
    await this.sql(`CREATE TABLE IF NOT EXISTS ${this.table('__dlt_updates')} (update_id BIGINT, started_at TIMESTAMP)`);
    const [{ next }] = await this.sql(`SELECT coalesce(max(update_id), 0) + 1 AS next FROM ${this.table('__dlt_updates')}`);
    this.update = Number(next);
    await this.sql(`INSERT INTO ${this.table('__dlt_updates')} VALUES (${this.update}, current_timestamp)`);

    const known = new Set(this.byName.keys());
    const nodes = this.definitions.datasets.map((d) => ({
      key: d.name,
      dependsOn: d.query ? referencedDatasets(d.query, known).filter((r) => r !== d.name) : this.definitions.flows.filter((f) => f.target === d.name).map((f) => f.source),
    }));
    for (const { key } of topologicalOrder(nodes, `pipeline ${this.pipeline.name}`)) {
      const dataset = this.byName.get(key)!;
      if (dataset.query) await this.refreshDataset(dataset);
      else for (const flow of this.definitions.flows.filter((f) => f.target === key)) await this.applyChanges(dataset, flow);
    }
    await this.sql(`DROP TABLE IF EXISTS ${this.table(SCRATCH)}`);
  }

  private exists(name: string): Promise<boolean> {
    return this.engine.tableExists(`${this.pipeline.schema}.${name}`);
  }

  private async checkpoint(dataset: string, source: string): Promise<number> {
    const [row] = await this.sql(`SELECT coalesce(max(update_id), 0) AS u FROM ${this.table('__dlt_checkpoints')} WHERE dataset = '${dataset}' AND source = '${source}'`);
    return Number(row.u);
  }

  /** The query with pipeline datasets replaced by their tables: STREAM(x) by the rows x gained since this dataset last read it. */
  private async resolveQuery(dataset: Dataset): Promise<{ sql: string; sources: string[] }> {
    const { masked, literals } = maskSql(dataset.query!);
    const sources: string[] = [];
    const checkpoints = new Map<string, number>();
    for (const name of referencedDatasets(dataset.query!, new Set(this.byName.keys()))) checkpoints.set(name, await this.checkpoint(dataset.name, name));
    const plain = (name: string) => (this.byName.get(name)!.kind === 'streaming' ? `(SELECT * EXCLUDE (${UPDATE_COLUMN}) FROM ${this.table(name)})` : this.table(name));
    let resolved = masked.replace(/\bSTREAM\s*\(\s*(?:LIVE\.)?(\w+)\s*\)/gi, (match, name: string) => {
      const source = this.byName.get(name);
      if (!source) return match;
      if (source.kind !== 'streaming') throw new Error(`${dataset.file}:${dataset.line}: STREAM(${name}) reads a materialized view; only streaming tables can be read as a stream`);
      sources.push(name);
      return `(SELECT * EXCLUDE (${UPDATE_COLUMN}) FROM ${this.table(name)} WHERE ${UPDATE_COLUMN} > ${checkpoints.get(name)})`;
    });
    resolved = resolved.replace(/\b(FROM|JOIN)(\s+)(?:LIVE\.)?(\w+)\b(?!\s*\()/gi, (match, keyword: string, space: string, name: string) =>
      this.byName.has(name) ? `${keyword}${space}${plain(name)}` : match,
    );
    resolved = resolved.replace(/\bSTREAM\s+(?=read_files\s*\()/gi, '');
    return { sql: unmaskSql(resolved, literals), sources };
  }

  private async refreshDataset(dataset: Dataset): Promise<void> {
    const { sql: query, sources } = await this.resolveQuery(dataset);
    const streaming = dataset.kind === 'streaming';
    const processed = streaming ? await this.sql(`SELECT file_path FROM ${this.table('__dlt_files')} WHERE dataset = '${dataset.name}'`) : [];
    const files = { skipFiles: new Set(processed.map((r) => String(r.file_path))), filesRead: [] as string[] };
    await this.sql(`CREATE OR REPLACE TABLE ${this.table(SCRATCH)} AS ${query}`, dataset, files);
    const rowsIn = await this.count(SCRATCH);
    await this.applyExpectations(dataset, rowsIn);
    const rowsWritten = await this.count(SCRATCH);

    if (!streaming) await this.sql(`CREATE OR REPLACE TABLE ${this.table(dataset.name)} AS SELECT * FROM ${this.table(SCRATCH)}`, dataset);
    else {
      if (!(await this.exists(dataset.name))) {
        await this.sql(`CREATE TABLE ${this.table(dataset.name)} AS SELECT *, CAST(0 AS BIGINT) AS ${UPDATE_COLUMN} FROM ${this.table(SCRATCH)} WHERE false`, dataset);
      }
      await this.sql(`INSERT INTO ${this.table(dataset.name)} BY NAME SELECT *, ${this.update} AS ${UPDATE_COLUMN} FROM ${this.table(SCRATCH)}`, dataset);
      for (const file of files.filesRead) {
        await this.sql(`INSERT INTO ${this.table('__dlt_files')} VALUES ('${dataset.name}', '${file.replace(/'/g, "''")}', ${this.update})`);
      }
      for (const source of sources) await this.sql(`INSERT INTO ${this.table('__dlt_checkpoints')} VALUES ('${dataset.name}', '${source}', ${this.update})`);
    }
    this.outcomes.push({ dataset: dataset.name, kind: dataset.kind, rowsIn, rowsWritten, filesRead: files.filesRead });
  }

  private async count(name: string): Promise<number> {
    const [row] = await this.sql(`SELECT count(*) AS n FROM ${this.table(name)}`);
    return Number(row.n);
  }

  /** Counts each expectation's violations; fails the update on a FAIL UPDATE violation; removes DROP ROW violations. */
  private async applyExpectations(dataset: Dataset, rowsIn: number): Promise<void> {
    if (dataset.expectations.length === 0) return;
    const holds = (e: Expectation) => `coalesce((${e.expression}), false)`;
    const counts = dataset.expectations.map((e, i) => `count(*) FILTER (WHERE NOT ${holds(e)}) AS "v${i}"`).join(', ');
    const [violations] = await this.sql(`SELECT ${counts} FROM ${this.table(SCRATCH)}`, dataset);
    dataset.expectations.forEach((e, i) => {
      const failed = Number(violations[`v${i}`]);
      this.metrics.push({ dataset: dataset.name, expectation: e.name, action: e.action, passed: rowsIn - failed, failed });
    });
    const failing = dataset.expectations.filter((e, i) => e.action === 'fail' && Number(violations[`v${i}`]) > 0);
    if (failing.length > 0) {
      const e = failing[0];
      const n = Number(violations[`v${dataset.expectations.indexOf(e)}`]);
      throw new Error(`${dataset.file}:${dataset.line}: expectation ${e.name} on ${dataset.name} failed the update (ON VIOLATION FAIL UPDATE): ${n} row(s) violate ${e.expression}`);
    }
    const drops = dataset.expectations.filter((e) => e.action === 'drop');
    if (drops.length > 0) await this.sql(`DELETE FROM ${this.table(SCRATCH)} WHERE NOT (${drops.map(holds).join(' AND ')})`, dataset);
  }

  /**
   * Applies the changes `flow.source` gained since the last update to `target`. SCD type 2
   * recomputes each touched key's versions from all it has seen, so a late change lands
   * between the versions it belongs between and every version's __END_AT is the next
   * version's __START_AT. SCD type 1 keeps the latest change per key.
   */
  private async applyChanges(target: Dataset, flow: CdcFlow): Promise<void> {
    const since = await this.checkpoint(target.name, flow.source);
    const changes = `(SELECT * EXCLUDE (${UPDATE_COLUMN}) FROM ${this.table(flow.source)} WHERE ${UPDATE_COLUMN} > ${since})`;
    await this.sql(`CREATE OR REPLACE TABLE ${this.table(SCRATCH)} AS SELECT * FROM ${changes}`, target);
    const rowsIn = await this.count(SCRATCH);
    const keys = flow.keys.map((k) => `"${k}"`).join(', ');
    const sameKey = (a: string, b: string) => flow.keys.map((k) => `${a}."${k}" = ${b}."${k}"`).join(' AND ');
    const sequence = `"${flow.sequenceBy}"`;
    if (!(await this.exists(target.name))) {
      const history = flow.scdType === 2 ? `, ${sequence} AS __START_AT, ${sequence} AS __END_AT` : '';
      await this.sql(`CREATE TABLE ${this.table(target.name)} AS SELECT *${history}, CAST(0 AS BIGINT) AS ${UPDATE_COLUMN} FROM ${this.table(SCRATCH)} WHERE false`, target);
    }
    const touched = `EXISTS (SELECT 1 FROM ${this.table(SCRATCH)} AS c WHERE ${sameKey('c', 't')})`;
    const known = flow.scdType === 2 ? `SELECT * EXCLUDE (__START_AT, __END_AT, ${UPDATE_COLUMN}), 0 AS __arrival FROM ${this.table(target.name)} AS t WHERE ${touched}` : `SELECT * EXCLUDE (${UPDATE_COLUMN}), 0 AS __arrival FROM ${this.table(target.name)} AS t WHERE ${touched}`;
    // one version per key and sequence value: a change arriving again replaces, never duplicates
    const versions = `SELECT * EXCLUDE (__arrival) FROM (${known} UNION ALL BY NAME SELECT *, 1 AS __arrival FROM ${this.table(SCRATCH)}) QUALIFY row_number() OVER (PARTITION BY ${keys}, ${sequence} ORDER BY __arrival DESC) = 1`;
    const rows =
      flow.scdType === 2
        ? `SELECT *, ${sequence} AS __START_AT, lead(${sequence}) OVER (PARTITION BY ${keys} ORDER BY ${sequence}) AS __END_AT, ${this.update} AS ${UPDATE_COLUMN} FROM (${versions})`
        : `SELECT *, ${this.update} AS ${UPDATE_COLUMN} FROM (${versions}) QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY ${sequence} DESC) = 1`;
    await this.sql(`CREATE OR REPLACE TABLE ${this.table('__dlt_versions')} AS ${rows}`, target);
    await this.sql(`DELETE FROM ${this.table(target.name)} AS t WHERE ${touched}`, target);
    await this.sql(`INSERT INTO ${this.table(target.name)} BY NAME SELECT * FROM ${this.table('__dlt_versions')}`, target);
    await this.sql(`DROP TABLE ${this.table('__dlt_versions')}`);
    await this.sql(`INSERT INTO ${this.table('__dlt_checkpoints')} VALUES ('${target.name}', '${flow.source}', ${this.update})`);
    this.outcomes.push({ dataset: target.name, kind: target.kind, rowsIn, rowsWritten: rowsIn, filesRead: [] });
  }
}

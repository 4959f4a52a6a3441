import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { sourcesFromInventory } from '../config/inventory';
import { PlanReview, reviewPlans } from '../plan-review/review';
import { readSynthOutput } from '../plan-review/synth-output';
import { CommandRun, measureCommand, median } from './measure-command';
import type { LocalScaleRun } from './scale-local';

/**
 * `npm run bench -- scale`: what the project does with many sources (200 by default), each
 * figure against a baseline measured in the same run.
 *
 * - synth of every environment of a scratch copy holding the generated sources, against
 *   synth of an untouched scratch copy of the project (runs alternate; medians);
 * - the plan review of adding one more source to them: what it adds and changes per stack,
 *   and whether all of it belongs to the new source;
 * - the local runner ingesting every generated source one after the other on one engine
 *   (bench/scale-local.ts, run inside the copy), against the same script in a copy holding
 *   only the first 10 sources: seconds per ingestion at 200 vs at 10.
 *
 * Scratch copies are the project's files (git ls-files: tracked, and new ones not ignored)
 * with node_modules linked; the project itself is never written to.
 */

const PROJECT = resolve(__dirname, '..');
/**
 * Prefix of the generated sources' names (scale-local.ts ingests the sources named so):
 * src001, src002… A name with an underscore (src_001) is a valid source name, but its job
 * `ingest-src_001` is not a kebab-case workflow name, so the project would not load.
 */
const PREFIX = 'src';

export interface ScaleOptions {
  /** Generated sources. @default 200 */
  readonly sources?: number;
  /** Timed synth runs of each copy. @default 3 */
  readonly runs?: number;
  /** Sources of the local baseline copy. @default 10 */
  readonly baselineSources?: number;
}

export interface StackAddition {
  readonly stack: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Added or changed resources that do not belong to the new source, and every removed one: `<added|changed|removed> <address> (<construct path>)`. */
  readonly unrelated: readonly string[];
  /** Added resources by Terraform type. */
  readonly addedTypes: Readonly<Record<string, number>>;
}

export interface ScaleBenchmark {
  readonly sources: number;
  readonly jobSources: number;
  readonly pipelineSources: number;
  /** `npm run -s generate` of the copy with the sources. */
  readonly generateSeconds: number;
  readonly synth: {
    readonly runs: number;
    /** Median of the copy with the generated sources (and the project's own). */
    readonly scaled: { readonly seconds: number; readonly peakMiB: number };
    /** Median of the untouched copy. */
    readonly reference: { readonly seconds: number; readonly peakMiB: number; readonly sources: number };
    /** scaled time / reference time (goal <= 4). */
    readonly timeRatio: number;
  };
  readonly review: {
    readonly newSource: string;
    readonly verdict: PlanReview['verdict'];
    /** Reading both synth outputs and reviewing them. */
    readonly seconds: number;
    /** reviewPlans alone. */
    readonly reviewSeconds: number;
    readonly stacks: readonly StackAddition[];
    /** Whether every added and changed resource of every stack belongs to the new source, and nothing is removed. */
    readonly allBelongToNewSource: boolean;
    readonly findings: number;
  };
  /** Runs alternate (all the sources, then the baseline copy), each on fresh state and samples. */
  readonly local: {
    readonly runs: number;
    /** The run with the median per-ingestion median, of each copy. */
    readonly scaled: LocalScaleRun;
    readonly baseline: LocalScaleRun;
    /**
     * Within the runs of all the sources, median seconds of the last 10 job ingestions / of the
     * first 10 (median over the runs): whether an ingestion slows down as the shared state
     * (file ledger, expectation results, tables) grows.
     */
    readonly drift: { readonly firstSeconds: number; readonly lastSeconds: number; readonly ratio: number };
    /** Median seconds per ingestion with all the sources / with the baseline's (medians over the runs). */
    readonly perIngestionRatio: number;
    /** Same, by mean (total / ingestions). */
    readonly meanRatio: number;
  };
}

const elapsed = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const LOCAL_ENTRY = 'bench/scale-local.ts';
const sourceName = (i: number) => `${PREFIX}${String(i).padStart(3, '0')}`;

/** Columns a generated source draws its other columns from, one of each type the benchmark covers. */
const ATTRIBUTES: readonly (readonly [string, string])[] = [
  ['label', 'STRING'],
  ['quantity', 'INT'],
  ['total_units', 'BIGINT'],
  ['amount', 'DECIMAL(12,2)'],
  ['recorded_at', 'TIMESTAMP'],
  ['event_date', 'DATE'],
  ['is_active', 'BOOLEAN'],
];

const isPipeline = (i: number) => [3, 9, 16].includes(i % 20);

/**
 * One inventory row, deterministic in i: csv; a pipeline for 3 in 20 (15%), a job otherwise;
 * SCD 2 for every third; 3–8 columns; a composite key (id, region) for every fourth; a
 * BIGINT id for every tenth, jobs and pipelines alike (ids are STRING otherwise), as real
 * inventories have numeric keys; sequenced by a TIMESTAMP, or by a BIGINT version for every
 * fifth.
 */
function inventoryRow(i: number): string {
  const composite = i % 4 === 1;
  const key = composite ? ['id', 'region'] : ['id'];
  const sequence: readonly [string, string] = i % 5 === 2 ? ['version', 'BIGINT'] : ['updated_at', 'TIMESTAMP'];
  const columns: (readonly [string, string])[] = [['id', i % 10 === 6 ? 'BIGINT' : 'STRING'], ...(composite ? [['region', 'STRING'] as const] : []), sequence];
  const total = 3 + (i % 6);
  for (let k = 0; columns.length < total; k++) columns.push(ATTRIBUTES[(i + k) % ATTRIBUTES.length]);
  const ingestion = isPipeline(i) ? 'pipeline' : 'job';
  const scd = i % 3 === 0 ? 2 : 1;
  return [sourceName(i), 'csv', key.join(';'), sequence[0], scd, ingestion, `"${columns.map(([n, t]) => `${n}:${t}`).join(';')}"`].join(',');
}

/** The inventory CSV of sources from..to (1-based, inclusive). */
export function scaleInventory(from: number, to: number): string {
  const rows = Array.from({ length: to - from + 1 }, (_, k) => inventoryRow(from + k));
  return `name,format,key,sequence_by,scd,ingestion,columns\n${rows.join('\n')}\n`;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal}):\n${result.stderr}${result.error ?? ''}`);
  return result.stdout;
}

/**
 * A scratch copy of the project as its working tree has it: the tracked files, and the new
 * files git does not ignore (a tracked file may already refer to one, and bench/scale-local.ts
 * must be there before it is committed); node_modules linked.
 */
export function copyProject(target: string): string {
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], PROJECT).split('\0').filter(Boolean);
  for (const file of new Set([...files, LOCAL_ENTRY])) {
    const from = join(PROJECT, file);
    // a tracked file deleted in the working tree is left out, as a checkout of the tree would
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(from, join(target, file));
  }
  symlinkSync(join(PROJECT, 'node_modules'), join(target, 'node_modules'), 'dir');
  return target;
}

/** Writes the inventory's source files into a copy, as `npm run onboard` would. */
export function onboard(copy: string, inventory: string): void {
  const sources = sourcesFromInventory('scale-inventory.csv', inventory, { read: (file) => (existsSync(join(copy, file)) ? readFileSync(join(copy, file), 'utf8') : undefined) });
  for (const { file, yaml } of sources) writeFileSync(join(copy, file), yaml, { flag: 'wx' });
}

export function generate(copy: string): number {
  const started = process.hrtime.bigint();
  run('npm', ['run', '-s', 'generate'], copy);
  return elapsed(started);
}

/** `npm run -s synth` of every environment of a copy into outdir (kept). */
export function synthInto(copy: string, outdir: string): void {
  run('npm', ['run', '-s', 'synth'], copy, { CDKTF_OUTDIR: outdir, LAKEHOUSE_ENVS: '' });
}

/** The local runs of a copy's generated sources on one engine, on a copy of its samples. */
function localRun(copy: string, scratch: string): LocalScaleRun {
  mkdirSync(scratch, { recursive: true });
  const volumes = join(scratch, 'volumes');
  cpSync(join(copy, 'samples', 'volumes'), volumes, { recursive: true });
  const result = spawnSync('node', ['scripts/run-ts.mjs', LOCAL_ENTRY, join(scratch, 'state.duckdb'), volumes, PREFIX], {
    cwd: copy,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  if (result.status !== 0) throw new Error(`${LOCAL_ENTRY} failed in ${copy} (exit ${result.status ?? result.signal})${result.error ? `: ${result.error.message}` : ''}`);
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as LocalScaleRun;
}

/**
 * Whether a resource of the review belongs to the new source: its Terraform address, its
 * construct path or its resolved `catalog.schema.name` names it. That covers what a source
 * brings: its volume, tables and their grants (named after it), its job or pipeline (and
 * their permissions and refresh job, `ingest-<name>`), its pipeline schema (`ingest_<name>`)
 * and its uploaded SQL files (`sql/generated/<name>/`).
 */
function belongsTo(source: string, resource: { address: string; path: string }, name?: string): boolean {
  return [resource.address, resource.path, name ?? ''].some((text) => text.includes(source));
}

function reviewAddition(base: string, head: string, source: string): ScaleBenchmark['review'] {
  const started = process.hrtime.bigint();
  const before = readSynthOutput(base);
  const after = readSynthOutput(head);
  const reviewStarted = process.hrtime.bigint();
  const review = reviewPlans(before, after);
  const reviewSeconds = elapsed(reviewStarted);
  const seconds = elapsed(started);
  const stacks = review.stacks.map((s): StackAddition => {
    const nameOf = (address: string) => after.get(s.stack)?.get(address)?.name ?? before.get(s.stack)?.get(address)?.name;
    const unrelated = [
      ...s.added.filter((r) => !belongsTo(source, r, nameOf(r.address))).map((r) => `added ${r.address} (${r.path})`),
      ...s.changed.filter((r) => !belongsTo(source, r, nameOf(r.address))).map((r) => `changed ${r.address} (${r.path}): ${r.attributes.map((a) => a.attribute).join(', ')}`),
      ...s.removed.map((r) => `removed ${r.address} (${r.path})`),
    ];
    const addedTypes: Record<string, number> = {};
    for (const r of s.added) {
      const type = r.address.slice(0, r.address.indexOf('.'));
      addedTypes[type] = (addedTypes[type] ?? 0) + 1;
    }
    return { stack: s.stack, added: s.added.length, changed: s.changed.length, removed: s.removed.length, unrelated, addedTypes };
  });
  return {
    newSource: source,
    verdict: review.verdict,
    seconds,
    reviewSeconds,
    stacks,
    allBelongToNewSource: stacks.every((s) => s.unrelated.length === 0),
    findings: review.stacks.reduce((n, s) => n + s.findings.length, 0),
  };
}

export function benchScale(options: ScaleOptions = {}): ScaleBenchmark {
  const count = options.sources ?? 200;
  const runs = options.runs ?? 3;
  const baselineCount = options.baselineSources ?? 10;
  const progress = (message: string) => process.stderr.write(`scale: ${message}\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-bench-scale-'));
  try {
    // 1. the copies: untouched, with all the sources, with the first few
    const reference = copyProject(join(scratch, 'reference'));
    const scaled = copyProject(join(scratch, 'scaled'));
    const small = copyProject(join(scratch, 'small'));
    const inventory = scaleInventory(1, count);
    onboard(scaled, inventory);
    onboard(small, scaleInventory(1, baselineCount));
    const generateSeconds = generate(scaled);
    generate(small);
    const pipelineSources = Array.from({ length: count }, (_, k) => k + 1).filter(isPipeline).length;
    progress(`${count} sources written and generated in ${generateSeconds.toFixed(1)} s`);

    // 2. synth: each copy's bundle warmed once (the scaled copy's run is the review's base), then alternate timed runs
    const base = join(scratch, 'synth-base');
    synthInto(scaled, base);
    synthInto(reference, join(scratch, 'synth-warm'));
    const scaledRuns: CommandRun[] = [];
    const referenceRuns: CommandRun[] = [];
    const synthEnv = { LAKEHOUSE_ENVS: '' };
    for (let i = 0; i < runs; i++) {
      scaledRuns.push(measureCommand('npm run -s synth', synthEnv, { cwd: scaled }));
      referenceRuns.push(measureCommand('npm run -s synth', synthEnv, { cwd: reference }));
      progress(`synth run ${i + 1}/${runs}: ${count} sources ${scaledRuns[i].seconds.toFixed(2)} s, reference ${referenceRuns[i].seconds.toFixed(2)} s`);
    }
    const summary = (r: readonly CommandRun[]) => ({ seconds: median(r.map((x) => x.seconds)), peakMiB: median(r.map((x) => x.peakMiB)) });
    const scaledSynth = summary(scaledRuns);
    const referenceSynth = summary(referenceRuns);
    const referenceSources = readdirSync(join(reference, 'config', 'sources')).filter((f) => /\.ya?ml$/.test(f)).length;

    // 3. the local runs, before the review adds a source to the copy; alternating, so drift in the machine's load hits both alike
    const scaledLocal: LocalScaleRun[] = [];
    const baselineLocal: LocalScaleRun[] = [];
    for (let i = 0; i < runs; i++) {
      progress(`local run ${i + 1}/${runs}: ${count} ingestions on one engine, then the ${baselineCount} of the baseline copy`);
      scaledLocal.push(localRun(scaled, join(scratch, `local-scaled-${i + 1}`)));
      baselineLocal.push(localRun(small, join(scratch, `local-baseline-${i + 1}`)));
      progress(`local run ${i + 1}/${runs}: per ingestion ${scaledLocal[i].medianSeconds.toFixed(3)} s at ${count}, ${baselineLocal[i].medianSeconds.toFixed(3)} s at ${baselineCount}`);
    }
    const medianRun = (r: readonly LocalScaleRun[]) => [...r].sort((a, b) => a.medianSeconds - b.medianSeconds)[Math.floor((r.length - 1) / 2)];
    const perMean = (r: LocalScaleRun) => r.totalSeconds / r.ingestions;
    const jobTimes = scaledLocal.map((r) => r.perIngestion.filter((x) => x.kind === 'job').map((x) => x.seconds));
    const drift = { firstSeconds: median(jobTimes.map((t) => median(t.slice(0, 10)))), lastSeconds: median(jobTimes.map((t) => median(t.slice(-10)))) };

    // 4. plan review of one more source
    const newSource = sourceName(count + 1);
    onboard(scaled, scaleInventory(count + 1, count + 1));
    generate(scaled);
    const head = join(scratch, 'synth-head');
    synthInto(scaled, head);
    const review = reviewAddition(base, head, newSource);

    return {
      sources: count,
      jobSources: count - pipelineSources,
      pipelineSources,
      generateSeconds,
      synth: { runs, scaled: scaledSynth, reference: { ...referenceSynth, sources: referenceSources }, timeRatio: scaledSynth.seconds / referenceSynth.seconds },
      review,
      local: {
        runs,
        scaled: medianRun(scaledLocal),
        baseline: medianRun(baselineLocal),
        drift: { ...drift, ratio: drift.lastSeconds / drift.firstSeconds },
        perIngestionRatio: median(scaledLocal.map((r) => r.medianSeconds)) / median(baselineLocal.map((r) => r.medianSeconds)),
        meanRatio: median(scaledLocal.map(perMean)) / median(baselineLocal.map(perMean)),
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const SYNTH_TIME_GOAL = 4;
const SYNTH_MEMORY_GOAL_MIB = 1024;

export function formatScale(b: ScaleBenchmark): string {
  const { synth, review, local } = b;
  const ok = (pass: boolean) => (pass ? 'met' : 'NOT met');
  const localLines = (label: string, r: LocalScaleRun) => {
    const lines = [
      `    ${label.padEnd(12)} ${`${r.succeeded}/${r.ingestions}`.padStart(7)} succeeded   ${r.totalSeconds.toFixed(1).padStart(5)} s (+ open ${r.openSeconds.toFixed(2)} s)   per ingestion: median ${r.medianSeconds.toFixed(3)} s (job ${r.medianJobSeconds.toFixed(3)}, pipeline ${r.medianPipelineSeconds.toFixed(3)}), max ${r.maxSeconds.toFixed(2)} s (${r.slowest})   peak ${r.peakMiB.toFixed(0)} MiB`,
      ...r.failures.slice(0, 5).map((f) => `      FAILED ${f.source} (${f.kind}) ${f.task}: ${f.message.split('\n')[0]}`),
    ];
    if (r.failures.length > 5) lines.push(`      … ${r.failures.length - 5} more, the same way: ${r.failures.slice(5).map((f) => `${f.source} ${f.task}`).join(', ')}`);
    if (r.empty.length > 0) lines.push(`      succeeded with an empty current table: ${r.empty.join(', ')}`);
    return lines;
  };
  const types = (s: StackAddition) =>
    Object.entries(s.addedTypes)
      .map(([t, n]) => `${n} ${t.replace(/^databricks_/, '')}`)
      .join(', ');
  return [
    `scale (${b.sources} generated csv sources: ${b.jobSources} jobs, ${b.pipelineSources} pipelines; npm run generate ${b.generateSeconds.toFixed(1)} s):`,
    `  synth, ${`${b.sources} sources`.padEnd(15)} ${synth.scaled.seconds.toFixed(2)} s   peak ${synth.scaled.peakMiB.toFixed(0)} MiB   (median of ${synth.runs}, every environment)`,
    `  synth, project as is   ${synth.reference.seconds.toFixed(2)} s   peak ${synth.reference.peakMiB.toFixed(0)} MiB   (${synth.reference.sources} sources, the baseline)`,
    `  time ratio ${synth.timeRatio.toFixed(2)}x (goal <= ${SYNTH_TIME_GOAL}x: ${ok(synth.timeRatio <= SYNTH_TIME_GOAL)}), peak ${synth.scaled.peakMiB.toFixed(0)} MiB (goal <= ${SYNTH_MEMORY_GOAL_MIB}: ${ok(synth.scaled.peakMiB <= SYNTH_MEMORY_GOAL_MIB)})`,
    `  plan review of ${review.newSource} added to ${b.sources}: ${review.seconds.toFixed(2)} s (reviewPlans ${review.reviewSeconds.toFixed(2)} s, the rest reading both outputs), verdict ${review.verdict}, ${review.findings} finding(s)`,
    ...review.stacks.flatMap((s) => [
      `    ${s.stack.padEnd(18)} +${s.added} ~${s.changed} -${s.removed}   ${s.unrelated.length === 0 ? `all of ${review.newSource}` : `${s.unrelated.length} NOT of ${review.newSource}`}   (added: ${types(s)})`,
      ...s.unrelated.map((u) => `      ${u}`),
    ]),
    `  local, every ingestion on one engine (median run of ${local.runs}, alternating with the baseline; fresh state and samples each):`,
    ...localLines(`${local.scaled.ingestions} sources`, local.scaled),
    ...localLines(`${local.baseline.ingestions} sources`, local.baseline),
    `    seconds per ingestion at ${local.scaled.ingestions} vs at ${local.baseline.ingestions} (a copy with only the first ${local.baseline.ingestions}): median ${local.perIngestionRatio.toFixed(2)}x, mean ${local.meanRatio.toFixed(2)}x (near 1: an ingestion costs the same however many sources there are)`,
    `    within a run of ${local.scaled.ingestions}: last 10 job ingestions ${local.drift.lastSeconds.toFixed(3)} s vs first 10 ${local.drift.firstSeconds.toFixed(3)} s (medians): ${local.drift.ratio.toFixed(2)}x`,
    '',
  ].join('\n');
}

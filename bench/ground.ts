import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { synthOutputFiles } from '../app/synth-output-files';
import { lockedDependencies } from '../plan-review/git-base';
import { CommandRun, measureCommand, median } from './measure-command';
import { copyProject, generate, onboard, scaleInventory, synthInto } from './scale';

/**
 * The move to maintained ground, measured in one run: the same project synthesized on CDK
 * Terrain (cdktn, @cdktn/provider-databricks, this checkout's Node) and on the archived cdktf
 * it came from (the base ref's locked dependencies, the machine's Node), as it is and with
 * 200 generated sources. The cdktf copy is this project with its imports renamed back
 * (the port was that rename), so the two differ in nothing but the libraries under them.
 * Reports whether the outputs are identical apart from version strings, and the time and
 * peak memory of each, alternating runs so drift in the machine's load hits both alike.
 */
export interface GroundOptions {
  /** A commit that depends on cdktf (its package.json and lock are installed). @default the last one before the port */
  readonly baseRef?: string;
  readonly runs?: number;
  readonly sources?: number;
}

export interface GroundComparison {
  readonly label: string;
  /** Values that differ between the two synth outputs (JSON compared as data), other than version strings. */
  readonly differences: readonly string[];
  /** Values under a `version` key that differ. */
  readonly versionLines: readonly string[];
  /** Medians of the runs: wall time, peak memory and CPU time (the steadier figure on a shared machine). */
  readonly terrain: { seconds: number; peakMiB: number; cpuSeconds: number };
  readonly cdktf: { seconds: number; peakMiB: number; cpuSeconds: number };
}

export interface GroundBenchmark {
  readonly baseRef: string;
  readonly nodes: { readonly terrain: string; readonly cdktf: string };
  readonly comparisons: readonly GroundComparison[];
}

const PROJECT = resolve(__dirname, '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT, encoding: 'utf8' }).trim();

/** The last commit whose package.json depends on cdktf. */
function lastCdktfCommit(): string {
  const port = git('log', '-1', '--format=%H', '-G', '"cdktf":', '--', 'package.json');
  return git('rev-parse', `${port}^`);
}

/** Renames the CDK Terrain imports of a copy back to cdktf's (the reverse of the port's rename). */
function renameImportsToCdktf(copy: string): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((e) => {
      const full = join(dir, e);
      if (e === 'node_modules' || e === '.git' || e === '.build') return [];
      return statSync(full).isDirectory() ? walk(full) : /\.(ts|mjs|js)$/.test(e) ? [full] : [];
    });
  for (const file of walk(copy)) {
    const text = readFileSync(file, 'utf8');
    const renamed = text.replace(/(['"])cdktn((?:\/[^'"]*)?)\1/g, '$1cdktf$2$1').replace(/(['"])@cdktn\/provider-databricks/g, '$1@cdktf/provider-databricks');
    if (renamed !== text) writeFileSync(file, renamed);
  }
}

/** A copy of `terrainCopy` on cdktf: the same files, imports renamed back, the base's dependencies linked. */
function cdktfCopy(terrainCopy: string, target: string, modules: string): string {
  cpSync(terrainCopy, target, { recursive: true, filter: (from) => !relative(terrainCopy, from).startsWith('node_modules') && !relative(terrainCopy, from).startsWith('.build') });
  renameImportsToCdktf(target);
  symlinkSync(modules, join(target, 'node_modules'), 'dir');
  return target;
}


/** Where two JSON values differ, as `path: before → after`; a difference under a `version` key goes to `versions`. */
function jsonDifferences(x: unknown, y: unknown, path: string, out: { differences: string[]; versionLines: string[] }): void {
  if (JSON.stringify(x) === JSON.stringify(y)) return;
  if (x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const key of keys) jsonDifferences((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], `${path}.${key}`, out);
    return;
  }
  (path.endsWith('.version') && typeof x === 'string' && typeof y === 'string' ? out.versionLines : out.differences).push(`${path}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`);
}

/** What differs between two synth outputs, JSON compared as data: version strings apart from the rest. */
function compareOutputs(a: string, b: string): { differences: string[]; versionLines: string[] } {
  const left = synthOutputFiles(a);
  const right = synthOutputFiles(b);
  const out = { differences: [] as string[], versionLines: [] as string[] };
  for (const file of new Set([...left.keys(), ...right.keys()])) {
    const x = left.get(file);
    const y = right.get(file);
    if (x === undefined || y === undefined) out.differences.push(`${file}: only in ${x === undefined ? 'cdktn' : 'cdktf'}'s output`);
    else if (file.endsWith('.json')) jsonDifferences(JSON.parse(x), JSON.parse(y), file, out);
    else if (x !== y) out.differences.push(`${file}: differs`);
  }
  return out;
}

function compare(label: string, terrain: string, cdktf: string, scratch: string, runs: number, progress: (m: string) => void): GroundComparison {
  const outTerrain = join(scratch, `${label}-cdktn.out`);
  const outCdktf = join(scratch, `${label}-cdktf.out`);
  synthInto(terrain, outTerrain);
  synthInto(cdktf, outCdktf);
  const { differences, versionLines } = compareOutputs(outCdktf, outTerrain);
  const t: CommandRun[] = [];
  const c: CommandRun[] = [];
  for (let i = 0; i < runs; i++) {
    t.push(measureCommand('npm run -s synth', { LAKEHOUSE_ENVS: '' }, { cwd: terrain }));
    c.push(measureCommand('npm run -s synth', { LAKEHOUSE_ENVS: '' }, { cwd: cdktf }));
    progress(`${label} run ${i + 1}/${runs}: cdktn ${t[i].seconds.toFixed(2)} s (CPU ${t[i].cpuSeconds.toFixed(2)} s), cdktf ${c[i].seconds.toFixed(2)} s (CPU ${c[i].cpuSeconds.toFixed(2)} s)`);
  }
  const summary = (r: readonly CommandRun[]) => ({ seconds: median(r.map((x) => x.seconds)), peakMiB: median(r.map((x) => x.peakMiB)), cpuSeconds: median(r.map((x) => x.cpuSeconds)) });
  return { label, differences, versionLines, terrain: summary(t), cdktf: summary(c) };
}

export function benchGround(options: GroundOptions = {}): GroundBenchmark {
  const runs = options.runs ?? 3;
  const sources = options.sources ?? 200;
  const baseRef = options.baseRef ?? lastCdktfCommit();
  const progress = (message: string) => process.stderr.write(`ground: ${message}\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-bench-ground-'));
  try {
    progress(`installing the dependencies of ${baseRef.slice(0, 12)} (once, then reused)`);
    const modules = lockedDependencies(PROJECT, Buffer.from(git('show', `${baseRef}:package.json`)), Buffer.from(`${git('show', `${baseRef}:package-lock.json`)}\n`));
    const project = copyProject(join(scratch, 'project-cdktn'));
    const projectCdktf = cdktfCopy(project, join(scratch, 'project-cdktf'), modules);
    const scaled = copyProject(join(scratch, 'scaled-cdktn'));
    onboard(scaled, scaleInventory(1, sources));
    generate(scaled);
    const scaledCdktf = cdktfCopy(scaled, join(scratch, 'scaled-cdktf'), modules);
    const nodeOf = (copy: string) => execFileSync('npm', ['exec', '--', 'node', '--version'], { cwd: copy, encoding: 'utf8' }).trim();
    return {
      baseRef,
      nodes: { terrain: nodeOf(project), cdktf: nodeOf(projectCdktf) },
      comparisons: [compare('project', project, projectCdktf, scratch, runs, progress), compare(`${sources} sources`, scaled, scaledCdktf, scratch, runs, progress)],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function formatGround(b: GroundBenchmark): string {
  const lines = [`ground (cdktn on Node ${b.nodes.terrain} against cdktf on Node ${b.nodes.cdktf}, dependencies of ${b.baseRef.slice(0, 12)}):`];
  for (const c of b.comparisons) {
    lines.push(
      `  ${c.label}: output ${c.differences.length === 0 ? `identical apart from ${c.versionLines.length} version string(s)` : `DIFFERS in ${c.differences.length} value(s)`}`,
      ...c.differences.slice(0, 10).map((d) => `    ${d}`),
      ...c.versionLines.slice(0, 4).map((d) => `    version: ${d}`),
      `    synth cdktn ${c.terrain.seconds.toFixed(2)} s, peak ${c.terrain.peakMiB.toFixed(0)} MiB; cdktf ${c.cdktf.seconds.toFixed(2)} s, peak ${c.cdktf.peakMiB.toFixed(0)} MiB; time ratio ${(c.terrain.seconds / c.cdktf.seconds).toFixed(2)}x, memory ratio ${(c.terrain.peakMiB / c.cdktf.peakMiB).toFixed(2)}x`,
      `    CPU time cdktn ${c.terrain.cpuSeconds.toFixed(2)} s, cdktf ${c.cdktf.cpuSeconds.toFixed(2)} s; CPU ratio ${(c.terrain.cpuSeconds / c.cdktf.cpuSeconds).toFixed(2)}x`,
    );
  }
  return `${lines.join('\n')}\n`;
}

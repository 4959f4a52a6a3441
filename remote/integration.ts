import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { namingContextOf } from '../config/environment-naming';
import { environments } from '../config/environments';
import { loadEnvironments } from '../config/load-config';
import { projectPipelines, projectWorkflows, theProject } from '../config/project';
import { PROJECT_ROOT } from '../config/project-root';
import { NamingContext, VolumeFolders, isHiddenFileName, resolvePlaceholders, volumeKey } from '../model/naming';
import type { Pipeline } from '../model/pipeline';
import type { Workflow } from '../model/workflow';
import type { Clock } from './clock';
import { BadInputError } from './errors';
import type { FilesApi } from './files-api';
import type { JobsApi } from './jobs-api';
import type { PipelinesApi } from './pipelines-api';
import { RefreshResult, refreshPipeline } from './refresh-pipeline';
import { RunJobResult, runJob } from './run-job';
import type { DeploymentTarget } from './target';

// `npm run remote -- integration --env <env>`: the integration stage of a deployed environment.
// The project's sample files go into a test folder of each volume, never the folders real
// files use (`/Volumes/<catalog>/<schema>/<volume>/integration/<run id>/`, its `arrivals/`
// standing for `incoming/`); every workflow runs with the job parameters that name volume
// folders pointed into the test folders; every pipeline is validated (`validate_only`); the
// test folders are removed afterwards, whatever happened, unless asked to keep them.

/** The folder of a volume that holds the test folders, one per integration run. */
export const INTEGRATION_FOLDER = 'integration';
/** A test folder's stand-ins for a volume's folders: `incoming/` is the folder file-arrival triggers watch, so the test never writes one. */
export const TEST_SUBFOLDERS = { incoming: 'arrivals', archive: 'archive' } as const;
/** Where the project keeps its sample landing files, one folder per volume (as the local runner reads them). */
export const SAMPLE_LANDING_FOLDER = 'samples/volumes/lakehouse_local/landing';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A `{{env.volume.<name>.<folder>}}` placeholder: the parameters that name a volume folder. */
const VOLUME_PLACEHOLDER = /\{\{\s*env\.volume\.((?:\w+\.)?\w+)\.(?:incoming|archive|root)\s*\}\}/g;
/** A task parameter naming a subfolder of a folder parameter: `{{job.parameters.<folder>}}{{job.parameters.<subfolder>}}/`. */
const SUBFOLDER_OF = /^\{\{job\.parameters\.(\w+)\}\}\{\{job\.parameters\.(\w+)\}\}\/?$/;

/** A sample file of a volume: `orders/incoming/orders_2026-11-20.csv` is volume `orders`, path `incoming/orders_2026-11-20.csv`. */
export interface SampleFile {
  readonly volume: string;
  /** Inside the volume, `/`-separated. */
  readonly relativePath: string;
  readonly localPath: string;
}

/** What an integration run is planned from. */
export interface IntegrationInputs {
  /** Names the test folders: `…/integration/<runId>/`. */
  readonly runId: string;
  /** The environment's names and volume folders. */
  readonly naming: NamingContext;
  readonly workflows: readonly Workflow[];
  readonly pipelines: readonly Pipeline[];
  readonly samples: readonly SampleFile[];
  /** The deployed job of a workflow, and pipeline of a pipeline (DeploymentTarget). */
  readonly jobName: (workflow: string) => string;
  readonly pipelineName: (pipeline: string) => string;
  /** Job parameters per workflow given on the command line, over the derived ones; never a folder parameter. */
  readonly parameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The test folder of one volume. */
export interface TestFolder {
  /** `<layer>.<name>`. */
  readonly volume: string;
  /** The volume's root, `/Volumes/c/s/v`. */
  readonly volumeRoot: string;
  /** `/Volumes/c/s/v/integration/<run id>`. */
  readonly root: string;
}

/** A workflow to run, with its job parameters, or skipped with the reason. */
export type PlannedWorkflow =
  | { readonly workflow: string; readonly jobName: string; readonly parameters: Readonly<Record<string, string>> }
  | { readonly workflow: string; readonly skipped: string };

/** Everything an integration run does, decided before any request is sent. */
export interface IntegrationPlan {
  readonly runId: string;
  readonly folders: readonly TestFolder[];
  /** Created first (with their parents), so every folder a workflow reads or writes exists. */
  readonly directories: readonly string[];
  readonly uploads: readonly { readonly localPath: string; readonly remotePath: string }[];
  /** In the order they run: the ingestion workflows (which read the arrivals) first. */
  readonly workflows: readonly PlannedWorkflow[];
  readonly pipelines: readonly { readonly pipeline: string; readonly pipelineName: string }[];
}

/** Refuses a run id that is no plain folder name. */
export function checkRunId(runId: string): string {
  if (!RUN_ID.test(runId)) throw new BadInputError(`run id "${runId}" must be letters, digits, _ and - (at most 64), as it names a folder`);
  return runId;
}

/** The run id of a test folder: the GitHub run when there is one (`gh-<run id>-<attempt>`), else the time and a random suffix. */
export function defaultRunId(env: Readonly<Record<string, string | undefined>>, now: number): string {
  if (env.GITHUB_RUN_ID) return checkRunId(`gh-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT || '1'}`);
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `local-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Whether a parameter's default names a volume folder (`{{env.volume.<name>.incoming|archive|root}}`). */
export function isFolderParameter(defaultValue: string): boolean {
  return new RegExp(VOLUME_PLACEHOLDER.source).test(defaultValue);
}

/** The sample files under a landing folder (`<dir>/<volume>/…`), hidden names (`.gitkeep`, `_lakehouse_folder`) left out. */
export function readSampleFiles(dir: string): SampleFile[] {
  if (!existsSync(dir)) return [];
  const files: SampleFile[] = [];
  const walk = (volume: string, folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (isHiddenFileName(entry.name)) continue;
      const localPath = join(folder, entry.name);
      if (entry.isDirectory()) walk(volume, localPath, `${prefix}${entry.name}/`);
      else if (entry.isFile()) files.push({ volume, relativePath: `${prefix}${entry.name}`, localPath });
    }
  };
  for (const volume of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !isHiddenFileName(e.name))) walk(volume.name, join(dir, volume.name), '');
  return files;
}

/** A sample's path in its test folder: `incoming/x.csv` → `arrivals/x.csv`; every other path as it is. */
function testPath(relativePath: string): string {
  const [first, ...rest] = relativePath.split('/');
  return first === 'incoming' && rest.length > 0 ? [TEST_SUBFOLDERS.incoming, ...rest].join('/') : relativePath;
}

/**
 * Plans an integration run: the test folder of each volume the workflows' folder parameters
 * name or the samples fill, the sample uploads, each workflow's job parameters (every folder
 * parameter resolved against the test folders; a parameter naming the subfolder of a folder
 * parameter set to the one subfolder the samples have there, such as the batch of
 * `{{job.parameters.orders_batches}}{{job.parameters.batch_id}}/`), and the pipelines to
 * validate. A workflow that runs another job whose folder parameters it cannot redirect is
 * skipped, saying so: that job would read the folders real files land in.
 */
export function planIntegration(inputs: IntegrationInputs): IntegrationPlan {
  const runId = checkRunId(inputs.runId);
  const { naming } = inputs;
  const testRoot = (volumeRoot: string) => `${volumeRoot}/${INTEGRATION_FOLDER}/${runId}`;
  const testFolders = (root: string): VolumeFolders => ({ root, incoming: `${root}/${TEST_SUBFOLDERS.incoming}/`, archive: `${root}/${TEST_SUBFOLDERS.archive}/` });
  const testNaming: NamingContext = { ...naming, volumes: new Map([...naming.volumes].map(([key, folders]) => [key, testFolders(testRoot(folders.root))])) };

  const referenced = new Set(inputs.workflows.flatMap((w) => w.parameters.flatMap((p) => [...p.default.matchAll(VOLUME_PLACEHOLDER)].map((m) => volumeKey(m[1])))));
  const samples = inputs.samples.filter((s) => naming.volumes.has(volumeKey(s.volume)));
  const keys = [...new Set([...referenced, ...samples.map((s) => volumeKey(s.volume))])].filter((key) => naming.volumes.has(key)).sort();
  const folders = keys.map((volume): TestFolder => {
    const volumeRoot = naming.volumes.get(volume)!.root;
    return { volume, volumeRoot, root: testRoot(volumeRoot) };
  });
  const folderOf = new Map(folders.map((f) => [f.volume, f]));
  const uploads = samples.map((s) => ({ localPath: s.localPath, remotePath: `${folderOf.get(volumeKey(s.volume))!.root}/${testPath(s.relativePath)}` }));
  const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
  const directories = [...new Set([...folders.flatMap((f) => [`${f.root}/${TEST_SUBFOLDERS.incoming}`, `${f.root}/${TEST_SUBFOLDERS.archive}`]), ...uploads.map((u) => parentOf(u.remotePath))])].sort();
  // the test writes nowhere else: a bug here must not reach a folder real files use
  for (const path of [...directories, ...uploads.map((u) => u.remotePath)]) {
    if (!folders.some((f) => path === f.root || path.startsWith(`${f.root}/`))) throw new Error(`integration plan: ${path} is outside every test folder`);
  }

  const byName = new Map(inputs.workflows.map((w) => [w.name, w]));
  const planned = [...inputs.workflows]
    .sort((a, b) => Number(b.landingVolume !== undefined) - Number(a.landingVolume !== undefined))
    .map((workflow): PlannedWorkflow => {
      const reason = unredirectedJobTask(workflow, byName, new Set());
      if (reason) return { workflow: workflow.name, skipped: reason };
      const folderValues = new Map(workflow.parameters.filter((p) => isFolderParameter(p.default)).map((p) => [p.name, resolvePlaceholders(p.default, testNaming)]));
      const given = inputs.parameters?.[workflow.name] ?? {};
      for (const name of Object.keys(given)) {
        if (!workflow.parameters.some((p) => p.name === name)) throw new BadInputError(`--param ${workflow.name}.${name}: ${workflow.name} has no parameter ${name} (its parameters: ${workflow.parameters.map((p) => p.name).join(', ')})`);
        if (folderValues.has(name)) throw new BadInputError(`--param ${workflow.name}.${name}: ${name} names a volume folder, which the integration stage points into its test folder`);
      }
      const parameters = { ...Object.fromEntries(folderValues), ...subfolderParameters(workflow, folderValues, uploads.map((u) => u.remotePath)), ...given };
      return { workflow: workflow.name, jobName: inputs.jobName(workflow.name), parameters };
    });
  for (const name of Object.keys(inputs.parameters ?? {})) {
    if (!byName.has(name)) throw new BadInputError(`--param names workflow "${name}", which the project does not have (workflows: ${[...byName.keys()].join(', ')})`);
  }
  const pipelines = inputs.pipelines.map((p) => ({ pipeline: p.name, pipelineName: inputs.pipelineName(p.name) }));
  return { runId, folders, directories, uploads, workflows: planned, pipelines };
}

/**
 * Why a workflow cannot run against the test folders: one of its tasks runs another job
 * (`run_job_task`) without handing it every folder parameter from the workflow's own (a job
 * task's parameters are fixed at deploy, so a run cannot change them), or such a job does so.
 */
function unredirectedJobTask(workflow: Workflow, byName: ReadonlyMap<string, Workflow>, seen: Set<string>): string | undefined {
  seen.add(workflow.name);
  const ownFolders = new Set(workflow.parameters.filter((p) => isFolderParameter(p.default)).map((p) => p.name));
  for (const task of workflow.tasks) {
    if (task.asset.kind !== 'job') continue;
    const target = byName.get(task.asset.workflow);
    if (!target) continue;
    const unset = target.parameters
      .filter((p) => isFolderParameter(p.default))
      .map((p) => p.name)
      .filter((name) => {
        const passed = /^\{\{job\.parameters\.(\w+)\}\}$/.exec(task.parameters?.[name] ?? '');
        return !passed || !ownFolders.has(passed[1]);
      });
    if (unset.length > 0) return `its task ${task.key} runs job ${target.name}, whose ${unset.join(', ')} the task does not pass on, so that job would read and move the files of the folders real files land in`;
    if (!seen.has(target.name)) {
      const nested = unredirectedJobTask(target, byName, seen);
      if (nested) return `its task ${task.key} runs job ${target.name}: ${nested}`;
    }
  }
  return undefined;
}

/** Parameters naming a subfolder of a test folder, set to the one subfolder the samples put there (when there is exactly one). */
function subfolderParameters(workflow: Workflow, folderValues: ReadonlyMap<string, string>, uploaded: readonly string[]): Record<string, string> {
  const candidates = new Map<string, Set<string>[]>();
  for (const task of workflow.tasks) {
    for (const value of Object.values(task.parameters ?? {})) {
      const match = SUBFOLDER_OF.exec(value);
      const folder = match && folderValues.get(match[1]);
      if (!match || !folder || folderValues.has(match[2])) continue;
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      const names = new Set(uploaded.filter((p) => p.startsWith(prefix) && p.slice(prefix.length).includes('/')).map((p) => p.slice(prefix.length).split('/')[0]));
      candidates.set(match[2], [...(candidates.get(match[2]) ?? []), names]);
    }
  }
  const derived: Record<string, string> = {};
  for (const [name, sets] of candidates) {
    const common = [...sets[0]].filter((n) => sets.every((s) => s.has(n)));
    if (common.length === 1) derived[name] = common[0];
  }
  return derived;
}

/** The project's integration inputs for an environment: its volume folders from config, names from the deployment target, the samples. */
export function projectIntegrationInputs(envName: string, target: DeploymentTarget, runId: string, parameters: Readonly<Record<string, Readonly<Record<string, string>>>> = {}): IntegrationInputs {
  const environment = loadEnvironments(environments).find((e) => e.name === envName);
  if (!environment) throw new BadInputError(`unknown environment "${envName}"`);
  return {
    runId,
    naming: namingContextOf(environment, theProject().sourceVolumes),
    workflows: projectWorkflows(),
    pipelines: projectPipelines(),
    samples: readSampleFiles(join(PROJECT_ROOT, SAMPLE_LANDING_FOLDER)),
    jobName: (w) => target.jobName(w),
    pipelineName: (p) => target.pipelineName(p),
    parameters,
  };
}

/** The APIs an integration run calls. */
export interface IntegrationApis {
  readonly jobs: JobsApi;
  readonly pipelines: PipelinesApi;
  readonly files: FilesApi;
}

export interface IntegrationOptions {
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  /** How long to wait for one run or update. */
  readonly timeoutMs: number;
  /** Leave the test folders in place. */
  readonly keep: boolean;
  readonly onProgress?: (message: string) => void;
}

export type StageOutcome = 'succeeded' | 'failed' | 'timed-out' | 'skipped' | 'error';

/** What became of one workflow run or pipeline validation. */
export interface StageResult {
  readonly kind: 'workflow' | 'pipeline';
  readonly name: string;
  readonly outcome: StageOutcome;
  readonly detail: string;
  readonly url?: string;
}

export interface IntegrationReport {
  readonly runId: string;
  readonly folders: readonly string[];
  readonly uploaded: number;
  /** Why the test folders could not be prepared (then nothing ran). */
  readonly setupError?: string;
  readonly results: readonly StageResult[];
  readonly cleanup: { readonly kept: true } | { readonly kept: false; readonly deletedFiles: number; readonly errors: readonly string[] };
  readonly passed: boolean;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs a plan: creates the test folders and uploads the samples, runs every workflow to its
 * end, one after the other, validates every pipeline, and removes the test folders (unless
 * `keep`), also when something failed or threw. A failed run, update or request is a failed
 * result, never an exception: the other stages still run and the report names each.
 */
export async function runIntegration(apis: IntegrationApis, plan: IntegrationPlan, options: IntegrationOptions): Promise<IntegrationReport> {
  const progress = options.onProgress ?? (() => undefined);
  const results: StageResult[] = [];
  let uploaded = 0;
  let setupError: string | undefined;
  let cleanup: IntegrationReport['cleanup'] = { kept: true };
  try {
    try {
      for (const directory of plan.directories) await apis.files.createDirectory(directory);
      for (const upload of plan.uploads) {
        await apis.files.upload(upload.remotePath, readFileSync(upload.localPath));
        uploaded++;
      }
      progress(`uploaded ${uploaded} sample file(s) into ${plan.folders.length} test folder(s)`);
    } catch (error) {
      setupError = message(error);
    }
    if (setupError === undefined) {
      for (const workflow of plan.workflows) results.push(await runWorkflow(apis.jobs, workflow, options));
      for (const pipeline of plan.pipelines) results.push(await validatePipeline(apis.pipelines, pipeline, options));
    }
  } finally {
    if (!options.keep) cleanup = await removeTestFolders(apis.files, plan, progress);
  }
  const ok = results.every((r) => r.outcome === 'succeeded' || r.outcome === 'skipped');
  const passed = setupError === undefined && ok && (cleanup.kept || cleanup.errors.length === 0);
  return { runId: plan.runId, folders: plan.folders.map((f) => `${f.root}/`), uploaded, setupError, results, cleanup, passed };
}

async function runWorkflow(jobs: JobsApi, planned: PlannedWorkflow, options: IntegrationOptions): Promise<StageResult> {
  const at = { kind: 'workflow' as const, name: planned.workflow };
  if ('skipped' in planned) return { ...at, outcome: 'skipped', detail: planned.skipped };
  let result: RunJobResult;
  try {
    result = await runJob(jobs, { jobName: planned.jobName, parameters: planned.parameters, wait: true, timeoutMs: options.timeoutMs }, { clock: options.clock, pollIntervalMs: options.pollIntervalMs, onProgress: options.onProgress });
  } catch (error) {
    return { ...at, outcome: 'error', detail: message(error) };
  }
  const run = `run ${result.runId}`;
  switch (result.outcome) {
    case 'succeeded':
    case 'started':
      return { ...at, outcome: 'succeeded', detail: run, url: result.runPageUrl };
    case 'failed': {
      const tasks = result.failedTasks.map((t) => `; task ${t.taskKey} ${t.state}${t.message ? `: ${t.message}` : ''}`).join('');
      return { ...at, outcome: 'failed', detail: `${run}: ${result.result}${result.message ? ` (${result.message})` : ''}${tasks}`, url: result.runPageUrl };
    }
    case 'timed-out':
      return { ...at, outcome: 'timed-out', detail: `${run} still ${result.lifecycle} after ${Math.round(result.waitedMs / 1000)} s; the run goes on`, url: result.runPageUrl };
  }
}

async function validatePipeline(pipelines: PipelinesApi, planned: IntegrationPlan['pipelines'][number], options: IntegrationOptions): Promise<StageResult> {
  const at = { kind: 'pipeline' as const, name: planned.pipeline };
  let result: RefreshResult;
  try {
    result = await refreshPipeline(pipelines, { pipelineName: planned.pipelineName, fullRefresh: false, validateOnly: true, wait: true, timeoutMs: options.timeoutMs }, { clock: options.clock, pollIntervalMs: options.pollIntervalMs, onProgress: options.onProgress });
  } catch (error) {
    return { ...at, outcome: 'error', detail: message(error) };
  }
  const update = `validate-only update ${result.updateId}`;
  switch (result.outcome) {
    case 'succeeded':
    case 'started':
      return { ...at, outcome: 'succeeded', detail: `${update}: COMPLETED` };
    case 'failed':
      return { ...at, outcome: 'failed', detail: `${update}: ${result.state}${result.causes.map((c) => `; cause: ${c}`).join('')}` };
    case 'timed-out':
      return { ...at, outcome: 'timed-out', detail: `${update} still ${result.state} after ${Math.round(result.waitedMs / 1000)} s` };
  }
}

/** Deletes each test folder, then the volume's `integration/` folder when no other run's folder is left in it. */
async function removeTestFolders(files: FilesApi, plan: IntegrationPlan, progress: (message: string) => void): Promise<IntegrationReport['cleanup']> {
  let deletedFiles = 0;
  const errors: string[] = [];
  for (const folder of plan.folders) {
    try {
      deletedFiles += await files.deleteRecursively(folder.root);
      const parent = `${folder.volumeRoot}/${INTEGRATION_FOLDER}`;
      const left = await files.list(parent);
      if (left !== undefined && left.length === 0) await files.deleteDirectory(parent);
    } catch (error) {
      errors.push(`${folder.root}/: ${message(error)}`);
    }
  }
  progress(`removed ${plan.folders.length} test folder(s) (${deletedFiles} file(s))${errors.length ? `, ${errors.length} could not be removed` : ''}`);
  return { kept: false, deletedFiles, errors };
}

const LABEL: Readonly<Record<StageOutcome, string>> = { succeeded: 'SUCCEEDED', failed: 'FAILED', 'timed-out': 'TIMED OUT', skipped: 'SKIPPED', error: 'ERROR' };

/** The report as a table, one line per workflow and pipeline, then the cleanup and the verdict. */
export function renderIntegrationReport(report: IntegrationReport, environment: string): string {
  const lines = [`integration run ${report.runId} of ${environment}: ${report.uploaded} sample file(s) in`, ...report.folders.map((f) => `  ${f}`)];
  if (report.setupError) lines.push(`SETUP FAILED: ${report.setupError}`);
  if (report.results.length > 0) {
    const width = Math.max(...report.results.map((r) => r.name.length));
    lines.push('', `${'kind'.padEnd(8)}  ${'name'.padEnd(width)}  ${'result'.padEnd(9)}  detail`);
    for (const r of report.results) lines.push(`${r.kind.padEnd(8)}  ${r.name.padEnd(width)}  ${LABEL[r.outcome].padEnd(9)}  ${r.detail}${r.url ? `  ${r.url}` : ''}`);
  }
  lines.push('');
  if (report.cleanup.kept) lines.push('test folders kept (--keep): remove them when done');
  else if (report.cleanup.errors.length > 0) lines.push(`CLEANUP FAILED: ${report.cleanup.errors.join('; ')}`);
  else lines.push(`test folders removed (${report.cleanup.deletedFiles} file(s))`);
  const failed = report.results.filter((r) => r.outcome !== 'succeeded' && r.outcome !== 'skipped').length;
  lines.push(report.passed ? 'INTEGRATION PASSED' : `INTEGRATION FAILED${failed ? `: ${failed} of ${report.results.length} failed` : ''}`);
  return `${lines.join('\n')}\n`;
}

import { Command, InvalidArgumentError } from 'commander';
import { systemClock } from './clock';
import type { Environment } from './credentials';
import { environmentStatus } from './environment-status';
import { BadInputError } from './errors';
import { defaultRunId, planIntegration, projectIntegrationInputs, renderIntegrationReport, runIntegration } from './integration';
import { refreshPipeline } from './refresh-pipeline';
import { renderRefreshResult, renderRunResult, renderStatus } from './render';
import { runJob } from './run-job';
import { DeploymentTarget, deploymentTarget } from './target';
import { Workspace, connectWorkspace } from './workspace';
import { exitOnUsageError, failCommand } from '../model/errors';

// `npm run remote -- <command>`: operates a deployed environment over the Databricks REST API.
//   run <workflow> --env <env> [--param k=v]... [--wait] [--timeout <seconds>]
//   refresh <pipeline> --env <env> [--full-refresh] [--validate-only] [--wait] [--timeout <seconds>]
//   status --env <env> [--json]
//   integration --env <env> [--keep] [--run-id <id>] [--param <workflow>.<key>=<value>]... [--timeout <seconds>]
// Results go to stdout, progress to stderr. Exit codes: 0 success; 1 a run or update failed
// or timed out, or the API failed; 2 bad input (unknown environment, workflow or pipeline,
// nothing of that name deployed, missing credentials, a bad option).
// LAKEHOUSE_REMOTE_POLL_MS sets how often a followed run or update is polled (default 10 s).

const DEFAULT_TIMEOUT_SECONDS = 7200;
const DEFAULT_POLL_MS = 10_000;

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z_][\w.-]*)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError(`"${value}" is not key=value`);
  return { ...previous, [match[1]]: match[2] };
}

function collectWorkflowParam(value: string, previous: Record<string, Record<string, string>>): Record<string, Record<string, string>> {
  const match = /^([a-z][a-z0-9-]*)\.([A-Za-z_][\w-]*)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError(`"${value}" is not <workflow>.<key>=<value>`);
  return { ...previous, [match[1]]: { ...previous[match[1]], [match[2]]: match[3] } };
}

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number of seconds`);
  return seconds;
}

function pollIntervalMs(env: Environment): number {
  const raw = env.LAKEHOUSE_REMOTE_POLL_MS;
  if (raw === undefined || raw === '') return DEFAULT_POLL_MS;
  if (!/^\d+$/.test(raw)) throw new BadInputError(`LAKEHOUSE_REMOTE_POLL_MS must be a whole number of milliseconds, not "${raw}"`);
  return Number(raw);
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function connect(target: DeploymentTarget): Workspace {
  const workspace = connectWorkspace({ host: target.host, profile: target.profile }, { env: process.env, warn: (m) => progress(`warning: ${m}`) });
  progress(`${workspace.host}: credentials from ${workspace.authDescription}`);
  return workspace;
}

const program = new Command('remote')
  .description('Operate a deployed environment over the Databricks REST API: run its jobs, refresh its pipelines, show their state')
  .exitOverride(exitOnUsageError)
  .showHelpAfterError();

program
  .command('run')
  .argument('<workflow>', 'workflow name, e.g. orders-ingest')
  .requiredOption('--env <env>', 'environment, e.g. dev')
  .option('--param <key=value>', 'job parameter (repeatable)', collectParam, {})
  .option('--wait', 'follow the run to its end; exit 1 unless it succeeds')
  .option('--timeout <seconds>', 'give up waiting after this long', positiveSeconds, DEFAULT_TIMEOUT_SECONDS)
  .description("start the environment's job of a workflow")
  .action(async (workflow: string, options: { env: string; param: Record<string, string>; wait?: boolean; timeout: number }) => {
    const target = deploymentTarget(options.env);
    const jobName = target.jobName(workflow);
    const pollMs = pollIntervalMs(process.env);
    const { jobs } = connect(target);
    const result = await runJob(
      jobs,
      { jobName, parameters: options.param, wait: options.wait ?? false, timeoutMs: options.timeout * 1000 },
      { clock: systemClock, pollIntervalMs: pollMs, onProgress: progress },
    );
    process.stdout.write(renderRunResult(result));
    process.exitCode = result.outcome === 'failed' || result.outcome === 'timed-out' ? 1 : 0;
  });

program
  .command('refresh')
  .argument('<pipeline>', 'pipeline name, e.g. orders-medallion')
  .requiredOption('--env <env>', 'environment, e.g. dev')
  .option('--full-refresh', 'reset every table of the pipeline before running')
  .option('--validate-only', 'check the source code without updating any table')
  .option('--wait', 'follow the update to its end; exit 1 unless it completes')
  .option('--timeout <seconds>', 'give up waiting after this long', positiveSeconds, DEFAULT_TIMEOUT_SECONDS)
  .description("start an update of the environment's pipeline")
  .action(async (pipeline: string, options: { env: string; fullRefresh?: boolean; validateOnly?: boolean; wait?: boolean; timeout: number }) => {
    const target = deploymentTarget(options.env);
    const pipelineName = target.pipelineName(pipeline);
    const pollMs = pollIntervalMs(process.env);
    const { pipelines } = connect(target);
    const result = await refreshPipeline(
      pipelines,
      { pipelineName, fullRefresh: options.fullRefresh ?? false, validateOnly: options.validateOnly ?? false, wait: options.wait ?? false, timeoutMs: options.timeout * 1000 },
      { clock: systemClock, pollIntervalMs: pollMs, onProgress: progress },
    );
    process.stdout.write(renderRefreshResult(result));
    process.exitCode = result.outcome === 'failed' || result.outcome === 'timed-out' ? 1 : 0;
  });

program
  .command('status')
  .requiredOption('--env <env>', 'environment, e.g. dev')
  .option('--json', 'print JSON')
  .description("the environment's deployed jobs and pipelines with their last run or update")
  .action(async (options: { env: string; json?: boolean }) => {
    const target = deploymentTarget(options.env);
    const workspace = connect(target);
    const status = await environmentStatus(workspace.jobs, workspace.pipelines, target.namePrefix);
    process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status, target.namePrefix, workspace.host));
  });

program
  .command('integration')
  .requiredOption('--env <env>', 'environment, e.g. staging')
  .option('--keep', 'leave the test folders in place afterwards')
  .option('--run-id <id>', 'names the test folders (…/integration/<id>/); default: the GitHub run, else the time')
  .option('--param <workflow.key=value>', "job parameter of one workflow's run (repeatable), e.g. coordinated-load.batch_id=2026-11-21", collectWorkflowParam, {})
  .option('--timeout <seconds>', 'give up waiting for one run or update after this long', positiveSeconds, DEFAULT_TIMEOUT_SECONDS)
  .description("the integration stage: the samples into test folders of the environment's volumes, every workflow run against them, every pipeline validated, the folders removed")
  .action(async (options: { env: string; keep?: boolean; runId?: string; param: Record<string, Record<string, string>>; timeout: number }) => {
    const target = deploymentTarget(options.env);
    const plan = planIntegration(projectIntegrationInputs(options.env, target, options.runId ?? defaultRunId(process.env, Date.now()), options.param));
    const pollMs = pollIntervalMs(process.env);
    const report = await runIntegration(
      connect(target),
      plan,
      { clock: systemClock, pollIntervalMs: pollMs, timeoutMs: options.timeout * 1000, keep: options.keep ?? false, onProgress: progress },
    );
    process.stdout.write(renderIntegrationReport(report, options.env));
    process.exitCode = report.passed ? 0 : 1;
  });

program.parseAsync(process.argv).catch(failCommand);

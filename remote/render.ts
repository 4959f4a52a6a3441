import type { EnvironmentStatus } from './environment-status';
import type { RefreshResult } from './refresh-pipeline';
import type { RunJobResult } from './run-job';

// The human-readable output of `npm run remote`: one function per command result.

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/** A job run's outcome: the run, its result, the failed tasks with their state messages, the run page. */
export function renderRunResult(result: RunJobResult): string {
  const run = `run ${result.runId} of ${result.jobName}`;
  const url = result.runPageUrl ?? '(the API gave no run page URL)';
  switch (result.outcome) {
    case 'started':
      return `STARTED    ${run}\n${url}\n`;
    case 'succeeded':
      return `SUCCEEDED  ${run}\n${url}\n`;
    case 'failed': {
      const width = Math.max(0, ...result.failedTasks.map((t) => t.taskKey.length));
      const tasks = result.failedTasks.map((t) => `  task ${t.taskKey.padEnd(width)}  ${t.state}${t.message ? `: ${t.message}` : ''}\n`).join('');
      return `FAILED     ${run}: ${result.result}${result.message ? ` (${result.message})` : ''}\n${tasks}${url}\n`;
    }
    case 'timed-out':
      return `TIMED OUT  waited ${seconds(result.waitedMs)} for ${run}, still ${result.lifecycle}; the run goes on\n${url}\n`;
  }
}

/** A pipeline update's outcome: the update, its final state and what the event log says caused a failure. */
export function renderRefreshResult(result: RefreshResult): string {
  const update = `update ${result.updateId} of ${result.pipelineName} (pipeline ${result.pipelineId})`;
  switch (result.outcome) {
    case 'started':
      return `STARTED    ${update}\n`;
    case 'succeeded':
      return `SUCCEEDED  ${update}: COMPLETED\n`;
    case 'failed': {
      const causes = result.causes.map((c) => `  cause: ${c}\n`).join('');
      const unavailable = result.causeUnavailable ? `  (the cause could not be read from the event log: ${result.causeUnavailable})\n` : '';
      return `FAILED     ${update}: ${result.state}\n${causes}${unavailable}`;
    }
    case 'timed-out':
      return `TIMED OUT  waited ${seconds(result.waitedMs)} for ${update}, still ${result.state}; the update goes on\n`;
  }
}

/** The deployed jobs and pipelines of an environment, one line each. */
export function renderStatus(status: EnvironmentStatus, namePrefix: string, host: string): string {
  const width = Math.max(0, ...status.jobs.map((j) => j.name.length), ...status.pipelines.map((p) => p.name.length));
  const jobs = status.jobs.map((job) => {
    const run = job.lastRun;
    return `  ${job.name.padEnd(width)}  ${run ? `${run.state.padEnd(22)} ${run.startedAt ?? ''}  run ${run.runId}` : 'never run'}\n`;
  });
  const pipelines = status.pipelines.map((pipeline) => {
    const update = pipeline.lastUpdate;
    const state = `${pipeline.state ?? ''}`.padEnd(10);
    return `  ${pipeline.name.padEnd(width)}  ${state} ${update ? `last update ${update.state ?? '?'} ${update.createdAt ?? ''}` : 'never updated'}\n`;
  });
  return [
    `jobs named "${namePrefix}…" in ${host}:\n`,
    ...(jobs.length ? jobs : ['  (none deployed)\n']),
    `pipelines named "${namePrefix}…":\n`,
    ...(pipelines.length ? pipelines : ['  (none deployed)\n']),
  ].join('');
}

import { Guardrail } from './guardrail';

export const jobTimeoutAndConcurrency: Guardrail = {
  id: 'job-timeout-and-concurrency',
  description: 'Every job has a timeout and a max_concurrent_runs, so a stuck or piled-up run cannot go unnoticed.',
  check({ type, config }) {
    if (type !== 'databricks_job') return undefined;
    const missing = [
      typeof config.timeout_seconds === 'number' && config.timeout_seconds > 0 ? undefined : 'timeout_seconds',
      typeof config.max_concurrent_runs === 'number' && config.max_concurrent_runs > 0 ? undefined : 'max_concurrent_runs',
    ].filter(Boolean);
    return missing.length > 0 ? `sets no ${missing.join(' and no ')}` : undefined;
  },
};

import { Guardrail } from './guardrail';

export const prodNoPausedTriggers: Guardrail = {
  id: 'prod-no-paused-triggers',
  description: 'In production, no trigger or schedule is paused unless the environment config says so.',
  check({ type, config }, { production, pauseTriggers }) {
    if (!production || pauseTriggers || type !== 'databricks_job') return undefined;
    const paused = ['trigger', 'schedule'].filter((block) => (config[block] as { pause_status?: string } | undefined)?.pause_status === 'PAUSED');
    return paused.length > 0 ? `has a paused ${paused.join(' and ')} although the environment does not set pauseTriggers` : undefined;
  },
};

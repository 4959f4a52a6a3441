import { Guardrail } from './guardrail';

export const prodNoDevelopmentPipelines: Guardrail = {
  id: 'prod-no-development-pipelines',
  description: 'In production, no pipeline runs in development mode (no retries, reused clusters).',
  check({ type, config }, { production }) {
    if (!production || type !== 'databricks_pipeline') return undefined;
    return config.development === true ? 'is in development mode' : undefined;
  },
};

import { Guardrail } from './guardrail';

export const prodRunAsServicePrincipal: Guardrail = {
  id: 'prod-run-as-service-principal',
  description: 'In production, every job and pipeline runs as a service principal, not as whoever deployed it.',
  check({ type, config }, { production }) {
    if (!production || (type !== 'databricks_job' && type !== 'databricks_pipeline')) return undefined;
    const runAs = config.run_as as { service_principal_name?: string } | undefined;
    return runAs?.service_principal_name ? undefined : 'has no run_as service principal';
  },
};

import type { EnvironmentInput } from './environment-schema';

/**
 * The deployed environments. Adding one is adding an entry here; `cdktf deploy
 * lakehouse-<name>` then deploys it. Credentials never go here: the Databricks provider
 * reads them from DATABRICKS_TOKEN / DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET or
 * from the named profile in ~/.databrickscfg.
 */

/** Landing volumes no source declares; each source brings its own (config/sources/). */
const landingVolumes: EnvironmentInput['volumes'] = [{ name: 'events' }];

/** Where CI keeps every environment's Terraform state (one key each; credentials from the runner's environment). */
const stateBucket = { type: 's3', bucket: 'lakehouse-terraform-state', region: 'eu-west-1' } as const;

const teamGroups = {
  readers: ['data-analysts'],
  writers: ['data-engineers'],
  operators: ['lakehouse-operators'],
};

export const environments: Record<string, EnvironmentInput> = {
  dev: {
    mode: 'development',
    workspace: { host: 'https://lakehouse-dev.cloud.databricks.com' },
    catalog: { name: 'lakehouse_dev' },
    principals: teamGroups,
    warehouse: { type: 'serverless' },
    notifications: {
      destinations: { 'platform-team': { type: 'email', addresses: ['data-platform-dev@example.com'] } },
      onFailure: ['platform-team'],
    },
    stateBackend: { ...stateBucket, key: 'lakehouse-dev/terraform.tfstate' },
    volumes: landingVolumes,
  },
  staging: {
    promotedFrom: 'dev',
    mode: 'production',
    workspace: { host: 'https://lakehouse-staging.cloud.databricks.com' },
    catalog: { name: 'lakehouse_staging' },
    principals: teamGroups,
    warehouse: { type: 'serverless', clusterSize: 'X-Small' },
    notifications: {
      destinations: { 'platform-team': { type: 'email', addresses: ['data-platform-alerts@example.com'] } },
      onFailure: ['platform-team'],
    },
    runAs: { servicePrincipal: '5a1e7c3d-0b6f-4a5e-9d2c-7f3b8e1a4c60' },
    stateBackend: { ...stateBucket, key: 'lakehouse-staging/terraform.tfstate' },
    volumes: landingVolumes,
  },
  prod: {
    promotedFrom: 'staging',
    mode: 'production',
    workspace: { host: 'https://lakehouse-prod.cloud.databricks.com' },
    catalog: { name: 'lakehouse_prod' },
    principals: teamGroups,
    warehouse: { type: 'serverless', clusterSize: 'Small', maxClusters: 2 },
    notifications: {
      destinations: {
        'platform-team': { type: 'email', addresses: ['data-platform-alerts@example.com'] },
        // the on-call rotation; the integration key comes from TF_VAR_prod_pagerduty_integration_key at plan time
        'on-call': { type: 'pagerduty', integrationKeyVariable: 'prod_pagerduty_integration_key' },
        // the daily reports' readers hear when they are ready
        stakeholders: { type: 'email', addresses: ['analytics-stakeholders@example.com'] },
      },
      onFailure: ['platform-team', 'on-call'],
      onSuccess: ['stakeholders'],
    },
    runAs: { servicePrincipal: '9c4b2e81-6d3a-4f07-b5e9-2a8d1c0f7e35' },
    stateBackend: { ...stateBucket, key: 'lakehouse-prod/terraform.tfstate' },
    volumes: landingVolumes,
  },
};

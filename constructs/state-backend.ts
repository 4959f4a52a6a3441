import { AzurermBackend, CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktn';
import type { EnvironmentSettings } from '../config/environment-schema';

export type StateBackendSettings = EnvironmentSettings['stateBackend'];

/**
 * Terraform runs each stack inside `cdktf.out/stacks/<stack>/`, so a local state path
 * relative to the project root is written relative to that folder. cdktf's own default
 * is an absolute path of the build machine, which would make the output unportable.
 */
const PROJECT_ROOT_FROM_STACK_DIR = '../../..';

/** Attaches the environment's state backend to its stack. Credentials come from the backend's usual environment variables. */
export function useStateBackend(stack: TerraformStack, stackName: string, backend: StateBackendSettings): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: `${PROJECT_ROOT_FROM_STACK_DIR}/${backend.path ?? `terraform.${stackName}.tfstate`}` });
      return;
    case 's3': {
      const s3 = new S3Backend(stack, { bucket: backend.bucket, key: backend.key, region: backend.region, encrypt: true });
      // locking with a lock file beside the state (Terraform ≥ 1.11), which replaces the
      // deprecated DynamoDB table (https://developer.hashicorp.com/terraform/language/backend/s3#state-locking);
      // cdktf 0.21's S3Backend predates the option, so it is set as an override of the backend block
      s3.addOverride('use_lockfile', true);
      return;
    }
    case 'azurerm':
      new AzurermBackend(stack, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key,
      });
      return;
    case 'gcs':
      new GcsBackend(stack, { bucket: backend.bucket, prefix: backend.prefix });
      return;
    case 'cloud':
      new CloudBackend(stack, { organization: backend.organization, hostname: backend.hostname, workspaces: new NamedCloudWorkspace(backend.workspace) });
      return;
  }
}

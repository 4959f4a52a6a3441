import { Pipeline } from '@cdktn/provider-databricks/lib/pipeline';
import { Construct } from 'constructs';
import { ObjectPermissions, PERMISSION_LEVELS } from './object-permissions';
import { PropError } from './prop-error';

export interface DltPipelineProps {
  readonly name: string;
  /** Unity Catalog catalog the pipeline publishes to. */
  readonly catalog: string;
  /** Default schema of the pipeline's tables. */
  readonly schema: string;
  /** Workspace paths of the SQL files that define the pipeline's tables. */
  readonly sourceFiles: readonly string[];
  /** Values the SQL reads with `${key}` (landing paths…), so nothing environment-specific is hard-coded. */
  readonly configuration?: Readonly<Record<string, string>>;
  /** Development mode: reuses compute and does not retry; only for development environments. @default false */
  readonly development?: boolean;
  /** @default 'CURRENT' */
  readonly channel?: 'CURRENT' | 'PREVIEW';
  /** Run continuously instead of per triggered update. @default false */
  readonly continuous?: boolean;
  /** Serverless compute, or classic compute under this cluster policy. @default serverless */
  readonly clusterPolicyId?: string;
  readonly onFailureEmails?: readonly string[];
  /** The service principal updates run as; it also owns the pipeline. @default the deploying identity */
  readonly runAsServicePrincipal?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * A Unity Catalog table the pipeline publishes its event log to (update history, flow
   * progress, expectation metrics), so dashboards and alerts can query it like any table.
   * @default the event log is only readable through event_log(<pipeline id>)
   */
  readonly eventLog?: { readonly catalog: string; readonly schema: string; readonly name: string };
}

/** A Lakeflow declarative (DLT) pipeline in Unity Catalog, with failure notifications and permissions. */
export class DltPipeline extends Construct {
  readonly resource: Pipeline;
  /** The pipeline id, for pipeline tasks of jobs. */
  readonly pipelineId: string;
  private readonly permissions: ObjectPermissions;

  constructor(scope: Construct, id: string, props: DltPipelineProps) {
    super(scope, id);
    if (props.sourceFiles.length === 0) throw new PropError(scope, id, 'sourceFiles', 'must name at least one SQL file');
    if (props.continuous && props.development) throw new PropError(scope, id, 'continuous', 'cannot be combined with development mode');
    const emails = [...(props.onFailureEmails ?? [])];

    this.resource = new Pipeline(this, 'Resource', {
      name: props.name,
      catalog: props.catalog,
      schema: props.schema,
      serverless: props.clusterPolicyId ? undefined : true,
      cluster: props.clusterPolicyId ? [{ label: 'default', policyId: props.clusterPolicyId, applyPolicyDefaultValues: true }] : undefined,
      development: props.development ?? false,
      channel: props.channel ?? 'CURRENT',
      continuous: props.continuous ?? false,
      configuration: props.configuration ? Object.fromEntries(Object.entries(props.configuration).sort(([a], [b]) => a.localeCompare(b))) : undefined,
      library: [...props.sourceFiles].sort().map((path) => ({ file: { path } })),
      notification: emails.length > 0 ? [{ emailRecipients: emails, alerts: ['on-update-failure', 'on-update-fatal-failure', 'on-flow-failure'] }] : undefined,
      runAs: props.runAsServicePrincipal ? { servicePrincipalName: props.runAsServicePrincipal } : undefined,
      tags: props.tags ? { ...props.tags } : undefined,
      // provider docs/resources/pipeline.md: event_log { name, catalog, schema }
      eventLog: props.eventLog ? { ...props.eventLog } : undefined,
    });
    this.pipelineId = this.resource.id;

    this.permissions = new ObjectPermissions(this, 'Permissions', { pipelineId: this.resource.id }, PERMISSION_LEVELS.pipeline);
    // without an IS_OWNER entry the provider makes the deploying identity the owner
    // (access/resource_permissions.go addOwnerPermissionIfNeeded), and a pipeline runs with its
    // owner's rights: the run-as identity owns it, as a Databricks bundle deploys it
    if (props.runAsServicePrincipal) this.permissions.grant(props.runAsServicePrincipal, 'IS_OWNER');
  }

  /** See the pipeline, its updates and its event log (CAN_VIEW). */
  grantView(principal: string): void {
    this.permissions.grant(principal, 'CAN_VIEW');
  }

  /** Start and stop updates (CAN_RUN): operators, and the identity of the job that refreshes it. */
  grantRun(principal: string): void {
    this.permissions.grant(principal, 'CAN_RUN');
  }

  /** Whether a principal holds at least `level` on the pipeline (the owner holds every level). */
  allows(principal: string, level: 'CAN_VIEW' | 'CAN_RUN' | 'CAN_MANAGE'): boolean {
    return this.permissions.allows(principal, level);
  }
}

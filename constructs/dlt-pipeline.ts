import { Permissions } from '@cdktf/provider-databricks/lib/permissions';
import { Pipeline } from '@cdktf/provider-databricks/lib/pipeline';
import { Construct } from 'constructs';
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
  readonly runAsServicePrincipal?: string;
  /** Groups that may view the pipeline and its event log. */
  readonly viewers?: readonly string[];
  /** Groups or service principals that may start updates. */
  readonly operators?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * A Unity Catalog table the pipeline publishes its event log to (update history, flow
   * progress, expectation metrics), so dashboards and alerts can query it like any table.
   * @default the event log is only readable through event_log(<pipeline id>)
   */
  readonly eventLog?: { readonly catalog: string; readonly schema: string; readonly name: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Lakeflow declarative (DLT) pipeline in Unity Catalog, with failure notifications and permissions. */
export class DltPipeline extends Construct {
  readonly resource: Pipeline;
  /** The pipeline id, for pipeline tasks of jobs. */
  readonly pipelineId: string;

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

    const grants = [
      ...(props.viewers ?? []).map((p) => ({ principal: p, permissionLevel: 'CAN_VIEW' })),
      ...(props.operators ?? []).map((p) => ({ principal: p, permissionLevel: 'CAN_RUN' })),
    ].sort((a, b) => a.principal.localeCompare(b.principal));
    if (grants.length > 0) {
      new Permissions(this, 'Permissions', {
        pipelineId: this.resource.id,
        accessControl: grants.map(({ principal, permissionLevel }) =>
          UUID.test(principal) ? { servicePrincipalName: principal, permissionLevel } : { groupName: principal, permissionLevel },
        ),
      });
    }
  }
}

import { Construct } from 'constructs';
import { ObjectPermissions, PERMISSION_LEVELS } from './object-permissions';

/**
 * Who may see and evaluate a SQL alert: its permissions and its query's, kept in step, since
 * evaluating an alert runs its query (CAN_RUN on both; provider docs/resources/permissions.md,
 * SQL alerts and queries; "You must have at least CAN RUN permission on the alert", Databricks
 * "SQL alert task for jobs", https://docs.databricks.com/aws/en/jobs/tasks/alert).
 */
export class AlertAccess {
  private readonly alert: ObjectPermissions;
  private readonly query: ObjectPermissions;

  constructor(scope: Construct, ids: { readonly alert: string; readonly query: string }, objects: { readonly alertId: string; readonly queryId: string }) {
    this.alert = new ObjectPermissions(scope, ids.alert, { sqlAlertId: objects.alertId }, PERMISSION_LEVELS.alert);
    this.query = new ObjectPermissions(scope, ids.query, { sqlQueryId: objects.queryId }, PERMISSION_LEVELS.query);
  }

  /** Evaluate the alert and run its query (CAN_RUN on both). */
  grantRun(principal: string): void {
    this.alert.grant(principal, 'CAN_RUN');
    this.query.grant(principal, 'CAN_RUN');
  }

  /** See the alert and its query (CAN_VIEW). */
  grantView(principal: string): void {
    this.alert.grant(principal, 'CAN_VIEW');
    this.query.grant(principal, 'CAN_VIEW');
  }

  /** Whether a principal may evaluate the alert. */
  allowsRun(principal: string): boolean {
    return this.alert.allows(principal, 'CAN_RUN') && this.query.allows(principal, 'CAN_RUN');
  }
}

/**
 * What every job of an environment shares, computed once by the stack from the environment:
 * its name prefix, whether triggers start paused, tags, failure destinations and run-as identity.
 */
export interface JobDefaults {
  /** Prefix of every job and pipeline name, e.g. `[prod] `. */
  readonly namePrefix: string;
  /** Triggers and schedules deployed paused. */
  readonly paused: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** E-mail addresses told about failures (the e-mail destinations of notifications.onFailure). */
  readonly onFailureEmails: readonly string[];
  /** Other destinations told about failures (Slack, PagerDuty, webhooks), by id. */
  readonly onFailureWebhookIds: readonly string[];
  /** Every failure destination by id, e-mail ones included: what alerts subscribe. @default none */
  readonly alertDestinationIds?: readonly string[];
  /** E-mail addresses told when a workflow that notifies on success succeeds. @default none */
  readonly onSuccessEmails?: readonly string[];
  /** Other destinations told when such a workflow succeeds, by id. @default none */
  readonly onSuccessWebhookIds?: readonly string[];
  /** Application id of the service principal jobs and pipelines run as. @default the deploying identity */
  readonly runAsServicePrincipal?: string;
}

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
  readonly onFailureEmails: readonly string[];
  readonly onFailureWebhookIds: readonly string[];
  /** Application id of the service principal jobs and pipelines run as. @default the deploying identity */
  readonly runAsServicePrincipal?: string;
}

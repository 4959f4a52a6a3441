import { NotificationDestination, NotificationDestinationConfigA } from '@cdktn/provider-databricks/lib/notification-destination';
import { TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import { PropError } from './prop-error';

/** One destination, as the environment config declares it. */
export type DestinationSettings =
  | { readonly type: 'email'; readonly addresses: readonly string[] }
  | { readonly type: 'slack'; readonly urlVariable: string }
  | { readonly type: 'pagerduty'; readonly integrationKeyVariable: string }
  | { readonly type: 'webhook'; readonly urlVariable: string }
  | { readonly type: 'existing'; readonly id: string };

export interface NotificationDestinationsProps {
  /** Destinations by name; `existing` ones are referenced by id, the others are created. */
  readonly destinations: Readonly<Record<string, DestinationSettings>>;
  /** Prefix of the destinations' display names, e.g. `[prod] `. */
  readonly namePrefix: string;
}

/** Who to tell: e-mail addresses (jobs e-mail them, pipelines too) and destination ids (jobs and alerts notify them). */
export interface Recipients {
  readonly emails: readonly string[];
  readonly destinationIds: readonly string[];
  /** Every destination's id, e-mail ones included: what alert subscriptions take. */
  readonly allDestinationIds: readonly string[];
}

/**
 * The environment's notification destinations (databricks_notification_destination, provider
 * docs/resources/notification_destination.md): e-mail lists, Slack, PagerDuty and generic
 * webhooks. A secret part (a webhook URL, an integration key) is a sensitive Terraform
 * variable, set at plan time from `TF_VAR_<name>`, so it never appears in cdktf.out; the
 * provider keeps it in state, as it does every sensitive attribute.
 */
export class NotificationDestinations extends Construct {
  private readonly ids = new Map<string, string>();
  private readonly settings: Readonly<Record<string, DestinationSettings>>;

  constructor(scope: Construct, id: string, props: NotificationDestinationsProps) {
    super(scope, id);
    this.settings = props.destinations;
    const variables = new Map<string, string>();
    const secret = (name: string, destination: string): string => {
      const existing = variables.get(name);
      if (existing) return existing;
      const variable = new TerraformVariable(this, name, { type: 'string', sensitive: true, nullable: false, description: `Secret of the ${destination} notification destination (set TF_VAR_${name}).` });
      // Terraform reads TF_VAR_<variable name>: the name must be the configured one, not a path-derived id
      variable.overrideLogicalId(name);
      variables.set(name, variable.stringValue);
      return variable.stringValue;
    };
    for (const [name, destination] of Object.entries(props.destinations).sort(([a], [b]) => a.localeCompare(b))) {
      if (destination.type === 'existing') {
        this.ids.set(name, destination.id);
        continue;
      }
      const config: NotificationDestinationConfigA =
        destination.type === 'email'
          ? { email: { addresses: [...destination.addresses] } }
          : destination.type === 'slack'
            ? { slack: { url: secret(destination.urlVariable, name) } }
            : destination.type === 'pagerduty'
              ? { pagerduty: { integrationKey: secret(destination.integrationKeyVariable, name) } }
              : { genericWebhook: { url: secret(destination.urlVariable, name) } };
      this.ids.set(name, new NotificationDestination(this, name, { displayName: `${props.namePrefix}${name}`, config }).id);
    }
  }

  /** The recipients of the named destinations. */
  recipients(names: readonly string[]): Recipients {
    const unknown = names.find((n) => !this.settings[n]);
    if (unknown) throw new PropError(this, unknown, 'name', `names no destination (destinations: ${Object.keys(this.settings).join(', ') || 'none'})`);
    const emails = names.flatMap((n) => {
      const d = this.settings[n];
      return d.type === 'email' ? [...d.addresses] : [];
    });
    return {
      emails: [...new Set(emails)].sort(),
      destinationIds: names.filter((n) => this.settings[n].type !== 'email').map((n) => this.ids.get(n)!),
      allDestinationIds: names.map((n) => this.ids.get(n)!),
    };
  }
}

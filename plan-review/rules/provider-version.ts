import { RuleFinding, ReviewRule } from '../finding';
import { REQUIRED_PROVIDER } from '../synth-output';

/**
 * A change of a provider's version changes how Terraform plans and applies every resource of
 * that provider, even when no resource changes: a reviewer reads the provider's changelog
 * between the two versions before approving. A provider required or no longer required is
 * reported the same way.
 * https://developer.hashicorp.com/terraform/language/providers/requirements (version constraints)
 */
export const providerVersion: ReviewRule = {
  name: 'provider-version',
  review: (changes) =>
    changes.flatMap((c): RuleFinding[] => {
      const resource = c.kind === 'changed' ? c.after : c.resource;
      if (resource.type !== REQUIRED_PROVIDER) return [];
      const version = (r: { config: Record<string, unknown> }) => String(r.config.version ?? 'any version');
      const source = String(resource.config.source ?? resource.name);
      const message =
        c.kind === 'changed'
          ? c.attributes.some((a) => a.attribute === 'version')
            ? `provider ${source} moves from ${version(c.before)} to ${version(c.after)}: read its changelog between the two versions`
            : undefined
          : c.kind === 'added'
            ? `provider ${source} ${version(resource)} is required from now on`
            : `provider ${source} is no longer required`;
      return message ? [{ severity: 'warning', rule: 'provider-version', address: resource.address, message }] : [];
    }),
};

import { RuleFinding, ReviewRule } from '../finding';
import type { ResourceChange } from '../stack-diff';

type Json = Record<string, unknown>;

const grantsOf = (config: Json): Map<string, string[]> => new Map(((config.grant ?? []) as { principal: string; privileges: string[] }[]).map((g) => [g.principal, g.privileges]));
const principalOf = (entry: Json): string => String(entry.service_principal_name ?? entry.user_name ?? entry.group_name);
const levelsOf = (config: Json): Map<string, string> => new Map(((config.access_control ?? []) as Json[]).map((e) => [principalOf(e), String(e.permission_level)]));
/** What a grants or permissions resource governs, as its config names it. */
const securableOf = (config: Json): string =>
  Object.entries(config)
    .filter(([k]) => ['catalog', 'schema', 'volume', 'table', 'job_id', 'pipeline_id', 'sql_endpoint_id', 'sql_alert_id', 'sql_query_id', 'dashboard_id'].includes(k))
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');

/**
 * Access changes a plain plan shows only as list diffs: a privilege revoked, a permission
 * removed or lowered, an owner changed (runs then use the new owner's rights). And that grants
 * and permissions are authoritative: whatever was granted on those objects outside this project
 * is revoked at apply (provider docs/resources/grants.md and permissions.md;
 * terraform-provider-databricks issues #2705, #5215) — said once per stack whose plan touches them.
 */
export const accessChanges: ReviewRule = {
  name: 'access-changes',
  review: (changes: readonly ResourceChange[]) => {
    const findings: RuleFinding[] = [];
    const finding = (address: string, message: string, severity: RuleFinding['severity'] = 'warning') => findings.push({ severity, rule: 'access-changes', address, message });
    let touchesAccess = false;
    for (const c of changes) {
      const resource = c.kind === 'changed' ? c.after : c.resource;
      if (resource.type !== 'databricks_grants' && resource.type !== 'databricks_permissions') continue;
      touchesAccess = true;
      const before = c.kind === 'added' ? {} : (c.kind === 'changed' ? c.before : c.resource).config;
      const after = c.kind === 'removed' ? {} : resource.config;
      const on = securableOf(c.kind === 'removed' ? before : after);
      if (resource.type === 'databricks_grants') {
        const old = grantsOf(before);
        const now = grantsOf(after);
        for (const [principal, privileges] of old) {
          const kept = now.get(principal) ?? [];
          const revoked = privileges.filter((p) => !kept.includes(p));
          if (revoked.length > 0) finding(resource.address, `revokes ${revoked.join(', ')} from ${principal} on ${on}`);
        }
      } else {
        const old = levelsOf(before);
        const now = levelsOf(after);
        const ownerBefore = [...old].find(([, l]) => l === 'IS_OWNER')?.[0];
        const ownerAfter = [...now].find(([, l]) => l === 'IS_OWNER')?.[0];
        if (ownerBefore !== ownerAfter) finding(resource.address, `changes the owner of ${on} from ${ownerBefore ?? 'the deploying identity'} to ${ownerAfter ?? 'the deploying identity'}: runs use the owner's rights`);
        for (const [principal, level] of old) {
          if (level === 'IS_OWNER') continue;
          const kept = now.get(principal);
          if (kept !== level) finding(resource.address, kept ? `changes ${principal} from ${level} to ${kept} on ${on}` : `removes ${level} of ${principal} on ${on}`);
        }
      }
    }
    if (touchesAccess) {
      findings.push({
        severity: 'info',
        rule: 'access-changes',
        address: '(grants and permissions)',
        message: 'grants and permissions are authoritative: a privilege or permission granted on these objects outside this project is revoked at apply (terraform-provider-databricks #2705, #5215)',
      });
    }
    return findings;
  },
};

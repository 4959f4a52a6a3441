import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeLakehouse } from '../../app/synthesize-lakehouse';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { resourcePrefix } from '../../model/naming';
import { projectSynth } from '../support/project-synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const loaded = loadEnvironments(environments);

describe.each(loaded.map((e) => [e.name, e] as const))('notification destinations of %s', (name, environment) => {
  const out = projectSynth(environment);
  const destinations = Object.entries((out.resource.databricks_notification_destination ?? {}) as Record<string, Json>);
  const idOf = (destination: string) => `\${databricks_notification_destination.${destinations.find(([, d]) => d.display_name === `${resourcePrefix(name)}${destination}`)![0]}.id}`;
  const declared = Object.entries(environment.notifications.destinations);

  it('creates every declared destination, secrets read from sensitive variables', () => {
    expect(destinations.map(([, d]) => d.display_name).sort()).toEqual(declared.filter(([, d]) => d.type !== 'existing').map(([n]) => `${resourcePrefix(name)}${n}`).sort());
    for (const [destination, settings] of declared) {
      const config = destinations.find(([, d]) => d.display_name === `${resourcePrefix(name)}${destination}`)?.[1].config;
      if (settings.type === 'email') expect(config).toEqual({ email: { addresses: settings.addresses } });
      if (settings.type === 'pagerduty') {
        expect(config).toEqual({ pagerduty: { integration_key: `\${var.${settings.integrationKeyVariable}}` } });
        expect(out.variable[settings.integrationKeyVariable]).toMatchObject({ type: 'string', sensitive: true, nullable: false });
      }
    }
  });

  it('tells failures to the failure destinations: e-mails by address, the others by destination', () => {
    const failureEmails = environment.notifications.onFailure.flatMap((n) => (environment.notifications.destinations[n].type === 'email' ? (environment.notifications.destinations[n] as { addresses: string[] }).addresses : []));
    const failureHooks = environment.notifications.onFailure.filter((n) => environment.notifications.destinations[n].type !== 'email').map(idOf);
    for (const job of Object.values(out.resource.databricks_job as Record<string, Json>)) {
      expect(job.email_notifications?.on_failure ?? []).toEqual(failureEmails);
      expect((job.webhook_notifications?.on_failure ?? []).map((h: Json) => h.id)).toEqual(failureHooks);
    }
  });

  it('tells the success destinations when a daily workflow succeeds, and only then', () => {
    const successEmails = environment.notifications.onSuccess.flatMap((n) => (environment.notifications.destinations[n].type === 'email' ? (environment.notifications.destinations[n] as { addresses: string[] }).addresses : []));
    for (const job of Object.values(out.resource.databricks_job as Record<string, Json>)) {
      const daily = job.tags?.workflow === 'analytics-dag';
      expect(job.email_notifications?.on_success ?? []).toEqual(daily ? successEmails : []);
    }
  });
});

describe('destination secrets', () => {
  it('never reach cdktf.out, even when set in the environment', () => {
    const prod = loaded.find((e) => Object.values(e.notifications.destinations).some((d) => d.type === 'pagerduty'))!;
    const variable = (Object.values(prod.notifications.destinations).find((d) => d.type === 'pagerduty') as { integrationKeyVariable: string }).integrationKeyVariable;
    const secret = ['pd', 'int', 'key', Date.now().toString(36), 'x7q'].join('-');
    const scratch = mkdtempSync(join(tmpdir(), 'lakehouse-secrets-'));
    process.env[`TF_VAR_${variable}`] = secret;
    try {
      synthesizeLakehouse(environments, { outdir: join(scratch, 'out'), only: [prod.name] });
      const walk = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
      const files = walk(join(scratch, 'out'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain(secret);
      expect(files.some((f) => readFileSync(f, 'utf8').includes(`\${var.${variable}}`))).toBe(true);
    } finally {
      delete process.env[`TF_VAR_${variable}`];
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

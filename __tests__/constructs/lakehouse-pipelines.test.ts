import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipelineDiagramFiles } from '../../app/job-diagrams';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';
import { projectPipelines } from '../../config/project';
import { FOLDER_MARKER, pipelineEventLogTable, resourcePrefix } from '../../model/naming';
import { failureEmails } from '../support/project-stack';
import { projectSynth } from '../support/project-synth';

const pipelines = projectPipelines();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const root = resolve(__dirname, '..', '..');

describe.each(loadEnvironments(environments).map((e) => [e.name, e] as const))('pipelines of the %s stack', (name, environment) => {
  const out = projectSynth(environment);
  const deployed = new Map(Object.values(out.resource.databricks_pipeline as Record<string, Json>).map((p) => [p.tags.pipeline, p]));
  const refreshJobs = new Map(Object.values(out.resource.databricks_job as Record<string, Json>).map((j) => [j.tags.pipeline, j]));
  const schemas = Object.values(out.resource.databricks_schema as Record<string, Json>).map((s) => s.name);

  it('deploys each pipeline serverless into the catalog and its own schema, in development mode only in development environments', () => {
    for (const pipeline of pipelines) {
      const p = deployed.get(pipeline.name)!;
      expect(p).toMatchObject({ name: `${resourcePrefix(name)}${pipeline.name}`, catalog: environment.catalog.name, serverless: true, development: environment.mode === 'development', channel: 'CURRENT', continuous: false });
      expect(schemas).toContain(pipeline.schema);
    }
  });

  it('publishes each event log to a table of the ops schema, for the dashboard and the data-quality alert', () => {
    for (const pipeline of pipelines) expect(deployed.get(pipeline.name)!.event_log).toEqual({ catalog: environment.catalog.name, schema: 'ops', name: pipelineEventLogTable(pipeline.name) });
  });

  it('makes every volume folder a pipeline reads exist from deploy on (events/profiles/ too), so a first update finds it', () => {
    const markers = Object.values(out.resource.databricks_file as Record<string, Json>).map((f) => f.path as string);
    for (const p of deployed.values()) {
      for (const value of Object.values(p.configuration as Record<string, string>).filter((v) => v.startsWith('/Volumes/') && v.endsWith('/'))) expect(markers).toContain(`${value}${FOLDER_MARKER.name}`);
    }
    expect(markers).toContain(`/Volumes/${environment.catalog.name}/landing/events/profiles/${FOLDER_MARKER.name}`);
  });

  it('passes the landing paths in as configuration instead of hard-coding them', () => {
    expect(deployed.get('orders-medallion')!.configuration).toEqual({
      customers_path: `/Volumes/${environment.catalog.name}/landing/customers/archive/`,
      orders_path: `/Volumes/${environment.catalog.name}/landing/orders/archive/`,
      products_path: `/Volumes/${environment.catalog.name}/landing/products/incoming/`,
    });
  });

  it('points the libraries at the uploaded SQL files', () => {
    const files = new Map(Object.entries(out.resource.databricks_workspace_file as Record<string, Json>).map(([id, f]) => [`\${databricks_workspace_file.${id}.path}`, f.path]));
    for (const pipeline of pipelines) {
      const libraries = (deployed.get(pipeline.name)!.library as Json[]).map((l) => files.get(l.file.path));
      expect(libraries.sort()).toEqual(pipeline.sourceFiles.map((f) => `/lakehouse-${name}/${f}`).sort());
    }
  });

  it('notifies on failure and grants view to readers and run to operators', () => {
    const p = deployed.get('orders-medallion')!;
    expect(p.notification).toEqual([{ email_recipients: failureEmails(environment), alerts: ['on-update-failure', 'on-update-fatal-failure', 'on-flow-failure'] }]);
    const permissions = Object.values(out.resource.databricks_permissions as Record<string, Json>).find((r) => r.pipeline_id === '${databricks_pipeline.Pipelines_orders-medallion_01EA47AE.id}')!.access_control as Json[];
    expect(permissions).toContainEqual({ group_name: 'data-analysts', permission_level: 'CAN_VIEW' });
    expect(permissions).toContainEqual({ group_name: 'lakehouse-operators', permission_level: 'CAN_RUN' });
  });

  it('refreshes each pipeline on its schedule or when its files land, paused per the environment', () => {
    for (const pipeline of pipelines) {
      const job = refreshJobs.get(pipeline.name)!;
      const pause = environment.pauseTriggers ? 'PAUSED' : 'UNPAUSED';
      if (pipeline.refreshOnFileArrival) {
        expect(job.trigger).toMatchObject({ pause_status: pause, file_arrival: { url: `/Volumes/${environment.catalog.name}/landing/${pipeline.refreshOnFileArrival}/incoming/` } });
      } else {
        expect(job.schedule).toEqual({ quartz_cron_expression: pipeline.refreshSchedule, timezone_id: 'UTC', pause_status: pause });
      }
      expect(job.task[0].pipeline_task.pipeline_id).toMatch(/^\$\{databricks_pipeline\.Pipelines_[\w-]+\.id\}$/);
    }
  });
});

describe('pipeline diagrams in docs/pipelines', () => {
  const expected = pipelineDiagramFiles(pipelines, root);
  const docs = join(root, 'docs', 'pipelines');

  it('exist for every pipeline and no other', () => {
    expect(readdirSync(docs).sort()).toEqual([...expected.keys()].sort());
  });

  it.each([...expected.keys()])('%s is up to date (run `npm run graph`)', (file) => {
    expect(readFileSync(join(docs, file), 'utf8')).toBe(expected.get(file));
  });
});

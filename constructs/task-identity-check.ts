import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableUses } from '../checks/sql-contract';
import type { WorkflowTask } from '../model/workflow';
import { DagJob } from './dag-job';
import type { LakehouseStack } from './lakehouse-stack';
import { LandingVolume } from './landing-volume';

/** Privileges each kind of table use needs on the table's schema (https://docs.databricks.com/en/data-governance/unity-catalog/manage-privileges/privileges.html). */
const NEEDS = { read: ['USE_SCHEMA', 'SELECT'], write: ['USE_SCHEMA', 'SELECT', 'MODIFY'], create: ['USE_SCHEMA', 'CREATE_TABLE'] } as const;

/** A task's parameter values as the deployed job passes them: `{{job.parameters.x}}` resolved to the job's defaults. */
function deployedValues(task: WorkflowTask, jobParameters: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(task.parameters ?? {}).map(([k, v]) => [k, v.replace(/\{\{\s*job\.parameters\.(\w+)\s*\}\}/g, (m, name: string) => jobParameters[name] ?? m)]));
}

/**
 * Proves, at synth, that the identity of every job holds what its tasks use: USE CATALOG and
 * the schema privileges for each table its SQL reads, writes or creates (from the same table
 * analysis as the SQL contract), READ and WRITE VOLUME for the volumes its notebooks move files
 * in, CAN_USE on the warehouse of its SQL and alert tasks, CAN_RUN on the alerts and pipelines
 * it runs and CAN_MANAGE_RUN on the jobs it runs. A job without a run-as identity runs as
 * whoever deploys it, which synth cannot know: those jobs are not checked.
 */
export function taskIdentityProblems(stack: LakehouseStack, projectRoot: string): string[] {
  const problems: string[] = [];
  const { catalog, warehouse } = stack;
  const dagJobs = stack.node.findAll().filter((n): n is DagJob => n instanceof DagJob);
  const jobsById = new Map(dagJobs.map((j) => [j.jobId, j]));
  const pipelinesById = new Map([...stack.pipelines.pipelines.values()].map((p) => [p.pipelineId, p]));
  const alertsById = new Map<string, { allowsRun(principal: string): boolean; readonly systemSchemas?: readonly string[] }>(
    [stack.jobFailureAlert, stack.dataQualityAlert].flatMap((alert) => (alert ? [[alert.alertId, alert] as const] : [])),
  );
  const volumes = stack.node.findAll().filter((n): n is LandingVolume => n instanceof LandingVolume);
  const workflowTasks = new Map([...stack.jobs.jobs.values()].map((w) => [w.job, w]));

  // a developer's own copy declares its schemas in this catalog: each developer must be able to create them
  for (const developer of stack.developers) {
    const held = catalog.catalogPrivilegesOf(developer);
    const missing = ['USE_CATALOG', 'CREATE_SCHEMA'].filter((p) => !held.has(p));
    if (missing.length > 0) problems.push(`developer ${developer} deploys their own copy of ${stack.environment.name}, which creates its schemas in ${catalog.catalogName}, but lacks ${missing.join(', ')} on it`);
  }

  for (const job of dagJobs) {
    const identity = job.runAs;
    if (!identity) continue;
    const where = `job "${job.node.path}"`;
    const workflow = workflowTasks.get(job);
    for (const task of job.tasks) {
      const at = `${where}, task "${task.key}"`;
      if ((task.kind === 'sql' || task.kind === 'alert') && warehouse.allowsUse(identity) === false) problems.push(`${at}: ${identity} cannot use the SQL warehouse (CAN_USE)`);
      if (task.kind === 'alert' && !alertsById.get(task.alertId)?.allowsRun(identity)) problems.push(`${at}: ${identity} cannot run the alert it evaluates (CAN_RUN)`);
      if (task.kind === 'alert') {
        for (const schema of alertsById.get(task.alertId)?.systemSchemas ?? []) {
          if (!stack.systemTables?.allowsRead(identity, schema)) problems.push(`${at}: the alert's query reads ${schema}, but ${identity} lacks USE_SCHEMA, SELECT on it`);
        }
      }
      if (task.kind === 'pipeline' && !pipelinesById.get(task.pipelineId)?.allows(identity, 'CAN_RUN')) problems.push(`${at}: ${identity} cannot start updates of the pipeline (CAN_RUN)`);
      if (task.kind === 'run-job' && !jobsById.get(task.jobId)?.allows(identity, 'CAN_MANAGE_RUN')) problems.push(`${at}: ${identity} cannot run the job it runs (CAN_MANAGE_RUN)`);
    }
    if (!workflow) continue;
    for (const task of workflow.workflow.tasks) {
      const at = `${where}, task "${task.key}"`;
      const values = deployedValues(task, workflow.jobParameters);
      const checkTable = (table: string, access: keyof typeof NEEDS, what: string) => {
        const parts = table.split('.');
        if (parts.length !== 3) return;
        const [catalogName, schemaName] = parts;
        if (catalogName !== catalog.catalogName) {
          problems.push(`${at}: ${what} ${access}s ${table}, outside the catalog this stack grants on`);
          return;
        }
        const held = catalog.schemaPrivilegesOf(identity, catalog.layerOfSchema(schemaName) ?? schemaName);
        const missing = [...(catalog.catalogPrivilegesOf(identity).has('USE_CATALOG') ? [] : ['USE_CATALOG']), ...NEEDS[access].filter((p) => !held.has(p))];
        if (missing.length > 0) problems.push(`${at}: ${what} ${access}s ${table}, but ${identity} lacks ${missing.join(', ')} on ${catalogName}.${schemaName}`);
      };
      if (task.asset.kind === 'sql') {
        const file = task.asset.file;
        for (const use of tableUses(readFileSync(join(projectRoot, file), 'utf8'), values)) checkTable(use.table, use.access, `${file}:${use.line}`);
      }
      if (task.asset.kind === 'notebook') {
        for (const [name, value] of Object.entries(values)) {
          // a notebook reads the tables its parameters name (the ledger, the watermarks…)
          if (/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/i.test(value)) checkTable(value, 'read', `parameter ${name}`);
          const volume = volumes.find((v) => value.startsWith(`${v.path}/`));
          if (volume) {
            const held = new Set([...catalog.schemaPrivilegesOf(identity, volume.layer), ...volume.privilegesOf(identity)]);
            const missing = ['READ_VOLUME', 'WRITE_VOLUME'].filter((p) => !held.has(p));
            if (missing.length > 0) problems.push(`${at}: parameter ${name} moves files in ${volume.fullName}, but ${identity} lacks ${missing.join(', ')} on it`);
          }
        }
      }
    }
  }
  return problems;
}

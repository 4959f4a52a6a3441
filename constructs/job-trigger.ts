import { ExternalLocation } from '@cdktn/provider-databricks/lib/external-location';
import { JobSchedule, JobTrigger } from '@cdktn/provider-databricks/lib/job';
import { ITerraformDependable, TerraformStack } from 'cdktn';
import { Construct, IConstruct } from 'constructs';
import { DeltaTable } from './delta-table';
import { LakehouseCatalog } from './lakehouse-catalog';
import { LandingVolume } from './landing-volume';

/** Databricks refuses trigger timers shorter than this. */
export const MIN_TRIGGER_SECONDS = 60;

export type JobTriggerProps =
  | {
      readonly type: 'file-arrival';
      /** A volume (its incoming folder is watched) or a URL inside a volume or external location of the stack, ending with `/`. */
      readonly location: LandingVolume | string;
      /** @default 60 */
      readonly minTimeBetweenTriggersSeconds?: number;
      /** @default 60 */
      readonly waitAfterLastChangeSeconds?: number;
    }
  | {
      readonly type: 'table-update';
      readonly tables: readonly DeltaTable[];
      /** @default 'ALL_UPDATED' */
      readonly condition?: 'ANY_UPDATED' | 'ALL_UPDATED';
      /** @default 60 */
      readonly minTimeBetweenTriggersSeconds?: number;
      /** @default 60 */
      readonly waitAfterLastChangeSeconds?: number;
    }
  | {
      readonly type: 'schedule';
      /** Quartz cron, e.g. `0 0 2 * * ?` for 02:00 every day. */
      readonly quartzCron: string;
      /** @default 'UTC' */
      readonly timezone?: string;
    };

export interface TriggerSettings {
  readonly trigger?: JobTrigger;
  readonly schedule?: JobSchedule;
  /** What must exist before the job is created: the watched volume or tables. */
  readonly dependsOn: ITerraformDependable[];
}

/** The `trigger` and `schedule` blocks of a job, with the rules that would otherwise only fail at deploy checked at synth. */
export function triggerSettings(job: Construct, props: JobTriggerProps, paused: boolean, runAs: string | undefined): TriggerSettings {
  const pauseStatus = paused ? 'PAUSED' : 'UNPAUSED';
  job.node.addValidation({ validate: () => triggerProblems(job, props, runAs).map((p) => `${job.node.path}: trigger ${p}`) });
  switch (props.type) {
    case 'file-arrival':
      return {
        dependsOn: typeof props.location === 'string' || !props.location.resource ? [] : [props.location.resource],
        trigger: {
          pauseStatus,
          fileArrival: {
            url: fileArrivalUrl(props.location),
            minTimeBetweenTriggersSeconds: props.minTimeBetweenTriggersSeconds ?? MIN_TRIGGER_SECONDS,
            waitAfterLastChangeSeconds: props.waitAfterLastChangeSeconds ?? MIN_TRIGGER_SECONDS,
          },
        },
      };
    case 'table-update':
      return {
        dependsOn: props.tables.map((t) => t.resource),
        trigger: {
          pauseStatus,
          tableUpdate: {
            tableNames: props.tables.map((t) => t.fullName).sort(),
            condition: props.condition ?? 'ALL_UPDATED',
            minTimeBetweenTriggersSeconds: props.minTimeBetweenTriggersSeconds ?? MIN_TRIGGER_SECONDS,
            waitAfterLastChangeSeconds: props.waitAfterLastChangeSeconds ?? MIN_TRIGGER_SECONDS,
          },
        },
      };
    case 'schedule':
      return { dependsOn: [], schedule: { quartzCronExpression: props.quartzCron, timezoneId: props.timezone ?? 'UTC', pauseStatus } };
  }
}

function fileArrivalUrl(location: LandingVolume | string): string {
  return typeof location === 'string' ? location : location.incomingPath;
}

function triggerProblems(job: IConstruct, props: JobTriggerProps, runAs: string | undefined): string[] {
  const problems: string[] = [];
  if (props.type === 'schedule') {
    if (props.quartzCron.trim().split(/\s+/).length < 6) problems.push(`quartzCron "${props.quartzCron}" must have 6 or 7 fields (seconds first), e.g. "0 0 2 * * ?"`);
    return problems;
  }
  for (const [field, value] of [
    ['minTimeBetweenTriggersSeconds', props.minTimeBetweenTriggersSeconds],
    ['waitAfterLastChangeSeconds', props.waitAfterLastChangeSeconds],
  ] as const) {
    if (value !== undefined && value < MIN_TRIGGER_SECONDS) problems.push(`${field} is ${value}; Databricks requires at least ${MIN_TRIGGER_SECONDS} seconds`);
  }
  const stackNodes = stackNodesOf(TerraformStack.of(job));
  if (props.type === 'file-arrival') {
    const url = fileArrivalUrl(props.location);
    if (!url.endsWith('/')) problems.push(`file-arrival URL "${url}" must end with "/"`);
    if (/[*?[\]{}]/.test(url)) problems.push(`file-arrival URL "${url}" must not contain wildcards: it names one folder`);
    const volumes = stackNodes.filter((n): n is LandingVolume => n instanceof LandingVolume).map((v) => `${v.path}/`);
    const locations = stackNodes.filter((n): n is ExternalLocation => n instanceof ExternalLocation).map((l) => l.urlInput ?? '');
    if (![...volumes, ...locations].some((root) => root !== '' && url.startsWith(root))) {
      problems.push(`file-arrival URL "${url}" is not inside a volume or external location declared in this stack (declared volumes: ${volumes.join(', ') || 'none'})`);
    }
  }
  if (props.type === 'table-update') {
    if (props.tables.length === 0) problems.push('table-update needs at least one table');
    const declared = new Set(stackNodes.filter((n): n is DeltaTable => n instanceof DeltaTable).map((t) => t.fullName));
    const catalogs = stackNodes.filter((n): n is LakehouseCatalog => n instanceof LakehouseCatalog);
    for (const table of props.tables) {
      if (!declared.has(table.fullName)) problems.push(`table-update table "${table.fullName}" is not declared in this stack`);
      if (runAs && !canSelect(catalogs, runAs, table.fullName)) {
        problems.push(`table-update table "${table.fullName}" is not readable by the job's run-as identity "${runAs}": grant it SELECT on the schema`);
      }
    }
  }
  return problems;
}

function canSelect(catalogs: readonly LakehouseCatalog[], principal: string, fullName: string): boolean {
  const [catalogName, schemaName] = fullName.split('.');
  return catalogs.some((catalog) => {
    if (catalog.catalogName !== catalogName) return false;
    const layer = catalog.layerOfSchema(schemaName);
    return layer !== undefined && catalog.schemaPrivilegesOf(principal, layer).has('SELECT');
  });
}

/**
 * The constructs of a stack, listed once per stack when validations run (every construct is in
 * place by then): each job's trigger check reads them, and listing them per job would make
 * validation quadratic in the number of jobs.
 */
const nodesByStack = new WeakMap<TerraformStack, IConstruct[]>();
function stackNodesOf(stack: TerraformStack): IConstruct[] {
  let nodes = nodesByStack.get(stack);
  if (!nodes) {
    nodes = stack.node.findAll();
    nodesByStack.set(stack, nodes);
  }
  return nodes;
}

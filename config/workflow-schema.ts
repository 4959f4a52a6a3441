import { z } from 'zod';
import { LAYERS } from '../model/layers';

/**
 * The shape of a workflow (see model/workflow.ts), checked when the config loads: the
 * esbuild fast path does not type-check, so a misspelt key or trigger type would otherwise
 * reach synth silently (a misspelt `dependsOn` drops the dependency, a misspelt trigger type
 * drops the trigger). Every object is strict: an unknown key is an error.
 */

const kebabName = z.string().regex(/^[a-z][a-z0-9-]{0,99}$/, 'must be kebab-case: lower-case letters, digits and dashes, starting with a letter');
const taskKey = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1-100 letters, digits, _ or -');
const layerTable = z.string().regex(new RegExp(`^(${LAYERS.join('|')})\\.[a-z_][a-z0-9_]*$`), `must be <layer>.<table> with a layer of ${LAYERS.join(', ')}`);
const seconds = z.number().int().positive();

const asset = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sql'), file: z.string().regex(/^sql\/[\w./-]+\.sql$/, 'must be a .sql file under sql/') }).strict(),
  z.object({ kind: z.literal('notebook'), file: z.string().regex(/^notebooks\/[\w./-]+\.(py|sql|scala|r)$/, 'must be a notebook under notebooks/') }).strict(),
  z.object({ kind: z.literal('job'), workflow: kebabName }).strict(),
]);

const task = z
  .object({
    key: taskKey,
    description: z.string().optional(),
    asset,
    parameters: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'parameter names are identifiers'), z.string()).optional(),
    dependsOn: z.array(taskKey).optional(),
    runIf: z.enum(['ALL_SUCCESS', 'AT_LEAST_ONE_SUCCESS', 'NONE_FAILED', 'ALL_DONE', 'AT_LEAST_ONE_FAILED', 'ALL_FAILED']).optional(),
    maxRetries: z.number().int().min(0).optional(),
    timeoutSeconds: seconds.optional(),
  })
  .strict();

const trigger = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('file-arrival'),
      volume: z.string().min(1),
      minTimeBetweenTriggersSeconds: seconds.optional(),
      waitAfterLastChangeSeconds: seconds.optional(),
    })
    .strict(),
  z.object({ type: z.literal('table-update'), tables: z.array(layerTable).min(1), condition: z.enum(['ANY_UPDATED', 'ALL_UPDATED']) }).strict(),
  z.object({ type: z.literal('schedule'), quartzCron: z.string().min(1) }).strict(),
]);

export const workflowSchema = z
  .object({
    name: kebabName,
    description: z.string().min(1),
    parameters: z.array(z.object({ name: z.string().regex(/^[A-Za-z_]\w*$/, 'parameter names are identifiers'), default: z.string(), description: z.string().optional() }).strict()),
    tasks: z.array(task).min(1, 'needs at least one task'),
    landingVolume: z.string().optional(),
    writes: z.array(layerTable),
    trigger: trigger.optional(),
    timeoutSeconds: seconds.optional(),
    maxConcurrentRuns: z.number().int().min(1).optional(),
    notifyOnSuccess: z.boolean().optional(),
  })
  .strict();

export const pipelineSchema = z
  .object({
    name: kebabName,
    description: z.string().min(1),
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,254}$/, 'must be a Unity Catalog identifier'),
    sourceFiles: z.array(z.string().regex(/^sql\/[\w./-]+\.sql$/, 'must be a .sql file under sql/')).min(1, 'needs at least one SQL file'),
    configuration: z.record(z.string().regex(/^[\w.]+$/, 'configuration keys are letters, digits, _ and .'), z.string()),
    refreshSchedule: z.string().min(1).optional(),
    refreshOnFileArrival: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => (p.refreshSchedule === undefined) !== (p.refreshOnFileArrival === undefined), { message: 'needs exactly one of refreshSchedule and refreshOnFileArrival', path: ['refreshSchedule'] });

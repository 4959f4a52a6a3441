import { z } from 'zod';
import { RESERVED_CATALOG_NAMES, UC_IDENTIFIER } from '../model/identifiers';
import { LAYERS, Layer } from '../model/layers';
import { VOLUME_FOLDER } from '../model/naming';

/**
 * The shape of one environment's configuration. Defaults follow Databricks' bundle
 * targets: a `development` environment pauses its triggers, a `production` one must
 * run as a service principal.
 */

const ucIdentifier = z
  .string()
  .regex(UC_IDENTIFIER, 'must be a Unity Catalog identifier: lower-case letters, digits and underscores, no spaces, dots or quotes');


const principal = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((p) => !/[`"']/.test(p), 'must not contain quotes');

const workspace = z
  .object({
    host: z
      .string({ required_error: 'is required: the workspace URL, e.g. https://my-workspace.cloud.databricks.com' })
      .url('must be a URL such as https://my-workspace.cloud.databricks.com')
      .refine((h) => h.startsWith('https://'), 'must use https://')
      .refine((h) => !/[?#@]/.test(h), 'must be a bare workspace URL, without credentials, query or fragment')
      // the provider and the REST API append /api/… to the host: a path breaks every call
      .refine((h) => !URL.canParse(h) || ['', '/'].includes(new URL(h).pathname), 'must be the workspace URL without a path, e.g. https://my-workspace.cloud.databricks.com'),
    /** A profile in ~/.databrickscfg that holds the credentials; never the credentials themselves. */
    profile: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a profile name from ~/.databrickscfg').optional(),
  })
  .strict();

const schemaNames = z
  .object(Object.fromEntries(LAYERS.map((l) => [l, ucIdentifier.optional()])) as Record<Layer, z.ZodOptional<typeof ucIdentifier>>)
  .strict()
  .default({});

const catalog = z
  .object({
    name: ucIdentifier.refine((n) => !RESERVED_CATALOG_NAMES.includes(n), `is a catalog name Unity Catalog reserves (${RESERVED_CATALOG_NAMES.join(', ')})`),
    /** Managed storage location of the catalog; the metastore's default when absent. */
    storageRoot: z.string().regex(/^(s3|abfss|gs):\/\/\S+$/, 'must be a cloud storage URL (s3://, abfss:// or gs://)').optional(),
    /** Override of the default schema names, per layer. */
    schemas: schemaNames,
  })
  .strict();

const principals = z
  .object({
    readers: z.array(principal).default([]),
    writers: z.array(principal).default([]),
    operators: z.array(principal).default([]),
  })
  .strict()
  .default({});

const warehouse = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('serverless'),
      clusterSize: z.enum(['2X-Small', 'X-Small', 'Small', 'Medium', 'Large', 'X-Large', '2X-Large', '3X-Large', '4X-Large']).default('2X-Small'),
      autoStopMinutes: z.number().int().min(1).max(1440).default(10),
      maxClusters: z.number().int().min(1).max(40).default(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('existing'),
      id: z.string().regex(/^[0-9a-f]{16}$/, 'must be a SQL warehouse id (16 hex characters)'),
    })
    .strict(),
]);

/**
 * A Terraform variable holding a destination's secret (a webhook URL, an integration key):
 * declared sensitive, set at plan time from TF_VAR_<name>, never written into cdktf.out.
 */
const secretVariable = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a Terraform variable name (lower-case letters, digits, _): its value comes from TF_VAR_<name>');

/** Where notifications go (databricks_notification_destination), by kind. */
const destination = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), addresses: z.array(z.string().email('must be an e-mail address')).min(1) }).strict(),
  z.object({ type: z.literal('slack'), urlVariable: secretVariable }).strict(),
  z.object({ type: z.literal('pagerduty'), integrationKeyVariable: secretVariable }).strict(),
  z.object({ type: z.literal('webhook'), urlVariable: secretVariable }).strict(),
  /** A destination managed in the workspace, by id. */
  z.object({ type: z.literal('existing'), id: z.string().uuid('must be a notification destination id (UUID)') }).strict(),
]);

const destinationName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes');

const notifications = z
  .object({
    /** The environment's destinations, by name. */
    destinations: z.record(destinationName, destination).default({}),
    /** Destinations told about failures of jobs, pipelines and alerts: the operators'. */
    onFailure: z.array(destinationName).default([]),
    /** Destinations told when a workflow that notifies on success (the daily ones) succeeds: the stakeholders'. */
    onSuccess: z.array(destinationName).default([]),
  })
  .strict()
  .default({});

const monitoring = z
  .object({
    /** The data-quality alert fires when an expectation dropped more than this fraction of the rows it checked in the last hour. */
    dropRateThreshold: z.number().gt(0).lt(1).default(0.05),
  })
  .strict()
  .default({});

const runAs = z
  .object({
    /** Application id of the service principal the jobs and pipelines run as. */
    servicePrincipal: z.string().uuid('must be the application id (UUID) of a service principal'),
  })
  .strict();

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p), 'must be relative to the project root, so the output stays portable')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must stay inside the project root');

const stateBackend = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local'), path: relativePath.optional() }).strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().min(3),
      key: z.string().min(1),
      region: z.string().min(1),
      /** Deprecated locking (Terraform ≥ 1.11 locks S3 state with a lock file, use_lockfile, always on here): refused with a hint. */
      dynamodbTable: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('azurerm'),
      resourceGroupName: z.string().min(1),
      storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, 'must be an Azure storage account name'),
      containerName: z.string().min(3),
      key: z.string().min(1),
    })
    .strict(),
  z.object({ type: z.literal('gcs'), bucket: z.string().min(3), prefix: z.string().min(1).optional() }).strict(),
  z
    .object({
      type: z.literal('cloud'),
      organization: z.string().min(1),
      workspace: z.string().min(1),
      hostname: z.string().min(1).optional(),
    })
    .strict(),
]);

const volumePath = z
  .string()
  .regex(VOLUME_FOLDER, 'must be a folder inside a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/<folders>/ ending with /');

const volume = z
  .object({
    name: ucIdentifier,
    layer: z.enum(LAYERS).default('landing'),
    /** An external location URL; a managed volume when absent. */
    storageLocation: z.string().regex(/^(s3|abfss|gs):\/\/\S+$/, 'must be a cloud storage URL (s3://, abfss:// or gs://)').optional(),
    /** Where processed files go when not the volume's own archive/ folder, e.g. a cheaper external volume. */
    archivePath: volumePath.optional(),
  })
  .strict();

export const environmentSchema = z
  .object({
    /**
     * Development (paused triggers, development pipelines, no production guardrails) or production
     * (locked down). Not a switch for production itself: the last environment of the promotion
     * chain, and any environment promoted from a production one, must be 'production'
     * (config/promotion-chain.ts productionProblems).
     */
    mode: z.enum(['development', 'production']),
    workspace,
    catalog,
    principals,
    warehouse,
    notifications,
    monitoring,
    runAs: runAs.optional(),
    /** Whether triggers and schedules are deployed paused; development environments default to paused. */
    pauseTriggers: z.boolean().optional(),
    /** CI deploys the environment (the deploy workflow's matrix); it then needs remote state. @default true */
    deployedByCi: z.boolean().default(true),
    /**
     * The environment a change reaches before this one (the promotion chain, config/promotion-chain.ts):
     * every CI-deployed environment but the first names one, and no two name the same, so a new
     * environment goes exactly where it is declared to, never after production by accident.
     * Environments CI does not deploy stand outside the chain and name none.
     */
    promotedFrom: z.string().optional(),
    stateBackend: stateBackend.default({ type: 'local' }),
    /** Volumes besides those the sources bring; a source's volume listed here takes these settings (storage location, archive path). */
    volumes: z.array(volume).default([]),
    tags: z.record(z.string().regex(/^[A-Za-z0-9_.:-]+$/), z.string()).default({}),
  })
  .strict();

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type EnvironmentSettings = z.output<typeof environmentSchema>;

/** Environment names become stack names (`lakehouse-<name>`) and tags. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,30}$/;

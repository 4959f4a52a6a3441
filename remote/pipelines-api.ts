import type { DatabricksHttpClient } from './http-client';

// The Pipelines API endpoints the remote client calls (index: https://docs.databricks.com/api/pipelines/v2/pipeline.md).
/** https://docs.databricks.com/api/pipelines/v2/list.md: `filter` (`name LIKE '…'`), `max_results` ≤ 100, `page_token`; returns `statuses`, `next_page_token`. */
const LIST_PIPELINES = '/api/2.0/pipelines';
/** https://docs.databricks.com/api/pipelines/v2/start.md: POST with `full_refresh`, `validate_only`, `cause`; returns `update_id`. */
const updatesPath = (pipelineId: string): string => `/api/2.0/pipelines/${encodeURIComponent(pipelineId)}/updates`;
/** https://docs.databricks.com/api/pipelines/v2/get-update.md: returns `update` with `state`. */
const updatePath = (pipelineId: string, updateId: string): string => `${updatesPath(pipelineId)}/${encodeURIComponent(updateId)}`;
/** https://docs.databricks.com/api/pipelines/v2/events.md: `filter` (`level='ERROR'`…), `max_results`; newest first. */
const eventsPath = (pipelineId: string): string => `/api/2.0/pipelines/${encodeURIComponent(pipelineId)}/events`;

const PAGE_SIZE = 100;

/** The latest updates of a pipeline as the list returns them, newest first. */
export interface UpdateStateInfo {
  readonly update_id?: string;
  readonly state?: string;
  readonly creation_time?: string;
}

/** A pipeline as the list returns it. */
export interface PipelineStateInfo {
  readonly pipeline_id: string;
  readonly name?: string;
  /** The pipeline's state: IDLE, RUNNING, FAILED, … */
  readonly state?: string;
  readonly latest_updates?: readonly UpdateStateInfo[];
}

/** An update: `state` QUEUED, CREATED, WAITING_FOR_RESOURCES, INITIALIZING, RESETTING, SETTING_UP_TABLES, RUNNING, STOPPING, then COMPLETED, FAILED or CANCELED. */
export interface PipelineUpdate {
  readonly update_id?: string;
  readonly state?: string;
  /** What started the update (API_CALL, JOB_TASK, …), not why it failed. */
  readonly cause?: string;
  readonly full_refresh?: boolean;
  readonly validate_only?: boolean;
  /** Epoch milliseconds. */
  readonly creation_time?: number;
}

/** A pipeline event (the fields used here). */
export interface PipelineEvent {
  readonly message?: string;
  readonly level?: string;
  readonly timestamp?: string;
  readonly origin?: { readonly update_id?: string };
  readonly error?: { readonly exceptions?: readonly { readonly class_name?: string; readonly message?: string }[] };
}

/** What a new update does. */
export interface StartUpdateOptions {
  /** Reset every table before running. */
  readonly fullRefresh: boolean;
  /** Check the pipeline's source code without materializing anything. */
  readonly validateOnly: boolean;
}

/**
 * A `LIKE` pattern matching `text` (and maybe more): every character with a meaning in a
 * pattern or a filter (`%`, `_`, brackets, quotes, backslash) becomes `%`, the wildcard the
 * list documents, so the pattern needs no escaping. Callers compare the results exactly.
 */
export function likeSuperset(text: string): string {
  return text.replace(/[%_[\]'"\\]/g, '%');
}

/** Typed calls to the Pipelines API of one workspace. */
export class PipelinesApi {
  constructor(private readonly http: DatabricksHttpClient) {}

  /** The workspace URL, for messages. */
  get host(): string {
    return this.http.host;
  }

  /** Every pipeline whose name matches the `LIKE` pattern (every page). */
  async listPipelines(namePattern: string): Promise<PipelineStateInfo[]> {
    const pipelines: PipelineStateInfo[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await this.http.get<{ statuses?: readonly PipelineStateInfo[]; next_page_token?: string }>(LIST_PIPELINES, {
        filter: `name LIKE '${namePattern}'`,
        max_results: PAGE_SIZE,
        page_token: pageToken,
      });
      pipelines.push(...(page.statuses ?? []));
      pageToken = page.next_page_token || undefined;
      if (pageToken !== undefined && seen.has(pageToken)) throw new Error(`${LIST_PIPELINES} returned page token "${pageToken}" twice; stopping rather than looping`);
      if (pageToken !== undefined) seen.add(pageToken);
    } while (pageToken);
    return pipelines;
  }

  /** The pipelines named exactly `name`. */
  async pipelinesNamed(name: string): Promise<PipelineStateInfo[]> {
    return (await this.listPipelines(likeSuperset(name))).filter((p) => p.name === name);
  }

  /** The pipelines whose name starts with `prefix`. */
  async pipelinesStartingWith(prefix: string): Promise<PipelineStateInfo[]> {
    return (await this.listPipelines(`${likeSuperset(prefix)}%`)).filter((p) => p.name?.startsWith(prefix));
  }

  /** Starts an update of a pipeline and returns its id. */
  async startUpdate(pipelineId: string, options: StartUpdateOptions): Promise<string> {
    const response = await this.http.post<{ update_id?: unknown }>(updatesPath(pipelineId), {
      full_refresh: options.fullRefresh,
      validate_only: options.validateOnly,
      cause: 'API_CALL',
    });
    if (typeof response.update_id !== 'string') throw new Error(`POST ${updatesPath(pipelineId)} returned no update_id`);
    return response.update_id;
  }

  /** One update of a pipeline. */
  async getUpdate(pipelineId: string, updateId: string): Promise<PipelineUpdate> {
    return (await this.http.get<{ update?: PipelineUpdate }>(updatePath(pipelineId, updateId))).update ?? {};
  }

  /** The newest error events of a pipeline that belong to one update. */
  async errorEvents(pipelineId: string, updateId: string): Promise<PipelineEvent[]> {
    const response = await this.http.get<{ events?: readonly PipelineEvent[] }>(eventsPath(pipelineId), { filter: "level='ERROR'", max_results: 100 });
    return (response.events ?? []).filter((event) => event.origin?.update_id === updateId);
  }
}

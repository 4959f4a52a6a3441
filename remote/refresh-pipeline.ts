import type { Clock } from './clock';
import { BadInputError } from './errors';
import { pollUntil } from './poll';
import type { PipelineEvent, PipelineStateInfo, PipelinesApi } from './pipelines-api';

/** An update of a deployed pipeline to start, and whether to follow it. */
export interface RefreshRequest {
  /** The deployed pipeline's exact name, e.g. `[dev] orders-medallion`. */
  readonly pipelineName: string;
  readonly fullRefresh: boolean;
  readonly validateOnly: boolean;
  readonly wait: boolean;
  /** Give up waiting after this long (the update goes on). */
  readonly timeoutMs: number;
}

/** How to follow an update. */
export interface FollowUpdateOptions {
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  /** Called when the update's state changes. */
  readonly onProgress?: (message: string) => void;
}

interface UpdateIdentity {
  readonly pipelineName: string;
  readonly pipelineId: string;
  readonly updateId: string;
}

/** What became of an update: started (not followed), completed, failed or canceled (with the errors the event log gives), or still going when the wait timed out. */
export type RefreshResult =
  | (UpdateIdentity & { readonly outcome: 'started' })
  | (UpdateIdentity & { readonly outcome: 'succeeded' })
  | (UpdateIdentity & { readonly outcome: 'failed'; readonly state: string; readonly causes: readonly string[]; readonly causeUnavailable?: string })
  | (UpdateIdentity & { readonly outcome: 'timed-out'; readonly state: string; readonly waitedMs: number });

const FINAL_STATES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCELED']);
const MAX_CAUSES = 3;

/**
 * Starts an update of the pipeline named `pipelineName` and, when asked, follows it to
 * COMPLETED, FAILED or CANCELED. A failed update is reported with the messages of its error
 * events, when the event log has some. Throws BadInputError when no pipeline, or more than
 * one, has that name.
 */
export async function refreshPipeline(pipelines: PipelinesApi, request: RefreshRequest, options: FollowUpdateOptions): Promise<RefreshResult> {
  const pipeline = await deployedPipeline(pipelines, request.pipelineName);
  const pipelineId = pipeline.pipeline_id;
  const updateId = await pipelines.startUpdate(pipelineId, { fullRefresh: request.fullRefresh, validateOnly: request.validateOnly });
  const identity = { pipelineName: request.pipelineName, pipelineId, updateId };
  if (!request.wait) return { ...identity, outcome: 'started' };

  let last = '';
  const polled = await pollUntil(
    async () => (await pipelines.getUpdate(pipelineId, updateId)).state ?? 'UNKNOWN',
    (state) => FINAL_STATES.has(state),
    { clock: options.clock, intervalMs: options.pollIntervalMs, timeoutMs: request.timeoutMs },
    (state) => {
      if (state !== last) options.onProgress?.(`update ${updateId} of ${request.pipelineName}: ${state}`);
      last = state;
    },
  );
  const state = polled.value;
  if (!polled.finished) return { ...identity, outcome: 'timed-out', state, waitedMs: polled.elapsedMs };
  if (state === 'COMPLETED') return { ...identity, outcome: 'succeeded' };
  try {
    const events = await pipelines.errorEvents(pipelineId, updateId);
    return { ...identity, outcome: 'failed', state, causes: events.slice(0, MAX_CAUSES).map(eventText) };
  } catch (error) {
    // the outcome is known; only its explanation is missing
    return { ...identity, outcome: 'failed', state, causes: [], causeUnavailable: error instanceof Error ? error.message : String(error) };
  }
}

/** An error event as one line: its message, and the first exception's when it adds something. */
function eventText(event: PipelineEvent): string {
  const exception = event.error?.exceptions?.[0];
  const exceptionText = exception ? [exception.class_name, exception.message].filter((p) => p).join(': ') : '';
  const message = event.message ?? '';
  return [message, exceptionText && !message.includes(exceptionText) ? exceptionText : ''].filter((p) => p).join(' — ') || '(an error event without a message)';
}

/** The one pipeline deployed under `name`. */
async function deployedPipeline(pipelines: PipelinesApi, name: string): Promise<PipelineStateInfo> {
  const named = await pipelines.pipelinesNamed(name);
  if (named.length === 0) throw new BadInputError(`no pipeline named "${name}" is deployed in ${pipelines.host}: deploy the environment first`);
  if (named.length > 1) {
    throw new BadInputError(`${named.length} pipelines are named "${name}" in ${pipelines.host} (ids ${named.map((p) => p.pipeline_id).join(', ')}); delete or rename the strays so the name is unique`);
  }
  return named[0];
}

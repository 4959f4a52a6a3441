import type { Clock } from './clock';
import { ApiError } from './errors';
import { RetryPolicy, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry-policy';

/** How requests reach the workspace: the `fetch` to use, the clock to wait on, and the retry policy. */
export interface Transport {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly retry: RetryPolicy;
  /** An attempt that has no response after this long is abandoned (and retried). */
  readonly requestTimeoutMs: number;
}

/** One HTTP request, sent as is on every attempt. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, or the bytes of a file (Files API). */
  readonly body?: string | Uint8Array;
}

/** The response of the last attempt, and how many attempts it took. */
export interface SentRequest {
  readonly response: Response;
  readonly attempts: number;
}

/**
 * Sends a request, retrying 429, 5xx and requests that got no response, as the transport's
 * retry policy says. Returns the last response, successful or not (a 4xx right away; a 429
 * or 5xx once the attempts are used up): the caller reads the error out of it. Throws an
 * ApiError when the last attempt got no response at all.
 */
export async function sendWithRetries(request: HttpRequest, transport: Transport): Promise<SentRequest> {
  const { retry, clock } = transport;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await transport.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(transport.requestTimeoutMs),
      });
    } catch (error) {
      if (attempt >= retry.maxAttempts) {
        throw new ApiError({ method: request.method, path: request.url.pathname, detail: networkErrorText(error), attempts: attempt });
      }
      await clock.sleep(retryDelayMs(retry, attempt));
      continue;
    }
    if (!isRetryableStatus(response.status) || attempt >= retry.maxAttempts) return { response, attempts: attempt };
    // the body of a response we drop is read anyway, so its connection can be reused
    await response.arrayBuffer().catch(() => undefined);
    await clock.sleep(retryDelayMs(retry, attempt, parseRetryAfter(response.headers.get('retry-after'), clock.now())));
  }
}

/** The error's message and its cause's (`fetch failed: connect ECONNREFUSED …`); duck-typed, since fetch's errors may come from another realm. */
function networkErrorText(error: unknown): string {
  const messageOf = (value: unknown): string | undefined =>
    typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' ? (value as { message: string }).message : undefined;
  const message = messageOf(error) ?? String(error);
  const cause = typeof error === 'object' && error !== null ? messageOf((error as { cause?: unknown }).cause) : undefined;
  return cause ? `${message}: ${cause}` : message;
}

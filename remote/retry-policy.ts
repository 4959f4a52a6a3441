/**
 * When and how long to wait before sending a request again: 429 and 5xx responses (and
 * requests that got no response at all) are retried with exponential backoff, a bounded
 * number of times; a `Retry-After` header, in seconds or as an HTTP date, replaces the
 * backoff for that attempt.
 */
export interface RetryPolicy {
  /** Total attempts, the first one included. */
  readonly maxAttempts: number;
  /** Wait before the first retry; doubled for each further retry. */
  readonly initialDelayMs: number;
  /** Upper bound of the backoff. */
  readonly maxDelayMs: number;
  /** Upper bound of a wait asked by `Retry-After`. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/** 429 Too Many Requests and every 5xx are worth another attempt; other statuses are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`, relative to `nowMs`). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Wait before retry number `retry` (1 for the first retry): what `Retry-After` asks (bounded), else the backoff. */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return Math.min(policy.initialDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
}

import type { Clock } from './clock';

/** How often and how long to poll. */
export interface PollOptions {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** The last value read, and whether it was a final one before the time ran out. */
export type PollResult<T> =
  | { readonly finished: true; readonly value: T; readonly elapsedMs: number }
  | { readonly finished: false; readonly value: T; readonly elapsedMs: number };

/**
 * Reads a value every `intervalMs` until `isFinished` says so or `timeoutMs` has passed on
 * the clock (the last read happens at the deadline). `onValue` sees every value read.
 */
export async function pollUntil<T>(read: () => Promise<T>, isFinished: (value: T) => boolean, options: PollOptions, onValue: (value: T) => void = () => undefined): Promise<PollResult<T>> {
  const { clock, intervalMs, timeoutMs } = options;
  const start = clock.now();
  for (;;) {
    const value = await read();
    onValue(value);
    const elapsedMs = clock.now() - start;
    if (isFinished(value)) return { finished: true, value, elapsedMs };
    if (elapsedMs >= timeoutMs) return { finished: false, value, elapsedMs };
    await clock.sleep(Math.max(0, Math.min(intervalMs, timeoutMs - elapsedMs)));
  }
}

/** Backoff arithmetic and an abortable sleep for the retry loop in client.ts. */
import { CccAbortError } from "./errors.js";

export interface Backoff {
  /** First retry waits up to this long (default 500 ms); each further retry doubles it. */
  readonly baseMs?: number;
  /** No wait exceeds this (default 8 000 ms). */
  readonly maxMs?: number;
}

export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 8_000 } as const;
/** A `Retry-After` longer than this is not waited for: the call fails with the error instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** "Full jitter": a uniform wait in [0, min(max, base · 2^retry)). `retry` counts from 0. */
export function backoffDelay(retry: number, backoff: Required<Backoff>, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` in seconds or as an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with CccAbortError as soon as `signal` aborts; the timer never outlives the wait. */
export function sleep(ms: number, action: string, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new CccAbortError(action, signal.reason));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CccAbortError(action, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The retry policy: which failures are worth another attempt (decided where each error is made, from the facts
 * below), how long to wait, when the clock is corrected, and when cached credentials are forgotten. The client's
 * loop only asks `decide()` after each failed attempt.
 */
import type { RetryClass } from "./action.js";
import { CccAbortError, CccError, CccSdkError } from "./errors.js";
import { onAbort } from "./signal.js";

export interface Backoff {
  /** First retry waits up to this long (default 500 ms); each further retry doubles it. */
  readonly baseMs?: number | undefined;
  /** No wait exceeds this (default 8 000 ms). */
  readonly maxMs?: number | undefined;
}

export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 8_000 } as const;
/** A `Retry-After` longer than this is not waited for: the call fails with the error instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

// -- Which failures are retryable ------------------------------------------------------------------------------

/**
 * A connection failure: retryable when nothing was sent (the server cannot have seen it), or when the action is
 * idempotent; never when it would fail the same way again (a refused certificate, a peer that does not speak TLS).
 */
export function connectionRetryable(facts: { requestSent: boolean; permanent: boolean }, idempotent: boolean): boolean {
  return !facts.permanent && (!facts.requestSent || idempotent);
}

/** An API error code: `always` (refused before any effect, such as rate limiting) or only for idempotent actions. */
export function apiErrorRetryable(retry: RetryClass | undefined, idempotent: boolean): boolean {
  return retry === "always" || (retry === "idempotent" && idempotent);
}

/** An HTTP status without a CCC answer: 429 always; 5xx only for idempotent actions (the server may have acted). */
export function httpStatusRetryable(status: number, idempotent: boolean): boolean {
  return status === 429 || (status >= 500 && idempotent);
}

/** An answer that cannot be read (truncated, not JSON): the server answered, so it may have acted. */
export function unreadableAnswerRetryable(idempotent: boolean): boolean {
  return idempotent;
}

/**
 * Tencent refused the call for its rate: `RequestLimitExceeded` or one of its sub-codes (per account, per IP, per
 * region), or an HTTP 429 from a gateway. What a rate limiter's `onThrottled` hears of.
 */
export function isThrottling(error: unknown): boolean {
  if (error instanceof CccError)
    return error.code === "RequestLimitExceeded" || error.code.startsWith("RequestLimitExceeded.");
  return error instanceof CccSdkError && (error as { httpStatus?: number }).httpStatus === 429;
}

// -- What answers say about the next attempt -------------------------------------------------------------------

/** The server's clock (ms) at an API error, from its `Date` header; for the SignatureExpire correction. */
const serverDates = new WeakMap<object, number>();
/** A `Retry-After` that came with an error, in ms. */
const retryAfters = new WeakMap<object, number>();

/** Remembers what an answer's headers say for the retry decision about `error`. */
export function noteAnswerHints(
  error: object,
  header: (name: string) => string | null,
  now: number = Date.now(),
): void {
  const date = Date.parse(header("date") ?? "");
  if (!Number.isNaN(date)) serverDates.set(error, date);
  const after = retryAfterMs(header("retry-after"), now);
  if (after !== undefined) retryAfters.set(error, after);
}

/** `Retry-After` in seconds or as an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** "Full jitter": a uniform wait in [0, min(max, base · 2^retry)). `retry` counts from 0. */
export function backoffDelay(retry: number, backoff: Required<Backoff>, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

// -- The decision after a failed attempt ------------------------------------------------------------------------

export interface RetryPolicy {
  readonly maxRetries: number;
  readonly backoff: Required<Backoff>;
  /** For tests: the jitter's source (default Math.random). */
  readonly random?: () => number;
}

/** What the calls so far have used up. */
export interface RetryState {
  /** Retries made (clock corrections do not count). */
  readonly retries: number;
  /** The clock was corrected once already in this call. */
  readonly clockCorrected: boolean;
}

export type RetryDecision =
  | { readonly retry: false; readonly forgetCredentials: boolean; readonly reason: string }
  | {
      readonly retry: true;
      readonly forgetCredentials: boolean;
      readonly delayMs: number;
      /** False for the clock correction: it does not use up a retry. */
      readonly countsAsRetry: boolean;
      /** Server clock minus ours, to sign the next attempts with. */
      readonly clockOffsetMs?: number;
      readonly reason: string;
    };

/** The credential codes after which cached credentials are dropped, so the next call asks the provider again. */
const REFUSED_CREDENTIALS = new Set(["AuthFailure.SecretIdNotFound", "AuthFailure.TokenFailure"]);

export function decide(
  error: unknown,
  state: RetryState,
  policy: RetryPolicy,
  now: number = Date.now(),
): RetryDecision {
  const forgetCredentials = error instanceof CccError && REFUSED_CREDENTIALS.has(error.code);
  // A clock more than 5 minutes off: the server's Date says by how much; one more attempt, not counted.
  if (error instanceof CccError && error.code === "AuthFailure.SignatureExpire" && !state.clockCorrected) {
    const serverNow = serverDates.get(error);
    if (serverNow !== undefined)
      return {
        retry: true,
        forgetCredentials,
        delayMs: 0,
        countsAsRetry: false,
        clockOffsetMs: serverNow - now,
        reason: "clock corrected from the server's Date",
      };
  }
  if (!(error instanceof CccSdkError) || !error.retryable)
    return { retry: false, forgetCredentials, reason: "not retryable" };
  if (state.retries >= policy.maxRetries) return { retry: false, forgetCredentials, reason: "retries used up" };
  const after = retryAfters.get(error);
  if (after !== undefined && after > MAX_RETRY_AFTER_MS)
    return {
      retry: false,
      forgetCredentials,
      reason: `Retry-After ${after} ms is longer than ${MAX_RETRY_AFTER_MS} ms`,
    };
  return {
    retry: true,
    forgetCredentials,
    delayMs: Math.max(after ?? 0, backoffDelay(state.retries, policy.backoff, policy.random)),
    countsAsRetry: true,
    reason: "retryable",
  };
}

/** Waits `ms`, or rejects with CccAbortError as soon as `signal` aborts; the timer never outlives the wait. */
export function sleep(ms: number, action: string, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new CccAbortError(action, signal.reason));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(timer);
      reject(new CccAbortError(action, signal?.reason));
    });
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
  });
}

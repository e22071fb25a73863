/**
 * Client-side rate limiting. The default: a token bucket per (credential, action), refilled at the action's
 * documented rate (20/s on the CCC pages) with a burst of one second's worth, shared by the clients of one process.
 * Calls over the rate wait in FIFO order instead of failing; an aborted waiter leaves the queue at once.
 *
 * Tencent counts per account, across every process: the `RateLimiter` interface lets a client ask another
 * limiter instead, one that shares a store with the other processes (`ccc-sdk/redis`) or one that learns the rate
 * from Tencent's refusals (`adaptiveRateLimiter`, below).
 */
import type { Logger } from "./client.js";
import { CccAbortError } from "./errors.js";
import { sha256Hex } from "./signer.js";
import { onAbort } from "./signal.js";

/** What a rate limiter is asked about: an attempt of one action under one credential. */
export interface RateLimitKey {
  /**
   * The credential, as a hash of its SecretId (`credentialIdOf`): the same for every process with that SecretId,
   * and safe in a shared store's keys and in logs.
   */
  readonly credentialId: string;
  /** The action, e.g. `DisableCCCPhoneNumber`. */
  readonly action: string;
  /** The action's documented rate, in calls per second (20 for CCC's actions). */
  readonly ratePerSecond: number;
}

/** What a limiter is given with each request besides the key. */
export interface RateLimitContext {
  /** The call's signal: when it aborts, `acquire` rejects with `CccAbortError` and gives up its place. */
  readonly signal?: AbortSignal | undefined;
  /** The client's logger, for what a limiter has to report (a shared store that stopped answering). */
  readonly logger?: Logger | undefined;
  /** The call's attempt this is for (1 for the first), for the limiter's log lines. */
  readonly attempt: number;
}

/**
 * Decides when an attempt may be sent: the client's `rateLimit` option. The in-process bucket is the default;
 * `redisRateLimiter` (`ccc-sdk/redis`) shares the rate across processes, `adaptiveRateLimiter()` lowers it when
 * Tencent refuses calls for their rate. Shaped after AWS SDK v3's `RateLimiter` (`getSendToken`,
 * `updateClientSendingRate`), keyed because one limiter serves every credential and action.
 */
export interface RateLimiter {
  /** Resolves when the attempt may be sent; rejects with `CccAbortError` if `context.signal` aborts first. */
  acquire(key: RateLimitKey, context: RateLimitContext): Promise<void>;
  /** Tencent refused an attempt for its rate (`RequestLimitExceeded`, any of its sub-codes, or HTTP 429). */
  onThrottled?(key: RateLimitKey): void;
}

/**
 * The `credentialId` of a SecretId: 32 hex digits of a SHA-256 over it (a microsecond, next to a shared store's
 * round trip). A SecretId is not a secret (it is sent in every request), but a shared store's keys need not carry it.
 */
export function credentialIdOf(secretId: string): string {
  return sha256Hex(`ccc-sdk rate limit\n${secretId}`).slice(0, 32);
}

interface Waiter {
  resolve(): void;
  unsubscribe: () => void;
}

export class TokenBucket {
  #rate: number;
  #capacity: number;
  #tokens: number;
  #last: number;
  readonly #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    ratePerSecond: number,
    capacity: number = ratePerSecond,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#rate = ratePerSecond;
    this.#capacity = capacity;
    this.#tokens = capacity;
    this.#last = now();
  }

  get ratePerSecond(): number {
    return this.#rate;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** From now on, refill at `ratePerSecond` up to `capacity` (tokens above it are dropped); waiters stay queued. */
  setRate(ratePerSecond: number, capacity: number): void {
    this.#refill();
    this.#rate = ratePerSecond;
    this.#capacity = capacity;
    this.#tokens = Math.min(this.#tokens, capacity);
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#schedule();
    }
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((t - this.#last) * this.#rate) / 1000);
    this.#last = t;
  }

  /** Calls waiting for a token. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Full and nobody waiting: dropping it changes nothing. */
  get idle(): boolean {
    this.#refill();
    return this.#queue.length === 0 && this.#tokens >= this.#capacity;
  }

  /** Resolves when the caller may send; rejects with CccAbortError if `signal` aborts first. */
  take(action: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CccAbortError(action, signal.reason));
    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, unsubscribe: () => undefined };
      waiter.unsubscribe = onAbort(signal, () => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        if (this.#queue.length === 0 && this.#timer) {
          clearTimeout(this.#timer);
          this.#timer = undefined;
        }
        reject(new CccAbortError(action, signal?.reason));
      });
      this.#queue.push(waiter);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer || this.#queue.length === 0) return;
    const wait = Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.#rate));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refill();
      while (this.#queue.length && this.#tokens >= 1) {
        this.#tokens -= 1;
        const w = this.#queue.shift()!;
        w.unsubscribe();
        w.resolve();
      }
      this.#schedule();
    }, wait);
  }
}

/** Buckets shared by every client of the process: Tencent counts per account and action, not per client. */
const buckets = new Map<string, TokenBucket>();
/** Past this many buckets, idle ones (full, nobody waiting) are dropped when a new one is made. */
const PRUNE_ABOVE = 128;

export function bucketFor(secretId: string, action: string, ratePerSecond: number): TokenBucket {
  const key = `${secretId}\n${action}`;
  let bucket = buckets.get(key);
  if (!bucket || bucket.ratePerSecond !== ratePerSecond) {
    if (buckets.size >= PRUNE_ABOVE) pruneIdleBuckets();
    bucket = new TokenBucket(ratePerSecond);
    buckets.set(key, bucket);
  }
  return bucket;
}

function pruneIdleBuckets(): void {
  for (const [key, bucket] of buckets) if (bucket.idle) buckets.delete(key);
}

/** How many buckets the process holds (for tests). */
export function rateLimitBucketCount(): number {
  return buckets.size;
}

/**
 * The in-process bucket as a `RateLimiter`: what `rateLimit: true` does (the client's own path to it skips the key
 * object), and the fallback of the shared limiters. One instance or many: they share the process's buckets.
 */
export function localRateLimiter(): RateLimiter {
  return LOCAL;
}

const LOCAL: RateLimiter = {
  acquire: (key: RateLimitKey, context: RateLimitContext) =>
    bucketFor(key.credentialId, key.action, key.ratePerSecond).take(key.action, context.signal),
};

/**
 * Client-side rate limiting: a token bucket per (credential, action), refilled at the action's documented
 * rate (20/s on the CCC pages) with a burst of one second's worth. Calls over the rate wait in FIFO order
 * instead of failing; an aborted waiter leaves the queue at once.
 */
import { CccAbortError } from "./errors.js";
import { onAbort } from "./signal.js";

interface Waiter {
  resolve(): void;
  unsubscribe: () => void;
}

export class TokenBucket {
  #tokens: number;
  #last: number;
  readonly #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number = ratePerSecond,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = capacity;
    this.#last = now();
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((t - this.#last) * this.ratePerSecond) / 1000);
    this.#last = t;
  }

  /** Calls waiting for a token. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Full and nobody waiting: dropping it changes nothing. */
  get idle(): boolean {
    this.#refill();
    return this.#queue.length === 0 && this.#tokens >= this.capacity;
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
    const wait = Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSecond));
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

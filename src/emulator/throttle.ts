/**
 * The emulator's own rate limit (`rateLimitPerSecond`): Tencent counts calls per account and action and refuses
 * those over the rate with `RequestLimitExceeded`. Tencent does not document how it counts a second; the emulator
 * counts as API gateways usually do, a token bucket per SecretId and action holding one second's worth (N calls),
 * refilled at N per second (at least one call's worth, for a rate below 1). A refused call takes no token. Off unless
 * configured.
 */

/** The highest rate the emulator takes: far above any documented limit, low enough to stay a number of calls. */
export const MAX_RATE_LIMIT_PER_SECOND = 1_000_000;
/** Past this many buckets, full ones are dropped (a full bucket and no bucket admit alike). */
const PRUNE_ABOVE = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/** Undefined when `value` is a rate the emulator takes (or undefined: off), else what it must be. */
export function rateLimitProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "number" && Number.isFinite(value) && value > 0 && value <= MAX_RATE_LIMIT_PER_SECOND
    ? undefined
    : `must be a number of calls per second above 0 and at most ${MAX_RATE_LIMIT_PER_SECOND}`;
}

export class Throttle {
  #perSecond: number | undefined;
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    perSecond: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#perSecond = perSecond;
  }

  /** The configured rate, undefined when off. */
  get perSecond(): number | undefined {
    return this.#perSecond;
  }

  /** A checked rate (see `rateLimitProblem`), or undefined to turn the limit off; the buckets start full. */
  set(perSecond: number | undefined): void {
    this.#perSecond = perSecond;
    this.#buckets.clear();
  }

  /** Every bucket full again; the rate stays. */
  refill(): void {
    this.#buckets.clear();
  }

  /** Whether a call of `action` signed by `secretId` is within the rate now (it then takes a token). */
  admit(secretId: string, action: string): boolean {
    const rate = this.#perSecond;
    if (rate === undefined) return true;
    const key = `${secretId}\n${action}`;
    const t = this.now();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= PRUNE_ABOVE) this.#pruneFull(t, rate);
      bucket = { tokens: Math.max(1, rate), at: t };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(Math.max(1, rate), bucket.tokens + ((t - bucket.at) * rate) / 1000);
    bucket.at = t;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #pruneFull(t: number, rate: number): void {
    for (const [key, b] of this.#buckets)
      if (b.tokens + ((t - b.at) * rate) / 1000 >= Math.max(1, rate)) this.#buckets.delete(key);
  }
}

/**
 * `adaptiveRateLimiter()`: a rate limiter without a shared store that learns from Tencent's refusals. Each
 * (credential, action) starts at the documented rate, as the default bucket does; a `RequestLimitExceeded` cuts
 * the rate to `beta` times the rate that was refused, and it climbs back along CUBIC's curve (RFC 9438), reaching
 * the refused rate again after K = ∛(rate · (1 − beta) / scale) seconds and the documented rate after that. This is
 * AWS SDK v3's adaptive retry mode (`DefaultRateLimiter`: beta 0.7, scale 0.4, at least 0.5 calls a second), with
 * two changes: it never exceeds the documented rate (AWS knows none and starts unlimited), and refusals within
 * `COOL_DOWN_MS` of a cut count as one, since the calls already in flight when the rate was cut say nothing new
 * (TCP likewise cuts once per round trip).
 *
 * Several processes each with one converge on a shared limit the way TCP flows share a link: each backs off when
 * refused and probes upwards again; refusals become rare, not impossible. A shared store (`ccc-sdk/redis`) keeps
 * to the rate without any.
 */
import { CccConfigError } from "./errors.js";
import { TokenBucket, type RateLimitContext, type RateLimiter, type RateLimitKey } from "./rate-limit.js";

export interface AdaptiveRateLimiterOptions {
  /** After a refusal the rate is the refused rate times this: above 0, below 1 (default 0.7). */
  readonly beta?: number | undefined;
  /** How fast the rate climbs back (CUBIC's C, in calls/s per s³; default 0.4): above 0. */
  readonly scale?: number | undefined;
  /** The lowest rate a refusal cuts to, in calls per second (default 0.5): above 0. */
  readonly minRatePerSecond?: number | undefined;
}

const DEFAULTS = { beta: 0.7, scale: 0.4, minRatePerSecond: 0.5 } as const;
/** Refusals this soon after a cut are of calls sent before it: they do not cut again. */
export const COOL_DOWN_MS = 500;
/** The sending rate is measured over windows this long, smoothed (AWS's half-second buckets, smoothing 0.8). */
const MEASURE_WINDOW_MS = 500;
const SMOOTHING = 0.8;
/** Past this many keys, those back at their documented rate with nobody waiting are dropped. */
const PRUNE_ABOVE = 128;
/** While calls wait on a cut rate, it follows the curve this often (the bucket itself only hears of new calls). */
const FOLLOW_EVERY_MS = 200;

/** One (credential, action): its bucket, and where it is on the curve since the last refusal. */
class AdaptiveRate {
  readonly bucket: TokenBucket;
  /** Set after a refusal until the rate is back at the ceiling. */
  #cut: { at: number; refusedRate: number; k: number } | undefined;
  #measured = 0;
  #windowStart: number;
  #windowCount = 0;
  #followTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ceiling: number,
    private readonly options: Required<AdaptiveRateLimiterOptions>,
    private readonly now: () => number,
  ) {
    this.bucket = new TokenBucket(ceiling, ceiling, now);
    this.#windowStart = now();
  }

  /** Back at the documented rate, nobody waiting: dropping it changes nothing. */
  get idle(): boolean {
    this.#follow(this.now());
    return this.#cut === undefined && this.bucket.idle;
  }

  /** The rate it sends at now, in calls per second. */
  get ratePerSecond(): number {
    this.#follow(this.now());
    return this.bucket.ratePerSecond;
  }

  take(action: string, signal: AbortSignal | undefined): Promise<void> {
    const t = this.now();
    this.#follow(t);
    this.#count(t);
    const taken = this.bucket.take(action, signal);
    if (this.bucket.waiting > 0) this.#keepFollowing();
    return taken;
  }

  throttled(): void {
    const t = this.now();
    if (this.#cut && t - this.#cut.at < COOL_DOWN_MS) return;
    this.#follow(t);
    const current = this.bucket.ratePerSecond;
    const refusedRate = this.#measured > 0 ? Math.min(current, this.#measured) : current;
    const { beta, scale } = this.options;
    this.#cut = { at: t, refusedRate, k: Math.cbrt((refusedRate * (1 - beta)) / scale) };
    this.#setRate(refusedRate * beta);
    this.#keepFollowing();
  }

  /** While cut and calls wait, follows the curve on a timer that never keeps the process alive by itself. */
  #keepFollowing(): void {
    if (this.#followTimer || !this.#cut) return;
    this.#followTimer = setTimeout(() => {
      this.#followTimer = undefined;
      this.#follow(this.now());
      if (this.bucket.waiting > 0) this.#keepFollowing();
    }, FOLLOW_EVERY_MS);
    (this.#followTimer as { unref?: () => void }).unref?.();
  }

  /** The rate along the curve at `t`; back at the ceiling, the cut is over. */
  #follow(t: number): void {
    const cut = this.#cut;
    if (!cut) return;
    const rate = this.options.scale * ((t - cut.at) / 1000 - cut.k) ** 3 + cut.refusedRate;
    if (rate >= this.ceiling) {
      this.#cut = undefined;
      this.#setRate(this.ceiling);
    } else this.#setRate(rate);
  }

  #setRate(rate: number): void {
    const r = Math.min(this.ceiling, Math.max(this.options.minRatePerSecond, rate));
    if (r !== this.bucket.ratePerSecond) this.bucket.setRate(r, Math.max(1, r));
  }

  /** The sending rate, from the calls counted per window. */
  #count(t: number): void {
    this.#windowCount++;
    const elapsed = t - this.#windowStart;
    if (elapsed < MEASURE_WINDOW_MS) return;
    const rate = (this.#windowCount * 1000) / elapsed;
    this.#measured = this.#measured === 0 ? rate : SMOOTHING * rate + (1 - SMOOTHING) * this.#measured;
    this.#windowStart = t;
    this.#windowCount = 0;
  }
}

export class AdaptiveRateLimiter implements RateLimiter {
  readonly #options: Required<AdaptiveRateLimiterOptions>;
  readonly #rates = new Map<string, AdaptiveRate>();
  readonly #now: () => number;

  constructor(options: AdaptiveRateLimiterOptions = {}, now: () => number = () => performance.now()) {
    this.#options = checkOptions(options);
    this.#now = now;
  }

  acquire(key: RateLimitKey, context: RateLimitContext): Promise<void> {
    return this.#rateOf(key).take(key.action, context.signal);
  }

  onThrottled(key: RateLimitKey): void {
    this.#rateOf(key).throttled();
  }

  /** The rate `key` is sent at now, in calls per second (its documented rate until a refusal). */
  ratePerSecond(key: RateLimitKey): number {
    return this.#rates.get(`${key.credentialId}\n${key.action}`)?.ratePerSecond ?? key.ratePerSecond;
  }

  #rateOf(key: RateLimitKey): AdaptiveRate {
    const id = `${key.credentialId}\n${key.action}`;
    let rate = this.#rates.get(id);
    if (!rate || rate.ceiling !== key.ratePerSecond) {
      if (this.#rates.size >= PRUNE_ABOVE) for (const [k, r] of this.#rates) if (r.idle) this.#rates.delete(k);
      rate = new AdaptiveRate(key.ratePerSecond, this.#options, this.#now);
      this.#rates.set(id, rate);
    }
    return rate;
  }
}

/**
 * A rate limiter that lowers an action's rate when Tencent refuses calls for it (`RequestLimitExceeded`) and
 * climbs back over the following seconds, never above the documented rate: for several processes without a shared
 * store (`ccc-sdk/redis` is the exact alternative). `new CccClient({ rateLimit: adaptiveRateLimiter() })`; one
 * limiter may serve many clients.
 */
export function adaptiveRateLimiter(options: AdaptiveRateLimiterOptions = {}): AdaptiveRateLimiter {
  return new AdaptiveRateLimiter(options);
}

function checkOptions(options: AdaptiveRateLimiterOptions): Required<AdaptiveRateLimiterOptions> {
  if (options === null || typeof options !== "object")
    throw new CccConfigError("adaptiveRateLimiter options must be an object");
  const positive = (name: "beta" | "scale" | "minRatePerSecond", below?: number): number => {
    const value = options[name] ?? DEFAULTS[name];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || (below !== undefined && value >= below))
      throw new CccConfigError(
        `adaptiveRateLimiter ${name} must be a number above 0${below === undefined ? "" : ` and below ${below}`}, got ${String(value)}`,
      );
    return value;
  };
  return { beta: positive("beta", 1), scale: positive("scale"), minRatePerSecond: positive("minRatePerSecond") };
}

/**
 * ccc-sdk/redis: one rate per credential and action for every process that shares a Redis, as Tencent counts it.
 * It uses the app's own client (node-redis or ioredis, or any function that sends a command), so the SDK depends on
 * no Redis library:
 *
 * ```ts
 * import { createClient } from "redis";
 * import { CccClient } from "ccc-sdk";
 * import { redisRateLimiter } from "ccc-sdk/redis";
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).on("error", () => {}).connect();
 * const client = new CccClient({ rateLimit: redisRateLimiter({ redis }), logger: console });
 * ```
 *
 * Each call books its slot with one atomic script (./gcra.ts), loaded once (EVALSHA, EVAL when Redis answers
 * NOSCRIPT). Redis going away never fails a call: a command that errs or takes longer than `timeoutMs` is answered
 * by the local bucket instead, with one warning through the client's logger; Redis is asked again after 1 s, then
 * after doubling pauses of at most `retryMaxMs`, one call at a time, and used again as soon as it answers.
 */
import type { LogFields } from "../client.js";
import { CccAbortError, CccConfigError } from "../errors.js";
import { localRateLimiter, type RateLimitContext, type RateLimiter, type RateLimitKey } from "../rate-limit.js";
import { sleep } from "../retry.js";
import { onAbort } from "../signal.js";
import { bookingOf, GCRA_SCRIPT, GCRA_SHA1, gcraArguments } from "./gcra.js";

export { GCRA_SCRIPT } from "./gcra.js";

/** node-redis (`createClient()` of `redis` or `@redis/client`, v4 and later): a connected client. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** ioredis (`new Redis()`): a client. */
export interface IoRedisClientLike {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Any other client (a cluster client, a test double): sends one command, `["EVALSHA", sha, "1", key, …]`. */
export type RedisCommandSender = (args: string[]) => Promise<unknown>;

export interface RedisRateLimiterOptions {
  /** The app's Redis client (node-redis or ioredis), or a function that sends one command and resolves its reply. */
  readonly redis: NodeRedisClientLike | IoRedisClientLike | RedisCommandSender;
  /**
   * The start of every key the limiter writes (default `ccc-sdk:rate:`), followed by the credential's id (a hash
   * of the SecretId, never the SecretId) and the action: `ccc-sdk:rate:<id>:DisableCCCPhoneNumber`.
   */
  readonly keyPrefix?: string | undefined;
  /**
   * Calls that may go at once on top of the steady rate, across all processes (default 1: evenly spaced, never more
   * than the rate in any second). A burst of B lets up to B − 1 more calls into a second.
   */
  readonly burst?: number | undefined;
  /**
   * How long a Redis command may take before the local bucket decides instead (default 500 ms). Counted generously:
   * a reply that arrived while the process was busy is read before the time is up.
   */
  readonly timeoutMs?: number | undefined;
  /** The longest pause before Redis is asked again after failing (default 30 000 ms; the first pause is 1 s). */
  readonly retryMaxMs?: number | undefined;
  /** How far ahead a call may book its slot (default 30 000 ms); past that it waits and asks again. */
  readonly maxWaitMs?: number | undefined;
  /** What decides while Redis does not answer (default `localRateLimiter()`, the in-process bucket). */
  readonly fallback?: RateLimiter | undefined;
}

const DEFAULTS = { keyPrefix: "ccc-sdk:rate:", burst: 1, timeoutMs: 500, retryMaxMs: 30_000, maxWaitMs: 30_000 };
const FIRST_RETRY_MS = 1_000;

/** A Redis command that took longer than `timeoutMs`. */
class RedisTimeout extends Error {
  override name = "RedisTimeoutError";
}

export class RedisRateLimiter implements RateLimiter {
  readonly #send: RedisCommandSender;
  readonly #prefix: string;
  readonly #burst: number;
  readonly #timeoutMs: number;
  readonly #retryMaxMs: number;
  readonly #maxWaitMs: number;
  readonly #fallback: RateLimiter;
  readonly #now: () => number;
  /** While Redis is taken to be away: when to ask it again, and how many times in a row it failed. */
  #down: { retryAt: number; failures: number } | undefined;
  /** A call is asking Redis whether it is back; the others meanwhile use the fallback. */
  #probing = false;
  /** The SCRIPT LOAD under way after a NOSCRIPT, which the calls that met one wait for together. */
  #loading: Promise<unknown> | undefined;

  constructor(options: RedisRateLimiterOptions, now: () => number = () => performance.now()) {
    if (options === null || typeof options !== "object")
      throw new CccConfigError("redisRateLimiter options must be an object with `redis`");
    this.#send = commandSender(options.redis);
    this.#prefix = checkPrefix(options.keyPrefix);
    this.#burst = checkNumber(options.burst, "burst", DEFAULTS.burst, { whole: true, min: 1 });
    this.#timeoutMs = checkNumber(options.timeoutMs, "timeoutMs", DEFAULTS.timeoutMs, { min: 1 });
    this.#retryMaxMs = checkNumber(options.retryMaxMs, "retryMaxMs", DEFAULTS.retryMaxMs, { min: FIRST_RETRY_MS });
    this.#maxWaitMs = checkNumber(options.maxWaitMs, "maxWaitMs", DEFAULTS.maxWaitMs, { min: 1 });
    const fallback = options.fallback ?? localRateLimiter();
    if (fallback === null || typeof fallback !== "object" || typeof fallback.acquire !== "function")
      throw new CccConfigError("redisRateLimiter fallback must be a RateLimiter (an object with acquire())");
    this.#fallback = fallback;
    this.#now = now;
  }

  /** Whether calls are booked in Redis now (false while it is taken to be away). */
  get usingRedis(): boolean {
    return this.#down === undefined;
  }

  /** The Redis key of `key`'s bookings. */
  keyOf(key: RateLimitKey): string {
    return `${this.#prefix}${key.credentialId}:${key.action}`;
  }

  async acquire(key: RateLimitKey, context: RateLimitContext): Promise<void> {
    const { signal } = context;
    // Bounded by the signal and by time: each round waits until the horizon lets the call book.
    for (;;) {
      if (signal?.aborted) throw new CccAbortError(key.action, signal.reason);
      if (!this.#mayAsk()) return this.#fallback.acquire(key, context);
      const probe = this.#down !== undefined;
      if (probe) this.#probing = true;
      const started = this.#now();
      let reply: unknown;
      try {
        reply = await this.#book(key, signal);
      } catch (e) {
        if (e instanceof CccAbortError) throw e;
        this.#failed(e, probe, key, context, this.#now() - started);
        return this.#fallback.acquire(key, context);
      } finally {
        if (probe) this.#probing = false;
      }
      this.#answered(key, context);
      const booking = bookingOf(reply);
      if ("waitMs" in booking) return sleep(Math.ceil(booking.waitMs), key.action, signal);
      await sleep(Math.max(1, Math.ceil(booking.retryInMs)), key.action, signal);
    }
  }

  onThrottled(key: RateLimitKey): void {
    // Refused while booked in Redis: the account is shared with callers outside it, which no booking here can see.
    if (this.#down) this.#fallback.onThrottled?.(key);
  }

  /** Redis is up, or it is time to ask again and nobody is asking yet. */
  #mayAsk(): boolean {
    return this.#down === undefined || (!this.#probing && this.#now() >= this.#down.retryAt);
  }

  /**
   * EVALSHA of the script; when Redis does not have it (first use, a restart, SCRIPT FLUSH), one SCRIPT LOAD for all
   * the calls that met the NOSCRIPT, then EVALSHA again. Each command bounded by `timeoutMs`.
   */
  async #book(key: RateLimitKey, signal: AbortSignal | undefined): Promise<unknown> {
    const evalsha = [
      "EVALSHA",
      GCRA_SHA1,
      "1",
      this.keyOf(key),
      ...gcraArguments(key.ratePerSecond, this.#burst, this.#maxWaitMs),
    ];
    try {
      return await this.#bounded(evalsha, key.action, signal);
    } catch (e) {
      if (!isNoScript(e)) throw e;
      this.#loading ??= this.#bounded(["SCRIPT", "LOAD", GCRA_SCRIPT], key.action, undefined).finally(() => {
        this.#loading = undefined;
      });
      await this.#loading;
      return this.#bounded(evalsha, key.action, signal);
    }
  }

  /** One command, or RedisTimeout after `timeoutMs`, or CccAbortError when `signal` aborts first. */
  #bounded(args: string[], action: string, signal: AbortSignal | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      // A reply already read from the socket but not yet handled (the process was busy past the time) wins: the
      // timers run before the I/O of a loop turn, setImmediate after it.
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            done();
            reject(new RedisTimeout(`Redis did not answer within ${this.#timeoutMs} ms`));
          }),
        this.#timeoutMs,
      );
      const unsubscribe = onAbort(signal, () => {
        done();
        reject(new CccAbortError(action, signal?.reason));
      });
      let sent: Promise<unknown>;
      try {
        sent = Promise.resolve(this.#send(args));
      } catch (e) {
        sent = Promise.reject(e);
      }
      sent.then(
        (reply) => {
          done();
          resolve(reply);
        },
        (e: unknown) => {
          done();
          reject(e);
        },
      );
    });
  }

  /**
   * Redis failed: the fallback decides until the next try. The first failure of an outage is logged, once; the
   * calls that were in flight with it change nothing, and each failed probe doubles the pause.
   */
  #failed(error: unknown, probe: boolean, key: RateLimitKey, context: RateLimitContext, durationMs: number): void {
    if (this.#down && !probe) return;
    const failures = (this.#down?.failures ?? 0) + 1;
    const pause = Math.min(this.#retryMaxMs, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 30));
    if (failures === 1)
      context.logger?.warn?.(
        `ccc rate limit: Redis failed (${describe(error)}); keeping the rate in this process only until it answers again (asked again after ${pause} ms)`,
        fields(key, context, durationMs, error),
      );
    this.#down = { retryAt: this.#now() + pause, failures };
  }

  #answered(key: RateLimitKey, context: RateLimitContext): void {
    if (this.#down === undefined) return;
    this.#down = undefined;
    context.logger?.debug?.("ccc rate limit: Redis answers again; the rate is shared again", fields(key, context, 0));
  }
}

/**
 * A rate limiter for the client's `rateLimit` option that books every call in Redis, so that all the processes
 * sharing it keep, together, to each action's documented rate per credential (the SDK's default keeps it per
 * process). See `RedisRateLimiterOptions`; one limiter may serve many clients.
 */
export function redisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  return new RedisRateLimiter(options);
}

/** The function that sends one command through the client the app gave. */
function commandSender(redis: RedisRateLimiterOptions["redis"]): RedisCommandSender {
  if (typeof redis === "function") return redis;
  // ioredis has both `call` and a `sendCommand` of its own (taking a Command object): `call` first.
  if (redis && typeof (redis as IoRedisClientLike).call === "function") {
    const client = redis as IoRedisClientLike;
    return ([command, ...args]) => client.call(command!, ...args);
  }
  if (redis && typeof (redis as NodeRedisClientLike).sendCommand === "function") {
    const client = redis as NodeRedisClientLike;
    return (args) => client.sendCommand(args);
  }
  throw new CccConfigError(
    "redisRateLimiter redis must be a node-redis client (createClient()), an ioredis client, or a function that sends one command ((args: string[]) => Promise<reply>)",
  );
}

function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULTS.keyPrefix;
  if (typeof prefix !== "string" || prefix.length > 256)
    throw new CccConfigError("redisRateLimiter keyPrefix must be a string of at most 256 characters");
  return prefix;
}

function checkNumber(
  value: unknown,
  name: string,
  fallback: number,
  rule: { readonly whole?: boolean; readonly min: number },
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    value >= rule.min &&
    (!rule.whole || Number.isInteger(value));
  if (!ok)
    throw new CccConfigError(
      `redisRateLimiter ${name} must be a ${rule.whole ? "whole number" : "number"} of at least ${rule.min}, got ${String(value)}`,
    );
  return value as number;
}

/** Redis answers NOSCRIPT when it lost the script (a restart, SCRIPT FLUSH, another node of a failover). */
function isNoScript(e: unknown): boolean {
  return e instanceof Error && e.message.startsWith("NOSCRIPT");
}

/**
 * What a Redis failure is, without its message (which can quote what the client was given): a system error code
 * (`ECONNREFUSED`), Redis's own error word (`NOAUTH`, `READONLY`, `LOADING`), or the class name.
 */
function describe(error: unknown): string {
  if (error instanceof RedisTimeout) return error.message;
  const e = error as { code?: unknown; message?: unknown; name?: unknown } | null;
  if (typeof e?.code === "string" && /^[A-Z][A-Z0-9_]*$/.test(e.code)) return e.code;
  const word = typeof e?.message === "string" ? /^[A-Z]{3,}(?=\s|$)/.exec(e.message)?.[0] : undefined;
  return word ?? (typeof e?.name === "string" ? e.name : "an error");
}

function fields(key: RateLimitKey, context: RateLimitContext, durationMs: number, error?: unknown): LogFields {
  return {
    action: key.action,
    attempt: context.attempt,
    durationMs: Math.round(durationMs),
    ...(error === undefined ? {} : { error: describe(error) }),
  };
}

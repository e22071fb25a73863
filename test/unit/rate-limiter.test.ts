/**
 * The `rateLimit` option's `RateLimiter` interface (what the client asks and tells a limiter, with an injected
 * fetch that answers like a server), and the adaptive limiter's arithmetic on a clock the test moves.
 */
import { describe, expect, it } from "vitest";
import { AdaptiveRateLimiter, COOL_DOWN_MS } from "../../src/adaptive-rate.js";
import {
  adaptiveRateLimiter,
  CccAbortError,
  CccClient,
  CccConfigError,
  localRateLimiter,
  type FetchLike,
  type RateLimitContext,
  type RateLimiter,
  type RateLimitKey,
} from "../../src/index.js";
import { credentialIdOf, TokenBucket } from "../../src/rate-limit.js";

const credentials = { secretId: "AKIDLIMITERUNIT", secretKey: "sk-limiter-SECRET" };
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };

/** Answers each request with the next code of `codes` ("ok" for a success; the last repeats). */
function answeringCodes(codes: string[]): FetchLike {
  let i = 0;
  return async () => {
    const code = codes[Math.min(i++, codes.length - 1)]!;
    const body =
      code === "ok"
        ? { Response: { RequestId: `r${i}` } }
        : { Response: { Error: { Code: code, Message: "slow down" }, RequestId: `r${i}` } };
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  };
}

/** A limiter that lets everything through and writes down what it was told. */
function recording(): RateLimiter & { acquired: [RateLimitKey, RateLimitContext][]; throttled: RateLimitKey[] } {
  const acquired: [RateLimitKey, RateLimitContext][] = [];
  const throttled: RateLimitKey[] = [];
  return {
    acquired,
    throttled,
    async acquire(key, context) {
      acquired.push([key, context]);
    },
    onThrottled(key) {
      throttled.push(key);
    },
  };
}

function client(fetch: FetchLike, extra: object) {
  return new CccClient({
    credentials,
    endpoint: "ccc.tencentcloudapi.com",
    fetch,
    backoff: { baseMs: 1, maxMs: 2 },
    ...extra,
  });
}

describe("the rateLimit option's RateLimiter", () => {
  it("is asked before every attempt with a key that names no SecretId, and hears of each rate refusal", async () => {
    const limiter = recording();
    const logger = { warn: () => undefined };
    const c = client(
      answeringCodes(["RequestLimitExceeded.UinLimitExceeded", "RequestLimitExceeded", "InternalError", "ok"]),
      { rateLimit: limiter, logger, maxRetries: 3 },
    );
    await expect(c.disableCCCPhoneNumber(input)).resolves.toEqual({ RequestId: "r4" });
    expect(limiter.acquired.map(([, ctx]) => ctx.attempt)).toEqual([1, 2, 3, 4]);
    const [key, context] = limiter.acquired[0]!;
    expect(key).toEqual({
      credentialId: credentialIdOf(credentials.secretId),
      action: "DisableCCCPhoneNumber",
      ratePerSecond: 20,
    });
    expect(key.credentialId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(limiter.acquired)).not.toContain(credentials.secretId);
    expect(context.logger).toBe(logger);
    // Two rate refusals; the InternalError is not one.
    expect(limiter.throttled).toEqual([key, key]);
  });

  it("gets the call's signal, and its CccAbortError ends the call", async () => {
    const controller = new AbortController();
    const waiting: RateLimiter = {
      acquire: (key, { signal }) =>
        new Promise((_resolve, reject) =>
          signal?.addEventListener("abort", () => reject(new CccAbortError(key.action, signal.reason))),
        ),
    };
    const c = client(answeringCodes(["ok"]), { rateLimit: waiting });
    const call = c.disableCCCPhoneNumber(input, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(CccAbortError);
  });

  it("is not asked with rateLimit: false, nor for an action without a documented rate", async () => {
    const limiter = recording();
    await client(answeringCodes(["ok"]), { rateLimit: false }).disableCCCPhoneNumber(input);
    await client(answeringCodes(["ok"]), { rateLimit: limiter }).call("SomeFutureAction", {});
    expect(limiter.acquired).toEqual([]);
  });

  it("refuses a rateLimit that is neither a boolean nor a limiter, naming the option", () => {
    for (const bad of ["adaptive", {}, { acquire: 1 }, 1])
      expect(() => client(answeringCodes(["ok"]), { rateLimit: bad }), String(bad)).toThrow(
        new CccConfigError("rateLimit must be true, false or a RateLimiter (with acquire())"),
      );
  });

  it("localRateLimiter() is the in-process bucket: a burst of the documented rate, then queued", async () => {
    const limiter = localRateLimiter();
    const key = { credentialId: "local-unit", action: "X", ratePerSecond: 2 };
    await limiter.acquire(key, { attempt: 1 });
    await limiter.acquire(key, { attempt: 1 });
    const controller = new AbortController();
    const third = limiter.acquire(key, { attempt: 1, signal: controller.signal });
    controller.abort();
    await expect(third).rejects.toBeInstanceOf(CccAbortError);
  });
});

describe("TokenBucket.setRate", () => {
  it("refills at the new rate from now on and drops tokens above the new capacity", async () => {
    let now = 0;
    const bucket = new TokenBucket(10, 10, () => now);
    bucket.setRate(2, 2);
    await bucket.take("X");
    await bucket.take("X");
    let third = false;
    const waiting = bucket.take("X").then(() => (third = true));
    now = 400; // 0.8 token at 2/s
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    now = 500;
    await waiting;
    expect(bucket.ratePerSecond).toBe(2);
    expect(bucket.capacity).toBe(2);
  });
});

describe("adaptiveRateLimiter", () => {
  const key = { credentialId: "adaptive-unit", action: "X", ratePerSecond: 20 };

  function limiterAt(): { limiter: AdaptiveRateLimiter; at(ms: number): void } {
    let now = 0;
    return {
      limiter: new AdaptiveRateLimiter({}, () => now),
      at(ms) {
        now = ms;
      },
    };
  }

  it("sends at the documented rate until refused, then at 0.7 times the refused rate", async () => {
    const { limiter, at } = limiterAt();
    expect(limiter.ratePerSecond(key)).toBe(20);
    for (let i = 0; i < 10; i++) await limiter.acquire(key, { attempt: 1 });
    at(1_000);
    limiter.onThrottled(key);
    expect(limiter.ratePerSecond(key)).toBeCloseTo(14, 6);
  });

  it("counts refusals within the cool-down as one, and cuts again after it", () => {
    const { limiter, at } = limiterAt();
    at(1_000);
    limiter.onThrottled(key);
    at(1_000 + COOL_DOWN_MS - 1);
    const climbing = limiter.ratePerSecond(key);
    expect(climbing).toBeGreaterThan(14);
    limiter.onThrottled(key);
    expect(limiter.ratePerSecond(key)).toBe(climbing);
    at(1_000 + COOL_DOWN_MS);
    limiter.onThrottled(key);
    expect(limiter.ratePerSecond(key)).toBeLessThan(0.71 * climbing);
  });

  it("climbs back along the cubic: the refused rate after K = cbrt(rate·0.3/0.4) s, never above the documented", () => {
    const { limiter, at } = limiterAt();
    at(10_000);
    limiter.onThrottled(key);
    const k = Math.cbrt((20 * 0.3) / 0.4); // 2.47 s
    at(10_000 + (k / 2) * 1000);
    const halfway = limiter.ratePerSecond(key);
    expect(halfway).toBeGreaterThan(14);
    expect(halfway).toBeLessThan(20);
    at(10_000 + k * 1000);
    expect(limiter.ratePerSecond(key)).toBeCloseTo(20, 3);
    at(60_000);
    expect(limiter.ratePerSecond(key)).toBe(20);
  });

  it("measures the rate it was refused at: an app sending 4/s is cut below 4/s, not to 14/s", async () => {
    const { limiter, at } = limiterAt();
    for (let t = 0; t <= 2_000; t += 250) {
      at(t);
      await limiter.acquire(key, { attempt: 1 });
    }
    limiter.onThrottled(key);
    expect(limiter.ratePerSecond(key)).toBeCloseTo(0.7 * 4, 1);
  });

  it("never cuts below minRatePerSecond, and checks its options", () => {
    let now = 0;
    const limiter = new AdaptiveRateLimiter({ minRatePerSecond: 5 }, () => now);
    for (let i = 0; i < 10; i++) {
      now += COOL_DOWN_MS;
      limiter.onThrottled(key);
    }
    expect(limiter.ratePerSecond(key)).toBe(5);
    expect(() => adaptiveRateLimiter({ beta: 1 })).toThrow(
      /adaptiveRateLimiter beta must be a number above 0 and below 1/,
    );
    expect(() => adaptiveRateLimiter({ scale: 0 })).toThrow(/scale must be a number above 0, got 0/);
    expect(() => adaptiveRateLimiter({ minRatePerSecond: Number.NaN })).toThrow(/minRatePerSecond/);
  });
});

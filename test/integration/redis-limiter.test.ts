/**
 * ccc-sdk/redis against a real redis-server on 127.0.0.1 (test/support/redis.ts; missing, it fails loudly): the
 * GCRA script's bookings as Redis runs them, the limiter's keys, EVALSHA and its NOSCRIPT fallback, both client
 * libraries, and what happens when Redis goes away and comes back (the local bucket, one warning, Redis again).
 * The processes sharing one rate are in redis-processes.test.ts.
 */
import { createClient } from "@redis/client";
import { Redis as IoRedis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { CccClient, type LogFields } from "../../src/index.js";
import { credentialIdOf } from "../../src/rate-limit.js";
import { GCRA_SCRIPT, redisRateLimiter, RedisRateLimiter } from "../../src/redis/index.js";
import { GCRA_SHA1, gcraArguments } from "../../src/redis/gcra.js";
import { startRedis, type RedisServer } from "../support/redis.js";

const SECRET_KEY = "redis-limiter-SECRET-KEY";
const credentials = { secretId: "AKIDREDISLIMITER00000000000000000000", secretKey: SECRET_KEY };
const DISABLE = { PhoneNumbers: ["008612345678901"], Disabled: 1 as const, SdkAppId: 1400000000 };

let redis: RedisServer;
let nodeRedis: Awaited<ReturnType<typeof connect>>;
let emulator: Emulator;

/** A node-redis client that never throws its connection errors at the process (the app's job). */
async function connect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: () => 100 } });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

beforeAll(async () => {
  redis = await startRedis();
  nodeRedis = await connect(redis.url);
  emulator = await startEmulator({ credentials: [credentials] });
});

afterAll(async () => {
  nodeRedis?.destroy();
  await emulator?.close();
  await redis?.close();
});

beforeEach(async () => {
  if (nodeRedis.isReady) await nodeRedis.sendCommand(["FLUSHALL"]);
  emulator.reset();
});

/** One run of the script: the wait it books (µs, or negative: booked nothing). */
async function book(key: string, rate: number, burst: number, horizonMs: number): Promise<number> {
  return (await nodeRedis.sendCommand([
    "EVAL",
    GCRA_SCRIPT,
    "1",
    key,
    ...gcraArguments(rate, burst, horizonMs),
  ])) as number;
}

describe("the GCRA script, run by redis-server", () => {
  it("books evenly spaced slots with burst 1: waits of 0, 50, 100, 150 ms at 20/s", async () => {
    const started = performance.now();
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push((await book("gcra:even", 20, 1, 30_000)) / 1000);
    const elapsed = performance.now() - started;
    waits.forEach((w, i) => {
      // Each booking is 50 ms after the previous one, less the time that passed between the scripts.
      expect(w).toBeLessThanOrEqual(i * 50);
      expect(w).toBeGreaterThanOrEqual(i * 50 - elapsed - 1);
    });
  });

  it("lets a burst of B go at once, then one per interval", async () => {
    const started = performance.now();
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push((await book("gcra:burst", 10, 3, 30_000)) / 1000);
    const elapsed = performance.now() - started;
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // 100 and 200 ms at 10/s, less the time that passed between the scripts.
    expect(waits[3]).toBeLessThanOrEqual(100);
    expect(waits[3]).toBeGreaterThanOrEqual(100 - elapsed - 1);
    expect(waits[4]).toBeLessThanOrEqual(200);
    expect(waits[4]).toBeGreaterThanOrEqual(200 - elapsed - 1);
  });

  it("books nothing past the horizon, and says when to ask again", async () => {
    // 1/s, a horizon of 2 s: the 4th booking would wait 3 s (less the time between the scripts, well under 1 s).
    const started = performance.now();
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await book("gcra:horizon", 1, 1, 2_000));
    const elapsed = performance.now() - started;
    expect(waits.slice(0, 3).every((w) => w >= 0)).toBe(true);
    // Not booked: told to ask again in ~1 s; the 5th finds the same TAT, a little later.
    expect(waits[3]).toBeLessThan(0);
    expect(-waits[3]! / 1000).toBeLessThanOrEqual(1_000);
    expect(-waits[3]! / 1000).toBeGreaterThanOrEqual(1_000 - elapsed - 1);
    expect(waits[4]).toBeLessThan(0);
    expect(waits[4]).toBeGreaterThanOrEqual(waits[3]!);
  });

  it("keeps the TAT as whole microseconds, exactly, and lets the key expire after it", async () => {
    await book("gcra:exact", 20, 1, 30_000);
    await book("gcra:exact", 20, 1, 30_000);
    const tat = (await nodeRedis.sendCommand(["GET", "gcra:exact"])) as string;
    expect(tat).toMatch(/^\d{16}$/);
    const [seconds, micros] = (await nodeRedis.sendCommand(["TIME"])) as [string, string];
    const now = Number(seconds) * 1e6 + Number(micros);
    expect(Number(tat) - now).toBeGreaterThan(0);
    expect(Number(tat) - now).toBeLessThanOrEqual(100_000);
    const ttl = (await nodeRedis.sendCommand(["PTTL", "gcra:exact"])) as number;
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(1_101);
  });

  it("is the script EVALSHA names", async () => {
    expect(await nodeRedis.sendCommand(["SCRIPT", "LOAD", GCRA_SCRIPT])).toBe(GCRA_SHA1);
  });
});

describe("redisRateLimiter", () => {
  const key = {
    credentialId: credentialIdOf(credentials.secretId),
    action: "DisableCCCPhoneNumber",
    ratePerSecond: 20,
  };

  it("books each call under prefix + credential id + action, with no SecretId in any key", async () => {
    const limiter = redisRateLimiter({ redis: nodeRedis, keyPrefix: "app1:" });
    const client = new CccClient({ endpoint: emulator.url, credentials, rateLimit: limiter });
    await client.disableCCCPhoneNumber(DISABLE);
    const keys = (await nodeRedis.sendCommand(["KEYS", "*"])) as string[];
    expect(keys).toEqual([`app1:${key.credentialId}:DisableCCCPhoneNumber`]);
    expect(keys.join()).not.toContain(credentials.secretId);
    expect(limiter.keyOf(key)).toBe(keys[0]);
  });

  it("spaces the calls of one process at the rate (burst 1: 10 calls take 9 intervals)", async () => {
    const client = new CccClient({
      endpoint: emulator.url,
      credentials,
      rateLimit: redisRateLimiter({ redis: nodeRedis }),
    });
    await Promise.all(Array.from({ length: 10 }, () => client.disableCCCPhoneNumber(DISABLE)));
    const times = emulator.requests().map((r) => r.receivedAt);
    expect(times).toHaveLength(10);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(9 * 50 - 5);
  });

  it("loads the script once: EVALSHA, and one SCRIPT LOAD after Redis answered NOSCRIPT", async () => {
    const sent: string[] = [];
    const spying = (args: string[]) => {
      sent.push(args[0]!);
      return nodeRedis.sendCommand(args);
    };
    const limiter = redisRateLimiter({ redis: spying });
    await nodeRedis.sendCommand(["SCRIPT", "FLUSH"]);
    await Promise.all([limiter.acquire(key, { attempt: 1 }), limiter.acquire(key, { attempt: 1 })]);
    await limiter.acquire(key, { attempt: 1 });
    // Two calls met the NOSCRIPT; one load served both.
    expect(sent).toEqual(["EVALSHA", "EVALSHA", "SCRIPT", "EVALSHA", "EVALSHA", "EVALSHA"]);
    expect(limiter.usingRedis).toBe(true);
  });

  it("works with an ioredis client too", async () => {
    const io = new IoRedis({ host: "127.0.0.1", port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    io.on("error", () => undefined);
    await io.connect();
    try {
      const limiter = redisRateLimiter({ redis: io });
      await limiter.acquire(key, { attempt: 1 });
      expect(await io.call("EXISTS", limiter.keyOf(key))).toBe(1);
    } finally {
      io.disconnect();
    }
  });

  it("refuses a redis that is no client, and bad numbers, naming the option", () => {
    expect(() => redisRateLimiter({ redis: {} as never })).toThrow(
      /redisRateLimiter redis must be a node-redis client/,
    );
    expect(() => redisRateLimiter({ redis: nodeRedis, burst: 0 })).toThrow(
      /redisRateLimiter burst must be a whole number of at least 1, got 0/,
    );
    expect(() => redisRateLimiter({ redis: nodeRedis, timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => redisRateLimiter({ redis: nodeRedis, keyPrefix: 1 as never })).toThrow(/keyPrefix/);
  });

  it("a failing Redis: the local bucket decides, one warning without the error's text, and calls succeed", async () => {
    const warnings: [string, LogFields][] = [];
    const failing = async () => {
      throw Object.assign(new Error(`NOAUTH Authentication required; tried password ${SECRET_KEY}`), {});
    };
    const client = new CccClient({
      endpoint: emulator.url,
      credentials,
      rateLimit: redisRateLimiter({ redis: failing }),
      logger: { warn: (m, f) => warnings.push([m, f]) },
    });
    await Promise.all(Array.from({ length: 5 }, () => client.disableCCCPhoneNumber(DISABLE)));
    expect(emulator.requests().filter((r) => r.outcome === "ok")).toHaveLength(5);
    expect(warnings).toHaveLength(1);
    const [message, fields] = warnings[0]!;
    expect(message).toMatch(/^ccc rate limit: Redis failed \(NOAUTH\); keeping the rate in this process only/);
    expect(fields).toMatchObject({ action: "DisableCCCPhoneNumber", attempt: 1, error: "NOAUTH" });
    expect(JSON.stringify(warnings)).not.toContain(SECRET_KEY);
    expect(JSON.stringify(warnings)).not.toContain(credentials.secretId);
  });

  it("a Redis that does not answer: after timeoutMs the local bucket decides", async () => {
    const warnings: string[] = [];
    const silent = () => new Promise<never>(() => undefined);
    const limiter = redisRateLimiter({ redis: silent, timeoutMs: 50 });
    const started = performance.now();
    await limiter.acquire(key, { attempt: 1, logger: { warn: (m) => warnings.push(m) } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(warnings).toEqual([expect.stringMatching(/Redis failed \(Redis did not answer within 50 ms\)/)]);
    expect(limiter.usingRedis).toBe(false);
  });

  it("asks Redis again after the pause, one call at a time, and shares the rate again once it answers", async () => {
    let now = 0;
    let up = false;
    const sent: string[] = [];
    const flaky = (args: string[]) => {
      sent.push(args[0]!);
      return up ? nodeRedis.sendCommand(args) : Promise.reject(new Error("ECONNREFUSED"));
    };
    const debug: string[] = [];
    const context = { attempt: 1, logger: { debug: (m: string) => debug.push(m), warn: () => undefined } };
    const limiter = new RedisRateLimiter({ redis: flaky, retryMaxMs: 4_000 }, () => now);
    await limiter.acquire(key, context);
    expect(sent).toHaveLength(1);
    await limiter.acquire(key, context); // within the first pause (1 s): not asked
    expect(sent).toHaveLength(1);
    now = 1_000;
    await limiter.acquire(key, context); // asked, fails again: the pause doubles
    expect(sent).toHaveLength(2);
    now = 2_999;
    await limiter.acquire(key, context);
    expect(sent).toHaveLength(2);
    now = 3_000;
    up = true;
    await limiter.acquire(key, context);
    expect(limiter.usingRedis).toBe(true);
    expect(debug).toEqual(["ccc rate limit: Redis answers again; the rate is shared again"]);
  });

  it("redis-server killed mid-run: the calls go on with the local bucket, and on Redis again once it is back", async () => {
    const warnings: string[] = [];
    const limiter = redisRateLimiter({ redis: nodeRedis, timeoutMs: 100, retryMaxMs: 1_000 });
    const client = new CccClient({
      endpoint: emulator.url,
      credentials,
      rateLimit: limiter,
      logger: { warn: (m) => warnings.push(m) },
    });
    await Promise.all(Array.from({ length: 5 }, () => client.disableCCCPhoneNumber(DISABLE)));
    await redis.kill();
    await Promise.all(Array.from({ length: 10 }, () => client.disableCCCPhoneNumber(DISABLE)));
    expect(limiter.usingRedis).toBe(false);
    expect(warnings.filter((w) => w.startsWith("ccc rate limit: Redis failed"))).toHaveLength(1);
    await redis.restart();
    // Bounded: the limiter asks again within retryMaxMs, the client reconnects within its 100 ms strategy.
    const deadline = performance.now() + 10_000;
    while (!limiter.usingRedis && performance.now() < deadline) {
      await client.disableCCCPhoneNumber(DISABLE);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(limiter.usingRedis).toBe(true);
    expect(await nodeRedis.sendCommand(["EXISTS", limiter.keyOf(key)])).toBe(1);
    expect(emulator.requests().every((r) => r.outcome === "ok")).toBe(true);
    expect(warnings.filter((w) => w.startsWith("ccc rate limit: Redis failed"))).toHaveLength(1);
  });
});

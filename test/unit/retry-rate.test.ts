import { describe, expect, it } from "vitest";
import { CccAbortError } from "../../src/errors.js";
import { TokenBucket } from "../../src/rate-limit.js";
import { backoffDelay, retryAfterMs, sleep } from "../../src/retry.js";

describe("backoff", () => {
  const b = { baseMs: 500, maxMs: 8_000 };
  it("is full jitter below an exponential ceiling with a cap", () => {
    expect(backoffDelay(0, b, () => 0)).toBe(0);
    expect(backoffDelay(0, b, () => 0.999999)).toBe(499);
    expect(backoffDelay(1, b, () => 0.999999)).toBe(999);
    expect(backoffDelay(3, b, () => 0.5)).toBe(2_000);
    expect(backoffDelay(10, b, () => 0.999999)).toBe(7_999);
    expect(backoffDelay(1_000, b, () => 0.999999)).toBe(7_999);
  });
  it("spreads retries over the whole window (no two clients in lockstep)", () => {
    const samples = Array.from({ length: 200 }, () => backoffDelay(2, b));
    expect(Math.min(...samples)).toBeLessThan(500);
    expect(Math.max(...samples)).toBeGreaterThan(1_500);
    expect(samples.every((d) => d >= 0 && d < 2_000)).toBe(true);
  });
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3_000);
  });
  it("sleep rejects with CccAbortError when aborted and clears its timer", async () => {
    const ac = new AbortController();
    const p = sleep(60_000, "X", ac.signal);
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(CccAbortError);
    await expect(sleep(1, "X")).resolves.toBeUndefined();
  });
});

describe("token bucket", () => {
  it("lets a burst of `capacity` through, then one per 1/rate seconds, in FIFO order", async () => {
    let now = 0;
    const bucket = new TokenBucket(20, 20, () => now);
    for (let i = 0; i < 20; i++) await bucket.take("X");
    const order: number[] = [];
    const waiting = [0, 1, 2].map((i) => bucket.take("X").then(() => order.push(i)));
    expect(bucket.waiting).toBe(3);
    now = 50; // one token's worth
    await new Promise((r) => setTimeout(r, 80));
    expect(order).toEqual([0]);
    now = 150;
    await Promise.all(waiting);
    expect(order).toEqual([0, 1, 2]);
    expect(bucket.waiting).toBe(0);
  });

  it("an aborted waiter leaves the queue with CccAbortError and does not take a token", async () => {
    let now = 0;
    const bucket = new TokenBucket(1, 1, () => now);
    await bucket.take("X");
    const ac = new AbortController();
    const aborted = bucket.take("X", ac.signal);
    ac.abort();
    await expect(aborted).rejects.toBeInstanceOf(CccAbortError);
    expect(bucket.waiting).toBe(0);
    now = 1_000;
    await expect(bucket.take("X")).resolves.toBeUndefined();
  });
});

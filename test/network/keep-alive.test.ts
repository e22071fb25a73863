/**
 * Keep-alive sockets against gateways that close them: raw node:net servers in their own process on 127.0.0.1
 * (test/support/gateway.mjs) that close right after each answer, or after a short idle time, without saying so.
 * The measure is what the server received: every call answered, none of them twice.
 */
import { describe, expect, it } from "vitest";
import { CccClient } from "../../src/index.js";
import type { Gateway } from "../support/gateway.js";
import { createApply, credentials, gatewayFixture } from "./fixture.js";

const { gateway, client } = gatewayFixture({ backoff: { baseMs: 1, maxMs: 5 } });

/** An idempotent call, marked by SdkAppId. */
const disable = (c: CccClient, marker: number) =>
  c.disableCCCPhoneNumber({ SdkAppId: marker, PhoneNumbers: ["008602112345678"], Disabled: 1 });

/** The markers of the requests the server read, once it has gone quiet. */
async function markers(g: Gateway, member: "SipTrunkId" | "SdkAppId"): Promise<number[]> {
  await g.quiet();
  return g.requests().map((body) => (JSON.parse(body) as Record<string, number>)[member]!);
}

/** Waits until `ms` after `since` (performance.now()), to a tenth of a millisecond: a timer, then a short spin. */
async function waitUntil(since: number, ms: number): Promise<void> {
  const target = since + ms;
  const coarse = target - performance.now() - 3;
  if (coarse > 0) await new Promise((resolve) => setTimeout(resolve, coarse));
  while (performance.now() < target) {
    // spin: setTimeout alone is only millisecond-precise
  }
}

/** Makes `calls` calls one after the other, the i-th starting `gapMs(i)` after the previous one ended. */
async function run(calls: number, call: (i: number) => Promise<unknown>, gapMs: (i: number) => number = () => 0) {
  const failures: string[] = [];
  let ended = performance.now();
  for (let i = 1; i <= calls; i++) {
    const gap = gapMs(i);
    if (gap) await waitUntil(ended, gap);
    await call(i).catch((e: unknown) => failures.push(`${i}: ${(e as Error).message}`));
    ended = performance.now();
  }
  return failures;
}

const sequence = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("a gateway that closes the connection right after each answer (no Connection: close)", () => {
  it("200 back-to-back non-idempotent calls: none fails, none arrives twice", async () => {
    const g = await gateway({ mode: "answer", closeAfterAnswer: true });
    const c = client(g);
    const failures = await run(200, (i) => createApply(c, i));
    expect(failures).toEqual([]);
    expect(await markers(g, "SipTrunkId")).toEqual(sequence(200));
  });

  it("200 back-to-back idempotent calls: none fails, none arrives twice", async () => {
    const g = await gateway({ mode: "answer", closeAfterAnswer: true });
    const c = client(g);
    const failures = await run(200, (i) => disable(c, i));
    expect(failures).toEqual([]);
    expect(await markers(g, "SdkAppId")).toEqual(sequence(200));
  });

  it("16 concurrent callers, 20 calls each, mixed: none fails, none arrives twice", async () => {
    const g = await gateway({ mode: "answer", closeAfterAnswer: true });
    const c = client(g);
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, caller) => {
        for (let k = 0; k < 20; k++) {
          const marker = caller * 100 + k + 1;
          await (k % 2 ? createApply(c, marker) : disable(c, marker)).catch((e: unknown) =>
            failures.push(`${marker}: ${(e as Error).message}`),
          );
        }
      }),
    );
    expect(failures).toEqual([]);
    await g.quiet();
    const seen = g.requests().map((b) => JSON.parse(b) as { SipTrunkId?: number; SdkAppId: number });
    const ids = seen.map((r) => r.SipTrunkId ?? r.SdkAppId).sort((a, b) => a - b);
    expect(ids).toEqual(
      Array.from({ length: 16 }, (_, caller) => Array.from({ length: 20 }, (_, k) => caller * 100 + k + 1))
        .flat()
        .sort((a, b) => a - b),
    );
  });
});

describe("a gateway that closes idle connections after 150 ms without announcing it", () => {
  // Gaps sweep the idle close in steps of 0.1 ms, 148.0 … 152.0 ms after the previous answer, where a reused socket
  // meets the server's close in flight; then a few far from it. (150 ms: above the pool's "closes after each
  // answer" threshold of 100 ms, so this is the idle-close case; the pool's rules are proportional to what it
  // observes, so a longer idle time would only make the sweep slower.)
  const gaps = [...Array.from({ length: 41 }, (_, k) => 148 + k / 10), 50, 100, 300];
  const gapMs = (i: number) => (i === 1 ? 0 : gaps[i - 2]!);
  const calls = gaps.length + 1;

  it("non-idempotent calls spaced around the idle close: none fails, none arrives twice", async () => {
    const g = await gateway({ mode: "answer", idleCloseMs: 150 });
    const c = client(g);
    const failures = await run(calls, (i) => createApply(c, i), gapMs);
    expect(failures).toEqual([]);
    expect(await markers(g, "SipTrunkId")).toEqual(sequence(calls));
  }, 30_000);

  it("idempotent calls spaced around the idle close: none fails, none arrives twice", async () => {
    const g = await gateway({ mode: "answer", idleCloseMs: 150 });
    const c = client(g);
    const failures = await run(calls, (i) => disable(c, i), gapMs);
    expect(failures).toEqual([]);
    expect(await markers(g, "SdkAppId")).toEqual(sequence(calls));
  }, 30_000);
});

describe("keep-alive that holds", () => {
  it("reuses one connection for back-to-back calls to a server that keeps connections open", async () => {
    const g = await gateway({ mode: "answer", announce: "keep-alive" });
    const c = client(g);
    expect(await run(50, (i) => (i % 2 ? disable(c, i) : createApply(c, i)))).toEqual([]);
    await g.quiet();
    expect(g.connections()).toBe(1);
  });

  it("honours Keep-Alive: timeout=N: a socket is reused within N − 1 s, not after", async () => {
    const g = await gateway({ mode: "answer", announce: "timeout=2" });
    const c = client(g);
    await disable(c, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await disable(c, 2); // within 1 s: the same connection
    await g.quiet();
    expect(g.connections()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await disable(c, 3); // past timeout − 1 s: a new one
    await g.quiet();
    expect(g.connections()).toBe(2);
  });

  it("does not keep a socket whose announced timeout leaves no margin (Keep-Alive: timeout=1)", async () => {
    const g = await gateway({ mode: "answer", announce: "timeout=1" });
    const c = client(g);
    await disable(c, 1);
    await disable(c, 2);
    await g.quiet();
    expect(g.connections()).toBe(2);
  });

  it("keeps idle sockets no longer than keepAliveMs", async () => {
    const g = await gateway({ mode: "answer", announce: "keep-alive" });
    const c = client(g, { keepAliveMs: 200 });
    await disable(c, 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await disable(c, 2);
    await g.quiet();
    expect(g.connections()).toBe(2);
    await g.until((events) => events.filter((e) => e.event === "closed" && e.by === "client").length >= 1);
  });
});

describe("close()", () => {
  it("lets calls in flight finish, sends nothing twice, and closes the sockets", async () => {
    const g = await gateway({ mode: "answer", announce: "keep-alive", answerDelayMs: 300 });
    const c = client(g);
    const calls = [1, 2, 3].flatMap((i) => [createApply(c, i), disable(c, 10 + i)]);
    await g.until((events) => events.filter((e) => e.event === "request").length === 6);
    const closed = c.close();
    const outcomes = await Promise.allSettled(calls);
    await closed;
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill("fulfilled"));
    await g.quiet();
    expect(g.requests()).toHaveLength(6);
    await g.until((events) => events.filter((e) => e.event === "closed" && e.by === "client").length === 6);
  });

  it("closes idle sockets at once and the client stays usable", async () => {
    const g = await gateway({ mode: "answer", announce: "keep-alive" });
    const c = client(g);
    await disable(c, 1);
    await c.close();
    await g.until((events) => events.some((e) => e.event === "closed" && e.by === "client"));
    await disable(c, 2);
    await g.quiet();
    expect(g.connections()).toBe(2);
  });

  it("works with await using (Symbol.asyncDispose)", async () => {
    const g = await gateway({ mode: "answer", announce: "keep-alive", answerDelayMs: 100 });
    let pending: Promise<unknown> | undefined;
    {
      await using c = new CccClient({ endpoint: g.url, credentials, rateLimit: false });
      pending = disable(c, 1);
      await g.until((events) => events.some((e) => e.event === "request"));
    }
    await expect(pending).resolves.toMatchObject({ RequestId: "gw-1" });
    await g.until((events) => events.some((e) => e.event === "closed" && e.by === "client"));
  });
});

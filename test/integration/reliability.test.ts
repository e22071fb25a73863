/**
 * Reliability through the generated client against the independent test server with fault injection: for
 * every fault, the outcome (recovered or a typed error), how many requests the server saw, and nothing left
 * behind (no unhandled rejection; the process-level check is in the last test).
 */
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CccAbortError,
  CccClient,
  CccConnectionError,
  type CccError,
  CccResponseError,
  CccTimeoutError,
  type CccClientOptions,
} from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type Fault, type TestServer } from "../server/harness.js";
import { built } from "../support/built.js";
import { runScript } from "../support/script.js";
import { createMirror, type Mirror } from "../support/mirror.js";

const NON_IDEMPOTENT_SPEC = path.resolve(import.meta.dirname, "../extension/fixtures/CreateOwnNumberApply.yaml");
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };
const fast = { backoff: { baseMs: 5, maxMs: 20 } } satisfies CccClientOptions;

let server: TestServer;
let mirror: Mirror;
let MirrorClient: typeof CccClient;
const clients: { close(): void }[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const table: string[] = [];

function client(options: CccClientOptions = {}): CccClient {
  const c = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, ...fast, ...options });
  clients.push(c);
  return c;
}

async function outcomeOf(p: Promise<unknown>): Promise<{ ok: boolean; error?: unknown }> {
  try {
    await p;
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

async function row(fault: string, result: { ok: boolean; error?: unknown }) {
  const seen = await server.requests();
  const e = result.error as { name?: string; code?: string } | undefined;
  table.push(
    `| ${fault} | ${result.ok ? "recovered" : `${e?.name}${e?.code ? ` ${e.code}` : ""}`} | ${seen.length} | ${seen.map((r) => r.outcome).join(", ")} |`,
  );
  return seen;
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  // The fixture spec (DisableCCCPhoneNumber, ...) with the test-only spec of CreateOwnNumberApply in place of its own.
  mirror = await createMirror({ addActions: [NON_IDEMPOTENT_SPEC] });
  MirrorClient = (await mirror.load<{ CccClient: typeof CccClient }>()).CccClient;
  server = await startTestServer({ openapiPath: mirror.openapiPath });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
  await mirror?.remove();
  process.off("unhandledRejection", onUnhandled);
  console.log(["| fault | outcome | requests seen | server outcomes |", "|---|---|---|---|", ...table].join("\n"));
});

beforeEach(async () => {
  await server.reset();
});

describe("an idempotent action (DisableCCCPhoneNumber) recovers from transient faults", () => {
  const recovered: [string, Fault[], number][] = [
    ["two RequestLimitExceeded answers, then success", [{ type: "error", code: "RequestLimitExceeded", times: 2 }], 3],
    [
      "RequestLimitExceeded.UinLimitExceeded once",
      [{ type: "error", code: "RequestLimitExceeded.UinLimitExceeded" }],
      2,
    ],
    ["InternalError once", [{ type: "error", code: "InternalError" }], 2],
    [
      "HTTP 502 with an HTML body once",
      [{ type: "http", status: 502, body: "<html>502 Bad Gateway</html>", contentType: "text/html" }],
      2,
    ],
    ["a connection reset before the answer", [{ type: "reset" }], 2],
    ["a reset after the server read the request", [{ type: "reset-after-read" }], 2],
    ["truncated JSON once", [{ type: "truncated" }], 2],
    ["a connection cut mid-answer", [{ type: "cut" }], 2],
    ["an answer slower than timeoutMs once", [{ type: "delay", ms: 2_000 }], 2],
  ];
  it.each(recovered)("%s", async (name, faults, expectedRequests) => {
    for (const f of faults) await server.inject(f);
    const result = await outcomeOf(client({ timeoutMs: 300 }).disableCCCPhoneNumber(input));
    const seen = await row(name, result);
    expect(result).toEqual({ ok: true });
    expect(seen).toHaveLength(expectedRequests);
    expect(seen.at(-1)!.outcome).toBe("ok");
  });

  it("gives up after maxRetries with the last error (3× HTTP 502 → CccResponseError, 3 requests)", async () => {
    await server.inject({
      type: "http",
      status: 502,
      body: "<html>bad gateway</html>",
      contentType: "text/html",
      times: 3,
    });
    const result = await outcomeOf(client().disableCCCPhoneNumber(input));
    const seen = await row("HTTP 502 three times (maxRetries 2)", result);
    expect(result.error).toBeInstanceOf(CccResponseError);
    expect((result.error as CccResponseError).httpStatus).toBe(502);
    expect(seen).toHaveLength(3);
  });

  it("per-call maxRetries overrides the client's (maxRetries 0: one request)", async () => {
    await server.inject({ type: "error", code: "RequestLimitExceeded" });
    const result = await outcomeOf(client().disableCCCPhoneNumber(input, { maxRetries: 0 }));
    const seen = await row("RequestLimitExceeded, maxRetries 0 for the call", result);
    expect((result.error as CccError).code).toBe("RequestLimitExceeded");
    expect(seen).toHaveLength(1);
  });

  it("times out every attempt → CccTimeoutError after 1 + maxRetries attempts", async () => {
    await server.inject({ type: "delay", ms: 3_000, times: 2 });
    const started = performance.now();
    const result = await outcomeOf(client({ timeoutMs: 150, maxRetries: 1 }).disableCCCPhoneNumber(input));
    const seen = await row("slower than timeoutMs on every attempt (maxRetries 1)", result);
    expect(result.error).toBeInstanceOf(CccTimeoutError);
    expect(seen).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it("does not retry an error that is not transient (a documented business error: 1 request)", async () => {
    await server.inject({ type: "error", code: "FailedOperation.CurStateNotAllowModify" });
    const result = await outcomeOf(client().disableCCCPhoneNumber(input));
    const seen = await row("FailedOperation.CurStateNotAllowModify", result);
    expect((result.error as CccError).code).toBe("FailedOperation.CurStateNotAllowModify");
    expect(seen).toHaveLength(1);
  });

  it("abort mid-flight → CccAbortError, no retry", async () => {
    await server.inject({ type: "delay", ms: 3_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await outcomeOf(client().disableCCCPhoneNumber(input, { signal: controller.signal }));
    const seen = await row("abort mid-flight", result);
    expect(result.error).toBeInstanceOf(CccAbortError);
    expect(seen).toHaveLength(1);
  });

  it("abort during the backoff wait → CccAbortError promptly", async () => {
    await server.inject({ type: "error", code: "RequestLimitExceeded" });
    // The wait is random in [0, 10 s): should it come out near zero, the retry meets this slow answer and the abort
    // lands in flight instead, so the outcome is the same whatever the draw.
    await server.inject({ type: "delay", ms: 5_000 });
    const controller = new AbortController();
    const c = client({ backoff: { baseMs: 10_000, maxMs: 10_000 } });
    const started = performance.now();
    const pending = outcomeOf(c.disableCCCPhoneNumber(input, { signal: controller.signal }));
    for (let i = 0; i < 100 && (await server.requests()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const result = await pending;
    const seen = await row("abort while waiting to retry", result);
    expect(result.error).toBeInstanceOf(CccAbortError);
    expect(seen.length).toBeGreaterThanOrEqual(1); // 1 in all but the rare near-zero draw (then 2)
    expect(seen.filter((r) => r.outcome === "ok")).toEqual([]);
    expect(performance.now() - started).toBeLessThan(4_500);
  });

  it("AuthFailure.SignatureExpire with a skewed clock: corrects the offset from Date and retries once", async () => {
    await server.setClockOffset(10 * 60_000); // the server is 10 minutes ahead of us
    const c = client({ maxRetries: 0 }); // the clock correction is not a retry
    const result = await outcomeOf(c.disableCCCPhoneNumber(input));
    const seen = await row("server clock 10 min ahead (SignatureExpire)", result);
    expect(result).toEqual({ ok: true });
    expect(seen.map((r) => r.outcome)).toEqual(["AuthFailure.SignatureExpire", "ok"]);
    const skew = Number(seen[1]!.headers["x-tc-timestamp"]) - Number(seen[0]!.headers["x-tc-timestamp"]);
    expect(skew).toBeGreaterThan(590);
    // Later calls of the same client use the corrected clock straight away.
    await c.disableCCCPhoneNumber(input);
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["AuthFailure.SignatureExpire", "ok", "ok"]);
  });

  it("SignatureExpire is corrected only once per call: a clock that keeps moving fails with the error", async () => {
    await server.inject({ type: "error", code: "AuthFailure.SignatureExpire", times: 2 });
    const result = await outcomeOf(client({ maxRetries: 3 }).disableCCCPhoneNumber(input));
    const seen = await row("SignatureExpire twice", result);
    expect((result.error as CccError).code).toBe("AuthFailure.SignatureExpire");
    expect(seen).toHaveLength(2);
  });
});

describe("a non-idempotent action (test-only spec CreateOwnNumberApply) is never sent twice once it may have arrived", () => {
  const create = {
    SdkAppId: 1400000000,
    SipTrunkId: 12,
    DetailList: [{ CallType: 2 as const, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
  };
  function mirrorClient(options: CccClientOptions = {}) {
    const c = new MirrorClient({
      endpoint: server.url,
      credentials: DEFAULT_CREDENTIAL,
      ...fast,
      ...options,
    }) as CccClient & {
      createOwnNumberApply(i: typeof create): Promise<{ ApplyId: number; RequestId: string }>;
    };
    clients.push(c);
    return c;
  }

  const once: [string, Fault, (e: unknown) => void][] = [
    [
      "a reset after the server read the request",
      { type: "reset-after-read" },
      (e) => expect((e as CccConnectionError).requestSent).toBe(true),
    ],
    ["a connection reset before the answer", { type: "reset" }, (e) => expect(e).toBeInstanceOf(CccConnectionError)],
    [
      "HTTP 502",
      { type: "http", status: 502, body: "<html/>", contentType: "text/html" },
      (e) => expect(e).toBeInstanceOf(CccResponseError),
    ],
    [
      "InternalError",
      { type: "error", code: "InternalError" },
      (e) => expect((e as CccError).code).toBe("InternalError"),
    ],
    ["truncated JSON", { type: "truncated" }, (e) => expect(e).toBeInstanceOf(CccResponseError)],
    ["a timeout", { type: "delay", ms: 2_000 }, (e) => expect(e).toBeInstanceOf(CccTimeoutError)],
  ];
  it.each(once)("%s → typed error, exactly one request", async (name, fault, check) => {
    await server.inject({ ...fault, action: "CreateOwnNumberApply" });
    const result = await outcomeOf(mirrorClient({ timeoutMs: 300 }).createOwnNumberApply(create));
    const seen = await row(`CreateOwnNumberApply: ${name}`, result);
    expect(result.ok).toBe(false);
    check(result.error);
    expect((result.error as { retryable: boolean }).retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("RequestLimitExceeded is still retried (refused before any effect)", async () => {
    await server.inject({ type: "error", code: "RequestLimitExceeded", action: "CreateOwnNumberApply" });
    const result = await outcomeOf(mirrorClient().createOwnNumberApply(create));
    const seen = await row("CreateOwnNumberApply: RequestLimitExceeded once", result);
    expect(result).toEqual({ ok: true });
    expect(seen.map((r) => r.outcome)).toEqual(["fault:error", "ok"]);
  });

  it("a refused connection is retried (nothing was sent)", async () => {
    const c = new MirrorClient({
      endpoint: "http://127.0.0.1:1",
      credentials: DEFAULT_CREDENTIAL,
      ...fast,
      maxRetries: 2,
    }) as CccClient & {
      createOwnNumberApply(i: typeof create): Promise<unknown>;
    };
    clients.push(c);
    const attempts: number[] = [];
    const logging = new MirrorClient({
      endpoint: "http://127.0.0.1:1",
      credentials: DEFAULT_CREDENTIAL,
      ...fast,
      logger: { warn: (_m, f) => attempts.push(f.attempt), error: (_m, f) => attempts.push(-f.attempt) },
    }) as typeof c;
    clients.push(logging);
    const result = await outcomeOf(logging.createOwnNumberApply(create));
    expect(result.error).toBeInstanceOf(CccConnectionError);
    expect((result.error as CccConnectionError).requestSent).toBe(false);
    expect(attempts).toEqual([1, 2, -3]);
    table.push(
      `| CreateOwnNumberApply: connection refused | ${(result.error as Error).name} after 3 attempts | 0 | (none) |`,
    );
  });
});

describe("client-side rate limiting", () => {
  it("queues calls over the documented 20/s instead of failing, and rateLimit: false turns it off", async () => {
    const credentials = { secretId: "AKIDRATE0000000000000000000000000000", secretKey: "rate-key" };
    const rateServer = await startTestServer({ credentials: [credentials] });
    try {
      const limited = new CccClient({ endpoint: rateServer.url, credentials });
      clients.push(limited);
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: 50 }, () => limited.disableCCCPhoneNumber(input)));
      const elapsed = performance.now() - started;
      expect(results).toHaveLength(50);
      // A burst of 20 (one second's worth), then the other 30 at 20/s: the last leaves ~1.5 s after the first.
      const times = (await rateServer.requests()).map((r) => r.receivedAt).sort((a, b) => a - b);
      expect(times).toHaveLength(50);
      expect(times[49]! - times[0]!).toBeGreaterThanOrEqual(1_400);
      expect(times[19]! - times[0]!).toBeLessThan(400);
      table.push(`| 50 concurrent calls, rate limit on | all queued and ok, ${Math.round(elapsed)} ms | 50 | all ok |`);

      await rateServer.reset();
      const unlimited = new CccClient({ endpoint: rateServer.url, credentials, rateLimit: false });
      clients.push(unlimited);
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 50 }, () => unlimited.disableCCCPhoneNumber(input)));
      expect(performance.now() - t0).toBeLessThan(elapsed / 2);
    } finally {
      await rateServer.close();
    }
  });
});

describe("nothing left behind", () => {
  it("saw no unhandled rejection", () => {
    expect(unhandled).toEqual([]);
  });

  it("a process that retries, times out, aborts a backoff and queues on the rate limit exits on its own", async () => {
    await server.inject({ type: "error", code: "RequestLimitExceeded", action: "DisableCCCPhoneNumber" });
    await server.inject({ type: "delay", ms: 5_000, action: "ModifyOwnNumberApply", times: 3 });
    const script = `
      import { CccClient } from ${JSON.stringify(built("index"))};
      const c = new CccClient({ endpoint: ${JSON.stringify(server.url)}, credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)}, backoff: { baseMs: 5, maxMs: 20 } });
      const out = [];
      out.push((await c.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 0 })).RequestId.length);
      out.push(await c.modifyOwnNumberApply({ SdkAppId: 1, DetailList: [{ CallType: 0, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 }] }, { timeoutMs: 100 }).catch((e) => e.name));
      const ac = new AbortController();
      const slow = new CccClient({ endpoint: "http://127.0.0.1:1", credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)}, backoff: { baseMs: 60000, maxMs: 60000 } });
      setTimeout(() => ac.abort(), 100);
      out.push(await slow.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 0 }, { signal: ac.signal }).catch((e) => e.name));
      await Promise.all(Array.from({ length: 25 }, () => c.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 1 })));
      out.push("queued");
      console.log(out.join(" "));
    `;
    const { code, output: out, ms } = await runScript(script, 20_000);
    expect(out.trim()).toBe("36 CccTimeoutError CccAbortError queued");
    expect(code).toBe(0);
    // Well before the 5 s delays or the 60 s backoff would have ended.
    expect(ms).toBeLessThan(4_900);
  });
});

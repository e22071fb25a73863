/**
 * The call pipeline end to end against the emulator process (test/server/harness.ts): what was validated is what
 * is sent, on every attempt; the caller's own errors pass through; credentials that cannot go into a header are a
 * configuration error before anything is sent; no secret in a provider's failure; no listener warnings; the two
 * request paths chosen by what is installed, not by a counter.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CccClient, CccConfigError, CccValidationError, MAX_REQUEST_BYTES, type Middleware } from "../../src/index.js";
import { rateLimitBucketCount } from "../../src/rate-limit.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

let server: TestServer;
const clients: CccClient[] = [];
const disableInput = () => ({ SdkAppId: 1400000000, PhoneNumbers: ["008602112345678"], Disabled: 1 as 0 | 1 });
const applyInput = () => ({
  SdkAppId: 1400000000,
  SipTrunkId: 3,
  DetailList: [{ CallType: 1 as 0 | 1 | 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
});

function client(options: ConstructorParameters<typeof CccClient>[0] = {}): CccClient {
  const c = new CccClient({
    endpoint: server.url,
    credentials: DEFAULT_CREDENTIAL,
    backoff: { baseMs: 1, maxMs: 5 },
    ...options,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
});

describe("what was validated is what is sent", () => {
  it("input changed after the call started does not reach the wire", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const c = client({
      credentials: async () => {
        await gate;
        return DEFAULT_CREDENTIAL;
      },
    });
    const input = disableInput();
    const call = c.disableCCCPhoneNumber(input);
    (input as Record<string, unknown>).Disabled = 7;
    (input as Record<string, unknown>).Injected = true;
    release();
    await call;
    const [seen] = await server.requests();
    expect(JSON.parse(seen!.body)).toEqual(disableInput());
  });

  it("a retried non-idempotent call sends the same bytes on every attempt", async () => {
    await server.inject({ type: "error", action: "CreateOwnNumberApply", code: "RequestLimitExceeded" });
    const input = applyInput();
    const c = client({
      logger: {
        warn() {
          input.SipTrunkId = 99; // between the attempts
          input.DetailList.push({ CallType: 2, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 });
        },
      },
    });
    await c.createOwnNumberApply(input);
    const seen = await server.requests();
    expect(seen.map((r) => r.outcome)).toEqual(["fault:error", "ok"]);
    expect(seen[1]!.body).toBe(seen[0]!.body);
    expect(JSON.parse(seen[0]!.body)).toEqual(applyInput());
  });

  it("a body over Tencent's 10 MB limit is refused before anything is sent, naming the limit", async () => {
    const c = client();
    const phones = Array.from({ length: 12 }, (_, i) => `0086${i}${"1".repeat(1024 * 1024)}`);
    const error = await c.disableCCCPhoneNumber({ PhoneNumbers: phones, Disabled: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccValidationError);
    expect((error as Error).message).toContain(String(MAX_REQUEST_BYTES));
    expect(await server.requests()).toEqual([]);
  });

  it("accepts a bigint for an int64 member and sends it exactly", async () => {
    const c = client();
    await c.disableCCCPhoneNumber({ SdkAppId: 1400000000n, PhoneNumbers: ["008602112345678"], Disabled: 1 });
    const [seen] = await server.requests();
    expect(seen!.body).toBe('{"SdkAppId":1400000000,"PhoneNumbers":["008602112345678"],"Disabled":1}');
  });
});

describe("errors say what happened", () => {
  it("a TypeError thrown by the caller's own middleware passes through unchanged and is not retried", async () => {
    const c = client();
    let runs = 0;
    const bug = new TypeError("the caller's bug");
    c.use({
      onRequest() {
        runs++;
        throw bug;
      },
    });
    await expect(c.disableCCCPhoneNumber(disableInput())).rejects.toBe(bug);
    expect(runs).toBe(1);
    expect(await server.requests()).toEqual([]);
  });

  it("a token with CR/LF is a CccConfigError naming the token, before anything is sent", async () => {
    const token = "abc\r\nX-Injected: 1";
    expect(() => client({ credentials: { ...DEFAULT_CREDENTIAL, token } })).toThrow(CccConfigError);
    expect(() => client({ credentials: { ...DEFAULT_CREDENTIAL, token } })).toThrow(/token/);
    const c = client({ credentials: async () => ({ ...DEFAULT_CREDENTIAL, token }) });
    const error = await c.disableCCCPhoneNumber(disableInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccConfigError);
    expect((error as Error).message).not.toContain("abc");
    expect(await server.requests()).toEqual([]);
    expect(() => client({ credentials: { ...DEFAULT_CREDENTIAL, secretId: "AKID\n1" } })).toThrow(/secretId/);
  });

  it("trims the whitespace around a SecretKey read from a mounted secret (trailing newline)", async () => {
    const c = client({ credentials: { ...DEFAULT_CREDENTIAL, secretKey: `${DEFAULT_CREDENTIAL.secretKey}\n` } });
    await expect(c.disableCCCPhoneNumber(disableInput())).resolves.toHaveProperty("RequestId");
  });

  it("a failing credentials provider's error carries no secret in message, stack, cause or inspect", async () => {
    const secretKey = "provider-secret-key-0123456789";
    const token = "provider-session-token-0123456789";
    let calls = 0;
    const c = client({
      credentials: async () => {
        calls++;
        if (calls === 1) return { ...DEFAULT_CREDENTIAL, secretKey, token, expiresAt: Date.now() + 1_000 };
        const inner = Object.assign(new Error(`refresh of ${secretKey} failed`), { token, key: secretKey });
        throw new Error(`STS said no for token ${token}`, { cause: inner });
      },
    });
    await c.disableCCCPhoneNumber(disableInput()).catch(() => undefined); // the emulator refuses this key: fine
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const error = await c.disableCCCPhoneNumber(disableInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccConfigError);
    const shown = [
      inspect(error, { showHidden: true, depth: Infinity }),
      String((error as Error).stack),
      JSON.stringify(error),
      String(((error as Error).cause as Error | undefined)?.stack),
    ].join("\n");
    expect(shown).not.toContain(secretKey);
    expect(shown).not.toContain(token);
    expect(shown).toContain("STS said no");
  });

  it("many calls on one AbortSignal print no MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const c = client({ rateLimit: false });
      const controller = new AbortController();
      await Promise.all(
        Array.from({ length: 30 }, () => c.disableCCCPhoneNumber(disableInput(), { signal: controller.signal })),
      );
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
  });

  it("drops rate-limit buckets nobody uses any more", async () => {
    const before = rateLimitBucketCount();
    for (let i = 0; i < 300; i++) {
      const c = client({ credentials: { secretId: `AKIDBUCKET${i}`, secretKey: "k" }, maxRetries: 0 });
      await c.disableCCCPhoneNumber(disableInput()).catch(() => undefined); // unknown SecretId: refused, fine
    }
    expect(rateLimitBucketCount() - before).toBeLessThan(300);
    expect(rateLimitBucketCount()).toBeLessThanOrEqual(256);
  });
});

describe("the request path is chosen by what is installed", () => {
  it("eject() of a middleware that was never added leaves the installed one running", async () => {
    const c = client();
    const tracing: Middleware = {
      onRequest({ request }) {
        request.headers.set("X-Trace-Id", "trace-1");
        return request;
      },
    };
    const stranger: Middleware = { onRequest: () => undefined };
    c.use(tracing);
    c.eject(stranger);
    await c.disableCCCPhoneNumber(disableInput());
    c.eject(tracing);
    await c.disableCCCPhoneNumber(disableInput());
    const seen = await server.requests();
    expect(seen.map((r) => r.headers["x-trace-id"])).toEqual(["trace-1", undefined]);
  });

  it("the same middleware added twice runs twice until ejected twice, as in openapi-fetch", async () => {
    const c = client();
    let runs = 0;
    const counting: Middleware = {
      onRequest() {
        runs++;
        return undefined;
      },
    };
    c.use(counting, counting);
    await c.disableCCCPhoneNumber(disableInput());
    expect(runs).toBe(2);
    c.eject(counting);
    await c.disableCCCPhoneNumber(disableInput());
    expect(runs).toBe(3);
    c.eject(counting);
    await c.disableCCCPhoneNumber(disableInput());
    expect(runs).toBe(3);
  });

  it("refuses what is not a middleware with a CccConfigError", () => {
    const c = client();
    expect(() => c.use({} as Middleware)).toThrow(CccConfigError);
  });
});

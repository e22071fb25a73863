/**
 * The client with an injected fetch (nothing mocked: the fetch is a plain function that answers like a server
 * would), for what is awkward to provoke over a socket. Wire-level behaviour is in test/integration.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CccAbortError,
  CccClient,
  CccConfigError,
  CccConnectionError,
  CccError,
  CccResponseError,
  CccTimeoutError,
  CccValidationError,
  isCccError,
  type FetchLike,
} from "../../src/index.js";
import { NO_METADATA_ENDPOINT } from "../support/metadata.js";

const SECRET = "sk-unit-0123456789-SECRET";
const TOKEN = "tok-unit-SECRET-TOKEN";
const credentials = { secretId: "AKIDUNIT", secretKey: SECRET, token: TOKEN };
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };

function answering(body: string, init: ResponseInit = { status: 200 }): FetchLike & { requests: Request[] } {
  const requests: Request[] = [];
  return Object.assign(
    async (r: Request) => {
      requests.push(r);
      return new Response(body, { headers: { "content-type": "application/json" }, ...init });
    },
    { requests },
  );
}

function client(fetch: FetchLike, extra: object = {}) {
  return new CccClient({ credentials, endpoint: "ccc.tencentcloudapi.com", fetch, maxRetries: 0, ...extra });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("answers", () => {
  it("resolves to the Response members, RequestId included", async () => {
    const fetch = answering(JSON.stringify({ Response: { RequestId: "req-1" } }));
    await expect(client(fetch).disableCCCPhoneNumber(input)).resolves.toEqual({ RequestId: "req-1" });
    const r = fetch.requests[0]!;
    expect(r.method).toBe("POST");
    expect(new URL(r.url).pathname).toBe("/");
    expect(r.headers.get("x-tc-action")).toBe("DisableCCCPhoneNumber");
    expect(r.headers.get("x-tc-version")).toBe("2020-02-10");
    expect(r.headers.get("x-tc-token")).toBe(TOKEN);
    expect(r.headers.get("authorization")).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDUNIT\/\d{4}-\d{2}-\d{2}\/ccc\/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$/,
    );
    expect(await r.text()).toBe(JSON.stringify(input));
  });

  it("maps an error envelope to CccError with code, message, requestId, action", async () => {
    const fetch = answering(
      JSON.stringify({
        Response: { Error: { Code: "InvalidParameter.InvalidPhoneNumber", Message: "无效的号码" }, RequestId: "req-2" },
      }),
    );
    const err = await client(fetch)
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccError);
    expect(isCccError(err) && err.action === "DisableCCCPhoneNumber" && err.code).toBe(
      "InvalidParameter.InvalidPhoneNumber",
    );
    const e = err as CccError;
    expect(e.requestId).toBe("req-2");
    expect(e.httpStatus).toBe(200);
    expect(e.apiMessage).toBe("无效的号码");
    expect(e.message).toContain("req-2");
    expect(e.retryable).toBe(false);
  });

  it("marks rate limiting retryable, and InternalError only for idempotent actions", async () => {
    const limit = (await client(
      answering(
        JSON.stringify({ Response: { Error: { Code: "RequestLimitExceeded", Message: "slow down" }, RequestId: "r" } }),
      ),
    )
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e)) as CccError;
    expect(limit.retryable).toBe(true);
    const internal = (await client(
      answering(JSON.stringify({ Response: { Error: { Code: "InternalError", Message: "x" }, RequestId: "r" } })),
    )
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e)) as CccError;
    expect(internal.retryable).toBe(true); // DisableCCCPhoneNumber is idempotent
  });

  const broken: [string, string, ResponseInit, RegExp][] = [
    [
      "HTML 502",
      "<html><body>502 Bad Gateway</body></html>",
      { status: 502, headers: { "content-type": "text/html" } },
      /HTTP 502/,
    ],
    ["truncated JSON", '{"Response": {"RequestId": "ab', { status: 200 }, /not valid JSON/],
    ["JSON without Response", '{"hello": 1}', { status: 200 }, /no Response object/],
    ["empty body", "", { status: 200, headers: { "content-length": "0" } }, /empty/],
    ["a JSON array", "[1,2]", { status: 200 }, /no Response object/],
  ];
  it.each(broken)("maps %s to CccResponseError with the status and a body snippet", async (_n, body, init, message) => {
    const err = await client(answering(body, init))
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccResponseError);
    const e = err as CccResponseError;
    expect(e.message).toMatch(message);
    expect(e.httpStatus).toBe(init.status);
    expect(e.bodySnippet).toBe(body.slice(0, 200));
    expect(e.action).toBe("DisableCCCPhoneNumber");
  });

  it("keeps the cause of an unparseable answer", async () => {
    const err = (await client(answering("{oops"))
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e)) as CccResponseError;
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it("maps an error envelope sent with HTTP 500 to CccError with that status", async () => {
    const err = (await client(
      answering(JSON.stringify({ Response: { Error: { Code: "InternalError", Message: "boom" }, RequestId: "r5" } }), {
        status: 500,
      }),
    )
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e)) as CccError;
    expect(err).toBeInstanceOf(CccError);
    expect(err.httpStatus).toBe(500);
  });
});

describe("transport failures", () => {
  it("wraps a failing fetch in CccConnectionError with the cause", async () => {
    const cause = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const err = (await client(async () => Promise.reject(cause))
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e)) as CccConnectionError;
    expect(err).toBeInstanceOf(CccConnectionError);
    expect(err.cause).toBe(cause);
    expect(err.requestSent).toBe(false);
    expect(err.message).toContain("ECONNREFUSED");
  });

  it("names the action on a transport's own CccConnectionError", async () => {
    const failing: FetchLike = async () => {
      throw new CccConnectionError("connection to x failed: ECONNRESET", { requestSent: true });
    };
    const err = (await client(failing)
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e)) as CccConnectionError;
    expect(err).toBeInstanceOf(CccConnectionError);
    expect(err.action).toBe("DisableCCCPhoneNumber");
    expect(err.requestSent).toBe(true);
  });

  it("lets an error thrown by the caller's own middleware through unchanged", async () => {
    const c = client(answering("{}"));
    const mine = new RangeError("my middleware broke");
    c.use({
      onRequest() {
        throw mine;
      },
    });
    await expect(c.disableCCCPhoneNumber(input)).rejects.toBe(mine);
  });

  const hanging: FetchLike = (r) =>
    new Promise((_, reject) => r.signal.addEventListener("abort", () => reject(r.signal.reason), { once: true }));

  it("times out with CccTimeoutError per client and per call", async () => {
    const started = Date.now();
    const err = await client(hanging, { timeoutMs: 50 })
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccTimeoutError);
    expect((err as CccTimeoutError).timeoutMs).toBe(50);
    const perCall = await client(hanging, { timeoutMs: 60_000 })
      .disableCCCPhoneNumber(input, { timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect((perCall as CccTimeoutError).timeoutMs).toBe(30);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("aborts with CccAbortError, before and during the call", async () => {
    const before = await client(hanging)
      .disableCCCPhoneNumber(input, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(before).toBeInstanceOf(CccAbortError);
    const controller = new AbortController();
    const during = client(hanging)
      .disableCCCPhoneNumber(input, { signal: controller.signal })
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 10);
    expect(await during).toBeInstanceOf(CccAbortError);
  });
});

describe("retries", () => {
  it("signs every attempt afresh: a later attempt carries its own timestamp and signature", async () => {
    // A clock that moves only when the test moves it: real time passing on a loaded machine must not count.
    const base = Date.now();
    let shift = 0;
    const spy = vi.spyOn(Date, "now").mockImplementation(() => base + shift);
    try {
      const requests: Request[] = [];
      const fetch: FetchLike = async (r) => {
        requests.push(r);
        shift += 5_000; // the clock moves 5 s between attempts
        const body =
          requests.length === 1
            ? { Response: { Error: { Code: "RequestLimitExceeded", Message: "slow" }, RequestId: "r1" } }
            : { Response: { RequestId: "r2" } };
        return new Response(JSON.stringify(body), { status: 200 });
      };
      const c = client(fetch, { maxRetries: 1, backoff: { baseMs: 1, maxMs: 1 } });
      await expect(c.disableCCCPhoneNumber(input)).resolves.toEqual({ RequestId: "r2" });
      const [t1, t2] = requests.map((r) => Number(r.headers.get("x-tc-timestamp")));
      expect(t2! - t1!).toBe(5);
      expect(requests[0]!.headers.get("authorization")).not.toBe(requests[1]!.headers.get("authorization"));
    } finally {
      spy.mockRestore();
    }
  });

  it("waits at least Retry-After before retrying", async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return calls === 1
        ? new Response("busy", { status: 503, headers: { "retry-after": "1" } })
        : new Response(JSON.stringify({ Response: { RequestId: "ok" } }), { status: 200 });
    };
    const started = performance.now();
    await client(fetch, { maxRetries: 1, backoff: { baseMs: 1, maxMs: 1 } }).disableCCCPhoneNumber(input);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(calls).toBe(2);
  });

  it("does not wait for a Retry-After over 60 s: the error is thrown at once", async () => {
    const fetch: FetchLike = async () => new Response("busy", { status: 503, headers: { "retry-after": "3600" } });
    const err = await client(fetch, { maxRetries: 2 })
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccResponseError);
  });

  it("reports attempts, retries and the failure to the logger without secrets", async () => {
    const lines: [string, string, object][] = [];
    const logger = {
      debug: (m: string, f: object) => lines.push(["debug", m, f]),
      warn: (m: string, f: object) => lines.push(["warn", m, f]),
      error: (m: string, f: object) => lines.push(["error", m, f]),
    };
    const fetch = answering(
      JSON.stringify({ Response: { Error: { Code: "RequestLimitExceeded", Message: "slow" }, RequestId: "rq" } }),
    );
    await client(fetch, { logger, maxRetries: 1, backoff: { baseMs: 1, maxMs: 1 } })
      .disableCCCPhoneNumber(input)
      .catch(() => undefined);
    expect(lines.map(([level, , f]) => [level, (f as { attempt: number }).attempt])).toEqual([
      ["warn", 1],
      ["error", 2],
    ]);
    expect(lines[0]![2]).toMatchObject({
      action: "DisableCCCPhoneNumber",
      code: "RequestLimitExceeded",
      requestId: "rq",
      error: "CccError",
    });
    expect(JSON.stringify(lines)).not.toContain(SECRET);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
    const ok: [string, string, object][] = [];
    await client(answering(JSON.stringify({ Response: { RequestId: "fine" } })), {
      logger: { debug: (m: string, f: object) => ok.push(["debug", m, f]) },
    }).disableCCCPhoneNumber(input);
    expect(ok[0]![2]).toMatchObject({ action: "DisableCCCPhoneNumber", attempt: 1, requestId: "fine" });
    expect(typeof (ok[0]![2] as { durationMs: number }).durationMs).toBe("number");
  });

  const badRetry: [string, object, RegExp][] = [
    ["a negative maxRetries", { maxRetries: -1 }, /maxRetries/],
    ["a fractional maxRetries", { maxRetries: 1.5 }, /maxRetries/],
    ["a backoff with max below base", { backoff: { baseMs: 100, maxMs: 10 } }, /maxMs/],
    ["a negative backoff", { backoff: { baseMs: -1 } }, /baseMs/],
  ];
  it.each(badRetry)("rejects %s", (_n, options, message) => {
    expect(() => new CccClient({ credentials, ...options } as object)).toThrow(message);
  });
});

describe("validation before sending", () => {
  it("rejects bad input with the field path and sends nothing", async () => {
    const fetch = answering("{}");
    const err = (await client(fetch)
      .modifyOwnNumberApply({
        SdkAppId: 1,
        DetailList: [{ CallType: 5 as 0, PhoneNumber: "x", MaxCallCount: 1, MaxCallPSec: 1 }],
      })
      .catch((e: unknown) => e)) as CccValidationError;
    expect(err).toBeInstanceOf(CccValidationError);
    expect(err.violations.map((v) => v.path)).toEqual(["DetailList[0].CallType"]);
    expect(err.message).toContain("DetailList[0].CallType must be one of 0, 1, 2, got the number 5 (enum)");
    expect(fetch.requests).toHaveLength(0);
  });

  it("can be turned off", async () => {
    const fetch = answering(JSON.stringify({ Response: { RequestId: "x" } }));
    await client(fetch, { validate: false }).disableCCCPhoneNumber({ ...input, Disabled: 7 as 1 });
    expect(fetch.requests).toHaveLength(1);
  });
});

describe("configuration", () => {
  it("takes every option explicitly undefined as not given (exactOptionalPropertyTypes apps pass them so)", async () => {
    const fetch = answering(JSON.stringify({ Response: { RequestId: "x" } }));
    const c = new CccClient({
      credentials,
      fetch,
      profile: undefined,
      endpoint: undefined,
      site: undefined,
      region: undefined,
      language: undefined,
      timeoutMs: undefined,
      validate: undefined,
      maxRetries: undefined,
      backoff: undefined,
      rateLimit: undefined,
      logger: undefined,
      maxResponseBytes: undefined,
      keepAliveMs: undefined,
    });
    expect(c.endpoint).toBe("https://ccc.tencentcloudapi.com");
    const options = { timeoutMs: undefined, signal: undefined, region: undefined, language: undefined };
    expect(
      (await c.disableCCCPhoneNumber(input, { ...options, maxRetries: undefined, backoff: undefined })).RequestId,
    ).toBe("x");
    expect(fetch.requests[0]!.headers.get("x-tc-region")).toBeNull();
  });

  it("reads TENCENTCLOUD_* variables when no credentials are given", async () => {
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", "AKIDENV");
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", "env-secret");
    vi.stubEnv("TENCENTCLOUD_SESSION_TOKEN", "env-token");
    const fetch = answering(JSON.stringify({ Response: { RequestId: "x" } }));
    await new CccClient({ fetch }).disableCCCPhoneNumber(input);
    expect(fetch.requests[0]!.headers.get("authorization")).toContain("Credential=AKIDENV/");
    expect(fetch.requests[0]!.headers.get("x-tc-token")).toBe("env-token");
  });

  it("fails clearly without credentials, before sending", async () => {
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", "");
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", "");
    vi.stubEnv("TENCENTCLOUD_CREDENTIALS_FILE", "/nonexistent/ccc-sdk-test/credentials");
    vi.stubEnv("TENCENTCLOUD_METADATA_ENDPOINT", NO_METADATA_ENDPOINT);
    const fetch = answering("{}");
    await expect(new CccClient({ fetch }).disableCCCPhoneNumber(input)).rejects.toThrow(/TENCENTCLOUD_SECRET_ID/);
    expect(fetch.requests).toHaveLength(0);
  });

  it("takes a host or an origin as endpoint and the international site", async () => {
    expect(new CccClient({ credentials }).endpoint).toBe("https://ccc.tencentcloudapi.com");
    expect(new CccClient({ credentials, site: "international" }).endpoint).toBe("https://ccc.intl.tencentcloudapi.com");
    expect(new CccClient({ credentials, endpoint: "http://127.0.0.1:8080/" }).endpoint).toBe("http://127.0.0.1:8080");
    const fetch = answering(JSON.stringify({ Response: { RequestId: "x" } }));
    await client(fetch, {
      endpoint: "ccc.intl.tencentcloudapi.com",
      region: "ap-singapore",
      language: "en-US",
    }).disableCCCPhoneNumber(input);
    const r = fetch.requests[0]!;
    expect(new URL(r.url).host).toBe("ccc.intl.tencentcloudapi.com");
    expect(r.headers.get("x-tc-region")).toBe("ap-singapore");
    expect(r.headers.get("x-tc-language")).toBe("en-US");
    expect(r.headers.get("authorization")).toContain("/ccc/tc3_request"); // service is ccc whatever the host
  });

  const bad: [string, object, RegExp][] = [
    ["an endpoint with a path", { endpoint: "https://ccc.tencentcloudapi.com/v3" }, /without a path/],
    ["an ftp endpoint", { endpoint: "ftp://x" }, /http or https/],
    ["a negative timeout", { timeoutMs: -1 }, /timeoutMs/],
    ["an unknown language", { language: "fr-FR" }, /language/],
    ["an unknown site", { site: "mars" }, /site/],
    ["an empty secretId", { credentials: { secretId: "", secretKey: "k" } }, /secretId/],
    ["a missing secretKey", { credentials: { secretId: "AKID" } }, /secretKey/],
  ];
  it.each(bad)("rejects %s with CccConfigError naming the option", (_n, options, message) => {
    expect(() => new CccClient({ credentials, ...options } as object)).toThrow(CccConfigError);
    expect(() => new CccClient({ credentials, ...options } as object)).toThrow(message);
  });
});

describe("secrets never show", () => {
  it("in util.inspect, JSON.stringify, errors or their stacks", async () => {
    const c = client(
      answering(
        JSON.stringify({
          Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "bad sig" }, RequestId: "r" },
        }),
      ),
    );
    const errors: unknown[] = [];
    errors.push(await c.disableCCCPhoneNumber(input).catch((e: unknown) => e));
    errors.push(await c.disableCCCPhoneNumber({ ...input, Disabled: 9 as 1 }).catch((e: unknown) => e));
    errors.push(
      await client(answering("<html>", { status: 502 }))
        .disableCCCPhoneNumber(input)
        .catch((e: unknown) => e),
    );
    const texts = [inspect(c, { depth: 10, showHidden: true }), JSON.stringify(c), String(c)];
    for (const e of errors)
      texts.push(inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e), String((e as Error).stack));
    for (const t of texts) {
      expect(t).not.toContain(SECRET);
      expect(t).not.toContain(TOKEN);
      expect(t).not.toMatch(/Signature=[0-9a-f]{64}/);
    }
  });

  it("in the credentials object a provider returns once normalised", async () => {
    const fetch = answering(JSON.stringify({ Response: { RequestId: "x" } }));
    const c = new CccClient({ credentials: async () => ({ ...credentials }), fetch });
    await c.disableCCCPhoneNumber(input);
    expect(inspect(c, { showHidden: true, depth: 10 })).not.toContain(SECRET);
  });
});

describe("middleware", () => {
  it("runs user middleware before signing, in openapi-fetch's shape, and eject removes it", async () => {
    const fetch = answering(JSON.stringify({ Response: { RequestId: "x" } }));
    const c = client(fetch);
    const seen: string[] = [];
    const mw = {
      onRequest({ request }: { request: Request }) {
        seen.push(`request auth=${request.headers.has("authorization")}`);
        request.headers.set("X-Trace-Id", "t-1");
        return request;
      },
      onResponse({ response }: { response: Response }) {
        seen.push(`response ${response.status}`);
        return undefined;
      },
    };
    c.use(mw);
    await c.disableCCCPhoneNumber(input);
    expect(seen).toEqual(["request auth=false", "response 200"]);
    expect(fetch.requests[0]!.headers.get("x-trace-id")).toBe("t-1");
    expect(fetch.requests[0]!.headers.get("authorization")).toMatch(/^TC3/);
    c.eject(mw);
    await c.disableCCCPhoneNumber(input);
    expect(seen).toHaveLength(2);
  });
});

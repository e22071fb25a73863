import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CccAbortError,
  CccClient,
  CccConnectionError,
  CccError,
  CccResponseError,
  CccTimeoutError,
  CccValidationError,
  isCccError,
} from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { built } from "../support/built.js";
import { REPO } from "../support/paths.js";
import { runScript } from "../support/script.js";

const TOKEN_CREDENTIAL = {
  secretId: "AKIDTEMPORARY000000000000000000000000",
  secretKey: "temporary-secret-key",
  token: "session-token-abc",
};
let server: TestServer;
let client: CccClient;

const disableInput = {
  SdkAppId: 1400000000,
  PhoneNumbers: ["008602112345678", "00860755000000"],
  Disabled: 1 as const,
};
const modifyInput = {
  SdkAppId: 1400000000,
  ApplyId: 7,
  Prefix: "送号",
  LocalNumberTrimAC: true,
  DetailList: [
    {
      CallType: 2 as const,
      PhoneNumber: "02012345678",
      MaxCallCount: 10,
      MaxCallPSec: 2,
      OutboundCalleeFormat: "{+E.164}",
    },
    { CallType: 0 as const, PhoneNumber: "02012345679", MaxCallCount: 1, MaxCallPSec: 1 },
  ],
};

beforeAll(async () => {
  server = await startTestServer({ credentials: [DEFAULT_CREDENTIAL, TOKEN_CREDENTIAL] });
  // Retries off: these tests pin how each answer maps to a result or an error (test/integration/reliability covers retries).
  client = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
});
afterAll(async () => {
  client?.close();
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
});

describe("both seed actions end to end", () => {
  it("DisableCCCPhoneNumber: signed as the docs say, body as sent, result unwrapped", async () => {
    const result = await client.disableCCCPhoneNumber(disableInput);
    expect(result.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const [seen] = await server.requests();
    expect(seen!.outcome).toBe("ok");
    expect(seen!.action).toBe("DisableCCCPhoneNumber");
    expect(seen!.signedHeaders).toEqual(["content-type", "host", "x-tc-action"]);
    expect(seen!.headers.host).toBe(new URL(server.url).host);
    expect(seen!.headers["x-tc-version"]).toBe("2020-02-10");
    expect(JSON.parse(seen!.body)).toEqual(disableInput);
  });

  it("ModifyOwnNumberApply with a nested model list and non-ASCII text", async () => {
    const result = await client.modifyOwnNumberApply(modifyInput);
    expect(typeof result.RequestId).toBe("string");
    const [seen] = await server.requests();
    expect(seen!.outcome).toBe("ok");
    expect(JSON.parse(seen!.body)).toEqual(modifyInput);
  });

  it("sends X-TC-Token for temporary credentials, and the server rejects a missing token", async () => {
    const temp = new CccClient({ endpoint: server.url, credentials: TOKEN_CREDENTIAL });
    await expect(temp.disableCCCPhoneNumber(disableInput)).resolves.toHaveProperty("RequestId");
    const noToken = new CccClient({ endpoint: server.url, credentials: { ...TOKEN_CREDENTIAL, token: undefined } });
    const err = await noToken.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e);
    expect(isCccError(err) && err.code).toBe("AuthFailure.TokenFailure");
    temp.close();
    noToken.close();
  });

  it("works over the global fetch too (the /#Action fragment never reaches the wire)", async () => {
    const viaFetch = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, fetch: (r) => fetch(r) });
    await expect(viaFetch.disableCCCPhoneNumber(disableInput)).resolves.toHaveProperty("RequestId");
    expect((await server.requests())[0]!.outcome).toBe("ok");
  });

  it("reuses one keep-alive connection for sequential calls", async () => {
    for (let i = 0; i < 20; i++) await client.disableCCCPhoneNumber(disableInput);
    const seen = await server.requests();
    expect(seen).toHaveLength(20);
    expect(seen.every((r) => r.outcome === "ok")).toBe(true);
    expect(seen.every((r) => r.headers.connection === "keep-alive")).toBe(true);
  });
});

describe("the two request paths", () => {
  it("the fast path (no middleware) and the openapi-fetch path (with middleware) send the same verified request", async () => {
    const c = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
    await c.modifyOwnNumberApply(modifyInput);
    const seen: string[] = [];
    const mw = {
      onRequest({ request }: { request: Request }) {
        seen.push(request.headers.get("x-tc-action") ?? "");
        return request;
      },
    };
    c.use(mw);
    await c.modifyOwnNumberApply(modifyInput);
    c.eject(mw);
    await c.modifyOwnNumberApply(modifyInput);
    c.close();
    expect(seen).toEqual(["ModifyOwnNumberApply"]); // the middleware ran once, on the openapi-fetch path
    const requests = await server.requests();
    expect(requests.map((r) => r.outcome)).toEqual(["ok", "ok", "ok"]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    const shape = (h: Record<string, string>) =>
      Object.keys(h)
        .filter((k) => k.startsWith("x-tc-") || k === "content-type" || k === "host")
        .sort()
        .map((k) => (k === "x-tc-timestamp" ? k : `${k}: ${h[k]}`));
    expect(shape(requests[1]!.headers)).toEqual(shape(requests[0]!.headers));
    expect(shape(requests[2]!.headers)).toEqual(shape(requests[0]!.headers));
  });

  it("both name the client in X-TC-RequestClient: the package's name and version", async () => {
    const { name, version } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8"));
    const c = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
    await c.modifyOwnNumberApply(modifyInput);
    c.use({ onRequest: ({ request }: { request: Request }) => request });
    await c.modifyOwnNumberApply(modifyInput);
    c.close();
    const requests = await server.requests();
    expect(requests.map((r) => r.headers["x-tc-requestclient"])).toEqual([`${name}/${version}`, `${name}/${version}`]);
  });
});

describe("where the client sends", () => {
  it("CCC_ENDPOINT points a client without an endpoint option at another server; the option still wins", async () => {
    vi.stubEnv("CCC_ENDPOINT", server.url);
    try {
      const c = new CccClient({ credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
      expect(c.endpoint).toBe(server.url.replace(/\/$/, ""));
      await c.modifyOwnNumberApply(modifyInput);
      c.close();
      expect((await server.requests()).map((r) => r.outcome)).toEqual(["ok"]);
      const explicit = new CccClient({ endpoint: "ccc.intl.tencentcloudapi.com", credentials: DEFAULT_CREDENTIAL });
      expect(explicit.endpoint).toBe("https://ccc.intl.tencentcloudapi.com");
      vi.stubEnv("CCC_ENDPOINT", "  ");
      expect(new CccClient({ credentials: DEFAULT_CREDENTIAL }).endpoint).toBe("https://ccc.tencentcloudapi.com");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("a bare host:port of a plain-HTTP server (https by default) fails saying to write http://", async () => {
    const { host } = new URL(server.url);
    const c = new CccClient({ endpoint: host, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
    const e = await c.modifyOwnNumberApply(modifyInput).then(
      () => undefined,
      (error: unknown) => error,
    );
    c.close();
    expect(e).toBeInstanceOf(CccConnectionError);
    expect((e as Error).message).toContain(
      `the server does not speak TLS (${(e as CccConnectionError).code}); for a plain-HTTP server, such as the emulator, set the endpoint to "http://${host}"`,
    );
    expect(await server.requests()).toEqual([]);
  });
});

describe("API errors", () => {
  it("a documented error envelope becomes a CccError with its code and RequestId", async () => {
    await server.inject({
      type: "error",
      action: "DisableCCCPhoneNumber",
      code: "InvalidParameter.InvalidPhoneNumber",
      message: "无效的号码",
    });
    const err = await client.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccError);
    if (!(isCccError(err) && err.action === "DisableCCCPhoneNumber"))
      throw new Error("expected a DisableCCCPhoneNumber error");
    expect(err.code).toBe("InvalidParameter.InvalidPhoneNumber");
    expect(err.apiMessage).toBe("无效的号码");
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a wrong key is answered AuthFailure.SignatureFailure", async () => {
    const wrong = new CccClient({
      endpoint: server.url,
      credentials: { ...DEFAULT_CREDENTIAL, secretKey: "not-the-key" },
    });
    const err = await wrong.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e);
    expect((err as CccError).code).toBe("AuthFailure.SignatureFailure");
    wrong.close();
  });

  it("an unknown SecretId is answered AuthFailure.SecretIdNotFound", async () => {
    const unknown = new CccClient({ endpoint: server.url, credentials: { secretId: "AKIDUNKNOWN", secretKey: "x" } });
    expect(((await unknown.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e)) as CccError).code).toBe(
      "AuthFailure.SecretIdNotFound",
    );
    unknown.close();
  });

  it("the server checks bodies against the spec: an invalid body sent with validation off is refused there", async () => {
    const loose = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, validate: false });
    const err = (await loose
      .disableCCCPhoneNumber({ ...disableInput, Disabled: 7 as 1 })
      .catch((e: unknown) => e)) as CccError;
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.apiMessage).toContain("Disabled");
    const missing = (await loose
      .modifyOwnNumberApply({ SdkAppId: 1, DetailList: [{ CallType: 1, PhoneNumber: "1", MaxCallCount: 1 } as never] })
      .catch((e: unknown) => e)) as CccError;
    expect(missing.code).toBe("MissingParameter");
    expect(missing.apiMessage).toContain("DetailList[0].MaxCallPSec");
    loose.close();
  });

  it("client-side validation stops bad input before any byte is sent", async () => {
    const err = await client
      .disableCCCPhoneNumber({ ...disableInput, PhoneNumbers: ["13800000000"] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccValidationError);
    expect((err as CccValidationError).message).toContain("PhoneNumbers[0]");
    expect(await server.requests()).toHaveLength(0);
  });
});

describe("broken answers and transport failures", () => {
  it("HTML 502 → CccResponseError with the status and the body's start", async () => {
    await server.inject({
      type: "http",
      status: 502,
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      contentType: "text/html",
    });
    const err = (await client.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e)) as CccResponseError;
    expect(err).toBeInstanceOf(CccResponseError);
    expect(err.httpStatus).toBe(502);
    expect(err.bodySnippet).toContain("502 Bad Gateway");
  });

  it("truncated JSON → CccResponseError with the SyntaxError as cause", async () => {
    await server.inject({ type: "truncated" });
    const err = (await client.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e)) as CccResponseError;
    expect(err).toBeInstanceOf(CccResponseError);
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it("a connection cut mid-answer → CccConnectionError, request possibly seen", async () => {
    await server.inject({ type: "cut" });
    const err = (await client.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e)) as CccConnectionError;
    expect(err).toBeInstanceOf(CccConnectionError);
    expect(err.requestSent).toBe(true);
    // The client recovers on a fresh connection.
    await expect(client.disableCCCPhoneNumber(disableInput)).resolves.toHaveProperty("RequestId");
  });

  it("a reset after the server read the request, on a new connection → CccConnectionError", async () => {
    await server.inject({ type: "reset-after-read" });
    const fresh = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
    const err = (await fresh.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e)) as CccConnectionError;
    await fresh.close();
    expect(err).toBeInstanceOf(CccConnectionError);
    expect(err.requestSent).toBe(true);
    expect((await server.requests())[0]!.outcome).toBe("fault:reset-after-read");
  });

  it("a reset before any answer byte on a kept-alive connection: an idempotent call goes once more on a new one", async () => {
    await client.disableCCCPhoneNumber(disableInput); // leaves a pooled connection
    await server.reset();
    await server.inject({ type: "reset-after-read" });
    await expect(client.disableCCCPhoneNumber(disableInput)).resolves.toHaveProperty("RequestId");
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["fault:reset-after-read", "ok"]);
  });

  it("a refused connection → CccConnectionError with requestSent false", async () => {
    const closed = new CccClient({ endpoint: "http://127.0.0.1:1", credentials: DEFAULT_CREDENTIAL });
    const err = (await closed.disableCCCPhoneNumber(disableInput).catch((e: unknown) => e)) as CccConnectionError;
    expect(err).toBeInstanceOf(CccConnectionError);
    expect(err.requestSent).toBe(false);
  });

  it("an answer slower than timeoutMs → CccTimeoutError promptly", async () => {
    await server.inject({ type: "delay", ms: 3_000 });
    const started = performance.now();
    const err = await client.disableCCCPhoneNumber(disableInput, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccTimeoutError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("abort mid-flight → CccAbortError promptly", async () => {
    await server.inject({ type: "delay", ms: 3_000 });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    const err = await client
      .disableCCCPhoneNumber(disableInput, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccAbortError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("process hygiene", () => {
  it("a script that makes a call and hits a timeout leaves no handle behind: it exits on its own", async () => {
    const script = `
      import { CccClient } from ${JSON.stringify(built("index"))};
      const c = new CccClient({ endpoint: ${JSON.stringify(server.url)}, credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)}, maxRetries: 0 });
      const r = await c.disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 0 });
      const t = await c
        .modifyOwnNumberApply({ SdkAppId: 1, DetailList: [{ CallType: 0, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 }] }, { timeoutMs: 100 })
        .catch((e) => e.name);
      console.log(r.RequestId.length, t);
    `;
    await server.inject({ type: "delay", action: "ModifyOwnNumberApply", ms: 5_000 });
    const { code, output: out, ms } = await runScript(script, 15_000);
    expect(out).toContain("36 CccTimeoutError");
    expect(code).toBe(0);
    // Well before the 5 s delay would have ended: no socket or timer kept the process alive.
    expect(ms).toBeLessThan(4_500);
  });
});

// Tests of the CCC test server itself: its TC3 implementation against
// Tencent's published vectors, and the spawned server's verification,
// validation, fault injection, recording and lifecycle. Only 127.0.0.1 is
// ever contacted.

import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_CREDENTIAL,
  startTestServer,
  type Credential,
  type RecordedRequest,
  type TestServer,
} from "./harness.js";

// tc3-verify.mjs is plain JavaScript without declarations; it is loaded through
// a non-literal specifier and typed here so the test type-checks under any
// tsconfig (allowJs or not).
interface Tc3Result {
  date: string;
  canonicalHeaders: string;
  signedHeaders: string;
  hashedRequestPayload: string;
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  credentialScope: string;
  stringToSign: string;
  secretDate: string;
  secretService: string;
  secretSigning: string;
  signature: string;
}
interface Tc3Module {
  sign(p: {
    secretKey: string;
    service: string;
    timestamp: number;
    headers: Record<string, string>;
    signedHeaders: string | string[];
    payload: string;
  }): Tc3Result;
  utcDate(timestamp: number): string;
  computeSignature(secretKey: string, date: string, service: string, stringToSign: string): string;
  formatAuthorization(p: {
    secretId: string;
    date: string;
    service: string;
    signedHeaders: string | string[];
    signature: string;
  }): string;
  parseAuthorization(value: string): { ok: boolean; [k: string]: unknown };
  signaturesEqual(a: string, b: string): boolean;
}
const TC3_MODULE_URL = new URL("./tc3-verify.mjs", import.meta.url).href;
const tc3 = (await import(TC3_MODULE_URL)) as Tc3Module;

const FIXTURE = fileURLToPath(new URL("./fixtures/openapi.fixture.json", import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL("./ccc-test-server.mjs", import.meta.url));
const VECTORS = JSON.parse(readFileSync("/work/shared/reference/ccc/tc3-vectors.json", "utf8"));
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const TOKEN_CREDENTIAL: Credential = {
  secretId: "AKIDTOKENUSER000000000000000000000000",
  secretKey: "token-user-secret-key-abcdefghijkl",
  token: "session-token-xyz",
};
const VALID_DISABLE = { Disabled: 1, PhoneNumbers: ["008612345678901"], SdkAppId: 1400000000 };

// ---------------------------------------------------------------------------
// TC3 known-answer tests

describe("tc3-verify known-answer vectors", () => {
  it("reproduces every intermediate value of the current (3 signed headers) vector", () => {
    const v = VECTORS.current;
    const headers = { "content-type": v.contentType, host: v.host, "x-tc-action": v.action };
    const r = tc3.sign({
      secretKey: v.secretKey,
      service: v.service,
      timestamp: v.timestamp,
      headers,
      signedHeaders: v.signedHeaders,
      payload: v.payload,
    });
    expect(v.secretKey).toBe("*".repeat(32));
    expect(tc3.utcDate(v.timestamp)).toBe(v.date);
    expect(r.date).toBe(v.date);
    expect(r.canonicalHeaders).toBe(v.canonicalHeaders);
    expect(r.signedHeaders).toBe(v.signedHeaders);
    expect(r.hashedRequestPayload).toBe(v.hashedRequestPayload);
    expect(r.hashedRequestPayload).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    expect(r.canonicalRequest).toBe(v.canonicalRequest);
    expect(r.hashedCanonicalRequest).toBe(v.hashedCanonicalRequest);
    expect(r.hashedCanonicalRequest).toBe("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
    expect(r.credentialScope).toBe(v.credentialScope);
    expect(r.stringToSign).toBe(v.stringToSign);
    expect(r.secretDate).toBe(v.secretDate);
    expect(r.secretService).toBe(v.secretService);
    expect(r.secretSigning).toBe(v.secretSigning);
    expect(r.signature).toBe(v.signature);
    expect(r.signature).toBe("10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
    expect(tc3.computeSignature(v.secretKey, v.date, v.service, v.stringToSign)).toBe(v.signature);
    expect(
      tc3.formatAuthorization({
        secretId: v.secretId,
        date: v.date,
        service: v.service,
        signedHeaders: v.signedHeaders,
        signature: r.signature,
      }),
    ).toBe(v.authorization);
  });

  it("reproduces the legacy_en (2 signed headers) vector", () => {
    const v = VECTORS.legacy_en;
    const headers = { "content-type": "application/json; charset=utf-8", host: v.host };
    const r = tc3.sign({
      secretKey: v.secretKey,
      service: v.service,
      timestamp: v.timestamp,
      headers,
      signedHeaders: v.signedHeaders,
      payload: v.payload,
    });
    expect(v.secretKey).toBe("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
    expect(r.canonicalHeaders).toBe(v.canonicalHeaders);
    expect(r.hashedRequestPayload).toBe(v.hashedRequestPayload);
    expect(r.hashedCanonicalRequest).toBe(v.hashedCanonicalRequest);
    expect(r.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(r.signature).toBe(v.signature);
  });

  it("parses well-formed Authorization headers and rejects malformed ones", () => {
    const parsed = tc3.parseAuthorization(VECTORS.current.authorization);
    expect(parsed).toEqual({
      ok: true,
      secretId: VECTORS.current.secretId,
      date: "2019-02-25",
      service: "cvm",
      signedHeaders: ["content-type", "host", "x-tc-action"],
      signature: VECTORS.current.signature,
    });
    for (const bad of [
      "",
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request,SignedHeaders=content-type;host, Signature=" +
        "a".repeat(64),
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" +
        "A".repeat(64),
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=Content-Type;host, Signature=" +
        "a".repeat(64),
      "HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" +
        "a".repeat(64),
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" +
        "a".repeat(63),
    ]) {
      expect(tc3.parseAuthorization(bad).ok, bad).toBe(false);
    }
  });

  it("compares signatures correctly", () => {
    expect(tc3.signaturesEqual("ab".repeat(32), "ab".repeat(32))).toBe(true);
    expect(tc3.signaturesEqual("ab".repeat(32), "ac".repeat(32))).toBe(false);
    expect(tc3.signaturesEqual("ab", "abc")).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Tiny independent client-side signer + HTTP client for the tests

const sha256 = (d: string | Buffer) => createHash("sha256").update(d).digest("hex");
const hmac = (k: string | Buffer, d: string) => createHmac("sha256", k).update(d).digest();

interface CallOptions {
  action?: string;
  /** Object bodies are JSON-encoded; strings are sent verbatim. */
  body?: unknown;
  credential?: Credential;
  /** Token header to send; defaults to credential.token. null = don't send. */
  token?: string | null;
  timestamp?: number;
  date?: string;
  service?: string;
  version?: string;
  contentType?: string;
  signedHeaders?: string[];
  /** Body actually sent (after signing), to simulate tampering. */
  sentBody?: string | Buffer;
  /** Header names (lowercase) to drop after signing. */
  omit?: string[];
  /** Headers (lowercase names) to set after signing. */
  afterSigning?: Record<string, string>;
  /** Replaces the computed Authorization header. */
  authorization?: string;
  agent?: http.Agent | false;
  timeoutMs?: number;
}

interface CallResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  reusedSocket: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(): any;
}

const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function call(server: TestServer, o: CallOptions = {}): Promise<CallResult> {
  const cred = o.credential ?? DEFAULT_CREDENTIAL;
  const action = o.action ?? "DisableCCCPhoneNumber";
  const payload = typeof o.body === "string" ? o.body : JSON.stringify(o.body ?? VALID_DISABLE);
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const date = o.date ?? new Date(timestamp * 1000).toISOString().slice(0, 10);
  const service = o.service ?? "ccc";
  const headers: Record<string, string> = {
    "content-type": o.contentType ?? "application/json; charset=utf-8",
    host: `127.0.0.1:${server.port}`,
    "x-tc-action": action,
    "x-tc-version": o.version ?? "2020-02-10",
    "x-tc-timestamp": String(timestamp),
    "x-tc-region": "ap-guangzhou",
  };
  const token = o.token === undefined ? cred.token : o.token;
  if (token != null) headers["x-tc-token"] = token;
  const signed = o.signedHeaders ?? ["content-type", "host", "x-tc-action"];
  const canonical = `POST\n/\n\n${signed.map((n) => `${n}:${(headers[n] ?? "").trim().toLowerCase()}\n`).join("")}\n${signed.join(";")}\n${sha256(payload)}`;
  const scope = `${date}/${service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${cred.secretKey}`, date), service), "tc3_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  headers.authorization =
    o.authorization ??
    `TC3-HMAC-SHA256 Credential=${cred.secretId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  for (const n of o.omit ?? []) delete headers[n];
  Object.assign(headers, o.afterSigning);
  const body = Buffer.from(o.sentBody ?? payload);
  headers["content-length"] = String(body.length);
  return rawRequest(server.port, {
    method: "POST",
    path: "/",
    headers,
    body,
    agent: o.agent ?? keepAliveAgent,
    timeoutMs: o.timeoutMs,
  });
}

function rawRequest(
  port: number,
  o: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer;
    agent?: http.Agent | false;
    timeoutMs?: number;
  },
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: o.method, path: o.path, headers: o.headers, agent: o.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("close", () => {
          if (!res.complete) reject(new Error("response incomplete: connection closed mid-body"));
        });
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            reusedSocket: req.reusedSocket,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.setTimeout(o.timeoutMs ?? 10_000, () => req.destroy(new Error("client timeout")));
    req.on("error", reject);
    req.end(o.body);
  });
}

async function expectError(p: Promise<CallResult>, code: string, messagePart?: string | RegExp) {
  const r = await p;
  expect(r.status).toBe(200);
  expect(r.headers["content-type"]).toMatch(/^application\/json/);
  const json = r.json();
  expect(json.Response.Error, r.text).toBeDefined();
  expect(json.Response.Error.Code, r.text).toBe(code);
  expect(json.Response.RequestId).toMatch(UUID_RE);
  if (messagePart !== undefined) {
    if (typeof messagePart === "string") expect(json.Response.Error.Message).toContain(messagePart);
    else expect(json.Response.Error.Message).toMatch(messagePart);
  }
  return json;
}

/** The first record (asserting there is one). */
function first(recs: RecordedRequest[]): RecordedRequest {
  const r = recs[0];
  if (!r) throw new Error("no request was recorded");
  return r;
}

function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
}

// ---------------------------------------------------------------------------
// Spawned server

describe("ccc-test-server", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ openapiPath: FIXTURE, credentials: [DEFAULT_CREDENTIAL, TOKEN_CREDENTIAL] });
  });
  afterAll(async () => {
    await server?.close();
    keepAliveAgent.destroy();
  });
  beforeEach(async () => {
    await server.reset();
  });

  describe("signature verification", () => {
    it("accepts a correctly signed request and answers the example with a fresh RequestId", async () => {
      const r = await call(server);
      expect(r.status).toBe(200);
      expect(r.headers["content-type"]).toMatch(/^application\/json/);
      const json = r.json();
      expect(json.Response.Error).toBeUndefined();
      expect(json.Response.RequestId).toMatch(UUID_RE);
      expect(json.Response.RequestId).not.toBe("3651cda6-6501-4482-9f4e-8d0c9548a4db");
      const again = (await call(server)).json();
      expect(again.Response.RequestId).not.toBe(json.Response.RequestId);
    });

    it("returns the first example's other members, and only RequestId when there is no example", async () => {
      const token = (
        await call(server, { action: "CreateSDKLoginToken", body: { SdkAppId: 1, SeatUserId: "agent@example.com" } })
      ).json();
      expect(token.Response).toMatchObject({
        Token: "0b4fb1cd-e5c3-4d0e-9a7b-2c1f0e9b5a11",
        Created: 1636452171,
        SdkURL: "https://ccc-sdk.example.com/login",
      });
      expect(token.Response.RequestId).toMatch(UUID_RE);
      const plain = (
        await call(server, {
          action: "ModifyOwnNumberApply",
          body: {
            SdkAppId: 1,
            ApplyId: 2,
            DetailList: [{ CallType: 0, PhoneNumber: "0086123", MaxCallCount: 1, MaxCallPSec: 1 }],
          },
        })
      ).json();
      expect(Object.keys(plain.Response)).toEqual(["RequestId"]);
    });

    it("accepts signing only content-type;host", async () => {
      const r = await call(server, { signedHeaders: ["content-type", "host"] });
      expect(r.json().Response.Error).toBeUndefined();
    });

    it("accepts any sorted superset of content-type;host", async () => {
      const r = await call(server, {
        signedHeaders: ["content-type", "host", "x-tc-action", "x-tc-timestamp", "x-tc-version"],
      });
      expect(r.json().Response.Error).toBeUndefined();
    });

    it("rejects a wrong secret key", async () => {
      await expectError(
        call(server, { credential: { ...DEFAULT_CREDENTIAL, secretKey: "wrong-key" } }),
        "AuthFailure.SignatureFailure",
      );
    });

    it("rejects an unknown SecretId", async () => {
      await expectError(
        call(server, { credential: { secretId: "AKIDUNKNOWN", secretKey: "x" } }),
        "AuthFailure.SecretIdNotFound",
      );
    });

    it("rejects an old timestamp and one too far in the future", async () => {
      const nowS = Math.floor(Date.now() / 1000);
      await expectError(call(server, { timestamp: nowS - 3600 }), "AuthFailure.SignatureExpire");
      await expectError(call(server, { timestamp: nowS + 3600 }), "AuthFailure.SignatureExpire");
      // within the 300 s default skew
      expect((await call(server, { timestamp: nowS - 200 })).json().Response.Error).toBeUndefined();
    });

    it("rejects a body tampered with after signing", async () => {
      await expectError(
        call(server, { sentBody: JSON.stringify({ ...VALID_DISABLE, Disabled: 0 }) }),
        "AuthFailure.SignatureFailure",
      );
    });

    it("rejects a signed header whose value changed after signing", async () => {
      const forged = { "x-tc-action": "CreateSDKLoginToken" };
      await expectError(call(server, { afterSigning: forged }), "AuthFailure.SignatureFailure");
      // Unsigned headers are not covered: the same change then reaches validation.
      await expectError(
        call(server, { afterSigning: forged, signedHeaders: ["content-type", "host"] }),
        "MissingParameter",
        "SeatUserId",
      );
    });

    it("rejects a service other than ccc and a scope date that does not match the timestamp", async () => {
      await expectError(call(server, { service: "cvm" }), "AuthFailure.SignatureFailure");
      await expectError(call(server, { date: "2019-02-25" }), "AuthFailure.SignatureFailure", "2019-02-25");
    });

    it("rejects malformed Authorization, unsorted or incomplete SignedHeaders", async () => {
      await expectError(call(server, { omit: ["authorization"] }), "AuthFailure.InvalidAuthorization");
      await expectError(call(server, { authorization: "Bearer abc" }), "AuthFailure.InvalidAuthorization");
      await expectError(
        call(server, { signedHeaders: ["host", "content-type"] }),
        "AuthFailure.InvalidAuthorization",
        "sorted",
      );
      await expectError(
        call(server, { signedHeaders: ["content-type", "x-tc-action"] }),
        "AuthFailure.InvalidAuthorization",
        "host",
      );
      await expectError(call(server, { signedHeaders: ["host"] }), "AuthFailure.InvalidAuthorization", "content-type");
    });

    it("requires the X-TC headers and a JSON content type", async () => {
      await expectError(call(server, { omit: ["x-tc-version"] }), "MissingParameter", "X-TC-Version");
      await expectError(call(server, { omit: ["x-tc-timestamp"] }), "MissingParameter", "X-TC-Timestamp");
      await expectError(
        call(server, { omit: ["x-tc-action"], signedHeaders: ["content-type", "host"] }),
        "MissingParameter",
        "X-TC-Action",
      );
      await expectError(call(server, { contentType: "text/plain" }), "InvalidParameter", "Content-Type");
    });

    it("enforces session tokens", async () => {
      expect((await call(server, { credential: TOKEN_CREDENTIAL })).json().Response.Error).toBeUndefined();
      await expectError(call(server, { credential: TOKEN_CREDENTIAL, token: null }), "AuthFailure.TokenFailure");
      await expectError(
        call(server, { credential: TOKEN_CREDENTIAL, token: "other-token" }),
        "AuthFailure.TokenFailure",
      );
      await expectError(
        call(server, { credential: DEFAULT_CREDENTIAL, token: "unexpected" }),
        "AuthFailure.TokenFailure",
      );
    });

    it("uses the injected clock offset for skew checks and the Date header", async () => {
      const offset = -2 * 3600 * 1000;
      await server.setClockOffset(offset);
      await expectError(call(server), "AuthFailure.SignatureExpire");
      const shifted = await call(server, { timestamp: Math.floor((Date.now() + offset) / 1000) });
      expect(shifted.json().Response.Error).toBeUndefined();
      const serverDate = Date.parse(String(shifted.headers.date));
      expect(Math.abs(serverDate - (Date.now() + offset))).toBeLessThan(5000);
      await server.reset();
      const normal = await call(server);
      expect(Math.abs(Date.parse(String(normal.headers.date)) - Date.now())).toBeLessThan(5000);
    });
  });

  describe("action, version and body validation", () => {
    it("rejects an unknown action and a wrong version", async () => {
      await expectError(call(server, { action: "DescribeNothing" }), "InvalidAction", "DescribeNothing");
      await expectError(call(server, { version: "2017-03-12" }), "NoSuchVersion");
    });

    it("rejects non-JSON and non-object bodies", async () => {
      await expectError(call(server, { body: "{not json" }), "InvalidParameter");
      await expectError(call(server, { body: "[1,2]" }), "InvalidParameter");
    });

    it("reports a missing required member with its Tencent path", async () => {
      await expectError(call(server, { body: { PhoneNumbers: ["0086123"] } }), "MissingParameter", "`Disabled`");
      const detail = { PhoneNumber: "0086123", MaxCallCount: 1, MaxCallPSec: 1 };
      await expectError(
        call(server, { action: "ModifyOwnNumberApply", body: { SdkAppId: 1, ApplyId: 2, DetailList: [detail] } }),
        "MissingParameter",
        "The request is missing a required parameter `DetailList[0].CallType`.",
      );
    });

    it("reports an unknown member", async () => {
      await expectError(call(server, { body: { ...VALID_DISABLE, Extra: 1 } }), "UnknownParameter", "`Extra`");
      const detail = { CallType: 0, PhoneNumber: "0086123", MaxCallCount: 1, MaxCallPSec: 1, Bogus: true };
      await expectError(
        call(server, {
          action: "ModifyOwnNumberApply",
          body: { SdkAppId: 1, ApplyId: 2, DetailList: [{ ...detail, Bogus: undefined }, detail] },
        }),
        "UnknownParameter",
        "`DetailList[1].Bogus`",
      );
    });

    it("reports invalid values (enum, pattern, minItems, uniqueItems, minimum, type)", async () => {
      await expectError(
        call(server, { body: { ...VALID_DISABLE, Disabled: 2 } }),
        "InvalidParameterValue",
        "`Disabled`",
      );
      await expectError(
        call(server, { body: { ...VALID_DISABLE, PhoneNumbers: ["12345"] } }),
        "InvalidParameterValue",
        "`PhoneNumbers[0]`",
      );
      await expectError(
        call(server, { body: { ...VALID_DISABLE, PhoneNumbers: [] } }),
        "InvalidParameterValue",
        "`PhoneNumbers`",
      );
      await expectError(
        call(server, { body: { ...VALID_DISABLE, PhoneNumbers: ["0086", "0086"] } }),
        "InvalidParameterValue",
        "`PhoneNumbers`",
      );
      await expectError(
        call(server, { body: { ...VALID_DISABLE, SdkAppId: -1 } }),
        "InvalidParameterValue",
        "`SdkAppId`",
      );
      await expectError(
        call(server, { body: { ...VALID_DISABLE, Disabled: "1" } }),
        "InvalidParameterValue",
        "`Disabled`",
      );
      const detail = { CallType: 7, PhoneNumber: "0086123", MaxCallCount: 1, MaxCallPSec: 1 };
      await expectError(
        call(server, { action: "ModifyOwnNumberApply", body: { SdkAppId: 1, ApplyId: 2, DetailList: [detail] } }),
        "InvalidParameterValue",
        "`DetailList[0].CallType`",
      );
    });

    it("rejects bodies over 10 MB with RequestSizeLimitExceeded", async () => {
      const big = `{"Pad":"${"x".repeat(10 * 1024 * 1024)}"}`;
      await expectError(call(server, { body: big, agent: false, timeoutMs: 30_000 }), "RequestSizeLimitExceeded");
      const rec = first(await server.requests());
      expect(rec.outcome).toBe("RequestSizeLimitExceeded");
    });
  });

  describe("connections", () => {
    it("serves several calls over one keep-alive connection", async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await call(server, { agent });
        const second = await call(server, { agent });
        const third = await call(server, { agent, credential: { ...DEFAULT_CREDENTIAL, secretKey: "bad" } });
        const fourth = await call(server, { agent });
        expect(first.reusedSocket).toBe(false);
        expect(second.reusedSocket).toBe(true);
        expect(third.reusedSocket).toBe(true);
        expect(fourth.reusedSocket).toBe(true);
        expect(fourth.json().Response.Error).toBeUndefined();
      } finally {
        agent.destroy();
      }
    });

    it("answers unknown paths with 404 and every response carries a Date header", async () => {
      const r = await rawRequest(server.port, { method: "GET", path: "/nothing", headers: {} });
      expect(r.status).toBe(404);
      expect(r.headers.date).toBeDefined();
    });
  });

  describe("fault injection", () => {
    it("error: answers the injected Tencent error `times` times, then recovers", async () => {
      await server.inject({ type: "error", code: "RequestLimitExceeded", message: "slow down", times: 2 });
      await expectError(call(server), "RequestLimitExceeded", "slow down");
      await expectError(call(server), "RequestLimitExceeded");
      expect((await call(server)).json().Response.Error).toBeUndefined();
      expect((await server.requests()).map((r) => r.outcome)).toEqual(["fault:error", "fault:error", "ok"]);
    });

    it("error: only applies after the auth checks pass", async () => {
      await server.inject({ type: "error", code: "InternalError" });
      await expectError(
        call(server, { credential: { ...DEFAULT_CREDENTIAL, secretKey: "bad" } }),
        "AuthFailure.SignatureFailure",
      );
    });

    it("faults bound to an action only hit that action, and the queue is FIFO", async () => {
      await server.inject({ action: "CreateSDKLoginToken", type: "error", code: "FailedOperation" });
      await server.inject({ type: "http", status: 503, body: "busy" });
      await server.inject({ type: "error", code: "LimitExceeded" });
      const r1 = await call(server); // skips the CreateSDKLoginToken fault, takes the 503
      expect(r1.status).toBe(503);
      await expectError(call(server), "LimitExceeded");
      expect((await call(server)).json().Response.Error).toBeUndefined();
      await expectError(
        call(server, { action: "CreateSDKLoginToken", body: { SdkAppId: 1, SeatUserId: "a" } }),
        "FailedOperation",
      );
      expect(
        (await call(server, { action: "CreateSDKLoginToken", body: { SdkAppId: 1, SeatUserId: "a" } })).json().Response
          .Error,
      ).toBeUndefined();
    });

    it("http: answers the raw status, body and content type", async () => {
      const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
      await server.inject({ type: "http", status: 502, body: html, contentType: "text/html" });
      const r = await call(server);
      expect(r.status).toBe(502);
      expect(r.text).toBe(html);
      expect(r.headers["content-type"]).toBe("text/html");
      expect(r.headers.date).toBeDefined();
      expect(first(await server.requests()).outcome).toBe("fault:http");
    });

    it("truncated: a complete response whose JSON is cut short", async () => {
      await server.inject({ type: "truncated" });
      const r = await call(server);
      expect(r.status).toBe(200);
      expect(Number(r.headers["content-length"])).toBe(Buffer.byteLength(r.text));
      expect(r.text.startsWith('{"Response":')).toBe(true);
      expect(() => JSON.parse(r.text)).toThrow();
      expect((await call(server)).json().Response.Error).toBeUndefined();
    });

    it("cut: the connection drops mid-body", async () => {
      await server.inject({ type: "cut" });
      await expect(call(server, { agent: false })).rejects.toThrow();
      expect(first(await server.requests()).outcome).toBe("fault:cut");
      expect((await call(server)).json().Response.Error).toBeUndefined();
    });

    it("delay: answers normally after the delay", async () => {
      await server.inject({ type: "delay", ms: 400 });
      const t0 = Date.now();
      const r = await call(server);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
      expect(r.json().Response.Error).toBeUndefined();
      const rec = first(await server.requests());
      expect(rec.outcome).toBe("ok");
      expect(rec.fault).toBe("delay");
    });

    it("delay: notices a client that gave up and stops waiting", async () => {
      await server.inject({ type: "delay", ms: 20_000 });
      await expect(call(server, { agent: false, timeoutMs: 150 })).rejects.toThrow("client timeout");
      const rec = await waitFor(async () => (await server.requests()).find((r) => r.outcome === "fault:delay"), 3000);
      expect(rec.body).toBe(JSON.stringify(VALID_DISABLE));
    });

    it("reset: the socket is destroyed before the body is read", async () => {
      await server.inject({ type: "reset" });
      await expect(call(server, { agent: false })).rejects.toThrow();
      const rec = first(await server.requests());
      expect(rec.outcome).toBe("fault:reset");
      expect(rec.body).toBe("");
      expect((await call(server)).json().Response.Error).toBeUndefined();
    });

    it("reset-after-read: the body is recorded, then the socket is destroyed", async () => {
      await server.inject({ type: "reset-after-read" });
      await expect(call(server, { agent: false })).rejects.toThrow();
      const rec = first(await server.requests());
      expect(rec.outcome).toBe("fault:reset-after-read");
      expect(rec.body).toBe(JSON.stringify(VALID_DISABLE));
    });

    it("rejects malformed faults", async () => {
      await expect(server.inject({ type: "explode" } as never)).rejects.toThrow(/HTTP 400/);
      await expect(server.inject({ type: "error" } as never)).rejects.toThrow(/code/);
      await expect(server.inject({ type: "http", status: 42, body: "" })).rejects.toThrow(/status/);
      await expect(server.inject({ type: "error", code: "X", times: 0 })).rejects.toThrow(/times/);
    });

    it("reset() clears queued faults", async () => {
      await server.inject({ type: "error", code: "InternalError", times: 5 });
      await server.reset();
      expect((await call(server)).json().Response.Error).toBeUndefined();
    });
  });

  describe("recording", () => {
    it("records every call with headers, raw body, auth parts and outcome; tokens redacted", async () => {
      const before = Date.now();
      const rawBody = '{"Disabled": 1, "PhoneNumbers": ["008612345678901"]}';
      await call(server, { credential: TOKEN_CREDENTIAL, body: rawBody });
      await call(server, {
        credential: { ...DEFAULT_CREDENTIAL, secretKey: "bad" },
        signedHeaders: ["content-type", "host"],
      });
      await call(server, { action: "Nope" });
      const recs = await server.requests();
      expect(recs).toHaveLength(3);
      const [r0, r1, r2] = recs as [RecordedRequest, RecordedRequest, RecordedRequest];
      expect(r0.seq).toBeLessThan(r1.seq);
      expect(r1.seq).toBeLessThan(r2.seq);
      expect(r0).toMatchObject({
        action: "DisableCCCPhoneNumber",
        body: rawBody,
        secretId: TOKEN_CREDENTIAL.secretId,
        signedHeaders: ["content-type", "host", "x-tc-action"],
        outcome: "ok",
      });
      expect(r0.headers["x-tc-token"]).toBe("***");
      expect(JSON.stringify(recs)).not.toContain(TOKEN_CREDENTIAL.token);
      expect(r0.headers["x-tc-region"]).toBe("ap-guangzhou");
      expect(r0.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDTOKENUSER/);
      expect(Object.keys(r0.headers).every((k) => k === k.toLowerCase())).toBe(true);
      expect(r0.receivedAt).toBeGreaterThanOrEqual(before);
      expect(r0.receivedAt).toBeLessThanOrEqual(Date.now());
      expect(r0.canonicalRequest).toContain("x-tc-action:disablecccphonenumber\n");
      expect(r1).toMatchObject({
        secretId: DEFAULT_CREDENTIAL.secretId,
        signedHeaders: ["content-type", "host"],
        outcome: "AuthFailure.SignatureFailure",
      });
      expect(r2).toMatchObject({ action: "Nope", outcome: "InvalidAction" });
      await server.reset();
      expect(await server.requests()).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------
// Process lifecycle and CLI

function runCli(
  args: string[],
  opts: { signalAfterListen?: NodeJS.Signals; closeStdinAfterListen?: boolean; timeoutMs?: number } = {},
) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [SERVER_SCRIPT, ...args], { stdio: ["pipe", "pipe", "pipe"] });
      child.stdin.on("error", () => {});
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`CLI did not finish in time; stderr: ${stderr}`));
      }, opts.timeoutMs ?? 10_000);
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        stdout += d;
        if (!stdout.includes("\n")) return;
        if (opts.signalAfterListen) child.kill(opts.signalAfterListen);
        if (opts.closeStdinAfterListen) child.stdin.end();
      });
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    },
  );
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
    s.on("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

describe("process lifecycle and CLI", () => {
  it("close() terminates the process promptly even with open and pending connections", async () => {
    const server = await startTestServer({ openapiPath: FIXTURE });
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect((await call(server, { agent })).json().Response.Error).toBeUndefined(); // leaves an idle keep-alive socket
      await server.inject({ type: "delay", ms: 20_000 });
      const pending = call(server, { agent: false, timeoutMs: 20_000 }).then(
        () => "answered",
        () => "failed",
      );
      await new Promise((r) => setTimeout(r, 300)); // let the delayed call reach the server
      const t0 = Date.now();
      await server.close();
      // Well under the server's own 2 s forced-exit fallback: sockets were destroyed.
      expect(Date.now() - t0).toBeLessThan(1500);
      expect(await pending).toBe("failed");
      expect(() => process.kill(server.pid, 0)).toThrow();
      expect(await canConnect(server.port)).toBe(false);
      await server.close(); // idempotent
    } finally {
      agent.destroy();
      await server.close(); // also on assertion failure: never leave the process behind
    }
  });

  it("the server exits by itself when its stdin pipe closes (--exit-on-stdin-close)", async () => {
    const r = await runCli(["--openapi", FIXTURE, "--exit-on-stdin-close"], { closeStdinAfterListen: true });
    expect(r.code).toBe(0);
    expect(r.signal).toBeNull();
  });

  it("startTestServer rejects with the server's stderr when the document is missing", async () => {
    await expect(startTestServer({ openapiPath: "/nonexistent/openapi.json" })).rejects.toThrow(
      /cannot read OpenAPI document/,
    );
  });

  it("prints exactly one listening line and exits 0 on SIGINT and SIGTERM", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const r = await runCli(["--openapi", FIXTURE, "--port", "0"], { signalAfterListen: signal });
      expect(r.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
      expect(r.code, signal).toBe(0);
    }
  });

  it("refuses non-loopback hosts and malformed options", async () => {
    const host = await runCli(["--openapi", FIXTURE, "--host", "0.0.0.0"]);
    expect(host.code).toBe(2);
    expect(host.stderr).toContain("non-loopback");
    expect(host.stdout).toBe("");
    const cred = await runCli(["--openapi", FIXTURE, "--credential", "ID:KEY:TOKEN:EXTRA"]);
    expect(cred.code).toBe(2);
    expect(cred.stderr).toContain("--credential");
    const unknown = await runCli(["--openapi", FIXTURE, "--bogus"]);
    expect(unknown.code).toBe(2);
  });
});

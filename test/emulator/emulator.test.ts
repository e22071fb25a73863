// The CCC emulator as the project's tests use it: its CLI spawned by the vitest harness (test/server/harness.ts),
// driven through the HTTP admin API, with raw requests signed by a test-local signer. Signature checks (every
// AuthFailure code), action, version and body checks (with Tencent field paths), answers, faults, recording,
// redaction, connections, and the process's lifecycle and command line. Only 127.0.0.1 is contacted.

import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../generated/catalog.js";
import {
  DEFAULT_CREDENTIAL,
  startTestServer,
  type Credential,
  type RecordedRequest,
  type TestServer,
} from "../server/harness.js";
import { built } from "../support/built.js";
import { runNode } from "../support/run.js";
import {
  call as signedCall,
  callLikeTencentNodeSdk,
  canConnect,
  expectError,
  expectOk,
  first,
  rawRequest,
  UUID_RE,
  VALID_DISABLE,
  waitFor,
  type CallOptions,
} from "./support.js";
import { REPO } from "../support/paths.js";

const TOKEN_CREDENTIAL: Credential = {
  secretId: "AKIDTOKENUSER000000000000000000000000",
  secretKey: "token-user-secret-key-abcdefghijkl",
  token: "session-token-xyz",
};
const DETAIL = { CallType: 0, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 };
const VALID_MODIFY = { SdkAppId: 1400000000, ApplyId: 2, DetailList: [DETAIL] };

describe("the emulator behind the harness", () => {
  let server: TestServer;
  const call = (o: Partial<CallOptions> = {}) => signedCall(server.port, { credential: DEFAULT_CREDENTIAL, ...o });

  beforeAll(async () => {
    server = await startTestServer({ credentials: [DEFAULT_CREDENTIAL, TOKEN_CREDENTIAL] });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await server.reset();
  });

  describe("answers", () => {
    it("answers a correctly signed call with the example and a fresh RequestId each time", async () => {
      const r = await call();
      expect(r.status).toBe(200);
      expect(r.headers["content-type"]).toMatch(/^application\/json/);
      const json = r.json();
      expect(Object.keys(json)).toEqual(["Response"]);
      expect(json.Response.Error).toBeUndefined();
      expect(json.Response.RequestId).toMatch(UUID_RE);
      expect(json.Response.RequestId).not.toBe(catalog.actions.DisableCCCPhoneNumber!.example!.response.RequestId);
      const again = (await call()).json();
      expect(again.Response.RequestId).not.toBe(json.Response.RequestId);
      expect((await server.requests()).map((r) => r.requestId)).toEqual([
        json.Response.RequestId,
        again.Response.RequestId,
      ]);
    });

    it("answers the example's other members, and only RequestId for an action without an example", async () => {
      const token = await expectOk(
        call({ action: "CreateSDKLoginToken", body: { SdkAppId: 1, SeatUserId: "agent@example.com" } }),
      );
      const example = catalog.actions.CreateSDKLoginToken!.example!.response;
      expect(Object.keys(example).length).toBeGreaterThan(1);
      expect(token).toEqual({ ...example, RequestId: token.RequestId });

      expect(catalog.actions.ControlAIConversation!.example).toBeUndefined();
      const plain = await expectOk(
        call({ action: "ControlAIConversation", body: { SdkAppId: 1400000000, SessionId: "s-1" } }),
      );
      expect(Object.keys(plain)).toEqual(["RequestId"]);
    });

    it("answers a Date header from its clock, moved by the clock offset", async () => {
      const offset = -2 * 3600 * 1000;
      await server.setClockOffset(offset);
      const shifted = await call({ timestamp: Math.floor((Date.now() + offset) / 1000) });
      expect(shifted.json().Response.Error).toBeUndefined();
      expect(Math.abs(Date.parse(String(shifted.headers.date)) - (Date.now() + offset))).toBeLessThan(5000);
      await server.reset();
      const normal = await call();
      expect(Math.abs(Date.parse(String(normal.headers.date)) - Date.now())).toBeLessThan(5000);
    });
  });

  describe("signature verification", () => {
    it("accepts content-type;host;x-tc-action, content-type;host, and any sorted superset", async () => {
      await expectOk(call({ contentType: "application/json" }));
      await expectOk(call({ signedHeaders: ["content-type", "host"] }));
      await expectOk(
        call({ signedHeaders: ["content-type", "host", "x-tc-action", "x-tc-timestamp", "x-tc-version"] }),
      );
      expect((await server.requests()).map((r) => r.signedHeaders)).toEqual([
        ["content-type", "host", "x-tc-action"],
        ["content-type", "host"],
        ["content-type", "host", "x-tc-action", "x-tc-timestamp", "x-tc-version"],
      ]);
    });

    it("accepts a request signed exactly as tencentcloud-sdk-nodejs signs one (content-type;host, host without port)", async () => {
      const data = { SdkAppId: 1400000000, PhoneNumbers: ["008602112345678"], Disabled: 0 };
      await expectOk(
        callLikeTencentNodeSdk(server.port, { credential: DEFAULT_CREDENTIAL, action: "DisableCCCPhoneNumber", data }),
      );
      await expectOk(
        callLikeTencentNodeSdk(server.port, {
          credential: DEFAULT_CREDENTIAL,
          action: "DisableCCCPhoneNumber",
          data,
          signHostWithPort: true,
        }),
      );
      const [portless, withPort] = (await server.requests()) as [RecordedRequest, RecordedRequest];
      expect(portless).toMatchObject({
        outcome: "ok",
        signedHeaders: ["content-type", "host"],
        body: JSON.stringify(data),
      });
      expect(portless.headers).toMatchObject({
        "content-type": "application/json",
        host: `127.0.0.1:${server.port}`,
        "x-tc-action": "DisableCCCPhoneNumber",
        "x-tc-region": "ap-guangzhou",
        "x-tc-version": "2020-02-10",
      });
      expect(portless.canonicalRequest).toContain("\nhost:127.0.0.1\n");
      expect(withPort.canonicalRequest).toContain(`\nhost:127.0.0.1:${server.port}\n`);
      // A wrong key is still refused in that shape.
      await expectError(
        callLikeTencentNodeSdk(server.port, {
          credential: { ...DEFAULT_CREDENTIAL, secretKey: "wrong" },
          action: "DisableCCCPhoneNumber",
          data,
        }),
        "AuthFailure.SignatureFailure",
      );
    });

    it("AuthFailure.SignatureFailure: a wrong key, a tampered body, a changed signed header, another service, a wrong date", async () => {
      await expectError(
        call({ credential: { ...DEFAULT_CREDENTIAL, secretKey: "wrong-key" } }),
        "AuthFailure.SignatureFailure",
      );
      await expectError(
        call({ sentBody: JSON.stringify({ ...VALID_DISABLE, Disabled: 0 }) }),
        "AuthFailure.SignatureFailure",
      );
      const forged = { "x-tc-action": "CreateSDKLoginToken" };
      await expectError(call({ afterSigning: forged }), "AuthFailure.SignatureFailure");
      // An unsigned header is not covered: the same change then reaches validation.
      await expectError(
        call({ afterSigning: forged, signedHeaders: ["content-type", "host"] }),
        "MissingParameter",
        "`SeatUserId`",
      );
      await expectError(call({ afterSigning: { host: "ccc.tencentcloudapi.com" } }), "AuthFailure.SignatureFailure");
      await expectError(call({ service: "cvm" }), "AuthFailure.SignatureFailure", "cvm");
      await expectError(call({ date: "2019-02-25" }), "AuthFailure.SignatureFailure", "2019-02-25");
    });

    it("AuthFailure.SecretIdNotFound: an unknown SecretId", async () => {
      await expectError(
        call({ credential: { secretId: "AKIDUNKNOWN", secretKey: "x" } }),
        "AuthFailure.SecretIdNotFound",
      );
    });

    it("AuthFailure.SignatureExpire: more than 5 minutes off either way, and under the clock offset", async () => {
      const nowS = Math.floor(Date.now() / 1000);
      await expectError(call({ timestamp: nowS - 3600 }), "AuthFailure.SignatureExpire");
      await expectError(call({ timestamp: nowS + 3600 }), "AuthFailure.SignatureExpire");
      await expectError(call({ timestamp: nowS - 330 }), "AuthFailure.SignatureExpire");
      await expectOk(call({ timestamp: nowS - 200 }));
      await server.setClockOffset(-2 * 3600 * 1000);
      await expectError(call(), "AuthFailure.SignatureExpire", "allowed skew 300 s");
    });

    it("AuthFailure.TokenFailure: a missing, wrong or unexpected X-TC-Token", async () => {
      await expectOk(call({ credential: TOKEN_CREDENTIAL }));
      await expectError(call({ credential: TOKEN_CREDENTIAL, token: null }), "AuthFailure.TokenFailure");
      await expectError(call({ credential: TOKEN_CREDENTIAL, token: "other-token" }), "AuthFailure.TokenFailure");
      await expectError(call({ token: "unexpected" }), "AuthFailure.TokenFailure");
    });

    it("AuthFailure.InvalidAuthorization: missing or malformed Authorization, unsorted or incomplete SignedHeaders", async () => {
      await expectError(call({ omit: ["authorization"] }), "AuthFailure.InvalidAuthorization", "Authorization");
      await expectError(call({ authorization: "Bearer abc" }), "AuthFailure.InvalidAuthorization");
      await expectError(
        call({ signedHeaders: ["host", "content-type"] }),
        "AuthFailure.InvalidAuthorization",
        "sorted",
      );
      await expectError(
        call({ signedHeaders: ["content-type", "x-tc-action"] }),
        "AuthFailure.InvalidAuthorization",
        "`host`",
      );
      await expectError(call({ signedHeaders: ["host"] }), "AuthFailure.InvalidAuthorization", "`content-type`");
      await expectError(
        call({ signedHeaders: ["content-type", "host", "x-tc-language"] }),
        "AuthFailure.InvalidAuthorization",
        "x-tc-language",
      );
    });

    it("requires the X-TC headers and a JSON content type", async () => {
      await expectError(call({ omit: ["x-tc-version"] }), "MissingParameter", "X-TC-Version");
      await expectError(call({ omit: ["x-tc-timestamp"] }), "MissingParameter", "X-TC-Timestamp");
      await expectError(
        call({ omit: ["x-tc-action"], signedHeaders: ["content-type", "host"] }),
        "MissingParameter",
        "X-TC-Action",
      );
      await expectError(call({ contentType: "text/plain" }), "InvalidParameter", "Content-Type");
      await expectError(call({ afterSigning: { "x-tc-timestamp": "soon" } }), "InvalidParameter", "X-TC-Timestamp");
    });
  });

  describe("action, version and body", () => {
    it("InvalidAction for an unknown action, NoSuchVersion for another version", async () => {
      await expectError(call({ action: "DescribeNothing" }), "InvalidAction", "DescribeNothing");
      await expectError(call({ version: "2017-03-12" }), "NoSuchVersion", "2017-03-12");
    });

    it("InvalidParameter for a body that is not JSON or not an object", async () => {
      await expectError(call({ body: "{not json" }), "InvalidParameter", "JSON");
      await expectError(call({ body: "[1,2]" }), "InvalidParameter", "object");
      await expectError(call({ body: "null" }), "InvalidParameter", "object");
    });

    it("MissingParameter names the missing member's path", async () => {
      await expectError(call({ body: { PhoneNumbers: ["0086123"] } }), "MissingParameter", "`Disabled`");
      const { CallType: _, ...noCallType } = DETAIL;
      await expectError(
        call({ action: "ModifyOwnNumberApply", body: { ...VALID_MODIFY, DetailList: [DETAIL, noCallType] } }),
        "MissingParameter",
        "The request is missing a required parameter `DetailList[1].CallType`.",
      );
    });

    it("UnknownParameter names the unknown member's path", async () => {
      await expectError(call({ body: { ...VALID_DISABLE, Extra: 1 } }), "UnknownParameter", "`Extra`");
      await expectError(
        call({
          action: "ModifyOwnNumberApply",
          body: { ...VALID_MODIFY, DetailList: [DETAIL, { ...DETAIL, Bogus: true }] },
        }),
        "UnknownParameter",
        "The parameter `DetailList[1].Bogus` is not recognized.",
      );
    });

    it("InvalidParameterValue names the path and the rule (enum, pattern, minItems, uniqueItems, minimum, type)", async () => {
      const cases: [Partial<CallOptions>, string][] = [
        [{ body: { ...VALID_DISABLE, Disabled: 2 } }, "`Disabled` is invalid: Disabled must be one of 0, 1"],
        [{ body: { ...VALID_DISABLE, PhoneNumbers: ["12345"] } }, "`PhoneNumbers[0]` is invalid"],
        [{ body: { ...VALID_DISABLE, PhoneNumbers: [] } }, "`PhoneNumbers` is invalid"],
        [{ body: { ...VALID_DISABLE, PhoneNumbers: ["0086", "0086"] } }, "`PhoneNumbers[1]` is invalid"],
        [{ body: { ...VALID_DISABLE, SdkAppId: -1 } }, "The value `-1` specified in parameter `SdkAppId` is invalid"],
        [{ body: { ...VALID_DISABLE, Disabled: "1" } }, 'The value `"1"` specified in parameter `Disabled`'],
        [
          { action: "ModifyOwnNumberApply", body: { ...VALID_MODIFY, DetailList: [{ ...DETAIL, CallType: 7 }] } },
          "The value `7` specified in parameter `DetailList[0].CallType` is invalid",
        ],
      ];
      for (const [o, message] of cases) await expectError(call(o), "InvalidParameterValue", message);
    });

    it("reports a missing member before an unknown one, and an unknown one before a bad value", async () => {
      await expectError(call({ body: { Disabled: 5, Extra: 1 } }), "MissingParameter", "`PhoneNumbers`");
      await expectError(call({ body: { ...VALID_DISABLE, Disabled: 5, Extra: 1 } }), "UnknownParameter", "`Extra`");
    });

    it("answers RequestSizeLimitExceeded for a body over 10 MB", async () => {
      const big = `{"Pad":"${"x".repeat(10 * 1024 * 1024)}"}`;
      await expectError(call({ body: big, timeoutMs: 30_000 }), "RequestSizeLimitExceeded");
      expect(first(await server.requests()).outcome).toBe("RequestSizeLimitExceeded");
    });
  });

  describe("connections and other paths", () => {
    it("serves several calls over one keep-alive connection, errors included", async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const one = await call({ agent });
        const two = await call({ agent });
        const three = await call({ agent, credential: { ...DEFAULT_CREDENTIAL, secretKey: "bad" } });
        const four = await call({ agent });
        expect([one, two, three, four].map((r) => r.reusedSocket)).toEqual([false, true, true, true]);
        expect(four.json().Response.Error).toBeUndefined();
      } finally {
        agent.destroy();
      }
    });

    it("answers 404 for other paths and 405 for other methods on /, each with a Date header", async () => {
      const other = await rawRequest(server.port, { method: "GET", path: "/nothing", headers: {} });
      expect(other.status).toBe(404);
      expect(other.headers.date).toBeDefined();
      const get = await rawRequest(server.port, { method: "GET", path: "/", headers: {} });
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe("POST");
      expect(get.headers.date).toBeDefined();
      const admin = await rawRequest(server.port, { method: "GET", path: "/__admin/nothing", headers: {} });
      expect(admin.status).toBe(404);
      expect(await server.requests()).toEqual([]);
    });
  });

  describe("faults", () => {
    it("error: answers the scripted code `times` times, then recovers", async () => {
      await server.inject({ type: "error", code: "RequestLimitExceeded", message: "slow down", times: 2 });
      expect(await server.faults()).toEqual([
        { type: "error", code: "RequestLimitExceeded", message: "slow down", times: 2 },
      ]);
      await expectError(call(), "RequestLimitExceeded", "slow down");
      expect((await server.faults())[0]?.times).toBe(1);
      await expectError(call(), "RequestLimitExceeded");
      await expectOk(call());
      expect(await server.faults()).toEqual([]);
      expect((await server.requests()).map((r) => [r.outcome, r.fault])).toEqual([
        ["fault:error", "error"],
        ["fault:error", "error"],
        ["ok", undefined],
      ]);
    });

    it("error: a documented code of the action, with its default message", async () => {
      await server.inject({
        type: "error",
        action: "DisableCCCPhoneNumber",
        code: "FailedOperation.CurStateNotAllowModify",
      });
      await expectError(call(), "FailedOperation.CurStateNotAllowModify", "FailedOperation.CurStateNotAllowModify");
    });

    it("error: only once the signature checks pass (the use is still consumed)", async () => {
      await server.inject({ type: "error", code: "InternalError" });
      await expectError(
        call({ credential: { ...DEFAULT_CREDENTIAL, secretKey: "bad" } }),
        "AuthFailure.SignatureFailure",
      );
      await expectOk(call());
      expect(first(await server.requests()).fault).toBe("error");
    });

    it("faults bound to an action only hit that action, and the queue is FIFO", async () => {
      await server.inject({ action: "CreateSDKLoginToken", type: "error", code: "FailedOperation" });
      await server.inject({ type: "http", status: 503, body: "busy" });
      await server.inject({ type: "error", code: "LimitExceeded" });
      expect((await call()).status).toBe(503); // skips the CreateSDKLoginToken fault, takes the 503
      await expectError(call(), "LimitExceeded");
      await expectOk(call());
      const login = { action: "CreateSDKLoginToken", body: { SdkAppId: 1, SeatUserId: "a" } };
      await expectError(call(login), "FailedOperation");
      await expectOk(call(login));
    });

    it("http: answers the raw status, body and content type", async () => {
      const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
      await server.inject({ type: "http", status: 502, body: html, contentType: "text/html" });
      const r = await call();
      expect(r.status).toBe(502);
      expect(r.text).toBe(html);
      expect(r.headers["content-type"]).toBe("text/html");
      expect(r.headers.date).toBeDefined();
      expect(first(await server.requests()).outcome).toBe("fault:http");
    });

    it("truncated: a complete answer whose JSON is cut short", async () => {
      await server.inject({ type: "truncated" });
      const r = await call();
      expect(r.status).toBe(200);
      expect(Number(r.headers["content-length"])).toBe(Buffer.byteLength(r.text));
      expect(r.text.startsWith('{"Response":')).toBe(true);
      expect(() => JSON.parse(r.text)).toThrow();
      expect(first(await server.requests()).outcome).toBe("fault:truncated");
      await expectOk(call());
    });

    it("cut: the connection drops mid-body", async () => {
      await server.inject({ type: "cut" });
      await expect(call()).rejects.toThrow();
      expect(first(await server.requests()).outcome).toBe("fault:cut");
      await expectOk(call());
    });

    it("delay: answers normally after the delay", async () => {
      await server.inject({ type: "delay", ms: 400 });
      const t0 = Date.now();
      const r = await call();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
      expect(r.json().Response.Error).toBeUndefined();
      expect(first(await server.requests())).toMatchObject({ outcome: "ok", fault: "delay" });
    });

    it("delay: notices a client that gave up and stops waiting", async () => {
      await server.inject({ type: "delay", ms: 20_000 });
      await expect(call({ timeoutMs: 150 })).rejects.toThrow("client timeout");
      const rec = await waitFor(async () => (await server.requests()).find((r) => r.outcome === "fault:delay"), 3000);
      expect(rec.body).toBe(JSON.stringify(VALID_DISABLE));
    });

    it("reset: the connection is destroyed before the body is read", async () => {
      await server.inject({ type: "reset" });
      await expect(call()).rejects.toThrow();
      expect(first(await server.requests())).toMatchObject({ outcome: "fault:reset", body: "" });
      await expectOk(call());
    });

    it("reset-after-read: the body is recorded, then the connection is destroyed", async () => {
      await server.inject({ type: "reset-after-read" });
      await expect(call()).rejects.toThrow();
      expect(first(await server.requests())).toMatchObject({
        outcome: "fault:reset-after-read",
        body: JSON.stringify(VALID_DISABLE),
      });
    });

    it("refuses malformed faults with HTTP 400 and the reason", async () => {
      await expect(server.inject({ type: "explode" } as never)).rejects.toThrow(/HTTP 400.*fault\.type/);
      await expect(server.inject({ type: "error" } as never)).rejects.toThrow(/code/);
      await expect(server.inject({ type: "http", status: 42, body: "" })).rejects.toThrow(/status/);
      await expect(server.inject({ type: "error", code: "X", times: 0 })).rejects.toThrow(/times/);
      await expect(server.inject({ type: "delay", ms: -1 })).rejects.toThrow(/ms/);
      await expect(server.inject({ type: "reset", action: "DisableCCCPhoneNumbr" })).rejects.toThrow(
        /DisableCCCPhoneNumbr.*is not an action/,
      );
      expect(await server.faults()).toEqual([]);
    });

    it("reset() clears queued faults", async () => {
      await server.inject({ type: "error", code: "InternalError", times: 5 });
      await server.reset();
      expect(await server.faults()).toEqual([]);
      await expectOk(call());
    });
  });

  describe("recording", () => {
    it("records every call with headers, raw body, auth parts and outcome", async () => {
      const before = Date.now();
      const rawBody = '{"Disabled": 1, "PhoneNumbers": ["008612345678901"]}';
      await call({ credential: TOKEN_CREDENTIAL, body: rawBody });
      await call({ credential: { ...DEFAULT_CREDENTIAL, secretKey: "bad" }, signedHeaders: ["content-type", "host"] });
      await call({ action: "Nope" });
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
      expect(r0.headers["x-tc-region"]).toBe("ap-guangzhou");
      expect(Object.keys(r0.headers).every((k) => k === k.toLowerCase())).toBe(true);
      expect(r0.receivedAt).toBeGreaterThanOrEqual(before);
      expect(r0.receivedAt).toBeLessThanOrEqual(Date.now());
      expect(r0.canonicalRequest).toContain("x-tc-action:disablecccphonenumber\n");
      expect(r0.requestId).toMatch(UUID_RE);
      expect(r1).toMatchObject({
        secretId: DEFAULT_CREDENTIAL.secretId,
        signedHeaders: ["content-type", "host"],
        outcome: "AuthFailure.SignatureFailure",
      });
      expect(r2).toMatchObject({ action: "Nope", outcome: "InvalidAction" });
      await server.reset();
      expect(await server.requests()).toEqual([]);
    });

    it("lists calls in arrival order, also when an earlier (delayed) call ends last", async () => {
      await server.inject({ type: "delay", ms: 500 });
      const slow = call();
      await waitFor(async () => ((await server.faults()).length === 0 ? true : undefined), 3000);
      await expectOk(call({ action: "CreateSDKLoginToken", body: { SdkAppId: 1, SeatUserId: "a" } }));
      await expectOk(slow);
      const recs = await server.requests();
      expect(recs.map((r) => r.action)).toEqual(["DisableCCCPhoneNumber", "CreateSDKLoginToken"]);
      expect(recs[0]!.seq).toBeLessThan(recs[1]!.seq);
    });

    it("redacts the session token and the signature; the rest of Authorization stays", async () => {
      const r = await call({ credential: TOKEN_CREDENTIAL });
      await call({ authorization: "Bearer secret-bearer-value" });
      const sent = String(r.json().Response.RequestId);
      const [ok, bearer] = (await server.requests()) as [RecordedRequest, RecordedRequest];
      expect(ok.requestId).toBe(sent);
      expect(ok.headers["x-tc-token"]).toBe("***");
      expect(ok.headers.authorization).toMatch(
        /^TC3-HMAC-SHA256 Credential=AKIDTOKENUSER0+\/\d{4}-\d{2}-\d{2}\/ccc\/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=\*\*\*$/,
      );
      expect(bearer.headers.authorization).toBe("***");
      const text = JSON.stringify(await server.requests());
      expect(text).not.toContain(TOKEN_CREDENTIAL.token);
      expect(text).not.toContain(TOKEN_CREDENTIAL.secretKey);
      expect(text).not.toContain("secret-bearer-value");
      expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
    });
  });
});

// ---------------------------------------------------------------------------
// The process: harness lifecycle and the command line

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The emulator's command line to its end; after its first line, optionally a signal or the end of stdin. */
async function runCli(
  args: string[],
  opts: { signalAfterListen?: NodeJS.Signals; closeStdinAfterListen?: boolean; timeoutMs?: number } = {},
): Promise<CliRun> {
  let listened = false;
  const r = await runNode([built("emulator/main"), ...args], {
    timeoutMs: opts.timeoutMs ?? 15_000,
    keepStdinOpen: true,
    onStdout: (stdout, child) => {
      if (listened || !stdout.includes("\n")) return;
      listened = true;
      if (opts.signalAfterListen) child.kill(opts.signalAfterListen);
      if (opts.closeStdinAfterListen) child.stdin!.end();
    },
  });
  if (r.timedOut) throw new Error(`ccc-emulator did not finish in time; stdout: ${r.stdout}; stderr: ${r.stderr}`);
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe("the emulator process", () => {
  it("close() terminates the process promptly even with open and pending connections", async () => {
    const server = await startTestServer();
    const agent = new http.Agent({ keepAlive: true });
    try {
      const call = (o: Partial<CallOptions> = {}) => signedCall(server.port, { credential: DEFAULT_CREDENTIAL, ...o });
      await expectOk(call({ agent })); // leaves an idle keep-alive socket
      await server.inject({ type: "delay", ms: 20_000 });
      const pending = call({ timeoutMs: 20_000 }).then(
        () => "answered",
        () => "failed",
      );
      await waitFor(async () => ((await server.faults()).length === 0 ? true : undefined), 3000); // the call took it
      const t0 = Date.now();
      await server.close();
      // Well under the CLI's own 2 s forced-exit fallback: the connections were destroyed.
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

  it("exits by itself when its stdin pipe closes (--exit-on-stdin-close)", async () => {
    const r = await runCli(["--exit-on-stdin-close", "--credential", "ID:KEY"], { closeStdinAfterListen: true });
    expect(r.code).toBe(0);
    expect(r.signal).toBeNull();
  });

  it("prints exactly one listening line and exits 0 on SIGINT and SIGTERM", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const r = await runCli(["--port", "0", "--credential", "ID:KEY"], { signalAfterListen: signal });
      expect(r.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
      expect(r.stderr).toBe("");
      expect(r.code, signal).toBe(0);
    }
  });

  it("with no --credential, accepts the documented demo credential and says so on stderr", async () => {
    const child = spawn(process.execPath, [built("emulator/main"), "--exit-on-stdin-close"], {
      cwd: REPO,
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.on("error", () => {});
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const port = await waitFor(() => {
        const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)\n$/.exec(stdout);
        return m ? Number(m[1]) : undefined;
      }, 15_000);
      const demo = { secretId: "AKIDEMULATOR000000000000000000000000", secretKey: "emulator-secret-key" };
      await expectOk(signedCall(port, { credential: demo }));
      await expectError(signedCall(port, { credential: DEFAULT_CREDENTIAL }), "AuthFailure.SecretIdNotFound");
      expect(stderr).toContain(`${demo.secretId} / ${demo.secretKey}`);
    } finally {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      expect(await exited).toBe(0);
      clearTimeout(timer);
    }
  });

  it("--help prints the usage and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(
      /^usage: ccc-emulator \[--port N\] \[--host 127\.0\.0\.1\] \[--credential ID:KEY\[:TOKEN\]\]\.\.\./,
    );
    for (const option of [
      "--port",
      "--host",
      "--credential",
      "--max-skew-seconds",
      "--exit-on-stdin-close",
      "/__admin/faults",
    ])
      expect(r.stdout).toContain(option);
    expect(r.stdout).toContain("AKIDEMULATOR000000000000000000000000:emulator-secret-key");
    expect(r.stdout).not.toContain("--generated");
    expect((await runCli(["-h"])).stdout).toBe(r.stdout);
  });

  it("refuses malformed options with exit code 2 and the usage", async () => {
    const malformed = [
      ["--credential", "ID:KEY:TOKEN:EXTRA"],
      ["--credential", "ID:"],
      ["--port", "70000"],
      ["--port"],
      ["--max-skew-seconds", "-1"],
      ["--exit-on-stdin-close=yes"],
      ["--bogus"],
    ];
    // All at once: each exits as soon as it has read its arguments.
    const runs = await Promise.all(malformed.map((args) => runCli(args)));
    for (const [i, r] of runs.entries()) {
      const args = malformed[i]!.join(" ");
      expect(r.code, args).toBe(2);
      expect(r.stdout, args).toBe("");
      expect(r.stderr, args).toContain("usage: ccc-emulator");
    }
    expect(runs[0]!.stderr).toContain("--credential");
  });

  it("warns before listening on a non-loopback address (one that cannot be bound here: exit 1)", async () => {
    const r = await runCli(["--host", "192.0.2.1", "--credential", "ID:KEY"]);
    expect(r.stderr).toContain("warning: 192.0.2.1 is not a loopback address");
    expect(r.stderr).toContain("cannot listen on 192.0.2.1");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
  });

  it("--max-skew-seconds changes the allowed clock difference", async () => {
    const server = await startTestServer({ maxSkewSeconds: 10 });
    try {
      const nowS = Math.floor(Date.now() / 1000);
      await expectError(
        signedCall(server.port, { credential: DEFAULT_CREDENTIAL, timestamp: nowS - 60 }),
        "AuthFailure.SignatureExpire",
        "allowed skew 10 s",
      );
      await expectOk(signedCall(server.port, { credential: DEFAULT_CREDENTIAL, timestamp: nowS - 5 }));
    } finally {
      await server.close();
    }
  });

  it("the harness serves another generated folder (generatedDir, or openapiPath's folder), and rejects with stderr when there is none", async () => {
    const server = await startTestServer({ openapiPath: path.join(REPO, "generated", "openapi.json") });
    try {
      await expectOk(signedCall(server.port, { credential: DEFAULT_CREDENTIAL }));
    } finally {
      await server.close();
    }
    await expect(startTestServer({ openapiPath: "/nonexistent/openapi.json" })).rejects.toThrow(
      /cannot load the generated code in \/nonexistent/,
    );
    await expect(startTestServer({ generatedDir: path.join(REPO, "src") })).rejects.toThrow(
      /cannot load the generated code/,
    );
  });
});

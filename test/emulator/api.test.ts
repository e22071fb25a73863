// The emulator as an app uses it: `startEmulator()` in-process with the SDK pointed at it, the in-process admin
// helpers next to the HTTP admin API, option checks, and a script that starts and closes one and then exits on
// its own. Only 127.0.0.1 is contacted.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CccClient, CccError, CccValidationError, isCccError } from "../../src/index.js";
import { DEMO_CREDENTIAL, startEmulator, type Emulator, type RecordedRequest } from "../../src/emulator/index.js";
import { built } from "../support/built.js";
import { runScript } from "../support/script.js";
import { call, canConnect, expectError, expectOk, UUID_RE, VALID_DISABLE, type Credential } from "./support.js";

const APP: Credential = { secretId: "AKIDAPPTESTS0000000000000000000000000", secretKey: "app-tests-secret-key" };

/** The HTTP admin API, for checking it against the in-process helpers (its POSTs must say they are JSON). */
async function admin(emulator: Emulator, method: "GET" | "POST", route: string, body?: unknown) {
  const res = await fetch(`${emulator.url}/__admin/${route}`, {
    method,
    signal: AbortSignal.timeout(5_000),
    ...(method === "POST" ? { headers: { "Content-Type": "application/json" } } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe("startEmulator() with the SDK", () => {
  let emulator: Emulator;
  let client: CccClient;

  beforeAll(async () => {
    emulator = await startEmulator({ credentials: [APP] });
    client = new CccClient({ endpoint: emulator.url, credentials: APP, maxRetries: 0 });
  });
  afterAll(async () => {
    client?.close();
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.reset();
  });

  it("listens on 127.0.0.1 and tells its url, port, version and credentials", () => {
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.host).toBe("127.0.0.1");
    expect(emulator.version).toBe("2020-02-10");
    expect(emulator.credentials).toEqual([APP]);
  });

  it("answers both seed actions called through the SDK, and records them as signed by the SDK", async () => {
    const disabled = await client.disableCCCPhoneNumber({
      SdkAppId: 1400000000,
      PhoneNumbers: ["008602112345678"],
      Disabled: 1,
    });
    expect(disabled.RequestId).toMatch(UUID_RE);
    const modified = await client.modifyOwnNumberApply({
      SdkAppId: 1400000000,
      ApplyId: 1,
      Prefix: "0",
      DetailList: [{ CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
    });
    expect(modified.RequestId).toMatch(UUID_RE);
    const [d, m] = emulator.requests() as [RecordedRequest, RecordedRequest];
    expect(d).toMatchObject({
      action: "DisableCCCPhoneNumber",
      outcome: "ok",
      secretId: APP.secretId,
      signedHeaders: ["content-type", "host", "x-tc-action"],
      requestId: disabled.RequestId,
    });
    expect(JSON.parse(d.body)).toEqual({ SdkAppId: 1400000000, PhoneNumbers: ["008602112345678"], Disabled: 1 });
    // The SDK signs the host it sends, port included (the port-less leniency is not what let it through).
    expect(d.canonicalRequest).toContain(`\nhost:127.0.0.1:${emulator.port}\n`);
    expect(m).toMatchObject({ action: "ModifyOwnNumberApply", outcome: "ok", requestId: modified.RequestId });
  });

  it("answers a documented error scripted in-process as a typed CccError", async () => {
    emulator.inject({
      type: "error",
      action: "DisableCCCPhoneNumber",
      code: "FailedOperation.CurStateNotAllowModify",
      message: "The current number status cannot be modified.",
    });
    const err: unknown = await client
      .disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccError);
    if (!isCccError(err) || err.action !== "DisableCCCPhoneNumber") throw new Error("not the action's CccError");
    expect(err.code).toBe("FailedOperation.CurStateNotAllowModify");
    expect(err.apiMessage).toBe("The current number status cannot be modified.");
    expect(err.httpStatus).toBe(200);
    expect(err.requestId).toBe(emulator.requests()[0]?.requestId);
    expect(emulator.requests()[0]).toMatchObject({ outcome: "fault:error", fault: "error" });
  });

  it("answers a documented error scripted through the HTTP admin API", async () => {
    const queued = await admin(emulator, "POST", "faults", {
      type: "error",
      action: "ModifyOwnNumberApply",
      code: "InvalidParameterValue.ApplyIDNotExist",
    });
    expect(queued).toEqual({ status: 200, json: { ok: true, queued: 1 } });
    expect(emulator.faults()).toEqual([
      { type: "error", action: "ModifyOwnNumberApply", code: "InvalidParameterValue.ApplyIDNotExist", times: 1 },
    ]);
    // Another action passes the fault by.
    await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 0 });
    const err = await client
      .modifyOwnNumberApply({
        SdkAppId: 1,
        ApplyId: 404,
        DetailList: [{ CallType: 0, PhoneNumber: "1", MaxCallCount: 1, MaxCallPSec: 1 }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CccError);
    expect((err as CccError).code).toBe("InvalidParameterValue.ApplyIDNotExist");
    const listed = await admin(emulator, "GET", "requests");
    expect(listed.status).toBe(200);
    expect((listed.json as RecordedRequest[]).map((r) => r.outcome)).toEqual(["ok", "fault:error"]);
    expect(listed.json).toEqual(emulator.requests());
  });

  it("its validation agrees with the SDK's: what the SDK refuses, the emulator refuses with the same path", async () => {
    const input = { PhoneNumbers: ["008602112345678"], Disabled: 2 };
    const sdk = await client.disableCCCPhoneNumber(input as never).catch((e: unknown) => e);
    expect(sdk).toBeInstanceOf(CccValidationError);
    expect((sdk as CccValidationError).violations[0]?.path).toBe("Disabled");
    const unchecked = new CccClient({ endpoint: emulator.url, credentials: APP, validate: false, maxRetries: 0 });
    try {
      const err = await unchecked.disableCCCPhoneNumber(input as never).catch((e: unknown) => e);
      expect((err as CccError).code).toBe("InvalidParameterValue");
      expect((err as CccError).apiMessage).toContain("parameter `Disabled`");
    } finally {
      unchecked.close();
    }
  });

  it("makes the SDK correct its clock from the Date header after AuthFailure.SignatureExpire", async () => {
    emulator.setClockOffset(10 * 60 * 1000);
    const fresh = new CccClient({ endpoint: emulator.url, credentials: APP, maxRetries: 0 });
    try {
      await fresh.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
    } finally {
      fresh.close();
    }
    expect(emulator.requests().map((r) => r.outcome)).toEqual(["AuthFailure.SignatureExpire", "ok"]);
  });

  it("the in-process helpers check what they are given, like the HTTP admin API", async () => {
    expect(() => emulator.inject({ type: "explode" } as never)).toThrow(TypeError);
    expect(() => emulator.inject({ type: "error", code: "" })).toThrow(/code/);
    expect(() => emulator.inject({ type: "cut", action: "NoSuchAction" })).toThrow(/NoSuchAction/);
    expect(() => emulator.setClockOffset(Number.NaN)).toThrow(TypeError);
    expect(await admin(emulator, "POST", "faults", { type: "cut", action: "NoSuchAction" })).toMatchObject({
      status: 400,
    });
    expect(await admin(emulator, "POST", "clock", { offsetMs: "soon" })).toMatchObject({ status: 400 });
    expect(emulator.faults()).toEqual([]);
    emulator.inject({ type: "delay", ms: 1, times: 3 });
    const copy = emulator.faults();
    copy[0]!.times = 99;
    expect(emulator.faults()[0]?.times).toBe(3);
    expect(await admin(emulator, "GET", "faults")).toEqual({ status: 200, json: [{ type: "delay", ms: 1, times: 3 }] });
    expect(await admin(emulator, "POST", "reset")).toEqual({ status: 200, json: { ok: true } });
    expect(emulator.faults()).toEqual([]);
  });

  it("each fault type reaches the SDK as the matching error", async () => {
    const once = { maxRetries: 0, timeoutMs: 1_000 } as const;
    const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };
    const outcomes: Record<string, string> = {};
    for (const fault of [
      { type: "http", status: 502, body: "<html>502 Bad Gateway</html>", contentType: "text/html" },
      { type: "truncated" },
      { type: "cut" },
      { type: "delay", ms: 3_000 },
      { type: "reset" },
      { type: "reset-after-read" },
    ] as const) {
      emulator.inject(fault);
      const err = await client.disableCCCPhoneNumber(input, once).catch((e: unknown) => e);
      outcomes[fault.type] = (err as Error).name;
    }
    expect(outcomes).toEqual({
      http: "CccResponseError",
      truncated: "CccResponseError",
      cut: "CccConnectionError",
      delay: "CccTimeoutError",
      reset: "CccConnectionError",
      "reset-after-read": "CccConnectionError",
    });
    expect(emulator.requests().map((r) => r.fault)).toEqual([
      "http",
      "truncated",
      "cut",
      "delay",
      "reset",
      "reset-after-read",
    ]);
  });
});

describe("startEmulator() options", () => {
  it("accepts the demo credential by default", async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.credentials).toEqual([DEMO_CREDENTIAL]);
      expect(DEMO_CREDENTIAL).toEqual({
        secretId: "AKIDEMULATOR000000000000000000000000",
        secretKey: "emulator-secret-key",
      });
      const client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL });
      try {
        expect((await client.disableCCCPhoneNumber(VALID_DISABLE as never)).RequestId).toMatch(UUID_RE);
      } finally {
        client.close();
      }
      await expectError(call(emulator.port, { credential: APP }), "AuthFailure.SecretIdNotFound");
    } finally {
      await emulator.close();
    }
  });

  it("takes a port, a token credential and maxSkewSeconds", async () => {
    const probe = await startEmulator();
    const port = probe.port;
    await probe.close();
    const token: Credential = { ...APP, token: "tok-123" };
    const emulator = await startEmulator({ port, credentials: [token], maxSkewSeconds: 30 });
    try {
      expect(emulator.port).toBe(port);
      await expectOk(call(port, { credential: token }));
      await expectError(call(port, { credential: token, token: null }), "AuthFailure.TokenFailure");
      await expectError(
        call(port, { credential: token, timestamp: Math.floor(Date.now() / 1000) - 60 }),
        "AuthFailure.SignatureExpire",
      );
      // The port is taken now: a second emulator on it fails to start.
      await expect(startEmulator({ port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1/);
    } finally {
      await emulator.close();
    }
    expect(await canConnect(port)).toBe(false);
  });

  it("refuses malformed options", async () => {
    await expect(startEmulator({ openapiPath: "/x/openapi.json" } as never)).rejects.toThrow(/openapiPath/);
    await expect(startEmulator({ port: 70_000 })).rejects.toThrow(/port/);
    await expect(startEmulator({ host: "" })).rejects.toThrow(/host/);
    await expect(startEmulator({ credentials: [] })).rejects.toThrow(/credentials/);
    await expect(startEmulator({ credentials: [{ secretId: "id", secretKey: "" }] })).rejects.toThrow(/secretKey/);
    await expect(startEmulator({ maxSkewSeconds: -1 })).rejects.toThrow(/maxSkewSeconds/);
  });

  it("close() is idempotent and drops an answer still being delayed", async () => {
    const emulator = await startEmulator({ credentials: [APP] });
    emulator.inject({ type: "delay", ms: 20_000 });
    const pending = call(emulator.port, { credential: APP, timeoutMs: 20_000 }).then(
      () => "answered",
      () => "failed",
    );
    for (let i = 0; i < 100 && emulator.faults().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(emulator.faults()).toEqual([]);
    const t0 = Date.now();
    await Promise.all([emulator.close(), emulator.close()]);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(await pending).toBe("failed");
    await emulator.close();
  });
});

describe("startEmulator() in a script", () => {
  it("serves a call, closes, and the script then exits on its own", async () => {
    const emulatorEntry = built("emulator/index");
    const sdkEntry = built("index");
    const script = `
      import { DEMO_CREDENTIAL, startEmulator } from ${JSON.stringify(emulatorEntry)};
      import { CccClient } from ${JSON.stringify(sdkEntry)};
      const emulator = await startEmulator();
      console.log("url " + emulator.url);
      const client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL });
      const result = await client.modifyOwnNumberApply({
        SdkAppId: 1400000000,
        DetailList: [{ CallType: 1, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
      });
      console.log("RequestId " + result.RequestId);
      client.close();
      await emulator.close();
      const after = await fetch(emulator.url + "/__admin/requests").then(() => "answered", () => "refused");
      console.log("after close " + after);
    `;
    const r = await runScript(script, 20_000);
    expect(r.code, r.output).toBe(0);
    const lines = r.output.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^url http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^RequestId [0-9a-f-]{36}$/);
    expect(lines[2]).toBe("after close refused");
    expect(lines).toHaveLength(3);
  });
});

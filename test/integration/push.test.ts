/**
 * CCC's data pushes end to end, between two processes on 127.0.0.1: the emulator (test/server/harness.ts) pushes
 * as CCC does, to a receiver an app would write with the shipped ccc-sdk/push (test/support/push-receiver.mjs:
 * node:http, toNodeHandler, createPushHandler, createTokenEndpoint). Each auth mode right and wrong, the retries
 * of a refused or failed push with one X-TCCC-PUSH-UUID, de-duplication, malformed bodies, and secrecy.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pushes } from "../../src/push/index.js";
import { startTestServer, type TestServer } from "../server/harness.js";
import { type Receiver, type ReceiverConfig, startReceiver } from "../support/push-receiver.js";

const PASSWORD = "console-password-7f3a";
const CLIENT = { clientId: "ccc-client", clientSecret: "client-secret-91b2" };

let emulator: TestServer;
let receiver: Receiver | undefined;

beforeAll(async () => {
  emulator = await startTestServer();
}, 30_000);
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function receive(config: ReceiverConfig): Promise<Receiver> {
  receiver = await startReceiver(config);
  return receiver;
}

describe("the emulator pushes to a ccc-sdk/push receiver", () => {
  it("none: a CDR push is taken at the first attempt, the handler getting the documented example", async () => {
    const r = await receive({ auth: "none" });
    const delivery = await emulator.push({ url: r.pushUrl, push: "cdr" });
    expect(delivery).toMatchObject({ push: "cdr", delivered: true, auth: "none" });
    expect(delivery.url).toBe(`${r.pushUrl}?action=cdr&version=1`);
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: "accepted", status: 200, errCode: 0, errMsg: "" }),
    ]);
    expect(r.calls()).toEqual([{ event: "call", action: "cdr", pushId: delivery.uuid, payload: pushes.Cdr.example }]);
  });

  it("none: recordings and voicemail reach their handlers; the voicemail's numeric EndpointUser as a string", async () => {
    const r = await receive({ auth: "none" });
    expect((await emulator.push({ url: r.pushUrl, push: "record" })).delivered).toBe(true);
    const voicemail = await emulator.push({ url: r.pushUrl, push: "voicemail" });
    expect(voicemail.url).toBe(`${r.pushUrl}?action=voicemail`);
    expect(r.calls().map((c) => [c.action, c.payload.EndpointUser])).toEqual([
      ["record", "lululing@tencent.com"],
      ["voicemail", "13123456789"],
    ]);
  });

  it("basic: the right username and password are taken; a wrong one is refused 401 on every attempt", async () => {
    const r = await receive({ auth: "basic", username: "ccc", password: PASSWORD });
    const right = await emulator.push({
      url: r.pushUrl,
      push: "cdr",
      auth: { type: "basic", username: "ccc", password: PASSWORD },
    });
    expect(right.attempts.map((a) => a.outcome)).toEqual(["accepted"]);
    const wrong = await emulator.push({
      url: r.pushUrl,
      push: "cdr",
      auth: { type: "basic", username: "ccc", password: "guess" },
    });
    expect(wrong.delivered).toBe(false);
    expect(wrong.attempts.map((a) => [a.outcome, a.status, a.errCode])).toEqual(
      Array.from({ length: 4 }, () => ["refused", 401, 401]),
    );
    const none = await emulator.push({ url: r.pushUrl, push: "cdr", maxRetries: 0 });
    expect(none.attempts.map((a) => a.status)).toEqual([401]);
    expect(r.calls()).toHaveLength(1);
  });

  it("oauth: a token from the receiver's token endpoint, then the push with it as a bearer token", async () => {
    const r = await receive({ auth: "oauth", ...CLIENT });
    for (const clientAuth of ["basic", "form"] as const) {
      const delivery = await emulator.push({
        url: r.pushUrl,
        push: "cdr",
        auth: { type: "oauth", tokenUrl: r.tokenUrl, ...CLIENT, clientAuth },
      });
      expect(delivery.attempts.map((a) => a.outcome)).toEqual(["accepted"]);
    }
    expect(r.calls()).toHaveLength(2);
  });

  it("oauth: a wrong client secret gets no token, so nothing is pushed; a bearer token not issued is refused", async () => {
    const r = await receive({ auth: "oauth", ...CLIENT });
    const delivery = await emulator.push({
      url: r.pushUrl,
      push: "cdr",
      maxRetries: 1,
      auth: { type: "oauth", tokenUrl: r.tokenUrl, clientId: CLIENT.clientId, clientSecret: "wrong" },
    });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        outcome: "token-error",
        status: 401,
        detail: expect.stringContaining("invalid_client"),
      }),
      expect.objectContaining({ outcome: "token-error", status: 401 }),
    ]);
    const forged = await fetch(`${r.pushUrl}?action=cdr&version=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer forged.token.value.x" },
      body: JSON.stringify(pushes.Cdr.example),
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(r.calls()).toHaveLength(0);
  });

  it("retries a push whose handler failed, with the same UUID, and the retry is taken", async () => {
    const r = await receive({ auth: "none", failFirst: 1 });
    const delivery = await emulator.push({ url: r.pushUrl, push: "cdr" });
    expect(delivery.attempts.map((a) => [a.outcome, a.errCode])).toEqual([
      ["refused", 500],
      ["accepted", 0],
    ]);
    expect(r.calls().map((c) => c.pushId)).toEqual([delivery.uuid, delivery.uuid]);
    expect(r.refusals()).toEqual([{ event: "refused", status: 500, message: "the push handler failed; push again" }]);
  });

  it("de-duplicates: a push pushed again with its UUID is answered taken without calling the handler", async () => {
    const r = await receive({ auth: "none" });
    const first = await emulator.push({ url: r.pushUrl, push: "cdr", uuid: "cdr-0001" });
    const again = await emulator.push({ url: r.pushUrl, push: "cdr", uuid: "cdr-0001" });
    expect([first.delivered, again.delivered]).toEqual([true, true]);
    expect(r.calls()).toHaveLength(1);
  });

  it("de-duplicates a retry sent while the first attempt still runs (the emulator gave up waiting on it)", async () => {
    // The first attempt always times out (the handler takes longer); the second comes 50 ms later and joins the
    // running delivery, with 450 ms to spare for a loaded machine (a 300 ms wait once left too little in CI).
    const r = await receive({ auth: "none", delayMs: 800 });
    const delivery = await emulator.push({ url: r.pushUrl, push: "cdr", timeoutMs: 600, retryDelayMs: 50 });
    expect(delivery.attempts[0]).toMatchObject({ outcome: "timeout" });
    expect(delivery.delivered).toBe(true);
    expect(r.calls()).toHaveLength(1);
  }, 15_000);

  it("a malformed body is refused 400, naming the problem, on every attempt; the handler is never called", async () => {
    const r = await receive({ auth: "none" });
    const notJson = await emulator.push({ url: r.pushUrl, push: "cdr", rawBody: "SdkAppId=1", maxRetries: 1 });
    expect(notJson.attempts.map((a) => [a.status, a.errCode, a.errMsg])).toEqual([
      [400, 400, "the body is not valid JSON"],
      [400, 400, "the body is not valid JSON"],
    ]);
    const wrongType = await emulator.push({
      url: r.pushUrl,
      push: "cdr",
      members: { SdkAppId: "1400" },
      maxRetries: 0,
    });
    expect(wrongType.attempts[0]!.errMsg).toMatch(/^the cdr push is malformed: SdkAppId must be an integer/);
    expect(r.calls()).toHaveLength(0);
  });

  it("keeps no password, client secret or token in its records or answers", async () => {
    const r = await receive({ auth: "oauth", ...CLIENT });
    await emulator.push({ url: r.pushUrl, push: "record", auth: { type: "oauth", tokenUrl: r.tokenUrl, ...CLIENT } });
    await emulator.push({
      url: r.pushUrl,
      push: "record",
      maxRetries: 0,
      auth: { type: "basic", username: "u", password: PASSWORD },
    });
    const text = JSON.stringify(await emulator.pushes()) + emulator.stderr();
    for (const secret of [PASSWORD, CLIENT.clientSecret, "Bearer "]) expect(text).not.toContain(secret);
    // The endpoint's tokens: <client>.<expiry>.<nonce>.<mac>.
    expect(text).not.toMatch(/[\w-]+\.\d{10}\.[\w-]{20,}\.[\w-]{40,}/);
    expect(JSON.stringify(await emulator.pushes())).toContain('"auth":"oauth"');
  });
});

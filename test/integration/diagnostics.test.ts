/**
 * Tracing, the channel side (issue 15): every call publishes on the TracingChannel `ccc-sdk:call` (start, end,
 * asyncStart, asyncEnd, error) and each attempt on `ccc-sdk:attempt`, with what a trace needs (action, service,
 * attempts, request id, error name and code, delays) and never a member value or a secret; with nobody listening,
 * nothing is built or published. Plain `node:diagnostics_channel` subscribers, against the emulator process and
 * the faults it injects.
 */
import diagnostics from "node:diagnostics_channel";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CCC_ATTEMPT_CHANNEL,
  CCC_CALL_CHANNEL,
  type CccAttemptMessage,
  type CccCallMessage,
  CccClient,
  type CccClientOptions,
  CccError,
  CccValidationError,
} from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const PHONE = "008602112345678";
const input = { PhoneNumbers: [PHONE], Disabled: 1 as const };
const backoff = { baseMs: 5, maxMs: 20 };
const EVENTS = ["start", "end", "asyncStart", "asyncEnd", "error"] as const;
type CallEvent = (typeof EVENTS)[number];

let server: TestServer;
const clients: CccClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
});

function client(options: CccClientOptions = {}): CccClient {
  const c = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, backoff, ...options });
  clients.push(c);
  return c;
}

/** What a subscriber of both channels saw, in order; `stop()` unsubscribes (afterEach does it too). */
interface Seen {
  readonly calls: { readonly event: CallEvent; readonly message: CccCallMessage; readonly copy: object }[];
  readonly attempts: CccAttemptMessage[];
  stop(): void;
}
let listening: Seen | undefined;
afterEach(() => listening?.stop());

function listen(): Seen {
  const calls: Seen["calls"][number][] = [];
  const attempts: CccAttemptMessage[] = [];
  const channel = diagnostics.tracingChannel<CccCallMessage>(CCC_CALL_CHANNEL);
  // The message as it was at each event (the same object goes through all of them and is completed at the end).
  const handlers = Object.fromEntries(
    EVENTS.map((event) => [event, (message: CccCallMessage) => calls.push({ event, message, copy: { ...message } })]),
  ) as unknown as Record<CallEvent, (m: CccCallMessage) => void>;
  const onAttempt = (m: unknown) => attempts.push(m as CccAttemptMessage);
  channel.subscribe(handlers);
  diagnostics.subscribe(CCC_ATTEMPT_CHANNEL, onAttempt);
  listening = {
    calls,
    attempts,
    stop() {
      channel.unsubscribe(handlers);
      diagnostics.unsubscribe(CCC_ATTEMPT_CHANNEL, onAttempt);
      listening = undefined;
    },
  };
  return listening;
}

/** Every string a subscriber could read of what it was given, for the leak checks. */
function everything(seen: Seen): string {
  return [...seen.calls.map((c) => c.message), ...seen.attempts]
    .map((m) => `${JSON.stringify(m)}\n${inspect(m, { depth: 5, showHidden: true, getters: true })}`)
    .join("\n");
}

describe("the ccc-sdk:call tracing channel and the ccc-sdk:attempt channel", () => {
  it("publish a successful call: start, end, asyncStart, asyncEnd on one message, and one attempt", async () => {
    const seen = listen();
    const result = await client().disableCCCPhoneNumber(input);
    expect(seen.calls.map((c) => c.event)).toEqual(["start", "end", "asyncStart", "asyncEnd"]);
    const message = seen.calls[0]!.message;
    expect(seen.calls.every((c) => c.message === message)).toBe(true);
    const host = new URL(server.url);
    expect(seen.calls[0]!.copy).toMatchObject({
      action: "DisableCCCPhoneNumber",
      service: "ccc",
      version: "2020-02-10",
      serverAddress: host.hostname,
      serverPort: Number(host.port),
      region: undefined,
      attempts: 0,
    });
    expect(message).toMatchObject({
      attempts: 1,
      totalRetryDelayMs: 0,
      requestId: result.RequestId,
      httpStatus: 200,
      errorName: undefined,
      errorCode: undefined,
    });
    expect(message.durationMs).toBeGreaterThan(0);
    expect(seen.attempts).toEqual([
      expect.objectContaining({
        call: message,
        action: "DisableCCCPhoneNumber",
        attempt: 1,
        outcome: "success",
        requestId: result.RequestId,
        httpStatus: 200,
        delayMs: undefined,
      }),
    ]);
    expect(seen.attempts[0]!.durationMs).toBeGreaterThan(0);
    expect(seen.attempts[0]!.rateLimitWaitMs).toBeGreaterThanOrEqual(0);
  });

  it("publish a retried call: two attempts, the first a retry with its error code and the delay before the next", async () => {
    await server.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "RequestLimitExceeded" });
    const seen = listen();
    const { metadata } = await client({ region: "ap-shanghai" }).disableCCCPhoneNumber(input).withMetadata();
    expect(seen.attempts.map((a) => [a.attempt, a.outcome, a.errorCode])).toEqual([
      [1, "retry", "RequestLimitExceeded"],
      [2, "success", undefined],
    ]);
    const [first, second] = seen.attempts as [CccAttemptMessage, CccAttemptMessage];
    expect(first).toMatchObject({ errorName: "CccError", retryable: true, httpStatus: 200 });
    expect(first.requestId).toHaveLength(36);
    expect(first.delayMs).toBeGreaterThanOrEqual(0);
    expect(first.delayMs).toBeLessThanOrEqual(backoff.maxMs);
    expect(second.requestId).toBe(metadata.requestId);
    const message = seen.calls[0]!.message;
    expect(message).toMatchObject({
      region: "ap-shanghai",
      attempts: 2,
      totalRetryDelayMs: first.delayMs,
      requestId: metadata.requestId,
    });
    expect(seen.calls.map((c) => c.event)).toEqual(["start", "end", "asyncStart", "asyncEnd"]);
  });

  it("publish a failed call on the error event with the error's name and code, not the error", async () => {
    await server.inject({
      type: "error",
      action: "DisableCCCPhoneNumber",
      code: "FailedOperation.CurStateNotAllowModify",
      message: `number ${PHONE} is busy`,
    });
    const seen = listen();
    const error = await client()
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccError);
    expect(seen.calls.map((c) => c.event)).toEqual(["start", "end", "error", "asyncStart", "asyncEnd"]);
    const message = seen.calls[0]!.message;
    expect(message).toMatchObject({
      attempts: 1,
      errorName: "CccError",
      errorCode: "FailedOperation.CurStateNotAllowModify",
      retryable: false,
      requestId: (error as CccError).requestId,
    });
    expect(message).not.toHaveProperty("error");
    expect(message).not.toHaveProperty("result");
    expect(seen.attempts.map((a) => [a.outcome, a.errorCode])).toEqual([
      ["failure", "FailedOperation.CurStateNotAllowModify"],
    ]);
    // The API's message echoed the number: it is on the error the app catches, never on what subscribers get.
    expect((error as CccError).apiMessage).toContain(PHONE);
    expect(everything(seen)).not.toContain(PHONE);
  });

  it("publish a validation error as a call of no attempt (nothing was sent), without the values it names", async () => {
    const seen = listen();
    const bad = "02112345678"; // breaks the 0086 pattern: the violation's message quotes it
    const error = await client()
      .disableCCCPhoneNumber({ PhoneNumbers: [bad], Disabled: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccValidationError);
    expect((error as Error).message).toContain(bad);
    expect(seen.calls.map((c) => c.event)).toEqual(["start", "end", "error", "asyncStart", "asyncEnd"]);
    expect(seen.calls[0]!.message).toMatchObject({
      attempts: 0,
      errorName: "CccValidationError",
      requestId: undefined,
    });
    expect(seen.attempts).toEqual([]);
    expect(everything(seen)).not.toContain(bad);
    expect(await server.requests()).toEqual([]);
  });

  it("never carry a member value of the input or output, the SecretKey or a signature", async () => {
    const seen = listen();
    const c = client();
    await c.disableCCCPhoneNumber(input);
    await c.describeTelCdr({
      SdkAppId: 1400000000,
      StartTimeStamp: 1735660800,
      EndTimeStamp: 1735747200,
      PageSize: 10,
      PageNumber: 0,
    });
    expect(seen.calls.filter((c) => c.event === "asyncEnd")).toHaveLength(2);
    const text = everything(seen);
    for (const secret of [PHONE, "1400000000", "1735660800", DEFAULT_CREDENTIAL.secretKey, "TC3-HMAC-SHA256"])
      expect(text).not.toContain(secret);
    // Not even the answers: the emulator's DescribeTelCdr example holds numbers and names.
    const seenRequests = await server.requests();
    expect(seenRequests).toHaveLength(2);
  });

  it("build and publish nothing while nobody listens, and a call that began unheard stays unheard", async () => {
    const published: string[] = [];
    const names = [...EVENTS.map((e) => `tracing:${CCC_CALL_CHANNEL}:${e}`), CCC_ATTEMPT_CHANNEL];
    // Own properties over the prototype's: every publish and runStores the SDK makes on its channels is counted.
    const spied = names.map((name) => {
      const channel = diagnostics.channel(name) as unknown as Record<string, unknown>;
      for (const method of ["publish", "runStores"] as const) {
        // The prototype's method at each call: subscribing swaps a channel's prototype for the active one's.
        channel[method] = function (this: object, ...args: unknown[]) {
          published.push(`${name} ${method}`);
          return (Object.getPrototypeOf(this)[method] as (...a: unknown[]) => unknown).apply(this, args);
        };
      }
      return channel;
    });
    try {
      const c = client();
      await c.disableCCCPhoneNumber(input);
      expect(published).toEqual([]);

      // Subscribing while a call waits for its answer: that call publishes nothing more, the next one everything.
      await server.inject({ type: "delay", action: "DisableCCCPhoneNumber", ms: 300 });
      const pending = c.disableCCCPhoneNumber(input);
      const seen = listen();
      await pending;
      expect(published).toEqual([]);
      expect(seen.attempts).toEqual([]);
      await c.disableCCCPhoneNumber(input);
      expect(seen.calls.map((e) => e.event)).toEqual(["start", "end", "asyncStart", "asyncEnd"]);
      expect(published).toContain(`tracing:${CCC_CALL_CHANNEL}:start runStores`);
      expect(published).toContain(`${CCC_ATTEMPT_CHANNEL} publish`);
    } finally {
      for (const channel of spied) {
        delete channel.publish;
        delete channel.runStores;
      }
    }
  });

  it("give an attempt subscriber alone the call it belongs to", async () => {
    const attempts: CccAttemptMessage[] = [];
    const onAttempt = (m: unknown) => attempts.push(m as CccAttemptMessage);
    diagnostics.subscribe(CCC_ATTEMPT_CHANNEL, onAttempt);
    try {
      await client().disableCCCPhoneNumber(input);
    } finally {
      diagnostics.unsubscribe(CCC_ATTEMPT_CHANNEL, onAttempt);
    }
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.call).toMatchObject({ action: "DisableCCCPhoneNumber", attempts: 1 });
  });
});

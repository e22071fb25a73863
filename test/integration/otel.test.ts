/**
 * Tracing, the OpenTelemetry side (issue 15): `instrumentCcc()` of `ccc-sdk/otel` turns the SDK's diagnostics
 * channels into one CLIENT span `ccc.<Action>` per call, a child of the app's active span, with an event per
 * attempt and the RPC semantic conventions' attributes, and never a member value or a secret. Recorded by the
 * OpenTelemetry SDK's in-memory exporter, against the emulator process and its faults.
 */
import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CccClient, type CccClientOptions, CccError, CccValidationError, type FetchLike } from "../../src/index.js";
import { instrumentCcc } from "../../src/otel/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const PHONE = "008602112345678";
const input = { PhoneNumbers: [PHONE], Disabled: 1 as const };
const backoff = { baseMs: 5, maxMs: 20 };

let server: TestServer;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer("the-app");
const clients: CccClient[] = [];
let uninstrument: () => void;

beforeAll(async () => {
  // What an app's OpenTelemetry set-up registers (NodeSDK does the same): the context manager of Node's
  // AsyncLocalStorage. The tracer provider is given to instrumentCcc, not registered globally.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  uninstrument = instrumentCcc({ tracerProvider: provider });
  server = await startTestServer();
});
afterAll(async () => {
  uninstrument?.();
  context.disable();
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
  await provider.shutdown();
});
beforeEach(async () => {
  await server.reset();
  exporter.reset();
});
afterEach(() => exporter.reset());

function client(options: CccClientOptions = {}): CccClient {
  const c = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, backoff, ...options });
  clients.push(c);
  return c;
}

function cccSpans(): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((s) => s.name.startsWith("ccc."));
}

function only(spans: ReadableSpan[]): ReadableSpan {
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

/** Everything an exporter could send of the spans: names, attributes, events, status, links, resource. */
function everything(spans: ReadableSpan[]): string {
  return spans
    .map((s) =>
      [
        s.name,
        JSON.stringify({ attributes: s.attributes, events: s.events, status: s.status, links: s.links }),
        inspect(s.attributes, { depth: 5 }),
        inspect(s.events, { depth: 5 }),
      ].join("\n"),
    )
    .join("\n");
}

describe("instrumentCcc (ccc-sdk/otel)", () => {
  it("makes one CLIENT span ccc.<Action> per call with the RPC attributes and an attempt event", async () => {
    const result = await client().disableCCCPhoneNumber(input);
    const span = only(cccSpans());
    const host = new URL(server.url);
    expect(span.name).toBe("ccc.DisableCCCPhoneNumber");
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({
      "rpc.system": "tencentcloud-api",
      "rpc.service": "ccc",
      "rpc.method": "DisableCCCPhoneNumber",
      "cloud.provider": "tencent_cloud",
      "server.address": host.hostname,
      "server.port": Number(host.port),
      "ccc.api_version": "2020-02-10",
      "ccc.request_id": result.RequestId,
      "ccc.attempts": 1,
      "ccc.retries": 0,
      "ccc.retry_delay_ms": 0,
      "http.response.status_code": 200,
    });
    expect(
      span.events.map((e) => [e.name, e.attributes?.["ccc.attempt"], e.attributes?.["ccc.attempt.outcome"]]),
    ).toEqual([["ccc.attempt", 1, "success"]]);
    expect(span.instrumentationScope.name).toBe("ccc-sdk");
  });

  it("records a retried call: two attempt events, the error code and delay of the first", async () => {
    await server.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "RequestLimitExceeded" });
    const { metadata } = await client({ region: "ap-guangzhou" }).disableCCCPhoneNumber(input).withMetadata();
    const span = only(cccSpans());
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      "cloud.region": "ap-guangzhou",
      "ccc.attempts": 2,
      "ccc.retries": 1,
      "ccc.request_id": metadata.requestId,
      "ccc.retry_delay_ms": metadata.totalRetryDelayMs,
    });
    expect(span.events).toHaveLength(2);
    const [first, second] = span.events as [(typeof span.events)[0], (typeof span.events)[0]];
    expect(first.attributes).toMatchObject({
      "ccc.attempt": 1,
      "ccc.attempt.outcome": "retry",
      "error.type": "RequestLimitExceeded",
      "ccc.error_code": "RequestLimitExceeded",
      "ccc.retryable": true,
    });
    expect(first.attributes?.["ccc.retry.delay_ms"]).toBe(metadata.totalRetryDelayMs);
    expect(second.attributes).toMatchObject({ "ccc.attempt": 2, "ccc.attempt.outcome": "success" });
    expect(second.attributes).not.toHaveProperty("ccc.retry.delay_ms");
  });

  it("marks a failed call ERROR with the CccError's code, never its message", async () => {
    await server.inject({
      type: "error",
      action: "DisableCCCPhoneNumber",
      code: "FailedOperation.CurStateNotAllowModify",
      message: `number ${PHONE} is busy`,
    });
    const error = await client()
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccError);
    const span = only(cccSpans());
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: "CccError FailedOperation.CurStateNotAllowModify",
    });
    expect(span.attributes).toMatchObject({
      "error.type": "FailedOperation.CurStateNotAllowModify",
      "ccc.error_code": "FailedOperation.CurStateNotAllowModify",
      "ccc.request_id": (error as CccError).requestId,
      "ccc.attempts": 1,
    });
    expect(everything([span])).not.toContain(PHONE);
    expect(everything([span])).not.toContain("busy");
  });

  it("records a validation error as a failed span of no attempt: nothing was sent", async () => {
    const error = await client()
      .disableCCCPhoneNumber({ PhoneNumbers: ["02112345678"], Disabled: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccValidationError);
    const span = only(cccSpans());
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "CccValidationError" });
    expect(span.attributes).toMatchObject({ "error.type": "CccValidationError", "ccc.attempts": 0 });
    expect(span.attributes).not.toHaveProperty("ccc.request_id");
    expect(span.events).toEqual([]);
    expect(everything([span])).not.toContain("02112345678");
    expect(await server.requests()).toEqual([]);
  });

  it("nests the call's span under the app's active span, and each of two concurrent calls under its own", async () => {
    const c = client();
    await tracer.startActiveSpan("handle order", async (parent: Span) => {
      await c.disableCCCPhoneNumber(input);
      parent.end();
    });
    const [a, b] = await Promise.all(
      ["job a", "job b"].map((name) =>
        tracer.startActiveSpan(name, async (parent: Span) => {
          await c.disableCCCPhoneNumber(input);
          parent.end();
          return parent.spanContext().spanId;
        }),
      ),
    );
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((s) => s.name === name)!;
    const calls = cccSpans();
    expect(calls).toHaveLength(3);
    const parent = byName("handle order");
    expect(calls[0]!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(calls[0]!.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(
      calls
        .slice(1)
        .map((s) => s.parentSpanContext?.spanId)
        .sort(),
    ).toEqual([a, b].sort());
    // Outside any span: a root span.
    exporter.reset();
    await c.disableCCCPhoneNumber(input);
    expect(only(cccSpans()).parentSpanContext).toBeUndefined();
  });

  it("makes the call's span the active one inside the call: what a fetch or middleware traces nests under it", async () => {
    const active: (string | undefined)[] = [];
    const fetch: FetchLike = (request) => {
      active.push(trace.getActiveSpan()?.spanContext().spanId);
      return globalThis.fetch(request);
    };
    const c = client({ fetch });
    c.use({
      onRequest() {
        active.push(trace.getActiveSpan()?.spanContext().spanId);
        return undefined;
      },
    });
    await server.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "RequestLimitExceeded" });
    await tracer.startActiveSpan("parent", async (parent: Span) => {
      await c.disableCCCPhoneNumber(input);
      // After the call, the app's span is the active one again.
      expect(trace.getActiveSpan()).toBe(parent);
      parent.end();
    });
    const span = only(cccSpans());
    expect(active).toEqual(Array(4).fill(span.spanContext().spanId));
  });

  it("puts no member value of the input or output, no secret and no signature in any span", async () => {
    const c = client();
    await c.disableCCCPhoneNumber(input);
    await c.describeTelCdr({
      SdkAppId: 1400000000,
      StartTimeStamp: 1735660800,
      EndTimeStamp: 1735747200,
      PageSize: 10,
      PageNumber: 0,
    });
    await server.inject({
      type: "error",
      action: "DisableCCCPhoneNumber",
      code: "InvalidParameter.InvalidPhoneNumber",
      message: PHONE,
    });
    await c.disableCCCPhoneNumber(input).catch(() => undefined);
    const spans = cccSpans();
    expect(spans).toHaveLength(3);
    const text = everything(spans);
    for (const secret of [
      PHONE,
      "1400000000",
      "1735660800",
      DEFAULT_CREDENTIAL.secretKey,
      DEFAULT_CREDENTIAL.secretId,
      "TC3-HMAC-SHA256",
    ])
      expect(text).not.toContain(secret);
  });

  it("nests inside the call with a context manager registered after instrumentCcc(), as apps often do", async () => {
    context.disable();
    const other = new InMemorySpanExporter();
    const second = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(other)] });
    const stop = instrumentCcc({ tracerProvider: second });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      await Promise.resolve();
      const active: (string | undefined)[] = [];
      const c = client({
        fetch: (request) => {
          active.push(trace.getActiveSpan()?.spanContext().spanId);
          return globalThis.fetch(request);
        },
      });
      await c.disableCCCPhoneNumber(input);
      const span = only(other.getFinishedSpans());
      expect(active).toEqual([span.spanContext().spanId]);
    } finally {
      stop();
      await second.shutdown();
    }
  });

  it("stops making spans once its disposer is called", async () => {
    const other = new InMemorySpanExporter();
    const second = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(other)] });
    const stop = instrumentCcc({ tracerProvider: second });
    const c = client();
    await c.disableCCCPhoneNumber(input);
    stop();
    stop(); // a second call changes nothing
    await c.disableCCCPhoneNumber(input);
    expect(other.getFinishedSpans().map((s) => s.name)).toEqual(["ccc.DisableCCCPhoneNumber"]);
    // The first instrumentation still records both calls.
    expect(cccSpans()).toHaveLength(2);
    await second.shutdown();
  });
});

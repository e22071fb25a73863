/**
 * ccc-sdk/otel: OpenTelemetry spans for CCC calls, from the SDK's diagnostics channels (src/diagnostics.ts). One
 * CLIENT span `ccc.<Action>` per call, a child of the span active where the call was made and itself the active
 * span while the call runs; an event `ccc.attempt` per attempt; the attributes of OpenTelemetry's RPC conventions.
 * What a span holds is what the channels carry: never a member value, a secret or an error message.
 *
 * ```ts
 * import { instrumentCcc } from "ccc-sdk/otel";
 * const stop = instrumentCcc(); // the global tracer provider; or instrumentCcc({ tracerProvider })
 * ```
 *
 * `@opentelemetry/api` is an optional peer dependency: only an app that imports this entry needs it.
 */
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { AsyncLocalStorage } from "node:async_hooks";
import diagnostics from "node:diagnostics_channel";
import {
  callEventChannel,
  CCC_ATTEMPT_CHANNEL,
  type CccAttemptMessage,
  type CccCallMessage,
  type CccErrorFacts,
} from "../diagnostics.js";
import { CccConfigError } from "../errors.js";

/** The name of the instrumentation (its tracer), as exporters show it. */
export const CCC_INSTRUMENTATION_NAME = "ccc-sdk";

/**
 * `rpc.system` of the spans: Tencent Cloud API 3.0, the protocol every Tencent Cloud service speaks (no value of
 * the conventions' list fits; AWS's instrumentation writes `aws-api` for the same kind of API).
 */
export const CCC_RPC_SYSTEM = "tencentcloud-api";

export interface CccInstrumentationOptions {
  /** Where the spans go. Default: the global tracer provider (`trace.getTracerProvider()`), also one set later. */
  readonly tracerProvider?: TracerProvider | undefined;
}

/**
 * Starts making spans for every CCC call of the process (every client, both builds of the package) and returns
 * the function that stops it. Call it once, before or after the OpenTelemetry SDK starts.
 */
export function instrumentCcc(options: CccInstrumentationOptions = {}): () => void {
  if (options === null || typeof options !== "object") throw new CccConfigError("options must be an object");
  const provider = options.tracerProvider;
  if (provider !== undefined && typeof (provider as { getTracer?: unknown })?.getTracer !== "function")
    throw new CccConfigError("tracerProvider must be an OpenTelemetry TracerProvider (with getTracer())");
  const tracer = (provider ?? trace).getTracer(CCC_INSTRUMENTATION_NAME);
  return new Instrumentation(tracer).stop;
}

/** The subscriptions of one `instrumentCcc()`, and the spans of the calls in flight. */
class Instrumentation {
  readonly #tracer: Tracer;
  readonly #spans = new Map<CccCallMessage, Span>();
  readonly #asyncEnd = diagnostics.channel(callEventChannel("asyncEnd"));
  readonly #attempt = diagnostics.channel(CCC_ATTEMPT_CHANNEL);
  #stopped = false;

  constructor(tracer: Tracer) {
    this.#tracer = tracer;
    startChannel.subscribe(this.#onStart);
    this.#asyncEnd.subscribe(this.#onEnd);
    this.#attempt.subscribe(this.#onAttempt);
    live.add(this);
    bindContext();
    // An app that instruments first and starts its OpenTelemetry SDK next (in the same turn) has its context
    // manager by then: bound before its first call, not after it.
    queueMicrotask(bindContext);
  }

  readonly stop = (): void => {
    if (this.#stopped) return;
    this.#stopped = true;
    startChannel.unsubscribe(this.#onStart);
    this.#asyncEnd.unsubscribe(this.#onEnd);
    this.#attempt.unsubscribe(this.#onAttempt);
    live.delete(this);
    bindContext();
    // Calls still in flight will not be heard of again: their spans end now rather than never.
    for (const span of this.#spans.values()) span.end();
    this.#spans.clear();
  };

  /** The call's span, started the first time it is asked for, as a child of the active context. */
  spanOf(message: CccCallMessage): Span {
    let span = this.#spans.get(message);
    if (!span) {
      span = this.#tracer.startSpan(
        `ccc.${message.action}`,
        { kind: SpanKind.CLIENT, attributes: callAttributes(message) },
        context.active(),
      );
      this.#spans.set(message, span);
    }
    return span;
  }

  readonly #onStart = (message: unknown): void => {
    this.spanOf(message as CccCallMessage);
    bindContext();
  };

  readonly #onAttempt = (message: unknown): void => {
    const m = message as CccAttemptMessage;
    this.#spans.get(m.call)?.addEvent("ccc.attempt", attemptAttributes(m));
  };

  readonly #onEnd = (message: unknown): void => {
    const m = message as CccCallMessage;
    const span = this.#spans.get(m);
    if (!span) return; // a call that started before this instrumentation did
    this.#spans.delete(m);
    span.setAttributes(endAttributes(m));
    if (m.errorName !== undefined)
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: m.errorCode === undefined ? m.errorName : `${m.errorName} ${m.errorCode}`,
      });
    span.end();
  };
}

const startChannel = diagnostics.channel(callEventChannel("start"));
/** The instrumentations started and not stopped, in order. */
const live = new Set<Instrumentation>();
/** OpenTelemetry's AsyncLocalStorage while it is bound to the start channel (see `bindContext`). */
let bound: AsyncLocalStorage<Context> | undefined;

/**
 * Makes each call's span the active context while the call runs (so that what a custom fetch, a middleware or an
 * HTTP instrumentation traces inside it nests under it): the start channel's `runStores` then runs the call in
 * OpenTelemetry's own AsyncLocalStorage, holding the span. OpenTelemetry's API has no public way to that storage
 * yet (open-telemetry/opentelemetry-js#6088), so it is read from the AsyncLocalStorageContextManager (what the
 * Node SDK registers), as Sentry's instrumentation does; with another context manager, or before one is
 * registered, spans are still children of the caller's, and what runs inside a call is their sibling. Checked
 * again at every call, since the app may register its context manager later. One binding for all
 * instrumentations: the span of the one started last is the active one.
 */
function bindContext(): void {
  const storage = live.size ? contextStorage() : undefined;
  if (storage === bound) return;
  if (bound) startChannel.unbindStore(bound);
  bound = storage;
  if (storage) startChannel.bindStore(storage, activeContext);
}

function activeContext(message: unknown): Context {
  const last = [...live].at(-1);
  const active = context.active();
  return last ? trace.setSpan(active, last.spanOf(message as CccCallMessage)) : active;
}

/** The AsyncLocalStorage of OpenTelemetry's registered context manager, when it has one (see `bindContext`). */
function contextStorage(): AsyncLocalStorage<Context> | undefined {
  const api = context as unknown as { _getContextManager?: () => unknown };
  const manager = typeof api._getContextManager === "function" ? api._getContextManager() : undefined;
  const storage = (manager as { _asyncLocalStorage?: unknown } | undefined)?._asyncLocalStorage;
  return storage instanceof AsyncLocalStorage ? (storage as AsyncLocalStorage<Context>) : undefined;
}

/** An attribute set without its undefined values (the SDK would warn about each). */
function defined(attributes: Record<string, string | number | boolean | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

/** What is known when the call starts: the RPC's identity and its server. */
function callAttributes(m: CccCallMessage): Attributes {
  return defined({
    "rpc.system": CCC_RPC_SYSTEM,
    "rpc.service": m.service,
    "rpc.method": m.action,
    "cloud.provider": "tencent_cloud",
    "cloud.region": m.region,
    "server.address": m.serverAddress,
    "server.port": m.serverPort,
    "ccc.api_version": m.version,
  });
}

/** The error's name and code, never its message (it may quote member values). */
function errorAttributes(m: CccErrorFacts): Record<string, string | boolean | undefined> {
  return {
    "error.type": m.errorCode ?? m.errorName,
    "ccc.error_code": m.errorCode,
    "ccc.retryable": m.retryable,
    "ccc.request_sent": m.requestSent,
  };
}

/** What the call took, set when it ends. */
function endAttributes(m: CccCallMessage): Attributes {
  return defined({
    "ccc.request_id": m.requestId,
    "ccc.attempts": m.attempts,
    "ccc.retries": Math.max(0, m.attempts - 1),
    "ccc.retry_delay_ms": m.totalRetryDelayMs,
    "http.response.status_code": m.httpStatus,
    ...(m.errorName === undefined ? {} : errorAttributes(m)),
  });
}

function attemptAttributes(m: CccAttemptMessage): Attributes {
  return defined({
    "ccc.attempt": m.attempt,
    "ccc.attempt.outcome": m.outcome,
    "ccc.attempt.duration_ms": m.durationMs,
    "ccc.rate_limit.wait_ms": m.rateLimitWaitMs || undefined,
    "ccc.retry.delay_ms": m.delayMs,
    "ccc.request_id": m.requestId,
    "http.response.status_code": m.httpStatus,
    ...(m.outcome === "success" ? {} : errorAttributes(m)),
  });
}

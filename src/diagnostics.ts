/**
 * What calls tell `node:diagnostics_channel`, for tracing (ccc-sdk/otel turns it into OpenTelemetry spans; any
 * other tracer can subscribe too). Every CCC call is `POST /` to one host and answers errors with HTTP 200, so
 * HTTP instrumentation sees nothing of actions, codes or retries: these channels say it.
 *
 * - `ccc-sdk:call`, a TracingChannel (`tracing:ccc-sdk:call:start|end|asyncStart|asyncEnd|error`): one
 *   `CccCallMessage` per call, the same object at every event, completed when the call settles.
 * - `ccc-sdk:attempt`, a plain channel: one `CccAttemptMessage` per attempt, when its outcome is known.
 *
 * Messages hold facts about the call, never a member value of its input or output (they hold phone numbers) nor
 * anything of the credentials; so not the error either (its message and fields may quote values), only its name
 * and code. Nothing is built while nobody listens: a call checks `hasSubscribers` once, at its start. Where the
 * runtime has no node:diagnostics_channel (a browser), nothing is published at all.
 */
import { optionalBuiltin } from "./builtins.js";

/** The TracingChannel of calls: `diagnostics_channel.tracingChannel(CCC_CALL_CHANNEL)`. */
export const CCC_CALL_CHANNEL = "ccc-sdk:call";
/** The channel of attempts: `diagnostics_channel.subscribe(CCC_ATTEMPT_CHANNEL, fn)`. */
export const CCC_ATTEMPT_CHANNEL = "ccc-sdk:attempt";

/** The events of a TracingChannel, each a channel of its own. */
export type CallEvent = "start" | "end" | "asyncStart" | "asyncEnd" | "error";

/** The name of one event's channel, as a TracingChannel names it: `tracing:ccc-sdk:call:start`. */
export function callEventChannel(event: CallEvent): string {
  return `tracing:${CCC_CALL_CHANNEL}:${event}`;
}

/** What an error says about itself, without its message: the same fields on calls, attempts and log lines. */
export interface CccErrorFacts {
  /** The error class's name (`CccError`, `CccTimeoutError`, `CccValidationError`); undefined on success. */
  readonly errorName: string | undefined;
  /** The API's error code (`RequestLimitExceeded`) or the system's (`ECONNRESET`), when there is one. */
  readonly errorCode: string | undefined;
  /** Whether the SDK considers another attempt safe (`retryable` of the error). */
  readonly retryable: boolean | undefined;
  /** For a connection failure: whether a byte of the request was written (the server may have seen it). */
  readonly requestSent: boolean | undefined;
}

/**
 * The message of every event of `ccc-sdk:call`. The first six fields are set at `start`; the others are 0 or
 * undefined until the call settles, and final at `error`, `asyncStart` and `asyncEnd`.
 */
export interface CccCallMessage extends CccErrorFacts {
  /** The action (`DisableCCCPhoneNumber`). */
  readonly action: string;
  /** The API's service name (`ccc`). */
  readonly service: string;
  /** The API version (`2020-02-10`). */
  readonly version: string;
  /** The endpoint's host name (`ccc.tencentcloudapi.com`). */
  readonly serverAddress: string;
  /** The endpoint's port (443 for https). */
  readonly serverPort: number;
  /** `X-TC-Region` of the call (the call's option, else the client's), if any. */
  readonly region: string | undefined;
  /** Attempts made (0 when the input was refused before sending). */
  readonly attempts: number;
  /** The time waited between attempts (backoff, `Retry-After`), in ms. */
  readonly totalRetryDelayMs: number;
  /** From the call to its end, in ms. */
  readonly durationMs: number;
  /** The `RequestId` of the last answer (of a success, or of an API error). */
  readonly requestId: string | undefined;
  /** The HTTP status of the last answer (200 for every CCC answer, errors included). */
  readonly httpStatus: number | undefined;
}

/** How an attempt ended: answered, failed and retried, or failed and the call with it. */
export type CccAttemptOutcome = "success" | "retry" | "failure";

/** The message of `ccc-sdk:attempt`, published when an attempt's outcome is known (before a retry's wait). */
export interface CccAttemptMessage extends CccErrorFacts {
  /** The call this attempt belongs to: the same object the `ccc-sdk:call` events carry. */
  readonly call: CccCallMessage;
  readonly action: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly outcome: CccAttemptOutcome;
  /** From the attempt's start (credentials, rate limit, signing, sending) to its outcome, in ms. */
  readonly durationMs: number;
  /** Of `durationMs`, the time queued on the client's rate limit. */
  readonly rateLimitWaitMs: number;
  /** For `retry`: the wait before the next attempt, in ms. */
  readonly delayMs: number | undefined;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
}

/** The facts of `error`, the same for every kind of SDK error (and anything else a middleware may throw). */
export function errorFacts(error: unknown): CccErrorFacts {
  const e = error as { name?: unknown; code?: unknown; retryable?: unknown; requestSent?: unknown } | null | undefined;
  const known = typeof e === "object" && e !== null;
  return {
    errorName: known && typeof e.name === "string" ? e.name : typeof error,
    errorCode: known && e.code !== undefined && e.code !== null ? String(e.code) : undefined,
    retryable: known && typeof e.retryable === "boolean" ? e.retryable : undefined,
    requestSent: known && typeof e.requestSent === "boolean" ? e.requestSent : undefined,
  };
}

/** The answer facts of an error (API errors and unreadable answers have them). */
export function answerFacts(error: unknown): { requestId: string | undefined; httpStatus: number | undefined } {
  const e = error as { requestId?: unknown; httpStatus?: unknown } | null | undefined;
  return {
    requestId: typeof e?.requestId === "string" ? e.requestId : undefined,
    httpStatus: typeof e?.httpStatus === "number" ? e.httpStatus : undefined,
  };
}

// -- The channels, as far as the SDK uses them (node:diagnostics_channel's types would need @types/node) -----------

interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
  runStores<T>(message: unknown, fn: () => T): T;
}

interface Channels {
  readonly start: Channel;
  readonly end: Channel;
  readonly asyncStart: Channel;
  readonly asyncEnd: Channel;
  readonly error: Channel;
  readonly attempt: Channel;
}

interface DiagnosticsChannelModule {
  channel?(name: string): Channel;
  tracingChannel?(name: string): Omit<Channels, "attempt">;
}

/** null: the runtime has no diagnostics_channel. Opened by the first call, held for the process's life. */
let opened: Channels | null | undefined;

function openChannels(): Channels | null {
  const dc = optionalBuiltin("node:diagnostics_channel") as DiagnosticsChannelModule | undefined;
  // TracingChannel came with Node 19.9 (Node 20.0 has it, as do Bun and Deno): without it, nothing is published.
  if (typeof dc?.tracingChannel !== "function" || typeof dc.channel !== "function") return null;
  const { start, end, asyncStart, asyncEnd, error } = dc.tracingChannel(CCC_CALL_CHANNEL);
  return { start, end, asyncStart, asyncEnd, error, attempt: dc.channel(CCC_ATTEMPT_CHANNEL) };
}

function listened(c: Channels): boolean {
  return (
    c.start.hasSubscribers ||
    c.asyncEnd.hasSubscribers ||
    c.attempt.hasSubscribers ||
    c.end.hasSubscribers ||
    c.asyncStart.hasSubscribers ||
    c.error.hasSubscribers
  );
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** What a call has recorded when it settles (the client's CallRecord). */
export interface CallTotals {
  readonly requestId: string | undefined;
  readonly attempts: number;
  readonly totalRetryDelayMs: number;
  readonly durationMs: number;
  readonly httpStatus: number | undefined;
}

/** What one attempt tells its channel. */
export interface AttemptReport {
  readonly attempt: number;
  readonly outcome: CccAttemptOutcome;
  readonly durationMs: number;
  readonly rateLimitWaitMs: number;
  readonly delayMs?: number | undefined;
  readonly requestId?: string | undefined;
  readonly httpStatus?: number | undefined;
  /** The attempt's error, for retry and failure. */
  readonly error?: unknown;
}

/** One call being traced: it publishes its own events and its attempts'. */
export class CallTrace {
  readonly #channels: Channels;
  readonly #message: Writable<CccCallMessage>;

  constructor(channels: Channels, message: Writable<CccCallMessage>) {
    this.#channels = channels;
    this.#message = message;
  }

  /**
   * Runs the call inside the TracingChannel's events: `start` (through `runStores`, so that a subscriber's bound
   * store, an OpenTelemetry context, is the call's), `end` once it returned its promise, then `error` if it failed,
   * `asyncStart` and `asyncEnd` when it settled, the message completed from `totals` before those.
   */
  run<T>(call: () => Promise<T>, totals: CallTotals): Promise<T> {
    const c = this.#channels;
    const message = this.#message;
    return c.start.runStores(message, () => {
      let promise: Promise<T>;
      try {
        promise = call();
      } finally {
        c.end.publish(message);
      }
      return promise.then(
        (result) => {
          this.#settle(totals, false, undefined);
          c.asyncStart.publish(message);
          c.asyncEnd.publish(message);
          return result;
        },
        (error: unknown) => {
          this.#settle(totals, true, error);
          c.error.publish(message);
          c.asyncStart.publish(message);
          c.asyncEnd.publish(message);
          throw error;
        },
      );
    });
  }

  /** Whether an attempt's report would reach anyone (so the caller measures what it needs only then). */
  get attemptsListened(): boolean {
    return this.#channels.attempt.hasSubscribers;
  }

  /** Publishes an attempt's outcome, if anyone listens. */
  attempt(report: AttemptReport): void {
    if (!this.#channels.attempt.hasSubscribers) return;
    const failed = report.outcome !== "success";
    const facts = failed ? errorFacts(report.error) : NO_ERROR;
    const answer = failed ? answerFacts(report.error) : report;
    const message: CccAttemptMessage = {
      call: this.#message,
      action: this.#message.action,
      attempt: report.attempt,
      outcome: report.outcome,
      durationMs: report.durationMs,
      rateLimitWaitMs: report.rateLimitWaitMs,
      delayMs: report.delayMs,
      requestId: answer.requestId,
      httpStatus: answer.httpStatus,
      ...facts,
    };
    this.#channels.attempt.publish(message);
  }

  #settle(totals: CallTotals, failed: boolean, error: unknown): void {
    const m = this.#message;
    m.attempts = totals.attempts;
    m.totalRetryDelayMs = totals.totalRetryDelayMs;
    m.durationMs = totals.durationMs;
    m.requestId = totals.requestId;
    m.httpStatus = totals.httpStatus;
    if (!failed) return;
    Object.assign(m, errorFacts(error));
    // An API error's answer is the last one: its RequestId is the one to quote.
    const answer = answerFacts(error);
    m.requestId = answer.requestId ?? m.requestId;
    m.httpStatus = answer.httpStatus ?? m.httpStatus;
  }
}

const NO_ERROR: CccErrorFacts = Object.freeze({
  errorName: undefined,
  errorCode: undefined,
  retryable: undefined,
  requestSent: undefined,
});

/**
 * The trace of a call starting now, or undefined when nobody listens (then nothing is built, and the call stays
 * untraced to its end even if someone subscribes meanwhile).
 */
export function traceCall(
  action: string,
  service: string,
  version: string,
  url: URL,
  region: string | undefined,
): CallTrace | undefined {
  opened ??= openChannels();
  if (opened === null || !listened(opened)) return undefined;
  return new CallTrace(opened, {
    action,
    service,
    version,
    serverAddress: url.hostname.replace(/^\[(.*)\]$/, "$1"), // an IPv6 address without its URL brackets
    serverPort: Number(url.port) || (url.protocol === "http:" ? 80 : 443),
    region,
    attempts: 0,
    totalRetryDelayMs: 0,
    durationMs: 0,
    requestId: undefined,
    httpStatus: undefined,
    ...NO_ERROR,
  });
}

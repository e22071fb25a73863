/**
 * Errors thrown by the SDK. Every one is a `CccSdkError`; API answers are `CccError`, the rest say what went
 * wrong on the way. None of them ever holds a SecretKey, a token or a signature.
 */
import type { Violation } from "./validate.js";

/** `util.inspect.custom`, without importing node:util (so the published types need no @types/node). */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * On every SDK error: the `errorName`s of its class and its ancestors. The key is a registered symbol, the same in
 * every copy of the package a process loads (an app that both imports and requires it gets the ES module and the
 * CommonJS build), so that `instanceof` holds across copies.
 */
const ERROR_NAMES: unique symbol = Symbol.for("ccc-sdk.errorNames");

export class CccSdkError extends Error {
  /**
   * The errors' `name`, written as a string: a class's own name does not survive an app's minifier (errors would
   * be named `"G"` or `"E"`). Each subclass sets its own; a subclass an app writes inherits its parent's.
   */
  static readonly errorName: string = "CccSdkError";
  /** The action being called, when there is one. */
  readonly action: string | undefined;
  /** Whether the same call may succeed if tried again (the SDK's retry policy reads this). */
  readonly retryable: boolean;
  /** Attempts the call made before failing with this error (set by the client; undefined outside a call). */
  readonly attempts: number | undefined;
  /** From the call to this error, in ms, retries and waits included (set by the client). */
  readonly durationMs: number | undefined;

  constructor(message: string, opts: { action?: string | undefined; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = (new.target as typeof CccSdkError).errorName;
    this.action = opts.action;
    this.retryable = opts.retryable ?? false;
    this.attempts = undefined;
    this.durationMs = undefined;
  }
}

// Both defined outside the class body: they change no type, and so stay out of the declarations.

// `err instanceof CccTimeoutError` also holds for an error thrown by the package's other build in the same process.
// Only for the SDK's own classes (those that set `errorName`): a subclass an app writes matches its own instances.
Object.defineProperty(CccSdkError, Symbol.hasInstance, {
  value: function hasInstance(this: typeof CccSdkError, value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== "object" || value === null || !Object.hasOwn(this, "errorName")) return false;
    const names = (value as { [ERROR_NAMES]?: unknown })[ERROR_NAMES];
    return Array.isArray(names) && names.includes(this.errorName);
  },
});

// ERROR_NAMES of an error: the SDK classes it is an instance of, by name. A getter on the prototype, so it is
// not an own property (JSON, util.inspect).
Object.defineProperty(CccSdkError.prototype, ERROR_NAMES, {
  get(this: CccSdkError): string[] {
    const names: string[] = [];
    for (let c = this.constructor; c && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, "errorName")) names.push((c as typeof CccSdkError).errorName);
    }
    return names;
  },
});

/**
 * An error answered by the CCC API (`Response.Error`). `code` is typed with the action's documented codes plus
 * the common ones; narrow with `err.action === "DisableCCCPhoneNumber"` on a `CccActionError`.
 */
export class CccError<A extends string = string, C extends string = string> extends CccSdkError {
  static override readonly errorName: string = "CccError";
  declare readonly action: A;
  readonly code: C;
  /** Tencent's message as answered, without the SDK's decoration. */
  readonly apiMessage: string;
  readonly requestId: string;
  readonly httpStatus: number;

  constructor(init: {
    action: A;
    code: C;
    message: string;
    requestId: string;
    httpStatus: number;
    retryable?: boolean;
  }) {
    super(`${init.code}: ${init.message} (action ${init.action}, RequestId ${init.requestId})`, {
      action: init.action,
      retryable: init.retryable ?? false,
    });
    this.code = init.code;
    this.apiMessage = init.message;
    this.requestId = init.requestId;
    this.httpStatus = init.httpStatus;
  }
}

/** The input broke the spec; nothing was sent. */
export class CccValidationError extends CccSdkError {
  static override readonly errorName: string = "CccValidationError";
  readonly violations: readonly Violation[];
  constructor(action: string, violations: readonly Violation[]) {
    super(`invalid input for ${action}: ${violations.map((v) => `${v.message} (${v.rule})`).join("; ")}`, { action });
    this.violations = violations;
  }
}

/** The client is misconfigured: an option or the credentials. Thrown before any request. */
export class CccConfigError extends CccSdkError {
  static override readonly errorName: string = "CccConfigError";
}

/**
 * The connection failed: refused, reset, DNS, TLS. `requestSent` is false only when no byte of the request was
 * written to an established connection, so the server cannot have seen it; true means it may have.
 */
export class CccConnectionError extends CccSdkError {
  static override readonly errorName: string = "CccConnectionError";
  readonly requestSent: boolean;
  /** The system or TLS error code (`ECONNRESET`, `CERT_HAS_EXPIRED`, …), when there is one. */
  readonly code: string | undefined;
  constructor(
    message: string,
    opts: { action?: string; requestSent: boolean; cause?: unknown; retryable?: boolean; code?: string | undefined },
  ) {
    super(message, opts);
    this.requestSent = opts.requestSent;
    this.code = opts.code;
  }
}

/** No complete answer within `timeoutMs`; the socket was closed. */
export class CccTimeoutError extends CccConnectionError {
  static override readonly errorName: string = "CccTimeoutError";
  readonly timeoutMs: number;
  constructor(action: string, timeoutMs: number, requestSent: boolean, retryable = false) {
    super(
      `${action} timed out after ${timeoutMs} ms ${
        requestSent
          ? "after the request was sent: the server may have received it"
          : "before the request was sent (connecting)"
      }`,
      { action, requestSent, retryable },
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `signal` aborted the call. */
export class CccAbortError extends CccSdkError {
  static override readonly errorName: string = "CccAbortError";
  constructor(action: string, cause?: unknown) {
    super(`${action} was aborted`, { action, cause });
  }
}

/** The server answered something that is not a CCC answer: another HTTP status, HTML, truncated or empty JSON. */
export class CccResponseError extends CccSdkError {
  static override readonly errorName: string = "CccResponseError";
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  /** The first 200 characters of the body, for diagnosis. */
  readonly bodySnippet: string;
  constructor(
    message: string,
    opts: {
      action: string;
      httpStatus: number;
      body: string;
      requestId?: string;
      cause?: unknown;
      retryable?: boolean;
    },
  ) {
    super(message, opts);
    this.httpStatus = opts.httpStatus;
    this.requestId = opts.requestId;
    this.bodySnippet = opts.body.length > 200 ? `${opts.body.slice(0, 200)}…` : opts.body;
  }
}

/** An answer over the size cap: the socket is closed at the cap, nothing more is read. */
export function responseTooLarge(
  action: string,
  httpStatus: number,
  cap: number,
  announced?: number,
): CccResponseError {
  return new CccResponseError(
    announced === undefined
      ? `${action}: the answer is larger than ${cap} bytes (maxResponseBytes); the connection was closed`
      : `${action}: the answer announces ${announced} bytes, larger than ${cap} bytes (maxResponseBytes); nothing was read`,
    { action, httpStatus, body: "", retryable: false },
  );
}

/**
 * The answer holds an integer beyond ±2^53, which a JavaScript number cannot hold exactly: rather than hand over a
 * silently rounded value, the call fails. `answer` is the whole `Response` as the server wrote it, with every such
 * integer as a `bigint`, so nothing is lost (the call did reach the server and may have acted).
 */
export class CccUnsafeIntegerError extends CccResponseError {
  static override readonly errorName: string = "CccUnsafeIntegerError";
  /** The first such member, in Tencent's notation (`TelCdrs[1].Duration`). */
  readonly path: string;
  /** Its exact value (not enumerable, like `answer`: JSON.stringify cannot write a bigint). */
  declare readonly value: bigint;
  /** The `Response` members, exact (`bigint` where a number would have been rounded). */
  declare readonly answer: unknown;
  constructor(opts: {
    action: string;
    httpStatus: number;
    path: string;
    value: bigint;
    answer: unknown;
    others: number;
  }) {
    super(
      `${opts.action}: the answer's ${opts.path} is ${opts.value}, beyond ±2^53 where a JavaScript number is exact` +
        `${opts.others ? ` (and ${opts.others} more such integer(s))` : ""}; the exact answer is on this error's \`answer\``,
      { action: opts.action, httpStatus: opts.httpStatus, body: "", retryable: false },
    );
    this.path = opts.path;
    Object.defineProperty(this, "value", { value: opts.value, enumerable: false });
    Object.defineProperty(this, "answer", { value: opts.answer, enumerable: false });
  }
}

/** Why a waiter gave up: an acceptor said `failure`, `maxWaitMs` ran out, or the caller's `signal` aborted. */
export type WaiterFailureReason = "failure" | "timeout" | "aborted";

/**
 * A waiter (`client.waitUntil<Name>()`) ended without success. `lastResult` is the last poll's result (undefined
 * when no poll answered); an error a poll failed with, where there is one, is the `cause`.
 */
export class CccWaiterError extends CccSdkError {
  static override readonly errorName: string = "CccWaiterError";
  /** The waiter's name (`AutoCalloutTaskFinished`). */
  readonly waiter: string;
  readonly reason: WaiterFailureReason;
  /** Polls made. */
  readonly polls: number;
  /** From the first poll to this error, in ms. */
  readonly waitedMs: number;
  /** The last poll's result, if a poll answered (not enumerable: it may be large). */
  declare readonly lastResult: unknown;
  constructor(opts: {
    waiter: string;
    action: string;
    reason: WaiterFailureReason;
    polls: number;
    waitedMs: number;
    lastResult: unknown;
    cause?: unknown;
  }) {
    const why =
      opts.reason === "failure"
        ? "reached a failure state"
        : opts.reason === "timeout"
          ? `timed out after ${Math.round(opts.waitedMs)} ms`
          : "was aborted";
    super(`waiter ${opts.waiter} ${why} (${opts.polls} poll(s) of ${opts.action})`, {
      action: opts.action,
      cause: opts.cause,
    });
    this.waiter = opts.waiter;
    this.reason = opts.reason;
    this.polls = opts.polls;
    this.waitedMs = opts.waitedMs;
    Object.defineProperty(this, "lastResult", { value: opts.lastResult, enumerable: false });
  }
}

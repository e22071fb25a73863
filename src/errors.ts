/**
 * Errors thrown by the SDK. Every one is a `CccSdkError`; API answers are `CccError`, the rest say what went
 * wrong on the way. None of them ever holds a SecretKey, a token or a signature.
 */
import type { Violation } from "./validate.js";

/** `util.inspect.custom`, without importing node:util (so the published types need no @types/node). */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom");

export class CccSdkError extends Error {
  /** The action being called, when there is one. */
  readonly action: string | undefined;
  /** Whether the same call may succeed if tried again (the SDK's retry policy reads this). */
  readonly retryable: boolean;

  constructor(message: string, opts: { action?: string | undefined; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.action = opts.action;
    this.retryable = opts.retryable ?? false;
  }
}

/**
 * An error answered by the CCC API (`Response.Error`). `code` is typed with the action's documented codes plus
 * the common ones; narrow with `err.action === "DisableCCCPhoneNumber"` on a `CccActionError`.
 */
export class CccError<A extends string = string, C extends string = string> extends CccSdkError {
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
  readonly violations: readonly Violation[];
  constructor(action: string, violations: readonly Violation[]) {
    super(`invalid input for ${action}: ${violations.map((v) => `${v.message} (${v.rule})`).join("; ")}`, { action });
    this.violations = violations;
  }
}

/** The client is misconfigured: an option or the credentials. Thrown before any request. */
export class CccConfigError extends CccSdkError {}

/** The connection failed: refused, reset, DNS, TLS. `requestSent` tells whether the server may have seen it. */
export class CccConnectionError extends CccSdkError {
  readonly requestSent: boolean;
  constructor(message: string, opts: { action?: string; requestSent: boolean; cause?: unknown; retryable?: boolean }) {
    super(message, opts);
    this.requestSent = opts.requestSent;
  }
}

/** No complete answer within `timeoutMs`; the socket was closed. */
export class CccTimeoutError extends CccConnectionError {
  readonly timeoutMs: number;
  constructor(action: string, timeoutMs: number, requestSent: boolean, retryable = false) {
    super(`${action} timed out after ${timeoutMs} ms`, { action, requestSent, retryable });
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `signal` aborted the call. */
export class CccAbortError extends CccSdkError {
  constructor(action: string, cause?: unknown) {
    super(`${action} was aborted`, { action, cause });
  }
}

/** The server answered something that is not a CCC answer: another HTTP status, HTML, truncated or empty JSON. */
export class CccResponseError extends CccSdkError {
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

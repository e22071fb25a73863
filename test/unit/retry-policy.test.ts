/** The retry policy on its own: what is retryable, how long to wait, the clock correction, forgetting credentials. */
import { describe, expect, it } from "vitest";
import { CccConnectionError, CccError, CccResponseError, CccValidationError } from "../../src/errors.js";
import {
  apiErrorRetryable,
  connectionRetryable,
  decide,
  httpStatusRetryable,
  MAX_RETRY_AFTER_MS,
  noteAnswerHints,
  unreadableAnswerRetryable,
  type RetryPolicy,
} from "../../src/retry.js";

const policy: RetryPolicy = { maxRetries: 2, backoff: { baseMs: 100, maxMs: 1_000 }, random: () => 0.5 };
const fresh = { retries: 0, clockCorrected: false };
const apiError = (code: string, retryable: boolean) =>
  new CccError({ action: "A", code, message: "m", requestId: "r", httpStatus: 200, retryable });
const headers = (values: Record<string, string>) => (name: string) => values[name] ?? null;

describe("which failures are retryable", () => {
  it("connections: unsent always, sent only when idempotent, permanent never", () => {
    expect(connectionRetryable({ requestSent: false, permanent: false }, false)).toBe(true);
    expect(connectionRetryable({ requestSent: true, permanent: false }, false)).toBe(false);
    expect(connectionRetryable({ requestSent: true, permanent: false }, true)).toBe(true);
    expect(connectionRetryable({ requestSent: false, permanent: true }, true)).toBe(false);
  });

  it("API codes by their retry class; HTTP 429 always and 5xx when idempotent; unreadable answers when idempotent", () => {
    expect(apiErrorRetryable("always", false)).toBe(true);
    expect(apiErrorRetryable("idempotent", false)).toBe(false);
    expect(apiErrorRetryable("idempotent", true)).toBe(true);
    expect(apiErrorRetryable(undefined, true)).toBe(false);
    expect(httpStatusRetryable(429, false)).toBe(true);
    expect(httpStatusRetryable(502, false)).toBe(false);
    expect(httpStatusRetryable(502, true)).toBe(true);
    expect(httpStatusRetryable(404, true)).toBe(false);
    expect(unreadableAnswerRetryable(true)).toBe(true);
    expect(unreadableAnswerRetryable(false)).toBe(false);
  });
});

describe("decide()", () => {
  it("retries a retryable SDK error after a full-jitter backoff, counting it", () => {
    const d = decide(apiError("RequestLimitExceeded", true), fresh, policy);
    expect(d).toMatchObject({ retry: true, countsAsRetry: true, delayMs: 50, forgetCredentials: false });
    expect(decide(apiError("RequestLimitExceeded", true), { retries: 1, clockCorrected: false }, policy)).toMatchObject(
      {
        delayMs: 100,
      },
    );
  });

  it("does not retry what is not retryable, what is not the SDK's, or once the retries are used up", () => {
    expect(decide(apiError("InvalidParameter", false), fresh, policy).retry).toBe(false);
    expect(decide(new TypeError("the caller's bug"), fresh, policy).retry).toBe(false);
    expect(decide(new CccValidationError("A", []), fresh, policy).retry).toBe(false);
    const sent = new CccConnectionError("x", { requestSent: false, retryable: true });
    expect(decide(sent, { retries: 2, clockCorrected: false }, policy)).toMatchObject({
      retry: false,
      reason: "retries used up",
    });
  });

  it("waits at least Retry-After, and gives up on one over the maximum", () => {
    const limited = new CccResponseError("429", { action: "A", httpStatus: 429, body: "", retryable: true });
    noteAnswerHints(limited, headers({ "retry-after": "3" }));
    expect(decide(limited, fresh, policy)).toMatchObject({ retry: true, delayMs: 3_000 });
    const tooLong = new CccResponseError("429", { action: "A", httpStatus: 429, body: "", retryable: true });
    noteAnswerHints(tooLong, headers({ "retry-after": String(MAX_RETRY_AFTER_MS / 1000 + 1) }));
    expect(decide(tooLong, fresh, policy).retry).toBe(false);
  });

  it("corrects the clock once from the server's Date on SignatureExpire, without counting a retry", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const expired = apiError("AuthFailure.SignatureExpire", false);
    noteAnswerHints(expired, headers({ date: "Tue, 01 Dec 2026 12:10:00 GMT" }), now);
    expect(decide(expired, fresh, policy, now)).toMatchObject({
      retry: true,
      countsAsRetry: false,
      delayMs: 0,
      clockOffsetMs: 600_000,
    });
    expect(decide(expired, { retries: 0, clockCorrected: true }, policy, now).retry).toBe(false);
    expect(decide(apiError("AuthFailure.SignatureExpire", false), fresh, policy, now).retry).toBe(false); // no Date
  });

  it("says to forget cached credentials after SecretIdNotFound or TokenFailure, and only then", () => {
    expect(decide(apiError("AuthFailure.SecretIdNotFound", false), fresh, policy).forgetCredentials).toBe(true);
    expect(decide(apiError("AuthFailure.TokenFailure", false), fresh, policy).forgetCredentials).toBe(true);
    expect(decide(apiError("AuthFailure.SignatureFailure", false), fresh, policy).forgetCredentials).toBe(false);
  });
});

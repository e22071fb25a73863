/**
 * What an answer means: the action's result, or a typed error with `retryable` set by the retry policy. Both
 * request paths (the direct transport and openapi-fetch) hand their answers here.
 */
import type { ActionDefinition, ServiceDefinition } from "./action.js";
import { exactValue, parseAnswer, type ParsedAnswer } from "./answer.js";
import { CccError, CccResponseError, CccUnsafeIntegerError } from "./errors.js";
import { apiErrorRetryable, httpStatusRetryable, noteAnswerHints, unreadableAnswerRetryable } from "./retry.js";
import type { WireAnswer } from "./transport.js";

interface Envelope {
  Response?: { Error?: { Code?: unknown; Message?: unknown }; RequestId?: unknown; [k: string]: unknown };
}

const RESPONSE_PREFIX = "Response.";

function headerOf(answer: WireAnswer): (name: string) => string | null {
  return (name) => {
    const value = answer.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  };
}

/** Resolves to the `Response` members of a successful answer; throws CccError, CccResponseError otherwise. */
export function interpret(service: ServiceDefinition, action: ActionDefinition, answer: WireAnswer): unknown {
  const name = action.name;
  const { status, body } = answer;
  let parsed: ParsedAnswer | undefined;
  let parseError: unknown;
  if (body !== "")
    try {
      parsed = parseAnswer(body);
    } catch (e) {
      parseError = e;
    }
  const envelope = parsed?.value as Envelope | undefined;
  const inner = envelope && typeof envelope === "object" ? envelope.Response : undefined;

  if (inner && typeof inner === "object" && inner.Error && typeof inner.Error === "object") {
    const code = String(inner.Error.Code ?? "UnknownError");
    const error = new CccError({
      action: name,
      code,
      message: String(inner.Error.Message ?? ""),
      requestId: String(inner.RequestId ?? ""),
      httpStatus: status,
      retryable: apiErrorRetryable(service.retry[code], action.idempotent),
    });
    noteAnswerHints(error, headerOf(answer));
    throw error;
  }
  if (status !== 200) {
    const error = new CccResponseError(
      `${name}: the server answered HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ""} without a CCC answer`,
      { action: name, httpStatus: status, body, retryable: httpStatusRetryable(status, action.idempotent) },
    );
    noteAnswerHints(error, headerOf(answer));
    throw error;
  }
  if (parseError !== undefined || !inner || typeof inner !== "object" || Array.isArray(inner)) {
    throw new CccResponseError(
      parseError !== undefined
        ? `${name}: the answer is not valid JSON (${(parseError as Error).message})`
        : body === ""
          ? `${name}: the answer was empty`
          : `${name}: the answer has no Response object`,
      {
        action: name,
        httpStatus: status,
        body,
        cause: parseError,
        retryable: unreadableAnswerRetryable(action.idempotent),
      },
    );
  }
  const unsafe = parsed!.unsafe.filter((u) => u.path.startsWith(RESPONSE_PREFIX));
  if (unsafe.length) {
    const exact = exactValue(envelope, unsafe) as Envelope;
    const first = unsafe[0]!;
    throw new CccUnsafeIntegerError({
      action: name,
      httpStatus: status,
      path: first.path.slice(RESPONSE_PREFIX.length),
      value: BigInt(first.literal),
      answer: exact.Response,
      others: unsafe.length - 1,
    });
  }
  return inner;
}

/**
 * The errors `POST /` answers in Tencent's envelope, and validate()'s violations as the one such error Tencent
 * answers for a body.
 */
import { VALUE_RULES, type Violation } from "../validate.js";

/** An error answered as `{ Response: { Error: { Code, Message } } }`; anything else thrown is an emulator bug. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The rules of validate()'s violations that describe a client's value (the validator's own list). Any other (a
 * value that cannot be serialized, say) cannot come from a parsed JSON body, so it is a bug here, and its message
 * is not the client's.
 */
const CLIENT_RULES: ReadonlySet<string> = new Set(VALUE_RULES);

/** The value at a Tencent path (`DetailList[0].CallType`) of `body`. */
function valueAt(body: unknown, tencentPath: string): unknown {
  let current = body;
  for (const m of tencentPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[m[1] ?? m[2]!];
  }
  return current;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * validate()'s violations as the one error Tencent answers: missing first, then unknown, then any other. A
 * violation of a rule outside CLIENT_RULES is thrown as an internal error instead.
 */
export function apiErrorOf(violations: readonly Violation[], body: unknown): ApiError {
  const unmapped = violations.find((v) => !CLIENT_RULES.has(v.rule));
  if (unmapped) throw new Error(`validate() reported a ${unmapped.rule} violation: ${unmapped.message}`);
  const missing = violations.find((v) => v.rule === "required");
  if (missing)
    return new ApiError("MissingParameter", `The request is missing a required parameter \`${missing.path}\`.`);
  const unknown = violations.find((v) => v.rule === "unknown");
  if (unknown) return new ApiError("UnknownParameter", `The parameter \`${unknown.path}\` is not recognized.`);
  const v = violations[0]!;
  return new ApiError(
    "InvalidParameterValue",
    `The value \`${shown(valueAt(body, v.path))}\` specified in parameter \`${v.path}\` is invalid: ${v.message}.`,
  );
}

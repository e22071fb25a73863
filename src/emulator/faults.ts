/**
 * Every rule a scripted fault must pass before it is queued, in one place for `Emulator.inject` and
 * `POST /__admin/faults` alike, so that an accepted fault always plays. (A fault that failed only when a call
 * consumed it would surface as an emulator error in some later step, far from the line that scripted it.)
 */
import type { EmulatedService } from "./spec.js";
import type { FaultType, QueuedFault } from "./types.js";

export const FAULT_TYPES: readonly FaultType[] = [
  "error",
  "http",
  "truncated",
  "cut",
  "delay",
  "reset",
  "reset-after-read",
];
/** The longest `delay`, in ms: longer than any client timeout worth testing, short enough to end a test run. */
export const MAX_DELAY_MS = 30_000;
/** The most uses (`times`) one fault may have. */
export const MAX_FAULT_USES = 1_000_000;
/** The largest `http` body, in UTF-8 bytes: room for any gateway's error page. */
export const MAX_FAULT_BODY_BYTES: number = 64 * 1024;
const MAX_CODE_LENGTH = 128;
const MAX_MESSAGE_LENGTH = 4096;
const MAX_CONTENT_TYPE_LENGTH = 256;
/** Statuses whose answers carry no body (RFC 9110 §15.3.5, §15.3.6, §15.4.5): Node drops or sends it wrongly. */
const BODYLESS_STATUSES: readonly number[] = [204, 205, 304];

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** What Node accepts in a header value without complaint, and what a media type is made of. */
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;
/** Tencent's codes, such as `FailedOperation.CurStateNotAllowModify`. */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** A field's rule (shared with the other admin inputs: pushes): undefined when `value` passes, else what the value must be ("must be a string"). */
export type Rule = (value: unknown) => string | undefined;

export interface FieldSpec {
  readonly rule: Rule;
  readonly required?: true;
}

export type Fields = Readonly<Record<string, FieldSpec>>;

export const aString: Rule = (v) => (typeof v === "string" ? undefined : "must be a string");

/** `aString`, then `check` on the string. */
export const stringThat =
  (check: (s: string) => string | undefined): Rule =>
  (v) =>
    aString(v) ?? check(v as string);

export const integerFrom =
  (min: number, max: number): Rule =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`;

const errorCode = stringThat((s) =>
  s.length <= MAX_CODE_LENGTH && ERROR_CODE.test(s)
    ? undefined
    : `must be 1 to ${MAX_CODE_LENGTH} letters, digits, '.', '_' or '-', starting with a letter (like FailedOperation.CurStateNotAllowModify)`,
);

const errorMessage = stringThat((s) => {
  if (CONTROL_CHARACTERS.test(s)) return "must not contain control characters";
  if (s.length > MAX_MESSAGE_LENGTH) return `must be at most ${MAX_MESSAGE_LENGTH} characters`;
  return undefined;
});

const httpStatus: Rule = (v) =>
  Number.isInteger(v) && (v as number) >= 200 && (v as number) <= 599 && !BODYLESS_STATUSES.includes(v as number)
    ? undefined
    : `must be an integer from 200 to 599 other than ${BODYLESS_STATUSES.slice(0, -1).join(", ")} and ${BODYLESS_STATUSES.at(-1)} (they carry no body)`;

const httpBody = stringThat((s) =>
  Buffer.byteLength(s, "utf8") <= MAX_FAULT_BODY_BYTES
    ? undefined
    : `must be at most ${MAX_FAULT_BODY_BYTES} bytes of UTF-8`,
);

const contentType = stringThat((s) => {
  if (s.trim() === "") return "must not be empty";
  if (CONTROL_CHARACTERS.test(s)) return "must not contain control characters";
  if (!PRINTABLE_ASCII.test(s)) return "must be printable ASCII (a media type such as text/html; charset=utf-8)";
  if (s.length > MAX_CONTENT_TYPE_LENGTH) return `must be at most ${MAX_CONTENT_TYPE_LENGTH} characters`;
  return undefined;
});

// Refused rather than clamped: a test that asks for a longer delay would otherwise pass for the wrong reason.
const delayMs: Rule = (v) =>
  typeof v === "number" && v >= 0 && v <= MAX_DELAY_MS
    ? undefined
    : `must be a number of milliseconds from 0 to ${MAX_DELAY_MS}`;

/** The fields of each fault type besides `type`, in the order they are checked. */
function fieldsByType(service: EmulatedService): Readonly<Record<FaultType, Fields>> {
  const knownAction = stringThat((s) =>
    service.actions.has(s)
      ? undefined
      : `${JSON.stringify(s)} is not an action of ${service.service} ${service.version}`,
  );
  const common: Fields = { action: { rule: knownAction }, times: { rule: integerFrom(1, MAX_FAULT_USES) } };
  return {
    error: { ...common, code: { rule: errorCode, required: true }, message: { rule: errorMessage } },
    http: {
      ...common,
      status: { rule: httpStatus, required: true },
      body: { rule: httpBody, required: true },
      contentType: { rule: contentType },
    },
    truncated: common,
    cut: common,
    delay: { ...common, ms: { rule: delayMs, required: true } },
    reset: common,
    "reset-after-read": common,
  };
}

export const ownValue = (object: object, key: string): unknown =>
  Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;

/**
 * A checker of faults for `service`: it returns the fault as it is queued (a copy of the checked fields, with
 * `times` defaulted to 1), or the first problem, naming the field (`fault.contentType must not contain control
 * characters`). An in-process field set to `undefined` counts as absent.
 */
export function faultChecker(service: EmulatedService): (input: unknown) => QueuedFault | string {
  const byType = fieldsByType(service);
  return (input) => {
    if (input === null || typeof input !== "object" || Array.isArray(input)) return "fault must be a JSON object";
    const type = ownValue(input, "type");
    if (typeof type !== "string" || !Object.hasOwn(byType, type))
      return `fault.type must be one of ${FAULT_TYPES.join(", ")}`;
    const fields = byType[type as FaultType];
    for (const key of Object.keys(input))
      if (key !== "type" && !Object.hasOwn(fields, key))
        return `fault.${key} is not a field of ${type} faults (their fields: type, ${Object.keys(fields).join(", ")})`;
    const queued: Record<string, unknown> = { type };
    for (const [name, spec] of Object.entries(fields)) {
      const value = ownValue(input, name);
      if (value === undefined) {
        if (spec.required) return `fault.${name} is required for ${type} faults`;
        continue;
      }
      const problem = spec.rule(value);
      if (problem) return `fault.${name} ${problem}`;
      queued[name] = value;
    }
    queued.times ??= 1;
    return queued as unknown as QueuedFault;
  };
}

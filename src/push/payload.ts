/**
 * A push's body read as the push handler takes it: JSON, an object, nothing a JavaScript number would round, then
 * checked leniently against the push's definition. Lenient, because a push refused is pushed again and finally
 * lost: only what the app could not use is refused (a member of the wrong type, a required member of the push
 * itself missing); members the spec does not know are kept, a `null` counts as absent, and enums, patterns and the
 * members an API answer's models always hold are not checked.
 */
import type { PushDefinition } from "../action.js";
import { parseAnswer } from "../answer.js";
import { MAX_BODY_NESTING, nestsDeeperThan } from "../json-nesting.js";
import { validate, type Violation } from "../validate.js";

/** The rules a push is refused for; the others (enums, patterns, list sizes) a newer CCC may loosen. */
const REFUSED_RULES: ReadonlySet<string> = new Set(["type", "required", "depth"]);
/** How many problems a refusal names: CCC's records and a log line need the first few, not all. */
const NAMED_PROBLEMS = 5;

/**
 * A required member of a model inside the payload (`SeatUser.Mail`): a model's `required` says what an API answer
 * always holds, not what a push holds, so it is not refused (the loader checks the spec's examples the same way).
 */
export function isModelRequired(v: Pick<Violation, "rule" | "path">): boolean {
  return v.rule === "required" && /[.[]/.test(v.path);
}

/** The payload, or why it cannot be taken (one sentence naming the first problems). */
export type ReadPayload = { readonly payload: Record<string, unknown> } | { readonly problem: string };

export function readPayload(definition: PushDefinition, text: string): ReadPayload {
  if (nestsDeeperThan(text, MAX_BODY_NESTING))
    return { problem: `the body is nested more than ${MAX_BODY_NESTING} levels deep` };
  let parsed: ReturnType<typeof parseAnswer>;
  try {
    parsed = parseAnswer(text);
  } catch {
    return { problem: "the body is not valid JSON" };
  }
  const { value, unsafe } = parsed;
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return {
      problem: `the body must be a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`}`,
    };
  if (unsafe.length)
    return {
      problem: unsafe
        .slice(0, NAMED_PROBLEMS)
        .map((u) => `${u.path} holds ${u.literal}, an integer beyond ±2^53 that JavaScript would round`)
        .join("; "),
    };
  const payload = value as Record<string, unknown>;
  for (const name of definition.numberAsString)
    if (typeof payload[name] === "number") payload[name] = String(payload[name]);
  const problems = validate(definition.members, withoutNulls(payload), { allowUnknown: true }).filter(
    (v) => REFUSED_RULES.has(v.rule) && !isModelRequired(v),
  );
  if (problems.length === 0) return { payload };
  return {
    problem: `the ${definition.action} push is malformed: ${problems
      .slice(0, NAMED_PROBLEMS)
      .map((v) => v.message)
      .join("; ")}${problems.length > NAMED_PROBLEMS ? ` (and ${problems.length - NAMED_PROBLEMS} more)` : ""}`,
  };
}

/** A copy of `value` without the object members that are `null` (CCC's way of writing a value it lacks). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

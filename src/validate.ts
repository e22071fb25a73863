/**
 * The request body, serialized once and validated as written.
 *
 * `encodeInput` walks the input together with the action's shape and writes the JSON body in the same pass, so
 * the rules are checked on exactly the values that go on the wire: own enumerable members and real list items
 * only (nothing inherited, no holes sent as `null`), each getter and `toJSON` evaluated once, `bigint` written
 * losslessly for int64/uint64 members, and the size measured against Tencent's 10 MB limit while writing. Nothing
 * the input does (a throwing getter, a cycle, a Proxy trap) escapes as an exception: it becomes a violation at its
 * path. The body is then sent as is on every attempt.
 */
import type { ConstraintName, ConstraintValues, MemberShape, Shape } from "./action.js";

/** One rule a value broke: `path` in Tencent's notation (`DetailList[0].CallType`). */
export interface Violation {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** Tencent's limit for a POST body signed with TC3 (10 MB). */
export const MAX_REQUEST_BYTES: number = 10 * 1024 * 1024;
/** Past this many violations the walk stops: the caller has enough to fix. */
const MAX_VIOLATIONS = 100;
/** Nesting allowed in values written without a shape (unknown members, `validate: false`). */
const MAX_DEPTH = 64;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export interface EncodeOptions {
  /** Check the spec's rules (default true). Without, any JSON value is written; only what cannot be written fails. */
  readonly validate?: boolean;
  /** The body limit in UTF-8 bytes (default `MAX_REQUEST_BYTES`). */
  readonly maxBytes?: number;
  /**
   * Write members the spec does not know as they are (any JSON value) instead of refusing them: `client.call()`
   * of an action newer than the spec. The members it knows are still checked.
   */
  readonly allowUnknown?: boolean;
}

export interface Encoded {
  /** The JSON body. Complete only when `violations` is empty. */
  readonly body: string;
  readonly violations: readonly Violation[];
}

/** The walk's state: violations so far, the objects being written (for cycles), and the characters written. */
interface Walk {
  readonly validate: boolean;
  readonly allowUnknown: boolean;
  readonly maxBytes: number;
  readonly violations: Violation[];
  readonly ancestors: object[];
  chars: number;
  /** Set once the body is certainly over the limit or there are enough violations: everything returns early. */
  stopped: boolean;
}

/** Sentinel of a value that could not be read (the violation is already recorded). */
const UNREADABLE: unique symbol = Symbol("unreadable");

function fail(walk: Walk, path: string, rule: string, message: string): void {
  walk.violations.push({ path, rule, message: `${path} ${message}` });
  if (walk.violations.length >= MAX_VIOLATIONS) walk.stopped = true;
}

/** Counts written characters; UTF-8 never takes fewer bytes than UTF-16 units, so passing the limit is final. */
function count(walk: Walk, text: string): string {
  walk.chars += text.length;
  if (walk.chars > walk.maxBytes) walk.stopped = true;
  return text;
}

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "bigint") return `the number ${value}`;
  return `a ${typeof value}`;
}

/** The value JSON.stringify would write for `value` under `key`: `toJSON` applied once, boxed primitives unboxed. */
function resolve(walk: Walk, value: unknown, key: string, path: string): unknown {
  if (value === null || typeof value !== "object") return value;
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") value = toJSON.call(value, key);
    if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt)
      return value.valueOf();
    return value;
  } catch (e) {
    fail(walk, path, "serialize", `cannot be serialized: its toJSON threw ${errorName(e)}`);
    return UNREADABLE;
  }
}

function errorName(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.slice(0, 100)}` : typeof e;
}

/** Own enumerable string keys, as JSON.stringify reads them; a throwing Proxy trap is a violation. */
function ownKeys(walk: Walk, value: object, path: string): string[] | undefined {
  try {
    return Object.keys(value);
  } catch (e) {
    fail(walk, path || "(input)", "serialize", `cannot be serialized: listing its members threw ${errorName(e)}`);
    return undefined;
  }
}

function readMember(walk: Walk, value: object, key: string, path: string): unknown {
  try {
    return resolve(walk, (value as Record<string, unknown>)[key], key, path);
  } catch (e) {
    fail(walk, path, "serialize", `cannot be serialized: reading it threw ${errorName(e)}`);
    return UNREADABLE;
  }
}

/** A list item, only if it is an own element: a hole is never looked up on Array.prototype. */
function readItem(walk: Walk, list: readonly unknown[], i: number, path: string): unknown {
  try {
    if (!Object.hasOwn(list, i)) return undefined;
    return resolve(walk, list[i], String(i), path);
  } catch (e) {
    fail(walk, path, "serialize", `cannot be serialized: reading it threw ${errorName(e)}`);
    return UNREADABLE;
  }
}

/** Values JSON.stringify leaves out of an object (and writes as null in a list). */
const omitted = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol";

/** Enters `value` for a nested write; false (with a violation) on a cycle or past the nesting limit. */
function enter(walk: Walk, value: object, path: string, depth: number): boolean {
  if (walk.ancestors.includes(value)) {
    fail(walk, path, "cycle", "refers back to itself (a cycle cannot be written as JSON)");
    return false;
  }
  if (depth > MAX_DEPTH) {
    fail(walk, path, "depth", `is nested more than ${MAX_DEPTH} levels deep`);
    return false;
  }
  walk.ancestors.push(value);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Without a shape: any JSON value, as JSON.stringify writes it (bigint as digits, holes as null, no prototype reads)

function writeAny(walk: Walk, value: unknown, path: string, depth: number): string | undefined {
  if (walk.stopped) return "";
  switch (typeof value) {
    case "string":
      return count(walk, JSON.stringify(value));
    case "number":
      return count(walk, Number.isFinite(value) ? String(value) : "null");
    case "bigint":
      return count(walk, value.toString());
    case "boolean":
      return count(walk, value ? "true" : "false");
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return count(walk, "null");
  const object = value as object;
  if (!enter(walk, object, path, depth)) return "";
  try {
    if (Array.isArray(object)) {
      const parts: string[] = [];
      for (let i = 0; i < object.length && !walk.stopped; i++) {
        const itemPath = `${path}[${i}]`;
        const item = readItem(walk, object, i, itemPath);
        if (item === UNREADABLE) continue;
        parts.push(writeAny(walk, item, itemPath, depth + 1) ?? count(walk, "null"));
      }
      return `[${parts.join(",")}]`;
    }
    const keys = ownKeys(walk, object, path);
    if (!keys) return "";
    const parts: string[] = [];
    for (const key of keys) {
      if (walk.stopped) break;
      const memberPath = join(path, key);
      const member = readMember(walk, object, key, memberPath);
      if (member === UNREADABLE || omitted(member)) continue;
      const text = writeAny(walk, member, memberPath, depth + 1);
      if (text !== undefined) parts.push(`${count(walk, JSON.stringify(key))}:${text}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    walk.ancestors.pop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// With a shape: the spec's rules, checked on the values written

/** Required member names of a shape, computed once per shape. */
const requiredOf = new WeakMap<Shape, readonly string[]>();
function requiredMembers(shape: Shape): readonly string[] {
  let names = requiredOf.get(shape);
  if (!names) {
    names = Object.keys(shape).filter((name) => shape[name]!.required);
    requiredOf.set(shape, names);
  }
  return names;
}

function writeObject(walk: Walk, shape: Shape, object: object, path: string, depth: number): string {
  if (!enter(walk, object, path || "(input)", depth)) return "";
  try {
    const keys = ownKeys(walk, object, path);
    if (!keys) return "";
    const parts: string[] = [];
    // Required members accounted for (written, or already reported as unreadable); the names only when one is short.
    let requiredSeen = 0;
    const handled: string[] = [];
    for (const key of keys) {
      if (walk.stopped) break;
      const memberPath = join(path, key);
      const member = Object.hasOwn(shape, key) ? shape[key]! : undefined;
      const value = readMember(walk, object, key, memberPath);
      if (value !== UNREADABLE && omitted(value)) continue;
      handled.push(key);
      if (member?.required) requiredSeen++;
      if (value === UNREADABLE) continue;
      if (!member) {
        if (!walk.allowUnknown) fail(walk, memberPath, "unknown", "is not a member of this request");
        else {
          const text = writeAny(walk, value, memberPath, depth + 1);
          if (text !== undefined) parts.push(`${count(walk, JSON.stringify(key))}:${text}`);
        }
        continue;
      }
      parts.push(`${count(walk, JSON.stringify(key))}:${writeMember(walk, member, value, memberPath, depth + 1)}`);
    }
    const required = requiredMembers(shape);
    if (requiredSeen < required.length && !walk.stopped)
      for (const name of required) if (!handled.includes(name)) fail(walk, join(path, name), "required", "is required");
    return `{${parts.join(",")}}`;
  } finally {
    walk.ancestors.pop();
  }
}

function writeMember(walk: Walk, member: MemberShape, value: unknown, path: string, depth: number): string {
  if (!member.list) return writeScalar(walk, member, value, path, depth);
  if (!Array.isArray(value)) {
    fail(walk, path, "type", `must be a list, got ${describe(value)}`);
    return "";
  }
  const list = value as readonly unknown[];
  // A list over its maxItems is not walked: it may be huge.
  if (
    !checkConstraints(walk, member, "list", list, path) &&
    member.maxItems !== undefined &&
    list.length > member.maxItems
  )
    return "";
  if (!enter(walk, list, path, depth)) return "";
  try {
    const parts: string[] = [];
    const seen = member.uniqueItems ? new Map<string, number>() : undefined;
    for (let i = 0; i < list.length && !walk.stopped; i++) {
      const itemPath = `${path}[${i}]`;
      const item = readItem(walk, list, i, itemPath);
      if (item === UNREADABLE) continue;
      if (omitted(item)) {
        fail(walk, itemPath, "required", "is missing (a hole or undefined in the list)");
        continue;
      }
      const text = writeScalar(walk, member, item, itemPath, depth + 1);
      parts.push(text);
      if (seen && text) {
        const identity = itemIdentity(member, text);
        const first = seen.get(identity);
        if (first === undefined) seen.set(identity, i);
        else fail(walk, itemPath, "uniqueItems", duplicateMessage(`${path}[${first}]`));
      }
    }
    return `[${parts.join(",")}]`;
  } finally {
    walk.ancestors.pop();
  }
}

function writeScalar(walk: Walk, member: MemberShape, value: unknown, path: string, depth: number): string {
  switch (member.type) {
    case "string":
      if (typeof value !== "string") return typeError(walk, path, "a string", value);
      checkConstraints(walk, member, "value", value, path);
      checkEnum(walk, member, value, path);
      return count(walk, JSON.stringify(value));
    case "int64":
    case "uint64":
      return writeInteger(walk, member, value, path);
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value)) return typeError(walk, path, "a finite number", value);
      checkConstraints(walk, member, "value", value, path);
      checkEnum(walk, member, value, path);
      return count(walk, String(value));
    case "bool":
      if (typeof value !== "boolean") return typeError(walk, path, "a boolean", value);
      checkEnum(walk, member, value, path);
      return count(walk, value ? "true" : "false");
    case "model":
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return typeError(walk, path, "an object", value);
      return writeObject(walk, member.model!(), value, path, depth);
  }
}

function typeError(walk: Walk, path: string, expected: string, value: unknown): string {
  fail(walk, path, "type", `must be ${expected}, got ${describe(value)}`);
  return "";
}

const patternCache = new Map<string, RegExp>();
function compiled(source: string): RegExp {
  let re = patternCache.get(source);
  if (!re) {
    re = new RegExp(source, "u");
    patternCache.set(source, re);
  }
  return re;
}

/** An int64/uint64 from a safe integer number or a bigint in the 64-bit range, written as its digits. */
function writeInteger(walk: Walk, member: MemberShape, value: unknown, path: string): string {
  const unsigned = member.type === "uint64";
  if (typeof value === "bigint") {
    if (value > (unsigned ? UINT64_MAX : INT64_MAX)) {
      fail(
        walk,
        path,
        "maximum",
        `must fit in ${member.type} (at most ${unsigned ? UINT64_MAX : INT64_MAX}), got ${value}`,
      );
      return "";
    }
    if (value < (unsigned ? 0n : INT64_MIN)) {
      fail(walk, path, "minimum", `must fit in ${member.type} (at least ${unsigned ? 0 : INT64_MIN}), got ${value}`);
      return "";
    }
  } else if (typeof value !== "number" || !Number.isInteger(value)) {
    return typeError(walk, path, "an integer", value);
  } else if (!Number.isSafeInteger(value)) {
    fail(walk, path, "type", `must be a safe integer (|n| < 2^53) or a bigint, got ${value}`);
    return "";
  } else if (unsigned && value < 0) {
    fail(walk, path, "minimum", `must be a non-negative integer, got ${value}`);
    return "";
  }
  checkConstraints(walk, member, "value", value, path);
  checkEnum(walk, member, value, path);
  return count(walk, typeof value === "bigint" ? value.toString() : String(value));
}

// -- The constraints of the member vocabulary (src/action.ts ConstraintValues), one check each ------------------

type Limit<K extends ConstraintName> = NonNullable<ConstraintValues[K]>;
/** A check of one value (a string or number; each item of a list), of the list as a whole, or of its items. */
type Check<K extends ConstraintName> =
  | {
      readonly on: "value";
      broken(value: string | number | bigint, limit: Limit<K>): boolean;
      message(limit: Limit<K>, value: string | number | bigint): string;
    }
  | {
      readonly on: "list";
      broken(list: readonly unknown[], limit: Limit<K>): boolean;
      message(limit: Limit<K>, list: readonly unknown[]): string;
    }
  | { readonly on: "items"; message(limit: Limit<K>, firstPath: string): string };

const CHECKS: { readonly [K in ConstraintName]-?: Check<K> } = {
  pattern: {
    on: "value",
    broken: (value, pattern) => typeof value === "string" && !compiled(pattern).test(value),
    message: (pattern, value) => `must match /${pattern}/, got ${describe(value)}`,
  },
  minItems: {
    on: "list",
    broken: (list, n) => list.length < n,
    message: (n, list) => `must have at least ${n} item(s), got ${list.length}`,
  },
  maxItems: {
    on: "list",
    broken: (list, n) => list.length > n,
    message: (n, list) => `must have at most ${n} item(s), got ${list.length}`,
  },
  // Checked while the items are written: each item's text against the earlier ones (writeMember).
  uniqueItems: { on: "items", message: (_unique, first) => `duplicates ${first}; items must be unique` },
  minimum: {
    on: "value",
    broken: (value, min) => typeof value !== "string" && value < min,
    message: (min, value) => `must be ≥ ${min}, got ${value}`,
  },
  maximum: {
    on: "value",
    broken: (value, max) => typeof value !== "string" && value > max,
    message: (max, value) => `must be ≤ ${max}, got ${value}`,
  },
  // Characters as JSON Schema counts them: code points (an emoji is one, not two UTF-16 units).
  minLength: {
    on: "value",
    broken: (value, n) => typeof value === "string" && codePoints(value) < n,
    message: (n) => `must have at least ${n} characters`,
  },
  maxLength: {
    on: "value",
    broken: (value, n) => typeof value === "string" && codePoints(value) > n,
    message: (n) => `must have at most ${n} characters`,
  },
};

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * What makes two list items the same for uniqueItems: the JSON written, with an object's members in name order
 * (JSON Schema compares values, so `{a,b}` and `{b,a}` are the same item).
 */
function itemIdentity(member: MemberShape, text: string): string {
  return member.type === "model" ? canonicalJson(JSON.parse(text) as unknown) : text;
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The uniqueItems violation of an item that repeats the one at `firstPath`. */
function duplicateMessage(firstPath: string): string {
  const check = CHECKS.uniqueItems;
  return check.on === "items" ? check.message(true, firstPath) : "";
}

/** The rules a violation can name that are about the caller's value (the emulator answers these as API errors). */
export const VALUE_RULES: readonly string[] = [
  "required",
  "unknown",
  "type",
  "enum",
  "depth",
  ...(Object.keys(CHECKS) as ConstraintName[]),
];

/** Per shape and level, the constraints it sets: computed once, so a member without any costs one lookup. */
const constraintsByShape = new WeakMap<MemberShape, { value: ConstraintName[]; list: ConstraintName[] }>();
function constraintsOf(member: MemberShape): { value: ConstraintName[]; list: ConstraintName[] } {
  let found = constraintsByShape.get(member);
  if (!found) {
    found = { value: [], list: [] };
    for (const name of Object.keys(CHECKS) as ConstraintName[]) {
      const on = CHECKS[name].on;
      if (member[name] !== undefined && on !== "items") found[on].push(name);
    }
    constraintsByShape.set(member, found);
  }
  return found;
}

/** Checks the member's constraints of one level on `subject`; true when it keeps them all. */
function checkConstraints(
  walk: Walk,
  member: MemberShape,
  level: "value",
  subject: string | number | bigint,
  path: string,
): boolean;
function checkConstraints(
  walk: Walk,
  member: MemberShape,
  level: "list",
  subject: readonly unknown[],
  path: string,
): boolean;
function checkConstraints(
  walk: Walk,
  member: MemberShape,
  level: "value" | "list",
  subject: unknown,
  path: string,
): boolean {
  let kept = true;
  for (const name of constraintsOf(member)[level]) {
    const check = CHECKS[name] as Check<ConstraintName>;
    const limit = member[name] as never;
    if (check.on === "value" && check.broken(subject as string | number, limit)) {
      fail(walk, path, name, check.message(limit, subject as string | number));
      kept = false;
    } else if (check.on === "list" && check.broken(subject as unknown[], limit)) {
      fail(walk, path, name, check.message(limit, subject as unknown[]));
      kept = false;
    }
  }
  return kept;
}

function checkEnum(walk: Walk, member: MemberShape, value: string | number | bigint | boolean, path: string): void {
  if (member.enum === undefined) return;
  const comparable = typeof value === "bigint" ? Number(value) : value;
  if (!member.enum.includes(comparable))
    fail(
      walk,
      path,
      "enum",
      `must be one of ${member.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`,
    );
}

// ---------------------------------------------------------------------------------------------------------------

/** UTF-8 length of a string without allocating (lone surrogates count 3, as the encoder writes U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // the pair: 2 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Serializes `input` for an action whose members are `shape`, checking the spec's rules on what it writes (or,
 * with `validate: false`, only that it can be written). Never throws.
 */
export function encodeInput(shape: Shape, input: unknown, options: EncodeOptions = {}): Encoded {
  const walk: Walk = {
    validate: options.validate ?? true,
    allowUnknown: options.allowUnknown ?? false,
    maxBytes: options.maxBytes ?? MAX_REQUEST_BYTES,
    violations: [],
    ancestors: [],
    chars: 0,
    stopped: false,
  };
  let body = "";
  try {
    const value = resolve(walk, input, "", "(input)");
    if (value !== UNREADABLE) {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        fail(walk, "(input)", "type", `must be an object, got ${describe(value)}`);
      else body = walk.validate ? writeObject(walk, shape, value, "", 0) : (writeAny(walk, value, "", 0) ?? "");
    }
  } catch (e) {
    // Nothing above should throw; a stack overflow from something exotic is still the input's problem.
    fail(walk, "(input)", "serialize", `cannot be serialized: ${errorName(e)}`);
  }
  if (walk.chars > walk.maxBytes || (body.length * 3 > walk.maxBytes && utf8Length(body) > walk.maxBytes)) {
    walk.violations.length = 0;
    fail(walk, "(input)", "maxBodyBytes", `is larger than Tencent's request limit of ${walk.maxBytes} bytes (10 MB)`);
  }
  return { body, violations: walk.violations };
}

/** Checks `value` against `shape`; returns every violation (empty when valid). */
export function validate(shape: Shape, value: unknown, options: EncodeOptions = {}): Violation[] {
  return encodeInput(shape, value, options).violations as Violation[];
}

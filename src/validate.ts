import type { MemberShape, Shape } from "./action.js";

/** One rule a value broke: `path` in Tencent's notation (`DetailList[0].CallType`). */
export interface Violation {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
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

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  if (typeof value === "number") return `the number ${value}`;
  return `a ${typeof value}`;
}

function checkScalar(shape: MemberShape, value: unknown, path: string, out: Violation[]): void {
  const fail = (rule: string, message: string): void => {
    out.push({ path, rule, message: `${path} ${message}` });
  };
  switch (shape.type) {
    case "string":
      if (typeof value !== "string") return fail("type", `must be a string, got ${describe(value)}`);
      if (shape.minLength !== undefined && value.length < shape.minLength)
        fail("minLength", `must have at least ${shape.minLength} characters`);
      if (shape.maxLength !== undefined && value.length > shape.maxLength)
        fail("maxLength", `must have at most ${shape.maxLength} characters`);
      if (shape.pattern !== undefined && !compiled(shape.pattern).test(value))
        fail("pattern", `must match /${shape.pattern}/, got ${describe(value)}`);
      break;
    case "int64":
    case "uint64":
      if (typeof value !== "number" || !Number.isInteger(value))
        return fail("type", `must be an integer, got ${describe(value)}`);
      if (!Number.isSafeInteger(value)) return fail("type", `must be a safe integer (|n| < 2^53), got ${value}`);
      if (shape.type === "uint64" && value < 0) return fail("minimum", `must be a non-negative integer, got ${value}`);
      break;
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value))
        return fail("type", `must be a finite number, got ${describe(value)}`);
      break;
    case "bool":
      if (typeof value !== "boolean") return fail("type", `must be a boolean, got ${describe(value)}`);
      break;
    case "model":
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return fail("type", `must be an object, got ${describe(value)}`);
      validateShape(shape.model!(), value as Record<string, unknown>, path, out);
      return;
  }
  if (typeof value === "number") {
    if (shape.minimum !== undefined && value < shape.minimum)
      fail("minimum", `must be ≥ ${shape.minimum}, got ${value}`);
    if (shape.maximum !== undefined && value > shape.maximum)
      fail("maximum", `must be ≤ ${shape.maximum}, got ${value}`);
  }
  if (shape.enum !== undefined && !shape.enum.includes(value as string | number | boolean))
    fail("enum", `must be one of ${shape.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`);
}

function checkMember(shape: MemberShape, value: unknown, path: string, out: Violation[]): void {
  if (!shape.list) return checkScalar(shape, value, path, out);
  if (!Array.isArray(value)) {
    out.push({ path, rule: "type", message: `${path} must be a list, got ${describe(value)}` });
    return;
  }
  if (shape.minItems !== undefined && value.length < shape.minItems)
    out.push({
      path,
      rule: "minItems",
      message: `${path} must have at least ${shape.minItems} item(s), got ${value.length}`,
    });
  if (shape.maxItems !== undefined && value.length > shape.maxItems)
    out.push({
      path,
      rule: "maxItems",
      message: `${path} must have at most ${shape.maxItems} item(s), got ${value.length}`,
    });
  if (shape.uniqueItems) {
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      const key = JSON.stringify(item);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        out.push({
          path: `${path}[${i}]`,
          rule: "uniqueItems",
          message: `${path}[${i}] duplicates ${path}[${first}]; items must be unique`,
        });
    });
  }
  value.forEach((item, i) => checkScalar(shape, item, `${path}[${i}]`, out));
}

function validateShape(shape: Shape, value: Record<string, unknown>, prefix: string, out: Violation[]): void {
  for (const name in shape) {
    const member = shape[name]!;
    const path = prefix ? `${prefix}.${name}` : name;
    const v = value[name];
    if (v === undefined) {
      if (member.required) out.push({ path, rule: "required", message: `${path} is required` });
      continue;
    }
    checkMember(member, v, path, out);
  }
  for (const name in value) {
    if (!Object.prototype.hasOwnProperty.call(shape, name) && value[name] !== undefined) {
      const path = prefix ? `${prefix}.${name}` : name;
      out.push({ path, rule: "unknown", message: `${path} is not a member of this request` });
    }
  }
}

/** Checks `value` against `shape`; returns every violation (empty when valid). */
export function validate(shape: Shape, value: unknown): Violation[] {
  const out: Violation[] = [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    out.push({ path: "(input)", rule: "type", message: `the input must be an object, got ${describe(value)}` });
    return out;
  }
  validateShape(shape, value as Record<string, unknown>, "", out);
  return out;
}

/**
 * The member vocabulary: the one description of what a member of a request, an answer or a model can say. The
 * loader, the emitters, the importers and the spec's JSON Schema all derive from it; the runtime's `MemberShape`
 * and validator are typed over the same constraint names (src/action.ts `ConstraintValues`), so a constraint is
 * added in one place and the compiler points at every other that must learn it.
 */
import type { ConstraintName, ConstraintValues, MemberShape, ScalarType } from "../src/action.js";

export type { ConstraintName, ConstraintValues, ScalarType };

export const SCALAR_TYPES: readonly ScalarType[] = ["string", "int64", "uint64", "float", "bool"];

/** The members a constraint applies to: string values (each item of a list), numeric values, or lists. */
export type ConstraintTarget = "string" | "number" | "list";

export interface ConstraintSpec {
  readonly target: ConstraintTarget;
  /** Its value in a spec (and in JSON Schema, where the keyword has the same name). */
  readonly value: "text" | "count" | "number" | "flag";
  /** What it means, for the spec's documentation and schema. */
  readonly meaning: string;
  /**
   * Which change of its value refuses inputs that were accepted before (codegen/import/changes.ts calls it
   * breaking): a `higher` or a `lower` value, setting the flag, or any change of a text.
   */
  readonly stricter: "higher" | "lower" | "set" | "changed";
}

export const CONSTRAINTS: { readonly [K in ConstraintName]-?: ConstraintSpec } = {
  pattern: {
    target: "string",
    value: "text",
    meaning: "ECMAScript regular expression every value must match (on a list: each item)",
    stricter: "changed",
  },
  minItems: { target: "list", value: "count", meaning: "fewest items", stricter: "higher" },
  maxItems: { target: "list", value: "count", meaning: "most items", stricter: "lower" },
  uniqueItems: { target: "list", value: "flag", meaning: "no item twice", stricter: "set" },
  minimum: { target: "number", value: "number", meaning: "smallest value", stricter: "higher" },
  maximum: { target: "number", value: "number", meaning: "largest value", stricter: "lower" },
  minLength: { target: "string", value: "count", meaning: "fewest characters", stricter: "higher" },
  maxLength: { target: "string", value: "count", meaning: "most characters", stricter: "lower" },
};

/** The constraint names in the vocabulary's order (the order specs and generated code write them). */
export const CONSTRAINT_NAMES = Object.keys(CONSTRAINTS) as readonly ConstraintName[];

/** A member's yes/no facts, written only when true (default false). */
export const MEMBER_FLAGS = ["list", "required", "nullable", "deprecated"] as const;
export type MemberFlag = (typeof MEMBER_FLAGS)[number];

/** Every fact a member may state, in the order spec files write them: facts first, then the texts. */
export const MEMBER_FACT_KEYS = [
  "type",
  ...MEMBER_FLAGS,
  "enum",
  ...CONSTRAINT_NAMES,
  "description",
  "example",
] as const;
export type MemberFactKey = (typeof MEMBER_FACT_KEYS)[number];

/**
 * Provenance. Whatever the importers write comes from Tencent's sources and is written again, as a fresh import
 * would write it, by every update. What a person wrote is marked `handWritten`, and updates keep it:
 * - on a text, `handWritten: true`: its English is a person's (its zh still follows the source);
 * - on a member, an action or a model, `handWritten: true`: all of it is a person's (kept even when the sources
 *   drop it), or a list of its keys that are (`handWritten: [enum, pattern]`).
 * `idempotent`, `idempotentReason`, an error code's `retry` and notes that are not the importer's own are a
 * person's decisions by nature and need no mark.
 */
export const HAND_WRITTEN = "handWritten";
/**
 * Provenance of a member or model taken from a further source than api.json (the official SDK's declarations,
 * `spec:import --from-sdk`): the source's name. Updates from api.json keep it while api.json lacks it, and replace
 * it with api.json's (dropping the mark) once api.json has it.
 */
export const FROM = "from";
/** The keys of an action a person may own (its members carry their own marks). */
export const ACTION_OWNABLE_KEYS = [
  "title",
  "description",
  "docs",
  "rateLimitPerSecond",
  "deprecated",
  "errors",
  "examples",
] as const;
export type ActionOwnableKey = (typeof ACTION_OWNABLE_KEYS)[number];
export const MODEL_OWNABLE_KEYS = ["description"] as const;
export type ModelOwnableKey = (typeof MODEL_OWNABLE_KEYS)[number];

/** Every key a member may have, in the order spec files write them: its facts, then its provenance. */
export const MEMBER_KEYS = [...MEMBER_FACT_KEYS, HAND_WRITTEN, FROM] as const;

/** What the vocabulary needs to know of a member, whichever form it comes in (a spec file's, the model's). */
export interface MemberFacts extends ConstraintValues {
  /** A scalar type or a model's name. */
  readonly type: string;
  readonly list?: boolean;
  readonly required?: boolean;
  readonly enum?: readonly { readonly value: string | number | boolean }[];
}

export function isScalarType(type: string): type is ScalarType {
  return (SCALAR_TYPES as readonly string[]).includes(type);
}

const isNumeric = (type: string) => type === "int64" || type === "uint64" || type === "float";

/** Whether `constraint` applies to a member of this type and list-ness. */
export function applies(constraint: ConstraintName, member: { type: string; list?: boolean }): boolean {
  switch (CONSTRAINTS[constraint].target) {
    case "string":
      return member.type === "string";
    case "number":
      return isNumeric(member.type);
    case "list":
      return member.list === true;
  }
}

/** Whether an enum value has the member's type (`0`, not `"0"`, for an int64; no negative uint64). */
export function enumValueFits(type: string, value: string | number | boolean): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "float":
      return typeof value === "number";
    case "int64":
    case "uint64":
      return typeof value === "number" && Number.isInteger(value) && (type === "int64" || value >= 0);
    default:
      return false; // a model member has no enum
  }
}

/** Why `constraint` does not apply to `member`, as the loader says it. */
export function doesNotApply(constraint: ConstraintName, member: { type: string; list?: boolean }): string {
  switch (CONSTRAINTS[constraint].target) {
    case "string":
      return `\`${constraint}\` only applies to string members, and this one is ${member.type}.`;
    case "number":
      return `\`${constraint}\` only applies to numeric members, and this one is ${member.type}.`;
    case "list":
      return `\`${constraint}\` only applies to lists; add \`list: true\` or remove it.`;
  }
}

/** The constraints `source` sets, in the vocabulary's order (a flag only when true). */
export function constraintsOf(source: ConstraintValues): ConstraintValues {
  const out: Record<string, unknown> = {};
  for (const k of CONSTRAINT_NAMES) {
    const v = source[k];
    if (v !== undefined && v !== (false as unknown)) out[k] = v;
  }
  return out as ConstraintValues;
}

/**
 * The one conversion of a member to the validator's facts (`MemberShape`), used by the loader and the importers
 * (with `model` a thunk of the model's shape) and printed by the TypeScript emitter (with `model` the source text
 * of one). Keys come in a fixed order so the generated code is stable.
 */
export function memberShape<M>(
  member: MemberFacts,
  isModel: (type: string) => boolean,
  model: (name: string) => M,
): Omit<MemberShape, "model" | "type"> & { type: MemberShape["type"]; model?: M } {
  const modelMember = isModel(member.type);
  return {
    type: modelMember ? "model" : (member.type as ScalarType),
    ...(modelMember ? { model: model(member.type) } : {}),
    ...(member.list ? { list: true as const } : {}),
    ...(member.required ? { required: true as const } : {}),
    ...(member.enum ? { enum: member.enum.map((e) => e.value) } : {}),
    ...constraintsOf(member),
  };
}

/** The JSON Schema of a constraint's value in a spec file. */
export function constraintValueSchema(constraint: ConstraintName): Record<string, unknown> {
  const spec = CONSTRAINTS[constraint];
  const description = `${spec.meaning}; applies to ${spec.target === "list" ? "lists" : `${spec.target} members`}`;
  switch (spec.value) {
    case "text":
      return { type: "string", minLength: 1, description };
    case "count":
      return { type: "integer", minimum: 0, description };
    case "number":
      return { type: "number", description };
    case "flag":
      return { type: "boolean", description };
  }
}

/**
 * Tencent's machine-readable definitions (api.*.json, examples.*.json, errorcodes.*.json) → raw specs.
 *
 * Mapping rules (the documented choices; spec/README.md describes the format they produce):
 *
 * - Types. api.json `type` / `member`: string+string → string; int+int64 → int64; int+uint64 → uint64;
 *   float+float → float; bool+bool → bool; list+X → X with `list: true` (X a scalar above or an object);
 *   object+X → the model X. Anything else (another `type`, int+int32, a list or object of an unknown name) is
 *   refused with an ImportError naming the member: a guessed type would make the client refuse valid input.
 * - Requests: `required` as given. Responses (RequestId skipped, the generator adds it): `required: true` when
 *   `output_required`, `nullable: true` when `value_allowed_null`; the boilerplate "注意：此字段可能返回 null，表示取不到
 *   有效值。" (and its en twin) is dropped from descriptions when `nullable` says it.
 * - Models: every object that is not an action's Request/Response, referenced or not (unreferenced ones are
 *   reported). Which `required` a member takes depends on where the model is used, computed from the actions
 *   (api.json's own `usage` field disagrees with the actions for 20 models, so it is not used): a model an input
 *   reaches takes `required` (the client validates input with it; where it also serves answers and
 *   `output_required` disagrees, a note says so); a model only answers reach takes `output_required` (26 members
 *   of such models have only `required`: they are not required, Tencent's own answers lack some of them);
 *   `nullable` from `value_allowed_null` unless only inputs reach it.
 * - `disabled: true`: Tencent hides the member, but old callers and old answers still carry it, so it is kept as
 *   `deprecated: true` and a note names it; it is never `required` (Tencent's example answers lack the hidden
 *   output members api.json still calls output_required). An action whose `status` is not `online` is
 *   `deprecated: true`. So is a member or action whose own text says so ("（废弃，使用Callers）", "(已废弃)",
 *   "(deprecated"), with a note; these count as lifted facts.
 * - Texts: zh from api.zh.json, en from api.en.json where it has the action or object (11 actions exist only in
 *   zh); both through lift.ts's `plain()`, trailing separators (`,`, `，`, `;`) trimmed. Title = the action's
 *   `name`, description = its `document`. A member without any description gets "(not described in api.json)".
 * - rateLimitPerSecond: 20 for every action, an assumption: api.json carries no limit, every CCC page says 20/s.
 * - idempotent, by the verb the action name starts with (`idempotency()` below): read-only verbs (Describe, Get,
 *   Query, List) and verbs whose repetition leaves the same state (Modify, Update, Disable, Enable, Bind, Unbind,
 *   Delete, Reset, Set, Abort, Stop, Pause, Resume) → true; everything else (Create, Transfer, HangUp, Upload,
 *   Import, Restore, Force, Play, Control, Send, …) → false, except the Creates that create nothing but a
 *   credential or a link (SAFE_CREATES). A note "decided by the importer's verb rule; review" marks the choice.
 * - Member examples: api.json's `example` strings, typed (numbers, booleans, JSON or ['a','b'] lists; a bare value
 *   for a list becomes a one-item list; objects from JSON). "", "无" and values that do not fit the member's rules
 *   are left out.
 * - Request examples: examples.zh.json's `input`, either `POST` with a JSON body or an old `GET https://…?Action=X
 *   &Name=value&List.0=a&Obj.Field=v` query, whose values are coerced with the member types (`Name.N` lists,
 *   nested `A.0.B`; enclosing quotes, "x" or “x”, are dropped from strings). The response is the `Response`
 *   object (members it has that the output lacks are left out, with a warning). Titles and descriptions: zh and
 *   en examples by position. A request the spec refuses is kept with `invalid: <the violations>` (the loader checks
 *   it really is invalid and never emits it); a request whose `X-TC-Action` names another action but whose body
 *   fits stays valid, with a note. An example whose answer breaks the output (lacks a member api.json says every
 *   answer has, a wrong type, a null that is not nullable) is left out, with a note: the spec format has no
 *   `invalid` for answers, and the OpenAPI document must not show an answer its schema refuses.
 * - Error codes: errorcodes.*.json per action, descriptions from `productErrorCodes` (zh / en).
 * - Enums and patterns: `liftIntegerEnum` on integer members, `liftPrefixPattern` on string members, only for the
 *   input members of actions and the members of models some input reaches (an enum on an answer only makes the
 *   types lie when Tencent adds a value). Each lifted enum and pattern is checked against every official value
 *   (member examples, example requests); a value outside it means the lift is wrong: it is dropped. Everything
 *   lifted or dropped is reported.
 */
import type { MemberShape, Shape } from "../../src/action.js";
import { isScalarType, memberShape } from "../vocabulary.js";
import { validate } from "../../src/validate.js";
import { liftIntegerEnum, liftPrefixPattern, plain } from "./lift.js";
import type {
  ImportResult,
  RawActionSpec,
  RawEnumValue,
  RawErrorCode,
  RawExample,
  RawMember,
  RawModelSpec,
  RawText,
} from "./types.js";
import { UNREVIEWED } from "./types.js";

// ---------------------------------------------------------------------------------------------------------------
// The sources' shapes

export interface ApiMember {
  name: string;
  type: string;
  member: string;
  document: string;
  required?: boolean;
  output_required?: boolean;
  value_allowed_null?: boolean;
  disabled?: boolean;
  example?: string;
}

export interface ApiObject {
  document: string;
  members: ApiMember[];
  type?: string;
  usage?: string;
}

export interface ApiAction {
  name: string;
  document: string;
  input: string;
  output: string;
  status?: string;
}

export interface ApiJson {
  actions: Record<string, ApiAction>;
  objects: Record<string, ApiObject>;
  metadata?: Record<string, unknown>;
  version?: string;
}

export interface ExampleEntry {
  title: string;
  document: string;
  input: string;
  output: string;
}

export interface ExamplesJson {
  actions: Record<string, ExampleEntry[]>;
}

export interface ErrorCodesJson {
  productErrorCodes: { code: string; description: string }[];
  actions: Record<string, { errorCodes: string[] }>;
}

/** Everything an import reads. Only `api` (api.zh.json) is required. */
export interface Sources {
  api: ApiJson;
  apiEn?: ApiJson;
  examples?: ExamplesJson;
  examplesEn?: ExamplesJson;
  errorcodes?: ErrorCodesJson;
  errorcodesEn?: ErrorCodesJson;
}

/** The input is not something the rules above can map; says which member and why. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

export const ASSUMED_RATE_LIMIT = 20;

/** The member's spec type, or why it cannot have one. */
export function mapType(
  m: Pick<ApiMember, "type" | "member">,
  objects: Record<string, unknown>,
): { type: string; list: boolean } | { error: string } {
  const scalar = (t: string): string | undefined => {
    if (t === "string" || t === "int64" || t === "uint64" || t === "float" || t === "bool") return t;
    return undefined;
  };
  switch (m.type) {
    case "string":
    case "float":
    case "bool":
      return m.member === m.type
        ? { type: m.type, list: false }
        : { error: `type ${m.type} with member ${m.member} is not a known combination` };
    case "int":
      return m.member === "int64" || m.member === "uint64"
        ? { type: m.member, list: false }
        : { error: `type int with member ${m.member} (only int64 and uint64 are known)` };
    case "list": {
      const s = scalar(m.member);
      if (s) return { type: s, list: true };
      return Object.hasOwn(objects, m.member)
        ? { type: m.member, list: true }
        : { error: `a list of ${m.member}, which is neither a scalar nor an object of api.json` };
    }
    case "object":
      return Object.hasOwn(objects, m.member)
        ? { type: m.member, list: false }
        : { error: `an object ${m.member} that api.json does not define` };
    default:
      return { error: `type ${m.type} (member ${m.member}) is not one the importer knows` };
  }
}

const NULL_ZH = /\s*注意：\s*此字段可能返回\s*null\s*，\s*表示取不到有效值。?\s*/g;
const NULL_EN =
  /\s*Note:\s*this field may return null,?\s*indicating that no valid values? (?:can|could) be obtained\.?\s*/gi;

/** plain() plus the importer's clean-up: the null boilerplate (when `dropNull`), trailing separators. */
export function cleanText(html: string | undefined, dropNull = false): string | undefined {
  if (html === undefined) return undefined;
  // A paragraph followed by a list (`<p>类型：</p><ul><li>…`) keeps its line break; plain() does the rest.
  let s = plain(
    html.replace(/<\/p>\s*(?=<(?:ul|ol|pre|div)\b)/gi, "</p>\n").replace(/<\/(?:ul|ol)>\s*(?=<p\b)/gi, "$&\n"),
  );
  if (dropNull) s = s.replace(NULL_ZH, "\n").replace(NULL_EN, "\n");
  s = s.replace(/[\s,，;；]+$/u, "").trim();
  return s || undefined;
}

export function text(zh: string | undefined, en: string | undefined): RawText | undefined {
  const t: RawText = {};
  if (zh) t.zh = zh;
  if (en) t.en = en;
  return t.zh || t.en ? t : undefined;
}

export const NO_DESCRIPTION: RawText = { en: "(not described in api.json)" };

/**
 * "（废弃，使用Callers）", "(已废弃)", "(deprecated)": the zh text (api.zh.json, the definition the spec follows)
 * itself says the member or action is deprecated.
 */
export const DEPRECATED = /[（(]\s*已?废弃|已废弃|\(\s*deprecated\b/i;

export function deprecatedByText(m: Pick<ApiMember, "document">): boolean {
  return DEPRECATED.test(plain(m.document));
}

/** The member is deprecated in the spec: disabled, or its description says so. */
export function memberDeprecated(m: ApiMember): boolean {
  return m.disabled === true || deprecatedByText(m);
}

/** The action is deprecated in the spec: not `online`, or its title says so. */
export function actionDeprecated(a: ApiAction): boolean {
  return (a.status !== undefined && a.status !== "online") || DEPRECATED.test(plain(a.name));
}

function short(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > 50 ? `${one.slice(0, 47)}...` : one;
}

// idempotent, by verb ------------------------------------------------------------------------------------------

const READ_ONLY = ["Describe", "Get", "Query", "List"];
const SAME_STATE = [
  "Modify",
  "Update",
  "Disable",
  "Enable",
  "Bind",
  "Unbind",
  "Delete",
  "Reset",
  "Set",
  "Abort",
  "Stop",
  "Pause",
  "Resume",
];
/** Creates that create nothing lasting: asked twice, they hand out a second credential or link. */
export const SAFE_CREATES: Record<string, string> = {
  CreateSDKLoginToken: "it only issues a login token",
  CreateUserSig: "it only computes a signature",
  CreateAdminURL: "it only issues an access link",
};

export interface Idempotency {
  idempotent: boolean;
  verb: string;
  reason: string;
}

export function idempotency(action: string): Idempotency {
  const verb = /^HangUp(?=[A-Z]|$)/.exec(action)?.[0] ?? /^[A-Z][a-z]*/.exec(action)?.[0] ?? action;
  if (READ_ONLY.includes(verb)) return { idempotent: true, verb, reason: `${verb}: read-only` };
  if (SAME_STATE.includes(verb))
    return { idempotent: true, verb, reason: `${verb}: repeating it leaves the same state` };
  const safe = SAFE_CREATES[action];
  if (safe) return { idempotent: true, verb, reason: `${verb}, but ${safe}` };
  return { idempotent: false, verb, reason: `${verb}: repeating it may act twice` };
}

/** The placeholder `idempotentReason` of a new spec: the loader refuses it until a person has reviewed it. */
export function unreviewedReason(i: Idempotency): string {
  return `${UNREVIEWED} ${i.idempotent} by the importer's verb rule (${i.reason})`;
}

/** Kinds of note the importer writes; merge.ts replaces an old note of the same kind by the new one. */
export const IMPORTER_NOTE_KINDS: readonly RegExp[] = [
  /^idempotent: (?:true|false) decided by the importer's verb rule/,
  /^Disabled in api\.json \(kept as deprecated/,
  /^The official example \d+ sends `X-TC-Action: /,
  /^`status: [^`]*` in api\.json/,
  /^Required differs between input and output in api\.json/,
  /^The official example \d+ is left out/,
  /^Deprecated by its description/,
  /^Its title says it is deprecated/,
];

// Where models are used --------------------------------------------------------------------------------------

export interface ModelUse {
  /** Models some action's input reaches (directly or through other models). */
  input: Set<string>;
  /** Models some action's output reaches. */
  output: Set<string>;
}

function reach(api: ApiJson, start: string, seen: Set<string>): void {
  for (const m of api.objects[start]?.members ?? []) {
    if ((m.type === "object" || m.type === "list") && Object.hasOwn(api.objects, m.member) && !seen.has(m.member)) {
      seen.add(m.member);
      reach(api, m.member, seen);
    }
  }
}

export function modelUse(api: ApiJson): ModelUse {
  const input = new Set<string>();
  const output = new Set<string>();
  for (const a of Object.values(api.actions)) {
    reach(api, a.input, input);
    reach(api, a.output, output);
  }
  return { input, output };
}

/** Objects that are no action's Request or Response. */
export function modelNames(api: ApiJson): string[] {
  const io = new Set(Object.values(api.actions).flatMap((a) => [a.input, a.output]));
  return Object.keys(api.objects)
    .filter((n) => !io.has(n))
    .sort();
}

export type Where = "input" | "output" | "model";

/** `required` and `nullable` of a member by the rules above (`use` only matters for models). */
export function optionality(
  m: ApiMember,
  where: Where,
  model?: { name: string; use: ModelUse },
): { required: boolean; nullable: boolean } {
  // A disabled member is hidden by Tencent: answers may lack it and callers need not send it.
  const hidden = m.disabled === true;
  if (where === "input") return { required: !hidden && m.required === true, nullable: false };
  if (where === "output")
    return { required: !hidden && m.output_required === true, nullable: m.value_allowed_null === true };
  const inInput = model!.use.input.has(model!.name);
  const inOutput = model!.use.output.has(model!.name);
  if (inInput) return { required: !hidden && m.required === true, nullable: inOutput && m.value_allowed_null === true };
  return { required: !hidden && m.output_required === true, nullable: m.value_allowed_null === true };
}

// Examples ------------------------------------------------------------------------------------------------------

/** Types of api.json members by name, to coerce GET query values and to walk requests. */
interface TypeInfo {
  type: string;
  list: boolean;
}

function membersOf(api: ApiJson, object: string): Map<string, TypeInfo> {
  const out = new Map<string, TypeInfo>();
  for (const m of api.objects[object]?.members ?? []) {
    const t = mapType(m, api.objects);
    if ("type" in t) out.set(m.name, t);
  }
  return out;
}

function coerceScalar(raw: string, type: string): unknown {
  switch (type) {
    case "int64":
    case "uint64":
      return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case "float":
      return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case "bool":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "string": {
      const q = /^"(.*)"$/s.exec(raw) ?? /^“(.*)”$/s.exec(raw);
      return q ? q[1] : raw;
    }
    default:
      return raw;
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/**
 * A GET example's query (`https://host/?Action=X&A=1&B.0=x&C.0.D=y&<公共请求参数>`, possibly over several lines)
 * as the JSON request it stands for, values coerced with the member types of `object` (api.json).
 */
export function parseQuery(
  query: string,
  api: ApiJson,
  object: string,
): { action?: string; request: Record<string, unknown> } {
  const q = query.replace(/\s*\n\s*/g, "");
  const start = q.indexOf("?");
  const pairs = (start >= 0 ? q.slice(start + 1) : q).split("&").filter((p) => p && !p.startsWith("<"));
  const request: Record<string, unknown> = {};
  let action: string | undefined;
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = decode(eq >= 0 ? pair.slice(0, eq) : pair);
    const raw = decode(eq >= 0 ? pair.slice(eq + 1) : "");
    if (key === "Action") {
      action = raw;
      continue;
    }
    if (key === "Version" || key === "Region") continue;
    const segments = key.split(".");
    // Walk, creating objects and lists, tracking the member type for the leaf.
    let container: Record<string, unknown> | unknown[] = request;
    let members: Map<string, TypeInfo> | undefined = membersOf(api, object);
    let info: TypeInfo | undefined;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const last = i === segments.length - 1;
      const index = /^\d+$/.test(seg) ? Number(seg) : undefined;
      if (index === undefined) info = members?.get(seg);
      const nextIsIndex = !last && /^\d+$/.test(segments[i + 1]!);
      const slot = (index ?? seg) as never;
      if (last) {
        (container as Record<string, unknown>)[slot] = coerceScalar(raw, info?.type ?? "string");
        break;
      }
      let child = (container as Record<string, unknown>)[slot] as Record<string, unknown> | unknown[] | undefined;
      if (child === undefined || typeof child !== "object") {
        child = nextIsIndex ? [] : {};
        (container as Record<string, unknown>)[slot] = child;
      }
      container = child;
      // Entering an object: its members are the model's (after `Name` for a single model, after `Name.N` for a list).
      if (!nextIsIndex && info && !isScalarType(info.type)) members = membersOf(api, info.type);
    }
  }
  return { ...(action !== undefined ? { action } : {}), request };
}

/** An examples.json `input`: the POST body (with the X-TC-Action header) or a GET query. */
export function parseExampleInput(
  input: string,
  api: ApiJson,
  object: string,
): { action?: string; request: Record<string, unknown> } | { error: string } {
  const trimmed = input.trim();
  if (/^https?:\/\//.test(trimmed) || /^GET\s/.test(trimmed)) {
    const url = trimmed.replace(/^GET\s+/, "");
    return parseQuery(url, api, object);
  }
  const blank = trimmed.search(/\r?\n\s*\r?\n/);
  if (!/^POST\s/.test(trimmed) || blank < 0) return { error: "neither a POST with a JSON body nor a GET query" };
  const head = trimmed.slice(0, blank);
  const body = trimmed.slice(blank).trim();
  const action = /^X-TC-Action:\s*(\S+)/im.exec(head)?.[1];
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch (e) {
    return { error: `its body is not JSON (${(e as Error).message})` };
  }
  if (typeof request !== "object" || request === null || Array.isArray(request))
    return { error: "its body is not a JSON object" };
  return { ...(action !== undefined ? { action } : {}), request: request as Record<string, unknown> };
}

/** An examples.json `output`: the `Response` object. */
export function parseExampleOutput(output: string): { response: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch (e) {
    return { error: `the output is not JSON (${(e as Error).message})` };
  }
  const response = (parsed as { Response?: unknown } | null)?.Response;
  if (typeof response !== "object" || response === null || Array.isArray(response))
    return { error: "the output has no Response object" };
  return { response: response as Record<string, unknown> };
}

/** api.json's `example` string as a value of the member's type, or undefined when it gives none. */
export function memberExample(raw: string | undefined, type: string, list: boolean): unknown {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  if (s === "" || s === "无" || s === "-" || s.toLowerCase() === "null") return undefined;
  const scalar = isScalarType(type);
  if (!scalar) {
    try {
      const v: unknown = JSON.parse(s);
      if (list ? Array.isArray(v) : typeof v === "object" && v !== null && !Array.isArray(v)) return v;
    } catch {
      /* not JSON: no example */
    }
    return undefined;
  }
  const one = (v: unknown): unknown => {
    if (type === "string") return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
    if (typeof v === "string") {
      const c = coerceScalar(v.trim(), type);
      return typeof c === "string" ? undefined : c;
    }
    if ((type === "int64" || type === "uint64" || type === "float") && typeof v === "number") return v;
    if (type === "bool" && typeof v === "boolean") return v;
    return undefined;
  };
  if (!list) return type === "string" ? s : one(s);
  let parsed: unknown;
  for (const candidate of [s, s.replace(/'/g, '"')]) {
    try {
      parsed = JSON.parse(candidate);
      break;
    } catch {
      /* next */
    }
  }
  const items = Array.isArray(parsed) ? parsed : [parsed === undefined ? s : parsed];
  const typed = items.map(one);
  return typed.every((v) => v !== undefined) ? typed : undefined;
}

// Validation shapes of raw specs (the loader's memberShape, on raw data) ------------------------------------------

export function rawShape(members: Record<string, RawMember>, models: Record<string, RawModelSpec>): Shape {
  const shape: Record<string, MemberShape> = {};
  for (const [name, m] of Object.entries(members)) shape[name] = rawMemberShape(m, models);
  return shape;
}

export function rawMemberShape(m: RawMember, models: Record<string, RawModelSpec>): MemberShape {
  return memberShape(
    m,
    (type) => !isScalarType(type),
    (name) => () => {
      const model = models[name];
      return model ? rawShape(model.members, models) : {};
    },
  );
}

/** Why a request breaks the input (violations joined), or undefined when it satisfies it. */
export function requestViolations(
  input: Record<string, RawMember>,
  models: Record<string, RawModelSpec>,
  request: unknown,
): string | undefined {
  const v = validate(rawShape(input, models), request);
  return v.length ? v.map((x) => x.message).join("; ") : undefined;
}

/**
 * What an example answer lacks or gets wrong against the output members, as the OpenAPI document will judge it:
 * required members missing, values of the wrong type or outside an enum, `null` where the member is not nullable.
 * Members the output lacks are allowed (answers are open to members Tencent adds), except in `closed` models (the
 * ones inputs use, which the generator closes, and where it also drops `nullable`). Empty when the answer fits.
 */
export function responseViolations(
  output: Record<string, RawMember>,
  models: Record<string, RawModelSpec>,
  response: Record<string, unknown>,
  closed: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  const scalarFits = (type: string, v: unknown): boolean => {
    switch (type) {
      case "string":
        return typeof v === "string";
      case "int64":
      case "uint64":
        return typeof v === "number" && Number.isInteger(v) && (type === "int64" || v >= 0);
      case "float":
        return typeof v === "number";
      case "bool":
        return typeof v === "boolean";
      default:
        return typeof v === "object" && v !== null && !Array.isArray(v);
    }
  };
  const check = (
    members: Record<string, RawMember>,
    value: Record<string, unknown>,
    prefix: string,
    seen: string[],
    model?: string,
  ) => {
    const isClosed = model !== undefined && closed.has(model);
    if (isClosed)
      for (const k of Object.keys(value))
        if (!Object.hasOwn(members, k)) out.push(`${prefix ? `${prefix}.` : ""}${k} is no member of ${model}`);
    for (const [name, m] of Object.entries(members)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const v = value[name];
      if (v === undefined) {
        if (m.required) out.push(`${path} is missing (api.json: every answer has it)`);
        continue;
      }
      if (v === null) {
        if (!m.nullable || isClosed) out.push(`${path} is null`);
        continue;
      }
      const items = m.list ? (Array.isArray(v) ? v : undefined) : [v];
      if (!items) {
        out.push(`${path} is not a list`);
        continue;
      }
      items.forEach((item, i) => {
        const at = m.list ? `${path}[${i}]` : path;
        if (!scalarFits(m.type, item)) out.push(`${at} is not ${m.type}`);
        else if (m.enum && !m.enum.some((e) => e.value === item)) out.push(`${at} is not one of its enum values`);
        else if (!isScalarType(m.type) && models[m.type] && !seen.includes(m.type))
          check(models[m.type]!.members, item as Record<string, unknown>, at, [...seen, m.type], m.type);
      });
    }
  };
  check(output, response, "", []);
  return out;
}

/**
 * Sets `invalid` on the examples whose request breaks `spec` (keeping a reason already written when the example
 * is still invalid) and removes it from the ones that now pass. Returns what changed, for the report.
 */
export function markExamples(spec: RawActionSpec, models: Record<string, RawModelSpec>): string[] {
  const changes: string[] = [];
  (spec.examples ?? []).forEach((ex, i) => {
    const why = requestViolations(spec.input, models, ex.request);
    if (why === undefined && ex.invalid !== undefined) {
      delete ex.invalid;
      changes.push(`examples[${i}]: now satisfies the spec, \`invalid\` removed`);
    } else if (why !== undefined && ex.invalid === undefined) {
      ex.invalid = why;
      changes.push(`examples[${i}]: breaks the spec, marked invalid (${why})`);
    }
  });
  return changes;
}

// ---------------------------------------------------------------------------------------------------------------
// The import

export interface LiftedFact {
  /** `Action.input.Member` or `Model.Member`. */
  where: string;
  kind: "enum" | "pattern" | "deprecated";
  /** Enum values with their labels, or the pattern. */
  fact: string;
  /** Set when the lift was checked against an official value it refuses: the fact was dropped. */
  dropped?: string;
}

export interface ApiImport {
  actions: Map<string, ImportResult<RawActionSpec>>;
  models: Map<string, ImportResult<RawModelSpec>>;
  /** Warnings about the sources as a whole. */
  warnings: string[];
  lifted: LiftedFact[];
  /** Models no action reaches (imported all the same). */
  unreferenced: string[];
}

export interface ImportOptions {
  /** Only these actions (and the models they reach); default: every action and every model. */
  actions?: readonly string[];
}

interface Parsed {
  index: number;
  entry: ExampleEntry;
  en?: ExampleEntry;
  headerAction?: string;
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: string;
}

function describeEnum(values: RawEnumValue[]): string {
  return values
    .map((v) => `${JSON.stringify(v.value)}${v.description ? ` (${v.description.zh ?? v.description.en})` : ""}`)
    .join(", ");
}

export function importApi(sources: Sources, options: ImportOptions = {}): ApiImport {
  const { api } = sources;
  const en = sources.apiEn;
  const warnings: string[] = [];
  const lifted: LiftedFact[] = [];
  const use = modelUse(api);
  const names = modelNames(api);
  const unreferenced = names.filter((n) => !use.input.has(n) && !use.output.has(n));
  if (en) {
    const zhOnly = Object.keys(api.actions).filter((a) => !Object.hasOwn(en.actions, a));
    if (zhOnly.length)
      warnings.push(
        `${zhOnly.length} action(s) only in api.zh.json, imported with zh texts only: ${zhOnly.join(", ")}`,
      );
  } else warnings.push("no api.en.json: zh texts only");

  for (const a of options.actions ?? [])
    if (!Object.hasOwn(api.actions, a)) throw new ImportError(`api.json has no action ${a}`);

  // Members of one object → raw members (no examples yet).
  const enMember = (object: string, name: string): ApiMember | undefined =>
    en?.objects[object]?.members.find((m) => m.name === name);
  const convert = (
    object: string,
    where: Where,
    owner: string,
    modelName?: string,
  ): {
    members: Record<string, RawMember>;
    disabled: string[];
    described: string[];
    warnings: string[];
    differ: string[];
  } => {
    const out: Record<string, RawMember> = {};
    const disabled: string[] = [];
    const described: string[] = [];
    const w: string[] = [];
    const differ: string[] = [];
    for (const m of api.objects[object]?.members ?? []) {
      if (where === "output" && m.name === "RequestId") continue;
      const t = mapType(m, api.objects);
      if ("error" in t) throw new ImportError(`${owner}.${m.name}: ${t.error}`);
      const o = optionality(m, where, modelName ? { name: modelName, use } : undefined);
      const member: RawMember = { type: t.type, description: NO_DESCRIPTION };
      if (t.list) member.list = true;
      if (o.required) member.required = true;
      if (o.nullable) member.nullable = true;
      if (m.disabled) {
        member.deprecated = true;
        disabled.push(m.name);
      }
      const description = text(
        cleanText(m.document, o.nullable),
        cleanText(enMember(object, m.name)?.document, o.nullable),
      );
      if (description) member.description = description;
      else w.push(`${owner}.${m.name} has no description in api.json; "${NO_DESCRIPTION.en}" stands in`);
      if (!m.disabled && deprecatedByText(m)) {
        member.deprecated = true;
        described.push(m.name);
        lifted.push({
          where: `${owner}.${m.name}`,
          kind: "deprecated",
          fact: short(description!.zh ?? description!.en!),
        });
      }
      if (
        where === "model" &&
        use.input.has(modelName!) &&
        use.output.has(modelName!) &&
        m.output_required !== undefined &&
        m.required !== undefined &&
        m.output_required !== m.required
      )
        differ.push(`${m.name} (required ${m.required}, output_required ${m.output_required})`);
      out[m.name] = member;
    }
    return { members: out, disabled, described, warnings: w, differ };
  };

  const describedNote = (list: string[]) =>
    `Deprecated by its description (废弃 / deprecated), though not disabled in api.json: ${list.map((n) => `\`${n}\``).join(", ")}.`;
  const disabledNote = (list: string[]) =>
    `Disabled in api.json (kept as deprecated: Tencent hides them, old callers and old answers still carry them): ${list.map((n) => `\`${n}\``).join(", ")}.`;

  // Models ------------------------------------------------------------------------------------------------------
  const models: Record<string, RawModelSpec> = {};
  const modelWarnings = new Map<string, string[]>();
  for (const name of names) {
    const obj = api.objects[name]!;
    const c = convert(name, "model", name, name);
    const notes: string[] = [];
    if (c.disabled.length) notes.push(disabledNote(c.disabled));
    if (c.described.length) notes.push(describedNote(c.described));
    if (c.differ.length)
      notes.push(
        `Required differs between input and output in api.json for ${c.differ.join(", ")}: inputs and answers both use this model; the spec follows the input (the client validates it).`,
      );
    const description = text(cleanText(obj.document), cleanText(en?.objects[name]?.document));
    models[name] = {
      model: name,
      description: description ?? NO_DESCRIPTION,
      ...(notes.length ? { notes } : {}),
      members: c.members,
    };
    const w = [...c.warnings];
    if (!description) w.push(`model ${name} has no description in api.json`);
    if (unreferenced.includes(name)) w.push(`model ${name} is used by no action; imported all the same`);
    modelWarnings.set(name, w);
  }

  // Actions (members, texts, errors) -----------------------------------------------------------------------------
  const actions: Record<string, RawActionSpec> = {};
  const actionWarnings = new Map<string, string[]>();
  const zhCodes = new Map((sources.errorcodes?.productErrorCodes ?? []).map((e) => [e.code, e.description]));
  const enCodes = new Map((sources.errorcodesEn?.productErrorCodes ?? []).map((e) => [e.code, e.description]));
  for (const name of Object.keys(api.actions).sort()) {
    const a = api.actions[name]!;
    const ae = en?.actions[name];
    const w: string[] = [];
    const input = convert(a.input, "input", `${name}.input`);
    const output = convert(a.output, "output", `${name}.output`);
    w.push(...input.warnings, ...output.warnings);
    const i = idempotency(name);
    const notes: string[] = [];
    const disabled = [...input.disabled.map((n) => `input.${n}`), ...output.disabled.map((n) => `output.${n}`)];
    if (disabled.length) notes.push(disabledNote(disabled));
    const described = [...input.described.map((n) => `input.${n}`), ...output.described.map((n) => `output.${n}`)];
    if (described.length) notes.push(describedNote(described));
    const offline = a.status !== undefined && a.status !== "online";
    if (offline) notes.push(`\`status: ${a.status}\` in api.json: the action is marked deprecated.`);
    const titled = !offline && DEPRECATED.test(a.name);
    if (titled) {
      notes.push(`Its title says it is deprecated (${cleanText(a.name)}): the action is marked deprecated.`);
      lifted.push({ where: name, kind: "deprecated", fact: short(cleanText(a.name) ?? name) });
    }
    const deprecated = offline || titled;
    const errors: RawErrorCode[] = [];
    for (const code of sources.errorcodes?.actions[name]?.errorCodes ?? []) {
      const description = text(cleanText(zhCodes.get(code)), cleanText(enCodes.get(code)));
      if (!description) w.push(`error code ${code} has no description in errorcodes.*.json; its code stands in`);
      errors.push({ code, description: description ?? { en: code } });
    }
    if (!sources.errorcodes) w.push("no errorcodes.zh.json given: no error codes imported");
    const enErrors = sources.errorcodesEn?.actions[name]?.errorCodes;
    const zhErrors = sources.errorcodes?.actions[name]?.errorCodes;
    if (enErrors && zhErrors && enErrors.join() !== zhErrors.join())
      w.push("errorcodes.en.json lists other codes than errorcodes.zh.json; the zh list is used");
    actions[name] = {
      action: name,
      title: text(cleanText(a.name), cleanText(ae?.name)) ?? { en: name },
      description: text(cleanText(a.document), cleanText(ae?.document)) ??
        text(cleanText(a.name), undefined) ?? {
          en: name,
        },
      rateLimitPerSecond: ASSUMED_RATE_LIMIT,
      idempotent: i.idempotent,
      idempotentReason: unreviewedReason(i),
      ...(deprecated ? { deprecated: true } : {}),
      notes,
      input: input.members,
      output: output.members,
      errors,
    };
    actionWarnings.set(name, w);
  }

  // Official examples: parse every request first (needed to check lifted enums).
  const parsed = new Map<string, Parsed[]>();
  for (const name of Object.keys(actions)) {
    const list = sources.examples?.actions[name] ?? [];
    const listEn = sources.examplesEn?.actions[name] ?? [];
    if (listEn.length && listEn.length !== list.length)
      actionWarnings
        .get(name)!
        .push(
          `examples.en.json has ${listEn.length} examples, examples.zh.json ${list.length}; en texts are matched by position`,
        );
    parsed.set(
      name,
      list.map((entry, index) => {
        const p: Parsed = { index, entry, ...(listEn[index] ? { en: listEn[index] } : {}) };
        const req = parseExampleInput(entry.input, api, api.actions[name]!.input);
        if ("error" in req) {
          // Fall back to the en example's body, which is the same request in the other language.
          const alt = listEn[index] ? parseExampleInput(listEn[index].input, api, api.actions[name]!.input) : undefined;
          if (alt && !("error" in alt)) {
            p.request = alt.request;
            if (alt.action !== undefined) p.headerAction = alt.action;
            actionWarnings.get(name)!.push(`example ${index + 1}: the zh request ${req.error}; the en one is used`);
          } else p.error = `the request ${req.error}`;
        } else {
          p.request = req.request;
          if (req.action !== undefined) p.headerAction = req.action;
        }
        const res = parseExampleOutput(entry.output);
        if ("error" in res) p.error = p.error ?? res.error;
        else p.response = res.response;
        return p;
      }),
    );
  }

  // Every official value of each member: `Action.input.Member` / `Model.Member` → values.
  const officialValues = new Map<string, unknown[]>();
  const record = (key: string, value: unknown) => {
    const list = officialValues.get(key) ?? [];
    list.push(value);
    officialValues.set(key, list);
  };
  const walk = (members: Record<string, RawMember>, owner: string, value: unknown) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const m = members[k];
      if (!m) continue;
      const items = m.list && Array.isArray(v) ? v : [v];
      for (const item of items) {
        if (isScalarType(m.type)) record(`${owner}.${k}`, item);
        else if (models[m.type]) walk(models[m.type]!.members, m.type, item);
      }
    }
  };
  for (const [name, list] of parsed)
    for (const p of list) if (p.request) walk(actions[name]!.input, `${name}.input`, p.request);
  const memberExamples = (owner: string, objectName: string, members: Record<string, RawMember>) => {
    for (const m of api.objects[objectName]?.members ?? []) {
      const r = members[m.name];
      if (!r) continue;
      const ex = memberExample(m.example, r.type, r.list === true);
      if (ex === undefined || !isScalarType(r.type)) continue;
      for (const item of r.list && Array.isArray(ex) ? ex : [ex]) record(`${owner}.${m.name}`, item);
    }
  };
  for (const name of Object.keys(actions))
    memberExamples(`${name}.input`, api.actions[name]!.input, actions[name]!.input);
  for (const name of names) memberExamples(name, name, models[name]!.members);

  // Lifting, on inputs and the models inputs reach.
  const lift = (where: string, m: RawMember) => {
    const integer = m.type === "int64" || m.type === "uint64";
    if (integer) {
      const values = liftIntegerEnum(m.description);
      if (!values) return;
      const fact: LiftedFact = { where, kind: "enum", fact: describeEnum(values) };
      const allowed = new Set(values.map((v) => v.value));
      const outside = (officialValues.get(where) ?? []).filter((v) => !allowed.has(v as number));
      if (outside.length) fact.dropped = `official example value ${JSON.stringify(outside[0])} is not in it`;
      else m.enum = values;
      lifted.push(fact);
    } else if (m.type === "string") {
      const pattern = liftPrefixPattern(m.description);
      if (!pattern) return;
      const fact: LiftedFact = { where, kind: "pattern", fact: pattern };
      const re = new RegExp(pattern, "u");
      const outside = (officialValues.get(where) ?? []).filter((v) => typeof v === "string" && !re.test(v));
      if (outside.length) fact.dropped = `official example value ${JSON.stringify(outside[0])} does not match it`;
      else m.pattern = pattern;
      lifted.push(fact);
    }
  };
  for (const name of Object.keys(actions))
    for (const [k, m] of Object.entries(actions[name]!.input)) lift(`${name}.input.${k}`, m);
  for (const name of names)
    if (use.input.has(name)) for (const [k, m] of Object.entries(models[name]!.members)) lift(`${name}.${k}`, m);

  // Member examples, kept when they fit the member's rules.
  const addExamples = (objectName: string, owner: string, members: Record<string, RawMember>, w: string[]) => {
    for (const m of api.objects[objectName]?.members ?? []) {
      const r = members[m.name];
      if (!r) continue;
      const ex = memberExample(m.example, r.type, r.list === true);
      if (ex === undefined) continue;
      const fits = validate({ [m.name]: { ...rawMemberShape(r, models), required: true } }, { [m.name]: ex });
      if (fits.length === 0) r.example = ex;
      else if (isScalarType(r.type))
        w.push(`${owner}.${m.name}: api.json's example ${JSON.stringify(m.example)} does not fit the member; left out`);
    }
  };
  for (const name of names) addExamples(name, name, models[name]!.members, modelWarnings.get(name)!);
  for (const name of Object.keys(actions)) {
    addExamples(api.actions[name]!.input, `${name}.input`, actions[name]!.input, actionWarnings.get(name)!);
    addExamples(api.actions[name]!.output, `${name}.output`, actions[name]!.output, actionWarnings.get(name)!);
  }

  // Request examples, with their verdicts.
  for (const [name, list] of parsed) {
    const spec = actions[name]!;
    const w = actionWarnings.get(name)!;
    const examples: RawExample[] = [];
    for (const p of list) {
      if (!p.request || !p.response) {
        w.push(`example ${p.index + 1} left out: ${p.error ?? "unreadable"}`);
        continue;
      }
      const response: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(p.response)) {
        if (k === "RequestId" || Object.hasOwn(spec.output, k)) response[k] = v;
        else w.push(`example ${p.index + 1}: its response has \`${k}\`, which is no output member; left out`);
      }
      const ex: RawExample = {
        title: text(cleanText(p.entry.title), cleanText(p.en?.title)) ?? { en: `Example ${p.index + 1}` },
        ...(text(cleanText(p.entry.document), cleanText(p.en?.document))
          ? { description: text(cleanText(p.entry.document), cleanText(p.en?.document))! }
          : {}),
        request: p.request,
        response,
      };
      // An answer that breaks the output (an answer from before api.json's newest members) cannot be shown as
      // an example of it, and the spec format has no `invalid` for answers: the example is left out, and said so.
      const wrongAnswer = responseViolations(spec.output, models, response, use.input);
      if (wrongAnswer.length) {
        w.push(`example ${p.index + 1} left out: its answer breaks the output (${wrongAnswer.join("; ")})`);
        spec.notes!.push(
          `The official example ${p.index + 1} is left out: its answer breaks the output api.json defines (${wrongAnswer.join("; ")}).`,
        );
        continue;
      }
      const why = requestViolations(spec.input, models, p.request);
      const otherAction = p.headerAction !== undefined && p.headerAction !== name ? p.headerAction : undefined;
      if (why !== undefined) ex.invalid = otherAction ? `it sends \`X-TC-Action: ${otherAction}\`, and ${why}` : why;
      else if (otherAction)
        spec.notes!.push(
          `The official example ${p.index + 1} sends \`X-TC-Action: ${otherAction}\` by mistake; its body fits this action, so it is kept as a valid example of ${name}.`,
        );
      examples.push(ex);
    }
    if (examples.length) spec.examples = examples;
    else if (!sources.examples) w.push("no examples.zh.json given: no examples imported");
    else if (!list.length) w.push("examples.zh.json has no example of this action");
  }

  // The selection.
  const wanted = options.actions ? [...options.actions].sort() : Object.keys(actions);
  const wantedModels = new Set<string>();
  if (options.actions) {
    for (const n of wanted) {
      const seen = new Set<string>();
      reach(api, api.actions[n]!.input, seen);
      reach(api, api.actions[n]!.output, seen);
      for (const s of seen) wantedModels.add(s);
    }
  } else for (const n of names) wantedModels.add(n);
  const inSelection = (where: string) => {
    const owner = where.split(".")[0]!;
    return wanted.includes(owner) || wantedModels.has(owner);
  };

  return {
    actions: new Map(wanted.map((n) => [n, { spec: actions[n]!, warnings: actionWarnings.get(n)! }])),
    models: new Map([...wantedModels].sort().map((n) => [n, { spec: models[n]!, warnings: modelWarnings.get(n)! }])),
    warnings,
    lifted: lifted.filter((f) => inSelection(f.where)),
    unreferenced: unreferenced.filter((n) => wantedModels.has(n)),
  };
}

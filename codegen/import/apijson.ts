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
import { plain } from "./lift.js";
import { UNREVIEWED, type RawActionSpec, type RawMember, type RawModelSpec, type RawText } from "./types.js";

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

export function short(s: string): string {
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

export function reach(api: ApiJson, start: string, seen: Set<string>): void {
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

// The import itself is codegen/import/api-import.ts (kept importable from here).
export { importApi, type ApiImport, type ImportOptions, type LiftedFact } from "./api-import.js";

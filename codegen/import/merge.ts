/**
 * Re-import: an imported spec merged into the spec already in spec/.
 *
 * The source owns what it states: which members exist, their types, list-ness, required and nullable, the zh
 * texts, the error codes and the official examples. The existing spec keeps what people added and the source
 * cannot say: enums (with their value names), patterns, list/number/string bounds, `idempotent`, notes, docs
 * links, `rateLimitPerSecond`, `deprecated`, member examples that still fit, `invalid` reasons of examples that are
 * still invalid, and en texts:
 *
 * - a text's zh comes from the source when it has one; its en stays as written while the zh is unchanged (a
 *   hand-written or reviewed translation beats the machine one), and is taken from the source (or kept, with a
 *   warning to review it) when the zh changed;
 * - a text marked `handWritten` keeps its en whatever the source says;
 * - `idempotent` and `idempotentReason` are a person's decision: always kept;
 * - notes: hand-written ones stay; the importer's own notes (IMPORTER_NOTE_KINDS) are replaced by the ones of
 *   this import, and a new one is not added when a kept note already names its subject (its first `code` span);
 *   the old "idempotent decided by the verb rule" note is dropped (idempotentReason says why now).
 *
 * Every change is reported as `<path>: <what>`.
 */
import type { RawActionSpec, RawErrorCode, RawExample, RawMember, RawModelSpec, RawText } from "./types.js";
import { IMPORTER_NOTE_KINDS, markExamples, rawMemberShape } from "./apijson.js";
import { validate } from "../../src/validate.js";
import { applies, CONSTRAINT_NAMES, enumValueFits, isScalarType } from "../vocabulary.js";
import { deepEqual, normalizeAction, normalizeModel } from "./yaml.js";

export interface MergeOptions {
  /**
   * The source is a doc page: older and less exact than api.json (it says "Integer" for int64 and uint64, a crawl
   * may lose the Required column or change punctuation), so it only fills gaps. Members, error codes, texts and
   * examples the spec lacks are added; everything the spec already says is kept, and where the page disagrees on a
   * member's type, list-ness or required a warning says so.
   */
  partial?: boolean;
  /** The source has no error codes (no errorcodes.json): keep the existing ones. */
  keepErrors?: boolean;
  /** The source has no examples (no examples.json): keep the existing ones. */
  keepExamples?: boolean;
}

export interface MergeResult<T> {
  spec: T;
  /** What the merge changed in the existing spec (empty: unchanged); `["added"]` for a new spec. */
  changes: string[];
  warnings: string[];
}

class Log {
  readonly changes: string[] = [];
  readonly warnings: string[] = [];
  change(path: string, what: string): void {
    this.changes.push(`${path}: ${what}`);
  }
  warn(path: string, what: string): void {
    this.warnings.push(`${path}: ${what}`);
  }
}

function short(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return JSON.stringify(one.length > 60 ? `${one.slice(0, 57)}...` : one);
}

export function mergeText(
  path: string,
  old: RawText | undefined,
  neu: RawText | undefined,
  log: Log,
  fillOnly = false,
): RawText {
  if (!old) {
    if (neu) log.change(path, "added");
    return neu ?? {};
  }
  if (!neu) return old;
  if (old.handWritten) {
    // A person's English: only the zh follows the source.
    const zh = fillOnly ? (old.zh ?? neu.zh) : (neu.zh ?? old.zh);
    if (zh !== old.zh) log.change(`${path}.zh`, old.zh === undefined ? "added" : `changed to ${short(zh!)}`);
    return { ...(zh !== undefined ? { zh } : {}), ...(old.en !== undefined ? { en: old.en } : {}), handWritten: true };
  }
  const zhChanged = !fillOnly && neu.zh !== undefined && old.zh !== undefined && neu.zh !== old.zh;
  const zh = fillOnly ? (old.zh ?? neu.zh) : (neu.zh ?? old.zh);
  let en: string | undefined;
  if (zhChanged) {
    en = neu.en ?? old.en;
    if (neu.en === undefined && old.en !== undefined)
      log.warn(`${path}.en`, "kept, but the zh text changed: review the translation");
  } else en = old.en ?? neu.en;
  if (zh !== old.zh) log.change(`${path}.zh`, old.zh === undefined ? "added" : `changed to ${short(zh!)}`);
  if (en !== old.en) log.change(`${path}.en`, old.en === undefined ? "added" : `changed to ${short(en!)}`);
  const out: RawText = {};
  if (zh !== undefined) out.zh = zh;
  if (en !== undefined) out.en = en;
  return out;
}

/** Whether a member's enum values all have its type. */
function enumFits(m: RawMember): boolean {
  return (m.enum ?? []).every((e) => enumValueFits(m.type, e.value));
}

function mergeMember(
  path: string,
  old: RawMember,
  neu: RawMember,
  models: Record<string, RawModelSpec>,
  opts: MergeOptions,
  log: Log,
): RawMember {
  const m: RawMember = { type: neu.type, description: old.description };
  // Source-owned facts (a page only says where it disagrees).
  const fill = opts.partial === true;
  const type = fill ? old.type : neu.type;
  m.type = type;
  if (type !== old.type) log.change(`${path}.type`, `${old.type} → ${type}`);
  if (fill && neu.type !== old.type && !(old.type === "uint64" && neu.type === "int64"))
    log.warn(`${path}.type`, `the page says ${neu.type}; kept ${old.type}`);
  const flag = (k: "list" | "required" | "nullable") => {
    const before = old[k] === true;
    const after = fill ? before : neu[k] === true;
    if (after) m[k] = true;
    if (before !== after) log.change(`${path}.${k}`, `${before} → ${after}`);
    if (fill && k !== "nullable" && (neu[k] === true) !== before)
      log.warn(`${path}.${k}`, `the page says ${neu[k] === true}; kept ${before}`);
  };
  flag("list");
  flag("required");
  flag("nullable");
  if (old.deprecated || neu.deprecated) m.deprecated = true;
  if (!old.deprecated && neu.deprecated) log.change(`${path}.deprecated`, "false → true");
  m.description = mergeText(`${path}.description`, old.description, neu.description, log, fill);
  // Hand-written facts, while they still apply.
  const enumSource = old.enum ?? neu.enum;
  if (enumSource) {
    const candidate = { ...m, enum: enumSource };
    if (isScalarType(m.type) && enumFits(candidate)) {
      m.enum = enumSource;
      if (!old.enum) log.change(`${path}.enum`, `lifted ${enumSource.map((e) => JSON.stringify(e.value)).join(", ")}`);
      else if (
        neu.enum &&
        !deepEqual(
          neu.enum.map((e) => e.value),
          old.enum.map((e) => e.value),
        )
      )
        log.warn(
          `${path}.enum`,
          `kept [${old.enum.map((e) => JSON.stringify(e.value)).join(", ")}]; the description now reads as [${neu.enum.map((e) => JSON.stringify(e.value)).join(", ")}]`,
        );
    } else if (old.enum)
      log.change(`${path}.enum`, `removed: it does not fit the type ${m.type}${m.list ? " list" : ""}`);
  }
  for (const k of CONSTRAINT_NAMES) {
    const v = old[k] ?? neu[k];
    if (v === undefined) continue;
    if (applies(k, m)) {
      (m as unknown as Record<string, unknown>)[k] = v;
      if (old[k] === undefined) log.change(`${path}.${k}`, `lifted ${JSON.stringify(v)}`);
    } else if (old[k] !== undefined)
      log.change(`${path}.${k}`, `removed: it does not apply to the type ${m.type}${m.list ? " list" : ""}`);
  }
  // The member example: the existing one while it fits, else the source's.
  const fits = (ex: unknown) =>
    validate({ x: { ...rawMemberShape(m, models), required: true } }, { x: ex }).length === 0;
  if (old.example !== undefined && fits(old.example)) m.example = old.example;
  else if (neu.example !== undefined && fits(neu.example)) {
    m.example = neu.example;
    if (!deepEqual(old.example, neu.example))
      log.change(`${path}.example`, old.example === undefined ? "added" : "replaced (the old one no longer fits)");
  } else if (old.example !== undefined) log.change(`${path}.example`, "removed (it no longer fits)");
  return m;
}

function mergeMembers(
  at: string,
  old: Record<string, RawMember>,
  neu: Record<string, RawMember>,
  models: Record<string, RawModelSpec>,
  opts: MergeOptions,
  log: Log,
): Record<string, RawMember> {
  const out: Record<string, RawMember> = {};
  for (const [name, m] of Object.entries(neu)) {
    const before = old[name];
    if (before) out[name] = mergeMember(`${at}.${name}`, before, m, models, opts, log);
    else {
      out[name] = m;
      log.change(`${at}.${name}`, `added (${m.type}${m.list ? " list" : ""}${m.required ? ", required" : ""})`);
    }
  }
  for (const [name, m] of Object.entries(old)) {
    if (Object.hasOwn(neu, name)) continue;
    if (opts.partial) {
      out[name] = m;
      log.warn(`${at}.${name}`, "not in the source (a partial one): kept");
    } else log.change(`${at}.${name}`, "removed");
  }
  return out;
}

function noteKind(note: string): number {
  return IMPORTER_NOTE_KINDS.findIndex((re) => re.test(note));
}

/** The first `code` span of a note: what it is about. */
function subject(note: string): string | undefined {
  return /`[^`]+`/.exec(note)?.[0];
}

/** Hand-written notes stay; the importer's own are replaced by this import's (see the module comment). */
function mergeNotes(old: string[] | undefined, neu: string[] | undefined, log: Log): string[] {
  const imported = neu ?? [];
  const out: string[] = [];
  const placed = new Set<string>();
  for (const n of old ?? []) {
    const kind = noteKind(n);
    if (kind < 0) {
      out.push(n); // hand-written
      continue;
    }
    const same = imported.filter((x) => noteKind(x) === kind);
    if (kind === 0) {
      // The old "decided by the verb rule" note: idempotentReason says it now.
      log.change("notes", `removed ${short(n)} (idempotentReason says why)`);
      continue;
    }
    if (same.some((x) => x === n)) {
      out.push(n);
      placed.add(n);
    } else if (same.length) {
      for (const x of same)
        if (!placed.has(x)) {
          out.push(x);
          placed.add(x);
        }
      log.change("notes", `replaced ${short(n)}`);
    } else log.change("notes", `removed ${short(n)} (the source no longer says it)`);
  }
  for (const n of imported) {
    if (placed.has(n) || out.includes(n) || noteKind(n) === 0) continue;
    const about = subject(n);
    if (about && out.some((x) => x.includes(about))) continue; // a kept note already covers it
    out.push(n);
    log.change("notes", `added ${short(n)}`);
  }
  return out;
}

function mergeErrors(old: RawErrorCode[], neu: RawErrorCode[], log: Log, fill: boolean): RawErrorCode[] {
  const before = new Map(old.map((e) => [e.code, e]));
  if (fill) {
    // A page adds the codes the spec lacks and fills missing texts; it removes nothing.
    const out = old.map((o) => {
      const e = neu.find((x) => x.code === o.code);
      return e
        ? { ...o, description: mergeText(`errors.${o.code}.description`, o.description, e.description, log, true) }
        : o;
    });
    for (const e of neu)
      if (!before.has(e.code)) {
        out.push(e);
        log.change(`errors.${e.code}`, "added");
      }
    return out;
  }
  const out = neu.map((e) => {
    const o = before.get(e.code);
    if (!o) {
      log.change(`errors.${e.code}`, "added");
      return e;
    }
    const merged: RawErrorCode = {
      code: e.code,
      description: mergeText(`errors.${e.code}.description`, o.description, e.description, log),
    };
    if (o.retry ?? e.retry) merged.retry = (o.retry ?? e.retry)!;
    return merged;
  });
  for (const e of old) if (!neu.some((x) => x.code === e.code)) log.change(`errors.${e.code}`, "removed");
  return out;
}

function mergeExamples(old: RawExample[], neu: RawExample[], log: Log): RawExample[] {
  const out = neu.map((e, i) => {
    const o = old[i];
    if (!o) {
      log.change(`examples[${i}]`, "added");
      const { invalid: _ignored, ...rest } = e;
      return rest;
    }
    const merged: RawExample = {
      title: mergeText(`examples[${i}].title`, o.title, e.title, log),
      request: e.request,
      response: e.response,
    };
    const description =
      o.description || e.description
        ? mergeText(`examples[${i}].description`, o.description, e.description, log)
        : undefined;
    if (description && (description.zh || description.en)) merged.description = description;
    if (!deepEqual(o.request, e.request)) log.change(`examples[${i}].request`, "changed");
    if (!deepEqual(o.response, e.response)) log.change(`examples[${i}].response`, "changed");
    if (o.invalid !== undefined) merged.invalid = o.invalid; // re-checked by markExamples
    return merged;
  });
  for (let i = neu.length; i < old.length; i++) log.change(`examples[${i}]`, "removed (the source no longer has it)");
  return out;
}

/**
 * `imported` merged into `existing` (undefined: a new spec). `models`: every model the merged spec may use (the
 * merged ones), to re-check the examples' requests.
 */
export function mergeAction(
  existing: RawActionSpec | undefined,
  imported: RawActionSpec,
  models: Record<string, RawModelSpec>,
  opts: MergeOptions = {},
): MergeResult<RawActionSpec> {
  const log = new Log();
  if (!existing) {
    const spec = normalizeAction(structuredClone(imported));
    for (const ex of spec.examples ?? []) delete ex.invalid;
    markExamples(spec, models);
    return { spec: normalizeAction(spec), changes: ["added"], warnings: [] };
  }
  const old = normalizeAction(structuredClone(existing));
  const neu = normalizeAction(structuredClone(imported));
  if (old.action !== neu.action) throw new Error(`mergeAction: ${old.action} is not ${neu.action}`);
  const fill = opts.partial === true;
  const spec: RawActionSpec = {
    action: neu.action,
    title: mergeText("title", old.title, neu.title, log, fill),
    description: mergeText("description", old.description, neu.description, log, fill),
    idempotent: old.idempotent,
    ...(old.idempotentReason !== undefined ? { idempotentReason: old.idempotentReason } : {}),
    input: {},
    output: {},
    errors: [],
  };
  const docs = old.docs || neu.docs ? { ...(neu.docs ?? {}), ...(old.docs ?? {}) } : undefined;
  if (docs) spec.docs = docs;
  if (old.docs && neu.docs && !deepEqual(docs, old.docs)) log.change("docs", "added a link");
  const rate = old.rateLimitPerSecond ?? neu.rateLimitPerSecond;
  if (rate !== undefined) spec.rateLimitPerSecond = rate;
  if (old.rateLimitPerSecond === undefined && rate !== undefined) log.change("rateLimitPerSecond", `added ${rate}`);
  if (old.deprecated || neu.deprecated) spec.deprecated = true;
  if (!old.deprecated && neu.deprecated) log.change("deprecated", "false → true");
  const notes = mergeNotes(old.notes, neu.notes, log);
  if (notes.length) spec.notes = notes;
  spec.input = mergeMembers("input", old.input, neu.input, models, opts, log);
  spec.output = mergeMembers("output", old.output, neu.output, models, opts, log);
  spec.errors = opts.keepErrors ? old.errors : mergeErrors(old.errors, neu.errors, log, fill);
  // A page's examples are the official ones again (often re-typed by the page): they only fill an empty list.
  const examples =
    opts.keepExamples || (fill && (old.examples?.length ?? 0) > 0)
      ? (old.examples ?? [])
      : mergeExamples(old.examples ?? [], neu.examples ?? [], log);
  if (examples.length) spec.examples = examples;
  for (const c of markExamples(spec, models)) log.changes.push(c);
  return { spec: normalizeAction(spec), changes: log.changes, warnings: log.warnings };
}

export function mergeModel(
  existing: RawModelSpec | undefined,
  imported: RawModelSpec,
  models: Record<string, RawModelSpec>,
  opts: MergeOptions = {},
): MergeResult<RawModelSpec> {
  if (!existing) return { spec: normalizeModel(structuredClone(imported)), changes: ["added"], warnings: [] };
  const log = new Log();
  const old = normalizeModel(structuredClone(existing));
  const neu = normalizeModel(structuredClone(imported));
  const spec: RawModelSpec = {
    model: neu.model,
    description: mergeText("description", old.description, neu.description, log),
    members: {},
  };
  const notes = mergeNotes(old.notes, neu.notes, log);
  if (notes.length) spec.notes = notes;
  spec.members = mergeMembers("members", old.members, neu.members, models, opts, log);
  return { spec: normalizeModel(spec), changes: log.changes, warnings: log.warnings };
}

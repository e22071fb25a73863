/**
 * Re-import: what the sources say now, merged with the spec already in spec/.
 *
 * **An update from Tencent's definitions** (`updateAction`, `updateModel`) is the fresh import itself, with what a
 * person wrote laid over it. Nothing is guessed from which language changed: the spec records provenance
 * (`handWritten`, codegen/vocabulary.ts), so
 * - every fact the sources own is the source's, in both directions (texts in both languages, member examples,
 *   enum value texts, deprecation set or cleared, error codes, example titles; members and error codes the
 *   sources dropped are dropped);
 * - a text marked `handWritten` keeps its English (its zh follows the source); a member, action or model marked
 *   `handWritten: [keys]` keeps those keys as written, and one marked `handWritten: true` is kept whole, even
 *   when the sources no longer have it;
 * - `idempotent` with a reviewed `idempotentReason`, an error code's `retry`, notes that are not the importer's
 *   own (IMPORTER_NOTE_KINDS) and an example's `invalid` reason a person rewrote are a person's by nature.
 * With nothing hand-written, an update is byte for byte the fresh import (test/import/replay.test.ts).
 *
 * **A doc page** (`fillAction`) is older and less exact than api.json (it says "Integer" for int64 and uint64, a
 * crawl may lose the Required column or be cut short), so it only fills gaps: members, error codes, texts and
 * examples the spec lacks are added; everything the spec says, notes included, is kept, and where the page
 * disagrees on a member's type, list-ness or required a warning says so.
 *
 * The merges return the merged spec and what a person should look at; what changed is said by
 * codegen/import/changes.ts, which compares the spec before and after.
 */
import { validate } from "../../src/validate.js";
import { applies, CONSTRAINT_NAMES, enumValueFits, isScalarType, type MemberFactKey } from "../vocabulary.js";
import { IMPORTER_NOTE_KINDS, markExamples, rawMemberShape, requestViolations } from "./apijson.js";
import {
  type RawActionSpec,
  type RawErrorCode,
  type RawExample,
  type RawMember,
  type RawModelSpec,
  type RawText,
  UNREVIEWED,
} from "./types.js";
import { deepEqual, normalizeAction, normalizeModel } from "./yaml.js";

export interface MergeResult<T> {
  spec: T;
  /** Things a person should look at (a kept hand-written fact the source now contradicts, ...). */
  warnings: string[];
}

type Models = Record<string, RawModelSpec>;

/**
 * What the sources cannot say because a file is missing from them (codegen/import/sources.ts): that part is
 * kept from the spec instead of being dropped.
 */
export interface UpdateOptions {
  /** No api.en.json: English texts of actions, members and models are kept. */
  readonly keepEnglish?: boolean;
  /** No examples.zh.json: the examples are kept; no examples.en.json: their English. */
  readonly keepExamples?: boolean;
  readonly keepExampleEnglish?: boolean;
  /** No errorcodes.zh.json: the error codes are kept; no errorcodes.en.json: their English. */
  readonly keepErrors?: boolean;
  readonly keepErrorEnglish?: boolean;
  /** Members and error codes the sources dropped stay (`spec:import --keep-removed`), each with a warning. */
  readonly keepRemoved?: boolean;
}

class Warnings {
  readonly list: string[] = [];
  add(path: string, what: string): void {
    this.list.push(`${path}: ${what}`);
  }
}

/** The keys a `handWritten` mark names (none for no mark; `true` is handled by the callers). */
function ownedKeys<K extends string>(mark: true | K[] | undefined): ReadonlySet<K> {
  return new Set(Array.isArray(mark) ? mark : []);
}

/** `target[key]` set to `source[key]`, or removed when the source has none. */
function copyKey<T extends object>(target: T, source: T, key: keyof T): void {
  if (source[key] === undefined) delete target[key];
  else target[key] = structuredClone(source[key]);
}

/**
 * The source's text, with a person's English laid over it when the old text is marked, or the old English
 * when the sources have no English at all (`keepEnglish`).
 */
export function overlayText(
  old: RawText | undefined,
  neu: RawText | undefined,
  keepEnglish = false,
): RawText | undefined {
  if (old?.handWritten) {
    const zh = neu?.zh ?? old.zh;
    return { ...(zh !== undefined ? { zh } : {}), ...(old.en !== undefined ? { en: old.en } : {}), handWritten: true };
  }
  if (keepEnglish && old?.en !== undefined && neu && neu.en === undefined) return { ...neu, en: old.en };
  return neu;
}

function enumFits(m: RawMember): boolean {
  return (m.enum ?? []).every((e) => enumValueFits(m.type, e.value));
}

function exampleFits(m: RawMember, example: unknown, models: Models): boolean {
  return validate({ x: { ...rawMemberShape(m, models), required: true } }, { x: example }).length === 0;
}

// Updates from the sources ----------------------------------------------------------------------------------------

function updateMember(
  path: string,
  old: RawMember,
  neu: RawMember,
  models: Models,
  opts: UpdateOptions,
  w: Warnings,
): RawMember {
  if (old.handWritten === true) {
    w.add(path, "kept as written (handWritten); the sources describe it too: drop the mark to take theirs");
    return old;
  }
  const m: RawMember = structuredClone(neu);
  const owned = ownedKeys<MemberFactKey>(old.handWritten);
  for (const key of owned) copyKey(m, old, key);
  if (owned.size) m.handWritten = [...owned];
  const keepEnglish = opts.keepEnglish === true;
  if (!owned.has("description"))
    m.description = overlayText(old.description, neu.description, keepEnglish) ?? neu.description;
  if (!owned.has("enum") && m.enum && old.enum)
    m.enum = m.enum.map((v) => {
      const before = old.enum!.find((o) => o.value === v.value);
      const description = overlayText(before?.description, v.description, keepEnglish);
      return description ? { ...v, description } : v;
    });
  keepApplicable(path, m, owned, neu, models, w);
  return m;
}

/** A person's facts the member's (new) type cannot carry are dropped, and a contradicted enum is pointed out. */
function keepApplicable(
  path: string,
  m: RawMember,
  owned: ReadonlySet<MemberFactKey>,
  neu: RawMember,
  models: Models,
  w: Warnings,
): void {
  if (owned.has("enum") && m.enum) {
    if (!isScalarType(m.type) || !enumFits(m)) {
      delete m.enum;
      w.add(`${path}.enum`, `removed: it does not fit the type ${m.type}${m.list ? " list" : ""}`);
    } else if (
      neu.enum &&
      !deepEqual(
        neu.enum.map((e) => e.value),
        m.enum.map((e) => e.value),
      )
    )
      w.add(
        `${path}.enum`,
        `kept [${m.enum.map((e) => JSON.stringify(e.value)).join(", ")}]; the description now reads as [${neu.enum.map((e) => JSON.stringify(e.value)).join(", ")}]`,
      );
  }
  for (const key of CONSTRAINT_NAMES)
    if (owned.has(key) && m[key] !== undefined && !applies(key, m)) {
      delete m[key];
      w.add(`${path}.${key}`, `removed: it does not apply to the type ${m.type}${m.list ? " list" : ""}`);
    }
  if (owned.has("example") && m.example !== undefined && !exampleFits(m, m.example, models)) {
    delete m.example;
    w.add(`${path}.example`, "removed: it no longer fits the member");
  }
}

function updateMembers(
  at: string,
  old: Record<string, RawMember>,
  neu: Record<string, RawMember>,
  models: Models,
  opts: UpdateOptions,
  w: Warnings,
): Record<string, RawMember> {
  const out: Record<string, RawMember> = {};
  for (const [name, m] of Object.entries(neu))
    out[name] = old[name] ? updateMember(`${at}.${name}`, old[name], m, models, opts, w) : structuredClone(m);
  // A member a person added, or one from a further source api.json lacks, stays; one the sources dropped goes,
  // unless asked to stay.
  for (const [name, m] of Object.entries(old)) {
    if (Object.hasOwn(neu, name)) continue;
    if (m.handWritten === true || m.from !== undefined) out[name] = m;
    else if (opts.keepRemoved) {
      out[name] = m;
      w.add(`${at}.${name}`, "not in the sources any more; kept (--keep-removed)");
    }
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

/**
 * A person's notes, then the importer's notes of this import, but for those a person's note already covers (it
 * names the same subject). The importer's notes of an earlier import are its own and go.
 */
export function updateNotes(old: readonly string[] | undefined, neu: readonly string[] | undefined): string[] {
  const personal = (old ?? []).filter((n) => noteKind(n) < 0);
  const imported = (neu ?? []).filter((n) => noteKind(n) !== 0);
  const covered = (n: string) => {
    const about = subject(n);
    return about !== undefined && personal.some((p) => p.includes(about));
  };
  return [...personal, ...imported.filter((n) => !personal.includes(n) && !covered(n))];
}

/** `notes` as a spec writes them: none at all rather than an empty list. */
export function setNotes(spec: { notes?: string[] }, notes: string[]): void {
  if (notes.length) spec.notes = notes;
  else delete spec.notes;
}

function updateErrors(
  old: readonly RawErrorCode[],
  neu: readonly RawErrorCode[],
  opts: UpdateOptions,
  w: Warnings,
): RawErrorCode[] {
  const keepEnglish = opts.keepErrorEnglish === true;
  const dropped = opts.keepRemoved ? old.filter((o) => !neu.some((e) => e.code === o.code)) : [];
  for (const e of dropped) w.add(`errors.${e.code}`, "not in the sources any more; kept (--keep-removed)");
  const updated = neu.map((e) => {
    const before = old.find((o) => o.code === e.code);
    if (!before) return structuredClone(e);
    const description = overlayText(before.description, e.description, keepEnglish)!;
    const merged: RawErrorCode = { code: e.code, description };
    const retry = before.retry ?? e.retry;
    if (retry) merged.retry = retry;
    return merged;
  });
  return [...updated, ...dropped];
}

/**
 * The source's examples, with a person's English titles and descriptions (matched by position) and a person's
 * `invalid` reason: one that differs from what the importer wrote for the old spec, on an unchanged request.
 */
function updateExamples(
  old: RawActionSpec,
  neu: readonly RawExample[],
  models: Models,
  keepEnglish: boolean,
): RawExample[] {
  const before = old.examples ?? [];
  return neu.map((e, i) => {
    const o = before[i];
    const { invalid: _ignored, ...ex } = structuredClone(e);
    if (!o) return ex;
    const title = overlayText(o.title, e.title, keepEnglish)!;
    const description = overlayText(o.description, e.description, keepEnglish);
    const merged: RawExample = { ...ex, title, ...(description ? { description } : {}) };
    if (o.invalid !== undefined && deepEqual(o.request, e.request)) {
      const importers = requestViolations(old.input, models, o.request);
      if (o.invalid !== importers) merged.invalid = o.invalid; // re-checked by markExamples
    }
    return merged;
  });
}

function isReviewed(spec: RawActionSpec): boolean {
  return spec.idempotentReason !== undefined && !spec.idempotentReason.startsWith(UNREVIEWED);
}

/**
 * `paginator:` and `waiters:` are a person's (no source describes paging or polling): kept as written. A member they
 * name that the update dropped is warned about here; the loader then refuses the spec until a person fixes it.
 */
function keepPagingAndWaiters(old: RawActionSpec, spec: RawActionSpec, models: Models, w: Warnings): void {
  if (old.paginator) spec.paginator = structuredClone(old.paginator);
  if (old.waiters) spec.waiters = structuredClone(old.waiters);
  const gone = (at: string, name: string, where: string, block: string) =>
    w.add(at, `\`${name}\` is no longer ${where}; fix the ${block}`);
  const p = (spec.paginator ?? {}) as Record<string, unknown>;
  const window = (p.timeWindow ?? {}) as Record<string, unknown>;
  const named: [string, unknown, "input" | "output"][] = [
    ...(["page", "offset", "cursor", "size"] as const).map((k) => [k, p[k], "input"] as [string, unknown, "input"]),
    ...(["items", "total"] as const).map((k) => [k, p[k], "output"] as [string, unknown, "output"]),
    ...(["start", "end"] as const).map((k) => [`timeWindow.${k}`, window[k], "input"] as [string, unknown, "input"]),
  ];
  for (const [key, name, side] of named)
    if (typeof name === "string" && !Object.hasOwn(spec[side], name))
      gone(`paginator.${key}`, name, `an ${side} member of the action`, "paginator");
  if (typeof p.cursorFrom === "string" && typeof p.items === "string") {
    const model = models[spec.output[p.items]?.type ?? ""];
    if (model && !Object.hasOwn(model.members, p.cursorFrom))
      gone("paginator.cursorFrom", p.cursorFrom, `a member of ${model.model}`, "paginator");
  }
  for (const [name, waiter] of Object.entries(spec.waiters ?? {})) {
    const acceptors = ((waiter as { acceptors?: unknown }).acceptors ?? []) as { path?: unknown }[];
    acceptors.forEach((a, i) => {
      const lost = typeof a.path === "string" ? missingOnPath(a.path, spec.output, models) : undefined;
      if (lost) gone(`waiters.${name}.acceptors[${i}].path`, lost.member, lost.where, "waiter");
    });
  }
}

/** The first member of a waiter path (`Items[].State`) that is not there, and where it was looked for. */
function missingOnPath(
  path: string,
  output: Record<string, RawMember>,
  models: Models,
): { member: string; where: string } | undefined {
  let members: Record<string, RawMember> | undefined = output;
  let where = "an output member of the action";
  for (const step of path.split(".")) {
    const member = step.replace(/\[\]$/, "");
    if (!members) return undefined; // a path through a scalar: the loader says so
    if (!Object.hasOwn(members, member)) return { member, where };
    const type: string = members[member]!.type;
    members = models[type]?.members;
    where = `a member of ${type}`;
  }
  return undefined;
}

/**
 * `fresh` (a fresh import of the action) with what a person wrote in `existing` laid over it. `models`: every
 * model the merged spec may use; `oldModels`: those of the spec before, to tell the importer's example reasons.
 */
export function updateAction(
  existing: RawActionSpec | undefined,
  fresh: RawActionSpec,
  models: Models,
  opts: UpdateOptions = {},
  oldModels: Models = models,
): MergeResult<RawActionSpec> {
  const w = new Warnings();
  if (!existing) {
    const spec = normalizeAction(structuredClone(fresh));
    for (const ex of spec.examples ?? []) delete ex.invalid;
    markExamples(spec, models);
    return { spec: normalizeAction(spec), warnings: [] };
  }
  if (existing.action !== fresh.action) throw new Error(`updateAction: ${existing.action} is not ${fresh.action}`);
  if (existing.handWritten === true) {
    w.add(fresh.action, "kept as written (handWritten); the sources describe it too: drop the mark to take theirs");
    return { spec: normalizeAction(structuredClone(existing)), warnings: w.list };
  }
  const old = normalizeAction(structuredClone(existing));
  const spec = normalizeAction(structuredClone(fresh));
  if (isReviewed(old)) {
    spec.idempotent = old.idempotent;
    spec.idempotentReason = old.idempotentReason!;
  }
  const owned = ownedKeys(old.handWritten);
  const keepEnglish = opts.keepEnglish === true;
  spec.title = owned.has("title") ? old.title : (overlayText(old.title, spec.title, keepEnglish) ?? spec.title);
  spec.description = owned.has("description")
    ? old.description
    : (overlayText(old.description, spec.description, keepEnglish) ?? spec.description);
  setNotes(spec, updateNotes(old.notes, spec.notes));
  spec.input = updateMembers("input", old.input, spec.input, models, opts, w);
  spec.output = updateMembers("output", old.output, spec.output, models, opts, w);
  // After the members: one kept (hand-written, --keep-removed) is still there for the paginator.
  keepPagingAndWaiters(old, spec, models, w);
  if (opts.keepErrors) spec.errors = old.errors;
  else if (!owned.has("errors")) spec.errors = updateErrors(old.errors, spec.errors, opts, w);
  if (opts.keepExamples) spec.examples = old.examples ?? [];
  else if (!owned.has("examples"))
    spec.examples = updateExamples(old, spec.examples ?? [], oldModels, opts.keepExampleEnglish === true);
  for (const key of owned) if (key !== "title" && key !== "description") copyKey(spec, old, key);
  if (owned.size) spec.handWritten = [...owned];
  markExamples(spec, models);
  return { spec: normalizeAction(spec), warnings: w.list };
}

export function updateModel(
  existing: RawModelSpec | undefined,
  fresh: RawModelSpec,
  models: Models,
  opts: UpdateOptions = {},
): MergeResult<RawModelSpec> {
  if (!existing) return { spec: normalizeModel(structuredClone(fresh)), warnings: [] };
  const w = new Warnings();
  if (existing.handWritten === true) {
    w.add(fresh.model, "kept as written (handWritten); the sources describe it too: drop the mark to take theirs");
    return { spec: normalizeModel(structuredClone(existing)), warnings: w.list };
  }
  const old = normalizeModel(structuredClone(existing));
  const spec = normalizeModel(structuredClone(fresh));
  const owned = ownedKeys(old.handWritten);
  spec.description = owned.has("description")
    ? old.description
    : (overlayText(old.description, spec.description, opts.keepEnglish === true) ?? spec.description);
  if (owned.size) spec.handWritten = [...owned];
  setNotes(spec, updateNotes(old.notes, spec.notes));
  spec.members = updateMembers("members", old.members, spec.members, models, opts, w);
  return { spec: normalizeModel(spec), warnings: w.list };
}

// Filling gaps from a doc page --------------------------------------------------------------------------------

/** The old text, with what it lacks taken from the page. */
function fillText(old: RawText | undefined, page: RawText | undefined): RawText | undefined {
  if (!old) return page;
  if (!page) return old;
  const out: RawText = { ...old };
  if (out.zh === undefined && page.zh !== undefined) out.zh = page.zh;
  if (out.en === undefined && page.en !== undefined) out.en = page.en;
  return normalizeText(out);
}

function normalizeText(t: RawText): RawText {
  return {
    ...(t.zh !== undefined ? { zh: t.zh } : {}),
    ...(t.en !== undefined ? { en: t.en } : {}),
    ...(t.handWritten ? { handWritten: true as const } : {}),
  };
}

function fillMember(path: string, old: RawMember, page: RawMember, models: Models, w: Warnings): RawMember {
  const m: RawMember = structuredClone(old);
  if (page.type !== old.type && !(old.type === "uint64" && page.type === "int64"))
    w.add(`${path}.type`, `the page says ${page.type}; kept ${old.type}`);
  for (const k of ["list", "required"] as const)
    if ((page[k] === true) !== (old[k] === true))
      w.add(`${path}.${k}`, `the page says ${page[k] === true}; kept ${old[k] === true}`);
  if (page.deprecated && !old.deprecated) {
    m.deprecated = true;
    w.add(`${path}.deprecated`, "the page marks it deprecated: marked");
  }
  m.description = fillText(old.description, page.description) ?? old.description;
  if (!m.enum && page.enum && isScalarType(m.type) && enumFits({ ...m, enum: page.enum })) m.enum = page.enum;
  for (const k of CONSTRAINT_NAMES)
    if (m[k] === undefined && page[k] !== undefined && applies(k, m))
      (m as unknown as Record<string, unknown>)[k] = page[k];
  if (m.example === undefined && page.example !== undefined && exampleFits(m, page.example, models))
    m.example = page.example;
  return m;
}

function fillMembers(
  at: string,
  old: Record<string, RawMember>,
  page: Record<string, RawMember>,
  models: Models,
  w: Warnings,
): Record<string, RawMember> {
  // The spec's order, then what only the page has: a page that adds nothing changes no line.
  const out: Record<string, RawMember> = {};
  for (const [name, m] of Object.entries(old)) {
    const onPage = page[name];
    if (onPage) out[name] = fillMember(`${at}.${name}`, m, onPage, models, w);
    else {
      out[name] = m;
      w.add(`${at}.${name}`, "not on the page (which may be older or cut short): kept");
    }
  }
  for (const [name, m] of Object.entries(page)) if (!Object.hasOwn(old, name)) out[name] = m;
  return out;
}

function fillErrors(old: readonly RawErrorCode[], page: readonly RawErrorCode[]): RawErrorCode[] {
  const out = old.map((o) => {
    const e = page.find((x) => x.code === o.code);
    return e ? { ...o, description: fillText(o.description, e.description) ?? o.description } : o;
  });
  for (const e of page) if (!old.some((o) => o.code === e.code)) out.push(e);
  return out;
}

/** A doc page's action merged into `existing` as a gap filler (see the module comment); a new spec is the page. */
export function fillAction(
  existing: RawActionSpec | undefined,
  page: RawActionSpec,
  models: Models,
): MergeResult<RawActionSpec> {
  if (!existing) return updateAction(undefined, page, models);
  const w = new Warnings();
  const old = normalizeAction(structuredClone(existing));
  const neu = normalizeAction(structuredClone(page));
  if (old.action !== neu.action) throw new Error(`fillAction: ${old.action} is not ${neu.action}`);
  const spec: RawActionSpec = {
    ...old,
    title: fillText(old.title, neu.title) ?? old.title,
    description: fillText(old.description, neu.description) ?? old.description,
    input: fillMembers("input", old.input, neu.input, models, w),
    output: fillMembers("output", old.output, neu.output, models, w),
    errors: fillErrors(old.errors, neu.errors),
  };
  if (!old.docs && neu.docs) spec.docs = neu.docs;
  if (old.rateLimitPerSecond === undefined && neu.rateLimitPerSecond !== undefined)
    spec.rateLimitPerSecond = neu.rateLimitPerSecond;
  if (neu.deprecated && !old.deprecated) {
    spec.deprecated = true;
    w.add("deprecated", "the page marks the action deprecated: marked");
  }
  // A page's examples are the official ones again (often re-typed by the page): they only fill an empty list.
  if (!old.examples?.length && neu.examples?.length)
    spec.examples = neu.examples.map(({ invalid: _ignored, ...e }) => e);
  // Every note stays: a page cannot say whether what a note explains still holds.
  const added = (neu.notes ?? []).filter((n) => !(old.notes ?? []).includes(n));
  if (added.length) spec.notes = [...(old.notes ?? []), ...added];
  markExamples(spec, models);
  return { spec: normalizeAction(spec), warnings: w.list };
}

/**
 * Adoption (`spec:import --adopt`): every fact of an existing spec that a fresh import of the *same* sources
 * would write differently is a person's, so it is marked `handWritten` (codegen/vocabulary.ts) and kept as it is.
 * For a spec edited by hand without marks, imported from the sources at hand: afterwards an update from those
 * sources changes nothing, and an update from newer ones keeps exactly those facts.
 *
 * Run against newer sources it would mark the upstream changes as a person's: the report lists every mark.
 */
import { MEMBER_FACT_KEYS, type ActionOwnableKey, type MemberFactKey } from "../vocabulary.js";
import type { RawActionSpec, RawErrorCode, RawExample, RawMember, RawModelSpec, RawText } from "./types.js";
import { setNotes, updateNotes } from "./merge.js";
import { deepEqual, normalizeAction, normalizeModel } from "./yaml.js";

export interface Adopted<T> {
  readonly spec: T;
  /** The marks set, as paths (`input.PhoneNumbers.pattern`, `title.en`, ...). */
  readonly marked: string[];
}

/** A text whose English differs from the source's is marked (the zh is compared by the caller, as a fact). */
function adoptText(path: string, old: RawText, neu: RawText | undefined, marked: string[]): RawText {
  if (old.handWritten || old.en === undefined || old.en === neu?.en) return old;
  marked.push(`${path}.en`);
  return { ...old, handWritten: true };
}

/** Whether a text's zh is not the source's: the whole text is then a person's. */
function zhDiffers(old: RawText | undefined, neu: RawText | undefined): boolean {
  return old?.zh !== neu?.zh;
}

function withMarks<K extends string>(existing: true | K[] | undefined, add: readonly K[]): true | K[] | undefined {
  if (existing === true) return true;
  const all = [...new Set([...(existing ?? []), ...add])];
  return all.length ? all : undefined;
}

function adoptMember(path: string, old: RawMember, neu: RawMember | undefined, marked: string[]): RawMember {
  if (old.handWritten === true || (old.from !== undefined && !neu)) return old;
  if (!neu) {
    marked.push(path);
    return { ...old, handWritten: true };
  }
  const m: RawMember = structuredClone(old);
  const own: MemberFactKey[] = [];
  for (const key of MEMBER_FACT_KEYS) {
    if (key === "description") {
      if (zhDiffers(old.description, neu.description)) own.push(key);
      else m.description = adoptText(`${path}.description`, old.description, neu.description, marked);
      continue;
    }
    if (key === "enum" && old.enum && neu.enum && sameValuesAndNames(old, neu)) {
      m.enum = old.enum.map((v, i) =>
        v.description
          ? { ...v, description: adoptText(`${path}.enum[${i}]`, v.description, neu.enum![i]!.description, marked) }
          : v,
      );
      continue;
    }
    if (!deepEqual(old[key], neu[key])) own.push(key);
  }
  const owned = own.filter((k) => !(Array.isArray(old.handWritten) && old.handWritten.includes(k)));
  for (const k of owned) marked.push(`${path}.${k}`);
  const mark = withMarks(old.handWritten, owned);
  if (mark) m.handWritten = mark;
  return m;
}

/** Enums that differ at most in their values' English: their zh texts, values and names are the source's. */
function sameValuesAndNames(a: RawMember, b: RawMember): boolean {
  return (
    a.enum!.length === b.enum!.length &&
    a.enum!.every((v, i) => {
      const w = b.enum![i]!;
      return v.value === w.value && v.name === w.name && !zhDiffers(v.description, w.description);
    })
  );
}

function adoptMembers(
  at: string,
  old: Record<string, RawMember>,
  neu: Record<string, RawMember>,
  marked: string[],
): Record<string, RawMember> {
  return Object.fromEntries(
    Object.entries(old).map(([name, m]) => [name, adoptMember(`${at}.${name}`, m, neu[name], marked)]),
  );
}

function adoptErrors(old: RawErrorCode[], neu: RawErrorCode[], marked: string[]): RawErrorCode[] | undefined {
  const sameCodes = deepEqual(
    old.map((e) => e.code),
    neu.map((e) => e.code),
  );
  if (!sameCodes || old.some((e, i) => zhDiffers(e.description, neu[i]!.description))) return undefined;
  return old.map((e, i) => ({
    ...e,
    description: adoptText(`errors.${e.code}`, e.description, neu[i]!.description, marked),
  }));
}

function adoptExamples(old: RawExample[], neu: RawExample[], marked: string[]): RawExample[] | undefined {
  const same =
    old.length === neu.length &&
    old.every(
      (e, i) =>
        deepEqual(e.request, neu[i]!.request) &&
        deepEqual(e.response, neu[i]!.response) &&
        !zhDiffers(e.title, neu[i]!.title) &&
        !zhDiffers(e.description, neu[i]!.description),
    );
  if (!same) return undefined;
  return old.map((e, i) => {
    const n = neu[i]!;
    const out: RawExample = { ...e, title: adoptText(`examples[${i}].title`, e.title, n.title, marked) };
    if (e.description) out.description = adoptText(`examples[${i}].description`, e.description, n.description, marked);
    return out;
  });
}

/** `existing` with a mark on every fact a fresh import (`fresh`) of the same sources would write differently. */
export function adoptAction(existing: RawActionSpec, fresh: RawActionSpec): Adopted<RawActionSpec> {
  const marked: string[] = [];
  const old = normalizeAction(structuredClone(existing));
  const neu = normalizeAction(structuredClone(fresh));
  if (old.handWritten === true) return { spec: old, marked };
  const own: ActionOwnableKey[] = [];
  for (const key of ["title", "description"] as const) {
    if (zhDiffers(old[key], neu[key])) own.push(key);
    else old[key] = adoptText(key, old[key], neu[key], marked);
  }
  for (const key of ["docs", "rateLimitPerSecond", "deprecated"] as const)
    if (!deepEqual(old[key], neu[key])) own.push(key);
  const errors = adoptErrors(old.errors, neu.errors, marked);
  if (errors) old.errors = errors;
  else own.push("errors");
  const examples = adoptExamples(old.examples ?? [], neu.examples ?? [], marked);
  if (examples) {
    if (examples.length) old.examples = examples;
  } else own.push("examples");
  setNotes(old, updateNotes(old.notes, neu.notes));
  old.input = adoptMembers("input", old.input, neu.input, marked);
  old.output = adoptMembers("output", old.output, neu.output, marked);
  const owned = own.filter((k) => !(Array.isArray(old.handWritten) && old.handWritten.includes(k)));
  marked.push(...owned);
  const mark = withMarks(old.handWritten, owned);
  if (mark) old.handWritten = mark;
  return { spec: normalizeAction(old), marked };
}

export function adoptModel(existing: RawModelSpec, fresh: RawModelSpec): Adopted<RawModelSpec> {
  const marked: string[] = [];
  const old = normalizeModel(structuredClone(existing));
  const neu = normalizeModel(structuredClone(fresh));
  if (old.handWritten === true) return { spec: old, marked };
  if (zhDiffers(old.description, neu.description)) {
    if (!(Array.isArray(old.handWritten) && old.handWritten.includes("description"))) {
      marked.push("description");
      old.handWritten = withMarks(old.handWritten, ["description"]) as ["description"];
    }
  } else old.description = adoptText("description", old.description, neu.description, marked);
  setNotes(old, updateNotes(old.notes, neu.notes));
  old.members = adoptMembers("members", old.members, neu.members, marked);
  return { spec: normalizeModel(old), marked };
}

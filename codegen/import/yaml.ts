/**
 * Writes specs as YAML a person reviews: the key order of the hand-written seeds, short `{ zh, en }` texts and
 * short lists of scalars on one line (`["a", "b"]`), long prose folded (`>-`), multi-line text literal (`|-`), a
 * blank line before each big section, and a header comment naming the sources. The output is deterministic and
 * checked to parse back (`yaml.parse`) to the same data.
 *
 * Files are always written whole (an update is a fresh import plus what a person marked, codegen/import/merge.ts):
 * the same data always gives the same bytes.
 */
import { MEMBER_FLAGS, MEMBER_KEYS } from "../vocabulary.js";
import { Document, isMap, isScalar, isSeq, parse, Scalar, type YAMLMap } from "yaml";
import type { RawActionSpec, RawMember, RawModelSpec } from "./types.js";

export const WIDTH = 120;

export const ACTION_KEYS = [
  "action",
  "title",
  "description",
  "docs",
  "rateLimitPerSecond",
  "idempotent",
  "idempotentReason",
  "deprecated",
  "notes",
  "handWritten",
  "input",
  "output",
  "errors",
  "examples",
  "paginator",
  "waiters",
] as const;
export const MODEL_KEYS = ["model", "description", "notes", "handWritten", "from", "members"] as const;
export { MEMBER_KEYS };
const ENUM_KEYS = ["value", "name", "description"];
const ERROR_KEYS = ["code", "description", "retry"];
const EXAMPLE_KEYS = ["title", "description", "invalid", "request", "response"];
const TEXT_KEYS = ["zh", "en", "handWritten"];
/** Top-level sections preceded by a blank line. */
const SECTIONS = new Set(["input", "output", "errors", "examples", "paginator", "waiters", "members"]);
const TOP_TEXTS = new Set(["title", "description", "docs"]);
/** Member flags written only when true. */
const FLAGS = [...MEMBER_FLAGS, "uniqueItems"] as const;

const OPTIONS = {
  lineWidth: WIDTH,
  minContentWidth: 40,
  indent: 2,
  indentSeq: true,
  flowCollectionPadding: true,
} as const;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function ordered(value: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  for (const k of Object.keys(value)) if (!keys.includes(k) && value[k] !== undefined) out[k] = value[k];
  return out;
}

function text(t: unknown): unknown {
  return isObject(t) ? ordered(t, TEXT_KEYS) : t;
}

export function normalizeMember(m: RawMember): RawMember {
  const out = ordered(m as unknown as Obj, MEMBER_KEYS);
  for (const f of FLAGS) if (out[f] === false) delete out[f];
  out.description = text(out.description);
  if (Array.isArray(out.enum))
    out.enum = out.enum.map((e: Obj) => {
      const v = ordered(e, ENUM_KEYS);
      if (v.description) v.description = text(v.description);
      return v;
    });
  return out as unknown as RawMember;
}

function normalizeMembers(members: Record<string, RawMember>): Record<string, RawMember> {
  return Object.fromEntries(Object.entries(members).map(([k, m]) => [k, normalizeMember(m)]));
}

/** The spec with keys in the canonical order, `false` flags and empty optional lists dropped. */
export function normalizeAction(spec: RawActionSpec): RawActionSpec {
  const out = ordered(spec as unknown as Obj, ACTION_KEYS) as unknown as RawActionSpec;
  out.title = text(out.title) as RawActionSpec["title"];
  out.description = text(out.description) as RawActionSpec["description"];
  if (out.docs) out.docs = text(out.docs) as RawActionSpec["docs"];
  if (out.deprecated === false) delete out.deprecated;
  if (out.notes && out.notes.length === 0) delete out.notes;
  out.input = normalizeMembers(out.input);
  out.output = normalizeMembers(out.output);
  out.errors = out.errors.map((e) => {
    const v = ordered(e as unknown as Obj, ERROR_KEYS);
    v.description = text(v.description);
    return v as unknown as (typeof out.errors)[number];
  });
  if (out.examples) {
    if (out.examples.length === 0) delete out.examples;
    else
      out.examples = out.examples.map((x) => {
        const v = ordered(x as unknown as Obj, EXAMPLE_KEYS);
        v.title = text(v.title);
        if (v.description) v.description = text(v.description);
        return v as unknown as NonNullable<typeof out.examples>[number];
      });
  }
  return out;
}

export function normalizeModel(spec: RawModelSpec): RawModelSpec {
  const out = ordered(spec as unknown as Obj, MODEL_KEYS) as unknown as RawModelSpec;
  out.description = text(out.description) as RawModelSpec["description"];
  if (out.notes && out.notes.length === 0) delete out.notes;
  out.members = normalizeMembers(out.members);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** Display width: CJK and full-width characters count two columns. */
export function width(s: string): number {
  let n = 0;
  for (const ch of s)
    n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 2
      : 1;
  return n;
}

function isScalarValue(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

function isTextMap(v: unknown): boolean {
  return (
    isObject(v) &&
    Object.keys(v).length > 0 &&
    Object.keys(v).every((k) => TEXT_KEYS.includes(k)) &&
    Object.entries(v).every(([k, x]) => (k === "handWritten" ? x === true : typeof x === "string"))
  );
}

/** A list of scalars as a JSON flow sequence (`["a", "b"]`; JSON is YAML). */
function jsonFlow(list: unknown[]): string {
  return `[${list.map((v) => JSON.stringify(v)).join(", ")}]`;
}

/**
 * Sets the styles of a freshly built node tree; `indent` is the column of the `key` holding the node, `room` the
 * width left on its line after `key: `. Flow sequences are replaced by placeholder scalars (filled with JSON text
 * after stringifying) so that they print as `["a", "b"]`, like the seeds, while flow maps keep `{ zh: …, en: … }`.
 */
class Styler {
  readonly flowSeqs = new Map<string, string>();
  private n = 0;

  style(node: unknown, key: string, indent: number): unknown {
    const room = WIDTH - indent - width(key) - 2;
    if (isMap(node)) {
      const js = node.toJSON() as unknown;
      if (isTextMap(js) || (key === "example" && !hasNested(js))) {
        const values = Object.values(js as Obj);
        if (values.every((v) => typeof v !== "string" || !v.includes("\n"))) {
          node.flow = true;
          const one = flowLength(node);
          if (one <= room) return node;
          node.flow = false;
        }
      }
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : "";
        pair.value = this.style(pair.value, k, indent + 2) as typeof pair.value;
      }
      return node;
    }
    if (isSeq(node)) {
      const js = node.toJSON() as unknown[];
      if (
        key !== "notes" &&
        js.length > 0 &&
        js.every(isScalarValue) &&
        !js.some((v) => typeof v === "string" && v.includes("\n"))
      ) {
        const flow = jsonFlow(js);
        if (width(flow) <= room) {
          const token = `__flow_seq_${this.n++}__`;
          this.flowSeqs.set(token, flow);
          return new Scalar(token);
        }
      }
      if (js.length === 0) {
        node.flow = true;
        return node;
      }
      node.items = node.items.map((item) => this.style(item, "-", indent + 2)) as typeof node.items;
      return node;
    }
    if (isScalar(node) && typeof node.value === "string") {
      const s = node.value;
      // A block literal cannot hold trailing spaces or control characters: those stay quoted.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
      const control = /[\u0000-\u0008\u000b-\u001f]/;
      if (s.includes("\n") && !/[ \t]\n|[ \t]$|^\s/.test(s) && !control.test(s)) node.type = Scalar.BLOCK_LITERAL;
      else if (!s.includes("\n") && width(s) > room && s.includes(" ") && !/^\s|\s$| {2}/.test(s))
        node.type = Scalar.BLOCK_FOLDED;
    }
    return node;
  }

  fill(out: string): string {
    return out.replace(/__flow_seq_\d+__/g, (t) => this.flowSeqs.get(t) ?? t);
  }
}

/** Words of `text` in lines of at most `max` columns. */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && width(line) + 1 + width(word) > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function hasNested(v: unknown): boolean {
  return isObject(v) && Object.values(v).some((x) => typeof x === "object" && x !== null);
}

function flowLength(node: YAMLMap): number {
  const d = new Document(null);
  d.contents = node as unknown as typeof d.contents;
  const s = d.toString({ ...OPTIONS, lineWidth: 0 }).trimEnd();
  return s.includes("\n") ? Infinity : width(s);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
export { deepEqual };

/** Renders `value` (a whole document, or one `key: value` pair at `indent` when `key` is given) as lines. */
function render(value: unknown, opts: { key?: string; item?: boolean; indent: number; header?: string[] }): string {
  const styler = new Styler();
  const data = opts.key !== undefined ? { [opts.key]: value } : opts.item ? [value] : value;
  const doc = new Document(data);
  // The root stays a block collection; its keys (or dashes) sit at `indent`.
  if (isMap(doc.contents))
    for (const pair of doc.contents.items)
      pair.value = styler.style(
        pair.value,
        isScalar(pair.key) ? String(pair.key.value) : "",
        opts.indent,
      ) as typeof pair.value;
  else if (isSeq(doc.contents))
    doc.contents.items = doc.contents.items.map((item) =>
      styler.style(item, "-", opts.indent),
    ) as typeof doc.contents.items;
  if (opts.key === undefined && !opts.item && isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : "";
      if (SECTIONS.has(k)) (pair.key as Scalar).spaceBefore = true;
      // The file's own title and description read better as two lines, like the seeds.
      if (TOP_TEXTS.has(k) && isMap(pair.value)) pair.value.flow = false;
    }
    const first = doc.contents.items[0]?.key;
    if (opts.header?.length && isScalar(first))
      first.commentBefore = opts.header
        .flatMap((paragraph) => wrap(paragraph, WIDTH - 2))
        .map((l) => ` ${l}`)
        .join("\n");
  }
  const out = styler.fill(doc.toString({ ...OPTIONS, lineWidth: Math.max(60, WIDTH - opts.indent) }));
  if (opts.indent === 0) return out;
  return out
    .split("\n")
    .map((l) => (l ? " ".repeat(opts.indent) + l : l))
    .join("\n");
}

function checked(out: string, data: unknown): string {
  const back = parse(out) as unknown;
  if (!deepEqual(back, data))
    throw new Error(`yaml.ts: the rendered YAML does not parse back to the same data:\n${out}`);
  return out;
}

/** A whole action file. `header`: paragraphs of the leading comment (wrapped, without `#`). */
export function renderAction(spec: RawActionSpec, header: string[] = []): string {
  const data = normalizeAction(spec);
  return checked(render(data, { indent: 0, header }), data);
}

export function renderModel(spec: RawModelSpec, header: string[] = []): string {
  const data = normalizeModel(spec);
  return checked(render(data, { indent: 0, header }), data);
}

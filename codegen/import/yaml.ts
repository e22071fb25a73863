/**
 * Writes specs as YAML a person reviews: the key order of the hand-written seeds, short `{ zh, en }` texts and
 * short lists of scalars on one line (`["a", "b"]`), long prose folded (`>-`), multi-line text literal (`|-`), a
 * blank line before each big section, and a header comment naming the sources. The output is deterministic and
 * checked to parse back (`yaml.parse`) to the same data.
 *
 * `patchSpecText` changes an existing file in place instead: only the lines of what changed are rewritten, so
 * comments, hand wrapping and everything else of a reviewed file stay as they were.
 */
import { MEMBER_FLAGS, MEMBER_KEYS } from "../vocabulary.js";
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parse,
  parseDocument,
  Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { Node, Pair } from "yaml";
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
  "input",
  "output",
  "errors",
  "examples",
] as const;
export const MODEL_KEYS = ["model", "description", "notes", "members"] as const;
export { MEMBER_KEYS };
const ENUM_KEYS = ["value", "name", "description"];
const ERROR_KEYS = ["code", "description", "retry"];
const EXAMPLE_KEYS = ["title", "description", "invalid", "request", "response"];
const TEXT_KEYS = ["zh", "en", "handWritten"];
/** Top-level sections preceded by a blank line. */
const SECTIONS = new Set(["input", "output", "errors", "examples", "members"]);
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

// ---------------------------------------------------------------------------------------------------------------
// Patching an existing file

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Order of insertions at the same place. */
  seq: number;
}

class Patcher {
  readonly edits: Edit[] = [];
  private seq = 0;
  constructor(readonly src: string) {}

  /** Offset of the start of the line containing `pos`. */
  lineStart(pos: number): number {
    return this.src.lastIndexOf("\n", pos - 1) + 1;
  }
  /** Offset just after the line containing the character before `pos` (for an end offset). */
  lineEnd(pos: number): number {
    if (pos > 0 && this.src[pos - 1] === "\n") return pos;
    const nl = this.src.indexOf("\n", pos);
    return nl < 0 ? this.src.length : nl + 1;
  }
  column(pos: number): number {
    return pos - this.lineStart(pos);
  }
  edit(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, seq: this.seq++ });
  }
  apply(): string {
    let out = this.src;
    const sorted = [...this.edits].sort((a, b) => b.start - a.start || b.seq - a.seq);
    for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }
}

function nodeRange(n: unknown): [number, number] | undefined {
  const r = (n as Node | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function withNewline(s: string): string {
  return s.endsWith("\n") ? s : `${s}\n`;
}

/**
 * Changes `map` (a block map in the source) to hold `value`. `shared`: the map is a sequence item, its first key
 * on the `- ` line (that pair cannot be rewritten alone). Returns false when the caller must rewrite the whole map.
 */
function patchMap(p: Patcher, map: YAMLMap, value: Obj, shared: boolean, topLevel: boolean): boolean {
  const pairs = map.items as Pair<Scalar, unknown>[];
  if (pairs.length === 0) return false;
  const first = nodeRange(pairs[0]!.key);
  if (!first) return false;
  const indent = p.column(first[0]);
  const keyOf = (pair: Pair<Scalar, unknown>) => String(pair.key.value);
  const existing = new Map(pairs.map((pair) => [keyOf(pair), pair]));
  const pairLines = (pair: Pair<Scalar, unknown>): [number, number] | undefined => {
    const k = nodeRange(pair.key);
    const v = nodeRange(pair.value) ?? k;
    return k && v ? [p.lineStart(k[0]), p.lineEnd(v[1])] : undefined;
  };
  // Rewriting or deleting the first pair of a sequence item would take the `- ` with it.
  for (const [i, pair] of pairs.entries()) {
    const k = keyOf(pair);
    const lines = pairLines(pair);
    if (!lines) return false;
    if (!Object.hasOwn(value, k) || value[k] === undefined) {
      if (i === 0 && shared) return false;
      p.edit(lines[0], lines[1], "");
      continue;
    }
    const v = value[k];
    const old = (pair.value as Node | null)?.toJSON?.() ?? (isScalar(pair.value) ? pair.value.value : pair.value);
    if (deepEqual(old, v)) continue;
    if (isMap(pair.value) && !pair.value.flow && isObject(v) && Object.keys(v).length > 0) {
      if (patchMap(p, pair.value, v, false, false)) continue;
    } else if (isSeq(pair.value) && !pair.value.flow && Array.isArray(v) && v.length > 0) {
      if (patchSeq(p, pair.value, v)) continue;
    }
    if (i === 0 && shared) return false;
    p.edit(lines[0], lines[1], withNewline(render(v, { key: k, indent })));
  }
  // New keys go after the nearest earlier key (in the data's order) that the file has.
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  for (const [i, k] of keys.entries()) {
    if (existing.has(k)) continue;
    let at: number | undefined;
    for (let j = i - 1; j >= 0 && at === undefined; j--) {
      const prev = existing.get(keys[j]!);
      if (prev) at = pairLines(prev)?.[1];
    }
    if (at === undefined) {
      if (shared) return false;
      at = pairLines(pairs[0]!)![0];
    }
    const blank = topLevel && SECTIONS.has(k) ? "\n" : "";
    p.edit(at, at, blank + withNewline(render(value[k], { key: k, indent })));
  }
  return true;
}

/** Items matched by a longest common subsequence of their JSON; the rest are deleted or inserted. */
function patchSeq(p: Patcher, seq: YAMLSeq, value: unknown[]): boolean {
  const items = seq.items as Node[];
  const ranges = items.map((it) => nodeRange(it));
  if (items.length === 0 || ranges.some((r) => !r)) return false;
  // Items are written at the column of the source's `-`.
  const dash = /^ */.exec(p.src.slice(p.lineStart(ranges[0]![0])))![0].length;
  const itemLines = (i: number): [number, number] => [p.lineStart(ranges[i]![0]), p.lineEnd(ranges[i]![1])];
  // Each item must start its own line (`- ` first on it) for line edits to work.
  for (let i = 0; i < items.length; i++) {
    const start = p.lineStart(ranges[i]![0]);
    if (!/^ *- +$/.test(p.src.slice(start, ranges[i]![0]))) return false;
  }
  const old = items.map((it) => (it as Node).toJSON() as unknown);
  if (old.length === value.length) {
    for (let i = 0; i < old.length; i++) {
      if (deepEqual(old[i], value[i])) continue;
      const item = items[i];
      if (isMap(item) && !item.flow && isObject(value[i]) && patchMap(p, item, value[i] as Obj, true, false)) continue;
      const [s, e] = itemLines(i);
      p.edit(s, e, withNewline(render(value[i], { item: true, indent: dash })));
    }
    return true;
  }
  // LCS over the items.
  const n = old.length;
  const m = value.length;
  const eq = (i: number, j: number) => deepEqual(old[i], value[j]);
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i]![j] = eq(i, j) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  let i = 0;
  let j = 0;
  let insertAt = itemLines(0)[0];
  while (i < n || j < m) {
    if (i < n && j < m && eq(i, j)) {
      insertAt = itemLines(i)[1];
      i++;
      j++;
    } else if (j < m && (i >= n || table[i]![j + 1]! >= table[i + 1]![j]!)) {
      p.edit(insertAt, insertAt, withNewline(render(value[j], { item: true, indent: dash })));
      j++;
    } else {
      const [s, e] = itemLines(i);
      p.edit(s, e, "");
      insertAt = e;
      i++;
    }
  }
  return true;
}

/**
 * `text` (an existing spec file) changed to hold `data`, touching only the lines of what changed. Falls back to a
 * full render (keeping the file's leading comment) when a change cannot be made in place.
 */
export function patchSpecText(text: string, data: RawActionSpec | RawModelSpec): string {
  const normalized = "action" in data ? normalizeAction(data) : normalizeModel(data as RawModelSpec);
  const doc = parseDocument(text, { lineCounter: new LineCounter() });
  if (deepEqual(doc.toJS(), normalized)) return text;
  const p = new Patcher(text);
  if (doc.errors.length === 0 && isMap(doc.contents) && !doc.contents.flow) {
    if (patchMap(p, doc.contents, normalized as unknown as Obj, false, true)) {
      const out = p.apply();
      try {
        if (deepEqual(parse(out), normalized)) return out;
      } catch {
        /* not parseable: fall back */
      }
    }
  }
  const header = leadingComment(text);
  return "action" in normalized ? renderAction(normalized, header) : renderModel(normalized as RawModelSpec, header);
}

/** The comment lines at the top of a file (without `#`). */
export function leadingComment(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^#( ?)(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[2]!);
  }
  return lines;
}

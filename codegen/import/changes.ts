/**
 * What a spec change means for apps: every difference between two versions of the spec (raw spec files, as
 * the importers read and write them), each with its impact, and the version bump they imply together.
 *
 * - `breaking`: an app that compiled and ran before may not now. An action, model or member removed; a type or
 *   list-ness changed; an input made required, or a required input added; an output made optional or nullable;
 *   an input's enum narrowed (or one added where any value went); an input's pattern or bound tightened; an error
 *   code removed from its action's union. A paginator or waiter removed, or a waiter renamed (apps call
 *   `client.paginate<Action>()` and `client.waitUntil<Name>()`); a paginator's `items` changed (the items' type)
 *   or its `maxSize` lowered or added (`pageSize` is checked against it, like an input's bound).
 * - `feature`: additions no app can notice (an action, a model, an optional input, an output member, a new
 *   error code, a loosened rule), and changes of behaviour that keep every call valid (`idempotent`, which
 *   decides retries; `rateLimitPerSecond`; an error's `retry`; a paginator or waiter added, or any other change
 *   of one: how it pages, when it stops, how often it polls and what it accepts).
 * - `docs`: texts (titles, descriptions, notes, doc links, enum value texts, a waiter's description), member
 *   examples, official examples and deprecation (marked in docs and types, still accepted).
 *
 * A model member counts as an input where a model is reachable from an action's input, and as an output where it
 * is reachable from an output (in either version), so one change can break both ways.
 *
 * Paths: `DescribeTelCdr` (the action), `DescribeTelCdr.input.SdkAppId`, `DescribeTelCdr.output.TotalCount`,
 * `TelCdrInfo` (a model), `TelCdrInfo.IVRKeyPressed` (a model member). Paginator and waiter changes are the
 * action's: `DescribeTelCdr: paginator maxSize 100 → 50`.
 */
import { CONSTRAINT_NAMES, CONSTRAINTS, type ConstraintName } from "../vocabulary.js";
import type { RawActionSpec, RawErrorCode, RawExample, RawMember, RawModelSpec, RawText } from "./types.js";
import { deepEqual } from "./yaml.js";

export type Impact = "breaking" | "feature" | "docs";
export type Bump = "major" | "minor" | "patch" | "none";

export interface Change {
  readonly path: string;
  readonly impact: Impact;
  readonly what: string;
}

/** One version of the spec: raw action and model specs by name. */
export interface SpecSet {
  readonly actions: ReadonlyMap<string, RawActionSpec>;
  readonly models: ReadonlyMap<string, RawModelSpec>;
}

export const IMPACTS: readonly Impact[] = ["breaking", "feature", "docs"];

/** Where a member's values travel: sent by apps (input), read by apps (output), or both (a shared model). */
interface Use {
  readonly input: boolean;
  readonly output: boolean;
}

class Changes {
  readonly list: Change[] = [];
  add(path: string, impact: Impact, what: string): void {
    this.list.push({ path, impact, what });
  }
}

function short(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return JSON.stringify(one.length > 70 ? `${one.slice(0, 67)}...` : one);
}

function shape(m: RawMember): string {
  return `${m.type}${m.list ? " list" : ""}`;
}

function compareText(c: Changes, path: string, what: string, a: RawText | undefined, b: RawText | undefined): void {
  for (const lang of ["zh", "en"] as const) {
    const before = a?.[lang];
    const after = b?.[lang];
    if (before === after) continue;
    const change =
      after === undefined ? "removed" : before === undefined ? `added: ${short(after)}` : `changed to ${short(after)}`;
    c.add(path, "docs", `${what} (${lang}) ${change}`);
  }
}

function compareEnum(c: Changes, path: string, a: RawMember, b: RawMember, use: Use): void {
  const before = (a.enum ?? []).map((e) => e.value);
  const after = (b.enum ?? []).map((e) => e.value);
  const list = (vs: readonly unknown[]) => vs.map((v) => JSON.stringify(v)).join(", ");
  const dropped = before.filter((v) => !after.includes(v));
  const added = after.filter((v) => !before.includes(v));
  if (!a.enum && b.enum) c.add(path, use.input ? "breaking" : "feature", `enum added: only ${list(after)}`);
  else if (a.enum && !b.enum) c.add(path, "feature", `enum removed: any value of the type`);
  else {
    if (dropped.length) c.add(path, use.input ? "breaking" : "feature", `enum narrowed: no more ${list(dropped)}`);
    if (added.length) c.add(path, "feature", `enum widened: also ${list(added)}`);
  }
  for (const e of b.enum ?? []) {
    const o = a.enum?.find((x) => x.value === e.value);
    if (o) compareText(c, path, `enum value ${JSON.stringify(e.value)}'s text`, o.description, e.description);
  }
}

/** Whether going from `a` to `b` refuses an input that `a` accepted. */
function tightens(name: ConstraintName, a: unknown, b: unknown): boolean {
  if (b === undefined || b === false) return false;
  if (a === undefined || a === false) return true;
  switch (CONSTRAINTS[name].stricter) {
    case "higher":
      return (b as number) > (a as number);
    case "lower":
      return (b as number) < (a as number);
    case "set":
      return false; // set before and after
    case "changed":
      return a !== b;
  }
}

function compareConstraints(c: Changes, path: string, a: RawMember, b: RawMember, use: Use): void {
  for (const name of CONSTRAINT_NAMES) {
    const before = a[name];
    const after = b[name];
    if (deepEqual(before, after)) continue;
    const what =
      after === undefined
        ? `${name} ${JSON.stringify(before)} removed`
        : before === undefined
          ? `${name} ${JSON.stringify(after)} added`
          : `${name} ${JSON.stringify(before)} → ${JSON.stringify(after)}`;
    const impact: Impact = !use.input ? "docs" : tightens(name, before, after) ? "breaking" : "feature";
    c.add(path, impact, what);
  }
}

function compareRequired(c: Changes, path: string, a: RawMember, b: RawMember, use: Use): void {
  const before = a.required === true;
  const after = b.required === true;
  if (before === after) return;
  if (after) c.add(path, use.input ? "breaking" : "feature", use.input ? "made required" : "always answered now");
  else
    c.add(
      path,
      use.output ? "breaking" : "feature",
      use.output ? "made optional: answers may leave it out" : "made optional",
    );
}

function compareMember(c: Changes, path: string, a: RawMember, b: RawMember, use: Use): void {
  if (shape(a) !== shape(b)) c.add(path, "breaking", `type ${shape(a)} → ${shape(b)}`);
  compareRequired(c, path, a, b, use);
  if (use.output && a.nullable !== b.nullable)
    c.add(path, b.nullable ? "breaking" : "feature", b.nullable ? "may be null now" : "never null now");
  if ((a.deprecated === true) !== (b.deprecated === true))
    c.add(path, "docs", b.deprecated ? "deprecated" : "no longer deprecated");
  compareEnum(c, path, a, b, use);
  compareConstraints(c, path, a, b, use);
  compareText(c, path, "description", a.description, b.description);
  if (!deepEqual(a.example, b.example))
    c.add(
      path,
      "docs",
      b.example === undefined ? "example removed" : a.example === undefined ? "example added" : "example changed",
    );
}

function compareMembers(
  c: Changes,
  at: string,
  a: Record<string, RawMember>,
  b: Record<string, RawMember>,
  use: Use,
): void {
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const path = `${at}.${name}`;
    const before = a[name];
    const after = b[name];
    if (before && after) compareMember(c, path, before, after, use);
    else if (after) {
      const required = after.required === true;
      c.add(
        path,
        required && use.input ? "breaking" : "feature",
        `added (${shape(after)}${required ? ", required" : ""})`,
      );
    } else c.add(path, "breaking", "removed");
  }
}

function compareErrors(c: Changes, path: string, a: readonly RawErrorCode[], b: readonly RawErrorCode[]): void {
  for (const e of a)
    if (!b.some((x) => x.code === e.code)) c.add(path, "breaking", `error code ${e.code} removed from the union`);
  for (const e of b) {
    const o = a.find((x) => x.code === e.code);
    if (!o) {
      c.add(path, "feature", `error code ${e.code} added`);
      continue;
    }
    compareText(c, path, `error ${e.code}'s text`, o.description, e.description);
    if (o.retry !== e.retry)
      c.add(path, "feature", `error ${e.code} retried: ${o.retry ?? "never"} → ${e.retry ?? "never"}`);
  }
}

function compareExamples(c: Changes, path: string, a: readonly RawExample[], b: readonly RawExample[]): void {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const before = a[i];
    const after = b[i];
    const name = `example ${i + 1}`;
    if (!before) c.add(path, "docs", `${name} added`);
    else if (!after) c.add(path, "docs", `${name} removed`);
    else {
      compareText(c, path, `${name}'s title`, before.title, after.title);
      compareText(c, path, `${name}'s description`, before.description, after.description);
      if (!deepEqual(before.request, after.request)) c.add(path, "docs", `${name}'s request changed`);
      if (!deepEqual(before.response, after.response)) c.add(path, "docs", `${name}'s answer changed`);
      if (before.invalid !== after.invalid)
        c.add(
          path,
          "docs",
          after.invalid === undefined ? `${name} now valid` : `${name} marked invalid: ${after.invalid}`,
        );
    }
  }
}

/** A paginator's keys, `timeWindow` flattened (`timeWindow.maxSpanDays`), in the order they are reported. */
const PAGINATOR_KEYS = [
  "style",
  "page",
  "offset",
  "cursor",
  "cursorFrom",
  "firstPage",
  "size",
  "maxSize",
  "defaultSize",
  "items",
  "total",
  "timeWindow.start",
  "timeWindow.end",
  "timeWindow.maxSpanDays",
] as const;

function paginatorValue(p: Record<string, unknown>, key: string): unknown {
  const [outer, inner] = key.split(".");
  const v = p[outer!];
  return inner === undefined ? v : (v as Record<string, unknown> | undefined)?.[inner];
}

/** Whether a paginator change can refuse or break a call that worked: its items' type, or a tighter maxSize. */
function pagingBreaks(key: string, before: unknown, after: unknown): boolean {
  if (key === "items") return true;
  if (key === "maxSize") return after !== undefined && (before === undefined || (after as number) < (before as number));
  return false;
}

function comparePaginator(
  c: Changes,
  path: string,
  a: Record<string, unknown> | undefined,
  b: Record<string, unknown> | undefined,
): void {
  const method = `client.paginate${path}()`;
  if (!a && !b) return;
  if (!b) return c.add(path, "breaking", `paginator removed: ${method} is gone`);
  if (!a) return c.add(path, "feature", `paginator added (${String(b.style)} style): ${method}`);
  const keys = [
    ...PAGINATOR_KEYS,
    ...Object.keys({ ...a, ...b }).filter((k) => !PAGINATOR_KEYS.some((x) => x.split(".")[0] === k)),
  ];
  for (const key of keys) {
    const before = paginatorValue(a, key);
    const after = paginatorValue(b, key);
    if (deepEqual(before, after)) continue;
    const what =
      after === undefined
        ? `${key} ${String(before)} removed`
        : before === undefined
          ? `${key} ${String(after)} added`
          : `${key} ${String(before)} → ${String(after)}`;
    c.add(path, pagingBreaks(key, before, after) ? "breaking" : "feature", `paginator ${what}`);
  }
}

type RawWaiter = {
  description?: RawText;
  minDelayMs?: number;
  maxDelayMs?: number;
  acceptors?: { path?: string; match?: string; expected?: unknown[]; error?: string; state?: string }[];
};

/** A waiter's acceptors in one line: `Items[].State (all) in [2] → success; error X → retry`. */
function acceptorsLine(w: RawWaiter): string {
  return (w.acceptors ?? [])
    .map((x) =>
      x.error !== undefined
        ? `error ${x.error} → ${x.state}`
        : `${x.path}${x.match ? ` (${x.match})` : ""} in [${(x.expected ?? []).map((v) => JSON.stringify(v)).join(", ")}] → ${x.state}`,
    )
    .join("; ");
}

function compareWaiters(
  c: Changes,
  path: string,
  a: Record<string, unknown> | undefined,
  b: Record<string, unknown> | undefined,
): void {
  const before = (a ?? {}) as Record<string, RawWaiter>;
  const after = (b ?? {}) as Record<string, RawWaiter>;
  const removed = Object.keys(before).filter((n) => !Object.hasOwn(after, n));
  const added = Object.keys(after).filter((n) => !Object.hasOwn(before, n));
  // A waiter that left under one name and came back unchanged under another was renamed.
  const renamed = new Map<string, string>();
  for (const old of removed) {
    const neu = added.find((n) => !renamed.has(n) && deepEqual(before[old], after[n]));
    if (neu !== undefined) renamed.set(neu, old);
  }
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const [x, y] = [before[name], after[name]];
    if (x && !y) {
      const to = [...renamed].find(([, old]) => old === name)?.[0];
      if (to !== undefined)
        c.add(path, "breaking", `waiter ${name} renamed to ${to}: client.waitUntil${name}() is now waitUntil${to}()`);
      else c.add(path, "breaking", `waiter ${name} removed: client.waitUntil${name}() is gone`);
    } else if (y && !x) {
      if (!renamed.has(name)) c.add(path, "feature", `waiter ${name} added: client.waitUntil${name}()`);
    } else if (x && y) {
      compareText(c, path, `waiter ${name}'s description`, x.description, y.description);
      for (const key of ["minDelayMs", "maxDelayMs"] as const)
        if (x[key] !== y[key]) c.add(path, "feature", `waiter ${name} ${key} ${x[key]} → ${y[key]}`);
      if (!deepEqual(x.acceptors, y.acceptors))
        c.add(path, "feature", `waiter ${name} acceptors [${acceptorsLine(x)}] → [${acceptorsLine(y)}]`);
    }
  }
}

function compareAction(c: Changes, a: RawActionSpec, b: RawActionSpec): void {
  const path = b.action;
  compareText(c, path, "title", a.title, b.title);
  compareText(c, path, "description", a.description, b.description);
  if (!deepEqual(a.docs, b.docs)) c.add(path, "docs", "doc links changed");
  if ((a.deprecated === true) !== (b.deprecated === true))
    c.add(path, "docs", b.deprecated ? "deprecated" : "no longer deprecated");
  if (a.idempotent !== b.idempotent)
    c.add(
      path,
      "feature",
      b.idempotent
        ? "idempotent: retried after a lost answer now"
        : "not idempotent: no longer retried after a lost answer",
    );
  if (a.rateLimitPerSecond !== b.rateLimitPerSecond)
    c.add(path, "feature", `rateLimitPerSecond ${a.rateLimitPerSecond ?? "none"} → ${b.rateLimitPerSecond ?? "none"}`);
  if (!deepEqual(a.notes ?? [], b.notes ?? [])) c.add(path, "docs", "notes changed");
  compareMembers(c, `${path}.input`, a.input, b.input, { input: true, output: false });
  compareMembers(c, `${path}.output`, a.output, b.output, { input: false, output: true });
  compareErrors(c, path, a.errors, b.errors);
  compareExamples(c, path, a.examples ?? [], b.examples ?? []);
  comparePaginator(c, path, a.paginator, b.paginator);
  compareWaiters(c, path, a.waiters, b.waiters);
}

/** The models reachable from the actions' inputs and from their outputs. */
/** The models `members` use, directly or through other models, among `models`; added to `into`. */
export function modelsReached(
  members: Iterable<RawMember>,
  models: ReadonlyMap<string, RawModelSpec>,
  into: Set<string> = new Set(),
): Set<string> {
  const queue = [...members];
  for (let m = queue.pop(); m; m = queue.pop()) {
    const model = models.get(m.type);
    if (!model || into.has(m.type)) continue;
    into.add(m.type);
    queue.push(...Object.values(model.members));
  }
  return into;
}

function modelUse(spec: SpecSet): { input: Set<string>; output: Set<string> } {
  const input = new Set<string>();
  const output = new Set<string>();
  for (const a of spec.actions.values()) {
    modelsReached(Object.values(a.input), spec.models, input);
    modelsReached(Object.values(a.output), spec.models, output);
  }
  return { input, output };
}

/** Every difference from `before` to `after`, in a stable order: actions, then models, each by name. */
export function classifyChanges(before: SpecSet, after: SpecSet): Change[] {
  const c = new Changes();
  for (const name of [...new Set([...before.actions.keys(), ...after.actions.keys()])].sort()) {
    const a = before.actions.get(name);
    const b = after.actions.get(name);
    if (a && b) compareAction(c, a, b);
    else if (b) c.add(name, "feature", "action added");
    else c.add(name, "breaking", "action removed");
  }
  const [useBefore, useAfter] = [modelUse(before), modelUse(after)];
  for (const name of [...new Set([...before.models.keys(), ...after.models.keys()])].sort()) {
    const a = before.models.get(name);
    const b = after.models.get(name);
    if (a && b) {
      compareText(c, name, "description", a.description, b.description);
      if (!deepEqual(a.notes ?? [], b.notes ?? [])) c.add(name, "docs", "notes changed");
      const use = {
        input: useBefore.input.has(name) || useAfter.input.has(name),
        output: useBefore.output.has(name) || useAfter.output.has(name),
      };
      compareMembers(c, name, a.members, b.members, use);
    } else if (b) c.add(name, "feature", "model added");
    else c.add(name, "breaking", "model removed");
  }
  return c.list;
}

/** The semantic-versioning bump a set of changes implies. */
export function bumpOf(changes: readonly Change[]): Bump {
  if (changes.some((c) => c.impact === "breaking")) return "major";
  if (changes.some((c) => c.impact === "feature")) return "minor";
  return changes.length ? "patch" : "none";
}

/**
 * The version after `bump`. Below 1.0 the leftmost non-zero number is the major one (what npm's `^0.1.0` allows
 * moves only in the last place), so a breaking change moves 0.1.x to 0.2.0 and anything else 0.1.x to 0.1.(x+1).
 */
export function nextVersion(version: string, bump: Bump): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`not a plain semantic version: ${version}`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (bump === "none") return version;
  if (major === 0) return bump === "major" ? `0.${minor + 1}.0` : `0.${minor}.${patch + 1}`;
  if (bump === "major") return `${major + 1}.0.0`;
  return bump === "minor" ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
}

/** The JSON `spec:diff --json` prints. */
export function changesJson(changes: readonly Change[]): { bump: Bump; changes: Change[] } {
  return { bump: bumpOf(changes), changes: [...changes] };
}

/** The changes for a person: grouped by impact, one line each, and the bump. */
export function formatChanges(changes: readonly Change[]): string[] {
  const lines: string[] = [];
  for (const impact of IMPACTS) {
    const group = changes.filter((c) => c.impact === impact);
    if (!group.length) continue;
    lines.push(`${impact} (${group.length}):`);
    for (const ch of group) lines.push(`  ${ch.path}: ${ch.what}`);
  }
  lines.push(`bump: ${bumpOf(changes)}`);
  return lines;
}

const HEADINGS: Record<Impact, string> = {
  breaking: "Breaking changes",
  feature: "Features",
  docs: "Documentation",
};

/**
 * A CHANGELOG.md entry: breaking changes and features one line each, documentation changes counted per action
 * or model (they are many after an upstream refresh, and the spec diff in review shows each).
 */
export function changelogEntry(version: string, date: string, source: string, changes: readonly Change[]): string {
  const lines = [`## ${version} (${date})`, "", `${source}; the bump this implies: ${bumpOf(changes)}.`];
  for (const impact of IMPACTS) {
    const group = changes.filter((c) => c.impact === impact);
    if (!group.length) continue;
    lines.push("", `### ${HEADINGS[impact]}`, "");
    if (impact !== "docs") for (const ch of group) lines.push(`- \`${ch.path}\`: ${ch.what}`);
    else {
      const owners = new Map<string, number>();
      for (const ch of group) {
        const owner = ch.path.split(".")[0]!;
        owners.set(owner, (owners.get(owner) ?? 0) + 1);
      }
      for (const [owner, n] of owners)
        lines.push(`- \`${owner}\`: ${n} change${n === 1 ? "" : "s"} in texts or examples`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `changelog` (the file's text, or "" for none) with `entry` as its newest entry, below the title. */
export function withEntry(changelog: string, entry: string): string {
  const title = "# Changelog\n";
  const body = changelog.startsWith(title) ? changelog.slice(title.length).replace(/^\n+/, "") : changelog;
  return `${title}\n${entry}${body ? `\n${body}` : ""}`;
}

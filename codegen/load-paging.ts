/**
 * The loader's checks of an action's `paginator:` and `waiters:` blocks (the schema checks their form): every
 * member they name is one of the action's, of a type that can do that job, so that a generated paginator or waiter
 * never reads or writes a member the action lacks.
 */
import type { Member, Model, Paginator, Waiter, WaiterAcceptor } from "./ir.js";

type Segment = string | number;

/** Where problems go: the spec file being loaded (codegen/load.ts SpecFile). */
export interface Reporter {
  report(segments: readonly Segment[], message: string, key?: string): void;
}

interface ActionMembers {
  readonly input: readonly Member[];
  readonly output: readonly Member[];
  readonly models: ReadonlyMap<string, Model>;
}

const INTEGER_TYPES = new Set(["int64", "uint64"]);
const POSITION_KEY = { page: "page", offset: "offset", cursor: "cursor" } as const;

type RawPaginator = Record<string, unknown> & { style: Paginator["style"]; size: string; items: string };

/** One member of `members` named `name`, reported (at `at`) when missing or unfit; `where` says whose members. */
function member(
  out: Reporter,
  at: readonly Segment[],
  members: readonly Member[],
  name: string,
  where: string,
  unfit: (m: Member) => string | undefined,
): Member | undefined {
  const m = members.find((x) => x.name === name);
  if (!m) {
    out.report(at, `\`${name}\` is not ${where}.`);
    return undefined;
  }
  const problem = unfit(m);
  if (problem) out.report(at, `\`${name}\` ${problem}, not ${kindOf(m)}.`);
  return problem ? undefined : m;
}

const INPUT = "an input member of the action";
const OUTPUT = "an output member of the action";

/** What a member is, for a message: `an int64`, `a string`, `a list of Thing`. */
function kindOf(m: Member): string {
  if (m.list) return `a list of ${m.type.name}`;
  return `${/^[aeio]/i.test(m.type.name) ? "an" : "a"} ${m.type.name}`; // "a uint64", "an int64"
}

const integer = (m: Member): string | undefined =>
  m.list || m.type.kind !== "scalar" || !INTEGER_TYPES.has(m.type.name)
    ? "must be an integer member (int64 or uint64)"
    : undefined;
const text = (m: Member): string | undefined =>
  m.list || m.type.kind !== "scalar" || m.type.name !== "string" ? "must be a string member" : undefined;
const list = (m: Member): string | undefined => (m.list ? undefined : "must be a list member (the page's items)");

/** The checked paginator of an action, or undefined (with the problems reported) when it has none or a bad one. */
export function checkPaginator(out: Reporter, raw: unknown, action: ActionMembers): Paginator | undefined {
  if (raw === undefined) return undefined;
  const p = raw as RawPaginator;
  const at = ["paginator"];
  const before = problems(out);
  const positionKey = POSITION_KEY[p.style];
  for (const key of Object.values(POSITION_KEY))
    if (key !== positionKey && p[key] !== undefined)
      out.report([...at, key], `\`${key}\` belongs to the \`${key}\` style, not \`${p.style}\`.`);
  if (p.firstPage !== undefined && p.style !== "page")
    out.report([...at, "firstPage"], "`firstPage` belongs to the `page` style.");
  if (p.style === "cursor" && p.cursorFrom === undefined)
    out.report(at, "the `cursor` style needs `cursorFrom`: the member of the last item with the next cursor.");
  if (p.style !== "cursor" && p.cursorFrom !== undefined)
    out.report([...at, "cursorFrom"], "`cursorFrom` belongs to the `cursor` style.");
  const position = p[positionKey] as string | undefined;
  if (position === undefined)
    out.report(at, `the \`${p.style}\` style needs \`${positionKey}\`: the input member it advances.`);
  else member(out, [...at, positionKey], action.input, position, INPUT, p.style === "cursor" ? text : integer);
  const size = member(out, [...at, "size"], action.input, p.size, INPUT, integer);
  const items = member(out, [...at, "items"], action.output, p.items, OUTPUT, list);
  if (typeof p.total === "string") member(out, [...at, "total"], action.output, p.total, OUTPUT, integer);
  if (p.style === "cursor" && typeof p.cursorFrom === "string" && items)
    checkCursorFrom(out, [...at, "cursorFrom"], items, p.cursorFrom, action);
  const maxSize = p.maxSize as number | undefined;
  const defaultSize = (p.defaultSize as number | undefined) ?? maxSize;
  if (defaultSize === undefined)
    out.report(at, "give `maxSize` (the documented largest page size) or, where the docs give none, `defaultSize`.");
  else if (maxSize !== undefined && defaultSize > maxSize)
    out.report([...at, "defaultSize"], `must not be more than maxSize (${maxSize}).`);
  if (size?.maximum !== undefined && maxSize !== undefined && maxSize > size.maximum)
    out.report([...at, "maxSize"], `must not be more than \`${size.name}\`'s own maximum (${size.maximum}).`);
  else if (size?.maximum !== undefined && defaultSize !== undefined && defaultSize > size.maximum)
    out.report(
      [...at, "defaultSize"],
      `must not be more than \`${size.name}\`'s own maximum (${size.maximum}): every default page would be refused.`,
    );
  const window = p.timeWindow as { start: string; end: string; maxSpanDays: number } | undefined;
  if (window) {
    member(out, [...at, "timeWindow", "start"], action.input, window.start, INPUT, integer);
    member(out, [...at, "timeWindow", "end"], action.input, window.end, INPUT, integer);
  }
  checkDistinct(out, at, [
    [[positionKey], position],
    [["size"], p.size],
    [["timeWindow", "start"], window?.start],
    [["timeWindow", "end"], window?.end],
  ]);
  if (problems(out) > before || position === undefined || defaultSize === undefined) return undefined;
  return {
    style: p.style,
    position,
    ...(p.style === "page" ? { firstPage: (p.firstPage as number | undefined) ?? 0 } : {}),
    size: p.size,
    ...(maxSize !== undefined ? { maxSize } : {}),
    defaultSize,
    items: p.items,
    ...(typeof p.total === "string" ? { total: p.total } : {}),
    ...(typeof p.cursorFrom === "string" ? { cursorFrom: p.cursorFrom } : {}),
    ...(window ? { timeWindow: { start: window.start, end: window.end, maxSpanDays: window.maxSpanDays } } : {}),
  };
}

/** The input members the paginator sets are distinct: each is written with its own value on every page. */
function checkDistinct(out: Reporter, at: readonly Segment[], keys: [Segment[], string | undefined][]): void {
  const seen = new Map<string, string>();
  for (const [key, name] of keys) {
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first !== undefined)
      out.report([...at, ...key], `\`${name}\` is already the paginator's \`${first}\`: name another member.`);
    else seen.set(name, key.join("."));
  }
}

/** The next cursor is read from the last item: a string member of the items' model. */
function checkCursorFrom(out: Reporter, at: Segment[], items: Member, name: string, action: ActionMembers): void {
  const model = items.type.kind === "model" ? action.models.get(items.type.name) : undefined;
  if (!model) {
    out.report(at, `\`${items.name}\` is a list of ${items.type.name}, which has no members to read a cursor from.`);
    return;
  }
  member(out, at, model.members, name, `a member of ${model.name} (the items of \`${items.name}\`)`, text);
}

/** The number of problems reported so far (a Reporter that is a SpecFile keeps them in `issues`). */
function problems(out: Reporter): number {
  return (out as { issues?: unknown[] }).issues?.length ?? 0;
}

type RawWaiter = {
  description: Waiter["description"];
  minDelayMs: number;
  maxDelayMs: number;
  acceptors: RawAcceptor[];
};
type RawAcceptor = {
  state: WaiterAcceptor["state"];
  path?: string;
  match?: "all" | "any";
  expected?: unknown[];
  error?: string;
};

/** The checked waiters of an action, sorted by name (problems reported; a bad waiter is left out). */
export function checkWaiters(out: Reporter, raw: unknown, action: ActionMembers): Waiter[] {
  if (raw === undefined) return [];
  const waiters: Waiter[] = [];
  for (const [name, w] of Object.entries(raw as Record<string, RawWaiter>)) {
    const at = ["waiters", name];
    const before = problems(out);
    if (w.minDelayMs > w.maxDelayMs)
      out.report([...at, "minDelayMs"], `must not be more than maxDelayMs (${w.maxDelayMs}).`);
    const acceptors = w.acceptors.map((a, i) => checkAcceptor(out, [...at, "acceptors", i], a, action));
    if (!w.acceptors.some((a) => a.state === "success"))
      out.report([...at, "acceptors"], "a waiter needs an acceptor with `state: success`, or it can only time out.");
    if (problems(out) > before) continue;
    waiters.push({
      name,
      description: w.description,
      minDelayMs: w.minDelayMs,
      maxDelayMs: w.maxDelayMs,
      acceptors: acceptors as WaiterAcceptor[],
    });
  }
  return waiters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function checkAcceptor(
  out: Reporter,
  at: Segment[],
  a: RawAcceptor,
  action: ActionMembers,
): WaiterAcceptor | undefined {
  if (a.error !== undefined) {
    for (const key of ["path", "match", "expected"] as const)
      if (a[key] !== undefined) out.report([...at, key], `an \`error\` acceptor has no \`${key}\`.`);
    if (a.state === "success")
      out.report([...at, "state"], "an `error` acceptor says `retry` or `failure`: a waiter succeeds with a result.");
    return { state: a.state, error: a.error };
  }
  if (a.path === undefined || a.expected === undefined) {
    out.report(at, "an acceptor needs `path` and `expected`, or `error`.");
    return undefined;
  }
  const leaf = resolvePath(out, [...at, "path"], a.path, action);
  if (!leaf) return undefined;
  if (leaf.lists > 0 && a.match === undefined)
    out.report(at, "the path reads every item of a list (`[]`): say `match: all` or `match: any`.");
  if (leaf.lists === 0 && a.match !== undefined)
    out.report([...at, "match"], "`match` is for paths that read a list with `[]`.");
  a.expected.forEach((value, i) => {
    const problem = valueProblem(leaf.member, value);
    if (problem) out.report([...at, "expected", i], problem);
  });
  return {
    state: a.state,
    path: a.path,
    expected: a.expected as (string | number | boolean)[],
    ...(a.match ? { match: a.match } : {}),
  };
}

/** The member a waiter path ends at and how many lists it reads through, or undefined (reported). */
function resolvePath(
  out: Reporter,
  at: Segment[],
  path: string,
  action: ActionMembers,
): { member: Member; lists: number } | undefined {
  let members = action.output;
  let lists = 0;
  let where = "the action's output";
  const steps = path.split(".");
  for (const [i, step] of steps.entries()) {
    const spread = step.endsWith("[]");
    const name = spread ? step.slice(0, -2) : step;
    const m = members.find((x) => x.name === name);
    if (!m) {
      out.report(at, `\`${name}\` is not a member of ${where}.`);
      return undefined;
    }
    if (spread !== m.list) {
      out.report(
        at,
        spread ? `\`${name}\` is not a list: drop \`[]\`.` : `\`${name}\` is a list: write \`${name}[]\`.`,
      );
      return undefined;
    }
    if (spread) lists++;
    if (i === steps.length - 1) {
      if (m.type.kind === "model") {
        out.report(at, `\`${name}\` is a ${m.type.name}: the path must end at a string, number or bool member.`);
        return undefined;
      }
      return { member: m, lists };
    }
    const model = m.type.kind === "model" ? action.models.get(m.type.name) : undefined;
    if (!model) {
      out.report(at, `\`${name}\` is a ${m.type.name}, which has no members.`);
      return undefined;
    }
    members = model.members;
    where = model.name;
  }
  return undefined;
}

/** Why `value` can never be what the member holds, or undefined when it can. */
function valueProblem(m: Member, value: unknown): string | undefined {
  if (m.type.kind !== "scalar") return undefined;
  const want = m.type.name === "string" ? "string" : m.type.name === "bool" ? "boolean" : "number";
  const fits =
    typeof value === want &&
    (!INTEGER_TYPES.has(m.type.name) || Number.isInteger(value)) &&
    (m.type.name !== "uint64" || (value as number) >= 0);
  if (!fits) return `\`${m.name}\` is ${m.type.name}: ${JSON.stringify(value)} can never match.`;
  if (m.enum && !m.enum.some((e) => e.value === value))
    return `${JSON.stringify(value)} is not one of \`${m.name}\`'s values (${m.enum.map((e) => JSON.stringify(e.value)).join(", ")}).`;
  return undefined;
}

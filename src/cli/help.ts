/** Help texts, written from the generated catalog (titles, descriptions) and input shapes (types, rules). */
import type {
  ConstraintName,
  ConstraintValues,
  MemberShape,
  PaginatorDefinition,
  Shape,
  WaiterAcceptor,
  WaiterDefinition,
} from "../action.js";
import type { CatalogMember } from "../catalog.js";
import { DEFAULT_MAX_WAIT_MS, GLOBAL_OPTIONS, typeLabel } from "./args.js";
import { actionNames, methodName, text, waiterNames, type CliSpec, type HelpLanguage } from "./spec.js";

/** One line: runs of whitespace (newlines included) as one space. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function pad(s: string, width: number): string {
  return s.length >= width ? `${s}  ` : s.padEnd(width);
}

/** Lines of `body` indented by `indent`; empty lines dropped. */
function indented(body: string, indent: string): string[] {
  return body
    .split(/\r\n|\r|\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "")
    .map((l) => indent + l.trim());
}

export function versionText(spec: CliSpec, version: string): string {
  return `ccc ${version} (${spec.catalog.service} API ${spec.catalog.version})\n`;
}

export function globalHelp(spec: CliSpec, version: string, lang: HelpLanguage = "en"): string {
  const names = actionNames(spec);
  const out: string[] = [
    `ccc ${version}: Tencent Cloud Contact Center (${spec.catalog.service} API ${spec.catalog.version}) from the command line.`,
    "",
    "Usage:",
    "  ccc <Action> [--Member value ...] [options]   call an action",
    "  ccc <Action> --help                           its members: types, rules, descriptions",
    "  ccc <Action> --page-all [--Member value ...]  every item of every page, one JSON line each",
    "  ccc --wait <Waiter> [--Member value ...]      poll the waiter's action until it is done",
    "  ccc --help | --version",
    "",
    "Input members (Tencent's names, as `ccc <Action> --help` lists them):",
    "  --Name value, --Name=value      numbers, true/false or text, by the member's type",
    "  --Flag                          a bool member set to true (--Flag false for false)",
    '  --List a --List b               a list, one flag per item; or --List \'["a","b"]\' (JSON)',
    "  --Model '{\"Key\":1}'             a model (nested members) as JSON; a list of models as a JSON list",
    "",
    "Options:",
  ];
  const labels = GLOBAL_OPTIONS.map((o) =>
    o.flag === "--help" ? "-h, --help" : o.value ? `${o.flag} ${o.value}` : o.flag,
  );
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  GLOBAL_OPTIONS.forEach((o, i) => {
    out.push(`  ${pad(labels[i]!, width)}${o.help}`);
  });
  out.push(
    "",
    "Credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (with TENCENTCLOUD_SESSION_TOKEN for temporary",
    "ones); if they are not set, or with --profile, a profile (--profile, else TENCENTCLOUD_PROFILE, else default)",
    "of ~/.tencentcloud/credentials or of the file TENCENTCLOUD_CREDENTIALS_FILE names.",
    "",
    "Output: the answer's members (RequestId included) as JSON on stdout; with --page-all each item of every page",
    "as one line of JSON (JSON Lines), printed as the pages arrive; with --wait the last answer. Integers beyond",
    "2^53 are printed as the server wrote them.",
    "Exit status: 0 done; 1 the call failed (API error, connection, timeout, credentials);",
    "2 wrong command line or input (nothing was sent); 3 --wait reached a failure state; 4 --wait ran out of",
    `time (--max-wait-ms, default ${DEFAULT_MAX_WAIT_MS} ms). 3 and 4 print the last answer on stdout too.`,
    "",
  );
  const waiters = waiterNames(spec);
  out.push(`Waiters (${waiters.length}; \`ccc <Action> --help\` says what each waits for):`);
  const waiterWidth = Math.max(0, ...waiters.map((n) => n.length)) + 2;
  for (const name of waiters) out.push(`  ${pad(name, waiterWidth)}polls ${spec.waiters[name]!.command.name}`);
  out.push("", `Actions (${names.length}):`);
  const nameWidth = Math.max(...names.map((n) => n.length)) + 2;
  for (const name of names) {
    const entry = spec.catalog.actions[name];
    const title = oneLine(text(entry?.title, lang)) + (entry?.deprecated ? " (deprecated)" : "");
    out.push(`  ${pad(name, nameWidth)}${title}`.trimEnd());
  }
  return `${out.join("\n")}\n`;
}

/** The rules a member's value must keep, from its validation shape: `one of 0, 1; pattern /^0086/; unique`. */
function rules(shape: MemberShape | undefined, member: CatalogMember | undefined): string[] {
  const out: string[] = [];
  const values = shape?.enum ?? member?.enum;
  if (values?.length)
    out.push(`one of ${values.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v))).join(", ")}`);
  return shape ? [...out, ...constraintTexts(shape)] : out;
}

/** How a member's constraints read (`pattern /^0086/`, `≤ 100`, `items unique`), in the order help lists them. */
export function constraintTexts(constraints: ConstraintValues): string[] {
  const out: string[] = [];
  for (const [name, say] of Object.entries(RULE_TEXT) as [ConstraintName, (limit: never) => string][]) {
    const limit = constraints[name];
    if (limit !== undefined && limit !== (false as unknown)) out.push(say(limit as never));
  }
  return out;
}

/** How each constraint of the member vocabulary reads in help, in the order help lists them. */
const RULE_TEXT: { readonly [K in ConstraintName]-?: (limit: NonNullable<ConstraintValues[K]>) => string } = {
  pattern: (pattern) => `pattern /${pattern}/`,
  minimum: (n) => `≥ ${n}`,
  maximum: (n) => `≤ ${n}`,
  minLength: (n) => `at least ${n} characters`,
  maxLength: (n) => `at most ${n} characters`,
  minItems: (n) => `at least ${n} item${n === 1 ? "" : "s"}`,
  maxItems: (n) => `at most ${n} item${n === 1 ? "" : "s"}`,
  uniqueItems: () => "items unique",
};

/** `int64, required, one of 0, 1` for a member. */
function summary(shape: MemberShape | undefined, member: CatalogMember | undefined): string {
  const type = shape
    ? typeLabel(shape, member?.type)
    : member
      ? `${member.list ? "list of " : ""}${member.type}`
      : "unknown";
  const required = (shape?.required ?? member?.required) ? "required" : "optional";
  return [type, required, ...(member?.deprecated ? ["deprecated"] : []), ...rules(shape, member)].join(", ");
}

/** Sorted member names: required ones first. */
function ordered(names: Iterable<string>, isRequired: (name: string) => boolean): string[] {
  return [...names].sort((a, b) => Number(isRequired(b)) - Number(isRequired(a)) || (a < b ? -1 : a > b ? 1 : 0));
}

const SAFE_WORD = /^[A-Za-z0-9_.,:/@%+=^-]+$/;

/** A shell word: bare when safe, else single-quoted. */
export function shellQuote(value: string): string {
  if (value !== "" && SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `ccc Action --A 1 --B x …` from an example request; undefined when a value does not fit the input's shape. */
export function exampleCommand(
  action: string,
  shape: Shape,
  request: Readonly<Record<string, unknown>>,
): string | undefined {
  const words = ["ccc", action];
  for (const [name, value] of Object.entries(request)) {
    const member = Object.hasOwn(shape, name) ? shape[name] : undefined;
    if (!member || value === undefined) return undefined;
    const flag = `--${name}`;
    const scalar = (v: unknown): string | undefined =>
      typeof v === "string"
        ? v.startsWith("--") || (member.list && v.trimStart().startsWith("["))
          ? undefined
          : v
        : typeof v === "number" || typeof v === "boolean"
          ? String(v)
          : undefined;
    if (member.type === "model") words.push(flag, shellQuote(JSON.stringify(value)));
    else if (member.list) {
      const items = Array.isArray(value) ? value.map(scalar) : [];
      if (!Array.isArray(value) || !value.length || items.some((s) => s === undefined))
        words.push(flag, shellQuote(JSON.stringify(value)));
      else for (const item of items) words.push(flag, shellQuote(item!));
    } else if (member.type === "bool" && value === true) words.push(flag);
    else {
      const s = scalar(value);
      if (s === undefined) return undefined;
      words.push(flag, shellQuote(s));
    }
  }
  return words.join(" ");
}

export function actionHelp(spec: CliSpec, action: string, lang: HelpLanguage = "en"): string {
  const entry = spec.catalog.actions[action];
  const shape = spec.commands[action]!.input;
  const models = spec.catalog.models;
  const out: string[] = [];
  const title = oneLine(text(entry?.title, lang));
  out.push(`ccc ${action}${title ? `: ${title}` : ""}${entry?.deprecated ? " (deprecated)" : ""}`);
  const description = text(entry?.description, lang).trim();
  if (description && oneLine(description) !== title) out.push("", ...indented(description, ""));

  const catalogInput = entry?.input ?? {};
  const names = ordered(new Set([...Object.keys(shape), ...Object.keys(catalogInput)]), (n) =>
    Boolean(shape[n]?.required ?? catalogInput[n]?.required),
  );
  const usage = names
    .filter((n) => shape[n]?.required)
    .map((n) => `--${n} <${shape[n]!.type === "model" ? "json" : shape[n]!.type}>${shape[n]!.list ? " ..." : ""}`);
  out.push("", "Usage:", `  ccc ${action} ${[...usage, "[--Member value ...]", "[options]"].join(" ")}`);
  out.push("", names.length ? "Input members:" : "Input members: none");
  const flagWidth = Math.max(0, ...names.map((n) => n.length + 2)) + 2;
  const descIndent = " ".repeat(2 + flagWidth);
  for (const name of names) {
    const member = catalogInput[name];
    const memberShape = shape[name];
    out.push(`  ${pad(`--${name}`, flagWidth)}${summary(memberShape, member)}`);
    out.push(...indented(text(member?.description, lang), descIndent));
    const model = memberShape?.type === "model" && member ? models[member.type] : undefined;
    if (!model || !member) continue;
    const nested = memberShape?.model?.() ?? {};
    let modelDescription = oneLine(text(model.description, lang));
    if (modelDescription.replace(/[.。]$/, "").toLowerCase() === member.type.toLowerCase()) modelDescription = "";
    out.push(
      `${descIndent}${member.type}${modelDescription ? ` (${modelDescription})` : ""}: ` +
        (memberShape?.list ? "a JSON list of objects with" : "a JSON object with"),
    );
    const inner = ordered(new Set([...Object.keys(nested), ...Object.keys(model.members)]), (n) =>
      Boolean(nested[n]?.required ?? model.members[n]?.required),
    );
    const innerWidth = Math.max(0, ...inner.map((n) => n.length)) + 2;
    const innerIndent = `${descIndent}  `;
    for (const m of inner) {
      const nestedMember = model.members[m];
      const line = `${innerIndent}${pad(m, innerWidth)}${summary(nested[m], nestedMember)}`;
      out.push(line);
      out.push(...indented(text(nestedMember?.description, lang), innerIndent + " ".repeat(innerWidth)));
    }
  }

  const outputs = Object.keys(entry?.output ?? {});
  out.push("", `Answer: ${[...outputs.sort(), "RequestId"].join(", ")} (as JSON).`);
  out.push(`SDK method: ${methodName(action)}(). Idempotent: ${spec.commands[action]!.idempotent ? "yes" : "no"}.`);
  out.push(...pagingHelp(spec.commands[action]!.paginator), ...waitersHelp(spec, action));
  const example = entry?.example ? exampleCommand(action, shape, entry.example.request) : undefined;
  if (example) out.push("", "Example:", `  ${example}`);
  out.push("", "Options: see `ccc --help`.");
  return `${out.join("\n")}\n`;
}

/** `5 s`, `15 min`, `250 ms`. */
function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** `90 days`, or seconds when the span is not whole days. */
function span(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400} days` : `${seconds} s`;
}

/** Whether the action pages, and how `--page-all` walks it. */
function pagingHelp(p: PaginatorDefinition | undefined): string[] {
  if (!p) return ["Pages: no (--page-all does not apply)."];
  const position =
    p.style === "page"
      ? `${p.position} from ${p.firstPage ?? 0}`
      : p.style === "offset"
        ? `${p.position} from 0`
        : `${p.position} from the ${p.cursorFrom} of the page before's last item`;
  const size = `${p.size} ${p.maxSize !== undefined ? `up to ${p.maxSize}, ` : ""}default ${p.defaultSize} (--page-size)`;
  const lines = [
    "Pages: yes; --page-all prints every item of every page, one JSON line each:",
    `  ${position}; ${size}; items ${p.items}${p.total ? `, total ${p.total}` : ""}`,
    `  it sets ${p.position} and ${p.size} itself; given, ${p.position} is where it starts and ${p.size} the page size`,
  ];
  const w = p.timeWindow;
  if (w)
    lines.push(
      `  a ${w.start}..${w.end} range of ${span(w.maxSpanSeconds)} or more is read in windows shorter than that`,
    );
  return lines;
}

/** The waiters that poll the action: what each waits for and how often it polls. */
function waitersHelp(spec: CliSpec, action: string): string[] {
  const names = waiterNames(spec, action);
  if (!names.length) return ["Waiters: none."];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = [`Waiters (--wait <Waiter>; --max-wait-ms, default ${duration(DEFAULT_MAX_WAIT_MS)}):`];
  for (const name of names) {
    const w = spec.waiters[name]!;
    lines.push(`  ${pad(name, width)}${acceptorsText(w)}`);
    lines.push(`  ${" ".repeat(width)}${delaysText(w)}`);
  }
  return lines;
}

export function delaysText(w: Pick<WaiterDefinition, "minDelayMs" | "maxDelayMs">): string {
  return `polls at once, then after pauses of ${duration(w.minDelayMs)} doubling up to ${duration(w.maxDelayMs)}`;
}

/** `success when State is 2; failure when State is 4`. */
export function acceptorsText(w: Pick<WaiterDefinition, "acceptors">): string {
  return w.acceptors.map((a) => `${a.state} when ${condition(a)}`).join("; ");
}

function condition(a: WaiterAcceptor): string {
  if ("error" in a) return `a poll fails with ${a.error}`;
  const values = a.expected.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v)));
  const expected = values.length > 1 ? `${values.slice(0, -1).join(", ")} or ${values.at(-1)}` : values[0];
  const which = a.path.includes("[]") ? (a.match === "any" ? "any " : "every ") : "";
  return `${which}${a.path} is ${expected}`;
}

/**
 * The command line: `ccc <Action> --Member value … [options]`, parsed and coerced by the action's generated input
 * shape. Everything wrong with it is a `UsageError` (exit status 2, nothing sent) whose message names the flag.
 */
import { exactValue, parseAnswer } from "../answer.js";
import type { MemberShape, Shape } from "../action.js";
import { didYouMean } from "./suggest.js";
import { actionNames, findAction, pagingActions, waiterNames, type CliSpec } from "./spec.js";

/** A mistake on the command line or in the input given there: exit status 2, nothing is sent. */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}

/** The action named is not one of the spec's. */
export class UnknownActionError extends UsageError {
  override readonly name: string = "UnknownActionError";
}

/** What a command line sets besides the action's members; every value is checked where it is used. */
export interface GlobalOptions {
  endpoint?: string;
  region?: string;
  profile?: string;
  language?: string;
  timeoutMs?: string;
  maxRetries?: string;
  cliInputJson?: string;
  dryRun: boolean;
  pageAll: boolean;
  pageSize?: string;
  /** A waiter's name, known to the spec (the parser checks it). */
  wait?: string;
  maxWaitMs?: string;
  minDelayMs?: string;
  maxDelayMs?: string;
  help: boolean;
  version: boolean;
}

type SwitchKey = { [K in keyof GlobalOptions]-?: GlobalOptions[K] extends boolean ? K : never }[keyof GlobalOptions];
type ValueKey = Exclude<keyof GlobalOptions, SwitchKey>;

/** An option every action takes: a switch, or a flag with a value; `key` is where it goes in `GlobalOptions`. */
export type GlobalOption = {
  /** `--endpoint`. */
  readonly flag: string;
  readonly help: string;
} & (
  | { readonly key: SwitchKey; readonly value?: undefined }
  | {
      readonly key: ValueKey;
      /** Placeholder of its value (`<host|url>`). */
      readonly value: string;
      /** Refused when given twice; otherwise the last one counts. */
      readonly once?: boolean;
    }
);

/** How long `--wait` polls when `--max-wait-ms` does not say: long enough for a call or a short campaign. */
export const DEFAULT_MAX_WAIT_MS: number = 30 * 60_000;

/** The options every action takes. Lower-case with dashes, so they never collide with Tencent's member names. */
export const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  {
    flag: "--endpoint",
    key: "endpoint",
    value: "<host|url>",
    help: "API endpoint: a host or an origin (default ccc.tencentcloudapi.com; ccc.intl.tencentcloudapi.com, http://127.0.0.1:8080)",
  },
  { flag: "--region", key: "region", value: "<region>", help: "X-TC-Region, e.g. ap-guangzhou (optional for CCC)" },
  {
    flag: "--profile",
    key: "profile",
    value: "<name>",
    help: "use this profile of the credentials file (instead of the TENCENTCLOUD_* variables)",
  },
  {
    flag: "--language",
    key: "language",
    value: "zh-CN|en-US",
    help: "language of API error messages (zh-CN also for --help)",
  },
  {
    flag: "--timeout-ms",
    key: "timeoutMs",
    value: "<ms>",
    help: "time for each attempt, connection to last byte (default 30000)",
  },
  {
    flag: "--max-retries",
    key: "maxRetries",
    value: "<n>",
    help: "retries after a retryable failure (default 2; 0 for none)",
  },
  {
    flag: "--cli-input-json",
    key: "cliInputJson",
    value: "<json|@file|->",
    once: true,
    help: "the whole input as one JSON object (@file reads a file, - stdin); flags override its members",
  },
  {
    flag: "--dry-run",
    key: "dryRun",
    help: "validate and sign, then print the HTTP request (secrets as ***) without sending it",
  },
  {
    flag: "--page-all",
    key: "pageAll",
    help: "read every page of a paging action; print each item as one line of JSON (JSON Lines)",
  },
  {
    flag: "--page-size",
    key: "pageSize",
    value: "<n>",
    help: "items per page for --page-all (default and largest: the action's documented page size)",
  },
  {
    flag: "--wait",
    key: "wait",
    value: "<Waiter>",
    once: true,
    help: "poll the action until the waiter's success state; print the last answer (the action may be left out)",
  },
  {
    flag: "--max-wait-ms",
    key: "maxWaitMs",
    value: "<ms>",
    help: `how long --wait polls in all (default ${DEFAULT_MAX_WAIT_MS}: ${DEFAULT_MAX_WAIT_MS / 60_000} minutes)`,
  },
  {
    flag: "--min-delay-ms",
    key: "minDelayMs",
    value: "<ms>",
    help: "--wait's first pause between polls; later ones double (default: the waiter's)",
  },
  {
    flag: "--max-delay-ms",
    key: "maxDelayMs",
    value: "<ms>",
    help: "--wait's longest pause between polls (default: the waiter's)",
  },
  { flag: "--help", key: "help", help: "this text; `ccc <Action> --help` describes an action's members (also -h)" },
  { flag: "--version", key: "version", help: "versions of ccc and of the API" },
];

const GLOBAL = new Map(GLOBAL_OPTIONS.map((o) => [o.flag, o]));

/** The options that only mean something with another: `--page-size` with `--page-all`, the waiting ones with `--wait`. */
const GOES_WITH: readonly { readonly key: ValueKey; readonly flag: string; readonly with: "pageAll" | "wait" }[] = [
  { key: "pageSize", flag: "--page-size", with: "pageAll" },
  { key: "maxWaitMs", flag: "--max-wait-ms", with: "wait" },
  { key: "minDelayMs", flag: "--min-delay-ms", with: "wait" },
  { key: "maxDelayMs", flag: "--max-delay-ms", with: "wait" },
];

export interface CommandLine {
  /** The action's Tencent name, resolved from its name or method name. */
  readonly action: string | undefined;
  readonly options: GlobalOptions;
  /** Members given as flags, coerced by their types, in the order given. */
  readonly members: ReadonlyMap<string, unknown>;
}

const HELP_TOKENS = new Set(["--help", "-h"]);

function isFlag(token: string): boolean {
  return token.startsWith("--") && token.length > 2;
}

/** `--name=value` → [`--name`, `value`]; `--name` → [`--name`, undefined]. */
function splitFlag(token: string): [string, string | undefined] {
  const eq = token.indexOf("=");
  return eq < 0 ? [token, undefined] : [token.slice(0, eq), token.slice(eq + 1)];
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** How a member's type reads in messages and help: `int64`, `list of string`, `OwnNumberApplyDetailItem (JSON)`. */
export function typeLabel(shape: MemberShape, modelName?: string): string {
  const base = shape.type === "model" ? `${modelName ?? "object"} (JSON)` : shape.type;
  return shape.list ? `list of ${base}` : base;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** One scalar value of `--Member`, coerced by the member's type. */
function coerceScalar(flag: string, shape: MemberShape, raw: string, isList: boolean): unknown {
  const listHint = isList && raw.includes(",") ? `; give a list by repeating ${flag} or as JSON (${flag} '[1,2]')` : "";
  switch (shape.type) {
    case "string":
      return raw;
    case "int64":
    case "uint64": {
      const text = raw.trim();
      if (!INTEGER.test(text))
        throw new UsageError(`${flag} expects an integer (${shape.type}), got ${quoted(raw)}${listHint}`);
      const n = Number(text);
      // Beyond ±2^53 a number would round: pass the digits on as a bigint, which the SDK writes exactly and whose
      // 64-bit range validation checks.
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    case "float": {
      const text = raw.trim();
      if (!DECIMAL.test(text) || !Number.isFinite(Number(text)))
        throw new UsageError(`${flag} expects a number (float), got ${quoted(raw)}${listHint}`);
      return Number(text);
    }
    case "bool": {
      const text = raw.trim().toLowerCase();
      if (text === "true") return true;
      if (text === "false") return false;
      throw new UsageError(`${flag} expects true or false (bool), got ${quoted(raw)}`);
    }
    case "model":
      return parseJson(flag, raw, "object");
  }
}

/** A flag's whole number from `min` to `max`; `why` says where `max` comes from when it is not obvious. */
export function wholeNumber(flag: string, raw: string, min: number, max: number, why = ""): number {
  const text = raw.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(
      `${flag} expects a whole number from ${min} to ${max}${why && ` (${why})`}, got ${JSON.stringify(raw)}`,
    );
  return n;
}

/** JSON text given for a flag; `kind` checks the top-level value. */
export function parseJson(flag: string, raw: string, kind: "object" | "array" | "object or array"): unknown {
  let value: unknown;
  try {
    // Integers beyond ±2^53 stay exact (as bigint): the SDK writes them as given.
    const parsed = parseAnswer(raw);
    value = exactValue(parsed.value, parsed.unsafe);
  } catch (e) {
    throw new UsageError(
      `${flag} expects JSON (${kind === "object" ? "an object" : kind === "array" ? "a list" : "an object or a list"}): ${(e as Error).message}`,
    );
  }
  const isArray = Array.isArray(value);
  const isObject = typeof value === "object" && value !== null && !isArray;
  if (
    (kind === "object" && !isObject) ||
    (kind === "array" && !isArray) ||
    (kind === "object or array" && !isObject && !isArray)
  )
    throw new UsageError(
      `${flag} expects ${kind === "object" ? "a JSON object" : kind === "array" ? "a JSON list" : "a JSON object or list"}, got ${
        value === null ? "null" : isArray ? "a list" : typeof value
      }`,
    );
  return value;
}

/** The items one occurrence of a list flag contributes: a JSON list's items, or one coerced item. */
function listItems(flag: string, shape: MemberShape, raw: string): unknown[] {
  const text = raw.trimStart();
  if (shape.type === "model") {
    const value = parseJson(flag, raw, "object or array");
    return Array.isArray(value) ? value : [value];
  }
  if (text.startsWith("[")) return parseJson(flag, raw, "array") as unknown[];
  return [coerceScalar(flag, shape, raw, true)];
}

/** Resolves an action name, or throws a `UsageError` with the closest names. */
export function resolveAction(spec: CliSpec, name: string): string {
  const found = findAction(spec, name);
  if (found) return found;
  throw new UnknownActionError(
    `unknown action ${quoted(name)}${didYouMean(name, actionNames(spec))} (\`ccc --help\` lists the actions)`,
  );
}

/**
 * The action `--wait <name>` polls, checked: the waiter must exist (else the closest names) and, when the line
 * names an action, poll that one.
 */
function waitedAction(spec: CliSpec, name: string, action: string | undefined): string {
  const waiter = Object.hasOwn(spec.waiters, name) ? spec.waiters[name] : undefined;
  if (!waiter)
    throw new UsageError(
      `unknown waiter ${quoted(name)}${didYouMean(name, waiterNames(spec))} (\`ccc --help\` lists the waiters)`,
    );
  const polled = waiter.command.name;
  if (action === undefined || action === polled) return polled;
  const own = waiterNames(spec, action);
  throw new UsageError(
    `--wait ${name} polls ${polled}, not ${action}; ` +
      (own.length ? `${action}'s waiters: ${own.join(", ")}` : `no waiter polls ${action}`) +
      ` (the action may be left out: \`ccc --wait ${name} --Member value …\`)`,
  );
}

/** The options that rule each other out or need another, and `--page-all` on an action that does not page. */
function checkCombinations(spec: CliSpec, options: GlobalOptions, action: string | undefined): void {
  if (options.pageAll && options.wait !== undefined)
    throw new UsageError("--page-all and --wait do not go together: one reads every page, the other polls a state");
  for (const o of GOES_WITH)
    if (options[o.key] !== undefined && !options[o.with])
      throw new UsageError(`${o.flag} goes with ${o.with === "pageAll" ? "--page-all" : "--wait <Waiter>"}`);
  if (options.pageAll && action !== undefined && !spec.commands[action]!.paginator)
    throw new UsageError(
      `${action} does not page, so --page-all has nothing to read; the actions that page: ${pagingActions(spec).join(", ")}`,
    );
}

/**
 * Parses `argv` (without `node` and the script). Global options may come anywhere; members (`--Name value`,
 * `--Name=value`) only after the action. A value may not start with `--` unless given as `--Name=--value`.
 */
export function parseCommandLine(argv: readonly string[], spec: CliSpec): CommandLine {
  const options: GlobalOptions = { dryRun: false, pageAll: false, help: false, version: false };
  // Help and version win over every other mistake on the line, but an unknown action is still reported.
  if (argv.some((t) => HELP_TOKENS.has(t))) options.help = true;
  if (argv.includes("--version")) options.version = true;

  let action: string | undefined;
  /** The action was named on the line (not only taken from `--wait`'s waiter). */
  let actionNamed = false;
  let shape: Shape | undefined;
  const members = new Map<string, unknown>();
  let lastListFlag: string | undefined;

  try {
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i]!;
      if (HELP_TOKENS.has(token) || token === "--version") continue;
      if (isFlag(token)) {
        const [flag, inline] = splitFlag(token);
        const global = GLOBAL.get(flag);
        /** The flag's value: after `=`, or the next token unless it is another flag. */
        const takeValue = (what: string): string => {
          if (inline !== undefined) return inline;
          const next = argv[i + 1];
          if (next === undefined || isFlag(next) || HELP_TOKENS.has(next))
            throw new UsageError(
              `${flag} needs a value (${what})${next !== undefined && isFlag(next) ? `; to pass a value starting with --, write ${flag}=<value>` : ""}`,
            );
          i++;
          return next;
        };
        if (global) {
          if (global.value === undefined) {
            if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
            options[global.key] = true;
            continue;
          }
          const value = takeValue(global.value);
          if (global.once && options[global.key] !== undefined) throw new UsageError(`${flag} is given twice`);
          options[global.key] = value;
          if (global.key === "wait") {
            // The waiter knows the action it polls: `ccc --wait <Name> --Member v` needs no action name.
            const polled = waitedAction(spec, value, action);
            if (action === undefined) {
              action = polled;
              shape = spec.commands[polled]!.input;
            }
          }
          continue;
        }
        if (!action || !shape) {
          if (options.help || options.version) continue;
          throw new UsageError(
            `${flag} comes before the action; write \`ccc <Action> ${flag} …\` or \`ccc --wait <Waiter> ${flag} …\` (\`ccc --help\` lists them)`,
          );
        }
        const name = flag.slice(2);
        const member = Object.hasOwn(shape, name) ? shape[name] : undefined;
        if (!member) {
          if (options.help) continue;
          const candidates = [...Object.keys(shape).map((m) => `--${m}`), ...GLOBAL.keys()];
          throw new UsageError(
            `${action} has no member ${flag}${didYouMean(flag, candidates)} (\`ccc ${action} --help\` lists its members)`,
          );
        }
        if (member.type === "bool" && !member.list) {
          // A bare --Flag is true; `--Flag true|false` and `--Flag=…` say which.
          let raw = inline;
          const next = argv[i + 1];
          if (raw === undefined && next !== undefined && /^(true|false)$/i.test(next)) {
            raw = next;
            i++;
          }
          if (members.has(name)) throw new UsageError(`${flag} is given twice; it is not a list`);
          members.set(name, raw === undefined ? true : coerceScalar(flag, member, raw, false));
          lastListFlag = undefined;
          continue;
        }
        const raw = takeValue(typeLabel(member));
        if (member.list) {
          const items = listItems(flag, member, raw);
          const earlier = members.get(name) as unknown[] | undefined;
          members.set(name, earlier ? [...earlier, ...items] : items);
          lastListFlag = flag;
        } else {
          if (members.has(name)) throw new UsageError(`${flag} is given twice; it is not a list`);
          members.set(name, coerceScalar(flag, member, raw, false));
          lastListFlag = undefined;
        }
        continue;
      }
      if (token.startsWith("-") && token !== "-" && !/^-\d/.test(token))
        throw new UsageError(`unknown option ${quoted(token)}${didYouMean(token, GLOBAL.keys())}`);
      if (!actionNamed) {
        if (token === "help" && i === 0) {
          options.help = true;
          continue;
        }
        const named = resolveAction(spec, token);
        if (options.wait !== undefined) waitedAction(spec, options.wait, named);
        action = named;
        shape = spec.commands[named]!.input;
        actionNamed = true;
        continue;
      }
      throw new UsageError(
        `unexpected argument ${quoted(token)}` +
          (lastListFlag ? `; give each item of a list with its own flag (${lastListFlag} a ${lastListFlag} b)` : "") +
          (lastListFlag ? "" : "; members are given as --Name value"),
      );
    }
    checkCombinations(spec, options, action);
  } catch (e) {
    // With --help or --version only an unknown action matters: the rest of the line is not used.
    if (!(options.help || options.version) || e instanceof UnknownActionError) throw e;
  }
  return { action, options, members };
}

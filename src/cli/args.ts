/**
 * The command line: `ccc <Action> --Member value … [options]`, parsed and coerced by the action's generated input
 * shape. Everything wrong with it is a `UsageError` (exit status 2, nothing sent) whose message names the flag.
 */
import { exactValue, parseAnswer } from "../answer.js";
import type { MemberShape, Shape } from "../action.js";
import { didYouMean } from "./suggest.js";
import { actionNames, findAction, type CliSpec } from "./spec.js";

/** A mistake on the command line or in the input given there: exit status 2, nothing is sent. */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}

/** The action named is not one of the spec's. */
export class UnknownActionError extends UsageError {
  override readonly name: string = "UnknownActionError";
}

export interface GlobalOption {
  /** `--endpoint`. */
  readonly flag: string;
  /** Placeholder of its value (`<host|url>`), absent for switches. */
  readonly value?: string;
  readonly help: string;
}

/** The options every action takes. Lower-case with dashes, so they never collide with Tencent's member names. */
export const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  {
    flag: "--endpoint",
    value: "<host|url>",
    help: "API endpoint: a host or an origin (default ccc.tencentcloudapi.com; ccc.intl.tencentcloudapi.com, http://127.0.0.1:8080)",
  },
  { flag: "--region", value: "<region>", help: "X-TC-Region, e.g. ap-guangzhou (optional for CCC)" },
  {
    flag: "--profile",
    value: "<name>",
    help: "use this profile of the credentials file (instead of the TENCENTCLOUD_* variables)",
  },
  { flag: "--language", value: "zh-CN|en-US", help: "language of API error messages (zh-CN also for --help)" },
  { flag: "--timeout-ms", value: "<ms>", help: "time for each attempt, connection to last byte (default 30000)" },
  { flag: "--max-retries", value: "<n>", help: "retries after a retryable failure (default 2; 0 for none)" },
  {
    flag: "--cli-input-json",
    value: "<json|@file|->",
    help: "the whole input as one JSON object (@file reads a file, - stdin); flags override its members",
  },
  { flag: "--dry-run", help: "validate and sign, then print the HTTP request (secrets as ***) without sending it" },
  { flag: "--help", help: "this text; `ccc <Action> --help` describes an action's members (also -h)" },
  { flag: "--version", help: "versions of ccc and of the API" },
];

const GLOBAL = new Map(GLOBAL_OPTIONS.map((o) => [o.flag, o]));

export interface GlobalOptions {
  endpoint?: string;
  region?: string;
  profile?: string;
  language?: string;
  timeoutMs?: string;
  maxRetries?: string;
  cliInputJson?: string;
  dryRun: boolean;
  help: boolean;
  version: boolean;
}

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
 * Parses `argv` (without `node` and the script). Global options may come anywhere; members (`--Name value`,
 * `--Name=value`) only after the action. A value may not start with `--` unless given as `--Name=--value`.
 */
export function parseCommandLine(argv: readonly string[], spec: CliSpec): CommandLine {
  const options: GlobalOptions = { dryRun: false, help: false, version: false };
  // Help and version win over every other mistake on the line, but an unknown action is still reported.
  if (argv.some((t) => HELP_TOKENS.has(t))) options.help = true;
  if (argv.includes("--version")) options.version = true;

  let action: string | undefined;
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
          if (!global.value) {
            if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
            if (flag === "--dry-run") options.dryRun = true;
            continue;
          }
          const value = takeValue(global.value);
          switch (flag) {
            case "--endpoint":
              options.endpoint = value;
              break;
            case "--region":
              options.region = value;
              break;
            case "--profile":
              options.profile = value;
              break;
            case "--language":
              options.language = value;
              break;
            case "--timeout-ms":
              options.timeoutMs = value;
              break;
            case "--max-retries":
              options.maxRetries = value;
              break;
            case "--cli-input-json":
              if (options.cliInputJson !== undefined) throw new UsageError("--cli-input-json is given twice");
              options.cliInputJson = value;
              break;
          }
          continue;
        }
        if (!action || !shape) {
          if (options.help || options.version) continue;
          throw new UsageError(
            `${flag} comes before the action; write \`ccc <Action> ${flag} …\` (\`ccc --help\` lists the actions)`,
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
      if (action === undefined) {
        if (token === "help" && i === 0) {
          options.help = true;
          continue;
        }
        action = resolveAction(spec, token);
        shape = spec.commands[action]!.input;
        continue;
      }
      throw new UsageError(
        `unexpected argument ${quoted(token)}` +
          (lastListFlag ? `; give each item of a list with its own flag (${lastListFlag} a ${lastListFlag} b)` : "") +
          (lastListFlag ? "" : "; members are given as --Name value"),
      );
    }
  } catch (e) {
    // With --help or --version only an unknown action matters: the rest of the line is not used.
    if (!(options.help || options.version) || e instanceof UnknownActionError) throw e;
  }
  return { action, options, members };
}

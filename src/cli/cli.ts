/**
 * `ccc`: any CCC action from a shell. `main(argv, io)` runs one command line and resolves to its exit status:
 * 0 done, 1 the call failed (API error, connection, timeout, answer, credentials), 2 wrong command line or input
 * (nothing sent), 3 and 4 `--wait` ended in a failure state or ran out of time (exit.ts). It never throws and never
 * writes a SecretKey, a token or a signature.
 */
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ActionDefinition, PagedActionDefinition, WaiterDefinition } from "../action.js";
import { type CccBaseClient, fetchPath, parseEndpoint, type CccClientOptions, type Language } from "../client.js";
import {
  defaultCredentialsChain,
  fromProfile,
  type Credentials,
  type CredentialsProvider,
  type EnvironmentVariables,
} from "../credentials/index.js";
import { CccConfigError, CccError, CccSdkError, CccValidationError } from "../errors.js";
import { parseCommandLine, parseJson, UsageError, wholeNumber, type GlobalOptions } from "./args.js";
import { captureFetch, formatRequest } from "./dry-run.js";
import { ExactAnswerClient, jsonText } from "./exact.js";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./exit.js";
import { pagedCommand, pageSizeOf, printEveryItem, sendFirstPage, writeChunk } from "./page-all.js";
import { waitAndPrint, waitLimits, type WaitLimits, type WaitOutput } from "./wait.js";
import { actionHelp, globalHelp, versionText } from "./help.js";
import type { CliSpec, HelpLanguage } from "./spec.js";

/** Where output goes: `process.stdout` fits, and so does any object with a `write`. */
export interface Output {
  /** Writes `chunk`; a stream calls `done` once it has flushed it (or failed to). */
  write(chunk: string, done?: (error?: Error | null) => void): unknown;
  /** A stream's: false once it is closed (its reader went away). */
  readonly writable?: boolean;
}

export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Environment variables: credentials (`TENCENTCLOUD_*`) are read here. */
  readonly env: EnvironmentVariables;
  /** Read by `--cli-input-json -`. */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
}

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, EXIT_WAIT_FAILURE, EXIT_WAIT_TIMEOUT } from "./exit.js";

/** The package's version, from the nearest package.json named ccc-sdk above this file (src/ or dist/src/). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "ccc-sdk" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not here
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return "unknown";
}

/** Replaces every known secret in text written out (a second line of defence: the SDK never puts them there). */
class Redactor {
  readonly #secrets = new Set<string>();
  add(...values: (string | undefined)[]): void {
    for (const v of values) if (v && v.length >= 8) this.#secrets.add(v);
  }
  clean(s: string): string {
    for (const secret of this.#secrets) if (s.includes(secret)) s = s.split(secret).join("***");
    return s;
  }
}

interface ClientSettings {
  readonly endpoint?: string;
  readonly region?: string;
  readonly language?: Language;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly profile?: string;
}

/** Checks the connection options, naming the flag. */
function clientSettings(o: GlobalOptions): ClientSettings {
  const settings: { -readonly [K in keyof ClientSettings]: ClientSettings[K] } = {};
  if (o.endpoint !== undefined) {
    try {
      parseEndpoint(o.endpoint);
    } catch (e) {
      throw new UsageError(`--endpoint: ${(e as Error).message}`);
    }
    settings.endpoint = o.endpoint.trim();
  }
  if (o.region !== undefined) {
    if (!/^[a-z0-9-]+$/.test(o.region))
      throw new UsageError(`--region expects a region such as ap-guangzhou, got ${JSON.stringify(o.region)}`);
    settings.region = o.region;
  }
  if (o.language !== undefined) {
    if (o.language !== "zh-CN" && o.language !== "en-US")
      throw new UsageError(`--language expects zh-CN or en-US, got ${JSON.stringify(o.language)}`);
    settings.language = o.language;
  }
  if (o.timeoutMs !== undefined) settings.timeoutMs = wholeNumber("--timeout-ms", o.timeoutMs, 1, 2_147_483_647);
  if (o.maxRetries !== undefined) settings.maxRetries = wholeNumber("--max-retries", o.maxRetries, 0, 100);
  if (o.profile !== undefined) {
    if (!o.profile.trim()) throw new UsageError("--profile expects the name of a profile of the credentials file");
    settings.profile = o.profile.trim();
  }
  return settings;
}

async function readStdin(stdin: AsyncIterable<string | Uint8Array> | undefined): Promise<string> {
  if (!stdin) throw new UsageError("--cli-input-json -: there is no standard input to read");
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stdin) text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** `--cli-input-json` as an object: inline JSON, `@file` or `-` (stdin). */
async function cliInput(raw: string, io: CliIo): Promise<Record<string, unknown>> {
  let json = raw;
  let source = "--cli-input-json";
  if (raw === "-") {
    json = await readStdin(io.stdin);
    source = "--cli-input-json (stdin)";
  } else if (raw.startsWith("@")) {
    const file = resolve(raw.slice(1));
    try {
      json = await readFile(file, "utf8");
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new UsageError(`--cli-input-json: cannot read ${file}${typeof code === "string" ? ` (${code})` : ""}`);
    }
    source = `--cli-input-json ${raw}`;
  }
  return parseJson(source, json.replace(/^\uFEFF/, ""), "object") as Record<string, unknown>;
}

function languageOf(options: GlobalOptions): HelpLanguage {
  return options.language === "zh-CN" ? "zh" : "en";
}

/** Runs one command line against `spec` (the generated actions, or others in tests). */
export async function run(argv: readonly string[], io: CliIo, spec: CliSpec): Promise<number> {
  const redactor = new Redactor();
  redactor.add(io.env.TENCENTCLOUD_SECRET_KEY, io.env.TENCENTCLOUD_SESSION_TOKEN);
  const out = (s: string) => void io.stdout.write(redactor.clean(s));
  const err = (s: string) => void io.stderr.write(redactor.clean(s));
  let action: string | undefined;
  let dryRun = false;
  try {
    const version = packageVersion();
    if (!argv.length) {
      out(globalHelp(spec, version));
      return EXIT_OK;
    }
    const line = parseCommandLine(argv, spec);
    const { options } = line;
    action = line.action;
    dryRun = options.dryRun;
    if (options.help) {
      out(action ? actionHelp(spec, action, languageOf(options)) : globalHelp(spec, version, languageOf(options)));
      return EXIT_OK;
    }
    if (options.version) {
      out(versionText(spec, version));
      return EXIT_OK;
    }
    if (!action) throw new UsageError("no action given (`ccc --help` lists the actions)");
    const settings = clientSettings(options);
    const input: Record<string, unknown> =
      options.cliInputJson !== undefined ? await cliInput(options.cliInputJson, io) : {};
    for (const [name, value] of line.members) input[name] = value;
    const mode = modeOf(spec, action, options, input);

    // Credentials: the SDK's chain (environment, then the profile file) read from io.env; an explicit --profile
    // reads that profile even when the environment variables are set.
    const chain: CredentialsProvider =
      settings.profile !== undefined
        ? fromProfile({ profile: settings.profile, env: io.env })
        : defaultCredentialsChain({ env: io.env });
    const credentials = async (): Promise<Credentials> => {
      const c = await chain();
      redactor.add(c.secretKey, c.token);
      return c;
    };
    const capture = options.dryRun ? captureFetch() : undefined;
    const clientOptions: CccClientOptions = {
      credentials,
      ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }),
      ...(settings.region !== undefined && { region: settings.region }),
      ...(settings.language !== undefined && { language: settings.language }),
      ...(settings.timeoutMs !== undefined && { timeoutMs: settings.timeoutMs }),
      ...(settings.maxRetries !== undefined && { maxRetries: settings.maxRetries }),
      ...(capture && { fetch: capture.fetch, fetchPath, maxRetries: 0 }),
    };
    let client: CccBaseClient;
    try {
      client = new ExactAnswerClient(spec.service, clientOptions);
    } catch (e) {
      if (e instanceof CccConfigError) throw new UsageError(e.message);
      throw e;
    }
    try {
      if (!capture)
        return await perform(client, input, mode, {
          answer: out,
          problem: err,
          stream: (chunk) => writeChunk(io.stdout, redactor.clean(chunk)),
        });
      await sendFirst(client, input, mode);
      const request = capture.request();
      if (!request) throw new Error("--dry-run: the client did not build a request");
      out(formatRequest(request));
      err(`ccc: dry run: nothing was sent to ${client.endpoint}\n`);
      return EXIT_OK;
    } finally {
      client.close();
    }
  } catch (e) {
    return report(e, action, dryRun, err);
  }
}

/** What the line asks for, its options checked before anything is sent: one call, every page, or polls. */
type Mode =
  | { readonly kind: "call"; readonly command: ActionDefinition }
  | { readonly kind: "pages"; readonly command: PagedActionDefinition; readonly pageSize: number | undefined }
  | { readonly kind: "wait"; readonly waiter: WaiterDefinition; readonly limits: WaitLimits };

function modeOf(spec: CliSpec, action: string, options: GlobalOptions, input: Record<string, unknown>): Mode {
  const command = spec.commands[action]!;
  if (options.pageAll) {
    const paged = pagedCommand(command);
    return { kind: "pages", command: paged, pageSize: pageSizeOf(paged, options.pageSize, input) };
  }
  if (options.wait !== undefined)
    return { kind: "wait", waiter: spec.waiters[options.wait]!, limits: waitLimits(options) };
  return { kind: "call", command };
}

interface Printer extends WaitOutput {
  /** Writes a chunk of a long output; false once the reader has gone. */
  readonly stream: (chunk: string) => Promise<boolean>;
}

/** Sends what the line asks for and prints the answer: as JSON, each item as a JSON line, or the last poll's. */
async function perform(
  client: CccBaseClient,
  input: Record<string, unknown>,
  mode: Mode,
  print: Printer,
): Promise<number> {
  switch (mode.kind) {
    case "pages":
      await printEveryItem(client, mode.command, input, mode.pageSize, print.stream);
      return EXIT_OK;
    case "wait":
      return waitAndPrint(client, mode.waiter, input, mode.limits, print);
    case "call":
      print.answer(`${jsonText(await client.send(mode.command, input), "  ")}\n`);
      return EXIT_OK;
  }
}

/** `--dry-run`: only the first request the line would send (the first page's, the first poll's). */
async function sendFirst(client: CccBaseClient, input: Record<string, unknown>, mode: Mode): Promise<void> {
  if (mode.kind === "pages") await sendFirstPage(client, mode.command, input, mode.pageSize);
  else await client.send(mode.kind === "wait" ? mode.waiter.command : mode.command, input);
}

function report(e: unknown, action: string | undefined, dryRun: boolean, err: (s: string) => void): number {
  if (e instanceof UsageError) {
    err(`ccc: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof CccValidationError) {
    const lines = e.violations.map((v) => `  ${v.message} (${v.rule})`);
    err(
      `ccc: invalid input for ${e.action ?? action}; nothing was sent:\n${lines.join("\n")}\n` +
        `(\`ccc ${e.action ?? action} --help\` lists its members)\n`,
    );
    return EXIT_USAGE;
  }
  if (e instanceof CccError) {
    err(`ccc: ${e.code}: ${e.apiMessage} (RequestId ${e.requestId})\n`);
    return EXIT_FAILED;
  }
  if (e instanceof CccConfigError) {
    // Credentials: missing, unreadable profile file, unknown profile. The client's cache wraps the chain's error
    // ("the credentials provider failed: …"); the chain's own message says it better.
    const message = e.cause instanceof CccConfigError ? e.cause.message : e.message;
    err(
      `ccc: ${dryRun ? "--dry-run signs the request, so it needs credentials too: " : ""}${message}\n` +
        "ccc: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or name a profile of the credentials file with --profile\n",
    );
    return EXIT_FAILED;
  }
  if (e instanceof CccSdkError) {
    err(`ccc: ${e.message}\n`);
    return EXIT_FAILED;
  }
  err(`ccc: unexpected error${action ? ` in ${action}` : ""}: ${e instanceof Error ? e.message : String(e)}\n`);
  return EXIT_FAILED;
}

/** Running `ccc` in-process (`main()`) and as a real subprocess, and checks shared by the CLI tests. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { run, type CliIo } from "../../src/cli/cli.js";
import { main } from "../../src/cli/main.js";
import type { CliSpec } from "../../src/cli/spec.js";
import { DEFAULT_CREDENTIAL } from "../server/harness.js";
import { REPO } from "../support/paths.js";
import { built } from "../support/built.js";
import { NO_METADATA_ENV } from "../support/metadata.js";
import { runNode, TSX_LOADER, type RunOptions } from "../support/run.js";

export const ROOT = REPO;
/** The command's TypeScript source (run through tsx where a test is about the source itself). */
export const MAIN = path.join(ROOT, "src/cli/main.ts");
/** Bound of one subprocess run. */
export const PROCESS_TIMEOUT_MS = 20_000;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Env = Record<string, string | undefined>;

/** The harness's credential as environment variables. */
export const CREDENTIAL_ENV: Env = {
  TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId,
  TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey,
};

/**
 * An environment with no credentials at all: no variables, a credentials file that does not exist, and no CVM
 * instance metadata (a refused port on 127.0.0.1).
 */
export function noCredentialsEnv(dir: string): Env {
  return { TENCENTCLOUD_CREDENTIALS_FILE: path.join(dir, "no-such-credentials-file"), ...NO_METADATA_ENV };
}

/** `main(argv)` with captured output; `spec` runs the same command line against other actions. */
export async function runMain(
  argv: readonly string[],
  env: Env,
  extra: { stdin?: AsyncIterable<string | Uint8Array>; spec?: CliSpec } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    ...(extra.stdin && { stdin: extra.stdin }),
  };
  const code = extra.spec ? await run(argv, io, extra.spec) : await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * `ccc …` as a separate process: the bundled command (test/support/built.ts), its source through tsx (`viaTsx`),
 * or `node <script> …`, with only `env` (plus PATH
 * and a temporary HOME) in its environment; fails the test if it does not finish within PROCESS_TIMEOUT_MS.
 */
export async function runProcess(
  argv: readonly string[],
  env: Env,
  opts: {
    home: string;
    script?: string;
    stdin?: string;
    cwd?: string;
    viaTsx?: boolean;
    /** Sees stdout as it arrives (and the child, e.g. to close its stdout as `| head` does). */
    onStdout?: RunOptions["onStdout"];
  },
): Promise<Run> {
  const program = opts.viaTsx ? ["--import", TSX_LOADER, MAIN] : [opts.script ?? built("cli/main")];
  const r = await runNode([...program, ...argv], {
    cwd: opts.cwd ?? ROOT,
    baseEnv: "minimal",
    env: { HOME: opts.home, ...env },
    stdin: opts.stdin ?? "",
    timeoutMs: PROCESS_TIMEOUT_MS,
    ...(opts.onStdout && { onStdout: opts.onStdout }),
  });
  if (r.timedOut)
    throw new Error(`ccc ${argv.join(" ")} did not finish within ${PROCESS_TIMEOUT_MS} ms\nstderr: ${r.stderr}`);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

export async function tempDir(name: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `ccc-cli-${name}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** No SecretKey, token or request signature (64 hex digits) in anything the command wrote. */
export function expectNoSecrets(result: Run, secrets: readonly string[] = []): void {
  const all = result.stdout + result.stderr;
  for (const secret of [DEFAULT_CREDENTIAL.secretKey, ...secrets]) expect(all).not.toContain(secret);
  expect(all).not.toMatch(/[0-9a-f]{64}/);
}

/** Splits a command line as a POSIX shell would for the words help prints: bare words and '…' quoting. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === " ") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === "\\") {
      word = (word ?? "") + (line[i + 1] ?? "");
      i++;
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

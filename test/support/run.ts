/**
 * The one way the tests run a command to its end: in its own process group, with a hard time limit (the whole
 * group gets SIGKILL: tsx and npm start children of their own), its output captured, and a result instead of a
 * throw, so each test states what it expects of the code, the signal and the output.
 *
 * Long-running servers are started by their own helpers (test/server/harness.ts, test/support/gateway.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO } from "./paths.js";

/** tsx's loader, by URL, so `--import` works from any working directory. */
export const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** After the time limit's SIGKILL (or after the process exited), how long to wait for its pipes to close. */
const PIPE_GRACE_MS = 5_000;

export type Env = Readonly<Record<string, string | undefined>>;

export interface RunOptions {
  /** Hard limit: after it the process group is killed and the result has `timedOut`. */
  readonly timeoutMs: number;
  /** Working directory (default: the repository). */
  readonly cwd?: string;
  /**
   * `inherit` (default): this process's environment plus `env`. `minimal`: only PATH (with this Node's folder
   * first) plus `env`: no credentials, proxies or NODE_OPTIONS from the test runner.
   */
  readonly baseEnv?: "inherit" | "minimal";
  readonly env?: Env;
  /** Text written to stdin, which is then closed; without it stdin is /dev/null. */
  readonly stdin?: string;
  /** stdin is a pipe left open, for `onStdout` to end (`child.stdin.end()`); `stdin` is ignored. */
  readonly keepStdinOpen?: boolean;
  /** Called on every stdout chunk with all of stdout so far, e.g. to signal the process once it listens. */
  readonly onStdout?: (stdout: string, child: ChildProcess) => void;
}

export interface RunResult {
  /** Exit code; null when it ended by a signal (also when it was killed at the time limit). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
  /** Killed at the time limit. */
  readonly timedOut: boolean;
  /** From the start to the exit of the process. */
  readonly ms: number;
}

export function run(command: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const env: Record<string, string | undefined> =
    opts.baseEnv === "minimal"
      ? { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, ...opts.env }
      : { ...process.env, ...opts.env };
  const started = performance.now();
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: opts.cwd ?? REPO,
      env,
      stdio: [opts.stdin === undefined && !opts.keepStdinOpen ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null; ms: number } | undefined;
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      clearTimeout(grace);
      const ended = exit ?? { code: null, signal: "SIGKILL" as const, ms: performance.now() - started };
      resolve({ ...ended, stdout, stderr, output, timedOut });
    };
    /** Settles once the pipes closed too, or PIPE_GRACE_MS later whatever they do (a grandchild may hold them). */
    const settleSoon = () => {
      grace ??= setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish();
      }, PIPE_GRACE_MS);
    };
    const limit = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      settleSoon();
    }, opts.timeoutMs);
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      output += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      output += d;
    });
    if (child.stdin) {
      child.stdin.on("error", () => {}); // EPIPE when the process does not read it
      if (!opts.keepStdinOpen) child.stdin.end(opts.stdin);
    }
    child.once("error", (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      clearTimeout(grace);
      reject(e);
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal, ms: performance.now() - started };
      settleSoon();
    });
    child.once("close", finish);
  });
}

/** `node <args>` with this Node. */
export function runNode(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return run(process.execPath, args, opts);
}

/** `node --import tsx <file> <args>`: a TypeScript entry point of this repository, as its npm scripts run it. */
export function runTs(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return runNode(["--import", TSX_LOADER, file, ...args], opts);
}

/** The result, for assertion messages. */
export function describeRun(r: RunResult): string {
  return `exit ${r.code} signal ${r.signal}${r.timedOut ? " (timed out, killed)" : ""} after ${Math.round(r.ms)} ms\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

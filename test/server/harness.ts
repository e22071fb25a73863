// Vitest helper: spawns the CCC emulator's CLI (src/emulator/main.ts, bundled once per run by
// test/support/global-setup.ts; through tsx for a mirror's generated folder) as a separate process and wraps its
// unsigned admin API (/__admin/*).
//
//   const server = await startTestServer();              // or { generatedDir } / { openapiPath } of a mirror
//   // point the SDK at server.url, sign with DEFAULT_CREDENTIAL
//   await server.inject({ type: "error", code: "RequestLimitExceeded" });
//   const calls = await server.requests();
//   await server.close();

import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type {
  DataSet,
  Fault,
  PushDelivery,
  PushOptions,
  QueuedFault,
  RecordedRequest,
} from "../../src/emulator/index.js";
import { built } from "../support/built.js";

export type { Fault, FaultType, QueuedFault, RecordedRequest } from "../../src/emulator/index.js";

export interface Credential {
  secretId: string;
  secretKey: string;
  token?: string;
}

export const DEFAULT_CREDENTIAL: Credential = {
  secretId: "AKIDTESTSERVER0000000000000000000000",
  secretKey: "test-secret-key-0123456789abcdefgh",
};

export interface TestServer {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  port: number;
  /** Child process id (for lifecycle assertions). */
  pid: number;
  /** Credentials the server accepts. */
  credentials: Credential[];
  requests(): Promise<RecordedRequest[]>;
  /** The queued faults, with the uses left. */
  faults(): Promise<QueuedFault[]>;
  /** Clears records, queued faults and the clock offset. */
  reset(): Promise<void>;
  inject(fault: Fault): Promise<void>;
  /** Server clock = real clock + ms (affects skew checks and Date headers). */
  setClockOffset(ms: number): Promise<void>;
  /** `POST /__admin/data`: the paging action answers pages of this data set. */
  setDataSet(action: string, dataSet: DataSet): Promise<void>;
  /** `POST /__admin/states`: each call of the action answers the next state over the example. */
  setStates(action: string, states: Record<string, unknown>[]): Promise<void>;
  /** `POST /__admin/push`: sends a data push as CCC does; resolves to the delivery once it ends. */
  push(options: PushOptions): Promise<PushDelivery>;
  /** `GET /__admin/pushes`: the pushes sent. */
  pushes(): Promise<PushDelivery[]>;
  /** `POST /__admin/rate-limit`: refuse calls over `perSecond` per SecretId and action (null: no limit). */
  setRateLimit(perSecond: number | null): Promise<void>;
  /** What the process wrote to stderr so far (its last 64 KiB). */
  stderr(): string;
  /** SIGTERM, wait for exit (5 s), then SIGKILL. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  credentials?: Credential[];
  /** Serve the actions of another generated folder (its client.ts and catalog.ts), e.g. a test mirror's. */
  generatedDir?: string;
  /** Alias of `generatedDir`: the generated folder is the one holding this openapi.json. */
  openapiPath?: string;
  maxSkewSeconds?: number;
  /** How many records the emulator keeps (`--max-records`). */
  maxRecords?: number;
  /** Refuse calls over this many per second per SecretId and action (`--rate-limit-per-second`). */
  rateLimitPerSecond?: number;
}

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const EMULATOR_SOURCE = fileURLToPath(new URL("../../src/emulator/main.ts", import.meta.url));
const START_TIMEOUT_MS = 20_000;
const CLOSE_TIMEOUT_MS = 5_000;
const ADMIN_TIMEOUT_MS = 10_000;
/** A push's answer waits for every attempt: up to 4 of them, each within its own timeout. */
const PUSH_TIMEOUT_MS = 25_000;
const MAX_STDERR_CHARS = 64 * 1024;

export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const credentials = opts.credentials ?? [DEFAULT_CREDENTIAL];
  // --exit-on-stdin-close: stdin is a pipe owned by this process, so the server
  // also goes away if the test runner dies without calling close().
  const generatedDir =
    opts.generatedDir ?? (opts.openapiPath !== undefined ? path.dirname(opts.openapiPath) : undefined);
  // The bundled emulator (test/support/built.ts); another generated folder is TypeScript, loaded through tsx.
  const main = generatedDir === undefined ? [built("emulator/main")] : ["--import", "tsx", EMULATOR_SOURCE];
  const args = [...main, "--port", "0", "--host", "127.0.0.1", "--exit-on-stdin-close"];
  if (generatedDir !== undefined) args.push("--generated", generatedDir);
  for (const c of credentials) {
    if (c.secretKey.includes(":") || c.secretId.includes(":") || c.token?.includes(":")) {
      throw new Error(`credential ${c.secretId}: ':' is not allowed in the id, key or token`);
    }
    args.push(
      "--credential",
      c.token !== undefined ? `${c.secretId}:${c.secretKey}:${c.token}` : `${c.secretId}:${c.secretKey}`,
    );
  }
  if (opts.maxSkewSeconds !== undefined) args.push("--max-skew-seconds", String(opts.maxSkewSeconds));
  if (opts.maxRecords !== undefined) args.push("--max-records", String(opts.maxRecords));
  if (opts.rateLimitPerSecond !== undefined) args.push("--rate-limit-per-second", String(opts.rateLimitPerSecond));

  // cwd: the repository, where `--import tsx` resolves.
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin!.on("error", () => {}); // EPIPE once the server has exited
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => {
    stderr = (stderr + d).slice(-MAX_STDERR_CHARS);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    const onData = (d: string) => {
      stdout += d;
      const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(stdout);
      if (m) {
        cleanup();
        child.stdout!.resume(); // keep draining so the child never blocks
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(new Error(`ccc-emulator exited before listening (code ${code}, signal ${signal})\nstderr:\n${stderr}`));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(`cannot spawn ccc-emulator: ${err.message}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      child.kill("SIGKILL");
      reject(new Error(`ccc-emulator did not start within ${START_TIMEOUT_MS} ms\nstderr:\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });

  const admin = (method: "GET" | "POST", path: string, body?: unknown, timeoutMs = ADMIN_TIMEOUT_MS) =>
    adminCall(port, method, path, body, timeoutMs);
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    credentials,
    async requests() {
      return (await admin("GET", "/__admin/requests")) as RecordedRequest[];
    },
    async faults() {
      return (await admin("GET", "/__admin/faults")) as QueuedFault[];
    },
    async reset() {
      await admin("POST", "/__admin/reset", {});
    },
    async inject(fault: Fault) {
      await admin("POST", "/__admin/faults", fault);
    },
    async setClockOffset(ms: number) {
      await admin("POST", "/__admin/clock", { offsetMs: ms });
    },
    async setDataSet(action: string, dataSet: DataSet) {
      await admin("POST", "/__admin/data", { action, ...dataSet });
    },
    async setStates(action: string, states: Record<string, unknown>[]) {
      await admin("POST", "/__admin/states", { action, states });
    },
    async push(options: PushOptions) {
      return (await admin("POST", "/__admin/push", options, PUSH_TIMEOUT_MS)) as PushDelivery;
    },
    async pushes() {
      return (await admin("GET", "/__admin/pushes")) as PushDelivery[];
    },
    async setRateLimit(perSecond: number | null) {
      await admin("POST", "/__admin/rate-limit", { perSecond });
    },
    stderr() {
      return stderr;
    },
    close() {
      closing ??= terminate(child, exited);
      return closing;
    },
  };
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  if (await settlesWithin(exited, CLOSE_TIMEOUT_MS)) return;
  child.kill("SIGKILL");
  if (!(await settlesWithin(exited, CLOSE_TIMEOUT_MS))) {
    throw new Error(`ccc-emulator (pid ${child.pid}) did not exit after SIGKILL`);
  }
}

function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * One admin request on a fresh connection (agent: false), bounded in time. Every POST says it is JSON: the
 * emulator refuses admin POSTs of any other content type (HTTP 415), so that a web page cannot send one.
 */
function adminCall(
  port: number,
  method: "GET" | "POST",
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body === undefined ? "" : JSON.stringify(body));
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        headers: method === "POST" ? { "Content-Type": "application/json", "Content-Length": payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) {
            reject(new Error(`admin ${method} ${path} -> HTTP ${res.statusCode}: ${text}`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`admin ${method} ${path}: invalid JSON ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`admin ${method} ${path} timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(method === "POST" ? payload : undefined);
  });
}

/**
 * Starts test/support/gateway.mjs (a raw node:net/node:tls HTTP server that closes, resets, stalls or floods the
 * way gateways do) as its own process on 127.0.0.1, and collects what it reports: connections, the requests it
 * read in full, and who closed each connection.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./gateway.mjs", import.meta.url));
const START_TIMEOUT_MS = 10_000;

export interface GatewayConfig {
  readonly mode: "answer" | "huge" | "endless" | "stall-after-read" | "reset-on-accept" | "silent" | "garbage";
  readonly closeAfterAnswer?: boolean;
  readonly idleCloseMs?: number;
  readonly announce?: "none" | "keep-alive" | `timeout=${number}`;
  readonly answerBody?: string;
  readonly answerNestedDepth?: number;
  readonly hugeBytes?: number;
  readonly answerDelayMs?: number;
  readonly tls?: { readonly cert: string; readonly key: string };
}

export type GatewayEvent =
  | { event: "listening"; port: number }
  | { event: "connection"; conn: number }
  | { event: "request"; conn: number; bytes: number; body: string }
  | { event: "closed"; conn: number; by: "server" | "client" };

export interface Gateway {
  readonly port: number;
  /** `http://127.0.0.1:PORT` (or https with `tls`). */
  readonly url: string;
  /** Everything reported so far, in order. */
  readonly events: readonly GatewayEvent[];
  /** The bodies of the requests the server read in full. */
  requests(): string[];
  connections(): number;
  /** Resolves once `predicate` holds for the events, or rejects after `timeoutMs`. */
  until(predicate: (events: readonly GatewayEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves once the server has reported nothing new for `quietMs` (at most `timeoutMs`): counts are final. */
  quiet(quietMs?: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startGateway(config: GatewayConfig): Promise<Gateway> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(config)], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.on("error", () => {});
  const events: GatewayEvent[] = [];
  const waiters = new Set<() => void>();
  let partial = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line) events.push(JSON.parse(line) as GatewayEvent);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const until = (predicate: (events: readonly GatewayEvent[]) => boolean, timeoutMs = 5_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(events)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`gateway: condition not met within ${timeoutMs} ms; events: ${JSON.stringify(events.slice(-10))}`),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  await until((e) => e.some((x) => x.event === "listening"), START_TIMEOUT_MS);
  const port = (events.find((x) => x.event === "listening") as { port: number }).port;
  return {
    port,
    url: `${config.tls ? "https" : "http"}://127.0.0.1:${port}`,
    events,
    requests: () => events.flatMap((e) => (e.event === "request" ? [e.body] : [])),
    connections: () => events.filter((e) => e.event === "connection").length,
    until,
    async quiet(quietMs = 150, timeoutMs = 3_000) {
      const deadline = performance.now() + timeoutMs;
      let seen = -1;
      while (seen !== events.length && performance.now() < deadline) {
        seen = events.length;
        await new Promise((resolve) => setTimeout(resolve, quietMs));
      }
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

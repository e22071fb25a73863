/**
 * Starts test/support/proxy.mjs, a forward HTTP proxy (CONNECT tunnels and absolute-form requests), as its own
 * process on 127.0.0.1, and collects what it reports: each tunnel and each forwarded request, with its
 * Proxy-Authorization and the status it answered.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./proxy.mjs", import.meta.url));

export type ProxyEvent =
  | { event: "listening"; port: number }
  | { event: "connect"; target: string; auth: string | null; status: number }
  | { event: "forward"; method: string; url: string; host: string | null; auth: string | null; status: number }
  | { event: "synced" };

/** An event of what the proxy did (not its listening or synced lines). */
export type Seen = Extract<ProxyEvent, { event: "connect" | "forward" }>;

/** How long the proxy may take to answer a sync. */
const SYNC_TIMEOUT_MS = 5_000;

export interface TestProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /**
   * What it did, without the listening line: every event the proxy reported before this call (its stdout and the
   * client's answer arrive by different paths, so the events are synced first).
   */
  seen(): Promise<Seen[]>;
  close(): Promise<void>;
}

/** `auth`: `user:password` the proxy requires (407 otherwise). */
export async function startProxy(options: { auth?: string } = {}): Promise<TestProxy> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(options)], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.on("error", () => {});
  const events: ProxyEvent[] = [];
  const waiting: (() => void)[] = [];
  let partial = "";
  child.stdout.setEncoding("utf8");
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("proxy: not listening within 10 s")), 10_000);
    child.stdout.on("data", (chunk: string) => {
      partial += chunk;
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (!line) continue;
        const e = JSON.parse(line) as ProxyEvent;
        if (e.event === "synced") {
          waiting.shift()?.();
          continue;
        }
        events.push(e);
        if (e.event === "listening") {
          clearTimeout(timer);
          resolve(e.port);
        }
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await listening;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async seen() {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("proxy: no answer to sync within 5 s")), SYNC_TIMEOUT_MS);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin.write("sync\n");
      });
      return events.filter((e): e is Seen => e.event === "connect" || e.event === "forward");
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

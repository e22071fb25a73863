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
  | { event: "forward"; method: string; url: string; host: string | null; auth: string | null; status: number };

export interface TestProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** What it did, without the listening line. */
  seen(): Exclude<ProxyEvent, { event: "listening" }>[];
  close(): Promise<void>;
}

/** `auth`: `user:password` the proxy requires (407 otherwise). */
export async function startProxy(options: { auth?: string } = {}): Promise<TestProxy> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(options)], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.on("error", () => {});
  const events: ProxyEvent[] = [];
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
    seen: () => events.filter((e): e is Exclude<ProxyEvent, { event: "listening" }> => e.event !== "listening"),
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

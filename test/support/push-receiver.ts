/**
 * Starts test/support/push-receiver.mjs (an app's receiver of CCC's data pushes, built on the shipped
 * ccc-sdk/push) as its own process on 127.0.0.1, and collects what it reports: the pushes its handler got and
 * the pushes it refused.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { built } from "./built.js";

const SCRIPT = fileURLToPath(new URL("./push-receiver.mjs", import.meta.url));
const START_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 5_000;

export interface ReceiverConfig {
  readonly auth: "none" | "basic" | "bearer" | "oauth";
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** The handler throws on its first N calls. */
  readonly failFirst?: number;
  /** The handler takes this long. */
  readonly delayMs?: number;
}

export type ReceiverEvent =
  | { event: "listening"; port: number }
  | { event: "call"; action: string; pushId: string | undefined; payload: Record<string, unknown> }
  | { event: "refused"; status: number; message: string };

export interface Receiver {
  /** `http://127.0.0.1:PORT/ccc/push`: the push URL to give CCC (the emulator). */
  readonly pushUrl: string;
  /** `http://127.0.0.1:PORT/oauth/token`, with `auth: "oauth"`. */
  readonly tokenUrl: string;
  /** The pushes the app's handler was called with, in order. */
  calls(): Extract<ReceiverEvent, { event: "call" }>[];
  /** The pushes the handler refused (`onError`), in order. */
  refusals(): Extract<ReceiverEvent, { event: "refused" }>[];
  close(): Promise<void>;
}

export async function startReceiver(config: ReceiverConfig): Promise<Receiver> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify({ ...config, pushModule: built("push/index") })], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdin.on("error", () => {});
  const events: ReceiverEvent[] = [];
  let partial = "";
  let onListening: ((port: number) => void) | undefined;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line) continue;
      const event = JSON.parse(line) as ReceiverEvent;
      events.push(event);
      if (event.event === "listening") onListening?.(event.port);
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`push receiver did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    onListening = (p) => {
      clearTimeout(timer);
      resolve(p);
    };
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error("push receiver exited before listening"));
    });
  });
  return {
    pushUrl: `http://127.0.0.1:${port}/ccc/push`,
    tokenUrl: `http://127.0.0.1:${port}/oauth/token`,
    calls: () => events.filter((e): e is Extract<ReceiverEvent, { event: "call" }> => e.event === "call"),
    refusals: () => events.filter((e): e is Extract<ReceiverEvent, { event: "refused" }> => e.event === "refused"),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A real `redis-server` process on 127.0.0.1 for the tests of `ccc-sdk/redis`: a free port, no persistence, its own
 * temporary folder, stopped with the test (and by `kill()` mid-test, to see the limiter fall back).
 *
 * Missing `redis-server` fails the test that needs it, loudly, instead of skipping it: a skipped test would let a
 * machine without Redis pass CI while showing nothing. `.ci/run` installs Debian's `redis-server` when it is
 * missing; on a developer's machine, `apt-get install redis-server` (or any Redis 5.0+ on the PATH).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  readonly pid: number;
  /** SIGKILL, as a crash or a lost host would end it; resolves once it has exited. */
  kill(): Promise<void>;
  /** A new redis-server on the same port (after `kill()`), empty as after a crash without persistence. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. Idempotent. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;

/** The redis-server binary, or an Error that says how to get one. */
export function redisServerBinary(): string {
  const found = spawnSync("redis-server", ["--version"], { encoding: "utf8", timeout: 5_000 });
  if (found.error || found.status !== 0)
    throw new Error(
      "redis-server is not installed, and the tests of ccc-sdk/redis need a real one: `apt-get install -y redis-server` (as .ci/run does), or put Redis 5.0+ on the PATH",
    );
  return "redis-server";
}

export async function startRedis(): Promise<RedisServer> {
  const binary = redisServerBinary();
  const dir = await mkdtemp(path.join(os.tmpdir(), "ccc-redis-"));
  let port = 0;
  let child: ChildProcess | undefined;
  for (let tries = 0; tries < 3 && !child; tries++) {
    port = await freePort();
    child = await spawnRedis(binary, port, dir).catch((e: Error) => {
      if (tries === 2) throw e;
      return undefined; // the port was taken between the probe and the bind: another one
    });
  }
  let current = child!;
  let closed = false;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return current.pid!;
    },
    kill: () => stop(current, "SIGKILL"),
    async restart() {
      await stop(current, "SIGKILL");
      current = await spawnRedis(binary, port, dir);
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop(current, "SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on `port`; resolves once it accepts connections. */
function spawnRedis(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--daemonize",
    "no",
    "--loglevel",
    "notice",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (d: Buffer) => {
      output = (output + d.toString("utf8")).slice(-16_384);
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start redis-server: ${e.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited before it was ready (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * workerd (Cloudflare's Workers runtime, the npm package `workerd`), with and without `nodejs_compat`: a worker
 * bundled with esbuild for the browser from the web build (dist/js/web, which the `workerd` condition selects)
 * makes a signed call through the runtime's fetch to the emulator process, which verifies it.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { built } from "../support/built.js";
import { REPO } from "../support/paths.js";

const WORKERD = path.join(REPO, "node_modules", ".bin", "workerd");
/** workerd's start-up (it compiles the worker) and one call. */
const CALL_TIMEOUT_MS = 30_000;

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-workerd-"));
  await writeFile(
    path.join(dir, "app.mjs"),
    `import { CccClient, CccError } from ${JSON.stringify(built("web/index"))};
export default {
  async fetch(request) {
    const endpoint = new URL(request.url).searchParams.get("endpoint");
    const client = new CccClient({ endpoint, credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)}, fetch: (r) => fetch(r), maxRetries: 0 });
    const r = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
    return Response.json({ requestId: r.RequestId.length });
  },
};
`,
  );
  await build({
    entryPoints: [path.join(dir, "app.mjs")],
    outfile: path.join(dir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    absWorkingDir: REPO,
    logLevel: "error",
  });
}, CALL_TIMEOUT_MS);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A port free a moment ago on 127.0.0.1, for workerd's socket. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function config(port: number, flags: readonly string[]): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local", "private"])),
  ],
  sockets = [ ( name = "http", address = "127.0.0.1:${port}", http = (), service = "main" ) ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = [${flags.map((f) => JSON.stringify(f)).join(", ")}],
  globalOutbound = "loopback",
);
`;
}

/** Asks the worker to call the emulator, retrying while workerd starts (bounded by count and time). */
async function askWorker(port: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  for (let attempt = 0; attempt < 100 && Date.now() < deadline; attempt++) {
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/?endpoint=${encodeURIComponent(server.url)}`, {
        signal: AbortSignal.timeout(10_000),
      });
      return { status: answer.status, body: await answer.text() };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error("workerd did not answer in time");
}

describe.each([
  ["without nodejs_compat", [] as string[]],
  ["with nodejs_compat", ["nodejs_compat"]],
])("workerd %s", (_, flags) => {
  it(
    "runs the web build and makes a signed call the emulator verifies",
    async () => {
      await server.reset();
      const port = await freePort();
      const file = path.join(dir, `config-${flags.length}.capnp`);
      await writeFile(file, config(port, flags));
      const child = spawn(WORKERD, ["serve", file], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
      try {
        const answer = await askWorker(port);
        expect(answer, stderr).toEqual({ status: 200, body: JSON.stringify({ requestId: 36 }) });
        const seen = await server.requests();
        expect(seen.map((q) => q.outcome)).toEqual(["ok"]);
        expect(seen[0]!.secretId).toBe(DEFAULT_CREDENTIAL.secretId);
      } finally {
        child.kill("SIGKILL");
      }
    },
    CALL_TIMEOUT_MS + 10_000,
  );
});

/**
 * The web build (dist/js/web, package.json's `browser` and `workerd` conditions): an app bundled for the browser
 * with esbuild (`platform: "browser"`, which refuses any `node:` module) loads it, and, given a `fetch` option and
 * credentials, makes a signed call the emulator verifies. The bundle runs here under Node, whose global fetch
 * stands in for a browser's; it carries no Node module of its own.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { built } from "../support/built.js";
import { REPO } from "../support/paths.js";
import { describeRun, run } from "../support/run.js";

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-web-"));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const APP = (endpoint: string) => `
import { CccClient, CccConfigError } from ${JSON.stringify(built("web/index"))};
const client = new CccClient({ endpoint: ${JSON.stringify(endpoint)}, credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)}, fetch: (r) => fetch(r), maxRetries: 0 });
const ok = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
let without;
try { new CccClient({ credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)} }); } catch (e) { without = e.message; }
console.log(JSON.stringify({ requestId: ok.RequestId.length, without }));
await client.close();
`;

describe("the web build", () => {
  it("bundles for the browser with no node: module, and signs calls the emulator verifies through a fetch", async () => {
    await writeFile(path.join(dir, "app.mjs"), APP(server.url));
    await build({
      entryPoints: [path.join(dir, "app.mjs")],
      outfile: path.join(dir, "bundle.mjs"),
      bundle: true,
      format: "esm",
      platform: "browser",
      absWorkingDir: REPO,
      logLevel: "error",
    });
    const bundle = await readFile(path.join(dir, "bundle.mjs"), "utf8");
    expect(bundle).not.toMatch(/from\s*["']node:|import\(["']node:|require\(["']node:/);
    const r = await run(process.execPath, [path.join(dir, "bundle.mjs")], { timeoutMs: 20_000 });
    expect(r.code, describeRun(r)).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { requestId: number; without: string };
    expect(out.requestId).toBe(36);
    expect(out.without).toContain("needs Node.js; in this runtime pass the client a `fetch` option and `credentials`");
    const seen = await server.requests();
    expect(seen.map((q) => q.outcome)).toEqual(["ok"]);
    expect(seen[0]!.secretId).toBe(DEFAULT_CREDENTIAL.secretId);
  });
});

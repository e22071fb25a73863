/**
 * The runtimes the package runs on, each making a real signed call to the emulator (a Node process on 127.0.0.1,
 * which verifies the TC3 signature and the body against the spec): Node (this one), the newest Node on npm (the
 * `node-<platform>-<arch>` package, installed once into node_modules/.cache: test/support/cached-package.ts), Bun and Deno (dev
 * dependencies `bun` and `deno`, their binaries in node_modules/.bin). The client is the JavaScript the package
 * ships (test/support/built.ts).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { built } from "../support/built.js";
import { cachedPackage, INSTALL_TIMEOUT_MS } from "../support/cached-package.js";
import { REPO } from "../support/paths.js";
import { describeRun, run } from "../support/run.js";

const BIN = path.join(REPO, "node_modules", ".bin");
/** A runtime's start-up and one call; Deno compiles the bundle on its first run. */
const RUN_TIMEOUT_MS = 60_000;

/** The newest Node release on npm when this was written; its platform package holds the binary (`bin/node`). */
const NEWEST_NODE = "26.12.1";
let newestNode = "";

const RUNTIMES: readonly { name: string; command: string; args: (script: string) => string[] }[] = [
  { name: "Node", command: process.execPath, args: (s) => [s] },
  { name: `Node ${NEWEST_NODE}`, command: "", args: (s) => [s] },
  { name: "Bun", command: path.join(BIN, "bun"), args: (s) => [s] },
  { name: "Deno", command: path.join(BIN, "deno"), args: (s) => ["run", "--allow-all", "--no-prompt", s] },
];

let server: TestServer;
let dir: string;
let script: string;
beforeAll(async () => {
  newestNode = path.join(await cachedPackage(`node-${process.platform}-${process.arch}`, NEWEST_NODE), "bin", "node");
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-runtimes-"));
  script = path.join(dir, "app.mjs");
  await writeFile(
    script,
    `import { CccClient, CccError } from ${JSON.stringify(pathToFileURL(built("index")).href)};
const client = new CccClient({ endpoint: process.env.CCC_TEST_ENDPOINT, credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)}, maxRetries: 0 });
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 };
const refused = await client.disableCCCPhoneNumber(input).then(() => "no error", (e) => e instanceof CccError ? e.code : String(e));
const ok = await client.disableCCCPhoneNumber(input);
console.log(JSON.stringify({ refused, requestId: ok.RequestId.length }));
await client.close();
`,
  );
}, INSTALL_TIMEOUT_MS + 20_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(RUNTIMES)("$name", ({ name, command: given, args }) => {
  it(
    "makes signed calls the emulator verifies, and reads its error answers",
    async () => {
      await server.reset();
      await server.inject({
        type: "error",
        action: "DisableCCCPhoneNumber",
        code: "InvalidParameter.InvalidPhoneNumber",
      });
      const command = given || newestNode;
      const r = await run(command, args(script), {
        cwd: dir,
        timeoutMs: RUN_TIMEOUT_MS,
        env: { ...process.env, CCC_TEST_ENDPOINT: server.url, NO_COLOR: "1" },
      });
      expect(r.code, `${name}: ${describeRun(r)}`).toBe(0);
      expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toEqual({
        refused: "InvalidParameter.InvalidPhoneNumber",
        requestId: 36,
      });
      const seen = await server.requests();
      expect(seen.map((q) => q.outcome)).toEqual(["fault:error", "ok"]);
      expect(seen.every((q) => q.secretId === DEFAULT_CREDENTIAL.secretId)).toBe(true);
      expect(seen[1]!.headers["x-tc-requestclient"]).toMatch(/^ccc-sdk\//);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});

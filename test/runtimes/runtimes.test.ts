/**
 * The runtimes the package runs on, each making a real signed call to the emulator (a Node process on 127.0.0.1,
 * which verifies the TC3 signature and the body against the spec): Node (this one), the newest Node on npm (the
 * `node-<platform>-<arch>` package, installed once into node_modules/.cache: test/support/cached-package.ts), the
 * oldest Node 20 the same way (the floor `engines` states), Bun and Deno (dev dependencies `bun` and `deno`, their
 * binaries in node_modules/.bin). The client is the JavaScript the package ships (test/support/built.ts), as an ES
 * module and, where the runtime has `require`, as CommonJS (package.json's `require` condition: dist/cjs).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { built, builtCommonJs } from "../support/built.js";
import { cachedPackage, INSTALL_TIMEOUT_MS } from "../support/cached-package.js";
import { REPO } from "../support/paths.js";
import { describeRun, run } from "../support/run.js";

const BIN = path.join(REPO, "node_modules", ".bin");
/** A runtime's start-up and one call; Deno compiles the bundle on its first run. */
const RUN_TIMEOUT_MS = 60_000;

/** The newest Node release on npm when this was written; its platform package holds the binary (`bin/node`). */
const NEWEST_NODE = "26.12.1";
/** The first Node 20 release: below 20.19 it cannot require() an ES module, so CommonJS apps get dist/cjs. */
const OLDEST_NODE = "20.0.0";
const nodes = new Map<string, string>();

type Format = "ESM" | "CommonJS";
const RUNTIMES: readonly {
  name: string;
  command: () => string;
  args: (script: string) => string[];
  formats: Format[];
}[] = [
  { name: "Node", command: () => process.execPath, args: (s) => [s], formats: ["ESM", "CommonJS"] },
  {
    name: `Node ${NEWEST_NODE}`,
    command: () => nodes.get(NEWEST_NODE)!,
    args: (s) => [s],
    formats: ["ESM", "CommonJS"],
  },
  {
    name: `Node ${OLDEST_NODE}`,
    command: () => nodes.get(OLDEST_NODE)!,
    args: (s) => [s],
    formats: ["ESM", "CommonJS"],
  },
  { name: "Bun", command: () => path.join(BIN, "bun"), args: (s) => [s], formats: ["ESM", "CommonJS"] },
  {
    name: "Deno",
    command: () => path.join(BIN, "deno"),
    args: (s) => ["run", "--allow-all", "--no-prompt", s],
    formats: ["ESM"],
  },
];

/** The calls each runtime makes: one refused by an injected error, one answered. */
const CALLS = (credential: string) => `
const client = new CccClient({ endpoint: process.env.CCC_TEST_ENDPOINT, credentials: ${credential}, maxRetries: 0 });
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 };
const refused = await client.disableCCCPhoneNumber(input).then(() => "no error", (e) => e instanceof CccError ? e.code : String(e));
const ok = await client.disableCCCPhoneNumber(input);
console.log(JSON.stringify({ refused, requestId: ok.RequestId.length }));
await client.close();
`;

let server: TestServer;
let dir: string;
const scripts = new Map<Format, string>();
beforeAll(
  async () => {
    for (const version of [NEWEST_NODE, OLDEST_NODE]) {
      const pkg = await cachedPackage(`node-${process.platform}-${process.arch}`, version);
      nodes.set(version, path.join(pkg, "bin", "node"));
    }
    server = await startTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), "ccc-runtimes-"));
    const credential = JSON.stringify(DEFAULT_CREDENTIAL);
    scripts.set("ESM", path.join(dir, "app.mjs"));
    await writeFile(
      scripts.get("ESM")!,
      `import { CccClient, CccError } from ${JSON.stringify(pathToFileURL(built("index")).href)};\n${CALLS(credential)}`,
    );
    scripts.set("CommonJS", path.join(dir, "app.cjs"));
    await writeFile(
      scripts.get("CommonJS")!,
      `const { CccClient, CccError } = require(${JSON.stringify(builtCommonJs("index"))});\n(async () => {${CALLS(credential)}})();\n`,
    );
  },
  2 * INSTALL_TIMEOUT_MS + 20_000,
);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const CASES = RUNTIMES.flatMap((r) => r.formats.map((format) => ({ ...r, format })));

describe.each(CASES)("$name, $format", ({ name, command, args, format }) => {
  it(
    "makes signed calls the emulator verifies, and reads its error answers",
    async () => {
      await server.reset();
      await server.inject({
        type: "error",
        action: "DisableCCCPhoneNumber",
        code: "InvalidParameter.InvalidPhoneNumber",
      });
      const r = await run(command(), args(scripts.get(format)!), {
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

/**
 * The published artefact: `npm pack` the project, install the tarball into an empty app, and use it there
 * (types included) against the independent test server, as an internal app would.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { REPO } from "../support/paths.js";
import { cachedPackage } from "../support/cached-package.js";
import { startProxy } from "../support/proxy.js";
import { describeRun, run as runCommand, type RunOptions } from "../support/run.js";

const root = REPO;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** `npm pack` builds the package first (prepack: `npm run build`), then `npm install` from the tarball. */
const PACK_TIMEOUT_MS = 180_000;
const INSTALL_TIMEOUT_MS = 180_000;
/** tsc over the installed package's declarations (skipLibCheck off). */
const TSC_TIMEOUT_MS = 120_000;
/** One run of the installed app or command. */
const APP_TIMEOUT_MS = 30_000;

/** Runs a command to its end and fails the test, with its output, unless it exits 0. */
async function run(
  command: string,
  args: readonly string[],
  opts: Omit<RunOptions, "timeoutMs"> & { timeoutMs?: number } = {},
) {
  const r = await runCommand(command, args, { timeoutMs: APP_TIMEOUT_MS, ...opts });
  if (r.code !== 0) throw new Error(`${command} ${args.join(" ")}: ${describeRun(r)}`);
  return r;
}
let tmp: string;
let app: string;
let tarball: string;
let server: TestServer;

const APP = `
import { CccClient, CccError, isCccError } from "ccc-sdk";
import { createPushHandler } from "ccc-sdk/push";

const client = new CccClient({
  endpoint: process.env.CCC_ENDPOINT,
  credentials: { secretId: process.env.CCC_SECRET_ID!, secretKey: process.env.CCC_SECRET_KEY! },
});
const disabled = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1, SdkAppId: 1400000000 });
const modified = await client.modifyOwnNumberApply({
  SdkAppId: 1400000000,
  ApplyId: 1,
  DetailList: [{ CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
});
let code = "none";
try {
  await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 0 });
} catch (e) {
  if (isCccError(e) && e.action === "DisableCCCPhoneNumber") code = e.code;
  else if (e instanceof CccError) code = "other " + e.code;
  else throw e;
}
const push = createPushHandler({ auth: { none: true }, onCdr: (cdr) => void cdr.SdkAppId });
console.log(JSON.stringify({ disabled: disabled.RequestId.length, modified: modified.RequestId.length, code, push: push.maxBodyBytes }));
`;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "ccc-pack-"));
  const packed = await run(npm, ["pack", "--json", "--pack-destination", tmp], {
    cwd: root,
    timeoutMs: PACK_TIMEOUT_MS,
  });
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = path.join(tmp, info[0]!.filename);
  app = path.join(tmp, "app");
  await mkdir(app, { recursive: true });
  await writeFile(
    path.join(app, "package.json"),
    JSON.stringify({
      name: "empty-app",
      private: true,
      type: "module",
      dependencies: { "ccc-sdk": `file:${tarball}` },
    }),
  );
  await run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], {
    cwd: app,
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  await writeFile(path.join(app, "app.ts"), APP);
  server = await startTestServer();
}, PACK_TIMEOUT_MS + INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The environment APP reads: the test server and its credentials, and `extra`. */
function appEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CCC_ENDPOINT: server.url,
    CCC_SECRET_ID: DEFAULT_CREDENTIAL.secretId,
    CCC_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey,
    ...extra,
  };
}

/** Faults are FIFO per action: APP's first DisableCCCPhoneNumber call takes a harmless 1 ms delay, the second an error. */
async function injectAppFaults(): Promise<void> {
  await server.inject({ type: "delay", action: "DisableCCCPhoneNumber", ms: 1 });
  await server.inject({
    type: "error",
    action: "DisableCCCPhoneNumber",
    code: "FailedOperation.CurStateNotAllowModify",
  });
}

/**
 * What the emulator apps do, whichever way they load the package; their rate limit is ccc-sdk/redis's, over a
 * stand-in for a Redis client that books every call for now (wait 0).
 */
const EMULATOR_CALLS = `
const emulator = await startEmulator();
const booked = [];
const rateLimit = redisRateLimiter({ redis: async (args) => (booked.push(args[0]), 0) });
const client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL, maxRetries: 0, rateLimit });
const ok = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
emulator.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "InvalidParameter.InvalidPhoneNumber" });
const code = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 }).catch((e) => e instanceof CccError ? e.code : String(e));
console.log(JSON.stringify({ ok: ok.RequestId.length, code, seen: emulator.requests().length, booked }));
client.close();
await emulator.close();
`;

const EMULATOR_APP = `
import { CccClient, CccError } from "ccc-sdk";
import { DEMO_CREDENTIAL, startEmulator } from "ccc-sdk/emulator";
import { redisRateLimiter } from "ccc-sdk/redis";
${EMULATOR_CALLS}`;

/** The same app as CommonJS: `require()` of the package (its `require` condition: dist/cjs). */
const EMULATOR_APP_CJS = `
const { CccClient, CccError } = require("ccc-sdk");
const { DEMO_CREDENTIAL, startEmulator } = require("ccc-sdk/emulator");
const { redisRateLimiter } = require("ccc-sdk/redis");
(async () => {${EMULATOR_CALLS}})();
`;

/** Jest, for its default runner: CommonJS modules through its own require(), which has no require() of ESM. */
const JEST_VERSION = "30.5.2";
const JEST_TIMEOUT_MS = 60_000;
const JEST_TEST = `
const { CccClient, CccError } = require("ccc-sdk");
const { DEMO_CREDENTIAL, startEmulator } = require("ccc-sdk/emulator");
test("a signed call to the emulator, directly and through a custom fetch", async () => {
  const emulator = await startEmulator();
  try {
    const client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL, maxRetries: 0 });
    const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 };
    expect((await client.disableCCCPhoneNumber(input)).RequestId).toHaveLength(36);
    const fetched = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL, fetch: (r, i) => fetch(r, i) });
    expect((await fetched.disableCCCPhoneNumber(input)).RequestId).toHaveLength(36);
    emulator.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "InvalidParameter.InvalidPhoneNumber" });
    await expect(client.disableCCCPhoneNumber(input)).rejects.toBeInstanceOf(CccError);
    client.close();
    fetched.close();
  } finally {
    await emulator.close();
  }
});
`;

/** An ES module app that also require()s the package (as a CommonJS dependency of it would): two copies. */
const DUAL_APP = `
import { createRequire } from "node:module";
import * as esm from "ccc-sdk";
import { DEMO_CREDENTIAL, startEmulator } from "ccc-sdk/emulator";
const cjs = createRequire(import.meta.url)("ccc-sdk");
const emulator = await startEmulator();
const client = new cjs.CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL, maxRetries: 0 });
emulator.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "InvalidParameter.InvalidPhoneNumber" });
const e = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 }).catch((e) => e);
class AppError extends esm.CccError {}
console.log(JSON.stringify({
  twoCopies: cjs.CccClient !== esm.CccClient,
  sdkError: e instanceof esm.CccSdkError,
  apiError: e instanceof esm.CccError,
  guard: esm.isCccError(e),
  otherClass: e instanceof esm.CccValidationError,
  appSubclass: e instanceof AppError,
  ownSubclass: new AppError({ action: "A", code: "C", message: "m", requestId: "r", httpStatus: 200 }) instanceof AppError,
}));
client.close();
await emulator.close();
`;

/** A CommonJS TypeScript module using the four entry points, type-checked under each module setting below. */
const CJS_TS_APP = `
import { CccClient, type DisableCCCPhoneNumberRequest } from "ccc-sdk";
import { DEMO_CREDENTIAL } from "ccc-sdk/emulator";
import { createPushHandler, type RecordPush } from "ccc-sdk/push";
import { redisRateLimiter } from "ccc-sdk/redis";
const input: DisableCCCPhoneNumberRequest = { PhoneNumbers: ["008602112345678"], Disabled: 1 };
const rateLimit = redisRateLimiter({ redis: async () => 0 });
export const call = () => new CccClient({ credentials: DEMO_CREDENTIAL, rateLimit }).disableCCCPhoneNumber(input);
export const push = createPushHandler({ auth: { bearer: "t" }, onRecord: (r: RecordPush) => r.RecordURL.length });
`;

/**
 * An app's receiver of CCC's data pushes on node:http (ccc-sdk/push), fed by the shipped emulator: a recording
 * pushed with Basic auth, taken at the first attempt.
 */
const PUSH_APP = `
import http from "node:http";
import { startEmulator } from "ccc-sdk/emulator";
import { createPushHandler, toNodeHandler } from "ccc-sdk/push";
const got = [];
const push = createPushHandler({
  auth: { basic: { username: "ccc", password: "pw" } },
  onRecord: (recording, { pushId }) => void got.push([pushId, recording.RecordURL.length > 0]),
});
const server = http.createServer(toNodeHandler(push));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const emulator = await startEmulator();
const delivery = await emulator.push({
  url: \`http://127.0.0.1:\${server.address().port}/ccc\`,
  push: "record",
  auth: { type: "basic", username: "ccc", password: "pw" },
});
console.log(JSON.stringify({ outcomes: delivery.attempts.map((a) => a.outcome), got: got.map(([id, url]) => [id === delivery.uuid, url]) }));
await emulator.close();
server.close();
`;

/** The push handler from CommonJS: require("ccc-sdk/push") (dist/cjs) answers a web Request. */
const PUSH_APP_CJS = `
const { createPushHandler } = require("ccc-sdk/push");
const handle = createPushHandler({ auth: { none: true }, onRecord: () => {} });
const body = JSON.stringify({ SdkAppId: 1, SessionId: "s", RecordURL: "https://r" });
const headers = { "Content-Type": "application/json;charset=utf8" };
handle(new Request("http://127.0.0.1/?action=record&version=1", { method: "POST", headers, body })).then(async (r) =>
  console.log(r.status, await r.text()),
);
`;

/** Options left undefined on purpose, as apps pass what the environment may not set. */
const NODE_TS_APP = `
import { CccClient, type CccClientOptions } from "ccc-sdk";
import { DEMO_CREDENTIAL } from "ccc-sdk/emulator";
const options: CccClientOptions = {
  credentials: DEMO_CREDENTIAL,
  endpoint: process.env.MY_ENDPOINT,
  region: process.env.MY_REGION,
  timeoutMs: undefined,
};
const client = new CccClient(options);
export const call = () =>
  client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 }, { signal: undefined, timeoutMs: undefined });
`;

/** An app traced with the OpenTelemetry SDK: ccc-sdk/otel's spans, as ES module and through require(). */
const OTEL_CALLS = `
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const stop = instrumentCcc({ tracerProvider: provider });
const emulator = await startEmulator();
const client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL, backoff: { baseMs: 1, maxMs: 5 } });
emulator.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "RequestLimitExceeded" });
await provider.getTracer("app").startActiveSpan("app", async (parent) => {
  await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
  parent.end();
});
const [call, app] = exporter.getFinishedSpans();
console.log(JSON.stringify({
  name: call.name,
  system: call.attributes["rpc.system"],
  attempts: call.events.map((e) => e.attributes["ccc.attempt.outcome"]),
  child: call.parentSpanContext?.spanId === app.spanContext().spanId,
}));
stop();
client.close();
await emulator.close();
`;
const OTEL_APP = `
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { CccClient } from "ccc-sdk";
import { DEMO_CREDENTIAL, startEmulator } from "ccc-sdk/emulator";
import { instrumentCcc } from "ccc-sdk/otel";
${OTEL_CALLS}`;
const OTEL_APP_CJS = `
const { context } = require("@opentelemetry/api");
const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const { CccClient } = require("ccc-sdk");
const { DEMO_CREDENTIAL, startEmulator } = require("ccc-sdk/emulator");
const { instrumentCcc } = require("ccc-sdk/otel");
(async () => {${OTEL_CALLS}})();
`;
/** Type-checked against the installed declarations: the options take a provider, the result is the disposer. */
const OTEL_TS_APP = `
import { trace } from "@opentelemetry/api";
import { instrumentCcc, type CccInstrumentationOptions } from "ccc-sdk/otel";
import { CCC_CALL_CHANNEL, type CccCallMessage } from "ccc-sdk";
const options: CccInstrumentationOptions = { tracerProvider: trace.getTracerProvider() };
const stop: () => void = instrumentCcc(options);
export const seen = (m: CccCallMessage): string => \`\${CCC_CALL_CHANNEL} \${m.action} \${m.attempts}\`;
stop();
`;

describe("npm pack → install into an empty app", () => {
  it("ships the built runtime, generated code and types, and nothing else (the 800 KB OpenAPI document stays in the repository)", async () => {
    const listing = await run("tar", ["-tzf", tarball]);
    const files = listing.stdout
      .trim()
      .split("\n")
      .map((f) => f.replace(/^package\//, ""));
    expect(files).toContain("dist/js/index.js");
    expect(files).toContain("dist/js/emulator/index.js");
    expect(files).toContain("dist/js/cli/main.js");
    expect(files).toContain("dist/src/index.d.ts");
    expect(files).toContain("dist/generated/actions/ModifyOwnNumberApply.d.ts");
    expect(files).toContain("dist/cjs/index.cjs");
    expect(files).toContain("dist/cjs/emulator/index.cjs");
    expect(files).toContain("dist/js/redis/index.js");
    expect(files).toContain("dist/cjs/redis/index.cjs");
    expect(files).toContain("dist/cjs/index.d.cts");
    // ccc-sdk/otel, for both builds, with its declarations.
    for (const f of [
      "dist/js/otel/index.js",
      "dist/cjs/otel/index.cjs",
      "dist/src/otel/index.d.ts",
      "dist/cjs/otel/index.d.cts",
    ])
      expect(files).toContain(f);
    expect(files).toContain("dist/js/push/index.js");
    expect(files).toContain("dist/cjs/push/index.cjs");
    expect(files).toContain("dist/cjs/push/index.d.cts");
    // The CLI's help and the emulator's answers, as compressed data rather than 300 KB of JavaScript.
    expect(files).toContain("dist/data/catalog.json.br");
    // JavaScript only as the bundled entries and their shared chunks; declarations stay per module.
    expect(files.filter((f) => f.endsWith(".js") && !f.startsWith("dist/js/"))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".cjs") && !f.startsWith("dist/cjs/"))).toEqual([]);
    expect(files).not.toContain("generated/openapi.json");
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files).toContain("README.md");
    // The license, the attribution of Tencent's Apache-2.0 definitions, and the release notes.
    for (const f of ["LICENSE", "NOTICE", "CHANGELOG.md"]) expect(files).toContain(f);
    // Every relative link of the README shipped goes to a file shipped with it.
    const readme = await readFile(path.join(root, "README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\((?!https?:|#)([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(3);
    expect(targets.filter((t) => !files.includes(t))).toEqual([]);
    expect(
      files.filter((f) => /^(spec|codegen|test|src)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts"))),
    ).toEqual([]);
  });

  it("has a package.json npm publishes as it is: `npm pkg fix` changes nothing (it dropped the bins once)", async () => {
    const copy = path.join(tmp, "pkg-fix");
    await mkdir(copy, { recursive: true });
    const original = await readFile(path.join(root, "package.json"), "utf8");
    await writeFile(path.join(copy, "package.json"), original);
    await run(npm, ["pkg", "fix"], { cwd: copy });
    expect(await readFile(path.join(copy, "package.json"), "utf8")).toBe(original);
  });

  it("installs only openapi-fetch (and what it needs) as dependencies", async () => {
    const installed = (await readdir(path.join(app, "node_modules"))).filter((d) => !d.startsWith("."));
    expect(installed.sort()).toEqual(["ccc-sdk", "openapi-fetch", "openapi-typescript-helpers"]);
  });

  it(
    "type-checks an app against the installed package's exports map, and a wrong call does not",
    async () => {
      await writeFile(
        path.join(app, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: "NodeNext",
            moduleResolution: "NodeNext",
            target: "ES2022",
            noEmit: true,
            types: [],
            skipLibCheck: false,
            // The package's declarations are checked; TypeScript's own lib files need no checking here.
            skipDefaultLibCheck: true,
            lib: ["ES2023", "DOM"],
          },
          files: ["app.ts", "env.d.ts"],
        }),
      );
      await writeFile(
        path.join(app, "env.d.ts"),
        "declare const process: { env: Record<string, string | undefined> };\n",
      );
      await writeFile(
        path.join(app, "bad.ts"),
        `import { CccClient } from "ccc-sdk";\nawait new CccClient().disableCCCPhoneNumber({ PhoneNumbers: ["0086"], Disabled: 2 });\n`,
      );
      await writeFile(
        path.join(app, "tsconfig.all.json"),
        JSON.stringify({ extends: "./tsconfig.json", files: ["app.ts", "bad.ts", "env.d.ts"] }),
      );
      // One tsc over app.ts, bad.ts and the package's declarations: its only error is bad.ts's wrong call, so
      // app.ts and every declaration it reaches type-check.
      const tsc = path.join(root, "node_modules/.bin/tsc");
      const checked = await runCommand(tsc, ["-p", path.join(app, "tsconfig.all.json"), "--pretty", "false"], {
        cwd: app,
        timeoutMs: TSC_TIMEOUT_MS,
      });
      expect(checked.timedOut, describeRun(checked)).toBe(false);
      expect(checked.code, describeRun(checked)).not.toBe(0);
      expect(checked.code, describeRun(checked)).not.toBeNull();
      // Each diagnostic with its continuation lines (tsc indents those).
      const diagnostics = (checked.stdout + checked.stderr).split("\n").reduce<string[]>((all, line) => {
        if (/^\s+\S/.test(line) && all.length) all[all.length - 1] += `\n${line}`;
        else if (line.trim()) all.push(line);
        return all;
      }, []);
      expect(diagnostics, describeRun(checked)).toEqual([
        expect.stringMatching(/^bad\.ts\(2,\d+\): error TS\d+: [\s\S]*Type '2' is not assignable to type '0 \| 1'/),
      ]);
    },
    TSC_TIMEOUT_MS + 10_000,
  );

  it(
    "calls both seed actions and a documented error through the installed package",
    { timeout: APP_TIMEOUT_MS + 10_000 },
    async () => {
      await server.reset();
      const script = APP.replace(/!/g, ""); // plain JavaScript for node: the non-null assertions are its only TypeScript
      await writeFile(path.join(app, "app.mjs"), script);
      const env = appEnv();
      await injectAppFaults();
      const { stdout } = await run(process.execPath, ["app.mjs"], { cwd: app, env });
      expect(JSON.parse(stdout.trim())).toEqual({
        disabled: 36,
        modified: 36,
        code: "FailedOperation.CurStateNotAllowModify",
        push: 1024 * 1024,
      });
      const seen = await server.requests();
      expect(seen.map((r) => [r.action, r.outcome])).toEqual([
        ["DisableCCCPhoneNumber", "ok"],
        ["ModifyOwnNumberApply", "ok"],
        ["DisableCCCPhoneNumber", "fault:error"],
      ]);
      const pkg = JSON.parse(await readFile(path.join(app, "node_modules/ccc-sdk/package.json"), "utf8"));
      expect(pkg.name).toBe("ccc-sdk");
    },
  );

  it(
    "lets an app test its CCC code against the shipped emulator (ccc-sdk/emulator), and exits by itself",
    { timeout: APP_TIMEOUT_MS + 10_000 },
    async () => {
      await writeFile(path.join(app, "emulated.mjs"), EMULATOR_APP);
      const { stdout } = await run(process.execPath, ["emulated.mjs"], { cwd: app });
      expect(JSON.parse(stdout.trim())).toEqual({
        ok: 36,
        code: "InvalidParameter.InvalidPhoneNumber",
        seen: 2,
        booked: ["EVALSHA", "EVALSHA"],
      });
    },
  );

  it(
    "works from CommonJS: require() of both entry points calls the emulator",
    { timeout: APP_TIMEOUT_MS + 10_000 },
    async () => {
      await writeFile(path.join(app, "emulated.cjs"), EMULATOR_APP_CJS);
      const { stdout, stderr } = await run(process.execPath, ["emulated.cjs"], { cwd: app });
      expect(JSON.parse(stdout.trim())).toEqual({
        ok: 36,
        code: "InvalidParameter.InvalidPhoneNumber",
        seen: 2,
        booked: ["EVALSHA", "EVALSHA"],
      });
      expect(stderr).toBe("");
    },
  );

  it(
    "receives CCC's data pushes with ccc-sdk/push, fed by the shipped emulator, from ES modules and CommonJS",
    { timeout: APP_TIMEOUT_MS + 10_000 },
    async () => {
      await writeFile(path.join(app, "push.mjs"), PUSH_APP);
      const esm = await run(process.execPath, ["push.mjs"], { cwd: app });
      expect(JSON.parse(esm.stdout.trim())).toEqual({ outcomes: ["accepted"], got: [[true, true]] });
      await writeFile(path.join(app, "push.cjs"), PUSH_APP_CJS);
      const cjs = await run(process.execPath, ["push.cjs"], { cwd: app });
      expect(cjs.stdout.trim()).toBe('200 {"ErrCode":0,"ErrMsg":""}');
      expect(cjs.stderr).toBe("");
    },
  );

  it(
    "type-checks a CommonJS module importing the three entry points under module nodenext and node16, and under node10 resolution",
    async () => {
      await writeFile(path.join(app, "cjs-app.cts"), CJS_TS_APP);
      await writeFile(path.join(app, "legacy-app.ts"), CJS_TS_APP);
      await writeFile(path.join(app, "node-app.ts"), NODE_TS_APP);
      // The fetch types (Request, AbortSignal) come from DOM here, as in the ESM check above.
      const base = {
        strict: true,
        target: "ES2022",
        noEmit: true,
        types: [],
        skipLibCheck: false,
        lib: ["ES2023", "DOM"],
      };
      const configs = {
        "tsconfig.cjs.json": {
          compilerOptions: { ...base, module: "NodeNext", moduleResolution: "NodeNext" },
          files: ["cjs-app.cts"],
        },
        // node16 has no require() of an ES module: the .d.cts must be CommonJS declarations of their own.
        "tsconfig.node16.json": {
          compilerOptions: { ...base, module: "Node16", moduleResolution: "Node16" },
          files: ["cjs-app.cts"],
        },
        "tsconfig.node10.json": {
          compilerOptions: { ...base, module: "CommonJS", moduleResolution: "node10" },
          files: ["legacy-app.ts"],
        },
        // A Node project without DOM: the fetch types come from @types/node; explicit `undefined` options allowed.
        "tsconfig.node-types.json": {
          compilerOptions: {
            ...base,
            module: "NodeNext",
            moduleResolution: "NodeNext",
            lib: ["ES2022"],
            types: ["node"],
            typeRoots: [path.join(root, "node_modules", "@types")],
            exactOptionalPropertyTypes: true,
          },
          files: ["node-app.ts"],
        },
      };
      const tsc = path.join(root, "node_modules/.bin/tsc");
      // Side by side: each is a program of its own over the package's 700 KB of declarations.
      await Promise.all(
        Object.entries(configs).map(async ([file, config]) => {
          await writeFile(path.join(app, file), JSON.stringify(config));
          const checked = await runCommand(tsc, ["-p", path.join(app, file), "--pretty", "false"], {
            cwd: app,
            timeoutMs: TSC_TIMEOUT_MS,
          });
          expect(checked.code, `${file}: ${describeRun(checked)}`).toBe(0);
        }),
      );
    },
    TSC_TIMEOUT_MS + 10_000,
  );

  it(
    "type-checks with the lowest TypeScript supported, 5.0 (skipLibCheck: openapi-fetch's own types need a newer one)",
    async () => {
      await writeFile(path.join(app, "lowest-app.ts"), CJS_TS_APP);
      await writeFile(
        path.join(app, "lowest-bad.ts"),
        `import type { DisableCCCPhoneNumberRequest } from "ccc-sdk";\nexport const bad: DisableCCCPhoneNumberRequest = { PhoneNumbers: ["x"], Disabled: 2 };\n`,
      );
      const compilerOptions = {
        strict: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        noEmit: true,
        types: [],
        lib: ["ES2023", "DOM"],
        skipLibCheck: true,
      };
      await writeFile(
        path.join(app, "tsconfig.lowest.json"),
        JSON.stringify({ compilerOptions, files: ["lowest-app.ts", "lowest-bad.ts"] }),
      );
      const tsc = path.join(await cachedPackage("typescript", "5.0.4"), "bin", "tsc");
      const checked = await runCommand(
        process.execPath,
        [tsc, "-p", path.join(app, "tsconfig.lowest.json"), "--pretty", "false"],
        {
          cwd: app,
          timeoutMs: TSC_TIMEOUT_MS,
        },
      );
      expect(checked.stdout.trim().split("\n"), describeRun(checked)).toEqual([
        expect.stringMatching(/^lowest-bad\.ts\(2,\d+\): error TS2322: Type '2' is not assignable to type '0 \| 1'/),
      ]);
    },
    TSC_TIMEOUT_MS + 180_000,
  );

  it("are the types wrong (attw): no problem in any resolution mode", async () => {
    const attw = path.join(await cachedPackage("@arethetypeswrong/cli", "0.18.5"), "dist", "index.js");
    const r = await runCommand(process.execPath, [attw, tarball, "--format", "ascii", "--no-color"], {
      timeoutMs: 60_000,
    });
    const modes = r.stdout
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^(node10|node16 \(from (CJS|ESM)\)|bundler):/.test(l));
    // "ccc-sdk", "ccc-sdk/emulator" and "ccc-sdk/otel" alike: node16 from CommonJS resolves the CommonJS build
    // and its .d.cts.
    const each = ["node10: 🟢", "node16 (from CJS): 🟢 (CJS)", "node16 (from ESM): 🟢 (ESM)", "bundler: 🟢"];
    expect(modes.slice(0, 12), describeRun(r)).toEqual([...each, ...each, ...each]);
    expect(r.stdout, describeRun(r)).toContain("No problems found");
  }, 200_000);

  it(
    "runs under Jest's default (CommonJS) runner: both entry points, the fetch path, an API error",
    { timeout: JEST_TIMEOUT_MS + INSTALL_TIMEOUT_MS },
    async () => {
      const jest = path.join(await cachedPackage("jest", JEST_VERSION), "bin", "jest.js");
      const jestApp = path.join(app, "jest-app");
      await mkdir(jestApp, { recursive: true });
      await writeFile(path.join(jestApp, "package.json"), JSON.stringify({ name: "jest-app", type: "commonjs" }));
      await writeFile(path.join(jestApp, "emulated.test.js"), JEST_TEST);
      const r = await runCommand(process.execPath, [jest, "--ci", "--no-watchman", "--rootDir", jestApp], {
        cwd: jestApp,
        timeoutMs: JEST_TIMEOUT_MS,
        env: { ...process.env, NO_COLOR: "1" },
      });
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    },
  );

  it(
    "one process loading both builds (import and require): errors of one are instanceof the other's classes",
    { timeout: APP_TIMEOUT_MS + 10_000 },
    async () => {
      await writeFile(path.join(app, "dual.mjs"), DUAL_APP);
      const { stdout } = await run(process.execPath, ["dual.mjs"], { cwd: app });
      expect(JSON.parse(stdout.trim())).toEqual({
        twoCopies: true,
        sdkError: true,
        apiError: true,
        guard: true,
        otherClass: false,
        appSubclass: false,
        ownSubclass: true,
      });
    },
  );

  it("resolves the web build for a browser bundle (the browser condition): no node: module in it", async () => {
    await writeFile(
      path.join(app, "browser-app.mjs"),
      `import { CccClient } from "ccc-sdk";\nexport const client = new CccClient({ fetch: (r) => fetch(r), credentials: { secretId: "AKID", secretKey: "k" } });\n`,
    );
    const { build } = await import("esbuild");
    const result = await build({
      entryPoints: [path.join(app, "browser-app.mjs")],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      absWorkingDir: app,
      metafile: true,
      logLevel: "error",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("node_modules/ccc-sdk/dist/js/web/index.js");
    expect(inputs.some((i) => i.startsWith("node:"))).toBe(false);
  });

  it(
    "a proxied app: HTTP_PROXY sends the installed client's calls through a real proxy",
    { timeout: APP_TIMEOUT_MS + 10_000 },
    async () => {
      await server.reset();
      const proxy = await startProxy();
      try {
        const script = APP.replace(/!/g, "");
        await writeFile(path.join(app, "proxied.mjs"), script);
        const env = appEnv({ HTTP_PROXY: proxy.url, NO_PROXY: "" });
        await injectAppFaults();
        const { stdout } = await run(process.execPath, ["proxied.mjs"], { cwd: app, env });
        expect(JSON.parse(stdout.trim())).toMatchObject({ code: "FailedOperation.CurStateNotAllowModify" });
        const forwarded = (await proxy.seen()).filter((e) => e.event === "forward");
        expect(forwarded).toHaveLength(3);
        expect(forwarded.every((e) => e.status === 200 && e.url === `${server.url}/`)).toBe(true);
        expect((await server.requests()).length).toBe(forwarded.length);
      } finally {
        await proxy.close();
      }
    },
  );

  it(
    "traces calls with ccc-sdk/otel in an app that has the OpenTelemetry SDK (ES module, CommonJS, types)",
    { timeout: INSTALL_TIMEOUT_MS + TSC_TIMEOUT_MS + 2 * APP_TIMEOUT_MS },
    async () => {
      // @opentelemetry/api is an optional peer: the app above went without it; this one installs it, with the
      // SDK packages at the versions this repository tests with.
      const { devDependencies } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
        devDependencies: Record<string, string>;
      };
      const otel = ["@opentelemetry/api", "@opentelemetry/context-async-hooks", "@opentelemetry/sdk-trace-base"];
      const otelApp = path.join(tmp, "otel-app");
      await mkdir(otelApp, { recursive: true });
      await writeFile(
        path.join(otelApp, "package.json"),
        JSON.stringify({
          name: "otel-app",
          private: true,
          type: "module",
          dependencies: {
            "ccc-sdk": `file:${tarball}`,
            ...Object.fromEntries(otel.map((name) => [name, devDependencies[name]])),
          },
        }),
      );
      await run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], {
        cwd: otelApp,
        timeoutMs: INSTALL_TIMEOUT_MS,
      });
      await writeFile(path.join(otelApp, "traced.mjs"), OTEL_APP);
      await writeFile(path.join(otelApp, "traced.cjs"), OTEL_APP_CJS);
      const expected = {
        name: "ccc.DisableCCCPhoneNumber",
        system: "tencentcloud-api",
        attempts: ["retry", "success"],
        child: true,
      };
      for (const script of ["traced.mjs", "traced.cjs"]) {
        const { stdout } = await run(process.execPath, [script], { cwd: otelApp });
        expect(JSON.parse(stdout.trim()), script).toEqual(expected);
      }
      await writeFile(path.join(otelApp, "typed.ts"), OTEL_TS_APP);
      const compilerOptions = {
        strict: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        noEmit: true,
        types: [],
        skipLibCheck: false,
        lib: ["ES2023", "DOM"],
      };
      await writeFile(path.join(otelApp, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["typed.ts"] }));
      const tsc = path.join(root, "node_modules/.bin/tsc");
      const checked = await runCommand(tsc, ["-p", path.join(otelApp, "tsconfig.json"), "--pretty", "false"], {
        cwd: otelApp,
        timeoutMs: TSC_TIMEOUT_MS,
      });
      expect(checked.code, describeRun(checked)).toBe(0);
    },
  );

  it("installs the ccc and ccc-emulator commands", { timeout: APP_TIMEOUT_MS + 10_000 }, async () => {
    const bin = path.join(app, "node_modules", ".bin");
    const [version, help, emulatorHelp] = await Promise.all([
      run(path.join(bin, "ccc"), ["--version"], { cwd: app }),
      run(path.join(bin, "ccc"), ["DisableCCCPhoneNumber", "--help"], { cwd: app }),
      run(path.join(bin, "ccc-emulator"), ["--help"], { cwd: app }),
    ]);
    const { version: published } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8"));
    expect(version.stdout).toBe(`ccc ${published} (ccc API 2020-02-10)\n`);
    expect(help.stdout).toContain("PhoneNumbers");
    expect(emulatorHelp.stdout).toContain("usage: ccc-emulator");
  });
});

/**
 * The published executable: `npm run build`'s bundle (codegen/build-dist.ts) into a temporary folder laid
 * out like the package (package.json, dist/, node_modules), started through a symlink the way npm links `bin`
 * entries, by its `#!/usr/bin/env node` line.
 */
import { chmod, mkdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildDist } from "../../codegen/build-dist.js";
import { startTestServer, type TestServer } from "../server/harness.js";
import { createMirror, type Mirror } from "../support/mirror.js";
import { run } from "../support/run.js";
import { CREDENTIAL_ENV, expectNoSecrets, MAIN, noCredentialsEnv, ROOT, runProcess } from "./helpers.js";

const BUILD_TIMEOUT_MS = 120_000;

let mirror: Mirror | undefined;
let root: string | undefined;
let bin: string;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  // package.json and node_modules/ only: no spec/, no src/ the bundle could reach.
  mirror = await createMirror({ spec: "none", linkSrc: false });
  root = mirror.dir;
  // The build `npm run build` makes (codegen/build-dist.ts), into the temporary package.
  await buildDist(path.join(root, "dist"));
  const entry = path.join(root, "dist/js/cli/main.js");
  await chmod(entry, 0o755);
  await mkdir(path.join(root, "bin"));
  bin = path.join(root, "bin/ccc");
  await symlink(entry, bin);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  await mirror?.remove();
});

/** Runs the symlink itself (the kernel reads the #! line), with `node` on PATH. */
async function runBin(argv: string[], env: Record<string, string | undefined>) {
  const r = await run(bin, argv, { cwd: root!, baseEnv: "minimal", env: { HOME: root, ...env }, timeoutMs: 20_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

it("the entry starts with #!/usr/bin/env node, and the bundler keeps it", async () => {
  expect((await readFile(MAIN, "utf8")).split("\n")[0]).toBe("#!/usr/bin/env node");
  expect((await readFile(path.join(root!, "dist/js/cli/main.js"), "utf8")).split("\n")[0]).toBe("#!/usr/bin/env node");
});

it("runs through a bin symlink: --version, help, a call and a dry run", { timeout: 60_000 }, async () => {
  const { version } = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  const v = await runBin(["--version"], {});
  expect(v).toEqual({ code: 0, stdout: `ccc ${version} (ccc API 2020-02-10)\n`, stderr: "" });

  const help = await runBin(["--help"], {});
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("Actions (84):");

  const env = { ...noCredentialsEnv(root!), ...CREDENTIAL_ENV };
  const call = await runBin(
    ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1", "--endpoint", server.url],
    env,
  );
  expect(call.stderr).toBe("");
  expect(call.code).toBe(0);
  expect(JSON.parse(call.stdout)).toHaveProperty("RequestId");
  expect((await server.requests()).map((r) => r.outcome)).toEqual(["ok"]);

  const dry = await runBin(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1", "--dry-run"], env);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain("Signature=***");
  expectNoSecrets(dry);

  const usage = await runBin(["DisableCCCPhoneNumber", "--Disabled", "x"], env);
  expect(usage.code).toBe(2);
  expect((await server.requests()).length).toBe(1);
});

it("the same source through tsx and as compiled JavaScript print the same help", async () => {
  const compiled = await runBin(["ModifyOwnNumberApply", "--help"], {});
  const source = await runProcess(["ModifyOwnNumberApply", "--help"], {}, { home: root!, viaTsx: true });
  expect(compiled.code).toBe(0);
  expect(source).toEqual(compiled);
});

/**
 * The published executable: `npm run build`'s bundle (codegen/build-dist.ts) into a temporary folder laid
 * out like the package (package.json, dist/, node_modules), started through a symlink the way npm links `bin`
 * entries, by its `#!/usr/bin/env node` line.
 */
import { spawn } from "node:child_process";
import { chmod, copyFile, mkdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildDist } from "../../codegen/build-dist.js";
import { startTestServer, type TestServer } from "../server/harness.js";
import {
  CREDENTIAL_ENV,
  expectNoSecrets,
  MAIN,
  noCredentialsEnv,
  removeDir,
  ROOT,
  runProcess,
  tempDir,
} from "./helpers.js";

const BUILD_TIMEOUT_MS = 120_000;

let root: string | undefined;
let bin: string;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  root = await tempDir("bin");
  await copyFile(path.join(ROOT, "package.json"), path.join(root, "package.json"));
  await symlink(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  // The build `npm run build` makes (codegen/build-dist.ts), into the temporary package.
  await buildDist(path.join(root, "dist", "js"));
  const entry = path.join(root, "dist/js/cli/main.js");
  await chmod(entry, 0o755);
  await mkdir(path.join(root, "bin"));
  bin = path.join(root, "bin/ccc");
  await symlink(entry, bin);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  await removeDir(root);
});

/** Runs the symlink itself (the kernel reads the #! line), with `node` on PATH. */
function runBin(argv: string[], env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(bin, argv, {
      cwd: root,
      env: { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, HOME: root, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
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
  const source = await runProcess(["ModifyOwnNumberApply", "--help"], {}, { home: root! });
  expect(compiled.code).toBe(0);
  expect(source).toEqual(compiled);
});

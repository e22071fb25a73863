/**
 * The API report (`npm run api-report`: codegen/api-report-cli.ts over codegen/api-report.ts): the committed api-report.md is what the published
 * declarations give (how CI checks it inside `npm test`; `.ci/run` also runs `--check` as a command of its own),
 * and it lists every export of each entry point; on a mirror with the small fixture spec (test/support/mirror.ts):
 * a member made required and a removed action are lines of its diff, two runs are identical, and `--check` exits 1
 * naming the stale file and the changed lines; on a tiny package of its own, the printing rules.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { apiReport, entryPoints, reportChanges, type ReportChange } from "../../codegen/api-report.js";
import { REPORT_FILE, runApiReport } from "../../codegen/api-report-cli.js";
import { createMirror, type Mirror } from "../support/mirror.js";
import { describeRun, runTs } from "../support/run.js";
import { applyEdit, REPO } from "./helpers.js";

/** The full package's declarations built and read once (about 2 s; a busy machine may take several times that). */
const FULL_TIMEOUT = 60_000;
const PROCESS_TIMEOUT = 20_000;
const SCRIPT = path.join(REPO, "codegen", "api-report-cli.ts");

/** The command in-process, its lines joined as a terminal shows them. */
async function command(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runApiReport(args, {
    out: (l) => (stdout += `${l}\n`),
    err: (l) => (stderr += `${l}\n`),
  });
  return { code, stdout, stderr };
}

describe("the repository's api-report.md", () => {
  let made: string;
  beforeAll(async () => {
    made = (await apiReport(REPO)).text;
  }, FULL_TIMEOUT);

  it("is what the published declarations give (else: run `npm run api-report` and commit it)", async () => {
    const committed = await readFile(path.join(REPO, REPORT_FILE), "utf8");
    const changes = reportChanges(committed, made).map((c) => `${c.sign} ${c.owner}: ${c.line}`);
    expect(changes, `${REPORT_FILE} is stale: run \`npm run api-report\` and commit the result`).toEqual([]);
    expect(made === committed, `${REPORT_FILE} differs (whitespace or order): run \`npm run api-report\``).toBe(true);
  });

  it("has a section for each entry point of package.json `exports`", async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8"));
    const entries = entryPoints(pkg).map((e) => e.specifier);
    expect(entries).toEqual(["ccc-sdk", "ccc-sdk/emulator", "ccc-sdk/otel", "ccc-sdk/push", "ccc-sdk/redis"]);
    for (const e of entries) expect(made.split("\n")).toContain(`## \`${e}\``);
  });

  it("lists every value each entry point exports at run time, under its entry", async () => {
    const entries = {
      "ccc-sdk": "src/index.ts",
      "ccc-sdk/emulator": "src/emulator/index.ts",
      "ccc-sdk/redis": "src/redis/index.ts",
    };
    const sections = made.split(/^## /m);
    for (const [entry, source] of Object.entries(entries)) {
      const section = sections.find((s) => s.startsWith(`\`${entry}\`\n`))!;
      const values = Object.keys(await import(path.join(REPO, source)));
      expect(values.length).toBeGreaterThan(0);
      const missing = values.filter((v) => !new RegExp(`^export (class|const|function) ${v}\\b`, "m").test(section));
      expect(missing, entry).toEqual([]);
    }
  });

  it("has each action's method, command, error codes, and request and response members", async () => {
    const { commands } = (await import(path.join(REPO, "src", "index.ts"))) as { commands: object };
    const actions = Object.keys(commands);
    expect(actions.length).toBeGreaterThanOrEqual(84);
    const lines = made.split("\n");
    for (const a of actions) {
      const method = a[0]!.toLowerCase() + a.slice(1);
      expect(lines, a).toContain(
        `  ${method}(input: InputFor<${a}Request, O>, options?: CallOptions): CccPromise<${a}Response>;`,
      );
      const command = lines.find((l) => l.startsWith(`export const ${a}Command: `));
      expect(command, a).toMatch(
        new RegExp(
          `^export const ${a}Command: (Action|PagedAction)Definition<${a}Request, ${a}Response, ${a}ErrorCode(, .+)?>;$`,
        ),
      );
      expect(
        lines.filter((l) => l.startsWith(`export type ${a}ErrorCode = `) || l === `export type ${a}ErrorCode =`),
        a,
      ).toHaveLength(1);
      for (const kind of ["Request", "Response"])
        expect(lines, a).toContain(`export type ${a}${kind} = components["schemas"]["${a}${kind}"] = {`);
    }
    // One line per member: what an app's compile depends on is a line of its own.
    const at = lines.indexOf('export type DescribeTelCdrRequest = components["schemas"]["DescribeTelCdrRequest"] = {');
    expect(lines.slice(at + 1, lines.indexOf("};", at))).toContain("  SdkAppId: number | bigint;");
  });

  it("leaves JSDoc out", () => {
    const code = codeOf(made);
    expect(code.length).toBeGreaterThan(1000);
    expect(code.filter((l) => /\/\*|\*\/|@description|@example/.test(l))).toEqual([]);
  });
});

describe("on a mirror with the fixture spec", () => {
  let mirror: Mirror;
  let baseline: string;
  beforeAll(async () => {
    mirror = await createMirror();
    baseline = (await apiReport(mirror.dir)).text;
  }, FULL_TIMEOUT);
  afterAll(async () => {
    await mirror?.remove();
  });

  describe("the command", () => {
    it("writes the report (a second run: the same text), then --check finds it up to date and exits 0", async () => {
      const file = path.join(mirror.dir, REPORT_FILE);
      const write = await command(["--root", mirror.dir]);
      expect(write.stderr).toBe("");
      expect(write.code).toBe(0);
      expect(write.stdout).toMatch(
        /^api-report: wrote .*api-report\.md \(\d+ exports of 5 entry points, \d+ lines\) in \d+ ms\n$/,
      );
      expect(await readFile(file, "utf8")).toBe(baseline);
      expect(baseline).toContain(
        "export class CccClient<O extends CccClientOptions = CccClientOptions> extends CccBareClient<O> {",
      );
      const check = await command(["--check", "--root", mirror.dir]);
      expect(check.stderr).toBe("");
      expect(check.stdout).toMatch(/^api-report --check: .*api-report\.md is up to date \(.*\)\n$/);
      expect(check.code).toBe(0);
    });

    it("--check exits 1 naming a missing report", async () => {
      await rm(path.join(mirror.dir, REPORT_FILE), { force: true });
      const check = await command(["--check", "--root", mirror.dir]);
      expect(check.code).toBe(1);
      expect(check.stderr).toMatch(/api-report\.md is missing; run `npm run api-report` and commit the result/);
      expect(check.stdout).toBe("");
    });

    it("exits 2 on a usage error and prints its usage for --help", async () => {
      const usage = await command(["--chek"]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/^api-report: .*--chek/);
      expect(await command(["--help"])).toEqual({
        code: 0,
        stdout: "usage: npm run api-report [-- --check] [--root DIR]\n",
        stderr: "",
      });
    });
  });

  describe("after a spec change (the mirror regenerated)", () => {
    // Sequential: each step edits the mirror's spec and regenerates it.
    let required: string;
    let removed: string;
    beforeAll(async () => {
      await applyEdit(mirror.specDir, {
        file: "actions/DisableCCCPhoneNumber.yaml",
        replace: ["  SdkAppId:\n    type: uint64\n", "  SdkAppId:\n    type: uint64\n    required: true\n"],
      });
      expect((await mirror.generate()).code).toBe(0);
      required = (await apiReport(mirror.dir)).text;
      await applyEdit(mirror.specDir, { file: "actions/CreateOwnNumberApply.yaml", remove: true });
      expect((await mirror.generate()).code).toBe(0);
      removed = (await apiReport(mirror.dir)).text;
    }, FULL_TIMEOUT);

    it("an input member made required is one line removed and one added, under its request type", () => {
      expect(reportChanges(baseline, required)).toEqual<ReportChange[]>([
        {
          sign: "-",
          line: "SdkAppId?: number | bigint;",
          owner: "ccc-sdk › export type DisableCCCPhoneNumberRequest",
        },
        {
          sign: "+",
          line: "SdkAppId: number | bigint;",
          owner: "ccc-sdk › export type DisableCCCPhoneNumberRequest",
        },
      ]);
    });

    it("a removed action's exports and method are removed lines, and nothing is added but the count", () => {
      const changes = reportChanges(required, removed);
      const minus = changes.filter((c) => c.sign === "-").map((c) => `${c.owner}: ${c.line}`);
      expect(minus).toContain(
        "ccc-sdk: export const CreateOwnNumberApplyCommand: ActionDefinition<CreateOwnNumberApplyRequest, CreateOwnNumberApplyResponse, CreateOwnNumberApplyErrorCode>;",
      );
      expect(minus).toContain(
        'ccc-sdk: export type CreateOwnNumberApplyRequest = components["schemas"]["CreateOwnNumberApplyRequest"] = {',
      );
      expect(minus).toContain("ccc-sdk: export type CreateOwnNumberApplyErrorCode =");
      expect(minus).toContain(
        "ccc-sdk › export class CccClient: createOwnNumberApply(input: InputFor<CreateOwnNumberApplyRequest, O>, options?: CallOptions): CccPromise<CreateOwnNumberApplyResponse>;",
      );
      const plus = changes.filter((c) => c.sign === "+");
      expect(plus.map((c) => c.line)).toEqual([expect.stringMatching(/^`dist\/src\/index\.d\.ts`: \d+ exports\.$/)]);
    });

    it("--check exits 1, names the report as stale and prints the changed lines with their declaration", async () => {
      const file = path.join(mirror.dir, REPORT_FILE);
      await writeFile(file, required);
      const check = await command(["--check", "--root", mirror.dir]);
      expect(check.code).toBe(1);
      expect(check.stdout).toBe("");
      const lines = check.stderr.split("\n");
      expect(lines[0]).toMatch(
        /^api-report --check: .*api-report\.md is stale \(\d+ line\(s\) removed, 1 added\); run `npm run api-report` and commit the result:$/,
      );
      expect(lines).toContain("  ccc-sdk › export class CccClient");
      expect(lines).toContain(
        "    - createOwnNumberApply(input: InputFor<CreateOwnNumberApplyRequest, O>, options?: CallOptions): CccPromise<CreateOwnNumberApplyResponse>;",
      );
      expect(await readFile(file, "utf8"), "--check never writes").toBe(required);
    });
  });
});

/** A package of its own (package.json, src/, generated/, the repository's node_modules) with these modules. */
async function tinyPackage(modules: Record<string, string>, extra: object = {}): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "ccc-api-report-test-"));
  onTestFinished(async () => {
    await unlink(path.join(root, "node_modules")).catch(() => {});
    await rm(root, { recursive: true, force: true });
  });
  await mkdir(path.join(root, "src"));
  await mkdir(path.join(root, "generated"));
  await symlink(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
  const pkg = {
    name: "tiny",
    type: "module",
    exports: { ".": { types: "./dist/src/index.d.ts" }, "./package.json": "./package.json" },
    ...extra,
  };
  await writeFile(path.join(root, "package.json"), JSON.stringify(pkg));
  for (const [name, text] of Object.entries(modules)) await writeFile(path.join(root, "src", name), text);
  return root;
}

/** The lines of the `tiny` entry's code blocks. */
function codeOf(report: string): string[] {
  return report
    .split(/^```ts\n/m)
    .slice(1)
    .flatMap((b) => b.split("\n```")[0]!.split("\n"));
}

describe("the printing rules, on a tiny package", () => {
  it("prints public members one per line, sorted, overloads in their order, private ones as `#private;`", async () => {
    const root = await tinyPackage({
      "index.ts": [
        "export class Box {",
        "  #secret = 1;",
        "  private hidden = 2;",
        "  zeta(): void {}",
        "  /** Documented. */",
        "  alpha(x: string): string;",
        "  alpha(x: number): number;",
        "  alpha(x: string | number): string | number { return x; }",
        "  protected beta: { a: number; b: string } = { a: 1, b: '' };",
        "  constructor(readonly size: number) {}",
        "}",
        "",
      ].join("\n"),
    });
    expect(codeOf((await apiReport(root)).text)).toEqual([
      "export class Box {",
      "  #private;",
      "  constructor(size: number);",
      "  alpha(x: string): string;",
      "  alpha(x: number): number;",
      "  protected beta: { a: number; b: string; };",
      "  readonly size: number;",
      "  zeta(): void;",
      "}",
    ]);
  });

  it("lists what the exports lead to but apps cannot import, with its module, and flags type-only and renamed exports", async () => {
    const root = await tinyPackage(
      {
        "index.ts": [
          'export { make as create, type Made } from "./make.js";',
          'export type { Thing } from "./thing.js";',
          'export type { Middleware } from "openapi-fetch";',
          'export * as helpers from "./helpers.js";',
          "",
        ].join("\n"),
        "helpers.ts": "export const ONE: number = 1;\n",
        "make.ts": [
          "interface Options { readonly retries?: number }",
          "export interface Made { options: Options }",
          "export function make(options?: Options): Made { return { options: options ?? {} }; }",
          "",
        ].join("\n"),
        "thing.ts": "export class Thing {\n  readonly n: number = 1;\n}\n",
      },
      { dependencies: {} },
    );
    const text = (await apiReport(root)).text;
    expect(codeOf(text)).toEqual([
      "export interface Made {",
      "  options: Options;",
      "}",
      'export type { Middleware } from "openapi-fetch"; // openapi-fetch: NOT in dependencies or peerDependencies (apps will not have it)',
      "export class Thing { // a type-only export: not usable as a value",
      "  readonly n: number;",
      "}",
      "export function make(options?: Options): Made; // exported as create",
      "export namespace helpers { // src/helpers.ts",
      "  export const ONE: number;",
      "}",
      "interface Options { // src/make.ts",
      "  readonly retries?: number;",
      "}",
    ]);
    expect(text).toContain("### Reached from `tiny`, not exported by name");
    expect(text).toContain("- `openapi-fetch`: openapi-fetch: NOT in dependencies or peerDependencies");
  });

  it("takes each subpath of `exports` with a `types` condition and refuses code without one", () => {
    const exports = { ".": { types: "./dist/a.d.ts", import: "./a.js" }, "./data.json": "./data.json" };
    expect(entryPoints({ name: "p", exports })).toEqual([{ specifier: "p", types: "dist/a.d.ts" }]);
    expect(() => entryPoints({ name: "p", exports: { "./b": { import: "./b.js" } } })).toThrow(
      /exports\["\.\/b"\] has no `types` condition/,
    );
    expect(() => entryPoints({ name: "p", exports: { "./c": "./c.js" } })).toThrow(/no `types` condition/);
  });

  it("names the module whose export needs a written type, exits 2 and writes nothing", async () => {
    const root = await tinyPackage({
      "index.ts": 'import { other } from "./other.js";\n\nexport const value = other();\n',
      "other.ts": "export function other(): number {\n  return 1;\n}\n",
    });
    const run = await command(["--root", root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/src\/index\.ts:3:14: Variable must have an explicit type annotation/);
    expect(run.stderr).toMatch(/api-report\.md was left untouched\.\n$/);
    await expect(readFile(path.join(root, REPORT_FILE))).rejects.toThrow(/ENOENT/);
  });
});

describe("codegen/api-report-cli.ts as a real subprocess", () => {
  // What it computes is runApiReport's, tested in-process above (and `.ci/run` runs `npm run api-report -- --check`
  // as a process of its own). These runs show the script passes its arguments and exits with its code.
  it("prints its usage and exits 0 for --help; exits 2 with the error on stderr for an unknown option", async () => {
    const cli = (args: string[]) => runTs(SCRIPT, args, { timeoutMs: PROCESS_TIMEOUT });
    const [help, usage] = await Promise.all([cli(["--help"]), cli(["--chek"])]);
    expect(help.code, describeRun(help)).toBe(0);
    expect(help.stdout).toBe("usage: npm run api-report [-- --check] [--root DIR]\n");
    expect(help.stderr).toBe("");
    expect(usage.code, describeRun(usage)).toBe(2);
    expect(usage.stdout).toBe("");
    expect(usage.stderr).toMatch(/^api-report: .*'--chek'/);
  });
});

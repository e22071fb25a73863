/**
 * `npm run spec:diff` (codegen/import/diff-cli.ts) on a spec imported from the small "widgets" sources and a copy of
 * them with api.zh.json edited: no difference from the sources the spec was imported from; an added action, a
 * removed member, a changed type and required flipped, classified, as JSON and as lines; the exit codes (0 none,
 * 1 differences, 2 errors), in-process and once as a real subprocess; and `--from-sdk` on spec/ without what it
 * took from the SDK. (The real 2025 → 2026 changes are classified in replay.test.ts.)
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiJson, ApiMember } from "../../codegen/import/apijson.js";
import { runImport } from "../../codegen/import/cli.js";
import { runDiff } from "../../codegen/import/diff-cli.js";
import { REPO } from "../support/paths.js";
import { describeRun, runTs } from "../support/run.js";
import { withoutFurtherSources } from "./helpers.js";

const WIDGETS = path.join(REPO, "test", "import", "fixtures", "widgets");
const CLI = path.join(REPO, "codegen", "import", "diff-cli.ts");
const SDK_MODELS = path.join(REPO, "test", "fixtures", "sdk", "ccc_models.d.ts");
/** A plan of the whole spec (84 actions) in memory. */
const PLAN_TIMEOUT = 30_000;

let dir: string;
/** A spec folder imported from the widgets sources, and a copy of those sources with api.zh.json edited. */
let spec: string;
let newer: string;

const member = (api: ApiJson, object: string, name: string): ApiMember => {
  const m = api.objects[object]!.members.find((x) => x.name === name);
  if (!m) throw new Error(`test setup: no ${object}.${name}`);
  return m;
};

/** An action added, a member removed, a type changed, an input made optional, a model member made optional. */
function modify(api: ApiJson): void {
  api.actions.CreateThing = {
    document: "创建东西",
    input: "CreateThingRequest",
    name: "创建东西",
    output: "CreateThingResponse",
    status: "online",
  };
  api.objects.CreateThingRequest = { document: "", members: [], type: "object" };
  api.objects.CreateThingResponse = {
    document: "",
    members: [{ name: "RequestId", type: "string", member: "string", document: "唯一请求 ID" }],
    type: "object",
  };
  const request = api.objects.DescribeWidgetsRequest!;
  request.members = request.members.filter((m) => m.name !== "Verbose");
  Object.assign(member(api, "DescribeWidgetsRequest", "Phone"), { type: "int", member: "int64" });
  member(api, "DescribeWidgetsRequest", "SdkAppId").required = false;
  member(api, "Filter", "Name").required = false;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-diff-"));
  spec = path.join(dir, "widgets", "spec");
  await mkdir(spec, { recursive: true });
  await cp(path.join(REPO, "spec", "service.yaml"), path.join(spec, "service.yaml"));
  expect(await runImport(["--all", "--from", WIDGETS, "--spec", spec], { out: () => {}, err: () => {} })).toBe(0);
  newer = path.join(dir, "newer");
  await cp(WIDGETS, newer, { recursive: true });
  const api = JSON.parse(await readFile(path.join(newer, "api.zh.json"), "utf8")) as ApiJson;
  modify(api);
  await writeFile(path.join(newer, "api.zh.json"), JSON.stringify(api));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function diffCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runDiff(args, { out: (l) => (stdout += `${l}\n`), err: (l) => (stderr += `${l}\n`) });
  return { code, stdout, stderr };
}

const EXPECTED = [
  { path: "CreateThing", impact: "feature", what: "action added" },
  { path: "DescribeWidgets.input.Phone", impact: "breaking", what: "type string → int64" },
  { path: "DescribeWidgets.input.SdkAppId", impact: "feature", what: "made optional" },
  { path: "DescribeWidgets.input.Verbose", impact: "breaking", what: "removed" },
  { path: "Filter.Name", impact: "feature", what: "made optional" },
];

describe("npm run spec:diff (runDiff, in-process)", () => {
  it("exits 0 with no change for the sources the spec was imported from", async () => {
    const json = await diffCli(["--from", WIDGETS, "--spec", spec, "--json"]);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toEqual({ bump: "none", changes: [] });
    expect(json.code).toBe(0);
    const text = await diffCli(["--from", WIDGETS, "--spec", spec]);
    expect(text.stdout.split("\n").at(-2)).toMatch(/^no difference: the import would change nothing in .*spec\/$/);
  });

  it("--json: exits 1 and classifies each change; a removed member or a type change is breaking", async () => {
    const r = await diffCli(["--from", newer, "--spec", spec, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { bump: string; changes: { path: string; impact: string }[] };
    expect(json.bump).toBe("major");
    // A retyped member's example changes too (docs): only the facts above are asserted exactly.
    const facts = json.changes.filter((c) => EXPECTED.some((e) => e.path === c.path && e.impact === c.impact));
    expect(facts).toEqual(EXPECTED);
  });

  it("without --json prints the same changes as lines, grouped by impact, and the bump", async () => {
    const r = await diffCli(["--from", newer, "--spec", spec]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`spec:diff: ${newer}/ → ${path.relative(process.cwd(), spec)}/`);
    expect(lines.slice(1, 4)).toEqual([
      "breaking (2):",
      "  DescribeWidgets.input.Phone: type string → int64",
      "  DescribeWidgets.input.Verbose: removed",
    ]);
    expect(lines).toContain("  CreateThing: action added");
    expect(lines.at(-2)).toBe("bump: major");
  });

  it("exits 2 on bad usage, a folder without api.zh.json, a file that is not JSON, and a spec that does not parse", async () => {
    expect((await diffCli(["--nope"])).code).toBe(2);
    expect((await diffCli(["positional"])).code).toBe(2);
    const missing = await diffCli(["--from", path.join(dir, "missing")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^spec:diff: .*missing has no api\.zh\.json/);
    const broken = path.join(dir, "broken");
    await cp(newer, broken, { recursive: true });
    await writeFile(path.join(broken, "api.en.json"), "{");
    const notJson = await diffCli(["--from", broken]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/api\.en\.json is not JSON/);
    const badSpec = path.join(dir, "bad-spec");
    await cp(path.join(REPO, "test", "fixtures", "spec"), badSpec, { recursive: true });
    await writeFile(path.join(badSpec, "actions", "DisableCCCPhoneNumber.yaml"), "action: [unclosed\n");
    const unparsable = await diffCli(["--from", WIDGETS, "--spec", badSpec]);
    expect(unparsable.code).toBe(2);
    expect(unparsable.stderr).toMatch(/DisableCCCPhoneNumber\.yaml is not valid YAML/);
  });
});

describe("npm run spec:diff --from-sdk", () => {
  it(
    "classifies what the SDK's declarations add (features, bump minor) and lists every difference under sdk",
    async () => {
      const spec = await withoutFurtherSources(path.join(dir, "api-only"));
      const r = await diffCli(["--from-sdk", SDK_MODELS, "--spec", spec, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const json = JSON.parse(r.stdout) as { bump: string; changes: { impact: string }[]; sdk: { path: string }[] };
      expect(json.bump).toBe("minor");
      expect(json.changes).toHaveLength(7);
      expect(json.changes.every((c) => c.impact === "feature")).toBe(true);
      expect(json.sdk.map((d) => d.path)).toContain("CreateAIAgentCall.input.AcquireTimeoutSecond");
      expect((await diffCli(["--from-sdk", SDK_MODELS, "--from", WIDGETS])).code).toBe(2);
      expect((await diffCli(["--from-sdk", path.join(dir, "none.d.ts")])).code).toBe(2);
    },
    PLAN_TIMEOUT,
  );
});

describe("npm run spec:diff as a real subprocess", () => {
  // Exit codes and output are runDiff's, tested in-process above; one real run shows the script passes its
  // arguments, prints runDiff's lines and exits with its code.
  it("exits 1 with the JSON on stdout, nothing on stderr", async () => {
    const differs = await runTs(CLI, ["--from", newer, "--spec", spec, "--json"], { timeoutMs: 30_000 });
    expect(differs.stderr).toBe("");
    expect(JSON.parse(differs.stdout).bump).toBe("major");
    expect(differs.code, describeRun(differs)).toBe(1);
  }, 40_000);
});

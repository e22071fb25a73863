/**
 * `npm run spec:diff` (codegen/import/diff-cli.ts) against spec/ and a copy of the current sources folder with
 * Tencent's api.zh.json edited: no difference from the sources spec/ was imported from; an added action, a removed
 * member, a changed type and required flipped both ways, classified, as JSON and as lines; the exit codes (0 none,
 * 1 differences, 2 errors), in-process and once as a real subprocess.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiJson, ApiMember } from "../../codegen/import/apijson.js";
import { runDiff } from "../../codegen/import/diff-cli.js";
import { reference, REPO } from "../support/paths.js";
import { describeRun, runTs } from "../support/run.js";
import { withoutFurtherSources } from "./further-sources.js";

const SOURCES = reference("ccc");
const CLI = path.join(REPO, "codegen", "import", "diff-cli.ts");
const SDK_MODELS = path.join(REPO, "test", "fixtures", "sdk", "ccc_models.d.ts");
/** A plan of the whole spec (84 actions) in memory. */
const PLAN_TIMEOUT = 30_000;

let dir: string;
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
  const request = api.objects.ModifyOwnNumberApplyRequest!;
  request.members = request.members.filter((m) => m.name !== "Prefix");
  Object.assign(member(api, "ModifyOwnNumberApplyRequest", "ApplyId"), { type: "string", member: "string" });
  member(api, "ModifyOwnNumberApplyRequest", "SdkAppId").required = false;
  member(api, "OwnNumberApplyDetailItem", "CallType").required = false;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-diff-"));
  newer = path.join(dir, "newer");
  await cp(SOURCES, newer, { recursive: true, filter: (src) => !src.includes(`${path.sep}history`) });
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
  { path: "ModifyOwnNumberApply.input.ApplyId", impact: "breaking", what: "type uint64 → string" },
  { path: "ModifyOwnNumberApply.input.Prefix", impact: "breaking", what: "removed" },
  { path: "ModifyOwnNumberApply.input.SdkAppId", impact: "feature", what: "made optional" },
  { path: "OwnNumberApplyDetailItem.CallType", impact: "feature", what: "made optional" },
];

describe("npm run spec:diff (runDiff, in-process)", () => {
  it(
    "exits 0 and says so for the sources spec/ was imported from",
    async () => {
      const r = await diffCli(["--from", SOURCES]);
      expect(r.stderr).toBe("");
      expect(r.stdout.split("\n").at(-2)).toBe("no difference: the import would change nothing in spec/");
      expect(r.code).toBe(0);
      const json = await diffCli(["--from", SOURCES, "--json"]);
      expect(JSON.parse(json.stdout)).toEqual({ bump: "none", changes: [] });
    },
    PLAN_TIMEOUT,
  );

  it(
    "--json: exits 1 and classifies each change; a removed member or a type change is breaking",
    async () => {
      const r = await diffCli(["--from", newer, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const json = JSON.parse(r.stdout) as { bump: string; changes: { path: string; impact: string }[] };
      expect(json.bump).toBe("major");
      // The retyped member's example changes too (docs): only the facts above are asserted exactly.
      const facts = json.changes.filter((c) => EXPECTED.some((e) => e.path === c.path && e.impact === c.impact));
      expect(facts).toEqual(EXPECTED);
    },
    PLAN_TIMEOUT,
  );

  it(
    "without --json prints the same changes as lines, grouped by impact, and the bump",
    async () => {
      const r = await diffCli(["--from", newer]);
      expect(r.code).toBe(1);
      const lines = r.stdout.split("\n");
      expect(lines[0]).toBe(`spec:diff: ${newer}/ → spec/`);
      expect(lines.slice(1, 4)).toEqual([
        "breaking (2):",
        "  ModifyOwnNumberApply.input.ApplyId: type uint64 → string",
        "  ModifyOwnNumberApply.input.Prefix: removed",
      ]);
      expect(lines).toContain("  CreateThing: action added");
      expect(lines.at(-2)).toBe("bump: major");
    },
    PLAN_TIMEOUT,
  );

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
    const unparsable = await diffCli(["--from", SOURCES, "--spec", badSpec]);
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
      const none = await diffCli(["--from-sdk", SDK_MODELS]);
      expect(none.code).toBe(0);
      expect(none.stdout).toContain("no difference: the import would change nothing in spec/");
      expect((await diffCli(["--from-sdk", SDK_MODELS, "--from", SOURCES])).code).toBe(2);
      expect((await diffCli(["--from-sdk", path.join(dir, "none.d.ts")])).code).toBe(2);
    },
    PLAN_TIMEOUT,
  );
});

describe("npm run spec:diff as a real subprocess", () => {
  // Exit codes and output are runDiff's, tested in-process above; one real run shows the script passes its
  // arguments, prints runDiff's lines and exits with its code.
  it("exits 1 with the JSON on stdout, nothing on stderr", async () => {
    const differs = await runTs(CLI, ["--from", newer, "--json"], { timeoutMs: 30_000 });
    expect(differs.stderr).toBe("");
    expect(JSON.parse(differs.stdout).bump).toBe("major");
    expect(differs.code, describeRun(differs)).toBe(1);
  }, 40_000);
});

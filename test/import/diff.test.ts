/**
 * `npm run spec:diff` (codegen/import/diff.ts, diff-cli.ts) against modified copies of the real api.zh.json: the
 * exact lines for an added action, a removed member, a changed type and a flipped required, the other kinds of
 * difference, and the exit codes of the command (0 none, 1 differences, 2 errors), in-process and once as a
 * real subprocess.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiJson, ApiMember } from "../../codegen/import/apijson.js";
import { diffApi, formatDiff } from "../../codegen/import/diff.js";
import { runDiff } from "../../codegen/import/diff-cli.js";
import type { Service } from "../../codegen/ir.js";
import { loadSpec } from "../../codegen/load.js";
import { reference, REPO } from "../support/paths.js";
import { describeRun, runTs } from "../support/run.js";

const API = reference("ccc", "api.zh.json");
const CLI = path.join(REPO, "codegen", "import", "diff-cli.ts");

let original: ApiJson;
let service: Service;
let dir: string;

beforeAll(async () => {
  original = JSON.parse(await readFile(API, "utf8")) as ApiJson;
  service = await loadSpec(path.join(REPO, "spec"));
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-diff-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const copy = (): ApiJson => structuredClone(original);
const member = (api: ApiJson, object: string, name: string): ApiMember => {
  const m = api.objects[object]!.members.find((x) => x.name === name);
  if (!m) throw new Error(`test setup: no ${object}.${name}`);
  return m;
};

/** The four edits of the brief: an action added, a member removed, a type changed, a required flipped. */
function modified(): ApiJson {
  const api = copy();
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
  return api;
}

describe("diffApi / formatDiff", () => {
  it("finds no difference between api.zh.json and the spec imported from it", () => {
    expect(diffApi(original, service)).toEqual([]);
    expect(formatDiff([], "api.zh.json", "spec/")).toEqual(["no difference between api.zh.json and spec/"]);
  });

  it("lists an added action, a removed member, a changed type and a flipped required, in these exact lines", () => {
    // MODIFIED_OUTPUT ends with "" (the final newline of printed output); formatDiff's lines have none.
    expect(formatDiff(diffApi(modified(), service), "api.zh.json", "spec/")).toEqual(
      MODIFIED_OUTPUT("api.zh.json").slice(0, -1),
    );
  });

  it("lists removed actions, added and removed models, added members, list-ness, output optionality and deprecation", () => {
    const api = copy();
    delete api.actions.DisableCCCPhoneNumber;
    delete api.objects.DisableCCCPhoneNumberRequest;
    delete api.objects.DisableCCCPhoneNumberResponse;
    api.objects.Brand = { document: "新结构", members: [], usage: "out" };
    delete api.objects.AsrData; // still referenced: the reference becomes a type the importer cannot map
    member(api, "CreateOwnNumberApplyRequest", "Prefix").type = "list";
    api.objects.CreateOwnNumberApplyRequest!.members.push({
      name: "Region2",
      type: "int",
      member: "int64",
      required: true,
      document: "新成员",
    });
    Object.assign(member(api, "CreateOwnNumberApplyResponse", "ApplyId"), {
      output_required: false,
      value_allowed_null: true,
    });
    member(api, "ModifyOwnNumberApplyRequest", "MobileNddPrefix").disabled = true;
    api.actions.HangUpCall!.status = "deprecated";
    expect(formatDiff(diffApi(api, service), "newer.json", "spec/")).toEqual([
      "actions only in spec/ (1):",
      "  - DisableCCCPhoneNumber",
      "models only in newer.json (1):",
      "  + Brand",
      "models only in spec/ (1):",
      "  - AsrData",
      "action CreateOwnNumberApply:",
      "  ~ input.Prefix: list false → true",
      "  + input.Region2 (int64, required)",
      "  ~ output.ApplyId: required true → false",
      "  ~ output.ApplyId: nullable false → true",
      "action DescribeTelRecordAsr:",
      "  ~ output.AsrDataList: type AsrData → ? (list/AsrData)",
      "action HangUpCall:",
      "  ~ deprecated false → true",
      "action ModifyOwnNumberApply:",
      "  ~ input.MobileNddPrefix: deprecated false → true",
      "10 difference(s) between newer.json and spec/",
    ]);
  });

  it("reads api.json with the importer's rules: a type it does not know is a difference, not a crash", () => {
    const api = copy();
    Object.assign(member(api, "DisableCCCPhoneNumberRequest", "Disabled"), { type: "int", member: "int32" });
    expect(formatDiff(diffApi(api, service), "api.zh.json", "spec/")).toEqual([
      "action DisableCCCPhoneNumber:",
      "  ~ input.Disabled: type int64 → ? (int/int32)",
      "1 difference(s) between api.zh.json and spec/",
    ]);
  });
});

/** `npm run spec:diff -- <args>` in-process: `runDiff`, what the script runs; output as the terminal shows it. */
async function diffCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runDiff(args, { out: (l) => (stdout += `${l}\n`), err: (l) => (stderr += `${l}\n`) });
  return { code, stdout, stderr };
}

/** The differences `modified()` has from spec/, as printed for a file named `name`. */
const MODIFIED_OUTPUT = (name: string) => [
  `actions only in ${name} (1):`,
  "  + CreateThing",
  "action ModifyOwnNumberApply:",
  "  ~ input.ApplyId: type uint64 → string",
  "  - input.Prefix",
  "  ~ input.SdkAppId: required true → false",
  "model OwnNumberApplyDetailItem:",
  "  ~ CallType: required true → false",
  `5 difference(s) between ${name} and spec/`,
  "",
];

describe("npm run spec:diff (runDiff, in-process)", () => {
  it("exits 0 and says so when there is no difference", async () => {
    const r = await diffCli([API]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("no difference between api.zh.json and spec/\n");
    expect(r.code).toBe(0);
  });

  it("exits 1 and prints the differences on stdout", async () => {
    const file = path.join(dir, "api.newer.json");
    await writeFile(file, JSON.stringify(modified()));
    const r = await diffCli([file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual(MODIFIED_OUTPUT("api.newer.json"));
  });

  it("exits 2 on bad usage, an unreadable or foreign file, and a spec folder that does not load", async () => {
    const none = await diffCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give exactly one api.json (got 0)");
    expect((await diffCli([API, API])).code).toBe(2);
    expect((await diffCli(["--nope", API])).code).toBe(2);
    const missing = await diffCli([path.join(dir, "missing.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^spec:diff: cannot read .*missing\.json/);
    const foreign = path.join(dir, "foreign.json");
    await writeFile(foreign, '{"hello": 1}');
    const notApi = await diffCli([foreign]);
    expect(notApi.code).toBe(2);
    expect(notApi.stderr).toContain("is not an api.json");
    const emptySpec = await diffCli([API, "--spec", dir]);
    expect(emptySpec.code).toBe(2);
    expect(emptySpec.stderr).toMatch(/does not load/);
  });
});

describe("npm run spec:diff as a real subprocess", () => {
  // Exit codes 0, 1 and 2 and their output are runDiff's, tested in-process above; one real run shows the script
  // passes its arguments, prints runDiff's lines and exits with its code.
  it("exits 1 with the differences on stdout, nothing on stderr", async () => {
    const file = path.join(dir, "api.subprocess.json");
    await writeFile(file, JSON.stringify(modified()));
    const differs = await runTs(CLI, [file], { timeoutMs: 30_000 });
    expect(differs.stderr).toBe("");
    expect(differs.stdout.split("\n")).toEqual(MODIFIED_OUTPUT("api.subprocess.json"));
    expect(differs.code, describeRun(differs)).toBe(1);
  }, 40_000);
});

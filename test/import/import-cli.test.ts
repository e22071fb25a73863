/**
 * The import command (`npm run spec:import`, codegen/import/cli.ts, in-process through `runImport`) and the YAML
 * writer (codegen/import/yaml.ts): sources as a folder, files rendered whole, changes classified in the report,
 * what the sources dropped removed or kept, all files written at once or none, a CHANGELOG entry and the version
 * bump beside the spec folder, and the exit codes.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { importApi } from "../../codegen/import/apijson.js";
import { runImport } from "../../codegen/import/cli.js";
import { readSources } from "../../codegen/import/sources.js";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";
import { renderAction, renderModel } from "../../codegen/import/yaml.js";
import { hashTree } from "../codegen/helpers.js";
import { copySpec } from "../support/mirror.js";
import { reference, REPO } from "../support/paths.js";
import { describeRun, runTs } from "../support/run.js";
import { captureIo, emptySpec as emptySpecIn, withoutFurtherSources } from "./helpers.js";

const WIDGETS = path.join(REPO, "test", "import", "fixtures", "widgets");
const SDK_MODELS = path.join(REPO, "test", "fixtures", "sdk", "ccc_models.d.ts");
const clone = <T>(v: T): T => structuredClone(v);

let widgets: ReturnType<typeof importApi>;
let dir: string | undefined;
beforeAll(async () => {
  widgets = importApi((await readSources(WIDGETS)).sources);
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-import-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const io = captureIo;
const emptySpec = (name: string) => emptySpecIn(dir!, name);

/** A copy of the widgets sources with api.zh.json edited. */
async function widgetsWith(name: string, edit: (api: ApiShape) => void): Promise<string> {
  const folder = path.join(dir!, name);
  await cp(WIDGETS, folder, { recursive: true });
  const api = JSON.parse(await readFile(path.join(folder, "api.zh.json"), "utf8")) as ApiShape;
  edit(api);
  await writeFile(path.join(folder, "api.zh.json"), JSON.stringify(api));
  return folder;
}

interface ApiShape {
  actions: Record<string, unknown>;
  objects: Record<string, { members: { name: string; required?: boolean }[] }>;
}

describe("npm run spec:import", () => {
  it("importing the two seed actions over a copy of the fixture spec changes no byte and reports them unchanged", async () => {
    const spec = await copySpec(path.join(dir!, "seeds"));
    const before = await hashTree(spec);
    const r = io();
    const code = await runImport(["DisableCCCPhoneNumber", "ModifyOwnNumberApply", "--spec", spec], r.io);
    expect(r.err).toEqual([]);
    expect(code).toBe(0);
    expect(r.out).toContain("  unchanged action DisableCCCPhoneNumber");
    expect(r.out).toContain("  unchanged action ModifyOwnNumberApply");
    expect(r.out).toContain("  unchanged model OwnNumberApplyDetailItem");
    expect(await hashTree(spec)).toEqual(before);
  });

  it.each([
    ["DisableCCCPhoneNumber.zh.txt", "actions/DisableCCCPhoneNumber.yaml"],
    ["ModifyOwnNumberApply.en.txt", "actions/ModifyOwnNumberApply.yaml"],
  ] as const)(
    "--page %s over the seed spec changes nothing and reports what the page cannot say",
    async (page, file) => {
      const spec = await copySpec(path.join(dir!, `page-${page}`));
      const before = await readFile(path.join(spec, file), "utf8");
      const r = io();
      expect(await runImport(["--page", reference("doc-pages", page), "--spec", spec], r.io)).toBe(0);
      expect(r.err).toEqual([]);
      expect(await readFile(path.join(spec, file), "utf8")).toBe(before);
      expect(r.out.join("\n")).toContain("idempotent is not stated on the page: decide it and write idempotentReason");
    },
  );

  it("--all into an empty folder writes every action and model; a second run is a fixed point", async () => {
    const spec = await emptySpec("widgets");
    const first = io();
    expect(await runImport(["--all", "--from", WIDGETS, "--spec", spec], first.io)).toBe(0);
    expect(first.err).toEqual([]);
    expect(first.out.at(-2)).toBe(
      "9 added, 0 updated, 0 unchanged, 0 removed, 0 kept; bump minor; 6 lifted, 8 warning(s)",
    );
    expect(first.out).toContain("  enum DescribeWidgets.input.Status: 0 (启用), 1 (停用)");
    expect(first.out).toContain('  CreateWidget examples[0]: Size must be an integer, got the string "10"');
    expect(first.out).toContain("  false HangUpWidget (HangUp: repeating it may act twice)");
    expect(first.out).toContain("  1 action(s) only in api.zh.json, imported with zh texts only: DescribeOldWidgets");
    expect((await readdir(path.join(spec, "actions"))).sort()).toEqual(
      ["CreateWidget", "DescribeOldWidgets", "DescribeWidgets", "HangUpWidget", "ModifyWidget"].map((n) => `${n}.yaml`),
    );
    const second = io();
    expect(await runImport(["--all", "--from", WIDGETS, "--spec", spec], second.io)).toBe(0);
    expect(second.out.at(-1)).toMatch(/^0 added, 0 updated, 9 unchanged, 0 removed, 0 kept; bump none;/);
  });

  it("reports an update's changes classified, keeps a marked fact, and names a comment it cannot keep", async () => {
    const spec = await emptySpec("update");
    await runImport(["--all", "--from", WIDGETS, "--spec", spec], io().io);
    const file = path.join(spec, "actions", "ModifyWidget.yaml");
    const data = parseYaml(await readFile(file, "utf8")) as RawActionSpec;
    data.idempotent = false;
    data.idempotentReason = "A person checked: a repeat sends the change notice twice.";
    await writeFile(file, renderAction(data).replace("idempotent: false", "# Checked by a person.\nidempotent: false"));
    const newer = await widgetsWith("newer", (api) => {
      api.objects.ModifyWidgetRequest!.members.find((m) => m.name === "Name")!.required = true;
    });
    const r = io();
    expect(await runImport(["ModifyWidget", "--from", newer, "--spec", spec], r.io)).toBe(0);
    expect(r.out).toContain("  updated   action ModifyWidget");
    expect(r.out).toContain("  breaking (1):");
    expect(r.out).toContain("    ModifyWidget.input.Name: made required");
    expect(r.out.some((l) => /ModifyWidget: line \d+: a comment is not kept by the import/.test(l))).toBe(true);
    const after = parseYaml(await readFile(file, "utf8")) as RawActionSpec;
    expect([after.idempotent, after.idempotentReason]).toEqual([false, data.idempotentReason]);
    expect(after.input.Name!.required).toBe(true);
  });

  it("--all removes the specs of actions the sources dropped (breaking), or keeps them with --keep-removed", async () => {
    const spec = await emptySpec("removed");
    await runImport(["--all", "--from", WIDGETS, "--spec", spec], io().io);
    const fewer = await widgetsWith("fewer", (api) => {
      delete api.actions.HangUpWidget;
      delete api.objects.HangUpWidgetRequest;
      delete api.objects.HangUpWidgetResponse;
    });
    const kept = io();
    expect(await runImport(["--all", "--keep-removed", "--from", fewer, "--spec", spec], kept.io)).toBe(0);
    expect(kept.out).toContain("  kept      action HangUpWidget");
    expect(kept.out).toContain("  HangUpWidget: not in the sources any more; kept (--keep-removed)");
    expect((await readdir(path.join(spec, "actions"))).includes("HangUpWidget.yaml")).toBe(true);
    const removed = io();
    expect(await runImport(["--all", "--from", fewer, "--spec", spec], removed.io)).toBe(0);
    expect(removed.out).toContain("  removed   action HangUpWidget");
    expect(removed.out).toContain("    HangUpWidget: action removed");
    expect((await readdir(path.join(spec, "actions"))).includes("HangUpWidget.yaml")).toBe(false);
  });

  it("keeps an action marked handWritten: true that the sources do not have", async () => {
    const spec = await emptySpec("person");
    await runImport(["--all", "--from", WIDGETS, "--spec", spec], io().io);
    const mine = clone(widgets.actions.get("HangUpWidget")!.spec);
    mine.action = "PokeWidget";
    mine.idempotentReason = "A person wrote this action from a support ticket.";
    mine.handWritten = true;
    await writeFile(path.join(spec, "actions", "PokeWidget.yaml"), renderAction(mine));
    const r = io();
    expect(await runImport(["--all", "--from", WIDGETS, "--spec", spec], r.io)).toBe(0);
    expect(r.out).toContain("  kept      action PokeWidget");
    expect(r.out).toContain("  PokeWidget: not in the sources; kept, as it is marked handWritten");
  });

  it("adds a CHANGELOG.md entry and bumps package.json beside the spec folder, as the changes imply", async () => {
    const spec = await emptySpec("release");
    const root = path.dirname(spec);
    await writeFile(path.join(root, "package.json"), `${JSON.stringify({ name: "x", version: "0.1.0" }, null, 2)}\n`);
    await runImport(["--all", "--from", WIDGETS, "--spec", spec], io().io);
    expect(JSON.parse(await readFile(path.join(root, "package.json"), "utf8")).version).toBe("0.1.1");
    const newer = await widgetsWith("release-newer", (api) => {
      api.objects.ModifyWidgetRequest!.members.find((m) => m.name === "Name")!.required = true;
    });
    const r = io();
    expect(await runImport(["--all", "--from", newer, "--spec", spec], r.io)).toBe(0);
    expect(r.out.at(-1)).toBe("CHANGELOG.md: entry for 0.2.0 added; package.json: version 0.1.1 → 0.2.0 (major)");
    expect(JSON.parse(await readFile(path.join(root, "package.json"), "utf8"))).toEqual({
      name: "x",
      version: "0.2.0",
    });
    const changelog = await readFile(path.join(root, "CHANGELOG.md"), "utf8");
    expect(changelog.startsWith("# Changelog\n\n## 0.2.0 (")).toBe(true);
    expect(changelog).toContain("### Breaking changes\n\n- `ModifyWidget.input.Name`: made required\n");
    expect(changelog).toContain("## 0.1.1 (");
    expect(changelog.indexOf("## 0.2.0")).toBeLessThan(changelog.indexOf("## 0.1.1"));
  });

  it("--dry-run prints the report and writes nothing", async () => {
    const spec = await emptySpec("dry");
    const r = io();
    expect(await runImport(["CreateWidget", "--dry-run", "--from", WIDGETS, "--spec", spec], r.io)).toBe(0);
    expect(r.out).toContain("  added     action CreateWidget");
    expect(r.out.at(-1)).toMatch(/nothing written \(dry run\)$/);
    expect(await readdir(spec)).toEqual(["service.yaml"]);
  });

  it("writes nothing when the result would not load, and says why", async () => {
    const spec = await emptySpec("atomic");
    await runImport(["--all", "--from", WIDGETS, "--spec", spec], io().io);
    await writeFile(path.join(spec, "service.yaml"), "service: ccc\n"); // no longer loads
    const before = await hashTree(spec);
    const newer = await widgetsWith("atomic-newer", (api) => {
      api.objects.ModifyWidgetRequest!.members.find((m) => m.name === "Name")!.required = true;
    });
    const r = io();
    expect(await runImport(["--all", "--from", newer, "--spec", spec], r.io)).toBe(1);
    expect(r.err[0]).toMatch(/would not load after the import \(\d+ problem\(s\)\); nothing was written:$/);
    expect(await hashTree(spec)).toEqual(before);
    expect((await readdir(path.dirname(spec))).sort()).toEqual(["spec"]);
  });

  it.each([
    ["CreateAdminURL.en.txt", "the page has no section headings; its parts were found by their table headers"],
    ["DescribeTelCdr.zh.txt", "the page is cut inside the output table after member TotalCount"],
    ["CreateStaff.en.txt", "the page is cut inside example 1 (Creating Customer Service): it is left out"],
  ])("the real page %s imports over spec/ with honest warnings, deleting nothing", async (page, warning) => {
    const spec = path.join(dir!, `real-${page}`, "spec");
    await cp(path.join(REPO, "spec"), spec, { recursive: true });
    const before = await hashTree(spec);
    const r = io();
    expect(await runImport(["--page", reference("doc-pages", "real", page), "--spec", spec], r.io)).toBe(0);
    expect(r.err).toEqual([]);
    expect(
      r.out.some((l) => l.includes(warning)),
      r.out.join("\n"),
    ).toBe(true);
    expect(r.out.at(-1)).toMatch(/^0 added, 0 updated, 1 unchanged, 0 removed, 0 kept; bump none;/);
    // Nothing lost: DescribeTelCdr's note on its deprecated members, its hand-written English, every member.
    expect(await hashTree(spec)).toEqual(before);
  });

  it("a page whose model is in neither api.json nor the spec writes nothing and says what does not load", async () => {
    const spec = await emptySpec("page-unknown-model");
    const page = path.join(dir!, "unknown-model.en.txt");
    const text = await readFile(reference("doc-pages", "ModifyOwnNumberApply.en.txt"), "utf8");
    await writeFile(page, text.replaceAll("OwnNumberApplyDetailItem", "NoSuchDetailItem"));
    const before = await hashTree(spec);
    const r = io();
    expect(await runImport(["--page", page, "--spec", spec], r.io)).toBe(1);
    expect(r.out.join("\n")).toContain(
      "the page names the model NoSuchDetailItem, which neither api.json nor the spec has",
    );
    expect(r.err[0]).toMatch(/nothing was written/);
    expect(r.err.join("\n")).toContain("unknown type `NoSuchDetailItem`");
    expect(await hashTree(spec)).toEqual(before);
  });

  it("a page whose models need other models writes them all, taken from api.json", async () => {
    const spec = await emptySpec("page-models");
    const r = io();
    const page = reference("doc-pages", "ModifyOwnNumberApply.en.txt");
    expect(await runImport(["--page", page, "--spec", spec], r.io)).toBe(0);
    expect(r.err).toEqual([]);
    expect(await readdir(path.join(spec, "models"))).toEqual(["OwnNumberApplyDetailItem.yaml"]);
    expect(r.out).toContain("  added     model OwnNumberApplyDetailItem");
  });

  it("--from-sdk adds what the SDK has and spec/ lacks, marked `from`, and a second run changes nothing", async () => {
    const spec = await withoutFurtherSources(path.join(dir!, "sdk", "spec"));
    const first = io();
    expect(await runImport(["--from-sdk", SDK_MODELS, "--spec", spec], first.io)).toBe(0);
    expect(first.err).toEqual([]);
    expect(first.out).toContain("  feature (7):");
    expect(first.out).toContain("    AISpeakEvent.KnowledgeName: added (string)");
    expect(first.out).toContain("  added     model AICallAPICallDetail");
    const speak = parseYaml(await readFile(path.join(spec, "models", "AISpeakEvent.yaml"), "utf8")) as RawModelSpec;
    expect(speak.members.KnowledgeName!.from).toBe("ccc_models.d.ts");
    const model = parseYaml(await readFile(path.join(spec, "models", "AICallAPICallDetail.yaml"), "utf8"));
    expect((model as RawModelSpec).from).toBe("ccc_models.d.ts");
    const again = io();
    expect(await runImport(["--from-sdk", SDK_MODELS, "--spec", spec], again.io)).toBe(0);
    expect(again.out.at(-1)).toMatch(/^0 added, 0 updated, 0 unchanged, 0 removed, 0 kept; bump none;/);
  });

  it("an update keeps a model marked `from` while the sources lack it, and replaces it once they have it", async () => {
    const spec = await emptySpec("from-model");
    await runImport(["--all", "--from", WIDGETS, "--spec", spec], io().io);
    const extra = { ...clone(widgets.models.get("Owner")!.spec), model: "Gadget", from: "sdk.d.ts" };
    await writeFile(path.join(spec, "models", "Gadget.yaml"), renderModel(extra));
    const kept = io();
    expect(await runImport(["--all", "--from", WIDGETS, "--spec", spec], kept.io)).toBe(0);
    expect(kept.out).toContain("  kept      model Gadget");
    expect(kept.out).toContain("  Gadget: not in the sources yet; kept (from sdk.d.ts)");
    const newer = await widgetsWith("from-newer", (api) => {
      api.objects.Gadget = structuredClone(api.objects.Owner!);
    });
    expect(await runImport(["--all", "--from", newer, "--spec", spec], io().io)).toBe(0);
    const taken = parseYaml(await readFile(path.join(spec, "models", "Gadget.yaml"), "utf8")) as RawModelSpec;
    expect(taken.from).toBeUndefined();
  });

  it("exits 2 on bad usage and unreadable sources", async () => {
    const usage = io();
    expect(await runImport([], usage.io)).toBe(2);
    expect(usage.err[0]).toBe(
      "spec:import: give action names, --all, --page <file> or --from-sdk <file> (one of them)",
    );
    expect(await runImport(["--all", "CreateWidget"], io().io)).toBe(2);
    expect(await runImport(["--bogus"], io().io)).toBe(2);
    const missing = io();
    expect(await runImport(["--all", "--from", path.join(dir!, "nope")], missing.io)).toBe(2);
    expect(missing.err[0]).toMatch(
      /^spec:import: .*nope has no api\.zh\.json: a sources folder needs at least that file$/,
    );
    const broken = path.join(dir!, "broken-sources");
    await mkdir(broken, { recursive: true });
    await writeFile(path.join(broken, "api.zh.json"), "{ not json");
    const notJson = io();
    expect(await runImport(["--all", "--from", broken], notJson.io)).toBe(2);
    expect(notJson.err[0]).toMatch(/api\.zh\.json is not JSON/);
    const unknown = io();
    expect(await runImport(["NoSuchAction", "--from", WIDGETS, "--spec", dir!], unknown.io)).toBe(2);
    expect(unknown.err).toEqual(["spec:import: api.json has no action NoSuchAction"]);
  });

  it("runs as `npm run spec:import` (a subprocess) and prints its usage", async () => {
    const cli = (args: string[]) => runTs(path.join(REPO, "codegen/import/cli.ts"), args, { timeoutMs: 30_000 });
    const [help, both] = await Promise.all([cli(["--help"]), cli(["--all", "--page", "x.txt"])]);
    expect(help.code, describeRun(help)).toBe(0);
    expect(help.output).toMatch(/^usage: npm run spec:import -- <Action \.\.\.> \| --all \| --page <file>/);
    expect(both.code, describeRun(both)).toBe(2);
  }, 40_000);
});

describe("the YAML writer", () => {
  it("renders deterministically, in the seeds' key order, and parses back to the same data", () => {
    const spec = widgets.actions.get("DescribeWidgets")!.spec;
    const a = renderAction(spec, ["A header."]);
    expect(renderAction(clone(spec), ["A header."])).toBe(a);
    expect(parseYaml(a)).toEqual(JSON.parse(JSON.stringify(parseYaml(a))));
    expect(Object.keys(parseYaml(a) as object)).toEqual([
      "action",
      "title",
      "description",
      "rateLimitPerSecond",
      "idempotent",
      "idempotentReason",
      "notes",
      "input",
      "output",
      "errors",
      "examples",
    ]);
    expect(a.startsWith("# A header.\naction: DescribeWidgets\n")).toBe(true);
    expect(a).toContain("\n\ninput:\n");
    expect(a).toContain("    description: { zh: ID 列表, en: ID list. }\n");
    expect(a).toContain("    example: [1, 2]\n");
    expect(Object.keys((parseYaml(a) as RawActionSpec).input.Status!)).toEqual([
      "type",
      "enum",
      "description",
      "example",
    ]);
    const m = renderModel(widgets.models.get("Owner")!.spec);
    expect(Object.keys(parseYaml(m) as object)).toEqual(["model", "description", "notes", "members"]);
  });

  it("writes provenance marks last in a member and after the notes of an action", () => {
    const spec = clone(widgets.actions.get("DescribeWidgets")!.spec);
    spec.input.Ids!.handWritten = ["maxItems"];
    spec.handWritten = ["docs"];
    const out = renderAction(spec);
    expect(Object.keys((parseYaml(out) as RawActionSpec).input.Ids!).at(-1)).toBe("handWritten");
    expect(out).toContain('    handWritten: ["maxItems"]\n');
    const keys = Object.keys(parseYaml(out) as object);
    expect(keys.indexOf("handWritten")).toBe(keys.indexOf("notes") + 1);
  });

  it("folds long prose and keeps multi-line text literal", () => {
    const spec = clone(widgets.actions.get("HangUpWidget")!.spec);
    spec.notes = ["word ".repeat(40).trim()];
    spec.description = { zh: "第一行\n第二行" };
    const out = renderAction(spec);
    expect(out).toMatch(/notes:\n {2}- >-\n {4}word word/);
    expect(out).toContain("description:\n  zh: |-\n    第一行\n    第二行\n");
    expect(parseYaml(out)).toMatchObject({ notes: spec.notes, description: spec.description });
  });
});

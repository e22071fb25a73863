/**
 * Re-import (codegen/import/merge.ts), the YAML writer (codegen/import/yaml.ts) and the import command
 * (codegen/import/cli.ts): hand-written facts survive, source-owned facts update, every change is reported, a
 * reviewed file keeps its comments and wrapping, and importing the seeds over themselves changes no byte.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { importApi, type Sources } from "../../codegen/import/apijson.js";
import { runImport } from "../../codegen/import/cli.js";
import { mergeAction, mergeModel } from "../../codegen/import/merge.js";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";
import { patchSpecText, renderAction, renderModel } from "../../codegen/import/yaml.js";
import { copySpec } from "../support/mirror.js";
import { reference, REPO } from "../support/paths.js";
import { describeRun, runTs } from "../support/run.js";

const WIDGETS = path.join(REPO, "test", "import", "fixtures", "widgets");
const SHARED = reference("ccc");
const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, "utf8")) as T;

async function sourcesIn(dir: string, zh = "zh", en = "en"): Promise<Sources> {
  return {
    api: await readJson(path.join(dir, `api.${zh}.json`)),
    apiEn: await readJson(path.join(dir, `api.${en}.json`)),
    examples: await readJson(path.join(dir, `examples.${zh}.json`)),
    examplesEn: await readJson(path.join(dir, `examples.${en}.json`)),
    errorcodes: await readJson(path.join(dir, `errorcodes.${zh}.json`)),
    errorcodesEn: await readJson(path.join(dir, `errorcodes.${en}.json`)),
  };
}

const clone = <T>(v: T): T => structuredClone(v);

let real: ReturnType<typeof importApi>;
let widgets: ReturnType<typeof importApi>;
let seedText: Record<string, string>;
let seeds: { disable: RawActionSpec; modify: RawActionSpec; detail: RawModelSpec };
/** The spec/ models, for re-checking example requests. */
let specModels: Record<string, RawModelSpec>;

beforeAll(async () => {
  real = importApi(await sourcesIn(SHARED), { actions: ["DisableCCCPhoneNumber", "ModifyOwnNumberApply"] });
  widgets = importApi(await sourcesIn(WIDGETS));
  seedText = {
    disable: await readFile(path.join(REPO, "spec/actions/DisableCCCPhoneNumber.yaml"), "utf8"),
    modify: await readFile(path.join(REPO, "spec/actions/ModifyOwnNumberApply.yaml"), "utf8"),
    detail: await readFile(path.join(REPO, "spec/models/OwnNumberApplyDetailItem.yaml"), "utf8"),
  };
  seeds = {
    disable: parseYaml(seedText.disable!) as RawActionSpec,
    modify: parseYaml(seedText.modify!) as RawActionSpec,
    detail: parseYaml(seedText.detail!) as RawModelSpec,
  };
  specModels = {};
  for (const f of await readdir(path.join(REPO, "spec/models")))
    specModels[f.replace(/\.yaml$/, "")] = parseYaml(
      await readFile(path.join(REPO, "spec/models", f), "utf8"),
    ) as RawModelSpec;
});

describe("hand-written facts of the seeds survive a re-import", () => {
  it("DisableCCCPhoneNumber keeps its enum names, list rules, docs, idempotent, en texts and error texts", () => {
    const r = mergeAction(seeds.disable, real.actions.get("DisableCCCPhoneNumber")!.spec, specModels);
    const s = r.spec;
    expect(s.input.Disabled!.enum).toEqual(seeds.disable.input.Disabled!.enum);
    expect(s.input.Disabled!.enum!.map((e) => e.name)).toEqual(["Enable", "Disable"]);
    expect(s.input.PhoneNumbers).toMatchObject({ minItems: 1, uniqueItems: true, pattern: "^0086" });
    expect(s.docs).toEqual({ zh: "https://cloud.tencent.com/document/product/679/80901" });
    expect(s.idempotent).toBe(true);
    expect(s.notes).toBeUndefined(); // no "decided by the verb rule" note on a hand-written spec
    expect(s.title).toEqual({ zh: "停用号码", en: "Disable phone numbers" }); // api.en.json says "Disables number"
    expect(s.errors.find((e) => e.code === "InvalidParameter.SipAccountUserFormat")!.description.en).toBe(
      "Illegal username (only A-Z, a-z and digits).",
    );
    expect(r.changes).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it("ModifyOwnNumberApply keeps its notes (no duplicate of the wrong-header note) and its hand-written en texts", () => {
    const r = mergeAction(seeds.modify, real.actions.get("ModifyOwnNumberApply")!.spec, specModels);
    expect(r.spec.notes).toEqual(seeds.modify.notes);
    expect(r.spec.input.CalleeFormatPassthrough!.description.en).toBe(
      "Pass the callee number through as entered, without reformatting.",
    );
    expect(r.changes).toEqual([]);
  });

  it("OwnNumberApplyDetailItem keeps the names of its enum and its corrected en text", () => {
    const r = mergeModel(seeds.detail, real.models.get("OwnNumberApplyDetailItem")!.spec, specModels);
    expect(r.spec.members.CallType!.enum!.map((e) => e.name)).toEqual(["Inbound", "Outbound", "InboundAndOutbound"]);
    expect(r.spec.members.OutboundCalleeFormat!.description.en).toBe(
      "Outbound called number format: {+E.164} or {E.164}.",
    );
    expect(r.changes).toEqual([]);
  });

  it("the seeds are a fixed point: patching them with their merge changes no byte", () => {
    const disable = mergeAction(seeds.disable, real.actions.get("DisableCCCPhoneNumber")!.spec, specModels).spec;
    const modify = mergeAction(seeds.modify, real.actions.get("ModifyOwnNumberApply")!.spec, specModels).spec;
    const detail = mergeModel(seeds.detail, real.models.get("OwnNumberApplyDetailItem")!.spec, specModels).spec;
    expect(patchSpecText(seedText.disable!, disable)).toBe(seedText.disable);
    expect(patchSpecText(seedText.modify!, modify)).toBe(seedText.modify);
    expect(patchSpecText(seedText.detail!, detail)).toBe(seedText.detail);
  });

  it("the justified diff of the seed: the example's en description examples.en.json has, one line, nothing else", () => {
    const line = "      en: This example shows you how to disable number.\n";
    expect(seedText.disable).toContain(line);
    const before = seedText.disable!.replace(line, ""); // the seed as it was written by hand
    const r = mergeAction(
      parseYaml(before) as RawActionSpec,
      real.actions.get("DisableCCCPhoneNumber")!.spec,
      specModels,
    );
    expect(r.changes).toEqual(["examples[0].description.en: added"]);
    expect(patchSpecText(before, r.spec)).toBe(seedText.disable);
  });
});

describe("source-owned facts update, and the report says what changed", () => {
  const imported = () => clone(widgets.actions.get("DescribeWidgets")!.spec);
  const models = () => Object.fromEntries([...widgets.models].map(([n, r]) => [n, r.spec]));

  it("members added, removed, retyped, required flipped, zh texts changed; hand-written constraints kept", () => {
    const old = imported();
    delete old.input.Ratio; // the source added it since
    old.input.Gone = { type: "string", description: { zh: "已删除" } }; // the source removed it since
    old.input.Ids!.type = "int64"; // retyped since
    old.input.Ids!.maxItems = 100; // hand-written
    old.input.SdkAppId!.required = false; // flipped since
    old.input.Phone!.description = { zh: "旧说明", en: "Hand-written translation." }; // zh changed since
    old.input.Verbose!.description = { zh: "是否详细", en: "Return every detail." }; // zh unchanged: en stays
    old.input.Status!.enum = [
      { value: 0, name: "On", description: { zh: "启用" } },
      { value: 1, name: "Off", description: { zh: "停用" } },
    ];
    old.idempotent = false; // reviewed by a person
    old.notes = ["A person wrote this."];
    old.docs = { en: "https://example.test/widgets" };
    old.errors = [{ code: "Old.Code", description: { zh: "旧" } }, ...old.errors];
    const r = mergeAction(old, imported(), models());
    expect(r.changes).toEqual([
      'notes: added "Disabled in api.json (kept as deprecated: Tencent hides t..."',
      'notes: added "Deprecated by its description (废弃 / deprecated), though n..."',
      "input.SdkAppId.required: false → true",
      "input.Ids.type: int64 → uint64",
      'input.Phone.description.zh: changed to "号码，0086开头"',
      'input.Phone.description.en: changed to "Number starting with 0086."',
      "input.Ratio: added (float)",
      "input.Gone: removed",
      "errors.Old.Code: removed",
    ]);
    const s = r.spec;
    expect(s.input.Ids).toMatchObject({ type: "uint64", maxItems: 100 });
    expect(s.input.Status!.enum!.map((e) => e.name)).toEqual(["On", "Off"]);
    expect(s.input.Verbose!.description).toEqual({ zh: "是否详细", en: "Return every detail." });
    expect(s.idempotent).toBe(false);
    expect(s.notes).toEqual([
      "A person wrote this.",
      "Disabled in api.json (kept as deprecated: Tencent hides them, old callers and old answers still carry them): `input.Offset`, `output.Legacy`.",
      "Deprecated by its description (废弃 / deprecated), though not disabled in api.json: `input.OldPhone`.",
    ]);
    expect(s.docs).toEqual({ en: "https://example.test/widgets" });
    expect(s.errors.map((e) => e.code)).toEqual(["InvalidParameterValue"]);
    expect(Object.keys(s.input)).not.toContain("Gone");
  });

  it("a zh change with no new en keeps the old en and warns to review it", () => {
    const old = imported();
    old.input.Kind!.description = { zh: "旧的类型", en: "Kind (hand-written)." };
    const r = mergeAction(old, imported(), models());
    expect(r.spec.input.Kind!.description).toEqual({ zh: "类型，1-小 2-大", en: "Kind (hand-written)." });
    expect(r.warnings).toEqual(["input.Kind.description.en: kept, but the zh text changed: review the translation"]);
  });

  it("replaces the importer's own notes, keeps hand-written ones, and adds none a kept note covers", () => {
    const old = imported();
    old.notes = [
      "Disabled in api.json (kept as deprecated: Tencent hides them, old callers and old answers still carry them): `input.Old`.",
      "`input.OldPhone` is deprecated: use Phone (a person wrote this).",
    ];
    const r = mergeAction(old, imported(), models());
    expect(r.spec.notes).toEqual([
      "Disabled in api.json (kept as deprecated: Tencent hides them, old callers and old answers still carry them): `input.Offset`, `output.Legacy`.",
      "`input.OldPhone` is deprecated: use Phone (a person wrote this).",
    ]);
    expect(r.changes).toEqual(['notes: replaced "Disabled in api.json (kept as deprecated: Tencent hides t..."']);
  });

  it("keeps a person's idempotent and idempotentReason, and drops the old verb-rule note", () => {
    const reviewed = imported();
    reviewed.idempotent = false;
    reviewed.idempotentReason = "A repeat files a second request (a person read the page).";
    reviewed.notes = ["idempotent: true decided by the importer's verb rule (an older wording); review."];
    const r = mergeAction(reviewed, imported(), models());
    expect(r.spec.idempotent).toBe(false);
    expect(r.spec.idempotentReason).toBe("A repeat files a second request (a person read the page).");
    expect((r.spec.notes ?? []).filter((n) => n.startsWith("idempotent"))).toEqual([]);
    expect(r.changes).toContain(
      'notes: removed "idempotent: true decided by the importer\'s verb rule (an ..." (idempotentReason says why)',
    );
  });

  it("keeps English marked handWritten whatever the source's English says, and follows the source's zh", () => {
    const old = imported();
    old.title = { zh: "旧标题", en: "A person's title", handWritten: true };
    const neu = imported();
    neu.title = { zh: "新标题", en: "The machine's title" };
    const r = mergeAction(old, neu, models());
    expect(r.spec.title).toEqual({ zh: "新标题", en: "A person's title", handWritten: true });
  });

  it("re-checks examples against the merged spec: a hand-written enum makes an example invalid, a kept reason stays", () => {
    const old = imported();
    old.input.Verbose!.enum = undefined;
    old.input.Status!.enum = [{ value: 0, name: "OnlyZero" }];
    const r = mergeAction(old, imported(), models());
    expect(r.spec.examples![0]!.invalid).toBe("Status must be one of 0, got the number 1");
    expect(r.changes).toContain(
      "examples[0]: breaks the spec, marked invalid (Status must be one of 0, got the number 1)",
    );

    const create = clone(widgets.actions.get("CreateWidget")!.spec);
    create.examples![0]!.invalid = "Size is a string in Tencent's example (a person wrote this).";
    const again = mergeAction(create, clone(widgets.actions.get("CreateWidget")!.spec), models());
    expect(again.spec.examples![0]!.invalid).toBe("Size is a string in Tencent's example (a person wrote this).");
    expect(again.changes).toEqual([]);

    const fixed = clone(widgets.actions.get("CreateWidget")!.spec);
    fixed.input.Size!.type = "string"; // the source now says string: the example fits
    const third = mergeAction(clone(widgets.actions.get("CreateWidget")!.spec), fixed, models());
    expect(third.spec.examples![0]!.invalid).toBeUndefined();
    expect(third.changes).toEqual([
      "input.Size.type: int64 → string",
      "input.Size.example: removed (it no longer fits)",
      "examples[0]: now satisfies the spec, `invalid` removed",
    ]);
  });

  it("drops a hand-written constraint the new type cannot carry, and says so", () => {
    const old = imported();
    old.input.Names!.minItems = 1;
    const neu = imported();
    neu.input.Names!.list = false;
    delete neu.input.Names!.example;
    const r = mergeAction(old, neu, models());
    expect(r.spec.input.Names!.minItems).toBeUndefined();
    expect(r.changes).toContain("input.Names.minItems: removed: it does not apply to the type string");
    expect(r.changes).toContain("input.Names.list: true → false");
  });

  it("a doc page (partial) only fills gaps: new members, codes and texts; it says where it disagrees", () => {
    const old = imported();
    delete old.input.Phone!.description.en;
    const page = imported();
    delete page.input.Ratio; // the page lacks a member: kept
    page.input.SdkAppId!.type = "int64"; // pages say "Integer" for uint64 too: no warning
    page.input.Status!.type = "string"; // a real disagreement: kept, with a warning
    page.input.SdkAppId!.required = false; // a crawl without the Required column: kept, with a warning
    page.input.Phone!.description = { zh: "号码,0086开头", en: "Phone number." }; // zh kept, the missing en filled
    page.input.Extra = { type: "string", description: { en: "New on the page." } };
    page.errors.push({ code: "FailedOperation.New", description: { en: "New." } });
    page.examples = [{ title: { en: "Re-typed" }, request: { SdkAppId: 1 }, response: { RequestId: "x" } }];
    const r = mergeAction(old, page, models(), { partial: true });
    expect(r.spec.input.Ratio).toBeDefined();
    expect(r.spec.input.SdkAppId).toMatchObject({ type: "uint64", required: true });
    expect(r.spec.input.Status!.type).toBe("int64");
    expect(r.spec.input.Phone!.description).toEqual({ zh: "号码，0086开头", en: "Phone number." });
    expect(r.spec.examples).toEqual(old.examples);
    expect(r.changes).toEqual([
      "input.Phone.description.en: added",
      "input.Extra: added (string)",
      "errors.FailedOperation.New: added",
    ]);
    expect(r.warnings).toEqual([
      "input.SdkAppId.required: the page says false; kept true",
      "input.Status.type: the page says string; kept int64",
      "input.Ratio: not in the source (a partial one): kept",
    ]);
  });

  it("a new spec is the import itself, reported as added", () => {
    const r = mergeAction(undefined, imported(), models());
    expect(r.changes).toEqual(["added"]);
    expect(r.spec.idempotentReason).toMatch(/^unreviewed: true by the importer's verb rule/);
  });
});

describe("the YAML writer", () => {
  it("renders deterministically, in the seeds' key order, and parses back to the same data", () => {
    const spec = widgets.actions.get("DescribeWidgets")!.spec;
    const a = renderAction(spec, ["A header."]);
    expect(renderAction(clone(spec), ["A header."])).toBe(a);
    expect(parseYaml(a)).toEqual(JSON.parse(JSON.stringify(parseYaml(a))));
    const keys = Object.keys(parseYaml(a) as object);
    expect(keys).toEqual([
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
    expect(a).toContain('      Values: ["big", "small"]\n');
    expect(Object.keys((parseYaml(a) as RawActionSpec).input.Status!)).toEqual([
      "type",
      "enum",
      "description",
      "example",
    ]);
    const m = renderModel(widgets.models.get("Owner")!.spec);
    expect(Object.keys(parseYaml(m) as object)).toEqual(["model", "description", "notes", "members"]);
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

  it("patches only the lines of what changed, keeping comments and hand wrapping", () => {
    const text = seedText.modify!;
    const spec = parseYaml(text) as RawActionSpec;
    spec.input.ApplyId!.required = true;
    spec.input.NewMember = { type: "string", description: { zh: "新成员" } };
    spec.errors = spec.errors.filter((e) => e.code !== "InternalError");
    const out = patchSpecText(text, spec);
    expect(parseYaml(out)).toEqual(JSON.parse(JSON.stringify(spec)));
    const once = (from: string, to: string) => (t: string) => {
      expect(t.split(from)).toHaveLength(2);
      return t.replace(from, to);
    };
    const expected = [
      once("  ApplyId:\n    type: uint64\n", "  ApplyId:\n    type: uint64\n    required: true\n"),
      once(
        '    example: "00"\n\noutput:',
        '    example: "00"\n  NewMember:\n    type: string\n    description: { zh: 新成员 }\n\noutput:',
      ),
      once("  - code: InternalError\n    description: { zh: 内部错误。, en: An internal error occurs. }\n", ""),
    ].reduce((t, edit) => edit(t), text);
    expect(out).toBe(expected);
    expect(out).toContain(
      "# Modifying an approval form to the same content twice leaves the same form.\nidempotent: true",
    );
  });
});

describe("npm run spec:import", () => {
  let dir: string | undefined;
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ccc-import-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // The copies are of the fixture spec (test/fixtures/spec/): spec/'s service.yaml, seeds and their model.
  it("importing the two seed actions over a copy of spec/ changes no byte and reports them unchanged", async () => {
    const spec = path.join(dir!, "seeds");
    await copySpec(spec);
    const r = io();
    const code = await runImport(["DisableCCCPhoneNumber", "ModifyOwnNumberApply", "--spec", spec], r.io);
    expect(r.err).toEqual([]);
    expect(code).toBe(0);
    expect(r.out).toContain("  unchanged action DisableCCCPhoneNumber");
    expect(r.out).toContain("  unchanged action ModifyOwnNumberApply");
    expect(r.out).toContain("  unchanged model OwnNumberApplyDetailItem");
    for (const f of [
      "actions/DisableCCCPhoneNumber.yaml",
      "actions/ModifyOwnNumberApply.yaml",
      "models/OwnNumberApplyDetailItem.yaml",
    ])
      expect(await readFile(path.join(spec, f), "utf8"), f).toBe(await readFile(path.join(REPO, "spec", f), "utf8"));
  });

  it.each([
    ["DisableCCCPhoneNumber.zh.txt", "actions/DisableCCCPhoneNumber.yaml", []],
    ["ModifyOwnNumberApply.en.txt", "actions/ModifyOwnNumberApply.yaml", ["models/OwnNumberApplyDetailItem.yaml"]],
  ] as const)(
    "--page %s over the seed spec changes nothing and reports what the page cannot say",
    async (page, file, models) => {
      const spec = path.join(dir!, `page-${page}`);
      await copySpec(spec);
      const r = io();
      const pageFile = reference("doc-pages", page);
      expect(await runImport(["--page", pageFile, "--spec", spec], r.io)).toBe(0);
      expect(r.err).toEqual([]);
      for (const f of [file, ...models])
        expect(await readFile(path.join(spec, f), "utf8"), f).toBe(await readFile(path.join(REPO, "spec", f), "utf8"));
      expect(r.out.join("\n")).toContain("idempotent is not stated on the page: decide it and write idempotentReason");
      if (page.startsWith("Modify"))
        expect(r.out.join("\n")).toContain(
          "example 1 sends X-TC-Action: CreateOwnNumberApply but this page documents ModifyOwnNumberApply",
        );
    },
  );

  it("--all into an empty spec folder writes every action and model, loads, and a second run is a fixed point", async () => {
    const spec = path.join(dir!, "widgets");
    await cp(path.join(REPO, "spec", "service.yaml"), path.join(spec, "service.yaml"));
    const first = io();
    expect(await runImport(["--all", "--api", path.join(WIDGETS, "api.zh.json"), "--spec", spec], first.io)).toBe(0);
    expect(first.err).toEqual([]);
    expect(first.out).toContain("9 added, 0 updated, 0 unchanged; 6 lifted, 1 invalid example(s), 8 warning(s)");
    expect(first.out).toContain("  enum DescribeWidgets.input.Status: 0 (启用), 1 (停用)");
    expect(first.out).toContain(
      "  dropped enum DescribeWidgets.input.Kind: 1 (小), 2 (大) (official example value 3 is not in it)",
    );
    expect(first.out).toContain('  CreateWidget examples[0]: Size must be an integer, got the string "10"');
    expect(first.out).toContain("  false HangUpWidget (HangUp: repeating it may act twice)");
    expect(first.out).toContain(
      "npm run generate refuses 5 spec(s) until idempotent is reviewed: set it and write idempotentReason in each",
    );
    expect(first.out).toContain("  1 action(s) only in api.zh.json, imported with zh texts only: DescribeOldWidgets");
    expect(first.out).toContain("  models no action uses (imported all the same): Orphan");
    expect((await readdir(path.join(spec, "actions"))).sort()).toEqual(
      ["CreateWidget", "DescribeOldWidgets", "DescribeWidgets", "HangUpWidget", "ModifyWidget"].map((n) => `${n}.yaml`),
    );
    const second = io();
    expect(await runImport(["--all", "--api", path.join(WIDGETS, "api.zh.json"), "--spec", spec], second.io)).toBe(0);
    expect(second.out.some((l) => /^0 added, 0 updated, 9 unchanged;/.test(l))).toBe(true);

    // A person edits a file; the next import keeps the edit and reports what the source changed.
    const file = path.join(spec, "actions", "ModifyWidget.yaml");
    const edited = (await readFile(file, "utf8")).replace(
      "idempotent: true",
      "# Checked by a person.\nidempotent: false",
    );
    await writeFile(file, edited);
    const api = await readJson<{ objects: Record<string, { members: { name: string; required?: boolean }[] }> }>(
      path.join(WIDGETS, "api.zh.json"),
    );
    api.objects.ModifyWidgetRequest!.members.find((m) => m.name === "Name")!.required = true;
    const newer = path.join(dir!, "newer");
    await cp(WIDGETS, newer, { recursive: true });
    await writeFile(path.join(newer, "api.zh.json"), JSON.stringify(api));
    const third = io();
    expect(await runImport(["ModifyWidget", "--api", path.join(newer, "api.zh.json"), "--spec", spec], third.io)).toBe(
      0,
    );
    expect(third.out).toContain("  updated   action ModifyWidget:");
    expect(third.out).toContain("              input.Name.required: false → true");
    const after = await readFile(file, "utf8");
    expect(after).toContain("# Checked by a person.\nidempotent: false");
    expect(after.replace("    required: true\n    description: { zh: 名称", "    description: { zh: 名称")).toBe(
      edited,
    );
  });

  it("--dry-run prints the report and writes nothing", async () => {
    const spec = path.join(dir!, "dry");
    await cp(path.join(REPO, "spec", "service.yaml"), path.join(spec, "service.yaml"));
    const r = io();
    expect(
      await runImport(["CreateWidget", "--dry-run", "--api", path.join(WIDGETS, "api.zh.json"), "--spec", spec], r.io),
    ).toBe(0);
    expect(r.out).toContain("  added     action CreateWidget");
    expect(r.out.at(-1)).toMatch(/nothing written \(dry run\)$/);
    expect(await readdir(spec)).toEqual(["service.yaml"]);
  });

  it("exits 2 on bad usage and unreadable input, 1 when the result does not load", async () => {
    const usage = io();
    expect(await runImport([], usage.io)).toBe(2);
    expect(usage.err[0]).toBe("spec:import: give action names, --all, or --page <file> (one of them)");
    expect(await runImport(["--all", "CreateWidget"], io().io)).toBe(2);
    expect(await runImport(["--bogus"], io().io)).toBe(2);
    const missing = io();
    expect(await runImport(["--all", "--api", path.join(dir!, "nope.json")], missing.io)).toBe(2);
    expect(missing.err[0]).toMatch(/^spec:import: cannot read .*nope\.json/);
    const unknown = io();
    expect(
      await runImport(["NoSuchAction", "--api", path.join(WIDGETS, "api.zh.json"), "--spec", dir!], unknown.io),
    ).toBe(2);
    expect(unknown.err).toEqual(["spec:import: api.json has no action NoSuchAction"]);

    const noService = path.join(dir!, "no-service");
    const broken = io();
    expect(
      await runImport(["CreateWidget", "--api", path.join(WIDGETS, "api.zh.json"), "--spec", noService], broken.io),
    ).toBe(1);
    expect(broken.err[0]).toMatch(/does not load after the import/);
  });

  it("--page merges a doc page into its spec as a gap filler: the seed's page changes nothing", async () => {
    const spec = path.join(dir!, "page");
    await copySpec(spec);
    const r = io();
    const page = reference("doc-pages", "DisableCCCPhoneNumber.zh.txt");
    expect(await runImport(["--page", page, "--spec", spec], r.io)).toBe(0);
    expect(r.out).toContain("  unchanged action DisableCCCPhoneNumber");
    expect(r.out).toContain("  DisableCCCPhoneNumber: input.Disabled.required: the page says false; kept true");
    expect(await readFile(path.join(spec, "actions/DisableCCCPhoneNumber.yaml"), "utf8")).toBe(seedText.disable);
  });

  it("runs as `npm run spec:import` (a subprocess) and prints its usage", async () => {
    const cli = (args: string[]) => runTs(path.join(REPO, "codegen/import/cli.ts"), args, { timeoutMs: 30_000 });
    const [help, both] = await Promise.all([cli(["--help"]), cli(["--all", "--page", "x.txt"])]);
    expect(help.code, describeRun(help)).toBe(0);
    expect(help.output).toMatch(/^usage: npm run spec:import -- <Action \.\.\.> \| --all \| --page <file>/);
    expect(both.code, describeRun(both)).toBe(2);
  }, 40_000);
});

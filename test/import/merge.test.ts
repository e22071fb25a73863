/**
 * Re-import (codegen/import/merge.ts) and adoption (codegen/import/adopt.ts) on the constructed "widgets" sources
 * (test/import/fixtures/widgets/) and the seeds of spec/: an update is the fresh import with exactly the marked,
 * hand-written facts laid over it; a doc page only fills gaps; adoption marks what a fresh import would change.
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { adoptAction, adoptModel } from "../../codegen/import/adopt.js";
import { importApi, type Sources } from "../../codegen/import/apijson.js";
import { fillAction, updateAction, updateModel } from "../../codegen/import/merge.js";
import { readSources } from "../../codegen/import/sources.js";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";
import { normalizeAction, renderAction } from "../../codegen/import/yaml.js";
import { reference, REPO, SPEC_DIR } from "../support/paths.js";

const WIDGETS = path.join(REPO, "test", "import", "fixtures", "widgets");

let widgets: ReturnType<typeof importApi>;
let real: ReturnType<typeof importApi>;
let realSources: Sources;
let specModels: Record<string, RawModelSpec>;
const clone = <T>(v: T): T => structuredClone(v);

beforeAll(async () => {
  widgets = importApi((await readSources(WIDGETS)).sources);
  realSources = (await readSources(reference("ccc"))).sources;
  real = importApi(realSources, { actions: ["DisableCCCPhoneNumber", "ModifyOwnNumberApply"] });
  specModels = {};
  for (const f of await readdir(path.join(REPO, "spec/models")))
    specModels[f.replace(/\.yaml$/, "")] = parseYaml(
      await readFile(path.join(REPO, "spec/models", f), "utf8"),
    ) as RawModelSpec;
});

const fresh = () => clone(widgets.actions.get("DescribeWidgets")!.spec);
const models = () => Object.fromEntries([...widgets.models].map(([n, r]) => [n, r.spec]));
const seed = async (file: string) => parseYaml(await readFile(path.join(REPO, "spec", file), "utf8"));

describe("an update is the fresh import, with what a person marked laid over it", () => {
  it("with nothing hand-written, the result is the fresh import whatever the old spec said", () => {
    const old = fresh();
    old.title = { zh: "旧标题", en: "Old title" };
    old.input.Phone!.description = { zh: "号码，0086开头", en: "An old translation." }; // zh unchanged: en follows too
    old.input.Gone = { type: "string", description: { zh: "已删除" } };
    old.input.Ids!.maxItems = 100; // unmarked: the importer's (or a stale) fact
    old.input.Verbose!.deprecated = true; // the sources no longer deprecate it
    old.input.Kind!.example = 2; // an old member example
    old.errors = [{ code: "Old.Code", description: { zh: "旧" } }, ...old.errors];
    old.examples![0]!.title = { zh: "旧示例", en: "Old example" };
    const r = updateAction(old, fresh(), models());
    expect(r.spec).toEqual(updateAction(undefined, fresh(), models()).spec);
    expect(r.warnings).toEqual([]);
  });

  it("keeps each marked fact, a reviewed idempotency, a person's notes and an error's retry", () => {
    const old = fresh();
    old.input.Ids!.maxItems = 100;
    old.input.Ids!.handWritten = ["maxItems"];
    old.input.Status!.enum = [
      { value: 0, name: "On", description: { zh: "启用" } },
      { value: 1, name: "Off", description: { zh: "停用" } },
    ];
    old.input.Status!.handWritten = ["enum"];
    old.input.Phone!.description = { zh: "旧说明", en: "A person's translation.", handWritten: true };
    old.input.Extra = { type: "string", description: { zh: "人加的", en: "Added by a person." }, handWritten: true };
    old.idempotent = false;
    old.idempotentReason = "A person read the page: a repeat pages the on-call twice.";
    old.notes = ["A person wrote this."];
    old.docs = { en: "https://example.test/widgets" };
    old.handWritten = ["docs"];
    old.errors = old.errors.map((e) => ({ ...e, retry: "always" as const }));
    const s = updateAction(old, fresh(), models()).spec;
    expect(s.input.Ids).toMatchObject({ maxItems: 100, handWritten: ["maxItems"] });
    expect(s.input.Status!.enum!.map((e) => e.name)).toEqual(["On", "Off"]);
    // The zh follows the source, the English is the person's.
    expect(s.input.Phone!.description).toEqual({
      zh: fresh().input.Phone!.description.zh,
      en: "A person's translation.",
      handWritten: true,
    });
    expect(s.input.Extra).toEqual(old.input.Extra);
    expect([s.idempotent, s.idempotentReason]).toEqual([false, old.idempotentReason]);
    expect(s.notes![0]).toBe("A person wrote this.");
    expect(s.docs).toEqual({ en: "https://example.test/widgets" });
    expect(s.handWritten).toEqual(["docs"]);
    expect(s.errors.every((e) => e.retry === "always")).toBe(true);
  });

  it("applies an upstream un-deprecation, and a deprecation, both ways", () => {
    const deprecatedBefore = fresh();
    deprecatedBefore.input.Verbose!.deprecated = true;
    deprecatedBefore.deprecated = true;
    const s = updateAction(deprecatedBefore, fresh(), models()).spec;
    expect(s.input.Verbose!.deprecated).toBeUndefined();
    expect(s.deprecated).toBeUndefined();
    const newer = fresh();
    newer.input.Phone!.deprecated = true;
    expect(updateAction(fresh(), newer, models()).spec.input.Phone!.deprecated).toBe(true);
  });

  it("drops what the sources dropped unless --keep-removed, which keeps and reports it", () => {
    const old = fresh();
    old.input.Gone = { type: "string", description: { zh: "已删除" } };
    old.errors.push({ code: "Old.Code", description: { zh: "旧" } });
    expect(updateAction(old, fresh(), models()).spec.input.Gone).toBeUndefined();
    const kept = updateAction(old, fresh(), models(), { keepRemoved: true });
    expect(kept.spec.input.Gone).toEqual(old.input.Gone);
    expect(kept.spec.errors.map((e) => e.code)).toContain("Old.Code");
    expect(kept.warnings).toEqual([
      "input.Gone: not in the sources any more; kept (--keep-removed)",
      "errors.Old.Code: not in the sources any more; kept (--keep-removed)",
    ]);
  });

  it("keeps a member marked `from` a further source while the sources lack it, then takes theirs", () => {
    const old = fresh();
    old.input.Later = { type: "string", description: { zh: "以后" }, from: "sdk.d.ts" };
    const kept = updateAction(old, fresh(), models());
    expect(kept.spec.input.Later).toEqual(old.input.Later);
    expect(kept.warnings).toEqual([]);
    const newer = fresh();
    newer.input.Later = { type: "string", description: { zh: "api.json 的说明" } };
    const taken = updateAction(old, newer, models()).spec.input.Later!;
    expect(taken).toEqual({ type: "string", description: { zh: "api.json 的说明" } });
  });

  it("keeps the English the sources cannot give when a file is missing from them", () => {
    const old = fresh();
    const zhOnly = fresh();
    delete zhOnly.title.en;
    delete zhOnly.input.Phone!.description.en;
    const dropped = updateAction(old, zhOnly, models()).spec;
    expect(dropped.title.en).toBeUndefined();
    const kept = updateAction(old, zhOnly, models(), { keepEnglish: true }).spec;
    expect(kept.title.en).toBe(old.title.en);
    expect(kept.input.Phone!.description.en).toBe(old.input.Phone!.description.en);
  });

  it("drops a marked fact the new type cannot carry, and warns when the source contradicts a marked enum", () => {
    const old = fresh();
    old.input.Names!.minItems = 1;
    old.input.Names!.handWritten = ["minItems"];
    old.input.Status!.enum = [{ value: 0 }, { value: 1 }, { value: 9 }];
    old.input.Status!.handWritten = ["enum"];
    const neu = fresh();
    neu.input.Names!.list = false;
    delete neu.input.Names!.example;
    const r = updateAction(old, neu, models());
    expect(r.spec.input.Names!.minItems).toBeUndefined();
    expect(r.warnings).toContain("input.Names.minItems: removed: it does not apply to the type string");
    expect(r.warnings.some((w) => w === "input.Status.enum: kept [0, 1, 9]; the description now reads as [0, 1]")).toBe(
      true,
    );
  });

  it("re-checks examples: a person's invalid reason stays, the importer's own is written again", () => {
    const create = () => clone(widgets.actions.get("CreateWidget")!.spec);
    const own = updateAction(undefined, create(), models()).spec;
    const reason = own.examples![0]!.invalid!;
    expect(reason).toBe('Size must be an integer, got the string "10"');
    const person = clone(own);
    person.examples![0]!.invalid = "Size is a string in Tencent's example (a person wrote this).";
    expect(updateAction(person, create(), models()).spec.examples![0]!.invalid).toBe(
      "Size is a string in Tencent's example (a person wrote this).",
    );
    const fixed = create();
    fixed.input.Size!.type = "string"; // the source now says string: the example fits
    delete fixed.input.Size!.example;
    expect(updateAction(own, fixed, models()).spec.examples![0]!.invalid).toBeUndefined();
  });

  it("the seeds of spec/ are a fixed point of an update from the sources they were imported from", async () => {
    const disable = (await seed("actions/DisableCCCPhoneNumber.yaml")) as RawActionSpec;
    const modify = (await seed("actions/ModifyOwnNumberApply.yaml")) as RawActionSpec;
    const detail = (await seed("models/OwnNumberApplyDetailItem.yaml")) as RawModelSpec;
    for (const s of [disable, modify]) {
      const r = updateAction(s, clone(real.actions.get(s.action)!.spec), specModels);
      expect(r.spec, s.action).toEqual(normalizeAction(clone(s)));
    }
    expect(updateModel(detail, clone(real.models.get(detail.model)!.spec), specModels).spec).toEqual(detail);
    expect(disable.input.PhoneNumbers!.handWritten).toEqual(["minItems", "uniqueItems"]);
  });
});

describe("paginators and waiters are a person's: updates keep them", () => {
  const paginator = () => ({
    style: "offset",
    offset: "Offset",
    size: "Limit",
    maxSize: 100,
    items: "Widgets",
    total: "TotalCount",
  });
  const waiters = () => ({
    WidgetsActive: {
      description: { en: "Waits until every widget is active." },
      minDelayMs: 1000,
      maxDelayMs: 30000,
      acceptors: [
        { path: "Widgets[].State", match: "all", expected: [1], state: "success" },
        { error: "InvalidParameterValue", state: "failure" },
      ],
    },
  });
  /** The widgets spec with a paginator and a waiter, its page size a member a person added (the sources lack it). */
  const paged = () => {
    const s = fresh();
    s.input.Limit = { type: "uint64", description: { zh: "每页", en: "Page size." }, handWritten: true };
    s.paginator = paginator();
    s.waiters = waiters();
    return s;
  };

  it("keeps `paginator` and `waiters` as written, last in the file, and changes nothing else", () => {
    const r = updateAction(paged(), fresh(), models());
    expect(r.warnings).toEqual([]);
    expect(r.spec.paginator).toEqual(paginator());
    expect(r.spec.waiters).toEqual(waiters());
    expect(Object.keys(r.spec).slice(-2)).toEqual(["paginator", "waiters"]);
    const { paginator: _p, waiters: _w, ...rest } = r.spec;
    const { paginator: _op, waiters: _ow, ...without } = paged();
    expect(rest).toEqual(updateAction(without, fresh(), models()).spec);
    // An update of the update keeps them again.
    expect(updateAction(r.spec, fresh(), models()).spec).toEqual(r.spec);
  });

  it("warns, at the key, when the update drops a member the paginator or a waiter names", () => {
    const old = paged();
    delete old.input.Limit!.handWritten; // now the sources' to drop
    const newer = fresh();
    delete newer.input.Offset;
    delete newer.output.TotalCount;
    const fewer = clone(models());
    delete fewer.Widget!.members.State;
    const r = updateAction(old, newer, fewer);
    expect(r.spec.paginator).toEqual(paginator());
    expect(r.spec.waiters).toEqual(waiters());
    expect(r.warnings).toEqual([
      "paginator.offset: `Offset` is no longer an input member of the action; fix the paginator",
      "paginator.size: `Limit` is no longer an input member of the action; fix the paginator",
      "paginator.total: `TotalCount` is no longer an output member of the action; fix the paginator",
      "waiters.WidgetsActive.acceptors[0].path: `State` is no longer a member of Widget; fix the waiter",
    ]);
    // With --keep-removed the members stay, and so the paginator is fine: only the kept members are reported.
    expect(updateAction(old, newer, models(), { keepRemoved: true }).warnings).toEqual([
      "input.Offset: not in the sources any more; kept (--keep-removed)",
      "input.Limit: not in the sources any more; kept (--keep-removed)",
      "output.TotalCount: not in the sources any more; kept (--keep-removed)",
    ]);
  });

  it("warns when the items' model loses the member a cursor is read from", () => {
    const old = fresh();
    old.paginator = {
      style: "cursor",
      cursor: "Phone",
      cursorFrom: "Id",
      size: "Offset",
      maxSize: 50,
      items: "Widgets",
    };
    const fewer = clone(models());
    delete fewer.Widget!.members.Id;
    expect(updateAction(old, fresh(), models()).warnings).toEqual([]);
    expect(updateAction(old, fresh(), fewer).warnings).toEqual([
      "paginator.cursorFrom: `Id` is no longer a member of Widget; fix the paginator",
    ]);
  });

  it("renders both blocks as YAML that parses back to the same data", () => {
    const spec = updateAction(paged(), fresh(), models()).spec;
    spec.paginator = { ...paginator(), timeWindow: { start: "Offset", end: "Offset", maxSpanDays: 7 } };
    const text = renderAction(spec);
    expect(parseYaml(text)).toEqual(normalizeAction(clone(spec)));
    expect(text).toContain(
      "\n\npaginator:\n  style: offset\n  offset: Offset\n  size: Limit\n  maxSize: 100\n  items: Widgets\n",
    );
    expect(text).toContain("\n\nwaiters:\n  WidgetsActive:\n");
    expect(text).toContain(
      "      - path: Widgets[].State\n        match: all\n        expected: [1]\n        state: success\n" +
        "      - error: InvalidParameterValue\n        state: failure\n",
    );
  });

  it("spec/'s actions with a paginator or waiters render back to their own text", async () => {
    let seen = 0;
    for (const f of (await readdir(path.join(SPEC_DIR, "actions"))).sort()) {
      const text = await readFile(path.join(SPEC_DIR, "actions", f), "utf8");
      const data = parseYaml(text) as RawActionSpec;
      if (!data.paginator && !data.waiters) continue;
      seen++;
      const out = renderAction(data);
      expect(parseYaml(out), f).toEqual(data);
      expect(out, f).toBe(text.replace(/^(#.*\n)+/, "")); // the header comment is the importer's, not data
    }
    expect(seen).toBe(24); // 20 with a paginator, 7 with waiters, 3 with both
  });
});

describe("a doc page fills gaps", () => {
  it("adds members, codes and texts the spec lacks, keeps every note, and says where it disagrees", () => {
    const old = fresh();
    delete old.input.Phone!.description.en;
    old.notes = ["A person's note about `input.OldPhone`.", ...(old.notes ?? [])];
    const page = fresh();
    delete page.input.Ratio;
    delete page.notes;
    page.input.SdkAppId!.type = "int64"; // pages say "Integer" for uint64 too: no warning
    page.input.Status!.type = "string";
    page.input.SdkAppId!.required = false;
    page.input.Phone!.description = { zh: "号码,0086开头", en: "Phone number." };
    page.input.Extra = { type: "string", description: { en: "New on the page." } };
    page.errors.push({ code: "FailedOperation.New", description: { en: "New." } });
    const r = fillAction(old, page, models());
    expect(r.spec.input.Ratio).toBeDefined();
    expect(r.spec.input.SdkAppId).toMatchObject({ type: "uint64", required: true });
    expect(r.spec.input.Status!.type).toBe("int64");
    expect(r.spec.input.Phone!.description).toEqual({ zh: old.input.Phone!.description.zh, en: "Phone number." });
    expect(r.spec.input.Extra).toBeDefined();
    expect(r.spec.errors.map((e) => e.code)).toContain("FailedOperation.New");
    expect(r.spec.notes).toEqual(old.notes);
    expect(r.warnings).toEqual([
      "input.SdkAppId.required: the page says false; kept true",
      "input.Status.type: the page says string; kept int64",
      "input.Ratio: not on the page (which may be older or cut short): kept",
    ]);
  });
});

describe("adoption", () => {
  it("marks exactly the facts a fresh import would write differently, and an update then changes nothing", () => {
    const old = fresh();
    old.input.Ids!.maxItems = 100;
    old.input.Phone!.description.en = "A person's translation.";
    old.input.Extra = { type: "string", description: { zh: "人加的" } };
    old.docs = { en: "https://example.test/widgets" };
    const adopted = adoptAction(old, fresh());
    expect(adopted.marked.sort()).toEqual(["docs", "input.Extra", "input.Ids.maxItems", "input.Phone.description.en"]);
    expect(adopted.spec.input.Ids!.handWritten).toEqual(["maxItems"]);
    expect(adopted.spec.input.Phone!.description.handWritten).toBe(true);
    expect(adopted.spec.input.Extra!.handWritten).toBe(true);
    expect(adopted.spec.handWritten).toEqual(["docs"]);
    expect(updateAction(adopted.spec, fresh(), models()).spec).toEqual(adopted.spec);
    expect(adoptAction(fresh(), fresh()).marked).toEqual([]);
  });

  it("marks a model's hand-written English", () => {
    const model = clone(widgets.models.get("Owner") ?? [...widgets.models.values()][0]!).spec;
    const old = clone(model);
    const first = Object.keys(old.members)[0]!;
    old.members[first]!.description = { ...old.members[first]!.description, en: "Hand-written." };
    const adopted = adoptModel(old, model);
    expect(adopted.marked).toEqual([`members.${first}.description.en`]);
    expect(updateModel(adopted.spec, model, models()).spec).toEqual(adopted.spec);
  });
});

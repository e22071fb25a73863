/**
 * The classification of spec changes for apps (codegen/import/changes.ts): each rule on a small constructed spec
 * (the real 2025 → 2026 changes are replayed in replay.test.ts), the bump, the version below and above 1.0, the
 * JSON and the CHANGELOG entry.
 */
import { describe, expect, it } from "vitest";
import {
  bumpOf,
  changelogEntry,
  changesJson,
  classifyChanges,
  formatChanges,
  nextVersion,
  withEntry,
  type SpecSet,
} from "../../codegen/import/changes.js";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";

function action(): RawActionSpec {
  return {
    action: "DescribeThings",
    title: { zh: "查询", en: "Query" },
    description: { zh: "查询东西", en: "Queries things." },
    idempotent: true,
    input: {
      SdkAppId: { type: "uint64", required: true, description: { zh: "应用", en: "App." } },
      Kind: {
        type: "int64",
        enum: [{ value: 1 }, { value: 2 }],
        description: { zh: "种类", en: "Kind." },
      },
      Name: { type: "string", maxLength: 10, description: { zh: "名称", en: "Name." } },
      Filter: { type: "Filter", description: { zh: "过滤", en: "Filter." } },
    },
    output: {
      Total: { type: "int64", required: true, description: { zh: "总数", en: "Total." } },
      Items: { type: "Thing", list: true, required: true, description: { zh: "列表", en: "Items." } },
    },
    errors: [{ code: "FailedOperation.A", description: { zh: "失败", en: "Failed." } }],
    examples: [{ title: { zh: "示例", en: "Example" }, request: { SdkAppId: 1 }, response: { Total: 0, Items: [] } }],
  };
}

function models(): Record<string, RawModelSpec> {
  return {
    Filter: {
      model: "Filter",
      description: { zh: "过滤", en: "Filter." },
      members: { Key: { type: "string", description: { zh: "键", en: "Key." } } },
    },
    Thing: {
      model: "Thing",
      description: { zh: "东西", en: "Thing." },
      members: { Id: { type: "int64", required: true, description: { zh: "编号", en: "ID." } } },
    },
  };
}

const set = (a: RawActionSpec[], m: Record<string, RawModelSpec>): SpecSet => ({
  actions: new Map(a.map((x) => [x.action, x])),
  models: new Map(Object.entries(m)),
});

/** The changes from the base spec to the base spec edited by `edit`. */
function changesAfter(edit: (a: RawActionSpec, m: Record<string, RawModelSpec>) => void) {
  const a = action();
  const m = models();
  edit(a, m);
  return classifyChanges(set([action()], models()), set([a], m));
}

describe("classifyChanges", () => {
  it("finds nothing between equal specs", () => {
    expect(classifyChanges(set([action()], models()), set([action()], models()))).toEqual([]);
  });

  it.each<[string, (a: RawActionSpec, m: Record<string, RawModelSpec>) => void, string, string, string]>([
    [
      "an input made required",
      (a) => (a.input.Name!.required = true),
      "breaking",
      "DescribeThings.input.Name",
      "made required",
    ],
    [
      "an input made optional",
      (a) => delete a.input.SdkAppId!.required,
      "feature",
      "DescribeThings.input.SdkAppId",
      "made optional",
    ],
    [
      "an output made optional",
      (a) => delete a.output.Total!.required,
      "breaking",
      "DescribeThings.output.Total",
      "made optional: answers may leave it out",
    ],
    [
      "an output made nullable",
      (a) => (a.output.Total!.nullable = true),
      "breaking",
      "DescribeThings.output.Total",
      "may be null now",
    ],
    [
      "a type changed",
      (a) => (a.input.Name!.type = "int64"),
      "breaking",
      "DescribeThings.input.Name",
      "type string → int64",
    ],
    [
      "list-ness changed",
      (a) => (a.input.Name!.list = true),
      "breaking",
      "DescribeThings.input.Name",
      "type string → string list",
    ],
    ["an input removed", (a) => delete a.input.Name, "breaking", "DescribeThings.input.Name", "removed"],
    ["an output removed", (a) => delete a.output.Total, "breaking", "DescribeThings.output.Total", "removed"],
    [
      "an optional input added",
      (a) => (a.input.New = { type: "bool", description: { zh: "新" } }),
      "feature",
      "DescribeThings.input.New",
      "added (bool)",
    ],
    [
      "a required input added",
      (a) => (a.input.New = { type: "bool", required: true, description: { zh: "新" } }),
      "breaking",
      "DescribeThings.input.New",
      "added (bool, required)",
    ],
    [
      "an output added",
      (a) => (a.output.New = { type: "bool", required: true, description: { zh: "新" } }),
      "feature",
      "DescribeThings.output.New",
      "added (bool, required)",
    ],
    [
      "an input enum narrowed",
      (a) => (a.input.Kind!.enum = [{ value: 1 }]),
      "breaking",
      "DescribeThings.input.Kind",
      "enum narrowed: no more 2",
    ],
    [
      "an input enum widened",
      (a) => a.input.Kind!.enum!.push({ value: 3 }),
      "feature",
      "DescribeThings.input.Kind",
      "enum widened: also 3",
    ],
    [
      "an enum added to an input",
      (a) => (a.input.Name!.enum = [{ value: "a" }]),
      "breaking",
      "DescribeThings.input.Name",
      'enum added: only "a"',
    ],
    [
      "a bound tightened",
      (a) => (a.input.Name!.maxLength = 5),
      "breaking",
      "DescribeThings.input.Name",
      "maxLength 10 → 5",
    ],
    [
      "a bound loosened",
      (a) => (a.input.Name!.maxLength = 20),
      "feature",
      "DescribeThings.input.Name",
      "maxLength 10 → 20",
    ],
    [
      "a bound removed",
      (a) => delete a.input.Name!.maxLength,
      "feature",
      "DescribeThings.input.Name",
      "maxLength 10 removed",
    ],
    [
      "a pattern added",
      (a) => (a.input.Name!.pattern = "^a"),
      "breaking",
      "DescribeThings.input.Name",
      'pattern "^a" added',
    ],
    [
      "an error code removed",
      (a) => (a.errors = []),
      "breaking",
      "DescribeThings",
      "error code FailedOperation.A removed from the union",
    ],
    [
      "an error code added",
      (a) => a.errors.push({ code: "FailedOperation.B", description: { zh: "失败" } }),
      "feature",
      "DescribeThings",
      "error code FailedOperation.B added",
    ],
    [
      "idempotent changed",
      (a) => (a.idempotent = false),
      "feature",
      "DescribeThings",
      "not idempotent: no longer retried after a lost answer",
    ],
    ["deprecated", (a) => (a.input.Name!.deprecated = true), "docs", "DescribeThings.input.Name", "deprecated"],
    [
      "a description (en) changed",
      (a) => (a.input.Name!.description.en = "The name."),
      "docs",
      "DescribeThings.input.Name",
      'description (en) changed to "The name."',
    ],
    [
      "an example title changed",
      (a) => (a.examples![0]!.title.zh = "例"),
      "docs",
      "DescribeThings",
      'example 1\'s title (zh) changed to "例"',
    ],
    [
      "a model member made required (the model is an input's)",
      (_, m) => (m.Filter!.members.Key!.required = true),
      "breaking",
      "Filter.Key",
      "made required",
    ],
    [
      "a model member made optional (the model is an output's)",
      (_, m) => delete m.Thing!.members.Id!.required,
      "breaking",
      "Thing.Id",
      "made optional: answers may leave it out",
    ],
    ["a model removed", (_, m) => delete m.Filter, "breaking", "Filter", "model removed"],
  ])("%s", (_, edit, impact, path, what) => {
    const changes = changesAfter(edit);
    expect(changes).toContainEqual({ path, impact, what });
  });

  it("un-deprecation and added or removed actions", () => {
    const deprecated = action();
    deprecated.input.Name!.deprecated = true;
    const other: RawActionSpec = { ...action(), action: "CreateThing" };
    const changes = classifyChanges(set([deprecated, other], models()), set([action()], models()));
    expect(changes).toContainEqual({ path: "DescribeThings.input.Name", impact: "docs", what: "no longer deprecated" });
    expect(changes).toContainEqual({ path: "CreateThing", impact: "breaking", what: "action removed" });
    const back = classifyChanges(set([action()], models()), set([action(), other], models()));
    expect(back).toEqual([{ path: "CreateThing", impact: "feature", what: "action added" }]);
  });
});

describe("classifyChanges: paginators and waiters", () => {
  /** The base action with an offset paginator (and a time window) and one waiter. */
  function paged(): RawActionSpec {
    const a = action();
    a.input.Offset = { type: "uint64", description: { en: "Offset." } };
    a.input.Limit = { type: "uint64", description: { en: "Limit." } };
    a.paginator = {
      style: "offset",
      offset: "Offset",
      size: "Limit",
      maxSize: 100,
      items: "Items",
      total: "Total",
      timeWindow: { start: "Offset", end: "Limit", maxSpanDays: 7 },
    };
    a.waiters = {
      ThingsDone: {
        description: { en: "Waits until every thing is done." },
        minDelayMs: 1000,
        maxDelayMs: 30000,
        acceptors: [
          { path: "Items[].State", match: "all", expected: [2], state: "success" },
          { error: "FailedOperation.A", state: "retry" },
        ],
      },
    };
    return a;
  }
  const between = (a: RawActionSpec, b: RawActionSpec) => classifyChanges(set([a], models()), set([b], models()));
  /** The changes from `paged()` to `paged()` edited by `edit`. */
  const edited = (edit: (a: RawActionSpec) => void) => {
    const b = paged();
    edit(b);
    return between(paged(), b);
  };
  const paginator = (a: RawActionSpec) => a.paginator as Record<string, unknown>;
  const done = (a: RawActionSpec) =>
    a.waiters!.ThingsDone as { acceptors: Record<string, unknown>[] } & Record<string, unknown>;

  it("finds nothing between equal specs with both blocks", () => {
    expect(edited(() => {})).toEqual([]);
  });

  it.each<[string, (a: RawActionSpec) => void, string, string]>([
    [
      "a paginator removed",
      (a) => delete a.paginator,
      "breaking",
      "paginator removed: client.paginateDescribeThings() is gone",
    ],
    ["maxSize lowered", (a) => (paginator(a).maxSize = 50), "breaking", "paginator maxSize 100 → 50"],
    ["maxSize raised", (a) => (paginator(a).maxSize = 200), "feature", "paginator maxSize 100 → 200"],
    ["maxSize removed", (a) => delete paginator(a).maxSize, "feature", "paginator maxSize 100 removed"],
    ["defaultSize added", (a) => (paginator(a).defaultSize = 20), "feature", "paginator defaultSize 20 added"],
    ["items changed", (a) => (paginator(a).items = "Things"), "breaking", "paginator items Items → Things"],
    ["total removed", (a) => delete paginator(a).total, "feature", "paginator total Total removed"],
    [
      "the time window's span changed",
      (a) => ((paginator(a).timeWindow as Record<string, unknown>).maxSpanDays = 1),
      "feature",
      "paginator timeWindow.maxSpanDays 7 → 1",
    ],
    [
      "a waiter removed",
      (a) => delete a.waiters,
      "breaking",
      "waiter ThingsDone removed: client.waitUntilThingsDone() is gone",
    ],
    [
      "a waiter renamed",
      (a) => (a.waiters = { ThingsFinished: a.waiters!.ThingsDone }),
      "breaking",
      "waiter ThingsDone renamed to ThingsFinished: client.waitUntilThingsDone() is now waitUntilThingsFinished()",
    ],
    [
      "a waiter added",
      (a) => (a.waiters!.ThingsGone = { ...done(a), description: { en: "Gone." } }),
      "feature",
      "waiter ThingsGone added: client.waitUntilThingsGone()",
    ],
    [
      "a waiter's delay changed",
      (a) => (done(a).minDelayMs = 2000),
      "feature",
      "waiter ThingsDone minDelayMs 1000 → 2000",
    ],
    [
      "a waiter's acceptors changed",
      (a) => (done(a).acceptors[0]!.expected = [2, 4]),
      "feature",
      "waiter ThingsDone acceptors [Items[].State (all) in [2] → success; error FailedOperation.A → retry] → " +
        "[Items[].State (all) in [2, 4] → success; error FailedOperation.A → retry]",
    ],
    [
      "a waiter's description changed",
      (a) => (done(a).description = { en: "Waits for the things." }),
      "docs",
      'waiter ThingsDone\'s description (en) changed to "Waits for the things."',
    ],
  ])("%s", (_, edit, impact, what) => {
    expect(edited(edit)).toEqual([{ path: "DescribeThings", impact, what }]);
  });

  it("a paginator added, and maxSize added where only defaultSize was", () => {
    expect(between(action(), { ...action(), paginator: paged().paginator })).toEqual([
      {
        path: "DescribeThings",
        impact: "feature",
        what: "paginator added (offset style): client.paginateDescribeThings()",
      },
    ]);
    const defaultOnly = paged();
    delete paginator(defaultOnly).maxSize;
    paginator(defaultOnly).defaultSize = 100;
    const capped = paged();
    paginator(capped).defaultSize = 100;
    expect(between(defaultOnly, capped)).toEqual([
      { path: "DescribeThings", impact: "breaking", what: "paginator maxSize 100 added" },
    ]);
  });

  it("a style change says each key that moved", () => {
    expect(
      edited((a) => {
        a.paginator = { ...paginator(a), style: "page", page: "Offset", firstPage: 1 };
        delete a.paginator.offset;
      }),
    ).toEqual([
      { path: "DescribeThings", impact: "feature", what: "paginator style offset → page" },
      { path: "DescribeThings", impact: "feature", what: "paginator page Offset added" },
      { path: "DescribeThings", impact: "feature", what: "paginator offset Offset removed" },
      { path: "DescribeThings", impact: "feature", what: "paginator firstPage 1 added" },
    ]);
  });

  it("a waiter renamed and changed at once is one removed and one added", () => {
    expect(
      edited((a) => {
        a.waiters = { ThingsFinished: { ...done(a), maxDelayMs: 60000 } };
      }),
    ).toEqual([
      {
        path: "DescribeThings",
        impact: "breaking",
        what: "waiter ThingsDone removed: client.waitUntilThingsDone() is gone",
      },
      {
        path: "DescribeThings",
        impact: "feature",
        what: "waiter ThingsFinished added: client.waitUntilThingsFinished()",
      },
    ]);
  });

  it("a removed action is reported once, not also its paginator and waiters", () => {
    expect(classifyChanges(set([paged()], models()), set([], models()))).toEqual([
      { path: "DescribeThings", impact: "breaking", what: "action removed" },
    ]);
  });

  it("bumps major for a waiter removed, minor for a paginator added", () => {
    expect(bumpOf(edited((a) => delete a.waiters))).toBe("major");
    expect(bumpOf(between(action(), { ...action(), paginator: paged().paginator }))).toBe("minor");
  });
});

describe("the bump, the version, the JSON and the CHANGELOG entry", () => {
  const breaking = changesAfter((a) => (a.input.Name!.required = true));
  const feature = changesAfter((a) => (a.output.New = { type: "bool", description: { zh: "新" } }));
  const docs = changesAfter((a) => (a.title.en = "Look up"));

  it("bumps major for a breaking change, minor for a feature, patch for docs, none for nothing", () => {
    expect([bumpOf(breaking), bumpOf(feature), bumpOf(docs), bumpOf([])]).toEqual(["major", "minor", "patch", "none"]);
  });

  it("below 1.0, breaking moves the minor number and anything else the patch number", () => {
    expect(nextVersion("0.1.3", "major")).toBe("0.2.0");
    expect(nextVersion("0.1.3", "minor")).toBe("0.1.4");
    expect(nextVersion("0.1.3", "patch")).toBe("0.1.4");
    expect(nextVersion("1.2.3", "major")).toBe("2.0.0");
    expect(nextVersion("1.2.3", "minor")).toBe("1.3.0");
    expect(nextVersion("1.2.3", "patch")).toBe("1.2.4");
    expect(nextVersion("1.2.3", "none")).toBe("1.2.3");
    expect(() => nextVersion("1.2", "patch")).toThrow(/not a plain semantic version/);
  });

  it("prints the JSON of spec:diff --json and the same changes as lines", () => {
    expect(changesJson(breaking)).toEqual({
      bump: "major",
      changes: [{ path: "DescribeThings.input.Name", impact: "breaking", what: "made required" }],
    });
    expect(formatChanges([...breaking, ...docs])).toEqual([
      "breaking (1):",
      "  DescribeThings.input.Name: made required",
      "docs (1):",
      '  DescribeThings: title (en) changed to "Look up"',
      "bump: major",
    ]);
  });

  it("writes a CHANGELOG entry grouped by impact, newest first, below the title", () => {
    const entry = changelogEntry("0.2.0", "2026-12-02", "`spec:import` from ../shared/reference/ccc", [
      ...breaking,
      ...feature,
      ...docs,
      ...docs,
    ]);
    expect(entry).toBe(
      [
        "## 0.2.0 (2026-12-02)",
        "",
        "`spec:import` from ../shared/reference/ccc; the bump this implies: major.",
        "",
        "### Breaking changes",
        "",
        "- `DescribeThings.input.Name`: made required",
        "",
        "### Features",
        "",
        "- `DescribeThings.output.New`: added (bool)",
        "",
        "### Documentation",
        "",
        "- `DescribeThings`: 2 changes in texts or examples",
        "",
      ].join("\n"),
    );
    const first = withEntry("", entry);
    expect(first).toBe(`# Changelog\n\n${entry}`);
    const second = withEntry(first, "## 0.2.1 (2026-12-03)\n\nx\n");
    expect(second).toBe(`# Changelog\n\n## 0.2.1 (2026-12-03)\n\nx\n\n${entry}`);
  });
});

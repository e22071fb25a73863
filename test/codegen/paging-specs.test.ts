/**
 * The loader's checks of `paginator:` and `waiters:` (codegen/load-paging.ts, and codegen/load.ts for what needs
 * the whole spec). Each case copies the fixture spec, adds actions/DescribeThings.yaml (every kind of member a
 * paginator or waiter can name, and some it cannot) with one block, and expects exactly the listed problems, each
 * as `file:line:column: path: message`. Valid blocks of each style load to the expected IR, and spec/ itself has
 * the paginators and waiters its actions were given.
 *
 * `at` says where a problem points: its text without the `|` is on exactly one line, and `|` marks the column.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatIssue, loadSpec, SpecError } from "../../codegen/load.js";
import type { Action } from "../../codegen/ir.js";
import { applyEdit, copySpec, lineOf, removeDir, SPEC_DIR, tempDir, type Edit } from "./helpers.js";

const THINGS = "actions/DescribeThings.yaml";

/** An action with members of every kind, and `block` (a `paginator:` or `waiters:` block) at the end. */
function things(block: string, name = "DescribeThings"): string {
  return `action: ${name}
title: { en: Describe things }
description: { en: Describes things. }
idempotent: true
idempotentReason: Read-only.
input:
  SdkAppId: { type: uint64, required: true, description: { en: App. } }
  PageNumber: { type: int64, description: { en: Page number. } }
  PageSize: { type: int64, maximum: 100, description: { en: Page size. } }
  Offset: { type: uint64, description: { en: Offset. } }
  Limit: { type: uint64, description: { en: Limit. } }
  Cursor: { type: string, description: { en: Cursor. } }
  StartTime: { type: int64, description: { en: Start. } }
  EndTime: { type: int64, description: { en: End. } }
  Ratio: { type: float, description: { en: Ratio. } }
  Ids: { type: int64, list: true, description: { en: Ids. } }
output:
  Total: { type: int64, description: { en: Total. } }
  Things: { type: Thing, list: true, description: { en: Things. } }
  Names: { type: string, list: true, description: { en: Names. } }
  Status: { type: int64, enum: [{ value: 0 }, { value: 1 }], description: { en: Status. } }
  Label: { type: string, description: { en: Label. } }
  Ready: { type: bool, description: { en: Ready. } }
  Main: { type: Thing, description: { en: The main thing. } }
errors:
  - code: FailedOperation.Busy
    description: { en: Busy. }

${block}`;
}

const THING_MODEL = `model: Thing
description: { en: A thing. }
members:
  Id: { type: string, description: { en: Id. } }
  Seq: { type: int64, description: { en: Sequence. } }
  State: { type: uint64, enum: [{ value: 1 }, { value: 2 }, { value: 3 }], description: { en: State. } }
  Score: { type: float, description: { en: Score. } }
  Tags: { type: string, list: true, description: { en: Tags. } }
`;

const PAGE = `paginator:
  style: page
  page: PageNumber
  firstPage: 1
  size: PageSize
  maxSize: 100
  items: Things
  total: Total
  timeWindow: { start: StartTime, end: EndTime, maxSpanDays: 7 }
`;

const OFFSET = `paginator:
  style: offset
  offset: Offset
  size: Limit
  defaultSize: 20
  items: Things
`;

const CURSOR = `paginator:
  style: cursor
  cursor: Cursor
  cursorFrom: Id
  size: PageSize
  maxSize: 100
  defaultSize: 50
  items: Things
`;

const WAITERS = `waiters:
  ThingsReady:
    description: { en: Waits until every thing is ready. }
    minDelayMs: 1000
    maxDelayMs: 30000
    acceptors:
      - path: Things[].State
        match: all
        expected: [2]
        state: success
      - path: Things[].State
        match: any
        expected: [3]
        state: failure
      - error: FailedOperation.Busy
        state: retry
      - error: ResourceNotFound
        state: failure
  MainTagged:
    description: { en: Waits until the main thing is tagged done. }
    minDelayMs: 500
    maxDelayMs: 500
    acceptors:
      - path: Main.Tags[]
        match: any
        expected: ["done"]
        state: success
      - path: Ready
        expected: [false]
        state: retry
`;

/** A waiter `Ready` polling DescribeThings with these acceptor lines (indented as list items) and delays. */
function waiter(acceptors: string, delays = "minDelayMs: 1000\n    maxDelayMs: 30000"): string {
  return `waiters:
  Ready:
    description: { en: Waits. }
    ${delays}
    acceptors:
${acceptors
  .trim()
  .split("\n")
  .map((l) => `      ${l.trim().startsWith("- ") ? "" : "  "}${l.trim()}`)
  .join("\n")}
`;
}

interface Problem {
  /** Text of the only line that holds it (without the `|`), with `|` before the reported column. */
  readonly at: string;
  readonly path: string;
  readonly message: string;
  /** Spec file, relative to the spec folder (default: actions/DescribeThings.yaml). */
  readonly file?: string;
}

interface Case {
  readonly name: string;
  /** The block of actions/DescribeThings.yaml. */
  readonly block: string;
  /** Further files. */
  readonly edits?: readonly Edit[];
  readonly want: readonly Problem[];
}

const cases: readonly Case[] = [
  // --- paginator: the members it names ---------------------------------------------------------------------
  {
    name: "the size member is not an input member",
    block: PAGE.replace("size: PageSize", "size: PageSiz"),
    want: [
      { at: "size: |PageSiz", path: "paginator.size", message: "`PageSiz` is not an input member of the action." },
    ],
  },
  {
    name: "an output member named as the page member",
    block: PAGE.replace("page: PageNumber", "page: Total"),
    want: [{ at: "page: |Total", path: "paginator.page", message: "`Total` is not an input member of the action." }],
  },
  {
    name: "the items member is not an output member",
    block: PAGE.replace("items: Things", "items: Thingz"),
    want: [
      { at: "items: |Thingz", path: "paginator.items", message: "`Thingz` is not an output member of the action." },
    ],
  },
  {
    name: "the total member is not an output member",
    block: PAGE.replace("total: Total", "total: Count"),
    want: [{ at: "total: |Count", path: "paginator.total", message: "`Count` is not an output member of the action." }],
  },
  {
    name: "a string size member",
    block: PAGE.replace("size: PageSize", "size: Cursor"),
    want: [
      {
        at: "size: |Cursor",
        path: "paginator.size",
        message: "`Cursor` must be an integer member (int64 or uint64), not a string.",
      },
    ],
  },
  {
    name: "a list as the size member",
    block: PAGE.replace("size: PageSize", "size: Ids"),
    want: [
      {
        at: "size: |Ids",
        path: "paginator.size",
        message: "`Ids` must be an integer member (int64 or uint64), not a list of int64.",
      },
    ],
  },
  {
    name: "a float page member",
    block: PAGE.replace("page: PageNumber", "page: Ratio"),
    want: [
      {
        at: "page: |Ratio",
        path: "paginator.page",
        message: "`Ratio` must be an integer member (int64 or uint64), not a float.",
      },
    ],
  },
  {
    name: "items that are not a list",
    block: PAGE.replace("items: Things", "items: Main"),
    want: [
      {
        at: "items: |Main",
        path: "paginator.items",
        message: "`Main` must be a list member (the page's items), not a Thing.",
      },
    ],
  },
  {
    name: "a string total",
    block: PAGE.replace("total: Total", "total: Label"),
    want: [
      {
        at: "total: |Label",
        path: "paginator.total",
        message: "`Label` must be an integer member (int64 or uint64), not a string.",
      },
    ],
  },
  {
    name: "an integer cursor member",
    block: CURSOR.replace("cursor: Cursor", "cursor: PageNumber"),
    want: [
      {
        at: "cursor: |PageNumber",
        path: "paginator.cursor",
        message: "`PageNumber` must be a string member, not an int64.",
      },
    ],
  },
  {
    name: "time window members: one not an input, one a string",
    block: PAGE.replace("start: StartTime, end: EndTime", "start: Label, end: Cursor"),
    want: [
      {
        at: "start: |Label",
        path: "paginator.timeWindow.start",
        message: "`Label` is not an input member of the action.",
      },
      {
        at: "end: |Cursor",
        path: "paginator.timeWindow.end",
        message: "`Cursor` must be an integer member (int64 or uint64), not a string.",
      },
    ],
  },
  {
    name: "one member in two paging jobs",
    block: PAGE.replace("size: PageSize", "size: PageNumber").replace("end: EndTime", "end: StartTime"),
    want: [
      {
        at: "size: |PageNumber",
        path: "paginator.size",
        message: "`PageNumber` is already the paginator's `page`: name another member.",
      },
      {
        at: "end: |StartTime",
        path: "paginator.timeWindow.end",
        message: "`StartTime` is already the paginator's `timeWindow.start`: name another member.",
      },
    ],
  },
  // --- paginator: the keys of each style ---------------------------------------------------------------------
  {
    name: "a key of another style, and the style's own position missing",
    block: OFFSET.replace("offset: Offset", "page: PageNumber"),
    want: [
      { at: "page: |PageNumber", path: "paginator.page", message: "`page` belongs to the `page` style, not `offset`." },
      {
        at: "|paginator:",
        path: "paginator",
        message: "the `offset` style needs `offset`: the input member it advances.",
      },
    ],
  },
  {
    name: "`firstPage` in the offset style",
    block: `${OFFSET}  firstPage: 1\n`,
    want: [{ at: "firstPage: |1", path: "paginator.firstPage", message: "`firstPage` belongs to the `page` style." }],
  },
  {
    name: "`cursorFrom` in the page style",
    block: `${PAGE}  cursorFrom: Id\n`,
    want: [
      { at: "cursorFrom: |Id", path: "paginator.cursorFrom", message: "`cursorFrom` belongs to the `cursor` style." },
    ],
  },
  {
    name: "the cursor style without `cursorFrom`",
    block: CURSOR.replace("  cursorFrom: Id\n", ""),
    want: [
      {
        at: "|paginator:",
        path: "paginator",
        message: "the `cursor` style needs `cursorFrom`: the member of the last item with the next cursor.",
      },
    ],
  },
  {
    name: "`cursorFrom` is not a member of the items",
    block: CURSOR.replace("cursorFrom: Id", "cursorFrom: Next"),
    want: [
      {
        at: "cursorFrom: |Next",
        path: "paginator.cursorFrom",
        message: "`Next` is not a member of Thing (the items of `Things`).",
      },
    ],
  },
  {
    name: "`cursorFrom` is not a string",
    block: CURSOR.replace("cursorFrom: Id", "cursorFrom: Seq"),
    want: [
      { at: "cursorFrom: |Seq", path: "paginator.cursorFrom", message: "`Seq` must be a string member, not an int64." },
    ],
  },
  {
    name: "`cursorFrom` on items with no members",
    block: CURSOR.replace("items: Things", "items: Names"),
    want: [
      {
        at: "cursorFrom: |Id",
        path: "paginator.cursorFrom",
        message: "`Names` is a list of string, which has no members to read a cursor from.",
      },
    ],
  },
  // --- paginator: page sizes ----------------------------------------------------------------------------------
  {
    name: "neither `maxSize` nor `defaultSize`",
    block: OFFSET.replace("  defaultSize: 20\n", ""),
    want: [
      {
        at: "|paginator:",
        path: "paginator",
        message: "give `maxSize` (the documented largest page size) or, where the docs give none, `defaultSize`.",
      },
    ],
  },
  {
    name: "`defaultSize` above `maxSize`",
    block: CURSOR.replace("maxSize: 100", "maxSize: 40"),
    want: [{ at: "defaultSize: |50", path: "paginator.defaultSize", message: "must not be more than maxSize (40)." }],
  },
  {
    name: "`maxSize` above the size member's own maximum",
    block: PAGE.replace("maxSize: 100", "maxSize: 200"),
    want: [
      {
        at: "maxSize: |200",
        path: "paginator.maxSize",
        message: "must not be more than `PageSize`'s own maximum (100).",
      },
    ],
  },
  {
    name: "`defaultSize`, without `maxSize`, above the size member's own maximum",
    block: CURSOR.replace("  maxSize: 100\n", "").replace("defaultSize: 50", "defaultSize: 500"),
    want: [
      {
        at: "defaultSize: |500",
        path: "paginator.defaultSize",
        message: "must not be more than `PageSize`'s own maximum (100): every default page would be refused.",
      },
    ],
  },
  // --- waiters: paths -----------------------------------------------------------------------------------------
  {
    name: "a path member that the output lacks",
    block: waiter("- path: Stat\n  expected: [1]\n  state: success"),
    want: [
      {
        at: "path: |Stat",
        path: "waiters.Ready.acceptors[0].path",
        message: "`Stat` is not a member of the action's output.",
      },
    ],
  },
  {
    name: "a path member that the model lacks",
    block: waiter('- path: Main.Nope\n  expected: ["x"]\n  state: success'),
    want: [
      { at: "path: |Main.Nope", path: "waiters.Ready.acceptors[0].path", message: "`Nope` is not a member of Thing." },
    ],
  },
  {
    name: "a list read without `[]`",
    block: waiter("- path: Things.State\n  match: all\n  expected: [2]\n  state: success"),
    want: [
      {
        at: "path: |Things.State",
        path: "waiters.Ready.acceptors[0].path",
        message: "`Things` is a list: write `Things[]`.",
      },
    ],
  },
  {
    name: "`[]` after a member that is not a list",
    block: waiter("- path: Status[]\n  match: all\n  expected: [1]\n  state: success"),
    want: [
      {
        at: "path: |Status[]",
        path: "waiters.Ready.acceptors[0].path",
        message: "`Status` is not a list: drop `[]`.",
      },
    ],
  },
  {
    name: "a path that ends at a model",
    block: waiter("- path: Main\n  expected: [1]\n  state: success"),
    want: [
      {
        at: "path: |Main",
        path: "waiters.Ready.acceptors[0].path",
        message: "`Main` is a Thing: the path must end at a string, number or bool member.",
      },
    ],
  },
  {
    name: "a path through a scalar",
    block: waiter("- path: Label.Length\n  expected: [1]\n  state: success"),
    want: [
      {
        at: "path: |Label.Length",
        path: "waiters.Ready.acceptors[0].path",
        message: "`Label` is a string, which has no members.",
      },
    ],
  },
  {
    name: "a path through a list without `match`",
    block: waiter("- path: Things[].State\n  expected: [2]\n  state: success"),
    want: [
      {
        at: "- |path: Things[].State",
        path: "waiters.Ready.acceptors[0]",
        message: "the path reads every item of a list (`[]`): say `match: all` or `match: any`.",
      },
    ],
  },
  {
    name: "`match` on a path without `[]`",
    block: waiter("- path: Status\n  match: all\n  expected: [1]\n  state: success"),
    want: [
      {
        at: "match: |all",
        path: "waiters.Ready.acceptors[0].match",
        message: "`match` is for paths that read a list with `[]`.",
      },
    ],
  },
  // --- waiters: expected values -------------------------------------------------------------------------------
  {
    name: "an expected string for an int64 member",
    block: waiter('- path: Status\n  expected: ["1"]\n  state: success'),
    want: [
      {
        at: 'expected: [|"1"]',
        path: "waiters.Ready.acceptors[0].expected[0]",
        message: '`Status` is int64: "1" can never match.',
      },
    ],
  },
  {
    name: "an expected value outside the enum",
    block: waiter("- path: Status\n  expected: [1, 5]\n  state: success"),
    want: [
      {
        at: "expected: [1, |5]",
        path: "waiters.Ready.acceptors[0].expected[1]",
        message: "5 is not one of `Status`'s values (0, 1).",
      },
    ],
  },
  {
    name: "a negative and a fractional number for a uint64 member",
    block: waiter("- path: Things[].State\n  match: any\n  expected: [-1, 2.5]\n  state: success"),
    want: [
      {
        at: "expected: [|-1, 2.5]",
        path: "waiters.Ready.acceptors[0].expected[0]",
        message: "`State` is uint64: -1 can never match.",
      },
      {
        at: "expected: [-1, |2.5]",
        path: "waiters.Ready.acceptors[0].expected[1]",
        message: "`State` is uint64: 2.5 can never match.",
      },
    ],
  },
  {
    name: "a string expected of a bool member",
    block: waiter('- path: Ready\n  expected: ["true"]\n  state: success'),
    want: [
      {
        at: 'expected: [|"true"]',
        path: "waiters.Ready.acceptors[0].expected[0]",
        message: '`Ready` is bool: "true" can never match.',
      },
    ],
  },
  // --- waiters: acceptors and delays --------------------------------------------------------------------------
  {
    name: "an `error` acceptor that says success",
    block: waiter(
      "- path: Status\n  expected: [1]\n  state: success\n- error: FailedOperation.Busy\n  state: success # the error acceptor",
    ),
    want: [
      {
        at: "state: |success # the error acceptor",
        path: "waiters.Ready.acceptors[1].state",
        message: "an `error` acceptor says `retry` or `failure`: a waiter succeeds with a result.",
      },
    ],
  },
  {
    name: "an `error` acceptor with a path",
    block: waiter(
      "- path: Status\n  expected: [1]\n  state: success\n- error: FailedOperation.Busy\n  path: Label\n  state: retry",
    ),
    want: [
      { at: "path: |Label", path: "waiters.Ready.acceptors[1].path", message: "an `error` acceptor has no `path`." },
    ],
  },
  {
    name: "an acceptor with neither a path nor an error",
    block: waiter("- path: Status\n  expected: [1]\n  state: success\n- state: failure"),
    want: [
      {
        at: "- |state: failure",
        path: "waiters.Ready.acceptors[1]",
        message: "an acceptor needs `path` and `expected`, or `error`.",
      },
    ],
  },
  {
    name: "a waiter without a success acceptor",
    block: waiter("- path: Status\n  expected: [1]\n  state: failure\n- error: FailedOperation.Busy\n  state: retry"),
    want: [
      {
        at: "|acceptors:",
        path: "waiters.Ready.acceptors",
        message: "a waiter needs an acceptor with `state: success`, or it can only time out.",
      },
    ],
  },
  {
    name: "`minDelayMs` above `maxDelayMs`",
    block: waiter("- path: Status\n  expected: [1]\n  state: success", "minDelayMs: 5000\n    maxDelayMs: 1000"),
    want: [
      {
        at: "minDelayMs: |5000",
        path: "waiters.Ready.minDelayMs",
        message: "must not be more than maxDelayMs (1000).",
      },
    ],
  },
  // --- waiters: what needs the whole spec ---------------------------------------------------------------------
  {
    name: "an error code neither the action's nor a common one",
    block: waiter("- path: Status\n  expected: [1]\n  state: success\n- error: FailedOperation.Nope\n  state: retry"),
    want: [
      {
        at: "error: |FailedOperation.Nope",
        path: "waiters.Ready.acceptors[1].error",
        message: "`FailedOperation.Nope` is neither an error code of DescribeThings nor a common one.",
      },
    ],
  },
  {
    name: "the same waiter name on two actions",
    block: WAITERS,
    edits: [{ file: "actions/DescribeOthers.yaml", write: things(WAITERS, "DescribeOthers") }],
    want: [
      // In the order of the action's waiters: by name.
      {
        at: "|MainTagged:",
        path: "waiters.MainTagged",
        message:
          "another waiter of this name polls DescribeOthers: each waiter is a client method, `waitUntilMainTagged`, so names must differ.",
      },
      {
        at: "|ThingsReady:",
        path: "waiters.ThingsReady",
        message:
          "another waiter of this name polls DescribeOthers: each waiter is a client method, `waitUntilThingsReady`, so names must differ.",
      },
    ],
  },
];

let dir: string | undefined;
afterEach(async () => {
  await removeDir(dir);
  dir = undefined;
});

/** The fixture spec with the Thing model and DescribeThings (ending in `block`), and `edits`. */
async function specWith(block: string, edits: readonly Edit[] = []): Promise<string> {
  dir = await copySpec(await tempDir("paging"));
  await applyEdit(dir, { file: "models/Thing.yaml", write: THING_MODEL });
  await applyEdit(dir, { file: THINGS, write: things(block) });
  for (const edit of edits) await applyEdit(dir, edit);
  return dir;
}

/** `file:line:column` of `at` in the spec file: `at` without its `|` is on exactly one line; `|` marks the column. */
async function where(file: string, at: string): Promise<string> {
  const bar = at.indexOf("|");
  if (bar < 0) throw new Error(`test setup: ${JSON.stringify(at)} has no | to mark the column`);
  const fragment = at.slice(0, bar) + at.slice(bar + 1);
  const text = await readFile(file, "utf8");
  const line = lineOf(text, fragment);
  const column = text.split("\n")[line - 1]!.indexOf(fragment) + bar + 1;
  return `${file}:${line}:${column}`;
}

async function thingsOf(root: string): Promise<Action> {
  const service = await loadSpec(root);
  const action = service.actions.find((a) => a.name === "DescribeThings");
  expect(action, "DescribeThings loaded").toBeDefined();
  return action!;
}

describe("the loader checks paginators and waiters against the action's members", () => {
  it("has distinct case names", () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)("$name", async ({ block, edits, want }) => {
    const root = await specWith(block, edits);
    let error: unknown;
    try {
      await loadSpec(root);
    } catch (e) {
      error = e;
    }
    expect(error, "loadSpec should throw a SpecError").toBeInstanceOf(SpecError);
    const expected: string[] = [];
    for (const w of want)
      expected.push(`${await where(path.join(root, w.file ?? THINGS), w.at)}: ${w.path}: ${w.message}`);
    expect((error as SpecError).issues.map(formatIssue)).toEqual(expected);
  });
});

describe("a valid paginator or waiter loads to the IR the generator reads", () => {
  it("page style: firstPage, maxSize as the default size, total and a time window", async () => {
    const action = await thingsOf(await specWith(PAGE));
    expect(action.paginator).toStrictEqual({
      style: "page",
      position: "PageNumber",
      firstPage: 1,
      size: "PageSize",
      maxSize: 100,
      defaultSize: 100,
      items: "Things",
      total: "Total",
      timeWindow: { start: "StartTime", end: "EndTime", maxSpanDays: 7 },
    });
    expect(action.waiters).toEqual([]);
  });

  it("page style: the first page is 0 unless said", async () => {
    const action = await thingsOf(await specWith(PAGE.replace("  firstPage: 1\n", "")));
    expect(action.paginator?.firstPage).toBe(0);
  });

  it("offset style: only a default size, no firstPage, no maxSize", async () => {
    const action = await thingsOf(await specWith(OFFSET));
    expect(action.paginator).toStrictEqual({
      style: "offset",
      position: "Offset",
      size: "Limit",
      defaultSize: 20,
      items: "Things",
    });
  });

  it("cursor style: the cursor and where the next one is read", async () => {
    const action = await thingsOf(await specWith(CURSOR));
    expect(action.paginator).toStrictEqual({
      style: "cursor",
      position: "Cursor",
      size: "PageSize",
      maxSize: 100,
      defaultSize: 50,
      items: "Things",
      cursorFrom: "Id",
    });
  });

  it("waiters: sorted by name, with path acceptors (nested, over lists) and error acceptors", async () => {
    const action = await thingsOf(await specWith(`${OFFSET}\n${WAITERS}`));
    expect(action.paginator?.style).toBe("offset");
    expect(action.waiters).toStrictEqual([
      {
        name: "MainTagged",
        description: { en: "Waits until the main thing is tagged done." },
        minDelayMs: 500,
        maxDelayMs: 500,
        acceptors: [
          { state: "success", path: "Main.Tags[]", expected: ["done"], match: "any" },
          { state: "retry", path: "Ready", expected: [false] },
        ],
      },
      {
        name: "ThingsReady",
        description: { en: "Waits until every thing is ready." },
        minDelayMs: 1000,
        maxDelayMs: 30000,
        acceptors: [
          { state: "success", path: "Things[].State", expected: [2], match: "all" },
          { state: "failure", path: "Things[].State", expected: [3], match: "any" },
          { state: "retry", error: "FailedOperation.Busy" },
          { state: "failure", error: "ResourceNotFound" },
        ],
      },
    ]);
  });

  it("an action without the blocks has no paginator and no waiters", async () => {
    const service = await loadSpec(await specWith(""));
    for (const action of service.actions) {
      expect(action.paginator, action.name).toBeUndefined();
      expect(action.waiters, action.name).toEqual([]);
    }
  });
});

describe("spec/", () => {
  it("has 20 paginators (15 page, 4 offset, 1 cursor) and 7 waiters", async () => {
    const service = await loadSpec(SPEC_DIR);
    const styles: Record<string, string[]> = { page: [], offset: [], cursor: [] };
    for (const a of service.actions) if (a.paginator) styles[a.paginator.style]!.push(a.name);
    expect(Object.values(styles).flat()).toHaveLength(20);
    expect([styles.page!.length, styles.offset!.length, styles.cursor!.length]).toEqual([15, 4, 1]);
    expect(styles.cursor).toEqual(["DescribeStaffStatusHistory"]);
    expect(styles.offset).toContain("DescribeChatMessages");
    expect(styles.page).toContain("DescribeTelCdr");
    const waiters = service.actions.flatMap((a) => a.waiters.map((w) => `${a.name}.${w.name}`));
    expect(waiters).toEqual([
      "DescribeAgentCruiseDialingCampaign.AgentCruiseDialingCampaignFinished",
      "DescribeAutoCalloutTask.AutoCalloutTaskFinished",
      "DescribeCarrierPrivilegeNumberApplicants.CarrierPrivilegeNumberApproved",
      "DescribeCompanyList.CompanyApproved",
      "DescribeIvrAudioList.IvrAudioApproved",
      "DescribePredictiveDialingCampaign.PredictiveDialingCampaignFinished",
      "DescribeTelSession.TelSessionFinished",
    ]);
  });
});

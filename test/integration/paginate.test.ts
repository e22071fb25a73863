/**
 * Paginators (issue 14) against the emulator process, serving data sets cut into pages by the requests' own paging
 * members (and refusing page sizes over the documented caps and time ranges wider than an action takes, as Tencent
 * does): each style over several pages, a short last page, an empty set, an optional total, a cursor, a cursor
 * that does not advance, CDR time windows, abort, retries and validation on every page, and all 20 paging actions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../generated/catalog.js";
import {
  CccAbortError,
  CccBareClient,
  CccClient,
  CccConfigError,
  CccError,
  CccValidationError,
  commands,
  DescribeTelCdrCommand,
  paginate,
  timeWindows,
  type PagedActionDefinition,
} from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const DAY = 86_400;
const SDK_APP_ID = 1400000000;
/** A CDR range the emulator takes in one call (less than 90 days). */
const cdrRange = { StartTimeStamp: 1_700_000_000, EndTimeStamp: 1_700_000_000 + 30 * DAY };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
});

const client = (options: ConstructorParameters<typeof CccClient>[0] = {}) =>
  new CccClient({
    endpoint: server.url,
    credentials: DEFAULT_CREDENTIAL,
    backoff: { baseMs: 1, maxMs: 5 },
    ...options,
  });

/** The bodies of the calls of `action` the emulator received, in order. */
async function bodies(action: string): Promise<Record<string, unknown>[]> {
  return (await server.requests()).filter((r) => r.action === action).map((r) => JSON.parse(r.body));
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe("page style", () => {
  it("reads a 250-item data set in 3 calls of 100, with for await over items()", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 250 });
    const c = client();
    let items = 0;
    for await (const cdr of c.paginateDescribeTelCdr({ SdkAppId: SDK_APP_ID, ...cdrRange }).items()) {
      expect(cdr.SessionId).toBe("0955de87-c86d-4457-aac2-bee3d0a0b67a"); // the example's item
      items++;
    }
    expect(items).toBe(250);
    const sent = await bodies("DescribeTelCdr");
    expect(sent.map((b) => [b.PageNumber, b.PageSize])).toEqual([
      [0, 100],
      [1, 100],
      [2, 100],
    ]);
    await c.close();
  });

  it("yields each page as the action's result, and starts again when iterated again", async () => {
    await server.setDataSet("DescribeSkillGroupInfoList", { count: 5 });
    const c = client();
    const paginator = c.paginateDescribeSkillGroupInfoList({ SdkAppId: SDK_APP_ID }, { pageSize: 2 });
    const pages = await collect(paginator);
    expect(pages.map((p) => p.SkillGroupList.length)).toEqual([2, 2, 1]);
    expect(pages.every((p) => p.TotalCount === 5 && p.RequestId.length === 36)).toBe(true);
    expect((await collect(paginator.items())).length).toBe(5);
    expect((await bodies("DescribeSkillGroupInfoList")).map((b) => b.PageNumber)).toEqual([0, 1, 2, 0, 1, 2]);
    await c.close();
  });

  it("without a total: stops on a short page, or on the empty page after a full one", async () => {
    const c = client();
    await server.setDataSet("DescribeCompanyList", { count: 130, total: false });
    const pages = await collect(c.paginateDescribeCompanyList({}));
    expect(pages.map((p) => [p.CompanyInfo?.length, p.TotalCount])).toEqual([
      [100, undefined],
      [30, undefined],
    ]);
    await server.reset();
    await server.setDataSet("DescribeCompanyList", { count: 200, total: false });
    expect((await collect(c.paginateDescribeCompanyList({}))).map((p) => p.CompanyInfo?.length)).toEqual([100, 100, 0]);
    await c.close();
  });

  it("an empty set is one call and no items", async () => {
    await server.setDataSet("DescribeStaffInfoList", { count: 0 });
    const c = client();
    expect(await collect(c.paginateDescribeStaffInfoList({ SdkAppId: SDK_APP_ID }).items())).toEqual([]);
    expect(await bodies("DescribeStaffInfoList")).toHaveLength(1);
    await c.close();
  });

  it("starts at the caller's own page number, and stops at the total", async () => {
    await server.setDataSet("DescribeStaffInfoList", { count: 10 });
    const c = client();
    const items = await collect(
      c.paginateDescribeStaffInfoList({ SdkAppId: SDK_APP_ID, PageNumber: 1 }, { pageSize: 4 }).items(),
    );
    expect(items).toHaveLength(6);
    expect((await bodies("DescribeStaffInfoList")).map((b) => b.PageNumber)).toEqual([1, 2]);
    await c.close();
  });

  it("takes bigints for the int64 paging and time members, as every call does", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 30 });
    const c = client();
    const start = 1_700_000_000n;
    const input = {
      SdkAppId: 1400000000n,
      StartTimeStamp: start,
      EndTimeStamp: start + 100n * 86_400n,
      PageNumber: 1n,
    };
    const items = await collect(c.paginateDescribeTelCdr(input, { pageSize: 10 }).items());
    // The 100-day range is two windows: the first resumed at page 1, the second read from its first page.
    expect(items).toHaveLength(50);
    expect((await bodies("DescribeTelCdr")).map((b) => [b.PageNumber, b.EndTimeStamp])).toEqual([
      [1, 1_700_000_000 + 90 * DAY - 1],
      [2, 1_700_000_000 + 90 * DAY - 1],
      [0, 1_700_000_000 + 100 * DAY],
      [1, 1_700_000_000 + 100 * DAY],
      [2, 1_700_000_000 + 100 * DAY],
    ]);
    await c.close();
  });

  it("refuses a page size over the documented cap before sending anything", async () => {
    const c = client();
    expect(() => c.paginateDescribeIvrAudioList({ SdkAppId: SDK_APP_ID }, { pageSize: 51 })).toThrow(
      new CccConfigError(
        "pageSize must be a whole number from 1 to 50 (the largest page DescribeIvrAudioList documents), got 51",
      ),
    );
    expect(await server.requests()).toEqual([]);
    await c.close();
  });
});

describe("offset style", () => {
  it("advances Offset by the items read, with Limit as the page size", async () => {
    await server.setDataSet("DescribeChatMessages", { count: 45 });
    const c = client();
    const items = await collect(c.paginateDescribeChatMessages({ SdkAppId: SDK_APP_ID }, { pageSize: 20 }).items());
    expect(items).toHaveLength(45);
    expect((await bodies("DescribeChatMessages")).map((b) => [b.Offset, b.Limit])).toEqual([
      [0, 20],
      [20, 20],
      [40, 20],
    ]);
    await c.close();
  });

  it("reads `Total` where the action's total is named so", async () => {
    await server.setDataSet("DescribePSTNActiveSessionList", { count: 60 });
    const c = client();
    const pages = await collect(c.paginateDescribePSTNActiveSessionList({ SdkAppId: SDK_APP_ID }));
    expect(pages.map((p) => [p.Sessions.length, p.Total])).toEqual([
      [25, 60],
      [25, 60],
      [10, 60],
    ]);
    await c.close();
  });
});

describe("cursor style", () => {
  const history = {
    SdkAppId: SDK_APP_ID,
    StaffUserId: "foo@tencent.com",
    StartTimestamp: 1_700_000_000,
    EndTimestamp: 1_700_000_000 + DAY,
  };

  it("sends the last item's cursor; with no documented cap a short page is not the end, the empty one is", async () => {
    await server.setDataSet("DescribeStaffStatusHistory", { count: 2500 });
    const c = client();
    const items = await collect(c.paginateDescribeStaffStatusHistory(history).items());
    expect(items.map((i) => i.Cursor).slice(-2)).toEqual(["cursor-2499", "cursor-2500"]);
    expect(new Set(items.map((i) => i.Cursor)).size).toBe(2500);
    expect((await bodies("DescribeStaffStatusHistory")).map((b) => [b.Cursor, b.PageSize])).toEqual([
      [undefined, 1000],
      ["cursor-1000", 1000],
      ["cursor-2000", 1000],
      ["cursor-2500", 1000],
    ]);
    await c.close();
  });

  it("stops when the cursor does not advance", async () => {
    await server.setDataSet("DescribeStaffStatusHistory", {
      items: [{ Cursor: "a", Status: "free" }, { Cursor: "a", Status: "busy" }, { Cursor: "b" }],
    });
    const c = client();
    const items = await collect(c.paginateDescribeStaffStatusHistory(history, { pageSize: 1 }).items());
    expect(items.map((i) => i.Status)).toEqual(["free", "busy"]);
    expect((await bodies("DescribeStaffStatusHistory")).map((b) => b.Cursor)).toEqual([undefined, "a"]);
    await c.close();
  });
});

describe("time windows", () => {
  it("cuts a range over 90 days into windows the action takes and reads them in order", async () => {
    const start = 1_700_000_000;
    const end = start + 200 * DAY;
    const at = (day: number, id: string) => ({ StartTimestamp: start + day * DAY, SessionId: id });
    await server.setDataSet("DescribeTelCdr", {
      items: [at(10, "a"), at(95, "b"), at(100, "c"), at(190, "d"), at(200, "e")],
      timeMember: "StartTimestamp",
    });
    const c = client();
    // The whole range in one call is refused, as Tencent does.
    await expect(
      c.describeTelCdr({
        SdkAppId: SDK_APP_ID,
        StartTimeStamp: start,
        EndTimeStamp: end,
        PageSize: 100,
        PageNumber: 0,
      }),
    ).rejects.toMatchObject({ code: "InvalidParameterValue" });
    const items = await collect(
      c.paginateDescribeTelCdr({ SdkAppId: SDK_APP_ID, StartTimeStamp: start, EndTimeStamp: end }).items(),
    );
    expect(items.map((i) => i.SessionId)).toEqual(["a", "b", "c", "d", "e"]);
    const windows = (await bodies("DescribeTelCdr")).slice(1).map((b) => [b.StartTimeStamp, b.EndTimeStamp]);
    expect(windows).toEqual(timeWindows(start, end, 90 * DAY));
    expect(windows).toEqual([
      [start, start + 90 * DAY - 1],
      [start + 90 * DAY, start + 180 * DAY - 1],
      [start + 180 * DAY, end],
    ]);
    await c.close();
  });

  it("timeWindows covers the range exactly, each window under the span", () => {
    expect(timeWindows(0, 10, 5)).toEqual([
      [0, 4],
      [5, 9],
      [10, 10],
    ]);
    expect(timeWindows(0, 4, 5)).toEqual([[0, 4]]);
    expect(() => timeWindows(0, 10, 0)).toThrow(CccConfigError);
  });
});

describe("every page is a call like any other", () => {
  it("retries a page that hit the rate limit, and goes on", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 250 });
    await server.inject({ type: "error", action: "DescribeTelCdr", code: "RequestLimitExceeded" });
    const c = client();
    expect(await collect(c.paginateDescribeTelCdr({ SdkAppId: SDK_APP_ID, ...cdrRange }).items())).toHaveLength(250);
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["fault:error", "ok", "ok", "ok"]);
    await c.close();
  });

  it("rejects the iteration with the first failing page's error", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 250 });
    const c = client({ maxRetries: 0 });
    const pages = c.paginateDescribeTelCdr({ SdkAppId: SDK_APP_ID, ...cdrRange })[Symbol.asyncIterator]();
    expect((await pages.next()).done).toBe(false);
    await server.inject({ type: "error", action: "DescribeTelCdr", code: "InternalError.DBError" });
    await expect(pages.next()).rejects.toBeInstanceOf(CccError);
    await c.close();
  });

  it("validates every page's input: nothing is sent for a bad one", async () => {
    const c = client();
    const bad = c.paginateDescribeTelCdr({ SdkAppId: SDK_APP_ID, StartTimeStamp: "soon" as never, EndTimeStamp: 1 });
    await expect(collect(bad)).rejects.toBeInstanceOf(CccValidationError);
    expect(await server.requests()).toEqual([]);
    await c.close();
  });

  it("aborts mid-iteration: the next page rejects with CccAbortError and is not sent", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 250 });
    const c = client();
    const controller = new AbortController();
    const seen: number[] = [];
    await expect(async () => {
      for await (const page of c.paginateDescribeTelCdr(
        { SdkAppId: SDK_APP_ID, ...cdrRange },
        { signal: controller.signal },
      )) {
        seen.push(page.TelCdrList.length);
        controller.abort();
      }
    }).rejects.toBeInstanceOf(CccAbortError);
    expect(seen).toEqual([100]);
    expect(await bodies("DescribeTelCdr")).toHaveLength(1);
    await c.close();
  });

  it("breaking out of the loop sends no further page", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 250 });
    const c = client();
    for await (const _ of c.paginateDescribeTelCdr({ SdkAppId: SDK_APP_ID, ...cdrRange }).items()) break;
    expect(await bodies("DescribeTelCdr")).toHaveLength(1);
    await c.close();
  });

  it("sends the client's default SdkAppId on every page", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 150 });
    // Typed: with a default sdkAppId the paginator's input may leave SdkAppId out.
    const c = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, sdkAppId: 1400000123 });
    expect(await collect(c.paginateDescribeTelCdr(cdrRange).items())).toHaveLength(150);
    expect((await bodies("DescribeTelCdr")).map((b) => b.SdkAppId)).toEqual([1400000123, 1400000123]);
    await c.close();
  });

  it("pages a bare client with paginate(client, Command, input)", async () => {
    await server.setDataSet("DescribeTelCdr", { count: 120 });
    const bare = new CccBareClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL });
    const items = await collect(
      paginate(bare, DescribeTelCdrCommand, { SdkAppId: SDK_APP_ID, ...cdrRange }, { pageSize: 50 }).items(),
    );
    expect(items).toHaveLength(120);
    await bare.close();
  });

  it("refuses a command without a paginator", () => {
    const bare = new CccBareClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL });
    expect(() => paginate(bare, commands.DisableCCCPhoneNumber as never, {} as never)).toThrow(
      "DisableCCCPhoneNumber does not page: it has no paginator in the spec",
    );
  });
});

/**
 * An input for a paging action: its documented example's request without the paging members (the paginator sets
 * them), with a one-day range in the time members it requires and the `SdkAppId` it requires.
 */
function inputFor(command: PagedActionDefinition): Record<string, unknown> {
  const { position, size } = command.paginator;
  const { [position]: _p, [size]: _s, ...example } = catalog.actions[command.name]?.example?.request ?? {};
  const input: Record<string, unknown> = { ...example };
  for (const [member, shape] of Object.entries(command.input)) {
    if (!shape.required || member in input) continue;
    if (member === "SdkAppId") input[member] = SDK_APP_ID;
    else if (/^Start ?Time ?[Ss]tamp$/.test(member)) input[member] = 1_700_000_000;
    else if (/^End ?Time ?[Ss]tamp$/.test(member)) input[member] = 1_700_000_000 + DAY;
  }
  return input;
}

describe("all 20 paging actions", () => {
  const paged = Object.values(commands).filter((c): c is typeof c & PagedActionDefinition => "paginator" in c);

  it("are the 20 the specs declare", () => {
    expect(paged.map((c) => c.name).sort()).toHaveLength(20);
    expect(paged.filter((c) => c.paginator.style === "page")).toHaveLength(15);
    expect(paged.filter((c) => c.paginator.style === "offset")).toHaveLength(4);
    expect(paged.filter((c) => c.paginator.style === "cursor")).toHaveLength(1);
  });

  it.each(paged.map((c) => [c.name, c] as const))("%s reads 7 items in pages of 3", async (name, command) => {
    await server.setDataSet(name, { count: 7 });
    const input = inputFor(command);
    const c = client();
    const method = `paginate${name}` as keyof CccClient;
    const items = await collect(
      (c[method] as (i: unknown, o: unknown) => { items(): AsyncIterable<unknown> })
        .call(c, input, { pageSize: 3 })
        .items(),
    );
    expect(items).toHaveLength(7);
    // A cursor walk has no documented cap: it ends on the empty page after the short one.
    expect(await bodies(name)).toHaveLength(command.paginator.style === "cursor" ? 4 : 3);
    await c.close();
  });
});

// The emulator's data sets and state scripts (issue 14) as an app sets them: in-process helpers, the HTTP admin
// API and `startEmulator` options, each refusing a malformed one by naming its field, and `reset` clearing them.
// The pages themselves are read by the SDK's paginators in test/integration/paginate.test.ts. Only 127.0.0.1.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../generated/catalog.js";
import { CccClient } from "../../src/index.js";
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from "../../src/emulator/index.js";

async function post(emulator: Emulator, route: string, body: unknown) {
  const res = await fetch(`${emulator.url}/__admin/${route}`, {
    method: "POST",
    signal: AbortSignal.timeout(5_000),
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

const range = { StartTimeStamp: 1_700_000_000, EndTimeStamp: 1_700_086_400 };
const page = (n: number, size = 100) => ({ SdkAppId: 1400000000, ...range, PageNumber: n, PageSize: size });

describe("data sets and state scripts", () => {
  let emulator: Emulator;
  let client: CccClient;
  beforeAll(async () => {
    emulator = await startEmulator();
    client = new CccClient({ endpoint: emulator.url, credentials: DEMO_CREDENTIAL, maxRetries: 0 });
  });
  afterAll(async () => {
    await client?.close();
    await emulator?.close();
  });
  beforeEach(() => emulator.reset());

  it("cuts pages by the request's own paging members, and refuses a page over the documented cap", async () => {
    emulator.setDataSet("DescribeTelCdr", { count: 150 });
    expect((await client.describeTelCdr(page(1))).TelCdrList).toHaveLength(50);
    expect((await client.describeTelCdr(page(2))).TelCdrList).toHaveLength(0);
    expect((await client.describeTelCdr(page(0))).TotalCount).toBe(150);
    // The SDK's own validation knows no cap here; the emulator answers as Tencent does.
    await expect(client.describeTelCdr(page(0, 101))).rejects.toMatchObject({
      code: "InvalidParameterValue",
      apiMessage: "PageSize must be from 1 to 100, got 101.",
    });
  });

  it("sets the same over the HTTP admin API, and refuses malformed ones naming the field", async () => {
    expect(await post(emulator, "data", { action: "DescribeTelCdr", items: [{ SessionId: "x" }] })).toEqual({
      status: 200,
      json: { ok: true },
    });
    expect((await client.describeTelCdr(page(0))).TelCdrList.map((c) => c.SessionId)).toEqual(["x"]);
    const refused = async (route: string, body: unknown) => (await post(emulator, route, body)).json;
    expect(await refused("data", { action: "DisableCCCPhoneNumber", count: 1 })).toEqual({
      error: "DisableCCCPhoneNumber does not page: a data set is for the actions with a paginator",
    });
    expect(await refused("data", { action: "DescribeTelCdr", count: 1, items: [] })).toEqual({
      error: "a data set needs either count or items",
    });
    expect(await refused("data", { action: "DescribeTelCdr", cuont: 1 })).toEqual({
      error: 'a data set has no field "cuont" (action, count, items, total, timeMember)',
    });
    expect(await refused("data", { action: "DescribeTelCdr", count: 100_001 })).toEqual({
      error: "count must be a whole number from 0 to 100000",
    });
    expect(await refused("data", { action: "DescribeStaffStatusHistory", count: 1, total: false })).toEqual({
      error: "DescribeStaffStatusHistory has no total member to leave out",
    });
    expect(await refused("states", { action: "Nope", states: [{}] })).toEqual({
      error: 'a state script: the emulator has no action "Nope"',
    });
    expect(await refused("states", { action: "DescribeTelSession", states: [] })).toEqual({
      error: "states must be a list of 1 to 1000 objects (result members, merged over the example)",
    });
  });

  it("plays a state script in order, repeats the last state, and reset() clears scripts and data sets", async () => {
    emulator.setStates("DescribeAutoCalloutTask", [{ State: 1 }, { State: 2 }]);
    emulator.setDataSet("DescribeTelCdr", { count: 0 });
    const states = [];
    for (let i = 0; i < 3; i++)
      states.push((await client.describeAutoCalloutTask({ SdkAppId: 1400000000, TaskId: 1 })).State);
    expect(states).toEqual([1, 2, 2]);
    emulator.reset();
    const example = await client.describeAutoCalloutTask({ SdkAppId: 1400000000, TaskId: 1 });
    expect(example.State).toBe(catalog.actions.DescribeAutoCalloutTask?.example?.response.State); // the example's
    expect((await client.describeTelCdr(page(0))).TotalCount).toBe(1); // the example again
    expect(() => emulator.setStates("DescribeTelSession", "finished" as never)).toThrow(TypeError);
  });

  it("takes data sets and scripts as startEmulator options, and refuses a bad one at start", async () => {
    const other = await startEmulator({
      dataSets: { DescribeStaffInfoList: { count: 3 } },
      states: { DescribeTelSession: [{ Session: { SessionStatus: "finished" } }] },
    });
    const c = new CccClient({ endpoint: other.url, credentials: DEMO_CREDENTIAL });
    expect((await c.describeStaffInfoList({ SdkAppId: 1, PageNumber: 0, PageSize: 10 })).StaffList).toHaveLength(3);
    expect((await c.describeTelSession({ SdkAppId: 1, SessionId: "s" })).Session.SessionStatus).toBe("finished");
    await c.close();
    await other.close();
    await expect(startEmulator({ dataSets: { DescribeTelCdr: { count: -1 } } })).rejects.toThrow(
      "dataSets.DescribeTelCdr: count must be a whole number from 0 to 100000",
    );
  });
});

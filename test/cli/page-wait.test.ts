/**
 * `ccc --page-all` and `ccc --wait` in-process (`main()`) against the emulator process: pages cut from its data
 * sets (`POST /__admin/data`), polls answered from its scripted states (`POST /__admin/states`), the JSON Lines
 * output, exact integers beyond 2^53, the exit statuses of a failure state and a timeout, and the dry run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXIT_WAIT_FAILURE, EXIT_WAIT_TIMEOUT } from "../../src/cli/cli.js";
import { DEMO_CREDENTIAL, startEmulator } from "../../src/emulator/index.js";
import { startTestServer, type TestServer } from "../server/harness.js";
import { CREDENTIAL_ENV, expectNoSecrets, noCredentialsEnv, removeDir, runMain, tempDir, type Env } from "./helpers.js";

const SDK_APP_ID = "1400000000";
/** Polls close together, so that a wait takes milliseconds. */
const FAST = ["--min-delay-ms", "1", "--max-delay-ms", "5"];
/** Beyond 2^53: JSON.parse would make it 12345678901234567000 … and so does the admin API, which is what we send. */
const BIG = "12345678901234567000";

let server: TestServer;
let dir: string;
let env: Env;

beforeAll(async () => {
  server = await startTestServer();
  dir = await tempDir("page-wait");
  env = { ...noCredentialsEnv(dir), ...CREDENTIAL_ENV };
});
afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});
beforeEach(async () => {
  await server.reset();
});

/** `ccc <argv> --endpoint <server> --max-retries 0`. */
function ccc(argv: string[]) {
  return runMain([...argv, "--endpoint", server.url, "--max-retries", "0"], env);
}

/** The lines of JSON Lines output, each parsed. */
function jsonLines(stdout: string): unknown[] {
  expect(stdout === "" || stdout.endsWith("\n")).toBe(true);
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as unknown);
}

/** The paging members of each request the emulator received for `action`. */
async function sent(action: string, ...members: string[]): Promise<unknown[][]> {
  const seen = (await server.requests()).filter((r) => r.action === action);
  for (const r of seen) expect(r.outcome).toBe("ok");
  return seen.map((r) => {
    const body = JSON.parse(r.body) as Record<string, unknown>;
    return members.map((m) => body[m]);
  });
}

const companies = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: i + 1, State: 2, CompanyName: `c${i}` }));

describe("--page-all", () => {
  it("prints the example answer's items, one JSON line each, from one page", async () => {
    const r = await ccc(["DescribeCompanyList", "--page-all"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([expect.objectContaining({ Id: 1, CompanyName: "北京XXX公司" })]);
    expect(r.stdout.split("\n")).toHaveLength(2); // one line and the final newline: compact, not indented
    expect(await sent("DescribeCompanyList", "PageNumber", "PageSize")).toEqual([[0, 100]]);
    expectNoSecrets(r);
  });

  it("reads every page of a data set, in order, asking the documented largest page", async () => {
    await server.setDataSet("DescribeCompanyList", { items: companies(250) });
    const r = await ccc(["DescribeCompanyList", "--page-all"]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual(companies(250));
    expect(await sent("DescribeCompanyList", "PageNumber", "PageSize")).toEqual([
      [0, 100],
      [1, 100],
      [2, 100],
    ]);
  });

  it("takes --page-size, and without a total stops on a short page", async () => {
    await server.setDataSet("DescribeCompanyList", { items: companies(25), total: false });
    const r = await ccc(["DescribeCompanyList", "--page-all", "--page-size", "10"]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual(companies(25));
    expect(await sent("DescribeCompanyList", "PageNumber", "PageSize")).toEqual([
      [0, 10],
      [1, 10],
      [2, 10],
    ]);
  });

  it("respects the paging members given as flags: the page to start at and the page size", async () => {
    await server.setDataSet("DescribeCompanyList", { items: companies(25) });
    const r = await ccc(["DescribeCompanyList", "--page-all", "--PageNumber", "1", "--PageSize", "10"]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual(companies(25).slice(10));
    expect(await sent("DescribeCompanyList", "PageNumber", "PageSize")).toEqual([
      [1, 10],
      [2, 10],
    ]);
    // --page-size wins over the member, as paginate()'s pageSize does.
    await server.reset();
    await server.setDataSet("DescribeCompanyList", { items: companies(25) });
    const both = await ccc(["DescribeCompanyList", "--page-all", "--PageSize", "10", "--page-size", "20"]);
    expect(jsonLines(both.stdout)).toHaveLength(25);
    expect(await sent("DescribeCompanyList", "PageSize")).toEqual([[20], [20]]);
  });

  it("pages by offset and by cursor", async () => {
    await server.setDataSet("DescribeChatMessages", { count: 7 });
    const offset = await ccc([
      "DescribeChatMessages",
      "--page-all",
      "--page-size",
      "3",
      "--SdkAppId",
      SDK_APP_ID,
      "--SessionId",
      "s",
    ]);
    expect(offset.code).toBe(0);
    expect(jsonLines(offset.stdout)).toHaveLength(7);
    expect(await sent("DescribeChatMessages", "Offset", "Limit")).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
    ]);

    await server.setDataSet("DescribeStaffStatusHistory", { count: 5 });
    const cursor = await ccc([
      "DescribeStaffStatusHistory",
      "--page-all",
      "--page-size",
      "2",
      "--SdkAppId",
      SDK_APP_ID,
      "--StaffUserId",
      "a@b.c",
      "--StartTimestamp",
      "1756297161",
      "--EndTimestamp",
      "1756815561",
    ]);
    expect(cursor.stderr).toBe("");
    expect(cursor.code).toBe(0);
    expect((jsonLines(cursor.stdout) as { Cursor: string }[]).map((i) => i.Cursor)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `cursor-${n}`),
    );
    // No documented largest page, so a short page is no end: the empty one after it is.
    expect(await sent("DescribeStaffStatusHistory", "Cursor")).toEqual([
      [undefined],
      ["cursor-2"],
      ["cursor-4"],
      ["cursor-5"],
    ]);
  });

  it("prints nothing for an empty set, exit 0", async () => {
    await server.setDataSet("DescribeCompanyList", { count: 0 });
    const r = await ccc(["DescribeCompanyList", "--page-all"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
  });

  it("prints integers beyond 2^53 as the server wrote them, as a single answer does", async () => {
    await server.setDataSet("DescribeCompanyList", { items: [{ Id: Number(BIG), State: 2 }, { Id: 2 }] });
    const r = await ccc(["DescribeCompanyList", "--page-all"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`{"Id":${BIG},"State":2}\n{"Id":2}\n`);
  });

  it("refuses a page size beyond the documented largest page, nothing sent", async () => {
    const flag = await ccc(["DescribeCompanyList", "--page-all", "--page-size", "101"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      'ccc: --page-size expects a whole number from 1 to 100 (the largest page DescribeCompanyList documents), got "101"\n',
    );
    const member = await ccc(["DescribeCompanyList", "--page-all", "--PageSize", "500"]);
    expect(member.code).toBe(2);
    expect(member.stderr).toContain("ccc: --PageSize expects a whole number from 1 to 100");
    const zero = await ccc(["DescribeCompanyList", "--page-all", "--page-size", "0"]);
    expect(zero.code).toBe(2);
    expect(await server.requests()).toEqual([]);
  });

  it("on an action that does not page: exit 2, nothing sent", async () => {
    const r = await ccc(["DisableCCCPhoneNumber", "--page-all", "--PhoneNumbers", "0086a", "--Disabled", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ccc: DisableCCCPhoneNumber does not page, so --page-all has nothing to read; /);
    expect(r.stderr).toContain("DescribeTelCdr");
    expect(await server.requests()).toEqual([]);
  });

  it("a page that fails: the items before it are printed, then the error, exit 1", async () => {
    await server.setDataSet("DescribeCompanyList", { items: companies(15) });
    // Faults play in order: the first page takes a delay of 0 ms (none), the second the error.
    await server.inject({ type: "delay", ms: 0, action: "DescribeCompanyList" });
    await server.inject({
      type: "error",
      code: "InternalError",
      message: "Page two broke.",
      action: "DescribeCompanyList",
    });
    const r = await ccc(["DescribeCompanyList", "--page-all", "--page-size", "10"]);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)).toEqual(companies(10));
    expect(r.stderr).toMatch(/^ccc: InternalError: Page two broke\. \(RequestId [0-9a-f-]{36}\)\n$/);
  });

  it("--dry-run prints the first page's request, with the paging members the paginator sets", async () => {
    const r = await ccc(["DescribeCompanyList", "--page-all", "--page-size", "30", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n\n\{"PageSize":30,"PageNumber":0\}\n$/);
    expect(r.stderr).toContain("ccc: dry run: nothing was sent");
    expect(await server.requests()).toEqual([]);
  });
});

describe("--wait", () => {
  const task = ["--SdkAppId", SDK_APP_ID, "--TaskId", "7"];

  it("polls until the success state and prints the last answer, with or without the action's name", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }, { State: 3 }, { State: 2 }]);
    const r = await ccc(["DescribeAutoCalloutTask", "--wait", "AutoCalloutTaskFinished", ...task, ...FAST]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ State: 2, Name: "foobar" });
    expect(r.stdout).toMatch(/^\{\n {2}"/); // indented, as a single answer
    expect(await sent("DescribeAutoCalloutTask", "TaskId")).toEqual([[7], [7], [7]]);

    await server.reset();
    await server.setStates("DescribeAutoCalloutTask", [{ State: 2 }]);
    const bare = await ccc(["--wait", "AutoCalloutTaskFinished", ...task, ...FAST]);
    expect(bare.code).toBe(0);
    expect(JSON.parse(bare.stdout)).toMatchObject({ State: 2 });
    expectNoSecrets(bare);
  });

  it("succeeds at once where the example answer is already the success state", async () => {
    const r = await ccc([
      "--wait",
      "AgentCruiseDialingCampaignFinished",
      "--SdkAppId",
      SDK_APP_ID,
      "--CampaignId",
      "1",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("State", 2);
    expect(await sent("DescribeAgentCruiseDialingCampaign", "CampaignId")).toEqual([[1]]);
  });

  it("a failure state: exit 3, the last answer on stdout, why on stderr", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }, { State: 4 }]);
    const r = await ccc(["--wait", "AutoCalloutTaskFinished", ...task, ...FAST]);
    expect(r.code).toBe(EXIT_WAIT_FAILURE);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ State: 4 });
    expect(r.stderr).toBe(
      "ccc: waiter AutoCalloutTaskFinished reached a failure state (2 poll(s) of DescribeAutoCalloutTask)\n",
    );
  });

  it("a timeout: exit 4 once --max-wait-ms runs out", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 1 }]);
    const started = performance.now();
    const r = await ccc([
      "--wait",
      "AutoCalloutTaskFinished",
      ...task,
      "--max-wait-ms",
      "300",
      "--min-delay-ms",
      "20",
      "--max-delay-ms",
      "40",
    ]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(r.code).toBe(EXIT_WAIT_TIMEOUT);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ State: 1 });
    expect(r.stderr).toMatch(
      /^ccc: waiter AutoCalloutTaskFinished timed out after \d+ ms \(\d+ poll\(s\) of DescribeAutoCalloutTask\): --max-wait-ms 300 ran out\n$/,
    );
    expect((await sent("DescribeAutoCalloutTask", "TaskId")).length).toBeGreaterThan(2);
  });

  it("waits on every item of a list path, and on a nested member", async () => {
    await server.setStates("DescribeCompanyList", [
      { CompanyInfo: [{ State: 2 }, { State: 1 }] },
      { CompanyInfo: [{ State: 2 }, { State: 2 }] },
    ]);
    const list = await ccc(["--wait", "CompanyApproved", "--PageNumber", "0", "--PageSize", "10", ...FAST]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ CompanyInfo: [{ State: 2 }, { State: 2 }] });

    await server.setStates("DescribeTelSession", [
      { Session: { SessionStatus: "ringing" } },
      { Session: { SessionStatus: "finished" } },
    ]);
    const nested = await ccc(["--wait", "TelSessionFinished", "--SdkAppId", SDK_APP_ID, "--SessionId", "s", ...FAST]);
    expect(nested.code).toBe(0);
    expect(JSON.parse(nested.stdout)).toMatchObject({ Session: { SessionStatus: "finished" } });
  });

  it("a poll that fails with an API error: exit 1, as a single call", async () => {
    await server.inject({ type: "error", code: "ResourceNotFound", message: "No such task." });
    const r = await ccc(["--wait", "AutoCalloutTaskFinished", ...task, ...FAST]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^ccc: ResourceNotFound: No such task\. \(RequestId [0-9a-f-]{36}\)\n$/);
  });

  it("keeps integers beyond 2^53 of the last answer exact", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ State: 2, IvrId: Number(BIG) }]);
    const r = await ccc(["--wait", "AutoCalloutTaskFinished", ...task, ...FAST]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`"IvrId": ${BIG},`);
  });

  it("refuses bad limits, nothing sent", async () => {
    for (const [flags, message] of [
      [["--max-wait-ms", "0"], '--max-wait-ms expects a whole number from 1 to 2147483647, got "0"'],
      [["--min-delay-ms", "x"], '--min-delay-ms expects a whole number from 1 to 2147483647, got "x"'],
      [
        ["--min-delay-ms", "50", "--max-delay-ms", "10"],
        "--min-delay-ms (50) must not be more than --max-delay-ms (10)",
      ],
    ] as const) {
      const r = await ccc(["--wait", "AutoCalloutTaskFinished", ...task, ...flags]);
      expect(r.code, flags.join(" ")).toBe(2);
      expect(r.stderr).toBe(`ccc: ${message}\n`);
    }
    expect(await server.requests()).toEqual([]);
  });

  it("--dry-run prints the first poll's request", async () => {
    const r = await ccc(["--wait", "AutoCalloutTaskFinished", ...task, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("X-TC-Action: DescribeAutoCalloutTask\n");
    expect(r.stdout).toMatch(/\n\n\{"SdkAppId":1400000000,"TaskId":7\}\n$/);
    expect(await server.requests()).toEqual([]);
  });
});

describe("against an emulator in this process", () => {
  it("pages its data set and polls its states (setDataSet, setStates)", async () => {
    const emulator = await startEmulator({ port: 0 });
    const local: Env = {
      ...noCredentialsEnv(dir),
      TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIAL.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIAL.secretKey,
    };
    const run = (argv: string[]) => runMain([...argv, "--endpoint", emulator.url, "--max-retries", "0"], local);
    try {
      emulator.setDataSet("DescribeStaffInfoList", { count: 12 });
      const pages = await run(["DescribeStaffInfoList", "--page-all", "--page-size", "5", "--SdkAppId", SDK_APP_ID]);
      expect(pages.code).toBe(0);
      expect(jsonLines(pages.stdout)).toHaveLength(12);
      expect(emulator.requests().map((r) => (JSON.parse(r.body) as { PageNumber: number }).PageNumber)).toEqual([
        0, 1, 2,
      ]);

      emulator.setStates("DescribePredictiveDialingCampaign", [{ Status: 1 }, { Status: 4 }]);
      const waited = await run([
        "--wait",
        "PredictiveDialingCampaignFinished",
        "--SdkAppId",
        SDK_APP_ID,
        "--CampaignId",
        "3",
        ...FAST,
      ]);
      expect([waited.code, waited.stderr]).toEqual([0, ""]);
      emulator.reset();
      expect(emulator.requests()).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});

/**
 * `ccc` as a real program: `node --import tsx src/cli/main.ts …` in a child process with only the environment
 * given here, against the local CCC endpoint of `startTestServer()`. Exit statuses, stdout and stderr as an operator
 * sees them.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../generated/client.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import {
  CREDENTIAL_ENV,
  expectNoSecrets,
  noCredentialsEnv,
  PROCESS_TIMEOUT_MS,
  removeDir,
  runProcess,
  tempDir,
  type Env,
} from "./helpers.js";

let server: TestServer;
let home: string;
let env: Env;
const item = { CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 };

beforeAll(async () => {
  server = await startTestServer();
  home = await tempDir("process");
  env = { ...noCredentialsEnv(home), ...CREDENTIAL_ENV };
});
afterAll(async () => {
  await server?.close();
  await removeDir(home);
});
beforeEach(async () => {
  await server.reset();
});

function ccc(argv: string[], runEnv: Env = env) {
  return runProcess([...argv, "--endpoint", server.url, "--max-retries", "0"], runEnv, { home });
}

async function bodies(): Promise<unknown[]> {
  const seen = await server.requests();
  for (const r of seen) expect(r.outcome).toBe("ok");
  return seen.map((r) => JSON.parse(r.body) as unknown);
}

describe("ccc as a subprocess", { timeout: PROCESS_TIMEOUT_MS * 2 }, () => {
  it("DisableCCCPhoneNumber: a list by repeated flags, then by JSON", async () => {
    const flags = await ccc([
      "DisableCCCPhoneNumber",
      "--SdkAppId",
      "1400000000",
      "--PhoneNumbers",
      "008602112345678",
      "--PhoneNumbers",
      "008602112345679",
      "--Disabled",
      "1",
    ]);
    expect(flags.stderr).toBe("");
    expect(flags.code).toBe(0);
    expect(JSON.parse(flags.stdout)).toEqual({ RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const json = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", '["0086a","0086b"]', "--Disabled", "0"]);
    expect(json.code).toBe(0);
    expect(await bodies()).toEqual([
      { SdkAppId: 1400000000, PhoneNumbers: ["008602112345678", "008602112345679"], Disabled: 1 },
      { PhoneNumbers: ["0086a", "0086b"], Disabled: 0 },
    ]);
    expectNoSecrets(flags);
    expectNoSecrets(json);
  });

  it("ModifyOwnNumberApply: nested JSON, --cli-input-json inline and @file (flags override)", async () => {
    const nested = await ccc([
      "modifyOwnNumberApply",
      "--SdkAppId=1400000000",
      "--DetailList",
      JSON.stringify([item]),
      "--LocalNumberTrimAC",
    ]);
    expect(nested.stderr).toBe("");
    expect(nested.code).toBe(0);
    const inline = await ccc([
      "ModifyOwnNumberApply",
      "--cli-input-json",
      JSON.stringify({ SdkAppId: 1400000000, ApplyId: 1, DetailList: [item] }),
      "--ApplyId",
      "2",
    ]);
    expect(inline.code).toBe(0);
    const file = path.join(home, "modify.json");
    await writeFile(file, JSON.stringify({ SdkAppId: 1400000000, Prefix: "0", DetailList: [item, item] }));
    const fromFile = await ccc(["ModifyOwnNumberApply", "--cli-input-json", `@${file}`]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toHaveProperty("RequestId");
    expect(await bodies()).toEqual([
      { SdkAppId: 1400000000, DetailList: [item], LocalNumberTrimAC: true },
      { SdkAppId: 1400000000, ApplyId: 2, DetailList: [item] },
      { SdkAppId: 1400000000, Prefix: "0", DetailList: [item, item] },
    ]);
  });

  it("an API error: exit 1, code, message and RequestId on stderr", async () => {
    await server.inject({ type: "error", code: "FailedOperation.CurStateNotAllowModify", message: "Not now." });
    const r = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^ccc: FailedOperation\.CurStateNotAllowModify: Not now\. \(RequestId [0-9a-f-]{36}\)\n$/);
    expectNoSecrets(r);
  });

  it("bad input: exit 2 naming the field; the server saw nothing", async () => {
    const notNumber = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "yes"]);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toBe('ccc: --Disabled expects an integer (int64), got "yes"\n');
    const nested = await ccc([
      "ModifyOwnNumberApply",
      "--SdkAppId",
      "1",
      "--DetailList",
      JSON.stringify([{ ...item, CallType: 9 }]),
    ]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain("  DetailList[0].CallType must be one of 0, 1, 2, got the number 9 (enum)\n");
    expect(nested.stdout + notNumber.stdout).toBe("");
    expect(await server.requests()).toEqual([]);
  });

  it("an unknown action: exit 2 with the closest one", async () => {
    const r = await ccc(["ModifyOwnNumberAply", "--SdkAppId", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ccc: unknown action "ModifyOwnNumberAply"; did you mean ModifyOwnNumberApply? (`ccc --help` lists the actions)\n',
    );
    expect(await server.requests()).toEqual([]);
  });

  it("--help lists all 84 actions; <Action> --help shows members, types, required and descriptions", async () => {
    const all = await runProcess(["--help"], {}, { home });
    expect(all.code).toBe(0);
    const names = Object.keys(commands);
    expect(names).toHaveLength(84);
    expect(all.stdout).toContain("Actions (84):\n");
    for (const name of names) expect(all.stdout).toMatch(new RegExp(`\\n {2}${name} +\\S`));
    expect(all.stdout).toMatch(/\n {2}DisableCCCPhoneNumber +Disable phone numbers\n/);
    expect(all.stdout).toMatch(/--endpoint <host\|url> +API endpoint/);

    const one = await runProcess(["DisableCCCPhoneNumber", "--help"], {}, { home });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^ccc DisableCCCPhoneNumber: Disable phone numbers\n/);
    expect(one.stdout).toMatch(
      /\n {2}--Disabled +int64, required, one of 0, 1\n +Disable switch: 0 for enable, 1 for disable\.\n/,
    );
    expect(one.stdout).toMatch(
      /\n {2}--PhoneNumbers +list of string, required.*\n +Number list starting with 0086\.\n/,
    );
    expect(one.stdout).toMatch(/\n {2}--SdkAppId +uint64, optional\n +TCCC instance application id\.\n/);
    const model = await runProcess(["ModifyOwnNumberApply", "-h"], {}, { home });
    expect(model.stdout).toMatch(/--DetailList +list of OwnNumberApplyDetailItem \(JSON\), required/);
    expect(model.stdout).toMatch(/\n +MaxCallPSec +int64, required\n/);
  });

  it("--dry-run prints the signed request with *** and the server sees nothing", async () => {
    const r = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^POST \/ HTTP\/1\.1\nHost: 127\.0\.0\.1:\d+\n/);
    expect(r.stdout).toMatch(
      new RegExp(
        `\\nAuthorization: TC3-HMAC-SHA256 Credential=${DEFAULT_CREDENTIAL.secretId}/[^ ]+, SignedHeaders=content-type;host;x-tc-action, Signature=\\*\\*\\*\\n`,
      ),
    );
    expect(r.stdout).toContain("\nX-TC-Action: DisableCCCPhoneNumber\n");
    expect(r.stdout).toMatch(/\n\n\{"PhoneNumbers":\["0086a"\],"Disabled":1\}\n$/);
    expect(r.stderr).toBe(`ccc: dry run: nothing was sent to ${server.url}\n`);
    expect(await server.requests()).toEqual([]);
    expectNoSecrets(r);
  });

  it("--page-all streams JSON Lines and stops paging once its reader has gone (`| head -1`)", async () => {
    await server.setDataSet("DescribeCompanyList", { count: 3 });
    const all = await ccc(["DescribeCompanyList", "--page-all", "--page-size", "2"]);
    expect(all.code).toBe(0);
    expect(all.stdout.split("\n").map((line) => (line ? JSON.parse(line) : line))).toEqual([
      expect.objectContaining({ Id: 1 }),
      expect.objectContaining({ Id: 1 }),
      expect.objectContaining({ Id: 1 }),
      "",
    ]);

    await server.reset();
    const pages = 1000;
    await server.setDataSet("DescribeCompanyList", { count: pages * 10 });
    const head = await runProcess(
      ["DescribeCompanyList", "--page-all", "--page-size", "10", "--endpoint", server.url],
      env,
      { home, onStdout: (out, child) => void (out.includes("\n") && child.stdout!.destroy()) },
    );
    expect(head.stderr).toBe("");
    expect(head.code).toBe(0);
    const asked = (await server.requests()).length;
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThan(pages / 2);
  });

  it("--wait: exit 0 at the success state, 3 at a failure state, 4 when --max-wait-ms runs out", async () => {
    const wait = ["--wait", "TelSessionFinished", "--SdkAppId", "1400000000", "--SessionId", "s"];
    const fast = ["--min-delay-ms", "1", "--max-delay-ms", "10"];
    await server.setStates("DescribeTelSession", [
      { Session: { SessionStatus: "ringing" } },
      { Session: { SessionStatus: "finished" } },
    ]);
    const done = await ccc([...wait, ...fast]);
    expect([done.code, done.stderr]).toEqual([0, ""]);
    expect(JSON.parse(done.stdout)).toMatchObject({ Session: { SessionStatus: "finished" } });

    await server.setStates("DescribeAutoCalloutTask", [{ State: 4 }]);
    const failed = await ccc(["--wait", "AutoCalloutTaskFinished", "--SdkAppId", "1", "--TaskId", "7", ...fast]);
    expect(failed.code).toBe(3);
    expect(JSON.parse(failed.stdout)).toMatchObject({ State: 4 });
    expect(failed.stderr).toBe(
      "ccc: waiter AutoCalloutTaskFinished reached a failure state (1 poll(s) of DescribeAutoCalloutTask)\n",
    );

    await server.setStates("DescribeTelSession", [{ Session: { SessionStatus: "ringing" } }]);
    const late = await ccc([...wait, ...fast, "--max-wait-ms", "100"]);
    expect(late.code).toBe(4);
    expect(late.stderr).toMatch(
      /^ccc: waiter TelSessionFinished timed out after \d+ ms .*: --max-wait-ms 100 ran out\n$/,
    );
    expectNoSecrets(late);
  });

  it("--profile with the file TENCENTCLOUD_CREDENTIALS_FILE names; no credentials at all: exit 1", async () => {
    const file = path.join(home, "credentials");
    await writeFile(
      file,
      `[ops]\nsecret_id = ${DEFAULT_CREDENTIAL.secretId}\nsecret_key = ${DEFAULT_CREDENTIAL.secretKey}\n`,
      { mode: 0o600 }, // readable by others, it would be used with a warning on stderr (test/unit/credentials.test.ts)
    );
    const r = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1", "--profile", "ops"], {
      TENCENTCLOUD_CREDENTIALS_FILE: file,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((await server.requests()).map((q) => q.secretId)).toEqual([DEFAULT_CREDENTIAL.secretId]);
    expectNoSecrets(r);

    await server.reset();
    const none = await ccc(
      ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1"],
      noCredentialsEnv(home),
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^ccc: no credentials found\./);
    expect(await server.requests()).toEqual([]);
  });
});

/**
 * `main()` in-process against the local CCC endpoint of `startTestServer()`: answers, API and transport errors,
 * bad input (nothing sent), the dry run (nothing sent), credentials from the environment and the profile file,
 * and no secret in any output.
 */
import { createServer } from "node:net";
import { Readable } from "node:stream";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import {
  CREDENTIAL_ENV,
  ROOT,
  expectNoSecrets,
  noCredentialsEnv,
  removeDir,
  runMain,
  tempDir,
  type Env,
} from "./helpers.js";

const TOKEN_CREDENTIAL = {
  secretId: "AKIDTOKENUSER000000000000000000000000",
  secretKey: "token-user-secret-key-0123456789abcd",
  token: "session-token-value-0123456789abcdef",
};
const PROFILE_CREDENTIAL = {
  secretId: "AKIDPROFILEUSER0000000000000000000000",
  secretKey: "profile-secret-key-0123456789abcdefgh",
};
const SECRETS = [TOKEN_CREDENTIAL.secretKey, TOKEN_CREDENTIAL.token, PROFILE_CREDENTIAL.secretKey];

let server: TestServer;
let dir: string;
let env: Env;
const item = { CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 };

beforeAll(async () => {
  server = await startTestServer({ credentials: [DEFAULT_CREDENTIAL, TOKEN_CREDENTIAL, PROFILE_CREDENTIAL] });
  dir = await tempDir("main");
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
function ccc(argv: string[], runEnv: Env = env, stdin?: AsyncIterable<string>) {
  return runMain([...argv, "--endpoint", server.url, "--max-retries", "0"], runEnv, stdin ? { stdin } : {});
}

async function lastRequest() {
  const all = await server.requests();
  expect(all).toHaveLength(1);
  const seen = all[0]!;
  expect(seen.outcome).toBe("ok");
  return { ...seen, input: JSON.parse(seen.body) as unknown };
}

describe("calls", () => {
  it("DisableCCCPhoneNumber with a list given by repeated flags", async () => {
    const r = await ccc([
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
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { RequestId: string };
    expect(Object.keys(answer)).toEqual(["RequestId"]);
    expect(answer.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).toBe(`${JSON.stringify(answer, null, 2)}\n`);
    const seen = await lastRequest();
    expect(seen.action).toBe("DisableCCCPhoneNumber");
    expect(seen.secretId).toBe(DEFAULT_CREDENTIAL.secretId);
    expect(seen.input).toEqual({
      SdkAppId: 1400000000,
      PhoneNumbers: ["008602112345678", "008602112345679"],
      Disabled: 1,
    });
    expectNoSecrets(r);
  });

  it("DisableCCCPhoneNumber by its method name, with a JSON list and --Field=value", async () => {
    const r = await ccc(["disableCCCPhoneNumber", "--PhoneNumbers", '["0086a","0086b"]', "--Disabled=0"]);
    expect(r.code).toBe(0);
    expect((await lastRequest()).input).toEqual({ PhoneNumbers: ["0086a", "0086b"], Disabled: 0 });
  });

  it("ModifyOwnNumberApply with nested members as JSON and bool flags", async () => {
    const r = await ccc([
      "ModifyOwnNumberApply",
      "--SdkAppId",
      "1400000000",
      "--ApplyId",
      "12",
      "--Prefix",
      "0",
      "--DetailList",
      JSON.stringify([item, { ...item, CallType: 0, PhoneNumber: "02012345679" }]),
      "--LocalNumberTrimAC",
      "--CalleeFormatPassthrough",
      "false",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("RequestId");
    expect((await lastRequest()).input).toEqual({
      SdkAppId: 1400000000,
      ApplyId: 12,
      Prefix: "0",
      DetailList: [item, { ...item, CallType: 0, PhoneNumber: "02012345679" }],
      LocalNumberTrimAC: true,
      CalleeFormatPassthrough: false,
    });
  });

  it("--cli-input-json inline, flags overriding its members", async () => {
    const input = { SdkAppId: 1400000000, PhoneNumbers: ["0086a"], Disabled: 0 };
    const r = await ccc(["DisableCCCPhoneNumber", "--cli-input-json", JSON.stringify(input), "--Disabled", "1"]);
    expect(r.code).toBe(0);
    expect((await lastRequest()).input).toEqual({ ...input, Disabled: 1 });
  });

  it("--cli-input-json @file, and - for stdin", async () => {
    const file = path.join(dir, "input.json");
    const input = { SdkAppId: 1400000000, ApplyId: 3, DetailList: [item] };
    await writeFile(file, `\uFEFF${JSON.stringify(input, null, 2)}\n`);
    const r = await ccc(["ModifyOwnNumberApply", "--cli-input-json", `@${file}`]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((await lastRequest()).input).toEqual(input);

    await server.reset();
    const piped = await ccc(
      ["ModifyOwnNumberApply", "--cli-input-json", "-", "--ApplyId", "4"],
      env,
      Readable.from([JSON.stringify(input).slice(0, 10), JSON.stringify(input).slice(10)]),
    );
    expect(piped.code).toBe(0);
    expect((await lastRequest()).input).toEqual({ ...input, ApplyId: 4 });
  });

  it("sends --region and --language as X-TC-Region and X-TC-Language", async () => {
    const r = await ccc([
      "DisableCCCPhoneNumber",
      "--PhoneNumbers",
      "0086a",
      "--Disabled",
      "1",
      "--region",
      "ap-singapore",
      "--language",
      "en-US",
    ]);
    expect(r.code).toBe(0);
    const seen = await lastRequest();
    expect(seen.headers["x-tc-region"]).toBe("ap-singapore");
    expect(seen.headers["x-tc-language"]).toBe("en-US");
  });
});

describe("answers with integers beyond 2^53", () => {
  // The admin API reads JSON too, so this is the double nearest 12345678901234567890, which is written back as:
  const BIG = "12345678901234567000";

  it("prints them as the server wrote them, the rest of the answer as JSON, exit 0", async () => {
    await server.setStates("DescribeAutoCalloutTask", [{ IvrId: Number(BIG), Callees: [{ State: Number(BIG) }] }]);
    const r = await ccc(["DescribeAutoCalloutTask", "--SdkAppId", "1", "--TaskId", "2"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^\\{\\n {2}"IvrId": ${BIG},\\n`));
    expect(r.stdout).toContain(`"Callees": [\n    {\n      "State": ${BIG}\n    }\n  ],\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ Name: "foobar", State: 1 });
    // Beyond the two integers, exactly what JSON.stringify(answer, null, 2) writes.
    const rounded = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(r.stdout.replaceAll(BIG, "0")).toBe(
      `${JSON.stringify({ ...rounded, IvrId: 0, Callees: [{ State: 0 }] }, null, 2)}\n`,
    );
  });
});

describe("failures", () => {
  it("an API error: exit 1, `ccc: <Code>: <message> (RequestId <id>)` on stderr", async () => {
    await server.inject({ type: "error", code: "InvalidParameter.InvalidPhoneNumber", message: "The number is bad." });
    const r = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^ccc: InvalidParameter\.InvalidPhoneNumber: The number is bad\. \(RequestId [0-9a-f-]{36}\)\n$/,
    );
    expect((await server.requests()).map((q) => q.action)).toEqual(["DisableCCCPhoneNumber"]);
    expectNoSecrets(r);
  });

  it("an answer that is not CCC's, a timeout and a refused connection: exit 1 with the SDK's message", async () => {
    await server.inject({ type: "http", status: 502, body: "<html>Bad Gateway</html>", contentType: "text/html" });
    const html = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1"]);
    expect(html.code).toBe(1);
    expect(html.stderr).toMatch(
      /^ccc: DisableCCCPhoneNumber: the server answered HTTP 502\b[^\n]* without a CCC answer\n$/,
    );

    await server.inject({ type: "delay", ms: 3_000 });
    const slow = await ccc([
      "DisableCCCPhoneNumber",
      "--PhoneNumbers",
      "0086a",
      "--Disabled",
      "1",
      "--timeout-ms",
      "200",
    ]);
    expect(slow.code).toBe(1);
    expect(slow.stderr).toBe(
      "ccc: DisableCCCPhoneNumber timed out after 200 ms after the request was sent: the server may have received it\n",
    );

    const port = await closedPort();
    const refused = await runMain(
      [
        "DisableCCCPhoneNumber",
        "--PhoneNumbers",
        "0086a",
        "--Disabled",
        "1",
        "--endpoint",
        `http://127.0.0.1:${port}`,
        "--max-retries",
        "0",
      ],
      { ...env },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^ccc: connection to 127\.0\.0\.1:\d+ failed before the request was sent \(ECONNREFUSED\)\n$/,
    );
  });

  it("refused credentials: exit 1 with the API's code", async () => {
    const r = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1"], {
      ...noCredentialsEnv(dir),
      TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId,
      TENCENTCLOUD_SECRET_KEY: "a-wrong-secret-key-0123456789",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ccc: AuthFailure\.SignatureFailure: .* \(RequestId [0-9a-f-]{36}\)\n$/);
    expectNoSecrets(r, ["a-wrong-secret-key-0123456789"]);
  });

  it("no credentials: exit 1, saying where it looked; nothing sent", async () => {
    const r = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1"], noCredentialsEnv(dir));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "ccc: no credentials found. Looked at: the environment variables TENCENTCLOUD_SECRET_ID",
    );
    expect(r.stderr).toContain("no-such-credentials-file");
    expect(r.stderr).toContain("--profile");
    expect(await server.requests()).toEqual([]);
  });
});

describe("bad input: exit 2, a message naming the field, nothing sent", () => {
  const cases: [string, string[], string | RegExp][] = [
    [
      "not a number",
      ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "x1"],
      '--Disabled expects an integer (int64), got "x1"',
    ],
    [
      "an enum",
      ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "3"],
      "  Disabled must be one of 0, 1, got the number 3 (enum)",
    ],
    [
      "a pattern",
      ["DisableCCCPhoneNumber", "--PhoneNumbers", "123", "--Disabled", "1"],
      '  PhoneNumbers[0] must match /^0086/, got the string "123" (pattern)',
    ],
    ["a missing member", ["DisableCCCPhoneNumber", "--Disabled", "1"], "  PhoneNumbers is required (required)"],
    [
      "a nested member",
      [
        "ModifyOwnNumberApply",
        "--SdkAppId",
        "1",
        "--DetailList",
        '[{"CallType":7,"PhoneNumber":"1","MaxCallCount":1,"MaxCallPSec":1}]',
      ],
      "  DetailList[0].CallType must be one of 0, 1, 2, got the number 7 (enum)",
    ],
    [
      "an unknown member in JSON",
      ["DisableCCCPhoneNumber", "--cli-input-json", '{"PhoneNumbers":["0086a"],"Disabled":1,"Extra":1}'],
      "  Extra is not a member of this request (unknown)",
    ],
    [
      "an unknown flag",
      ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disable", "1"],
      "has no member --Disable; did you mean --Disabled?",
    ],
    ["a missing value", ["DisableCCCPhoneNumber", "--Disabled", "1", "--PhoneNumbers"], "--PhoneNumbers needs a value"],
    [
      "a bool",
      ["ModifyOwnNumberApply", "--SdkAppId", "1", "--DetailList", "[]", "--LocalNumberTrimAC=maybe"],
      '--LocalNumberTrimAC expects true or false (bool), got "maybe"',
    ],
    [
      "bad JSON",
      ["ModifyOwnNumberApply", "--SdkAppId", "1", "--DetailList", "[{CallType:2}]"],
      "--DetailList expects JSON",
    ],
    [
      "--cli-input-json not an object",
      ["DisableCCCPhoneNumber", "--cli-input-json", "[1]"],
      "--cli-input-json expects a JSON object, got a list",
    ],
    [
      "--cli-input-json of a missing file",
      ["DisableCCCPhoneNumber", "--cli-input-json", "@/nonexistent/ccc-input.json"],
      "--cli-input-json: cannot read /nonexistent/ccc-input.json (ENOENT)",
    ],
    [
      "an unknown action",
      ["DisableCCCPhoneNumbr", "--Disabled", "1"],
      'unknown action "DisableCCCPhoneNumbr"; did you mean DisableCCCPhoneNumber?',
    ],
    ["no action", ["--region", "ap-guangzhou"], "no action given"],
    [
      "--endpoint with a path",
      ["DisableCCCPhoneNumber", "--endpoint", "http://127.0.0.1:1/v2"],
      /^ccc: --endpoint: endpoint must be a host or an origin without a path/,
    ],
    ["--language", ["DisableCCCPhoneNumber", "--language", "fr-FR"], '--language expects zh-CN or en-US, got "fr-FR"'],
    [
      "--timeout-ms",
      ["DisableCCCPhoneNumber", "--timeout-ms", "0"],
      '--timeout-ms expects a whole number from 1 to 2147483647, got "0"',
    ],
    [
      "--max-retries",
      ["DisableCCCPhoneNumber", "--max-retries", "-1"],
      '--max-retries expects a whole number from 0 to 100, got "-1"',
    ],
    [
      "--region",
      ["DisableCCCPhoneNumber", "--region", "AP Guangzhou"],
      '--region expects a region such as ap-guangzhou, got "AP Guangzhou"',
    ],
  ];

  it.each(cases)("%s", async (_, argv, message) => {
    // The connection options come first so that those under test (given later) win.
    const r = await runMain(["--endpoint", server.url, "--max-retries", "0", ...argv], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    if (typeof message === "string") expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^ccc: /);
    expect(await server.requests()).toEqual([]);
    expectNoSecrets(r);
  });

  it("lists every violation at once", async () => {
    const r = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "1", "--PhoneNumbers", "1", "--Disabled", "9"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        "ccc: invalid input for DisableCCCPhoneNumber; nothing was sent:",
        '  PhoneNumbers[0] must match /^0086/, got the string "1" (pattern)',
        '  PhoneNumbers[1] must match /^0086/, got the string "1" (pattern)',
        "  PhoneNumbers[1] duplicates PhoneNumbers[0]; items must be unique (uniqueItems)",
        "  Disabled must be one of 0, 1, got the number 9 (enum)",
        "(`ccc DisableCCCPhoneNumber --help` lists its members)",
        "",
      ].join("\n"),
    );
    expect(await server.requests()).toEqual([]);
  });
});

describe("--dry-run", () => {
  it("prints the signed request with the secrets as *** and sends nothing", async () => {
    const r = await ccc(
      ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1", "--region", "ap-guangzhou", "--dry-run"],
      { ...noCredentialsEnv(dir), ...tokenEnv() },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`ccc: dry run: nothing was sent to ${server.url}\n`);
    const [head, body] = r.stdout.split("\n\n");
    const lines = head!.split("\n");
    expect(lines[0]).toBe("POST / HTTP/1.1");
    expect(lines[1]).toBe(`Host: 127.0.0.1:${server.port}`);
    const headers = Object.fromEntries(
      lines.slice(2).map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
    );
    expect(headers.Authorization).toMatch(
      new RegExp(
        `^TC3-HMAC-SHA256 Credential=${TOKEN_CREDENTIAL.secretId}/\\d{4}-\\d{2}-\\d{2}/ccc/tc3_request, ` +
          "SignedHeaders=content-type;host;x-tc-action, Signature=\\*\\*\\*$",
      ),
    );
    expect(headers).toMatchObject({
      "Content-Type": "application/json",
      "X-TC-Action": "DisableCCCPhoneNumber",
      "X-TC-Version": "2020-02-10",
      "X-TC-Region": "ap-guangzhou",
      "X-TC-Token": "***",
      "Content-Length": String(Buffer.byteLength(body!.trimEnd())),
    });
    expect(Math.abs(Number(headers["X-TC-Timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    expect(body).toBe('{"PhoneNumbers":["0086a"],"Disabled":1}\n');
    expect(await server.requests()).toEqual([]);
    expectNoSecrets(r, SECRETS);
  });

  it("still validates (exit 2) and needs credentials to sign (exit 1, saying so)", async () => {
    const bad = await ccc(["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "5", "--dry-run"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    const none = await ccc(
      ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1", "--dry-run"],
      noCredentialsEnv(dir),
    );
    expect(none.code).toBe(1);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/^ccc: --dry-run signs the request, so it needs credentials too: no credentials found/);
    expect(await server.requests()).toEqual([]);
  });
});

describe("credentials", () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(dir, "credentials");
    await writeFile(
      file,
      `[default]\nsecret_id = ${DEFAULT_CREDENTIAL.secretId}\nsecret_key = ${DEFAULT_CREDENTIAL.secretKey}\n\n` +
        `[prod]\nsecret_id = ${PROFILE_CREDENTIAL.secretId}\nsecret_key = ${PROFILE_CREDENTIAL.secretKey}\n`,
      { mode: 0o600 },
    );
  });
  const call = ["DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--Disabled", "1"];

  it("a session token from the environment is sent as X-TC-Token", async () => {
    const r = await ccc(call, { ...noCredentialsEnv(dir), ...tokenEnv() });
    expect(r.code).toBe(0);
    const seen = await lastRequest();
    expect(seen.secretId).toBe(TOKEN_CREDENTIAL.secretId);
    expect(seen.headers["x-tc-token"]).toBe("***"); // the server's record hides it; it checked it
    expectNoSecrets(r, SECRETS);
  });

  it("--profile reads that profile of the file TENCENTCLOUD_CREDENTIALS_FILE names", async () => {
    const r = await ccc([...call, "--profile", "prod"], { TENCENTCLOUD_CREDENTIALS_FILE: file });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((await lastRequest()).secretId).toBe(PROFILE_CREDENTIAL.secretId);
    expectNoSecrets(r, SECRETS);
  });

  it("without --profile: the environment first, else the default profile (or TENCENTCLOUD_PROFILE)", async () => {
    expect((await ccc(call, { TENCENTCLOUD_CREDENTIALS_FILE: file, ...tokenEnv() })).code).toBe(0);
    expect((await lastRequest()).secretId).toBe(TOKEN_CREDENTIAL.secretId);
    await server.reset();
    expect((await ccc(call, { TENCENTCLOUD_CREDENTIALS_FILE: file })).code).toBe(0);
    expect((await lastRequest()).secretId).toBe(DEFAULT_CREDENTIAL.secretId);
    await server.reset();
    expect((await ccc(call, { TENCENTCLOUD_CREDENTIALS_FILE: file, TENCENTCLOUD_PROFILE: "prod" })).code).toBe(0);
    expect((await lastRequest()).secretId).toBe(PROFILE_CREDENTIAL.secretId);
  });

  it("an explicit --profile wins over the environment variables", async () => {
    const r = await ccc([...call, "--profile", "prod"], { TENCENTCLOUD_CREDENTIALS_FILE: file, ...tokenEnv() });
    expect(r.code).toBe(0);
    expect((await lastRequest()).secretId).toBe(PROFILE_CREDENTIAL.secretId);
  });

  it("an unknown profile: exit 1 naming it and the profiles present; nothing sent", async () => {
    const r = await ccc([...call, "--profile", "staging"], { TENCENTCLOUD_CREDENTIALS_FILE: file });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `ccc: profile "staging" is not in the credentials file ${file}; the profiles present are "default", "prod"`,
    );
    expect(await server.requests()).toEqual([]);
    expectNoSecrets(r, SECRETS);
  });
});

describe("help and version", () => {
  it("`ccc`, `ccc --help` and `ccc help` print the usage and every action; exit 0", async () => {
    const bare = await runMain([], {});
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^ccc \d+\.\d+\.\d+: Tencent Cloud Contact Center \(ccc API 2020-02-10\)/);
    expect(bare.stdout).toContain("Actions (84):\n");
    expect((await runMain(["--help"], {})).stdout).toBe(bare.stdout);
    expect((await runMain(["-h"], {})).stdout).toBe(bare.stdout);
    expect((await runMain(["help"], {})).stdout).toBe(bare.stdout);
    expect(bare.stderr).toBe("");
  });

  it("`ccc <Action> --help` describes the action; Chinese with --language zh-CN", async () => {
    const en = await runMain(["ModifyOwnNumberApply", "--help"], {});
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^ccc ModifyOwnNumberApply: Modify customer's own number approval form\n/);
    expect(en.stdout).toMatch(
      /--DetailList +list of OwnNumberApplyDetailItem \(JSON\), required\n +Circuit-Related parameters\./,
    );
    const zh = await runMain(["ModifyOwnNumberApply", "--help", "--language", "zh-CN"], {});
    expect(zh.stdout).toMatch(/^ccc ModifyOwnNumberApply: 修改客户自携号码审批单\n/);
    expect(zh.stdout).toContain("线路相关参数");
  });

  it("--version prints the package's version and the API's", async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const r = await runMain(["--version"], {});
    expect(r).toEqual({ code: 0, stdout: `ccc ${version} (ccc API 2020-02-10)\n`, stderr: "" });
  });
});

function tokenEnv(): Env {
  return {
    TENCENTCLOUD_SECRET_ID: TOKEN_CREDENTIAL.secretId,
    TENCENTCLOUD_SECRET_KEY: TOKEN_CREDENTIAL.secretKey,
    TENCENTCLOUD_SESSION_TOKEN: TOKEN_CREDENTIAL.token,
  };
}

/** A port on 127.0.0.1 nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

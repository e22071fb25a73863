/**
 * The command line's parts without a server: parsing and coercion by the generated input shapes, suggestions,
 * help texts from the catalog, the dry run's redaction, and a made-up action handled with no code of its own.
 */
import { describe, expect, it } from "vitest";
import { catalog } from "../../generated/catalog.js";
import { commands } from "../../generated/client.js";
import type { ActionDefinition } from "../../src/action.js";
import { parseCommandLine, UnknownActionError, UsageError } from "../../src/cli/args.js";
import { formatRequest, redactHeader } from "../../src/cli/dry-run.js";
import { jsonText } from "../../src/cli/exact.js";
import { actionHelp, globalHelp, shellQuote } from "../../src/cli/help.js";
import { generatedSpec } from "../../src/cli/generated-spec.js";
import type { CliSpec } from "../../src/cli/spec.js";
import { closest, didYouMean, editDistance } from "../../src/cli/suggest.js";
import { CREDENTIAL_ENV, expectNoSecrets, runMain, shellWords } from "./helpers.js";

const spec = generatedSpec;
const parse = (...argv: string[]) => parseCommandLine(argv, spec);
const members = (...argv: string[]) => Object.fromEntries(parse(...argv).members);
const usage = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
};

describe("parsing and coercion by the input shape", () => {
  it("resolves the action by its Tencent name and by its method name", () => {
    expect(parse("DisableCCCPhoneNumber").action).toBe("DisableCCCPhoneNumber");
    expect(parse("disableCCCPhoneNumber").action).toBe("DisableCCCPhoneNumber");
    expect(parse("modifyOwnNumberApply").action).toBe("ModifyOwnNumberApply");
    expect(() => parse("DISABLECCCPHONENUMBER")).toThrow(UnknownActionError);
  });

  it("coerces int64 and uint64 to numbers and keeps strings as given", () => {
    expect(members("DisableCCCPhoneNumber", "--Disabled", "1", "--SdkAppId", "1400000000")).toEqual({
      Disabled: 1,
      SdkAppId: 1400000000,
    });
    expect(members("ModifyOwnNumberApply", "--Prefix", "0012", "--MobileNddPrefix=")).toEqual({
      Prefix: "0012",
      MobileNddPrefix: "",
    });
    expect(members("DisableCCCPhoneNumber", "--Disabled", "-1")).toEqual({ Disabled: -1 });
  });

  it("coerces float members", () => {
    const [action, name] = floatMember();
    expect(members(action, `--${name}`, "1.5")).toEqual({ [name]: 1.5 });
    expect(members(action, `--${name}=-2e3`)).toEqual({ [name]: -2000 });
    expect(usage(action, `--${name}`, "1.5.1")).toContain(`--${name} expects a number (float)`);
    expect(usage(action, `--${name}`, "")).toContain(`--${name} expects a number (float)`);
  });

  it("rejects what is not a number, naming the flag", () => {
    expect(usage("DisableCCCPhoneNumber", "--Disabled", "abc")).toBe(
      '--Disabled expects an integer (int64), got "abc"',
    );
    expect(usage("DisableCCCPhoneNumber", "--SdkAppId", "1.5")).toContain("--SdkAppId expects an integer (uint64)");
    expect(usage("DisableCCCPhoneNumber", "--SdkAppId", "")).toContain("--SdkAppId expects an integer");
  });

  it("keeps integers beyond ±2^53 exact, as bigint, in flags and in JSON", () => {
    expect(members("DisableCCCPhoneNumber", "--SdkAppId", "18446744073709551615")).toEqual({
      SdkAppId: 18446744073709551615n,
    });
    expect(members("DisableCCCPhoneNumber", "--SdkAppId", "9007199254740991")).toEqual({ SdkAppId: 9007199254740991 });
    expect(
      members("ModifyOwnNumberApply", "--DetailList", '[{"CallType":1,"MaxCallCount":12345678901234567890}]'),
    ).toEqual({ DetailList: [{ CallType: 1, MaxCallCount: 12345678901234567890n }] });
  });

  it("takes bool members as --Flag, --Flag true|false and --Flag=…", () => {
    expect(members("ModifyOwnNumberApply", "--LocalNumberTrimAC")).toEqual({ LocalNumberTrimAC: true });
    expect(members("ModifyOwnNumberApply", "--LocalNumberTrimAC", "--Prefix", "1")).toEqual({
      LocalNumberTrimAC: true,
      Prefix: "1",
    });
    expect(members("ModifyOwnNumberApply", "--LocalNumberTrimAC", "false")).toEqual({ LocalNumberTrimAC: false });
    expect(members("ModifyOwnNumberApply", "--CalleeFormatPassthrough=true")).toEqual({
      CalleeFormatPassthrough: true,
    });
    expect(usage("ModifyOwnNumberApply", "--LocalNumberTrimAC=yes")).toBe(
      '--LocalNumberTrimAC expects true or false (bool), got "yes"',
    );
  });

  it("builds lists from repeated flags, from JSON, and from both", () => {
    expect(members("DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "--PhoneNumbers", "0086b")).toEqual({
      PhoneNumbers: ["0086a", "0086b"],
    });
    expect(members("DisableCCCPhoneNumber", "--PhoneNumbers", '["0086a","0086b"]')).toEqual({
      PhoneNumbers: ["0086a", "0086b"],
    });
    expect(members("DisableCCCPhoneNumber", "--PhoneNumbers=0086a", "--PhoneNumbers", '["0086b"]')).toEqual({
      PhoneNumbers: ["0086a", "0086b"],
    });
    expect(members("BindNumberCallOutSkillGroup", "--SkillGroupIds", "1", "--SkillGroupIds", "2")).toEqual({
      SkillGroupIds: [1, 2],
    });
    expect(usage("BindNumberCallOutSkillGroup", "--SkillGroupIds", "1,2")).toContain("repeating --SkillGroupIds");
    expect(usage("DisableCCCPhoneNumber", "--PhoneNumbers", "[0086a")).toContain("--PhoneNumbers expects JSON");
  });

  it("takes models as JSON: an object, or a list of them", () => {
    const item = { CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 };
    expect(members("ModifyOwnNumberApply", "--DetailList", JSON.stringify([item, item]))).toEqual({
      DetailList: [item, item],
    });
    expect(members("ModifyOwnNumberApply", "--DetailList", JSON.stringify(item), "--DetailList", "[]")).toEqual({
      DetailList: [item],
    });
    expect(members("BindNumberCallInInterface", "--CallInInterface", '{"URL":"https://example.com/"}')).toEqual({
      CallInInterface: { URL: "https://example.com/" },
    });
    expect(usage("BindNumberCallInInterface", "--CallInInterface", "[]")).toBe(
      "--CallInInterface expects a JSON object, got a list",
    );
    expect(usage("ModifyOwnNumberApply", "--DetailList", "{CallType:2}")).toContain("--DetailList expects JSON");
  });

  it("names the flag of every other mistake", () => {
    expect(usage("DisableCCCPhoneNumber", "--PhoneNumber", "0086a")).toBe(
      "DisableCCCPhoneNumber has no member --PhoneNumber; did you mean --PhoneNumbers? " +
        "(`ccc DisableCCCPhoneNumber --help` lists its members)",
    );
    expect(usage("DisableCCCPhoneNumber", "--PhoneNumbers")).toContain("--PhoneNumbers needs a value");
    expect(usage("DisableCCCPhoneNumber", "--PhoneNumbers", "--Disabled", "1")).toContain(
      "--PhoneNumbers needs a value",
    );
    expect(usage("DisableCCCPhoneNumber", "--Disabled", "1", "--Disabled", "0")).toBe(
      "--Disabled is given twice; it is not a list",
    );
    expect(usage("DisableCCCPhoneNumber", "--PhoneNumbers", "0086a", "0086b")).toContain(
      "(--PhoneNumbers a --PhoneNumbers b)",
    );
    expect(usage("--Disabled", "1", "DisableCCCPhoneNumber")).toContain("--Disabled comes before the action");
    expect(usage("DisableCCCPhoneNumber", "--endpoint")).toContain("--endpoint needs a value");
    expect(usage("DisableCCCPhoneNumber", "--dry-run=yes")).toBe("--dry-run takes no value");
    expect(usage("DisableCCCPhoneNumber", "-x")).toContain('unknown option "-x"');
    expect(usage("DisableCCCPhoneNumber", "--dryrun")).toContain("did you mean --dry-run?");
  });

  it("reads global options anywhere on the line, the last one winning", () => {
    const line = parse("--region", "ap-guangzhou", "DisableCCCPhoneNumber", "--endpoint=127.0.0.1:1", "--dry-run");
    expect(line.options).toMatchObject({ region: "ap-guangzhou", endpoint: "127.0.0.1:1", dryRun: true });
    expect(parse("DisableCCCPhoneNumber", "--region", "a", "--region", "b").options.region).toBe("b");
  });

  it("lets --help and --version win over the rest of the line, but not over an unknown action", () => {
    expect(parse("DisableCCCPhoneNumber", "--Disabled", "abc", "--help")).toMatchObject({
      action: "DisableCCCPhoneNumber",
      options: { help: true },
    });
    expect(parse("DisableCCCPhoneNumber", "--Nope", "-h").options.help).toBe(true);
    expect(parse("help", "ModifyOwnNumberApply")).toMatchObject({
      action: "ModifyOwnNumberApply",
      options: { help: true },
    });
    expect(() => parse("DisableCCCPhoneNumbr", "--help")).toThrow(UnknownActionError);
  });
});

describe("suggestions", () => {
  it("measures edits, transpositions included", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("finds the closest actions for typos, case and fragments", () => {
    const names = Object.keys(commands);
    expect(closest("DisableCCCPhoneNumbr", names)[0]).toBe("DisableCCCPhoneNumber");
    expect(closest("disablecccphonenumber", names)[0]).toBe("DisableCCCPhoneNumber");
    expect(closest("ModifyOwnNumberAply", names)[0]).toBe("ModifyOwnNumberApply");
    expect(closest("DescribeTelCdr", names)).toContain("DescribeTelCdr");
    expect(closest("Xyzzy", names)).toEqual([]);
    expect(didYouMean("Xyzzy", names)).toBe("");
  });
});

describe("help from the catalog", () => {
  it("lists every action, sorted, with its title (en, else zh)", () => {
    const text = globalHelp(spec, "9.9.9");
    const names = Object.keys(commands).sort();
    expect(text).toContain(`Actions (${names.length}):`);
    const listed = text.split("Actions (")[1]!.split("\n").slice(1).filter(Boolean);
    expect(listed.map((l) => l.trim().split(/\s+/)[0])).toEqual(names);
    for (const [i, name] of names.entries()) {
      const title = catalog.actions[name]!.title;
      expect(listed[i]).toContain((title.en ?? title.zh)!.replace(/\s+/g, " ").trim());
    }
    expect(names.length).toBeGreaterThanOrEqual(84);
    // Every action has an English title (hand-written where Tencent's sources have none).
    expect(names.filter((name) => !catalog.actions[name]!.title.en)).toEqual([]);
  });

  it("describes every member of every action with its type, requiredness and description", () => {
    for (const name of Object.keys(commands)) {
      const help = actionHelp(spec, name);
      const entry = catalog.actions[name]!;
      const first = help.split("\n")[0]!;
      expect(first).toBe(
        `ccc ${name}: ${(entry.title.en ?? entry.title.zh)!.replace(/\s+/g, " ").trim()}` +
          (entry.deprecated ? " (deprecated)" : ""),
      );
      for (const [member, m] of Object.entries(entry.input)) {
        const line = help.split("\n").find((l) => l.startsWith(`  --${member} `));
        expect(line, `${name} --${member}`).toBeDefined();
        expect(line).toContain(m.required ? "required" : "optional");
        expect(line).toMatch(m.list ? /list of / : /^ {2}--\S+ +(?!list)/);
        const description = (m.description.en ?? m.description.zh ?? "").split("\n")[0]!.trim();
        if (description) expect(help).toContain(description);
      }
    }
  });

  it("shows list and model types, enums, rules and a model's members", () => {
    const disable = actionHelp(spec, "DisableCCCPhoneNumber");
    expect(disable).toMatch(
      / {2}--Disabled +int64, required, one of 0, 1\n +Disable switch: 0 for enable, 1 for disable\./,
    );
    expect(disable).toMatch(
      /--PhoneNumbers +list of string, required, pattern \/\^0086\/, at least 1 item, items unique/,
    );
    expect(disable).toMatch(/--SdkAppId +uint64, optional/);
    expect(disable).toContain("Enable or disable phone numbers of a contact center instance.");
    const modify = actionHelp(spec, "ModifyOwnNumberApply");
    expect(modify).toMatch(/--DetailList +list of OwnNumberApplyDetailItem \(JSON\), required/);
    expect(modify).toContain("OwnNumberApplyDetailItem (User-owned number approval detail data type): a JSON list");
    expect(modify).toMatch(/ CallType +int64, required, one of 0, 1, 2\n +Number type: 0 - inbound/);
    expect(modify).toMatch(/ OutboundCalleeFormat +string, optional/);
    expect(modify).toMatch(/--LocalNumberTrimAC +bool, optional/);
    // Required members first.
    expect(modify.indexOf("--DetailList")).toBeLessThan(modify.indexOf("--ApplyId"));
    expect(actionHelp(spec, "DisableCCCPhoneNumber", "zh")).toContain("停用开关，0启用 1停用");
  });

  it("lists the paging and waiting options, the waiters and the exit statuses of --wait", () => {
    const help = globalHelp(spec, "1.0.0");
    for (const option of [
      "--page-all",
      "--page-size <n>",
      "--wait <Waiter>",
      "--max-wait-ms <ms>",
      "--min-delay-ms <ms>",
    ])
      expect(help).toMatch(new RegExp(`\\n {2}${option} +\\S`));
    expect(help).toContain("(default 1800000: 30 minutes)");
    expect(help).toContain("3 --wait reached a failure state; 4 --wait ran out of");
    expect(help).toContain("one line of JSON (JSON Lines)");
    expect(help).toContain("Waiters (7; `ccc <Action> --help` says what each waits for):\n");
    expect(help).toMatch(/\n {2}AutoCalloutTaskFinished +polls DescribeAutoCalloutTask\n/);
    expect(help).toMatch(/\n {2}CompanyApproved +polls DescribeCompanyList\n/);
  });

  it("says whether an action pages, how, and which waiters poll it", () => {
    const cdr = actionHelp(spec, "DescribeTelCdr");
    expect(cdr).toContain(
      [
        "Pages: yes; --page-all prints every item of every page, one JSON line each:",
        "  PageNumber from 0; PageSize up to 100, default 100 (--page-size); items TelCdrList, total TotalCount",
        "  it sets PageNumber and PageSize itself; given, PageNumber is where it starts and PageSize the page size",
        "  a StartTimeStamp..EndTimeStamp range of 90 days or more is read in windows shorter than that",
        "Waiters: none.",
      ].join("\n"),
    );
    expect(actionHelp(spec, "DescribeStaffStatusHistory")).toContain(
      "  Cursor from the Cursor of the page before's last item; PageSize default 1000 (--page-size); items Data\n",
    );
    expect(actionHelp(spec, "DescribeChatMessages")).toContain("  Offset from 0; Limit up to 100, default 100");
    const companies = actionHelp(spec, "DescribeCompanyList");
    expect(companies).toContain("Pages: yes;");
    expect(companies).toContain(
      [
        "Waiters (--wait <Waiter>; --max-wait-ms, default 30 min):",
        "  CompanyApproved  success when every CompanyInfo[].State is 2; failure when any CompanyInfo[].State is 3",
        "                   polls at once, then after pauses of 1 min doubling up to 15 min",
      ].join("\n"),
    );
    const session = actionHelp(spec, "DescribeTelSession");
    expect(session).toContain("Pages: no (--page-all does not apply).\n");
    expect(session).toContain('  TelSessionFinished  success when Session.SessionStatus is "finished"\n');
    expect(actionHelp(spec, "DisableCCCPhoneNumber")).toContain(
      "Pages: no (--page-all does not apply).\nWaiters: none.\n",
    );
  });

  it("quotes for the shell only what needs it", () => {
    expect(shellQuote("0086021")).toBe("0086021");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote(`[{"a":"it's"}]`)).toBe(`'[{"a":"it'\\''s"}]'`);
    expect(shellWords(`ccc A --X '[{"a":"it'\\''s"}]' --Y 1`)).toEqual([
      "ccc",
      "A",
      "--X",
      `[{"a":"it's"}]`,
      "--Y",
      "1",
    ]);
  });

  it("prints, for every action with an example, a command line that is valid input (dry run)", async () => {
    let checked = 0;
    for (const name of Object.keys(commands)) {
      const example = /\nExample:\n {2}(.*)\n/.exec(actionHelp(spec, name))?.[1];
      if (!catalog.actions[name]!.example) continue;
      expect(example, name).toBeDefined();
      const [ccc, ...argv] = shellWords(example!);
      expect(ccc).toBe("ccc");
      const result = await runMain([...argv, "--dry-run"], CREDENTIAL_ENV);
      expect(result.stderr, name).toMatch(/^ccc: dry run: nothing was sent/);
      expect(result.code, name).toBe(0);
      const body = JSON.parse(result.stdout.split("\n\n")[1]!) as unknown;
      expect(body, name).toEqual(catalog.actions[name]!.example!.request);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(80);
  });
});

describe("dry-run redaction", () => {
  it("hides the signature and tokens, keeps the SecretId", () => {
    const auth =
      "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-01/ccc/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=" +
      "ab".repeat(32);
    expect(redactHeader("authorization", auth)).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-01/ccc/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=***",
    );
    expect(redactHeader("Authorization", "Bearer xyz")).toBe("***");
    expect(redactHeader("x-tc-token", "tok")).toBe("***");
    expect(redactHeader("x-tc-action", "DisableCCCPhoneNumber")).toBe("DisableCCCPhoneNumber");
    const text = formatRequest({
      method: "POST",
      url: "https://ccc.tencentcloudapi.com/#DisableCCCPhoneNumber",
      headers: [
        ["authorization", auth],
        ["content-type", "application/json"],
        ["x-tc-token", "secret-token-value"],
      ],
      body: '{"a":"é"}',
    });
    expect(text).toBe(
      [
        "POST / HTTP/1.1",
        "Host: ccc.tencentcloudapi.com",
        redactHeader("authorization", auth).replace(/^/, "Authorization: "),
        "Content-Type: application/json",
        "X-TC-Token: ***",
        "Content-Length: 10",
        "",
        '{"a":"é"}',
        "",
      ].join("\n"),
    );
  });
});

describe("answers as JSON text", () => {
  it("writes what JSON.stringify writes, compact or indented, and a bigint as its digits", () => {
    const value = { a: [], b: {}, c: [1, "x", null, true, { d: 1.5, e: undefined }], f: "é\n", g: [undefined] };
    for (const space of ["", "  "]) expect(jsonText(value, space)).toBe(JSON.stringify(value, null, space));
    expect(jsonText({ n: 12345678901234567890n, l: [-98765432109876543210n] })).toBe(
      '{"n":12345678901234567890,"l":[-98765432109876543210]}',
    );
    expect(jsonText([1n], "  ")).toBe("[\n  1\n]");
  });
});

describe("--page-all and --wait on the command line", () => {
  it("parses --page-all and --page-size with a paging action, members and all", () => {
    const line = parse("DescribeTelCdr", "--page-all", "--page-size", "50", "--SdkAppId", "1400000000");
    expect([line.action, line.options.pageAll, line.options.pageSize]).toEqual(["DescribeTelCdr", true, "50"]);
    expect(Object.fromEntries(line.members)).toEqual({ SdkAppId: 1400000000 });
    expect(parse("--page-all", "describeStaffInfoList").options.pageAll).toBe(true);
  });

  it("refuses --page-all on an action that does not page, listing those that do", () => {
    const message = usage("DisableCCCPhoneNumber", "--page-all");
    expect(message).toMatch(/^DisableCCCPhoneNumber does not page, so --page-all has nothing to read; the actions/);
    const listed = message.slice(message.indexOf(": ") + 2).split(", ");
    expect(listed).toEqual(
      Object.keys(commands)
        .filter((name) => commands[name as keyof typeof commands].paginator)
        .sort(),
    );
    expect(listed).toHaveLength(20);
  });

  it("refuses the options that go with another on their own", () => {
    expect(usage("DescribeTelCdr", "--page-size", "10")).toBe("--page-size goes with --page-all");
    expect(usage("DescribeAutoCalloutTask", "--max-wait-ms", "10")).toBe("--max-wait-ms goes with --wait <Waiter>");
    expect(usage("DescribeAutoCalloutTask", "--min-delay-ms", "10")).toBe("--min-delay-ms goes with --wait <Waiter>");
    expect(usage("DescribeAutoCalloutTask", "--max-delay-ms=10")).toBe("--max-delay-ms goes with --wait <Waiter>");
    expect(usage("DescribeTelCdr", "--page-all=yes")).toBe("--page-all takes no value");
  });

  it("takes --wait <Waiter> with its own action, before or after it, or without it", () => {
    for (const argv of [
      ["DescribeAutoCalloutTask", "--wait", "AutoCalloutTaskFinished", "--TaskId", "7"],
      ["--wait", "AutoCalloutTaskFinished", "DescribeAutoCalloutTask", "--TaskId", "7"],
      ["--wait", "AutoCalloutTaskFinished", "describeAutoCalloutTask", "--TaskId", "7"],
      ["--wait=AutoCalloutTaskFinished", "--TaskId", "7"],
    ]) {
      const line = parse(...argv);
      expect([line.action, line.options.wait], argv.join(" ")).toEqual([
        "DescribeAutoCalloutTask",
        "AutoCalloutTaskFinished",
      ]);
      expect(Object.fromEntries(line.members)).toEqual({ TaskId: 7 });
    }
  });

  it("refuses a waiter that does not poll the action named, naming the action's own", () => {
    expect(usage("DescribeTelSession", "--wait", "AutoCalloutTaskFinished")).toBe(
      "--wait AutoCalloutTaskFinished polls DescribeAutoCalloutTask, not DescribeTelSession; " +
        "DescribeTelSession's waiters: TelSessionFinished " +
        "(the action may be left out: `ccc --wait AutoCalloutTaskFinished --Member value …`)",
    );
    expect(usage("--wait", "TelSessionFinished", "DescribeTelCdr")).toContain(
      "--wait TelSessionFinished polls DescribeTelSession, not DescribeTelCdr; no waiter polls DescribeTelCdr",
    );
  });

  it("suggests the waiter meant, whose name is case-sensitive", () => {
    expect(usage("--wait", "AutoCalloutTaskFinshed")).toBe(
      'unknown waiter "AutoCalloutTaskFinshed"; did you mean AutoCalloutTaskFinished? (`ccc --help` lists the waiters)',
    );
    expect(usage("--wait", "telSessionFinished")).toContain("did you mean TelSessionFinished?");
    expect(usage("--wait", "Nothing")).toBe('unknown waiter "Nothing" (`ccc --help` lists the waiters)');
  });

  it("refuses --wait with --page-all, twice, or after members without an action", () => {
    expect(usage("DescribeCompanyList", "--page-all", "--wait", "CompanyApproved")).toBe(
      "--page-all and --wait do not go together: one reads every page, the other polls a state",
    );
    expect(usage("--wait", "TelSessionFinished", "--wait", "TelSessionFinished")).toBe("--wait is given twice");
    expect(usage("--SessionId", "x", "--wait", "TelSessionFinished")).toMatch(/^--SessionId comes before the action/);
    expect(usage("--wait")).toBe("--wait needs a value (<Waiter>)");
  });
});

describe("a new action needs no code: a made-up one, from its shape and catalog entry alone", () => {
  const FrobnicateWidget: ActionDefinition = {
    name: "FrobnicateWidget",
    path: "/#FrobnicateWidget",
    idempotent: false,
    input: {
      WidgetId: { type: "uint64", required: true },
      Speed: { type: "float" },
      Tags: { type: "string", list: true, maxItems: 2 },
    },
  };
  const made: CliSpec = {
    service: generatedSpec.service,
    commands: { ...commands, FrobnicateWidget },
    waiters: generatedSpec.waiters,
    catalog: {
      ...catalog,
      actions: {
        ...catalog.actions,
        FrobnicateWidget: {
          title: { en: "Frobnicate a widget" },
          description: { zh: "转动小部件" },
          idempotent: false,
          input: {
            WidgetId: { type: "uint64", required: true, description: { en: "The widget." } },
            Speed: { type: "float", description: { zh: "速度" } },
            Tags: { type: "string", list: true, description: { en: "Labels." } },
          },
          output: { Done: { type: "bool", description: { en: "Whether it turned." } } },
          errors: [],
        },
      },
    },
  };

  it("lists it, describes it and sends it", async () => {
    const list = await runMain(["--help"], {}, { spec: made });
    expect(list.stdout).toMatch(/\n {2}FrobnicateWidget +Frobnicate a widget\n/);
    const help = await runMain(["frobnicateWidget", "--help"], {}, { spec: made });
    expect(help.stdout).toContain("ccc FrobnicateWidget: Frobnicate a widget\n\n转动小部件");
    expect(help.stdout).toMatch(/--Tags +list of string, optional, at most 2 items\n +Labels\./);
    expect(help.stdout).toMatch(/--Speed +float, optional\n +速度/);
    expect(help.stdout).toContain("Answer: Done, RequestId");
    const sent = await runMain(
      ["FrobnicateWidget", "--WidgetId", "7", "--Speed", "2.5", "--Tags", "a", "--dry-run"],
      CREDENTIAL_ENV,
      { spec: made },
    );
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain("X-TC-Action: FrobnicateWidget\n");
    expect(sent.stdout).toMatch(/\n\n\{"WidgetId":7,"Speed":2.5,"Tags":\["a"\]\}\n$/);
    expectNoSecrets(sent);
    const bad = await runMain(
      ["FrobnicateWidget", "--WidgetId", "7", "--Tags", "a", "--Tags", "b", "--Tags", "c"],
      CREDENTIAL_ENV,
      {
        spec: made,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Tags must have at most 2 item(s), got 3");
  });
});

/** Some action with a float member, found in the spec rather than named here. */
function floatMember(): [string, string] {
  for (const [action, definition] of Object.entries(commands))
    for (const [name, shape] of Object.entries(definition.input))
      if (shape.type === "float" && !("list" in shape && shape.list)) return [action, name];
  throw new Error("no float member in the spec");
}

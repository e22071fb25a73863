import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseDocPage } from "../../codegen/import/docpage.js";
import type { RawActionSpec } from "../../codegen/import/types.js";
import { reference } from "../support/paths.js";

const docPage = (name: string) => readFileSync(reference("doc-pages", name), "utf8");
const realPage = (name: string) => readFileSync(reference("doc-pages", "real", name), "utf8");
const fixture = (name: string) => readFileSync(new URL(`./fixtures/pages/${name}`, import.meta.url), "utf8");
/** Constructed renderings (test/fixtures/pages/README.md). */
const constructed = (name: string) => readFileSync(new URL(`../fixtures/pages/${name}`, import.meta.url), "utf8");

/** The text of `page` up to and including the first `end`: the page as a copy cut there would have it. */
function upTo(page: string, end: string): string {
  const at = page.indexOf(end);
  if (at < 0) throw new Error(`the page does not contain ${JSON.stringify(end)}`);
  return page.slice(0, at + end.length);
}
const seed = (name: string) =>
  parse(readFileSync(new URL(`../../spec/actions/${name}.yaml`, import.meta.url), "utf8")) as RawActionSpec;

/** The crawl renders full-width punctuation half-width ("号码列表,0086开头"); the seed specs keep it full-width. */
const width = (s: string | undefined) =>
  s?.replace(/，/g, ",").replace(/：/g, ":").replace(/（/g, "(").replace(/）/g, ")");

describe("the zh seed page DisableCCCPhoneNumber", () => {
  const page = docPage("DisableCCCPhoneNumber.zh.txt");
  const { spec, warnings, models, language } = parseDocPage(page);
  const expected = seed("DisableCCCPhoneNumber");

  it("is read as zh, with the action name, title, description and rate limit", () => {
    expect(language).toBe("zh");
    expect(spec.action).toBe(expected.action);
    expect(spec.title).toEqual({ zh: expected.title.zh });
    expect(spec.description).toEqual({ zh: expected.description.zh });
    expect(spec.rateLimitPerSecond).toBe(expected.rateLimitPerSecond);
    expect(models).toEqual([]);
  });

  it("has the seed's input members, types and list-ness (Integer is int64, with a warning)", () => {
    expect(Object.keys(spec.input)).toEqual(Object.keys(expected.input));
    for (const [name, want] of Object.entries(expected.input)) {
      const got = spec.input[name]!;
      expect(got.type, name).toBe(want.type === "uint64" ? "int64" : want.type);
      expect(got.list ?? false, name).toBe(want.list ?? false);
      expect(width(got.description.zh), name).toBe(width(want.description.zh));
      expect(got.example, name).toEqual(want.example);
    }
    expect(expected.input.SdkAppId!.type).toBe("uint64"); // the expected exception
    expect(warnings).toContain(
      'the page says "Integer" for input.Disabled, input.SdkAppId: typed int64; the page cannot tell int64 from uint64 (api.json decides)',
    );
    expect(spec.output).toEqual({});
  });

  it("lifts the enum of Disabled and the pattern of PhoneNumbers, and reports both", () => {
    expect(spec.input.Disabled!.enum?.map((e) => e.value)).toEqual(expected.input.Disabled!.enum!.map((e) => e.value));
    expect(spec.input.Disabled!.enum?.map((e) => e.description?.zh)).toEqual(["启用", "停用"]);
    expect(spec.input.PhoneNumbers!.pattern).toBe(expected.input.PhoneNumbers!.pattern);
    expect(warnings).toContain("lifted: input.Disabled enum 0 (启用), 1 (停用) from the description");
    expect(warnings).toContain("lifted: input.PhoneNumbers pattern ^0086 from the description");
  });

  it("reports the missing Required column, naming the members, and sets required false", () => {
    expect(warnings).toContain(
      "the page does not show whether these input members are required: PhoneNumbers, Disabled, SdkAppId; set required: false (review; api.json's required decides)",
    );
    for (const m of Object.values(spec.input)) expect(m.required).toBe(false);
  });

  it("has the seed's example request and response", () => {
    expect(spec.examples).toHaveLength(1);
    const [got] = spec.examples!;
    const [want] = expected.examples!;
    expect(got!.title).toEqual({ zh: want!.title.zh });
    expect(got!.description).toEqual({ zh: want!.description!.zh }); // the page is zh; the seed adds en from examples.en.json
    expect(got!.request).toEqual(want!.request);
    expect(got!.response).toEqual(want!.response);
  });

  it("has the 16 error codes with their zh descriptions", () => {
    expect(spec.errors.map((e) => e.code)).toEqual(expected.errors.map((e) => e.code));
    expect(spec.errors).toHaveLength(16);
    for (const [i, e] of spec.errors.entries()) {
      expect(Object.keys(e.description)).toEqual(["zh"]);
      expect(width(e.description.zh), e.code).toBe(width(expected.errors[i]!.description.zh));
    }
  });

  it("defaults idempotent to false, unreviewed, and says so; emits exactly the expected warnings", () => {
    expect(spec.idempotent).toBe(false);
    expect(spec.idempotentReason).toMatch(/^unreviewed: /);
    expect(warnings).toEqual([
      "the page does not show whether these input members are required: PhoneNumbers, Disabled, SdkAppId; set required: false (review; api.json's required decides)",
      "lifted: input.PhoneNumbers pattern ^0086 from the description",
      "lifted: input.Disabled enum 0 (启用), 1 (停用) from the description",
      'the page says "Integer" for input.Disabled, input.SdkAppId: typed int64; the page cannot tell int64 from uint64 (api.json decides)',
      "idempotent is not stated on the page: decide it and write idempotentReason",
    ]);
  });

  it("is a whole page: no cut, every part complete", () => {
    const { cut, complete } = parseDocPage(page);
    expect(cut).toBeUndefined();
    expect(complete).toEqual({ input: true, output: true, examples: true, errors: true });
  });

  it("reads the same spec from CRLF text with tabs and trailing spaces, and full-width colons", () => {
    const messy = page
      .replace(/^(PhoneNumbers\.N|Disabled|SdkAppId) /gm, "$1\t")
      .replace(/示例值:/g, "示例值：")
      .replace(/默认接口请求频率限制:/, "默认接口请求频率限制：")
      .replace("TCCC 实例应用 ID", "TCCC\u00a0实例应用 ID")
      .replace(/\n/g, "  \r\n");
    const again = parseDocPage(messy);
    expect(again.spec).toEqual(spec);
    expect(again.warnings).toEqual(warnings);
  });
});

describe("the en seed page ModifyOwnNumberApply", () => {
  const { spec, warnings, models, language } = parseDocPage(docPage("ModifyOwnNumberApply.en.txt"));
  const expected = seed("ModifyOwnNumberApply");

  it("is read as en with the action name, title (from the description), and rate limit", () => {
    expect(language).toBe("en");
    expect(spec.action).toBe("ModifyOwnNumberApply");
    expect(spec.title).toEqual({ en: expected.title.en });
    expect(spec.description).toEqual({ en: expected.description.en });
    expect(spec.rateLimitPerSecond).toBe(20);
  });

  it("lists exactly the page's 4 input members with the seed's types and required flags", () => {
    expect(Object.keys(spec.input)).toEqual(["SdkAppId", "DetailList", "ApplyId", "Prefix"]);
    for (const [name, got] of Object.entries(spec.input)) {
      const want = expected.input[name]!;
      expect(got.type, name).toBe(want.type === "uint64" ? "int64" : want.type);
      expect(got.list ?? false, name).toBe(want.list ?? false);
      expect(got.required, name).toBe(want.required ?? false);
      expect(Object.keys(got.description), name).toEqual(["en"]);
    }
    expect(spec.input.SdkAppId!.required).toBe(true);
    expect(spec.input.DetailList).toMatchObject({ type: "OwnNumberApplyDetailItem", list: true, required: true });
    expect(models).toEqual(["OwnNumberApplyDetailItem"]);
    expect(spec.output).toEqual({});
  });

  it("has the 10 error codes with en descriptions, and ignores the page's footer", () => {
    expect(spec.errors).toEqual(expected.errors.map((e) => ({ code: e.code, description: { en: e.description.en } })));
    expect(spec.errors).toHaveLength(10);
  });

  it("keeps the example body (the page's own values) and warns about its X-TC-Action", () => {
    expect(spec.examples).toHaveLength(1);
    const [ex] = spec.examples!;
    expect(ex!.title).toEqual({ en: "Example Of Modifying Customer'S Own Number Approval Form" });
    expect(ex!.request).toEqual({
      SdkAppId: 1,
      ApplyId: 1,
      Prefix: "123",
      DetailList: [{ CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }],
    });
    expect(Object.keys(ex!.request).sort()).toEqual(Object.keys(expected.examples![0]!.request).sort());
    expect(ex!.response).toEqual({ RequestId: "abc" });
    expect(warnings).toContain(
      "example 1 sends X-TC-Action: CreateOwnNumberApply but this page documents ModifyOwnNumberApply",
    );
  });

  it("is a whole page: no cut, every part complete", () => {
    const { cut, complete } = parseDocPage(docPage("ModifyOwnNumberApply.en.txt"));
    expect(cut).toBeUndefined();
    expect(complete).toEqual({ input: true, output: true, examples: true, errors: true });
  });

  it("emits exactly the expected warnings", () => {
    expect(warnings).toEqual([
      'the page says "Integer" for input.SdkAppId, input.ApplyId: typed int64; the page cannot tell int64 from uint64 (api.json decides)',
      "the page title is the action name ModifyOwnNumberApply; the title is taken from the description: Modify customer's own number approval form",
      "example 1 sends X-TC-Action: CreateOwnNumberApply but this page documents ModifyOwnNumberApply",
      "idempotent is not stated on the page: decide it and write idempotentReason",
    ]);
  });
});

describe("more pages", () => {
  it("a zh page with the Required column filled (是/否), an output member and a wrapped description", () => {
    const { spec, warnings, language } = parseDocPage(fixture("CreateCCCSkillGroup.zh.txt"));
    expect(language).toBe("zh");
    expect(spec.action).toBe("CreateCCCSkillGroup");
    expect(spec.title).toEqual({ zh: "创建技能组" });
    expect(Object.fromEntries(Object.entries(spec.input).map(([k, m]) => [k, m.required]))).toEqual({
      SdkAppId: true,
      SkillGroupName: true,
      SkillGroupType: true,
      MaxConcurrency: false,
    });
    expect(warnings.some((w) => w.includes("required"))).toBe(false);
    expect(spec.input.SkillGroupType!.enum?.map((e) => e.value)).toEqual([0, 1, 3, 4]);
    // "默认为1" says the list of numbers is not an enum.
    expect(spec.input.MaxConcurrency!.enum).toBeUndefined();
    expect(spec.input.MaxConcurrency!.description.zh).toBe(
      "技能组接待人数上限（该技能组中1个座席可接待的人数上限）默认为1。\n1、若技能组类型为在线，则接待上限可设置为1及以上\n2、若技能组类型为电话、音频、视频，则接待上线必须只能为1",
    );
    expect(spec.input.MaxConcurrency!.example).toBe(1);
    expect(spec.input.SkillGroupName!.example).toBe("技能组1");
    expect(spec.output).toEqual({ SkillGroupId: { type: "int64", description: { zh: "技能组ID" }, example: 1234 } });
    expect(spec.examples![0]!.response).toEqual({
      SkillGroupId: 1234,
      RequestId: "2b2a6e2f-a1f7-4c0a-9f8f-c2f7e0d1a111",
    });
    expect(spec.errors.map((e) => e.code)).toEqual([
      "FailedOperation",
      "FailedOperation.DuplicatedSkillGroupName",
      "InternalError.DBError",
      "InvalidParameter.InstanceNotExist",
      "InvalidParameterValue.InstanceNotExist",
    ]);
  });

  it("an en page with several output members, models, a nullable note and two examples", () => {
    const { spec, warnings, models } = parseDocPage(fixture("CreateSDKLoginToken.en.txt"));
    expect(spec.action).toBe("CreateSDKLoginToken");
    expect(Object.keys(spec.input)).toEqual(["SdkAppId", "SeatUserId", "OnlyOnce", "Uin"]);
    expect(spec.input.OnlyOnce).toMatchObject({ type: "bool", required: false });
    // A wrapped line that looks like a row without its Required cell stays in the description.
    expect(spec.input.Uin!.description.en).toBe(
      "Tencent Cloud account uin of the agent. Deprecated:\nSeatUserId Replaces it.",
    );
    // "Deprecated:" starting a sentence marks the member; the text keeps the marker.
    expect(spec.input.Uin!.deprecated).toBe(true);
    expect(spec.input.SeatUserId!.deprecated).toBeUndefined();
    expect(warnings).toContain('lifted: input.Uin deprecated from the description ("Deprecated")');
    expect(Object.keys(spec.output)).toEqual(["Token", "ExpiredTime", "SdkURL", "StaffInfo", "SkillGroups"]);
    expect(spec.output.ExpiredTime).toMatchObject({ type: "int64" });
    expect(spec.output.StaffInfo).toMatchObject({ type: "StaffInfo", nullable: true });
    expect(spec.output.SkillGroups).toMatchObject({ type: "SkillGroupItem", list: true });
    for (const m of Object.values(spec.output)) expect(m.required).toBeUndefined();
    expect(models).toEqual(["StaffInfo", "SkillGroupItem"]);
    expect(warnings).toContain('lifted: output.StaffInfo nullable from the description ("may return null")');
    expect(spec.examples!.map((e) => e.title.en)).toEqual(["Creating the SDK Login Token", "One-time token"]);
    expect(spec.examples![1]!.description).toEqual({ en: "The token can be used only once." });
    expect(spec.examples![1]!.request).toEqual({ SdkAppId: 1400000000, SeatUserId: "xxx@tencent.com", OnlyOnce: true });
    expect(spec.examples![0]!.response).toMatchObject({ Token: "xxxxxxxxxxxxxxx", StaffInfo: null, SkillGroups: [] });
    expect(spec.errors.map((e) => e.code)).toEqual([
      "FailedOperation.PermissionDenied",
      "InternalError.DBError",
      "InvalidParameterValue.InstanceNotExist",
      "ResourceNotFound.NotExistAccount",
    ]);
  });

  it("a page without examples", () => {
    const { spec, warnings } = parseDocPage(fixture("DeleteExtension.zh.txt"));
    expect(spec.action).toBe("DeleteExtension");
    expect(spec.title).toEqual({ zh: "删除坐席分机" });
    expect(spec.description).toEqual({ zh: "删除话机账号" });
    expect(spec.examples).toBeUndefined();
    expect(warnings).toContain('the page has no section "4. 示例": no examples');
    expect(spec.errors).toHaveLength(2);
  });

  it("Array of String / Array of Integer inputs with 示例值 lines and full-width punctuation", () => {
    const { spec, warnings } = parseDocPage(fixture("DeleteStaff.zh.txt"));
    expect(spec.rateLimitPerSecond).toBe(20); // "默认接口请求频率限制：20次/秒"
    expect(spec.input.StaffList).toEqual({
      type: "string",
      list: true,
      required: true,
      description: { zh: "待删除客服邮箱列表，最大支持200个。" },
      example: ["xxx@qq.com", "yyy@qq.com"],
    });
    expect(spec.input.CallerNumbers).toMatchObject({
      type: "string",
      list: true,
      pattern: "^0086",
      description: { zh: "外呼主叫号码，以0086开头，\n可填多个" },
      example: ["0086075512345678"],
    });
    expect(spec.input.SkillGroupIds).toMatchObject({ type: "int64", list: true, example: [1, 2] });
    expect(spec.output.OnlineStaffList).toMatchObject({
      type: "string",
      list: true,
      nullable: true,
      example: ["xxx@qq.com"],
    });
    expect(warnings).toContain("lifted: input.CallerNumbers pattern ^0086 from the description");
    // An error description wrapped onto the next line stays with its code.
    expect(spec.errors[0]).toEqual({
      code: "FailedOperation.StaffIsOnline",
      description: { zh: "座席处于在线状态，\n请先退出登录后再删除" },
    });
    expect(spec.errors).toHaveLength(3);
  });

  it("an en page in pipe-table form", () => {
    const { spec, warnings, models } = parseDocPage(fixture("CreateOwnNumberApply.en.txt"));
    expect(spec.action).toBe("CreateOwnNumberApply");
    expect(
      Object.fromEntries(Object.entries(spec.input).map(([k, m]) => [k, [m.type, m.list ?? false, m.required]])),
    ).toEqual({
      SdkAppId: ["int64", false, true],
      SipTrunkId: ["int64", false, true],
      DetailList: ["OwnNumberApplyDetailItem", true, true],
      Prefix: ["string", false, false],
    });
    expect(spec.output).toEqual({ ApplyId: { type: "int64", description: { en: "Approval id." } } });
    expect(models).toEqual(["OwnNumberApplyDetailItem"]);
    expect(spec.errors).toEqual([
      { code: "FailedOperation.PermissionDenied", description: { en: "Insufficient permissions." } },
      { code: "InternalError.DBError", description: { en: "Internal database access failure." } },
      { code: "InvalidParameterValue.InstanceNotExist", description: { en: "The SDKAppID does not exist." } },
    ]);
    expect(warnings.some((w) => w.includes("X-TC-Action"))).toBe(false);
    expect(spec.examples![0]!.response).toEqual({ ApplyId: 1, RequestId: "foo-bar" });
  });

  it("a GET example with a query string is typed by the input table", () => {
    const page = docPage("DisableCCCPhoneNumber.zh.txt").replace(
      /输入示例[\s\S]*?输出示例/,
      "输入示例\n\nhttps://ccc.tencentcloudapi.com/?Action=DisableCCCPhoneNumber\n&SdkAppId=1\n&PhoneNumbers.0=008602112345678\n&Disabled=0\n&<公共请求参数>\n\n输出示例",
    );
    const { spec, warnings } = parseDocPage(page);
    expect(spec.examples![0]!.request).toEqual({ SdkAppId: 1, PhoneNumbers: ["008602112345678"], Disabled: 0 });
    expect(warnings).toContain("example 1 is a GET query string; its parameters were typed by the input table");
  });
});

describe("the real en page CreateAdminURL: `|` tables, no section headings", () => {
  const { spec, warnings, models, language, cut, complete } = parseDocPage(realPage("CreateAdminURL.en.txt"));

  it("is read as en, its intro from the lines before the input table", () => {
    expect(language).toBe("en");
    expect(spec.action).toBe("CreateAdminURL");
    expect(spec.description).toEqual({ en: "This API is used to create a management access link." });
    expect(spec.title).toEqual({ en: "This API is used to create a management access link." });
    expect(spec.rateLimitPerSecond).toBe(20);
    expect(models).toEqual([]);
  });

  it("reads the first table as the input and the next as the output", () => {
    expect(spec.input).toEqual({
      SdkAppId: {
        type: "int64",
        required: true,
        description: { en: "Application ID (required) can be found at https://console.tencentcloud.com/ccc." },
      },
      SeatUserId: { type: "string", required: true, description: { en: "Admin account." } },
    });
    expect(spec.output).toEqual({ URL: { type: "string", description: { en: "Log-in link." } } });
  });

  it("reads the example without its title or Input/Output Example markers", () => {
    expect(spec.examples).toEqual([
      {
        title: { en: "Example 1" },
        description: { en: "This example shows you how to create Management Panel Login link" },
        request: { SdkAppId: 1400000000, SeatUserId: "foo@tencent.com" },
        response: {
          RequestId: "48edd236-7ef1-45af-9e12-fc376ba355bf",
          URL: "https://tccc.qcloud.com/saas-manage/#/1400000000/home?token=6bb56a09-2787-40bc-80c5-dc6dab783eff",
        },
      },
    ]);
  });

  it("takes the page's word that there are no business error codes, and is whole", () => {
    expect(spec.errors).toEqual([]);
    expect(cut).toBeUndefined();
    expect(complete).toEqual({ input: true, output: true, examples: true, errors: true });
  });

  it("emits exactly the expected warnings", () => {
    expect(warnings).toEqual([
      "the page has no section headings; its parts were found by their table headers (the first parameter table is the input, the next the output)",
      'the page says "Integer" for input.SdkAppId: typed int64; the page cannot tell int64 from uint64 (api.json decides)',
      'no page title found (the line before "Last updated"); the title is taken from the description: This API is used to create a management access link.',
      'example 1 has no title on the page; titled "Example 1"',
      "idempotent is not stated on the page: decide it and write idempotentReason",
    ]);
  });
});

describe("the real zh page DescribeTelCdr: deprecated members, example values, cut inside the output table", () => {
  const page = realPage("DescribeTelCdr.zh.txt");
  const { spec, warnings, models, language, cut, complete } = parseDocPage(page);

  it("reads every input member, none required (the page shows no 必选 cell)", () => {
    expect(language).toBe("zh");
    expect(spec.action).toBe("DescribeTelCdr");
    expect(
      Object.fromEntries(Object.entries(spec.input).map(([k, m]) => [k, [m.type, m.list ?? false, m.required]])),
    ).toEqual({
      StartTimeStamp: ["int64", false, false],
      EndTimeStamp: ["int64", false, false],
      Limit: ["int64", false, false],
      Offset: ["int64", false, false],
      SdkAppId: ["int64", false, false],
      PageSize: ["int64", false, false],
      PageNumber: ["int64", false, false],
      Phones: ["string", true, false],
      SessionIds: ["string", true, false],
    });
  });

  it('marks Limit and Offset, and only them, deprecated by their "(废弃)", keeping the text', () => {
    const deprecated = Object.entries(spec.input).filter(([, m]) => m.deprecated === true);
    expect(deprecated.map(([k]) => k)).toEqual(["Limit", "Offset"]);
    expect(spec.input.Limit!.description).toEqual({ zh: "返回数据条数,上限(废弃)" });
    expect(spec.input.Offset!.description).toEqual({ zh: "偏移(废弃)" });
    expect(warnings).toContain('lifted: input.Limit deprecated from the description ("废弃")');
    expect(warnings).toContain('lifted: input.Offset deprecated from the description ("废弃")');
  });

  it("moves the 示例值 lines into typed examples", () => {
    expect(Object.fromEntries(Object.entries(spec.input).map(([k, m]) => [k, m.example]))).toEqual({
      StartTimeStamp: 1611631881,
      EndTimeStamp: 1611631881,
      Limit: 0,
      Offset: 0,
      SdkAppId: 1400000000,
      PageSize: 100,
      PageNumber: 0,
      Phones: ["008613012345678"],
      SessionIds: ["7cb26a84-83b2-42d8-a19b-7dae78e9b78e"],
    });
    expect(spec.input.StartTimeStamp!.description).toEqual({ zh: "起始时间戳,Unix 秒级时间戳" });
    for (const [k, m] of Object.entries(spec.input)) expect(m.description.zh, k).not.toMatch(/示例值/);
  });

  it("keeps the complete output member and leaves out the row the text ends in", () => {
    expect(spec.output).toEqual({ TotalCount: { type: "int64", description: { zh: "话单记录总数" }, example: 2 } });
    expect(models).toEqual([]);
    expect(cut).toBe("output");
    expect(complete).toEqual({ input: true, output: false, examples: false, errors: false });
    expect(spec.examples).toBeUndefined();
    expect(spec.errors).toEqual([]);
  });

  it("emits exactly the expected warnings, the cut first among the output's", () => {
    expect(warnings).toEqual([
      'lifted: input.Limit deprecated from the description ("废弃")',
      'lifted: input.Offset deprecated from the description ("废弃")',
      "the page does not show whether these input members are required: StartTimeStamp, EndTimeStamp, Limit, Offset, SdkAppId, PageSize, PageNumber, Phones, SessionIds; set required: false (review; api.json's required decides)",
      "the page is cut inside the output table after member TotalCount: the row of TelCdrList is cut off and left out, and any members after it are missing",
      'the page says "Integer" for input.StartTimeStamp, input.EndTimeStamp, input.Limit, input.Offset, input.SdkAppId, input.PageSize, input.PageNumber, output.TotalCount: typed int64; the page cannot tell int64 from uint64 (api.json decides)',
      'no page title found (the line before "最近更新时间"); the title is taken from the description: 获取电话服务记录与录音',
      'the page is cut before its examples ("4. 示例"): no examples',
      'the page is cut before its error code table ("错误码 描述"); errors left empty',
      "idempotent is not stated on the page: decide it and write idempotentReason",
    ]);
  });

  it("cut inside a row's type: that row is left out, the one before kept whole", () => {
    const r = parseDocPage(upTo(page, "SessionIds.N Arr"));
    expect(Object.keys(r.spec.input).at(-1)).toBe("Phones");
    expect(r.spec.input.Phones).toMatchObject({ description: { zh: "按手机号筛选" }, example: ["008613012345678"] });
    expect(r.cut).toBe("input");
    expect(r.warnings).toContain(
      "the page is cut inside the input table after member Phones: the row of SessionIds is cut off and left out, and any members after it are missing",
    );
    expect(r.warnings).toContain('the page is cut before its output table ("3. 输出参数"); output left empty');
  });

  it("cut inside a row's name: the fragment is not glued onto the member before", () => {
    const r = parseDocPage(upTo(page, "SessionI"));
    expect(r.spec.input.Phones!.description).toEqual({ zh: "按手机号筛选" });
    expect(r.spec.input.Phones!.example).toEqual(["008613012345678"]);
    expect(r.warnings).toContain(
      "the page is cut inside the input table after member Phones: the row of SessionI is cut off and left out, and any members after it are missing",
    );
  });

  it("cut inside a row's example value: the row is left out", () => {
    const r = parseDocPage(upTo(page, '示例值:["7cb26a84'));
    expect(Object.keys(r.spec.input).at(-1)).toBe("Phones");
    expect(r.warnings).toContain(
      "the page is cut inside the input table after member Phones: the row of SessionIds is cut off and left out, and any members after it are missing",
    );
  });
});

describe("the real en page CreateStaff: cut inside its example", () => {
  const page = realPage("CreateStaff.en.txt");
  const { spec, warnings, models, cut, complete } = parseDocPage(page);

  it("reads the input and output tables whole", () => {
    expect(spec.action).toBe("CreateStaff");
    expect(spec.input).toEqual({
      SdkAppId: {
        type: "int64",
        required: true,
        description: { en: "Application ID (required) can be found at https://console.tencentcloud.com/ccc." },
      },
      Staffs: {
        type: "SeatUserInfo",
        list: true,
        required: true,
        description: { en: "Customer information, no more than 10." },
      },
      SendPassword: {
        type: "bool",
        required: false,
        description: { en: "Whether to send a password mail or not (the default is true)" },
      },
    });
    expect(spec.output.ErrorStaffList).toMatchObject({ type: "ErrStaffItem", list: true, nullable: true });
    expect(models).toEqual(["SeatUserInfo", "ErrStaffItem"]);
  });

  it("leaves out the example the text ends in, and says the rest of the page is missing", () => {
    expect(spec.examples).toBeUndefined();
    expect(spec.errors).toEqual([]);
    expect(cut).toBe("examples");
    expect(complete).toEqual({ input: true, output: true, examples: false, errors: false });
  });

  it("emits exactly the expected warnings", () => {
    expect(warnings).toEqual([
      'lifted: output.ErrorStaffList nullable from the description ("may return null")',
      'the page says "Integer" for input.SdkAppId: typed int64; the page cannot tell int64 from uint64 (api.json decides)',
      "the page title is the action name CreateStaff; the title is taken from the description: This API is used to create the customer service account.",
      "the page is cut inside example 1 (Creating Customer Service): it is left out",
      'the page is cut before its error code table ("Error Code Description"); errors left empty',
      "idempotent is not stated on the page: decide it and write idempotentReason",
    ]);
  });

  it("cut inside the wrapped description of the only output member: the output is empty, not wrong", () => {
    const r = parseDocPage(upTo(page, "Note: This field may"));
    expect(r.spec.output).toEqual({});
    expect(r.cut).toBe("output");
    expect(r.warnings).toContain(
      "the page is cut inside the output table before its first member: the row of ErrorStaffList is cut off and left out, and any members after it are missing",
    );
  });
});

describe("constructed renderings", () => {
  it("en with bare headings: Example value at the end of a description or on its own line, typed", () => {
    const { spec, warnings, language, cut, complete } = parseDocPage(constructed("CreateCallOutSession.en.txt"));
    expect(language).toBe("en");
    expect(spec.action).toBe("CreateCallOutSession");
    expect(spec.input.SdkAppId).toEqual({
      type: "int64",
      required: true,
      description: { en: "Application id." },
      example: 1400000000,
    });
    expect(spec.input.Callee).toMatchObject({
      description: { en: "Called number must be preceded by 0086." },
      example: "008613012345678",
    });
    expect(spec.input.IsForceUseMobile).toMatchObject({ type: "bool", example: true });
    expect(spec.input.Callers).toMatchObject({
      type: "string",
      list: true,
      example: ["0086075512345678", "0086075512345679"],
    });
    expect(spec.input.UUI!.example).toBe("dGhpcyBpcyBhIGV4YW1wbGU");
    expect(spec.output.SessionId).toEqual({
      type: "string",
      description: { en: "Newly created session id." },
      example: "adcf61b8-dbb9-4c20-87bf-c0744c04bade",
    });
    for (const [k, m] of Object.entries(spec.input)) expect(m.description.en, k).not.toMatch(/Example value/);
    expect(spec.examples!.map((e) => e.title.en)).toEqual(["Outbound Call API Call Example"]);
    expect(spec.errors).toHaveLength(8);
    expect(cut).toBeUndefined();
    expect(complete).toEqual({ input: true, output: true, examples: true, errors: true });
    expect(warnings.some((w) => /heading/.test(w))).toBe(false);
  });

  it('en: "(obsolete …)", "This parameter is deprecated" and "(Deprecated)" mark a member deprecated', () => {
    const page = constructed("CreateCallOutSession.en.txt");
    const { spec, warnings } = parseDocPage(page);
    expect(spec.input.Caller!.deprecated).toBe(true);
    expect(spec.input.Caller!.description.en).toBe(
      "Caller number (obsolete one and use callers) must be preceded by 0086.",
    );
    expect(warnings).toContain('lifted: input.Caller deprecated from the description ("obsolete")');
    expect(
      Object.entries(spec.input)
        .filter(([, m]) => m.deprecated)
        .map(([k]) => k),
    ).toEqual(["Caller"]);

    const sentence = parseDocPage(
      page.replace("Custom data, length", "This parameter is deprecated. Custom data, length"),
    );
    expect(sentence.spec.input.UUI!.deprecated).toBe(true);
    expect(sentence.warnings).toContain('lifted: input.UUI deprecated from the description ("is deprecated")');
    const parenthesis = parseDocPage(page.replace("Agent email,", "(Deprecated) Agent email,"));
    expect(parenthesis.spec.input.UserId!.deprecated).toBe(true);
  });

  it("en: an example value that does not fit the member is reported and left out", () => {
    const page = constructed("CreateCallOutSession.en.txt")
      .replace('Example value: ["0086075512345678","0086075512345679"]', "Example value: 0086075512345678")
      .replace("Example value: true", "Example value: yes");
    const { spec, warnings } = parseDocPage(page);
    expect(spec.input.Callers!.example).toBeUndefined();
    expect(spec.input.IsForceUseMobile!.example).toBeUndefined();
    expect(warnings).toContain('input.Callers: the example value "0086075512345678" is not a list; left out');
    expect(warnings).toContain('input.IsForceUseMobile: the example value "yes" is not true or false; left out');
  });

  it("zh with no headings, `|` tables with outer pipes, 示例值 inside the cell, （废弃，…）", () => {
    const { spec, warnings, language, cut, complete } = parseDocPage(constructed("CreateCallOutSession.zh.txt"));
    expect(language).toBe("zh");
    expect(spec.action).toBe("CreateCallOutSession");
    expect(
      Object.fromEntries(Object.entries(spec.input).map(([k, m]) => [k, [m.type, m.required, m.example]])),
    ).toEqual({
      SdkAppId: ["int64", true, 1400000000],
      UserId: ["string", true, "foo@tencent.com"],
      Callee: ["string", true, "008613012345678"],
      Caller: ["string", false, "008610086"],
      Callers: ["string", false, ["0086075512345678", "0086075512345679"]],
      IsForceUseMobile: ["bool", false, true],
      UUI: ["string", false, "dGhpcyBpcyBhIGV4YW1wbGU"],
    });
    expect(spec.input.SdkAppId!.description).toEqual({ zh: "应用 ID" });
    expect(spec.input.Caller).toMatchObject({
      deprecated: true,
      description: { zh: "主叫号码（废弃，使用Callers），须带 0086 前缀" },
    });
    expect(spec.output).toEqual({
      SessionId: {
        type: "string",
        description: { zh: "新创建的会话 ID" },
        example: "adcf61b8-dbb9-4c20-87bf-c0744c04bade",
      },
    });
    expect(spec.examples).toEqual([
      {
        title: { zh: "示例1" },
        description: { zh: "在不加载前端 SDK 的场景下，可以通过在后台触发此接口进行外呼。" },
        request: {
          IsForceUseMobile: true,
          Callee: "008612300000000",
          UUI: "fooandbar",
          UserId: "FooOrBar@tencent.com",
          SdkAppId: 1400000000,
        },
        response: { RequestId: "6bb56a09-2787-40bc-80c5-dc6dab783eff", SessionId: "6bb56a09278740bc80c5dc6dab783eff" },
      },
    ]);
    expect(spec.errors.map((e) => e.code)).toEqual([
      "FailedOperation.CallOutFailed",
      "FailedOperation.CalleeIsLimited",
      "FailedOperation.CallerOverFrequency",
      "FailedOperation.NoCallOutNumber",
      "FailedOperation.SeatStatusBusy",
      "InternalError.DBError",
      "InvalidParameter.InstanceNotExist",
      "InvalidParameterValue",
    ]);
    expect(spec.errors[7]!.description).toEqual({ zh: "参数取值错误。" });
    expect(cut).toBeUndefined();
    expect(complete).toEqual({ input: true, output: true, examples: true, errors: true });
    expect(warnings).toEqual([
      "the page has no section headings; its parts were found by their table headers (the first parameter table is the input, the next the output)",
      'lifted: input.Caller deprecated from the description ("废弃")',
      'the page says "Integer" for input.SdkAppId: typed int64; the page cannot tell int64 from uint64 (api.json decides)',
      'no page title found (the line before "最近更新时间"); the title is taken from the description: 创建外呼会话，当前仅支持双呼，即先使用平台号码呼出到座席手机上，座席接听后，然后再外呼用户。',
      'example 1 has no title on the page; titled "示例1"',
      "idempotent is not stated on the page: decide it and write idempotentReason",
    ]);
  });

  it("the seed pages with bare headings, or none at all, read as the same spec", () => {
    for (const name of ["DisableCCCPhoneNumber.zh.txt", "ModifyOwnNumberApply.en.txt"]) {
      const page = docPage(name);
      const numbered = parseDocPage(page);
      const bare = parseDocPage(page.replace(/^\d\. /gm, ""));
      expect(bare.spec, name).toEqual(numbered.spec);
      expect(bare.warnings, name).toEqual(numbered.warnings);
      const none = parseDocPage(page.replace(/^\d\. .*$/gm, ""));
      expect(none.spec, name).toEqual(numbered.spec);
      expect(none.complete, name).toEqual({ input: true, output: true, examples: true, errors: true });
      expect(none.warnings, name).toEqual([
        "the page has no section headings; its parts were found by their table headers (the first parameter table is the input, the next the output)",
        ...numbered.warnings,
      ]);
    }
  });

  it("zh without markers: a GET example is read from its URL and the JSON after it", () => {
    const page = constructed("CreateCallOutSession.zh.txt").replace(
      /POST \/ HTTP\/1\.1[\s\S]*?\n\}\n(?=\{)/,
      "https://ccc.tencentcloudapi.com/?Action=CreateCallOutSession\n&SdkAppId=1400000000\n&Callers.0=0086075512345678\n&<公共请求参数>\n",
    );
    const { spec, warnings } = parseDocPage(page);
    expect(spec.examples!.map((e) => [e.request, e.response])).toEqual([
      [
        { SdkAppId: 1400000000, Callers: ["0086075512345678"] },
        { RequestId: "6bb56a09-2787-40bc-80c5-dc6dab783eff", SessionId: "6bb56a09278740bc80c5dc6dab783eff" },
      ],
    ]);
    expect(warnings).toContain("example 1 is a GET query string; its parameters were typed by the input table");
  });

  it("zh `|` table cut inside a row: the open row is left out and named, later parts reported missing", () => {
    const r = parseDocPage(upTo(constructed("CreateCallOutSession.zh.txt"), "| Callers.N | 否 | Array of Str"));
    expect(Object.keys(r.spec.input)).toEqual(["SdkAppId", "UserId", "Callee", "Caller"]);
    expect(r.spec.input.Caller!.example).toBe("008610086");
    expect(r.spec.output).toEqual({});
    expect(r.cut).toBe("input");
    expect(r.complete).toEqual({ input: false, output: false, examples: false, errors: false });
    expect(r.warnings).toContain(
      "the page is cut inside the input table after member Caller: the row of Callers is cut off and left out, and any members after it are missing",
    );
    expect(r.warnings).toContain('the page is cut before its output table ("3. 输出参数"); output left empty');
    expect(r.warnings).toContain('the page is cut before its examples ("4. 示例"): no examples');
    expect(r.warnings).toContain('the page is cut before its error code table ("错误码 描述"); errors left empty');
  });

  it("zh `|` table cut just after a closed row: that row is whole, what follows is missing", () => {
    const page = constructed("CreateCallOutSession.zh.txt");
    const r = parseDocPage(upTo(page, "示例值：foo@tencent.com |"));
    expect(Object.keys(r.spec.input)).toEqual(["SdkAppId", "UserId"]);
    expect(r.spec.input.UserId!.example).toBe("foo@tencent.com");
    expect(r.warnings).toContain(
      "the page is cut inside the input table after member UserId: any members after it are missing",
    );
  });

  it("zh `|` error code table cut inside a row: the open row is left out", () => {
    const r = parseDocPage(upTo(constructed("CreateCallOutSession.zh.txt"), "| InternalError.DBError | 内部数据"));
    expect(r.spec.errors.map((e) => e.code).at(-1)).toBe("FailedOperation.SeatStatusBusy");
    expect(r.spec.examples).toHaveLength(1);
    expect(r.cut).toBe("errors");
    expect(r.complete).toEqual({ input: true, output: true, examples: true, errors: false });
    expect(r.warnings).toContain(
      "the page is cut inside the error code table after error code FailedOperation.SeatStatusBusy: the row of InternalError.DBError is cut off and left out, and any codes after it are missing",
    );
  });

  it("a space-separated error code table cut after a code: the code without description is left out", () => {
    const r = parseDocPage(upTo(docPage("ModifyOwnNumberApply.en.txt"), "InvalidParameter.InstanceNotExist"));
    expect(r.spec.errors.map((e) => e.code)).toEqual([
      "FailedOperation.PermissionDenied",
      "InternalError",
      "InternalError.DBError",
      "InvalidParameter",
    ]);
    expect(r.cut).toBe("errors");
    expect(r.warnings).toContain(
      "the page is cut inside the error code table after error code InvalidParameter: the row of InvalidParameter.InstanceNotExist is cut off and left out, and any codes after it are missing",
    );
    expect(r.warnings.some((w) => w.includes("has no description"))).toBe(false);
  });

  it("a page cut after its last complete example: the example is kept, later parts reported missing", () => {
    const page = upTo(docPage("ModifyOwnNumberApply.en.txt"), '"RequestId": "abc"\n    }\n}');
    const r = parseDocPage(page);
    expect(r.spec.examples).toHaveLength(1);
    expect(r.cut).toBe("examples");
    expect(r.warnings).toContain("the page is cut after example 1: any later examples are missing");
    expect(r.warnings).toContain(
      'the page is cut before its error code table ("Error Code Description"); errors left empty',
    );
  });
});

describe("malformed input is refused with an Error naming what is missing", () => {
  const zh = docPage("DisableCCCPhoneNumber.zh.txt");

  it("a text that is not a Tencent page", () => {
    expect(() => parseDocPage("# README\n\nHello, world.\n")).toThrow(
      /not a Tencent Cloud API doc page.*1\. 接口描述.*1\. API Description/,
    );
    expect(() => parseDocPage("")).toThrow(/not a Tencent Cloud API doc page/);
  });

  it("a page without the input table", () => {
    const page = zh.replace(/参数名称 必选 类型 描述[\s\S]*?(?=\n3\. 输出参数)/, "");
    expect(() => parseDocPage(page)).toThrow(
      /section "2\. 输入参数" has no input parameter table: expected the header "参数名称 必选 类型 描述"/,
    );
  });

  it("a page without section 2 nor an input table", () => {
    const page = zh.replace(/\n2\. 输入参数\n[\s\S]*?(?=\n3\. 输出参数)/, "\n");
    expect(() => parseDocPage(page)).toThrow(
      'the page has no section "2. 输入参数" and no input parameter table: expected the header "参数名称 必选 类型 描述" followed by rows',
    );
  });

  it("(not an error) a page whose section 2 heading is missing still yields its input table", () => {
    const { spec, warnings } = parseDocPage(zh.replace(/\n2\. 输入参数\n/, "\n"));
    expect(Object.keys(spec.input)).toEqual(["PhoneNumbers", "Disabled", "SdkAppId"]);
    expect(warnings).toContain('the page has no heading "2. 输入参数"; its input table was read anyway');
  });

  it("a page cut before its input table", () => {
    const page = upTo(realPage("CreateAdminURL.en.txt"), "A maximum of 20 requests");
    expect(() => parseDocPage(page)).toThrow(
      'the page has no section "2. Input Parameters" and no input parameter table: expected the header "Parameter Name Required Type Description" followed by rows',
    );
  });

  it("a page cut inside its Action row", () => {
    const page = upTo(constructed("CreateCallOutSession.zh.txt"), "| Action | 是 | Str");
    expect(() => parseDocPage(page)).toThrow(
      /the input table has no Action row naming the action .*: the page is cut inside the input table/,
    );
  });

  it("(not an error) a page whose section 6 heading is missing still yields its error table", () => {
    const { spec, warnings } = parseDocPage(zh.replace(/\n6\. 错误码\n/, "\n"));
    expect(spec.errors).toHaveLength(16);
    expect(warnings).toContain('the page has no heading "6. 错误码"; its error code table was read anyway');
  });

  it("an input table without the Action row", () => {
    const page = docPage("ModifyOwnNumberApply.en.txt").replace(/^Action Yes String .*\n/m, "");
    expect(() => parseDocPage(page)).toThrow(/the input table has no Action row naming the action/);
  });
});

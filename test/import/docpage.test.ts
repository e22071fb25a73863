import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseDocPage } from "../../codegen/import/docpage.js";
import type { RawActionSpec } from "../../codegen/import/types.js";
import { reference } from "../support/paths.js";

const docPage = (name: string) => readFileSync(reference("doc-pages", name), "utf8");
const fixture = (name: string) => readFileSync(new URL(`./fixtures/pages/${name}`, import.meta.url), "utf8");
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

  it("a page without section 2", () => {
    const page = zh.replace(/\n2\. 输入参数\n/, "\n");
    expect(() => parseDocPage(page)).toThrow('the page has no section "2. 输入参数"');
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

/**
 * The mapping rules of codegen/import/apijson.ts on a small made-up service (test/import/fixtures/widgets/, the
 * same six files Tencent publishes): each type, input and output optionality, models used by inputs, answers or
 * both, disabled and self-declared deprecated members, HTML to plain text, GET-query examples with lists and nested
 * members, invalid and wrong-header examples, answers that break the output, idempotency by verb, lifted enums and
 * patterns (and a lift an official example refutes), error codes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  cleanText,
  idempotency,
  importApi,
  ImportError,
  mapType,
  memberExample,
  parseExampleInput,
  parseQuery,
  responseViolations,
  type ApiJson,
  type Sources,
} from "../../codegen/import/apijson.js";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/widgets/", import.meta.url));
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8")) as T;

function sources(): Sources {
  return {
    api: read("api.zh.json"),
    apiEn: read("api.en.json"),
    examples: read("examples.zh.json"),
    examplesEn: read("examples.en.json"),
    errorcodes: read("errorcodes.zh.json"),
    errorcodesEn: read("errorcodes.en.json"),
  };
}

const result = importApi(sources());
const action = (name: string): RawActionSpec => {
  const a = result.actions.get(name);
  if (!a) throw new Error(`no action ${name} imported`);
  return a.spec;
};
const model = (name: string): RawModelSpec => {
  const m = result.models.get(name);
  if (!m) throw new Error(`no model ${name} imported`);
  return m.spec;
};
const warningsOf = (name: string) => result.actions.get(name)?.warnings ?? result.models.get(name)?.warnings ?? [];

describe("types", () => {
  it("maps every api.json type / member pair the rules name", () => {
    const input = action("DescribeWidgets").input;
    const shape = (n: string) => ({ type: input[n]!.type, list: input[n]!.list ?? false });
    expect(shape("Phone")).toEqual({ type: "string", list: false });
    expect(shape("Status")).toEqual({ type: "int64", list: false });
    expect(shape("SdkAppId")).toEqual({ type: "uint64", list: false });
    expect(shape("Ratio")).toEqual({ type: "float", list: false });
    expect(shape("Verbose")).toEqual({ type: "bool", list: false });
    expect(shape("Ids")).toEqual({ type: "uint64", list: true });
    expect(shape("Names")).toEqual({ type: "string", list: true });
    expect(shape("Filters")).toEqual({ type: "Filter", list: true });
    expect(shape("Owner")).toEqual({ type: "Owner", list: false });
  });

  it("refuses types it does not know instead of guessing", () => {
    const objects = { Thing: {} };
    expect(mapType({ type: "int", member: "int32" }, objects)).toHaveProperty("error");
    expect(mapType({ type: "binary", member: "binary" }, objects)).toHaveProperty("error");
    expect(mapType({ type: "list", member: "Nothing" }, objects)).toHaveProperty("error");
    expect(mapType({ type: "object", member: "Nothing" }, objects)).toHaveProperty("error");
    expect(mapType({ type: "string", member: "int64" }, objects)).toHaveProperty("error");
    expect(mapType({ type: "object", member: "Thing" }, objects)).toEqual({ type: "Thing", list: false });

    const api = read<ApiJson>("api.zh.json");
    api.objects.CreateWidgetRequest!.members[1]!.type = "timestamp";
    expect(() => importApi({ api })).toThrow(ImportError);
    expect(() => importApi({ api })).toThrow(/CreateWidget\.input\.Size: type timestamp/);
  });
});

describe("optionality", () => {
  it("inputs take `required` as given", () => {
    const input = action("DescribeWidgets").input;
    expect(input.SdkAppId!.required).toBe(true);
    expect(input.Status!.required).toBeUndefined();
    expect(action("CreateWidget").input.Size!.required).toBe(true);
  });

  it("outputs are required when output_required, nullable when value_allowed_null, and lose the null boilerplate", () => {
    const output = action("DescribeWidgets").output;
    expect(output.TotalCount).toMatchObject({ required: true });
    expect(output.TotalCount!.nullable).toBeUndefined();
    expect(output.Widgets).toMatchObject({ type: "Widget", list: true, nullable: true });
    expect(output.Widgets!.required).toBeUndefined();
    expect(output.Widgets!.description).toEqual({ zh: "小部件列表", en: "Widget list." });
    expect(action("CreateWidget").output.WidgetId).toMatchObject({ type: "uint64", required: true });
    expect(Object.keys(action("CreateWidget").output)).not.toContain("RequestId");
  });

  it("models: an input-reached model takes `required`, an answer-only model `output_required`", () => {
    // Owner serves inputs and answers: the input's `required` (Name true, Level false), nullable from answers.
    expect(model("Owner").members.Name).toMatchObject({ required: true });
    expect(model("Owner").members.Level!.required).toBeUndefined();
    expect(model("Owner").members.Level!.nullable).toBe(true);
    expect(model("Owner").notes?.join("\n")).toMatch(
      /^Required differs between input and output in api\.json for Name/,
    );
    // Filter serves inputs only: never nullable.
    expect(model("Filter").members.Name).toMatchObject({ required: true });
    // Widget serves answers only: output_required; a member with only `required` is not required.
    expect(model("Widget").members.Id).toMatchObject({ required: true });
    expect(model("Widget").members.Owner).toMatchObject({ nullable: true });
    expect(model("Widget").members.State!.required).toBeUndefined();
    expect(model("Widget").members.Owner!.description.zh).toBe("主人");
  });

  it("imports a model no action uses, and reports it", () => {
    expect(result.unreferenced).toEqual(["Orphan"]);
    expect(model("Orphan").members.Note!.description).toEqual({ en: "(not described in api.json)" });
    expect(warningsOf("Orphan")).toContain("model Orphan is used by no action; imported all the same");
  });
});

describe("deprecation", () => {
  it("keeps disabled members as deprecated, never required, with a note", () => {
    const a = action("DescribeWidgets");
    expect(a.input.Offset).toMatchObject({ type: "int64", deprecated: true });
    expect(a.output.Legacy).toMatchObject({ deprecated: true });
    expect(a.output.Legacy!.required).toBeUndefined(); // output_required in api.json, but hidden
    expect(a.notes).toContain(
      "Disabled in api.json (kept as deprecated: Tencent hides them, old callers and old answers still carry them): `input.Offset`, `output.Legacy`.",
    );
  });

  it("marks deprecated what its own zh text calls deprecated, and reports it as lifted", () => {
    expect(action("DescribeWidgets").input.OldPhone).toMatchObject({ deprecated: true });
    expect(action("DescribeOldWidgets").deprecated).toBe(true);
    expect(action("DescribeWidgets").deprecated).toBeUndefined();
    expect(result.lifted).toContainEqual({
      where: "DescribeOldWidgets",
      kind: "deprecated",
      fact: "查询旧小部件(已废弃)",
    });
    expect(result.lifted).toContainEqual({
      where: "DescribeWidgets.input.OldPhone",
      kind: "deprecated",
      fact: "旧号码（废弃，使用Phone）",
    });
  });
});

describe("texts", () => {
  it("turns HTML into plain text, zh from api.zh.json and en from api.en.json", () => {
    const a = action("DescribeWidgets");
    expect(a.title).toEqual({ zh: "查询小部件", en: "Describe widgets" });
    expect(a.description).toEqual({
      zh: "查询小部件列表，见[文档](https://example.test/doc)\n第二段",
      en: "Lists widgets, see [the doc](https://example.test/doc)",
    });
    expect(a.input.Verbose!.description).toEqual({ zh: "是否详细", en: "Verbose or not" });
  });

  it("keeps zh only for an action api.en.json lacks", () => {
    const a = action("DescribeOldWidgets");
    expect(a.title).toEqual({ zh: "查询旧小部件(已废弃)" });
    expect(a.input.SdkAppId!.description).toEqual({ zh: "应用 ID" });
  });

  it("cleans the null boilerplate only when asked (nullable says it), and trailing separators always", () => {
    expect(cleanText("主人\n注意：此字段可能返回 null，表示取不到有效值。", true)).toBe("主人");
    expect(cleanText("主人\n注意：此字段可能返回 null，表示取不到有效值。", false)).toContain("注意");
    expect(
      cleanText("Owner.\nNote: this field may return null, indicating that no valid values can be obtained.", true),
    ).toBe("Owner.");
    expect(cleanText("呼出被叫格式，使用 {+E.164} 或 {E.164}, ")).toBe("呼出被叫格式，使用 {+E.164} 或 {E.164}");
    expect(cleanText("<p>类型：</p><ul><li>A</li><li>B</li></ul>")).toBe("类型：\nA\nB");
    expect(cleanText("")).toBeUndefined();
  });

  it("rateLimitPerSecond is the assumed 20 on every action", () => {
    for (const [, a] of result.actions) expect(a.spec.rateLimitPerSecond).toBe(20);
  });
});

describe("member examples", () => {
  it("types api.json's example strings, and leaves out what does not fit", () => {
    const input = action("DescribeWidgets").input;
    expect(input.SdkAppId!.example).toBe(1400000000);
    expect(input.Ids!.example).toEqual([1, 2]);
    expect(input.Names!.example).toEqual(["a", "b"]); // ['a','b'] with single quotes
    expect(input.Ratio!.example).toBe(0.5);
    expect(input.Verbose!.example).toBe(true);
    expect(input.Phone!.example).toBe("0086123456");
    expect(input.Filters!.example).toBeUndefined(); // 无
    expect(model("Filter").members.Values!.example).toEqual(["big"]);
  });

  it("memberExample: bare values for lists, numbers, booleans, nothing for 无 and misfits", () => {
    expect(memberExample("12", "uint64", true)).toEqual([12]);
    expect(memberExample("+8613012345678", "string", true)).toEqual(["+8613012345678"]);
    expect(memberExample("[1]", "uint64", false)).toBeUndefined();
    expect(memberExample("无", "bool", false)).toBeUndefined();
    expect(memberExample("false", "bool", false)).toBe(false);
    expect(memberExample('{"Id":1}', "Widget", false)).toEqual({ Id: 1 });
    expect(memberExample('[{"Id":1}]', "Widget", true)).toEqual([{ Id: 1 }]);
    expect(memberExample("not json", "Widget", false)).toBeUndefined();
  });
});

describe("request examples", () => {
  it("reads an old GET query: coerced values, Name.N lists, nested A.N.B and A.B members, quotes dropped", () => {
    const ex = action("DescribeWidgets").examples![0]!;
    expect(ex.request).toEqual({
      SdkAppId: 1400000000,
      Ids: [1, 2],
      Names: ["a"],
      Filters: [{ Name: "kind", Values: ["big", "small"], Mode: 1 }],
      Owner: { Name: "alice" },
      Verbose: true,
      Ratio: 0.5,
      Status: 1,
      Kind: 3,
    });
    expect(ex.title).toEqual({ zh: "查询小部件示例", en: "Example of describing widgets" });
    expect(ex.description).toEqual({ zh: "按条件查询。", en: "Query by conditions." });
  });

  it("parseQuery keeps a value it cannot coerce as a string (so the example is found invalid)", () => {
    const api = read<ApiJson>("api.zh.json");
    expect(
      parseQuery("https://h/?Action=CreateWidget&Name=w&Size=ten&<公共请求参数>", api, "CreateWidgetRequest"),
    ).toEqual({
      action: "CreateWidget",
      request: { Name: "w", Size: "ten" },
    });
  });

  it("reads a POST body with its X-TC-Action header, and says why when it cannot", () => {
    const api = read<ApiJson>("api.zh.json");
    expect(
      parseExampleInput('POST / HTTP/1.1\nX-TC-Action: ModifyWidget\n\n{"WidgetId": 7}', api, "ModifyWidgetRequest"),
    ).toEqual({ action: "ModifyWidget", request: { WidgetId: 7 } });
    expect(parseExampleInput("POST / HTTP/1.1\nX-TC-Action: X\n\n{oops}", api, "ModifyWidgetRequest")).toHaveProperty(
      "error",
    );
    expect(parseExampleInput("PUT /", api, "ModifyWidgetRequest")).toHaveProperty("error");
  });

  it("keeps an example the spec refuses, marked invalid with the reason", () => {
    const ex = action("CreateWidget").examples![0]!;
    expect(ex.request).toEqual({ Name: "w1", Size: "10" });
    expect(ex.invalid).toBe('Size must be an integer, got the string "10"');
    expect(ex.response).toEqual({ WidgetId: 7, RequestId: "r-1" });
  });

  it("keeps a fitting body sent with another action's X-TC-Action valid, with a note", () => {
    const a = action("ModifyWidget");
    expect(a.examples![0]!.invalid).toBeUndefined();
    expect(a.notes).toContain(
      "The official example 1 sends `X-TC-Action: CreateWidget` by mistake; its body fits this action, so it is kept as a valid example of ModifyWidget.",
    );
  });

  it("leaves out response members the output lacks, and examples whose answer breaks the output", () => {
    expect(action("DescribeWidgets").examples![0]!.response).not.toHaveProperty("Extra");
    expect(warningsOf("DescribeWidgets")).toContain(
      "example 1: its response has `Extra`, which is no output member; left out",
    );
    const old = action("DescribeOldWidgets");
    expect(old.examples).toBeUndefined();
    expect(old.notes).toContain(
      "The official example 1 is left out: its answer breaks the output api.json defines (Widgets[0].Id is missing (api.json: every answer has it)).",
    );
  });
});

describe("answers checked as the OpenAPI document will check them", () => {
  const models = () => Object.fromEntries([...result.models].map(([n, r]) => [n, r.spec]));
  const output = () => action("DescribeWidgets").output;
  it("accepts a fitting answer, with nulls where nullable and members Tencent may add", () => {
    expect(
      responseViolations(output(), models(), { TotalCount: 1, State: 0, Widgets: [{ Id: 1, Owner: null, New: 1 }] }),
    ).toEqual([]);
  });
  it("names missing required members, wrong types, nulls and values outside an enum", () => {
    expect(responseViolations(output(), models(), { State: "0", Widgets: null })).toEqual([
      "TotalCount is missing (api.json: every answer has it)",
      "State is not int64",
    ]);
    expect(responseViolations(output(), models(), { TotalCount: null, State: 0, Widgets: [{}] })).toEqual([
      "TotalCount is null",
      "Widgets[0].Id is missing (api.json: every answer has it)",
    ]);
    const closed = new Set(["Owner"]);
    expect(
      responseViolations(
        output(),
        models(),
        { TotalCount: 1, State: 0, Widgets: [{ Id: 1, Owner: { Level: 5, Age: 3 } }] },
        closed,
      ),
    ).toEqual([
      "Widgets[0].Owner.Age is no member of Owner",
      "Widgets[0].Owner.Name is missing (api.json: every answer has it)",
      "Widgets[0].Owner.Level is not one of its enum values",
    ]);
  });
});

describe("lifting", () => {
  it("lifts enums and prefix patterns on inputs and on the models inputs reach, and reports each", () => {
    const input = action("DescribeWidgets").input;
    expect(input.Status!.enum).toEqual([
      { value: 0, description: { zh: "启用", en: "enable" } },
      { value: 1, description: { zh: "停用", en: "disable" } },
    ]);
    expect(input.Phone!.pattern).toBe("^0086");
    expect(model("Filter").members.Mode!.enum?.map((e) => e.value)).toEqual([1, 2]);
    expect(model("Owner").members.Level!.enum?.map((e) => e.value)).toEqual([1, 2]);
    expect(result.lifted.filter((f) => !f.dropped).map((f) => `${f.kind} ${f.where}`)).toEqual([
      "deprecated DescribeOldWidgets",
      "deprecated DescribeWidgets.input.OldPhone",
      "enum DescribeWidgets.input.Status",
      "pattern DescribeWidgets.input.Phone",
      "enum Filter.Mode",
      "enum Owner.Level",
    ]);
  });

  it("drops a lifted enum an official example refutes, and reports why", () => {
    expect(action("DescribeWidgets").input.Kind!.enum).toBeUndefined();
    expect(result.lifted).toContainEqual({
      where: "DescribeWidgets.input.Kind",
      kind: "enum",
      fact: "1 (小), 2 (大)",
      dropped: "official example value 3 is not in it",
    });
  });

  it("lifts nothing on outputs or on models only answers reach", () => {
    expect(action("DescribeWidgets").output.State!.enum).toBeUndefined();
    expect(model("Widget").members.State!.enum).toBeUndefined();
  });
});

describe("idempotency by verb", () => {
  const cases: [string, boolean][] = [
    ["DescribeWidgets", true],
    ["GetThing", true],
    ["ModifyWidget", true],
    ["DeleteThing", true],
    ["UnbindThing", true],
    ["ResumeTask", true],
    ["CreateWidget", false],
    ["CreateSDKLoginToken", true],
    ["HangUpWidget", false],
    ["TransferToManual", false],
    ["UploadIvrAudio", false],
    ["RestoreMemberOnline", false],
  ];
  it.each(cases)("%s → %s", (name, want) => {
    expect(idempotency(name).idempotent).toBe(want);
  });

  it("writes the guess into the spec with an unreviewed reason, which the loader refuses until a person decides", () => {
    expect(action("ModifyWidget").idempotent).toBe(true);
    expect(action("HangUpWidget").idempotent).toBe(false);
    expect(action("HangUpWidget").idempotentReason).toBe(
      "unreviewed: false by the importer's verb rule (HangUp: repeating it may act twice)",
    );
    expect(action("HangUpWidget").notes ?? []).toEqual([]);
  });
});

describe("error codes", () => {
  it("takes each action's codes from errorcodes.zh.json, descriptions from productErrorCodes zh and en", () => {
    expect(action("CreateWidget").errors).toEqual([
      { code: "FailedOperation.WidgetBusy", description: { zh: "小部件忙。", en: "The widget is busy." } },
      { code: "InvalidParameterValue", description: { zh: "参数取值错误。", en: "Invalid parameter value." } },
    ]);
    expect(action("HangUpWidget").errors).toEqual([]);
  });
});

describe("selection", () => {
  it("imports named actions with the models they reach, and refuses an unknown name", () => {
    const some = importApi(sources(), { actions: ["ModifyWidget"] });
    expect([...some.actions.keys()]).toEqual(["ModifyWidget"]);
    expect([...some.models.keys()]).toEqual(["Owner"]);
    expect(() => importApi(sources(), { actions: ["NoSuchAction"] })).toThrow("api.json has no action NoSuchAction");
  });

  it("needs only api.zh.json", () => {
    const bare = importApi({ api: read("api.zh.json") });
    expect(bare.actions.get("CreateWidget")!.spec.errors).toEqual([]);
    expect(bare.actions.get("CreateWidget")!.spec.examples).toBeUndefined();
    expect(bare.actions.get("CreateWidget")!.spec.title).toEqual({ zh: "创建小部件" });
  });
});

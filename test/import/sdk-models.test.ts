/**
 * codegen/import/sdk-models.ts: the official SDK's ccc_models.d.ts as a source. On the vendored real file
 * (test/fixtures/sdk/, tencentcloud-sdk-nodejs@4.1.313) against spec/: exactly the 4 models and 3 members the spec
 * lacks, no false difference from `number` against int64/uint64/float or from the SDK's all-optional outputs, the
 * proposals for them load as part of a spec after which nothing is missing. On a small .d.ts written here against
 * the fixture spec (test/fixtures/spec/): each kind of difference in exact lines, unmappable types as problems
 * naming the member, JSDoc (HTML, the null note, `@deprecated`, 废弃), the client's action list, source labels.
 */
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  diffSdk,
  formatSdkDiff,
  parseSdkModels,
  readSdkClientActions,
  readSdkModels,
  sdkSourceLabel,
  sdkSpecs,
  type SdkDefinition,
  type SdkMember,
  type SdkProposal,
} from "../../codegen/import/sdk-models.js";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";
import { renderAction, renderModel } from "../../codegen/import/yaml.js";
import type { Service } from "../../codegen/ir.js";
import { loadSpec } from "../../codegen/load.js";
import { FIXTURE_SPEC_DIR, REPO, SPEC_DIR } from "../support/paths.js";
import { withoutFurtherSources } from "./helpers.js";

const FIXTURE_DIR = path.join(REPO, "test", "fixtures", "sdk");
const MODELS_FILE = path.join(FIXTURE_DIR, "ccc_models.d.ts");
const SOURCE = "tencentcloud-sdk-nodejs@4.1.313 ccc_models.d.ts";
const SHA256 = "185f16d43e1cc7509881f059dc772262aa07f5d0b0393cdb654ed5c90c241574";

let sdk: SdkDefinition;
/** spec/ as api.json gives it: without what it took from the SDK (marked `from`). */
let spec: Service;
let specFolder: string;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "ccc-sdk-models-"));
  specFolder = await withoutFurtherSources(path.join(tmp, "api-only"));
  [sdk, spec] = await Promise.all([readSdkModels(MODELS_FILE, { source: SOURCE }), loadSpec(specFolder)]);
}, 60_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function sdkMember(def: SdkDefinition, owner: string, name: string, where: "request" | "response"): SdkMember {
  const action = def.actions.find((a) => a.name === owner);
  const holder = action ? action[where] : def.models.find((m) => m.name === owner);
  const m = holder?.members.find((x) => x.name === name);
  if (!m) throw new Error(`test setup: no ${owner}.${name} in the SDK definition`);
  return m;
}

describe("the vendored ccc_models.d.ts against spec/", () => {
  it("finds nothing spec/ lacks: spec/ includes what 4.1.313 has beyond api.zh.json, marked `from` it", async () => {
    const whole = await loadSpec(SPEC_DIR);
    expect(diffSdk(sdk, whole)).toEqual([]);
    expect(whole.models.filter((m) => m.from === SOURCE).map((m) => m.name)).toHaveLength(4);
  });

  it("is the package's file byte for byte: the sha256 its README states", async () => {
    const bytes = await readFile(MODELS_FILE);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(SHA256);
    expect(await readFile(path.join(FIXTURE_DIR, "README.md"), "utf8")).toContain(SHA256);
  });

  it("splits 255 interfaces into the spec's 84 actions and 87 models, with no problem", () => {
    expect(sdk.source).toBe(SOURCE);
    expect(sdk.problems).toEqual([]);
    expect(sdk.actions.map((a) => a.name)).toEqual(spec.actions.map((a) => a.name));
    expect(sdk.models).toHaveLength(87);
    expect(sdk.actions.some((a) => a.response.members.some((m) => m.name === "RequestId"))).toBe(false);
  });

  it("reports exactly the 4 models and 3 members the spec lacks", () => {
    expect(diffSdk(sdk, spec)).toEqual([
      { kind: "model missing", path: "AICallAPICallAttempt" },
      { kind: "model missing", path: "AICallAPICallDetail" },
      { kind: "model missing", path: "AICallAPICallRequestDetail" },
      { kind: "model missing", path: "AICallAPICallResponseDetail" },
      {
        kind: "member missing",
        path: "AIRoundPath.APICall",
        owner: "AIRoundPath",
        place: "model",
        member: "APICall",
        sdk: "AICallAPICallDetail, nullable",
      },
      {
        kind: "member missing",
        path: "AISpeakEvent.KnowledgeName",
        owner: "AISpeakEvent",
        place: "model",
        member: "KnowledgeName",
        sdk: "string",
      },
      {
        kind: "member missing",
        path: "CreateAIAgentCall.input.AcquireTimeoutSecond",
        owner: "CreateAIAgentCall",
        place: "input",
        member: "AcquireTimeoutSecond",
        sdk: "number",
      },
    ]);
  });

  it("has no type difference where the SDK says number and the spec int64, uint64 or float", () => {
    const pairs = new Map<string, number>();
    const count = (members: readonly SdkMember[], specMembers: readonly { name: string; type: { name: string } }[]) => {
      for (const s of members) {
        const m = specMembers.find((x) => x.name === s.name);
        if (s.type === "number" && m) pairs.set(m.type.name, (pairs.get(m.type.name) ?? 0) + 1);
      }
    };
    for (const a of sdk.actions) {
      const action = spec.actions.find((x) => x.name === a.name)!;
      count(a.request.members, action.input);
      count(a.response.members, action.output);
    }
    for (const m of sdk.models) count(m.members, spec.models.find((x) => x.name === m.name)?.members ?? []);
    // The SDK's `number` meets all three numeric spec types, and only them, and none is a difference.
    expect([...pairs.keys()].sort()).toEqual(["float", "int64", "uint64"]);
    expect(pairs.get("int64")).toBeGreaterThan(100);
    expect(diffSdk(sdk, spec).filter((d) => "fact" in d && d.fact === "type")).toEqual([]);
  });

  it("does not compare output optionality: the SDK marks every answer member optional, spec/ requires 72", () => {
    expect(sdk.actions.every((a) => a.response.members.every((m) => m.optional))).toBe(true);
    const required = spec.actions.flatMap((a) =>
      a.output
        .filter((m) => m.required)
        .map((m) => ({ path: `${a.name}.output.${m.name}`, sdk: sdkMember(sdk, a.name, m.name, "response") })),
    );
    expect(required).toHaveLength(72);
    expect(required.every((r) => r.sdk.optional)).toBe(true);
    const paths = new Set(required.map((r) => r.path));
    expect(diffSdk(sdk, spec).filter((d) => paths.has(d.path))).toEqual([]);
  });

  it("reads the JSDoc of a real member: HTML to plain text, the null note as nullable", () => {
    const apiCall = sdkMember(sdk, "AIRoundPath", "APICall", "response");
    expect(apiCall).toMatchObject({ type: "AICallAPICallDetail", list: false, nullable: true, hidden: false });
    expect(apiCall.description).toBe(
      "接口调用节点的调用详情，包含请求、响应、耗时以及每次重试的明细。仅 NodeType 为 API_CALL 时有值，其余节点类型不返回该字段。",
    );
    // A list the SDK writes `Array<number | bigint>` (int64 ids, which may exceed 2^53), and a hidden member.
    expect(sdkMember(sdk, "UnbindStaffSkillGroupList", "SkillGroupList", "request")).toMatchObject({
      typeText: "Array<number | bigint>",
      type: "number",
      list: true,
      optional: false,
    });
    const cdrs = sdkMember(sdk, "DescribeProtectedTelCdr", "TelCdrs", "response");
    expect(cdrs).toMatchObject({ typeText: "Array<TelCdrInfo>", type: "TelCdrInfo", list: true, hidden: true });
  });

  it("with descriptions: true, lists the members whose zh text the SDK has newer (new enum values among them)", () => {
    const texts = diffSdk(sdk, spec, { descriptions: true }).filter((d) => "fact" in d && d.fact === "description");
    expect(texts.map((d) => d.path)).toEqual([
      "AICallInteractionRound.Tags",
      "AIRoundPath.NodeType",
      "AISpeakEvent.SpokenType",
      "CreateAIAgentCall.input.Variables",
      "CreateUserSig.input.ClientData",
      "CreateUserSig.input.Uid",
      "UserReplyEvent.BranchType",
      "UserReplyEvent.ExtractedSlots",
    ]);
    const nodeType = texts.find((d) => d.path === "AIRoundPath.NodeType");
    expect(nodeType && "sdk" in nodeType ? nodeType.sdk : "").toContain("TRANSFER_AGENT： 转接智能体节点");
  });
});

describe("sdkSpecs on the real file", () => {
  let proposals: SdkProposal[];
  beforeAll(() => {
    proposals = sdkSpecs(sdk, spec);
  });

  it("proposes the 4 models and 3 members, each with its source and a note saying so", () => {
    expect(proposals.map((p) => `${p.kind} ${p.path}`)).toEqual([
      "model AICallAPICallAttempt",
      "model AICallAPICallDetail",
      "model AICallAPICallRequestDetail",
      "model AICallAPICallResponseDetail",
      "member AIRoundPath.APICall",
      "member AISpeakEvent.KnowledgeName",
      "member CreateAIAgentCall.input.AcquireTimeoutSecond",
    ]);
    for (const p of proposals) {
      expect(p.source).toBe(SOURCE);
      expect(p.note).toContain(`From ${SOURCE}`);
    }
  });

  it("maps types, keeps zh texts and nullable, and reports each numeric type it chose", () => {
    const detail = proposals.find((p) => p.path === "AICallAPICallDetail");
    if (detail?.kind !== "model") throw new Error("no model proposal for AICallAPICallDetail");
    expect(detail.model.notes).toEqual([detail.note]);
    expect(detail.model.description).toEqual({ zh: "接口调用节点的调用详情" });
    expect(detail.model.members.Attempts).toEqual({
      type: "AICallAPICallAttempt",
      list: true,
      nullable: true,
      description: { zh: "每次尝试的明细，按时间顺序排列，至少包含首次调用。" },
    });
    expect(detail.model.members.Async?.type).toBe("bool");
    expect(detail.model.members.StatusCode?.type).toBe("int64");
    // An answer-only model: no member is `required` (the SDK cannot say which ones every answer has).
    expect(Object.values(detail.model.members).some((m) => m.required)).toBe(false);
    expect(detail.choices).toContain(
      "StatusCode: number → int64, a guess: the SDK cannot tell int64, uint64 or float (no other `StatusCode` in spec/)",
    );

    const timeout = proposals.find((p) => p.path === "CreateAIAgentCall.input.AcquireTimeoutSecond");
    if (timeout?.kind !== "member") throw new Error("no member proposal for AcquireTimeoutSecond");
    // The spec's other AcquireTimeoutSecond (CreateAICall) is uint64; the SDK marks it optional.
    expect(timeout.spec).toEqual({
      type: "uint64",
      description: { zh: "智能体并发不足时，排队等待超时时间，单位秒\n取值范围：[0, 5]\n默认值：5" },
    });
    expect(timeout.choices).toEqual(["number → uint64, the type spec/ gives every other `AcquireTimeoutSecond`"]);
  });

  it("gives raw specs that load into a copy of spec/, after which the SDK finds nothing missing", async () => {
    const dir = path.join(tmp, "spec");
    await cp(specFolder, dir, { recursive: true });
    for (const p of proposals) await applyProposal(dir, p);
    const extended = await loadSpec(dir);
    expect(diffSdk(sdk, extended)).toEqual([]);
  }, 60_000);

  it("refuses a path that is not missing", () => {
    expect(() => sdkSpecs(sdk, spec, ["AIRoundPath.NodeName"])).toThrow(/AIRoundPath\.NodeName is no model or member/);
    expect(sdkSpecs(sdk, spec, ["AISpeakEvent.KnowledgeName"]).map((p) => p.path)).toEqual([
      "AISpeakEvent.KnowledgeName",
    ]);
  });
});

/** Writes a proposal into a spec folder as an importer would: a new model file, or a member and a note added. */
async function applyProposal(dir: string, p: SdkProposal): Promise<void> {
  if (p.kind === "model") {
    await writeFile(path.join(dir, "models", `${p.path}.yaml`), renderModel(p.model));
    return;
  }
  const file = path.join(dir, p.place === "model" ? "models" : "actions", `${p.owner}.yaml`);
  const text = await readFile(file, "utf8");
  const data = parse(text) as RawActionSpec | RawModelSpec;
  const members = "action" in data ? data[p.place === "output" ? "output" : "input"] : data.members;
  members[p.member] = p.spec;
  data.notes = [...(data.notes ?? []), p.note];
  await writeFile(file, "action" in data ? renderAction(data) : renderModel(data));
}

// ---------------------------------------------------------------------------------------------------------------
// A small .d.ts against the fixture spec (3 actions and the model OwnNumberApplyDetailItem)

/** Written like the SDK's generator writes: JSDoc on each interface and member, continuation lines indented. */
const SMALL = `/**
 * DisableCCCPhoneNumber请求参数结构体
 */
export interface DisableCCCPhoneNumberRequest {
    /**
     * 应用 ID（必填）
     */
    SdkAppId?: number;
    /**
     * 号码列表，0086开头
     */
    PhoneNumbers?: Array<string>;
    /**
     * 停用：0启用 1停用
     */
    Disabled: string;
    /**
     * 停用原因
     */
    Reason?: Record<string, string>;
}
/**
 * DisableCCCPhoneNumber返回参数结构体
 */
export interface DisableCCCPhoneNumberResponse {
    /**
     * 唯一请求 ID
     */
    RequestId?: string;
}
export interface ModifyOwnNumberApplyRequest {
    SdkAppId: number;
    DetailList: OwnNumberApplyDetailItem;
    ApplyId: number;
    Prefix?: string;
    MobileNddPrefix?: string;
    LocalNumberTrimAC?: boolean;
    CalleeFormatPassthrough?: boolean;
    CallerFormatPassthrough?: boolean;
}
export interface ModifyOwnNumberApplyResponse {
    RequestId?: string;
}
export interface CreateOwnNumberApplyRequest {
    SdkAppId: number;
    SipTrunkId: number;
    DetailList: OwnNumberApplyDetailItem[];
    Prefix?: string;
    MobileNddPrefix?: string;
    LocalNumberTrimAC?: boolean;
    CalleeFormatPassthrough?: boolean;
    CallerFormatPassthrough?: boolean;
    InternationalNumberPrefix?: string;
}
export interface CreateOwnNumberApplyResponse {
    ApplyId?: number;
    RequestId?: string;
}
/**
 * 用户自带号码审批明细数据类型
 */
export interface OwnNumberApplyDetailItem {
    CallType?: number;
    PhoneNumber: string;
    MaxCallCount: number;
    MaxCallPSec: number;
    OutboundCalleeFormat?: string;
    CarrierPhoneNumber?: string;
    /**
     * 标签
     */
    Tags?: Array<Array<string>>;
    Owner?: Staff;
}
/**
 * 号码备注
 */
export interface PhoneNumberNote {
    /**
     * <p>备注类型</p><p>枚举值：</p><ul><li>1： 人工</li><li>2： 系统</li></ul>
  注意：此字段可能返回 null，表示取不到有效值。
     * @deprecated
     */
    Kind?: number;
    /**
     * 备注内容（废弃，使用 Kind）
     */
    Text: string;
}
`;

describe("a small .d.ts against the fixture spec", () => {
  let small: SdkDefinition;
  let fixture: Service;
  beforeAll(async () => {
    small = parseSdkModels(SMALL, { source: "small.d.ts" });
    fixture = await loadSpec(FIXTURE_SPEC_DIR);
  });

  it("lists each kind of difference, in exact lines sorted by path", () => {
    expect(formatSdkDiff(diffSdk(small, fixture), { sdk: "small.d.ts", spec: "fixture/" }, small.problems)).toEqual([
      "~ DisableCCCPhoneNumber.input.Disabled: type int64 → string",
      "~ DisableCCCPhoneNumber.input.PhoneNumbers: required true → false",
      "+ DisableCCCPhoneNumber.input.Reason (? (Record<string, string>))",
      "~ ModifyOwnNumberApply.input.ApplyId: required false → true",
      "~ ModifyOwnNumberApply.input.DetailList: list true → false",
      "- ModifyOwnNumberApply.input.InternationalNumberPrefix",
      "~ OwnNumberApplyDetailItem.CallType: required true → false",
      "+ OwnNumberApplyDetailItem.Owner (? (Staff))",
      "+ OwnNumberApplyDetailItem.Tags (? (Array<Array<string>>))",
      "+ PhoneNumberNote (model)",
      "! DisableCCCPhoneNumberRequest.Reason: not a type the rules map (string, number, boolean, a model, a list of one of these) (type `Record<string, string>`) (line 20)",
      "! OwnNumberApplyDetailItem.Tags: a list of lists, which the spec cannot describe (type `Array<Array<string>>`) (line 72)",
      "! OwnNumberApplyDetailItem.Owner: `Staff` is no model interface of the file (type `Staff`) (line 73)",
      "10 difference(s) between small.d.ts and fixture/",
      "3 problem(s) reading small.d.ts",
    ]);
  });

  it("names the interface, member and type text of each type it cannot map", () => {
    expect(small.problems.map(({ interface: i, member, typeText }) => ({ i, member, typeText }))).toEqual([
      { i: "DisableCCCPhoneNumberRequest", member: "Reason", typeText: "Record<string, string>" },
      { i: "OwnNumberApplyDetailItem", member: "Tags", typeText: "Array<Array<string>>" },
      { i: "OwnNumberApplyDetailItem", member: "Owner", typeText: "Staff" },
    ]);
    expect(() => sdkSpecs(small, fixture, ["DisableCCCPhoneNumber.input.Reason"])).toThrow(
      "sdkSpecs: DisableCCCPhoneNumber.Reason has a type the rules cannot map (`Record<string, string>`)",
    );
  });

  it("names what an interface says besides properties, which would otherwise be lost", () => {
    const text = `export interface Base {\n    A?: string;\n}\nexport interface Wide extends Base {\n    [key: string]: string;\n    B?: string;\n}\n`;
    expect(parseSdkModels(text, { source: "wide.d.ts" }).problems).toEqual([
      { interface: "Wide", line: 4, message: "Wide: `extends Base` is not read (only properties are)" },
      { interface: "Wide", line: 4, message: "Wide: `[key: string]: string;` is not read (only properties are)" },
    ]);
  });

  it("reads JSDoc: HTML as plain lines, the null note as nullable, @deprecated as hidden, 废弃 as deprecated", () => {
    const note = small.models.find((m) => m.name === "PhoneNumberNote")!;
    expect(note.description).toBe("号码备注");
    expect(note.members).toEqual([
      {
        name: "Kind",
        typeText: "number",
        type: "number",
        list: false,
        optional: true,
        description: "备注类型\n枚举值：\n1： 人工\n2： 系统",
        nullable: true,
        hidden: true,
        deprecated: true,
        line: 84,
      },
      {
        name: "Text",
        typeText: "string",
        type: "string",
        list: false,
        optional: false,
        description: "备注内容（废弃，使用 Kind）",
        nullable: false,
        hidden: false,
        deprecated: true,
        line: 88,
      },
    ]);
    expect(small.actions.find((a) => a.name === "DisableCCCPhoneNumber")!.response.members).toEqual([]);
  });

  it("reports what only the spec has: actions, models and members", () => {
    const empty = parseSdkModels("export interface Unrelated { A?: string }\n", { source: "empty.d.ts" });
    expect(formatSdkDiff(diffSdk(empty, fixture), { sdk: "empty.d.ts", spec: "fixture/" })).toEqual([
      "- CreateOwnNumberApply (action)",
      "- DisableCCCPhoneNumber (action)",
      "- ModifyOwnNumberApply (action)",
      "- OwnNumberApplyDetailItem (model)",
      "+ Unrelated (model)",
      "5 difference(s) between empty.d.ts and fixture/",
    ]);
  });

  it("proposes a model an input cannot reach without required, and keeps hidden members optional", () => {
    const [model] = sdkSpecs(small, fixture, ["PhoneNumberNote"]);
    if (model?.kind !== "model") throw new Error("no model proposal");
    expect(model.model.members).toEqual({
      Kind: { type: "int64", deprecated: true, description: { zh: "备注类型\n枚举值：\n1： 人工\n2： 系统" } },
      Text: { type: "string", deprecated: true, description: { zh: "备注内容（废弃，使用 Kind）" } },
    });
    // PhoneNumberNote is reached by no action: neither required nor nullable can be told.
    expect(model.choices).toEqual([
      "Kind: number → int64, a guess: the SDK cannot tell int64, uint64 or float (no other `Kind` in spec/)",
    ]);
  });

  it("takes the action names from the client's methods when given, and names an action the models file lacks", () => {
    const client = `export declare class Client extends AbstractClient {
    constructor(clientConfig: ClientConfig);
    /** 停用号码 */
    DisableCCCPhoneNumber(req: DisableCCCPhoneNumberRequest, cb?: (error: string, rep: DisableCCCPhoneNumberResponse) => void): Promise<DisableCCCPhoneNumberResponse>;
    /** 新接口 */
    DescribeThing(req: DescribeThingRequest, cb?: (error: string, rep: DescribeThingResponse) => void): Promise<DescribeThingResponse>;
}
`;
    const actionNames = readSdkClientActions(client);
    expect(actionNames).toEqual(["DescribeThing", "DisableCCCPhoneNumber"]);
    const def = parseSdkModels(SMALL, { source: "small.d.ts", actionNames });
    expect(def.actions.map((a) => a.name)).toEqual(["DisableCCCPhoneNumber"]);
    // Not named by the client, ModifyOwnNumberApplyRequest/Response are models now.
    expect(def.models.map((m) => m.name)).toContain("ModifyOwnNumberApplyRequest");
    expect(def.problems[0]).toMatchObject({
      interface: "DescribeThingRequest",
      message: "the client has an action DescribeThing, but the models file has no DescribeThingRequest",
    });
  });
});

describe("sdkSourceLabel", () => {
  it("names the Tencent SDK package and version the file is in, else the file alone", async () => {
    const inPackage = path.join(tmp, "node_modules", "tencentcloud-sdk-nodejs", "tencentcloud", "services", "ccc");
    await mkdir(inPackage, { recursive: true });
    await writeFile(
      path.join(tmp, "node_modules", "tencentcloud-sdk-nodejs", "package.json"),
      JSON.stringify({ name: "tencentcloud-sdk-nodejs", version: "9.9.9" }),
    );
    expect(await sdkSourceLabel(path.join(inPackage, "ccc_models.d.ts"))).toBe(
      "tencentcloud-sdk-nodejs@9.9.9 ccc_models.d.ts",
    );
    // The vendored copy's nearest package.json is the repository's own: no provenance there (its README has it).
    expect(await sdkSourceLabel(MODELS_FILE)).toBe("ccc_models.d.ts");
  });
});

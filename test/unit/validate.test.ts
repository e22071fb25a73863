import { describe, expect, it } from "vitest";
import { DisableCCCPhoneNumberCommand, ModifyOwnNumberApplyCommand } from "../../generated/index.js";
import { validate } from "../../src/validate.js";

const disable = DisableCCCPhoneNumberCommand.input;
const modify = ModifyOwnNumberApplyCommand.input;
const item = { CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 };

describe("validation generated from the spec", () => {
  it("accepts the doc pages' examples", () => {
    expect(validate(disable, { SdkAppId: 1, PhoneNumbers: ["008602112345678"], Disabled: 0 })).toEqual([]);
    expect(validate(modify, { SdkAppId: 1, ApplyId: 1, Prefix: "1145", DetailList: [item] })).toEqual([]);
  });

  const cases: [string, object, object, string, string][] = [
    ["missing required", disable, { PhoneNumbers: ["0086"] }, "Disabled", "required"],
    ["enum", disable, { PhoneNumbers: ["0086"], Disabled: 2 }, "Disabled", "enum"],
    ["integer type", disable, { PhoneNumbers: ["0086"], Disabled: 0.5 }, "Disabled", "type"],
    ["string for integer", disable, { PhoneNumbers: ["0086"], Disabled: "1" }, "Disabled", "type"],
    ["uint64 negative", disable, { PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: -1 }, "SdkAppId", "minimum"],
    ["unsafe integer", disable, { PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: 2 ** 60 }, "SdkAppId", "type"],
    ["pattern", disable, { PhoneNumbers: ["13800000000"], Disabled: 1 }, "PhoneNumbers[0]", "pattern"],
    ["min items", disable, { PhoneNumbers: [], Disabled: 1 }, "PhoneNumbers", "minItems"],
    ["unique", disable, { PhoneNumbers: ["00861", "00862", "00861"], Disabled: 1 }, "PhoneNumbers[2]", "uniqueItems"],
    ["not a list", disable, { PhoneNumbers: "0086", Disabled: 1 }, "PhoneNumbers", "type"],
    ["unknown member", disable, { PhoneNumbers: ["0086"], Disabled: 1, Phone: 1 }, "Phone", "unknown"],
    [
      "nested enum",
      modify,
      { SdkAppId: 1, DetailList: [item, { ...item, CallType: 3 }] },
      "DetailList[1].CallType",
      "enum",
    ],
    [
      "nested required",
      modify,
      { SdkAppId: 1, DetailList: [{ CallType: 1, MaxCallCount: 1, MaxCallPSec: 1 }] },
      "DetailList[0].PhoneNumber",
      "required",
    ],
    [
      "nested unknown",
      modify,
      { SdkAppId: 1, DetailList: [{ ...item, Extra: true }] },
      "DetailList[0].Extra",
      "unknown",
    ],
    ["nested not object", modify, { SdkAppId: 1, DetailList: ["x"] }, "DetailList[0]", "type"],
    ["bool", modify, { SdkAppId: 1, DetailList: [item], LocalNumberTrimAC: "false" }, "LocalNumberTrimAC", "type"],
  ];
  it.each(cases)("rejects %s with the field path and the rule", (_name, shape, input, path, rule) => {
    const violations = validate(shape as typeof disable, input);
    expect(violations.map((v) => [v.path, v.rule])).toContainEqual([path, rule]);
    expect(violations.find((v) => v.path === path)!.message.startsWith(path)).toBe(true);
  });

  it("rejects a non-object input", () => {
    expect(validate(disable, null)[0]!.rule).toBe("type");
    expect(validate(disable, [])[0]!.rule).toBe("type");
  });

  it("ignores members explicitly set to undefined", () => {
    expect(validate(disable, { PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: undefined })).toEqual([]);
  });
});

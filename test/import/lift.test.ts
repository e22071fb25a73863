import { describe, expect, it } from "vitest";
import { liftIntegerEnum, liftPrefixPattern, plain } from "../../codegen/import/lift.js";

describe("lifting enums from prose", () => {
  const lifted: [string, { zh?: string; en?: string }, number[]][] = [
    [
      "DisableCCCPhoneNumber.Disabled",
      { zh: "停用开关，0启用 1停用", en: "Disable switch: 0 for enable, 1 for disable." },
      [0, 1],
    ],
    [
      "OwnNumberApplyDetailItem.CallType",
      {
        zh: "号码类型：0-呼入|1-呼出|2-呼入呼出",
        en: "Number type: 0 - inbound | 1 - outbound | 2 - inbound and outbound.",
      },
      [0, 1, 2],
    ],
    ["colon style", { zh: "状态，1:正常，2:冻结，3:欠费" }, [1, 2, 3]],
  ];
  it.each(lifted)("lifts %s", (_name, description, values) => {
    const e = liftIntegerEnum(description);
    expect(e?.map((v) => v.value)).toEqual(values);
  });

  it("keeps the labels of both languages", () => {
    expect(
      liftIntegerEnum({ zh: "停用开关，0启用 1停用", en: "Disable switch: 0 for enable, 1 for disable." }),
    ).toEqual([
      { value: 0, description: { zh: "启用", en: "enable" } },
      { value: 1, description: { zh: "停用", en: "disable" } },
    ]);
  });

  const refused: [string, { zh?: string; en?: string }][] = [
    ["a range", { zh: "取值范围：1-100" }],
    ["one value only", { zh: "1表示开启" }],
    ["another number outside the list", { zh: "0关闭 1开启，默认 0" }],
    ["a limit", { zh: "每页数量，最大 100" }],
    ["plain text", { zh: "TCCC 实例应用 ID", en: "TCCC instance application id." }],
    ["zh and en that disagree", { zh: "0关闭 1开启", en: "1 for off, 2 for on" }],
    ["duplicate values", { zh: "0关闭 0开启" }],
    ["a timestamp", { zh: "开始时间（必填），Unix 秒级时间戳" }],
  ];
  it.each(refused)("lifts nothing from %s", (_name, description) => {
    expect(liftIntegerEnum(description)).toBeUndefined();
  });
});

describe("lifting prefix patterns", () => {
  it("reads 0086开头 and 'starting with 0086'", () => {
    expect(liftPrefixPattern({ zh: "号码列表，0086开头", en: "Number list starting with 0086." })).toBe("^0086");
    expect(liftPrefixPattern({ zh: "被叫号码，以+86开头" })).toBe("^\\+86");
  });
  it("lifts nothing without such a phrase, or when the languages disagree", () => {
    expect(liftPrefixPattern({ zh: "线路号码" })).toBeUndefined();
    expect(liftPrefixPattern({ zh: "0086开头", en: "starting with 0085" })).toBeUndefined();
  });
});

describe("plain text from Tencent's HTML", () => {
  it("drops tags, decodes entities and keeps links as Markdown", () => {
    expect(plain("<p>IVR 按键信息 ，e.g. [&quot;1&quot;,&quot;2&quot;]</p>")).toBe('IVR 按键信息 ，e.g. ["1","2"]');
    expect(plain('<p>see <a href="https://x.test/doc">the doc</a></p><p>second</p>')).toBe(
      "see [the doc](https://x.test/doc)\nsecond",
    );
  });
});

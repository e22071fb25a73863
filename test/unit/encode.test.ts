/**
 * The request body is serialized once and what is validated is exactly what that serialization wrote: own
 * members and real list items only, getters and toJSON evaluated once, the validator never throwing anything
 * but violations, int64/uint64 as bigint written losslessly, and Tencent's 10 MB limit checked before sending.
 */
import { describe, expect, it } from "vitest";
import { DisableCCCPhoneNumberCommand, ModifyOwnNumberApplyCommand } from "../../generated/index.js";
import { encodeInput, MAX_REQUEST_BYTES } from "../../src/validate.js";

const disable = DisableCCCPhoneNumberCommand.input;
const modify = ModifyOwnNumberApplyCommand.input;
const item = { CallType: 2, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 };
const rules = (e: { violations: readonly { path: string; rule: string }[] }) =>
  e.violations.map((v) => `${v.path}:${v.rule}`);

describe("one serialization, validated as written", () => {
  it("writes the same bytes JSON.stringify writes for plain input", () => {
    const input = { SdkAppId: 1400000000, PhoneNumbers: ["008602112345678", '0086 "quoted" 中文'], Disabled: 1 };
    const encoded = encodeInput(disable, input);
    expect(encoded.violations).toEqual([]);
    expect(encoded.body).toBe(JSON.stringify(input));
  });

  it("does not send or count members inherited from the prototype", () => {
    const input = Object.assign(Object.create({ Disabled: 1, Injected: true }) as object, { PhoneNumbers: ["0086"] });
    const encoded = encodeInput(disable, input);
    expect(rules(encoded)).toEqual(["Disabled:required"]);
    expect(encoded.body).toBe('{"PhoneNumbers":["0086"]}');
  });

  it("refuses list holes and undefined items instead of sending null", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole (no own index 0) is what this test sends
    expect(rules(encodeInput(disable, { PhoneNumbers: [, "0086"], Disabled: 1 }))).toEqual([
      "PhoneNumbers[0]:required",
    ]);
    expect(rules(encodeInput(disable, { PhoneNumbers: ["0086", undefined], Disabled: 1 }))).toEqual([
      "PhoneNumbers[1]:required",
    ]);
  });

  it("never reads list items from Array.prototype", () => {
    const proto = Array.prototype as unknown as Record<number, unknown>;
    proto[1] = "0086polluted";
    try {
      const list = ["0086"];
      list.length = 2;
      const encoded = encodeInput(disable, { PhoneNumbers: list, Disabled: 1 });
      expect(rules(encoded)).toEqual(["PhoneNumbers[1]:required"]);
      expect(encoded.body).not.toContain("polluted");
    } finally {
      delete proto[1];
    }
  });

  it("reads each getter once, and validates the value it wrote", () => {
    let reads = 0;
    const input = {
      PhoneNumbers: ["0086"],
      get Disabled() {
        reads++;
        return reads === 1 ? 1 : 7;
      },
    };
    const encoded = encodeInput(disable, input);
    expect(reads).toBe(1);
    expect(encoded.violations).toEqual([]);
    expect(JSON.parse(encoded.body)).toEqual({ PhoneNumbers: ["0086"], Disabled: 1 });
  });

  it("calls toJSON once and validates its result", () => {
    let calls = 0;
    const phone = {
      toJSON() {
        calls++;
        return "008602112345678";
      },
    };
    const encoded = encodeInput(disable, { PhoneNumbers: [phone], Disabled: 1 });
    expect(calls).toBe(1);
    expect(encoded.violations).toEqual([]);
    expect(encoded.body).toBe('{"PhoneNumbers":["008602112345678"],"Disabled":1}');
    const bad = encodeInput(disable, { PhoneNumbers: [{ toJSON: () => 12 }], Disabled: 1 });
    expect(rules(bad)).toEqual(["PhoneNumbers[0]:type"]);
  });

  it("reports a throwing toJSON, getter or proxy as a violation at its path", () => {
    const throwing = {
      toJSON() {
        throw new Error("boom");
      },
    };
    expect(rules(encodeInput(disable, { PhoneNumbers: ["0086", throwing], Disabled: 1 }))).toEqual([
      "PhoneNumbers[1]:serialize",
    ]);
    const getter = {
      PhoneNumbers: ["0086"],
      get Disabled(): number {
        throw new TypeError("no");
      },
    };
    expect(rules(encodeInput(disable, getter))).toEqual(["Disabled:serialize"]);
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    expect(rules(encodeInput(modify, { SdkAppId: 1, DetailList: [proxy] }))).toEqual(["DetailList[0]:serialize"]);
  });

  it("reports a cycle, a BigInt where no integer belongs and a throwing toJSON inside a uniqueItems list", () => {
    const cyclic: Record<string, unknown> = { ...item };
    cyclic.Self = cyclic;
    expect(rules(encodeInput(modify, { SdkAppId: 1, DetailList: [cyclic] }))).toEqual(
      expect.arrayContaining(["DetailList[0].Self:unknown"]),
    );
    expect(() => encodeInput(modify, { SdkAppId: 1, DetailList: [cyclic] }, { validate: false })).not.toThrow();
    expect(rules(encodeInput(modify, { SdkAppId: 1, DetailList: [cyclic] }, { validate: false }))).toEqual([
      "DetailList[0].Self:cycle",
    ]);
    expect(rules(encodeInput(disable, { PhoneNumbers: ["0086", 5n], Disabled: 1 }))).toEqual(["PhoneNumbers[1]:type"]);
    expect(
      rules(
        encodeInput(disable, {
          PhoneNumbers: [
            {
              toJSON: () => {
                throw new Error("x");
              },
            },
            "0086",
          ],
          Disabled: 1,
        }),
      ),
    ).toEqual(["PhoneNumbers[0]:serialize"]);
  });

  it("is unaffected by changes to the input after it ran", () => {
    const input = { PhoneNumbers: ["0086"], Disabled: 1 as 0 | 1 };
    const encoded = encodeInput(disable, input);
    (input as Record<string, unknown>).Disabled = 7;
    input.PhoneNumbers.push("x");
    expect(encoded.body).toBe('{"PhoneNumbers":["0086"],"Disabled":1}');
  });
});

describe("int64 and uint64 as bigint", () => {
  it("writes a bigint losslessly", () => {
    const encoded = encodeInput(disable, { PhoneNumbers: ["0086"], Disabled: 1n, SdkAppId: 18446744073709551615n });
    expect(encoded.violations).toEqual([]);
    expect(encoded.body).toBe('{"PhoneNumbers":["0086"],"Disabled":1,"SdkAppId":18446744073709551615}');
  });

  it("checks the 64-bit ranges, enums and bounds of a bigint", () => {
    expect(
      rules(encodeInput(disable, { PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: 18446744073709551616n })),
    ).toEqual(["SdkAppId:maximum"]);
    expect(rules(encodeInput(disable, { PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: -1n }))).toEqual([
      "SdkAppId:minimum",
    ]);
    expect(rules(encodeInput(disable, { PhoneNumbers: ["0086"], Disabled: 2n }))).toEqual(["Disabled:enum"]);
    expect(
      rules(encodeInput(modify, { SdkAppId: 1, DetailList: [{ ...item, MaxCallCount: 9223372036854775808n }] })),
    ).toEqual(["DetailList[0].MaxCallCount:maximum"]);
    expect(
      rules(encodeInput(modify, { SdkAppId: 1, DetailList: [{ ...item, MaxCallCount: -9223372036854775808n }] })),
    ).toEqual([]);
  });

  it("still refuses a number beyond 2^53 and says to pass a bigint", () => {
    const encoded = encodeInput(disable, { PhoneNumbers: ["0086"], Disabled: 1, SdkAppId: 2 ** 60 });
    expect(rules(encoded)).toEqual(["SdkAppId:type"]);
    expect(encoded.violations[0]!.message).toMatch(/bigint/);
  });
});

describe("Tencent's 10 MB request limit", () => {
  it("is refused before sending, naming the limit, without building the whole body", () => {
    const big = `0086${"1".repeat(1024 * 1024)}`;
    const phones = Array.from({ length: 50 }, (_, i) => `${big}${i}`);
    const encoded = encodeInput(disable, { PhoneNumbers: phones, Disabled: 1 });
    expect(rules(encoded)).toEqual(["(input):maxBodyBytes"]);
    expect(encoded.violations[0]!.message).toContain(`${MAX_REQUEST_BYTES} bytes`);
    expect(encoded.body.length).toBeLessThanOrEqual(MAX_REQUEST_BYTES + 2 * big.length);
  });

  it("counts UTF-8 bytes, not characters", () => {
    const chars = Math.ceil(MAX_REQUEST_BYTES / 3) + 10; // 3 bytes each in UTF-8
    const encoded = encodeInput(disable, { PhoneNumbers: [`0086${"中".repeat(chars)}`], Disabled: 1 });
    expect(rules(encoded)).toEqual(["(input):maxBodyBytes"]);
    const small = encodeInput(disable, { PhoneNumbers: [`0086${"中".repeat(1000)}`], Disabled: 1 });
    expect(small.violations).toEqual([]);
  });

  it("applies with validation off too", () => {
    const encoded = encodeInput(disable, { PhoneNumbers: ["x".repeat(MAX_REQUEST_BYTES + 1)] }, { validate: false });
    expect(rules(encoded)).toEqual(["(input):maxBodyBytes"]);
  });
});

describe("with validation off", () => {
  it("sends any JSON the caller gives, bigints written exactly, and still never throws", () => {
    const encoded = encodeInput(
      disable,
      { Anything: [1, "x", { Deep: 12345678901234567890n }], Disabled: "1" },
      { validate: false },
    );
    expect(encoded.violations).toEqual([]);
    expect(encoded.body).toBe('{"Anything":[1,"x",{"Deep":12345678901234567890}],"Disabled":"1"}');
  });
});

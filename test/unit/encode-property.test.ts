/**
 * A property over every action of the spec: whatever the input — valid values, wrong types, and what JavaScript
 * lets a caller hand over (getters, toJSON, prototypes, holes, bigints, cycles, throwing Proxies) — `encodeInput`
 * never throws, and when it finds nothing wrong, the body it wrote is valid against the action's request schema in
 * generated/openapi.json, checked by Ajv: an oracle that shares no code with the SDK's validator. It also reads
 * back to the same body.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commands } from "../../generated/client.js";
import type { MemberShape, Shape } from "../../src/action.js";
import { exactValue, parseAnswer } from "../../src/answer.js";
import { encodeInput } from "../../src/validate.js";

const document = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8")) as object;
const ajv = new Ajv2020({ strict: false, allErrors: false, formats: { int64: true, uint64: true, double: true } });
ajv.addSchema(document, "openapi");
const schemaOf = (action: string) => ajv.getSchema(`openapi#/components/schemas/${action}Request`)!;

const RUNS_PER_ACTION = 60;
const MAX_DEPTH = 3;

/** Values a member of this shape may hold when correct. */
function validScalar(member: MemberShape, depth: number): fc.Arbitrary<unknown> {
  if (member.enum) return fc.constantFrom(...member.enum);
  switch (member.type) {
    case "string":
      return member.pattern ? fc.stringMatching(new RegExp(member.pattern, "u")) : fc.string({ unit: "grapheme" });
    case "int64":
      return fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.maxSafeInteger());
    case "uint64":
      return fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.maxSafeNat());
    case "float":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "bool":
      return fc.boolean();
    case "model":
      return depth >= MAX_DEPTH ? fc.constant({}) : objectOf(member.model!(), depth + 1);
  }
}

/** What a caller might pass instead: wrong types, edge numbers, and objects that behave. */
const wrongScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, NaN, Infinity, -0, 2 ** 53, 2 ** 64, "", "1", true, 1.5, [], {}, Symbol("s")),
  fc.bigInt(),
  fc.string(),
  fc.integer(),
  fc.date({ noInvalidDate: true }),
);

/** `value` wrapped the ways JavaScript allows: boxed, behind toJSON, behind a getter that changes its mind. */
function disguised(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: value },
    value.map((v) => ({ toJSON: () => v })),
    value.map((v) => (typeof v === "string" ? new String(v) : typeof v === "number" ? new Number(v) : v)),
    fc.constant({
      toJSON() {
        throw new Error("toJSON throws");
      },
    }),
    fc.constant(
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error("trap");
          },
        },
      ),
    ),
  );
}

function memberValue(member: MemberShape, depth: number): fc.Arbitrary<unknown> {
  const scalar = disguised(fc.oneof({ weight: 4, arbitrary: validScalar(member, depth) }, wrongScalar));
  if (!member.list) return scalar;
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(scalar, { maxLength: 4 }) },
    fc.array(scalar, { maxLength: 4 }).map((items) => {
      const sparse = [...items];
      sparse.length += 2; // holes at the end
      return sparse;
    }),
    fc.array(validScalar(member, depth), { minLength: 1, maxLength: 3 }).map((items) => [...items, items[0]]),
    scalar,
  );
}

/** An object for `shape`: some of its members, sometimes an unknown one, sometimes members on the prototype. */
function objectOf(shape: Shape, depth: number): fc.Arbitrary<unknown> {
  const names = Object.keys(shape);
  const members = fc.record(Object.fromEntries(names.map((n) => [n, memberValue(shape[n]!, depth)])), {
    requiredKeys: names.filter((n) => shape[n]!.required),
  });
  return fc
    .tuple(members, fc.constantFrom("plain", "unknown", "inherited", "getter", "cycle"), fc.constantFrom(...names, "X"))
    .map(([object, how, name]) => {
      const value = object as Record<string, unknown>;
      switch (how) {
        case "unknown":
          return { ...value, Unknown: 1 };
        case "inherited": {
          const { [name]: moved, ...rest } = value;
          return Object.assign(Object.create({ [name]: moved }) as object, rest);
        }
        case "getter": {
          let reads = 0;
          const original = value[name];
          return Object.defineProperty({ ...value }, name, {
            enumerable: true,
            get: () => (reads++ === 0 ? original : "changed"),
          });
        }
        case "cycle": {
          const copy: Record<string, unknown> = { ...value };
          copy[name] = copy;
          return copy;
        }
        default:
          return value;
      }
    });
}

/** The body read back losslessly: bigints where JSON.parse would round. */
function readBack(body: string): unknown {
  const parsed = parseAnswer(body);
  return exactValue(parsed.value, parsed.unsafe);
}

describe("encodeInput over every action of the spec", () => {
  const actions = Object.values(commands);

  it("covers all 84 actions", () => {
    expect(actions).toHaveLength(84);
  });

  it.each(actions.map((a) => [a.name, a] as const))(
    "%s: never throws; a clean result is a body valid against openapi.json and reads back the same",
    (name, action) => {
      const check = schemaOf(name);
      fc.assert(
        fc.property(objectOf(action.input, 0), (input) => {
          let encoded: ReturnType<typeof encodeInput>;
          try {
            encoded = encodeInput(action.input, input);
          } catch (e) {
            throw new Error(`encodeInput threw ${String(e)}`);
          }
          if (encoded.violations.length) return;
          const wire = JSON.parse(encoded.body) as unknown;
          if (!check(wire))
            throw new Error(`clean, but the wire form breaks the schema: ${ajv.errorsText(check.errors)}`);
          const again = encodeInput(action.input, readBack(encoded.body));
          expect(again.violations).toEqual([]);
          expect(again.body).toBe(encoded.body);
        }),
        { numRuns: RUNS_PER_ACTION },
      );
    },
  );

  it("finds violations for a good share of generated inputs (the generator is not too tame)", () => {
    let clean = 0;
    let dirty = 0;
    for (const action of actions)
      fc.assert(
        fc.property(objectOf(action.input, 0), (input) => {
          if (encodeInput(action.input, input).violations.length) dirty++;
          else clean++;
        }),
        { numRuns: 10 },
      );
    expect(clean).toBeGreaterThan(50);
    expect(dirty).toBeGreaterThan(50);
  });
});

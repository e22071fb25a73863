/**
 * An independent oracle for the validator: Ajv over generated/openapi.json, which shares no code with
 * src/validate.ts. For JSON inputs generated from every action's shape (right and wrong types, values in and out of
 * enums and patterns, missing and unknown members, list rules), both must accept or both reject. The one
 * intended difference is excluded from the generator: integers beyond ±2^53, which JSON Schema calls integers and
 * the client refuses as numbers (they have already lost digits; a bigint is asked for).
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commands } from "../../generated/client.js";
import type { MemberShape, Shape } from "../../src/action.js";
import { validate } from "../../src/validate.js";

const document = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8")) as object;
const ajv = new Ajv2020({ strict: false, formats: { int64: true, uint64: true, double: true } });
ajv.addSchema(document, "openapi");

const RUNS_PER_ACTION = 80;
const MAX_DEPTH = 3;

/** JSON values of any kind, safe numbers only. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, "", "0086", 0, -1, 1.5, 2 ** 53 - 1, -(2 ** 53 - 1)),
  fc.string(),
  fc.integer(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom("a", "SdkAppId"), fc.integer(), { maxKeys: 2 }),
);

function scalarValue(member: MemberShape, depth: number): fc.Arbitrary<unknown> {
  const right = ((): fc.Arbitrary<unknown> => {
    switch (member.type) {
      case "string":
        return member.pattern ? fc.stringMatching(new RegExp(member.pattern, "u")) : fc.string();
      case "int64":
        return fc.maxSafeInteger();
      case "uint64":
        return fc.maxSafeNat();
      case "float":
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case "bool":
        return fc.boolean();
      case "model":
        return depth >= MAX_DEPTH ? fc.constant({}) : objectOf(member.model!(), depth + 1);
    }
  })();
  const choices = [
    { weight: 5, arbitrary: right },
    { weight: 2, arbitrary: anyJson },
  ];
  if (member.enum) choices.push({ weight: 5, arbitrary: fc.constantFrom(...member.enum) });
  return fc.oneof(...choices);
}

function memberValue(member: MemberShape, depth: number): fc.Arbitrary<unknown> {
  const item = scalarValue(member, depth);
  if (!member.list) return item;
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(item, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }).map((xs) => [...xs, xs[0]]) },
    { weight: 1, arbitrary: item },
  );
}

function objectOf(shape: Shape, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(shape);
  const members = fc.record(Object.fromEntries(names.map((n) => [n, memberValue(shape[n]!, depth)])), {
    requiredKeys: [],
  });
  return fc.tuple(members, fc.boolean(), fc.boolean()).map(([value, allRequired, unknown]) => {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    // Mostly keep the required members, so that the other rules are reached too.
    if (allRequired)
      for (const n of names)
        if (shape[n]!.required && !(n in out)) out[n] = fc.sample(memberValue(shape[n]!, depth), 1)[0];
    if (unknown) out.NotAMember = 1;
    return out;
  });
}

describe("the validator and Ajv over openapi.json agree", () => {
  const actions = Object.values(commands);

  it.each(actions.map((a) => [a.name, a] as const))("%s: both accept or both reject", (name, action) => {
    const check = ajv.getSchema(`openapi#/components/schemas/${name}Request`)!;
    let accepted = 0;
    fc.assert(
      fc.property(objectOf(action.input, 0), (input) => {
        const ours = validate(action.input, input);
        const theirs = check(input);
        if (theirs) accepted++;
        if (theirs !== (ours.length === 0))
          throw new Error(
            `disagree on ${JSON.stringify(input)}: validator ${ours.length ? `refuses (${ours.map((v) => v.message).join("; ")})` : "accepts"}, Ajv ${theirs ? "accepts" : `refuses (${ajv.errorsText(check.errors)})`}`,
          );
      }),
      { numRuns: RUNS_PER_ACTION },
    );
    void accepted;
  });

  it("the generated inputs are accepted often enough to reach every rule", () => {
    let accepted = 0;
    let total = 0;
    for (const action of actions) {
      const check = ajv.getSchema(`openapi#/components/schemas/${action.name}Request`)!;
      for (const input of fc.sample(objectOf(action.input, 0), 10)) {
        total++;
        if (check(input)) accepted++;
      }
    }
    expect(accepted / total).toBeGreaterThan(0.1);
    expect(accepted / total).toBeLessThan(0.9);
  });
});

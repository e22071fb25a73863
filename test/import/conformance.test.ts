/**
 * spec/ against Tencent's own definition, independently of the importer's code: every action and model of
 * api.zh.json has a spec and every spec an api.zh.json object, member for member (name, type, list-ness, required,
 * and for answers nullable), but for what the spec marks as taken from a further source (`from`: the official
 * SDK's declarations, newer than api.zh.json), which api.zh.json must then lack; and every official example request of examples.zh.json goes through the generated
 * client's validation: what it refuses must be a spec example marked `invalid` with the reason. The list of those
 * is printed for the closing note.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseExampleInput, type ApiJson, type ApiMember } from "../../codegen/import/apijson.js";
import type { Member, Service } from "../../codegen/ir.js";
import { loadSpec } from "../../codegen/load.js";
import { commands } from "../../generated/index.js";
import type { Shape } from "../../src/action.js";
import { validate } from "../../src/validate.js";
import { reference, REPO } from "../support/paths.js";

const SHARED = reference("ccc");

let api: ApiJson;
let examples: { actions: Record<string, { title: string; input: string; output: string }[]> };
let service: Service;
/** The models the spec marks as taken from a further source. */
let fromElsewhere: Service;
let marked: { owner: string; member: string; from: string }[];
let modelNames: string[];
/** Models some action's input reaches; answer-only models take output_required. */
const inputModels = new Set<string>();
const outputModels = new Set<string>();

beforeAll(async () => {
  api = JSON.parse(await readFile(path.join(SHARED, "api.zh.json"), "utf8")) as ApiJson;
  examples = JSON.parse(await readFile(path.join(SHARED, "examples.zh.json"), "utf8")) as typeof examples;
  const whole = await loadSpec(path.join(REPO, "spec"));
  marked = [
    ...whole.actions.flatMap((a) =>
      [...a.input, ...a.output].flatMap((m) => (m.from ? [{ owner: a.name, member: m.name, from: m.from }] : [])),
    ),
    ...whole.models.flatMap((o) =>
      o.members.flatMap((m) => (m.from && !o.from ? [{ owner: o.name, member: m.name, from: m.from }] : [])),
    ),
  ];
  service = whole;
  // What a further source gave (spec `from`) is not api.zh.json's: compared below only to be absent from it.
  fromElsewhere = {
    ...service,
    models: service.models.filter((m) => m.from !== undefined),
  };
  service = {
    ...service,
    actions: service.actions.map((a) => ({
      ...a,
      input: a.input.filter((m) => m.from === undefined),
      output: a.output.filter((m) => m.from === undefined),
    })),
    models: service.models
      .filter((m) => m.from === undefined)
      .map((m) => ({ ...m, members: m.members.filter((x) => x.from === undefined) })),
  };
  const io = new Set(Object.values(api.actions).flatMap((a) => [a.input, a.output]));
  modelNames = Object.keys(api.objects)
    .filter((n) => !io.has(n))
    .sort();
  const walk = (object: string, into: Set<string>) => {
    for (const m of api.objects[object]!.members)
      if ((m.type === "object" || m.type === "list") && api.objects[m.member] && !into.has(m.member)) {
        into.add(m.member);
        walk(m.member, into);
      }
  };
  for (const a of Object.values(api.actions)) {
    walk(a.input, inputModels);
    walk(a.output, outputModels);
  }
});

/** api.json's type as the spec writes it. */
function expectedType(m: ApiMember): { type: string; list: boolean } {
  if (m.type === "int") return { type: m.member, list: false };
  if (m.type === "list") return { type: m.member, list: true };
  return { type: m.member, list: false };
}

interface Expected {
  type: string;
  list: boolean;
  required: boolean;
  nullable?: boolean;
}

function compare(
  owner: string,
  apiMembers: ApiMember[],
  spec: readonly Member[],
  expected: (m: ApiMember) => Expected,
) {
  const problems: string[] = [];
  const byName = new Map(spec.map((m) => [m.name, m]));
  const apiNames = apiMembers.map((m) => m.name).sort();
  const specNames = spec.map((m) => m.name).sort();
  if (JSON.stringify(apiNames) !== JSON.stringify(specNames))
    problems.push(`${owner}: members ${JSON.stringify(specNames)} but api.zh.json has ${JSON.stringify(apiNames)}`);
  for (const m of apiMembers) {
    const s = byName.get(m.name);
    if (!s) continue;
    const want = expected(m);
    const got: Expected = { type: s.type.name, list: s.list, required: s.required };
    if (want.nullable !== undefined) got.nullable = s.nullable;
    if (JSON.stringify(got) !== JSON.stringify(want))
      problems.push(`${owner}.${m.name}: spec ${JSON.stringify(got)}, api.zh.json ${JSON.stringify(want)}`);
    if (m.disabled && !s.deprecated) problems.push(`${owner}.${m.name}: disabled in api.zh.json but not deprecated`);
  }
  return problems;
}

describe("spec/ conforms to api.zh.json", () => {
  it("has what it marks as taken from a further source (`from`) only where api.zh.json lacks it", () => {
    expect(fromElsewhere.models.map((m) => m.name)).toEqual([
      "AICallAPICallAttempt",
      "AICallAPICallDetail",
      "AICallAPICallRequestDetail",
      "AICallAPICallResponseDetail",
    ]);
    for (const m of fromElsewhere.models) expect(api.objects[m.name], m.name).toBeUndefined();
    expect(marked.map((m) => `${m.owner}.${m.member}`).sort()).toEqual([
      "AIRoundPath.APICall",
      "AISpeakEvent.KnowledgeName",
      "CreateAIAgentCall.AcquireTimeoutSecond",
    ]);
    for (const m of marked) {
      const object = api.objects[api.actions[m.owner]?.input ?? m.owner]!;
      expect(
        object.members.some((x) => x.name === m.member),
        `${m.owner}.${m.member}`,
      ).toBe(false);
      expect(m.from).toBe("tencentcloud-sdk-nodejs@4.1.313 ccc_models.d.ts");
    }
  });

  it("has exactly the 84 actions and every model of api.zh.json", () => {
    expect(Object.keys(api.actions)).toHaveLength(84);
    expect(service.actions.map((a) => a.name)).toEqual(Object.keys(api.actions).sort());
    expect(service.models.map((m) => m.name)).toEqual(modelNames);
    expect(modelNames.length).toBe(Object.keys(api.objects).length - 2 * 84);
  });

  it("every action's input and output, member for member", () => {
    const problems: string[] = [];
    for (const a of service.actions) {
      const def = api.actions[a.name]!;
      // Inputs: required as given (a disabled member is never required).
      problems.push(
        ...compare(`${a.name}.input`, api.objects[def.input]!.members, a.input, (m) => ({
          ...expectedType(m),
          required: m.required === true && !m.disabled,
        })),
      );
      // Outputs: required = output_required, nullable = value_allowed_null; RequestId is the generator's.
      problems.push(
        ...compare(
          `${a.name}.output`,
          api.objects[def.output]!.members.filter((m) => m.name !== "RequestId"),
          a.output,
          (m) => ({
            ...expectedType(m),
            required: m.output_required === true && !m.disabled,
            nullable: m.value_allowed_null === true,
          }),
        ),
      );
    }
    expect(problems).toEqual([]);
  });

  it("every model, member for member: inputs' models by `required`, answer-only models by `output_required`", () => {
    const problems: string[] = [];
    for (const model of service.models) {
      const byInput = inputModels.has(model.name);
      problems.push(
        ...compare(model.name, api.objects[model.name]!.members, model.members, (m) => ({
          ...expectedType(m),
          required: !m.disabled && (byInput ? m.required === true : m.output_required === true),
          nullable: m.value_allowed_null === true && (!byInput || outputModels.has(model.name)),
        })),
      );
    }
    expect(problems).toEqual([]);
  });

  it("every member deprecated without being disabled says why in its spec's notes", () => {
    const problems: string[] = [];
    for (const a of service.actions)
      for (const [where, list] of [
        ["input", a.input],
        ["output", a.output],
      ] as const)
        for (const m of list) {
          const def = api.objects[where === "input" ? api.actions[a.name]!.input : api.actions[a.name]!.output]!;
          if (m.deprecated && !def.members.find((x) => x.name === m.name)?.disabled)
            if (!a.notes.some((n) => n.includes(`\`${where}.${m.name}\``)))
              problems.push(`${a.name}.${where}.${m.name}`);
        }
    expect(problems).toEqual([]);
  });
});

describe("official example requests through the client's validation", () => {
  it("every request the generated validation refuses is a spec example marked invalid, with the reason", () => {
    const refused: string[] = [];
    const problems: string[] = [];
    let checked = 0;
    for (const [name, list] of Object.entries(examples.actions)) {
      const command = (commands as Record<string, { input: Shape }>)[name];
      const spec = service.actions.find((a) => a.name === name);
      if (!command || !spec) {
        problems.push(`${name}: no generated command or no spec`);
        continue;
      }
      list.forEach((ex, i) => {
        const parsed = parseExampleInput(ex.input, api, api.actions[name]!.input);
        if ("error" in parsed) {
          problems.push(`${name} example ${i + 1}: unreadable (${parsed.error})`);
          return;
        }
        checked++;
        const violations = validate(command.input, parsed.request);
        const mine = spec.examples.find((x) => JSON.stringify(x.request) === JSON.stringify(parsed.request));
        const leftOut = spec.notes.some((n) => n.startsWith(`The official example ${i + 1} is left out`));
        if (violations.length) {
          const why = violations.map((v) => v.message).join("; ");
          refused.push(`${name} example ${i + 1} (${ex.title}): ${mine?.invalid ?? "NOT MARKED"} [validation: ${why}]`);
          if (!mine) problems.push(`${name} example ${i + 1} is refused (${why}) but is not in the spec`);
          else if (!mine.invalid?.trim())
            problems.push(`${name} example ${i + 1} is refused (${why}) but not marked invalid`);
        } else if (!mine && !leftOut)
          problems.push(`${name} example ${i + 1} passes but is neither in the spec nor noted as left out`);
        else if (mine?.invalid !== undefined)
          problems.push(`${name} example ${i + 1} passes but is marked invalid: ${mine.invalid}`);
      });
    }
    console.log(
      `Official example requests the client refuses (${refused.length} of ${checked}):\n${refused.map((r) => `  ${r}`).join("\n")}`,
    );
    expect(problems).toEqual([]);
    expect(checked).toBe(84);
    expect(refused.length).toBeGreaterThan(0);
  });
});

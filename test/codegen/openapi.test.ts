/**
 * The OpenAPI document of the real spec (lint-clean with Redocly's `recommended` rules, one `/#Action` path per
 * action, the constraints of the seed actions) and the pure ts-morph builders, tested without a Project.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { lintFromString, loadConfig, type NormalizedProblem } from "@redocly/openapi-core";
import { parse as parseYaml } from "yaml";
import {
  StructureKind,
  type JSDocStructure,
  type OptionalKind,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
} from "ts-morph";
import { beforeAll, describe, expect, it } from "vitest";
import { emitOpenApi } from "../../codegen/emit/openapi.js";
import {
  buildActionModule,
  buildClientModule,
  buildIndexModule,
  buildModelModule,
  buildServiceModule,
  type Module,
} from "../../codegen/emit/typescript.js";
import type { Action, Service } from "../../codegen/ir.js";
import { loadSpec } from "../../codegen/load.js";
import { SPEC_DIR } from "./helpers.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

let service: Service;
let doc: Obj;

beforeAll(async () => {
  service = await loadSpec(SPEC_DIR);
  doc = emitOpenApi(service) as Obj;
});

/** `doc` at a path of keys, failing with the path when a step is missing. */
function get(root: Json | undefined, ...keys: (string | number)[]): Json {
  let value: Json | undefined = root;
  for (const [i, key] of keys.entries()) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key))
      throw new Error(`no ${JSON.stringify(key)} at ${keys.slice(0, i).join(".") || "(root)"}`);
    value = (value as Record<string, Json>)[key];
  }
  return value as Json;
}

const schema = (name: string): Json => get(doc, "components", "schemas", name);

function action(name: string): Action {
  const a = service.actions.find((x) => x.name === name);
  if (!a) throw new Error(`no action ${name} in spec/`);
  return a;
}

describe("emitOpenApi(real spec)", () => {
  describe("Redocly lint: recommended ruleset, as redocly.yaml configures it", () => {
    let problems: NormalizedProblem[];
    beforeAll(async () => {
      const config = await loadConfig({ configPath: path.join(SPEC_DIR, "..", "redocly.yaml") });
      problems = await lintFromString({
        source: JSON.stringify(doc, null, 2),
        absoluteRef: path.join(SPEC_DIR, "..", "generated", "openapi.json"),
        config,
      });
    }, 30_000);

    const show = (severity: string) =>
      problems
        .filter((p) => p.severity === severity && !p.ignored)
        .map((p) => `${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(", ")}`);

    it("reports no errors", () => {
      expect(show("error")).toEqual([]);
    });

    it("reports no warnings", () => {
      expect(show("warn")).toEqual([]);
    });

    it("redocly.yaml extends recommended and turns off only operation-4xx-response (Tencent errors are HTTP 200)", async () => {
      const raw = parseYaml(await readFile(path.join(SPEC_DIR, "..", "redocly.yaml"), "utf8")) as {
        extends: string[];
        rules: Record<string, string>;
      };
      expect(raw.extends).toEqual(["recommended"]);
      expect(raw.rules).toEqual({ "operation-4xx-response": "off" });
    });
  });

  it("is OpenAPI 3.1 and has one path per action file", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const files = (await readdir(path.join(SPEC_DIR, "actions"))).filter((f) => /\.ya?ml$/.test(f));
    const names = files.map((f) => f.replace(/\.ya?ml$/, "")).sort();
    expect(Object.keys(get(doc, "paths") as Obj).sort()).toEqual(names.map((n) => `/#${n}`).sort());
    expect(service.actions.map((a) => a.name)).toEqual(names);
  });

  it("gives every action `/#Action` with exactly one post, its operationId, a closed request and Response | Error", () => {
    expect(service.actions.length).toBeGreaterThan(0);
    for (const a of service.actions) {
      const item = get(doc, "paths", `/#${a.name}`) as Obj;
      expect(Object.keys(item), a.name).toEqual(["post"]);
      const post = get(item, "post");
      expect(get(post, "operationId")).toBe(a.name);
      expect(get(post, "requestBody", "content", "application/json", "schema")).toEqual({
        $ref: `#/components/schemas/${a.name}Request`,
      });
      expect(get(schema(`${a.name}Request`), "type")).toBe("object");
      expect(get(schema(`${a.name}Request`), "additionalProperties"), a.name).toBe(false);
      const ok = get(post, "responses", "200", "content", "application/json", "schema");
      expect(get(ok, "required")).toEqual(["Response"]);
      expect(get(ok, "properties", "Response", "anyOf")).toEqual([
        { $ref: `#/components/schemas/${a.name}Response` },
        { $ref: "#/components/schemas/ErrorResponse" },
      ]);
      expect(get(schema(`${a.name}Response`), "required")).toContain("RequestId");
      expect(get(post, "parameters", 0)).toMatchObject({
        name: "X-TC-Action",
        in: "header",
        schema: { const: a.name },
      });
      expect(get(post, "x-tc-idempotent")).toBe(a.idempotent);
    }
    expect(get(schema("ErrorResponse"), "required")).toEqual(["Error", "RequestId"]);
  });

  it("tags each operation with its group of service.yaml, every tag defined", () => {
    const defined = (doc.tags as Obj[]).map((t) => t.name);
    expect(defined).toEqual([...service.groups.map((g) => g.id), service.name]);
    const tagOf = (action: string) => (((doc.paths as Obj)[`/#${action}`] as Obj).post as Obj).tags;
    expect(tagOf("DisableCCCPhoneNumber")).toEqual(["numbers"]);
    expect(tagOf("CreateStaff")).toEqual(["agents"]);
    for (const op of Object.values(doc.paths as Obj))
      expect(defined).toContain((((op as Obj).post as Obj).tags as Json[])[0]);
  });

  it("carries the constraints of DisableCCCPhoneNumber", () => {
    const request = schema("DisableCCCPhoneNumberRequest");
    expect(get(request, "properties", "Disabled", "enum")).toEqual([0, 1]);
    expect(get(request, "properties", "Disabled", "type")).toBe("integer");
    const numbers = get(request, "properties", "PhoneNumbers");
    expect(numbers).toMatchObject({
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { type: "string", pattern: "^0086" },
    });
    expect(get(request, "required")).toEqual(["Disabled", "PhoneNumbers"]);
    expect(get(request, "properties", "SdkAppId")).toMatchObject({ type: "integer", minimum: 0 });
  });

  it("carries the members of OwnNumberApplyDetailItem and ModifyOwnNumberApply", () => {
    expect(get(schema("OwnNumberApplyDetailItem"), "properties", "CallType", "enum")).toEqual([0, 1, 2]);
    const request = schema("ModifyOwnNumberApplyRequest");
    expect(Object.keys(get(request, "properties") as Obj).sort()).toEqual(
      [
        "ApplyId",
        "CalleeFormatPassthrough",
        "CallerFormatPassthrough",
        "DetailList",
        "InternationalNumberPrefix",
        "LocalNumberTrimAC",
        "MobileNddPrefix",
        "Prefix",
        "SdkAppId",
      ].sort(),
    );
    expect(get(request, "properties", "DetailList")).toMatchObject({
      type: "array",
      items: { $ref: "#/components/schemas/OwnNumberApplyDetailItem" },
    });
    expect(get(request, "required")).toEqual(["DetailList", "SdkAppId"]);
  });

  it("keeps the example requests of the specs as request examples", () => {
    const examples = get(
      doc,
      "paths",
      "/#DisableCCCPhoneNumber",
      "post",
      "requestBody",
      "content",
      "application/json",
      "examples",
    );
    expect(get(examples, "example1", "value")).toEqual({ SdkAppId: 1, PhoneNumbers: ["008602112345678"], Disabled: 0 });
  });
});

function statements(module: Module): StatementStructures[] {
  const s = module.structure.statements;
  if (!Array.isArray(s)) throw new Error("statements are not structures");
  return s.filter((x): x is StatementStructures => typeof x === "object" && x !== null && "kind" in x);
}

function docText(docs: (OptionalKind<JSDocStructure> | string)[] | undefined): string {
  return (docs ?? []).map((d) => (typeof d === "string" ? d : String(d.description ?? ""))).join("\n");
}

function typeAliases(module: Module): TypeAliasDeclarationStructure[] {
  return statements(module).filter((s): s is TypeAliasDeclarationStructure => s.kind === StructureKind.TypeAlias);
}

function constants(module: Module): VariableStatementStructure[] {
  return statements(module).filter((s): s is VariableStatementStructure => s.kind === StructureKind.VariableStatement);
}

describe("ts-morph builders (pure, no Project)", () => {
  it("buildActionModule(DisableCCCPhoneNumber) returns the command, its types and its documentation", () => {
    const a = action("DisableCCCPhoneNumber");
    const module = buildActionModule(a, service);
    expect(module.path).toBe("actions/DisableCCCPhoneNumber.ts");
    expect(module.structure.kind).toBe(StructureKind.SourceFile);
    expect(String(module.structure.leadingTrivia)).toMatch(/^\/\/ Code generated by .*DO NOT EDIT\./);

    const aliases = typeAliases(module);
    expect(aliases.map((t) => t.name)).toEqual([
      "DisableCCCPhoneNumberRequest",
      "DisableCCCPhoneNumberResponse",
      "DisableCCCPhoneNumberErrorCode",
    ]);
    for (const t of aliases) expect(t.isExported, t.name).toBe(true);
    expect(aliases[0]!.type).toBe('components["schemas"]["DisableCCCPhoneNumberRequest"]');
    expect(aliases[1]!.type).toBe('components["schemas"]["DisableCCCPhoneNumberResponse"]');

    const commands = constants(module);
    expect(commands).toHaveLength(1);
    const command = commands[0]!;
    expect(command.isExported).toBe(true);
    expect(command.declarations.map((d) => d.name)).toEqual(["DisableCCCPhoneNumberCommand"]);
    const init = String(command.declarations[0]!.initializer);
    // Annotated, so the published declaration stays one line.
    expect(command.declarations[0]!.type).toBe(
      "ActionDefinition<DisableCCCPhoneNumberRequest, DisableCCCPhoneNumberResponse, DisableCCCPhoneNumberErrorCode>",
    );
    expect(init).toMatch(/^\{ name: "DisableCCCPhoneNumber", /);
    expect(init).toContain('path: "/#DisableCCCPhoneNumber"');
    expect(init).toContain("idempotent: true");
    expect(init).toContain("rateLimitPerSecond: 20");
    // The command's own docs are short and point to the client method, which carries the full text once.
    expect(docText(command.docs)).toContain("{@link CccClient.disableCCCPhoneNumber}");

    expect(a.errors).toHaveLength(16);
    const union = String(aliases[2]!.type);
    const method = statements(buildClientModule(service))
      .flatMap((st) => (st.kind === StructureKind.Class ? (st.methods ?? []) : []))
      .find((m) => m.name === "disableCCCPhoneNumber");
    const docs = docText(method?.docs);
    expect(docs).toContain("@example");
    expect(docs).toContain("client.disableCCCPhoneNumber(");
    // The action's own codes are listed and in the union once; the common ones it repeats come with CommonErrorCode.
    const common = new Set(service.commonErrors.map((e) => e.code));
    expect(a.errors.some((e) => common.has(e.code))).toBe(true);
    for (const e of a.errors) {
      const own = !common.has(e.code);
      expect(docs.includes(`- \`${e.code}\`: `), e.code).toBe(own);
      expect(union.includes(JSON.stringify(e.code)), e.code).toBe(own);
    }
    expect(union).toContain("CommonErrorCode");
    expect(union.endsWith("| CommonErrorCode")).toBe(true);
    expect(docs).toContain("@see https://cloud.tencent.com/document/product/679/80901");
  });

  it("is pure: the same input gives deep-equal structures, and the IR is not modified", () => {
    const a = action("DisableCCCPhoneNumber");
    const before = JSON.stringify(service);
    expect(buildActionModule(a, service)).toEqual(buildActionModule(a, service));
    expect(buildClientModule(service)).toEqual(buildClientModule(service));
    expect(JSON.stringify(service)).toBe(before);
  });

  it("buildModelModule returns the model type and its shape", () => {
    const model = service.models.find((m) => m.name === "OwnNumberApplyDetailItem");
    expect(model).toBeDefined();
    const module = buildModelModule(model!);
    expect(module.path).toBe("models/OwnNumberApplyDetailItem.ts");
    expect(typeAliases(module).map((t) => t.name)).toEqual(["OwnNumberApplyDetailItem"]);
    const shape = constants(module)[0]!;
    expect(shape.declarations[0]!.name).toBe("OwnNumberApplyDetailItemShape");
    expect(String(shape.declarations[0]!.initializer)).toContain(
      '"CallType": { type: "int64", required: true, enum: [0,1,2] }',
    );
  });

  it("buildServiceModule, buildClientModule and buildIndexModule cover every action and model", () => {
    const serviceModule = buildServiceModule(service, { name: "ccc-sdk", version: "9.8.7" });
    const common = typeAliases(serviceModule).find((t) => t.name === "CommonErrorCode");
    for (const e of service.commonErrors) expect(String(common?.type)).toContain(JSON.stringify(e.code));
    // The client's X-TC-RequestClient: the package's name and version.
    expect(JSON.stringify(statements(serviceModule))).toContain('client: \\"ccc-sdk/9.8.7\\"');

    const client = statements(buildClientModule(service));
    const classes = client.filter((s) => s.kind === StructureKind.Class);
    const full = classes.find((c) => c.name === "CccClient");
    // One method per action, the lookup `call()` uses, a paginate method per paging action, a wait method per waiter.
    expect(full?.methods?.map((m) => m.name)).toEqual([
      "knownAction",
      ...service.actions.map((a) => a.methodName),
      ...service.actions.filter((a) => a.paginator).map((a) => `paginate${a.name}`),
      ...service.actions.flatMap((a) => a.waiters.map((w) => `waitUntil${w.name}`)),
    ]);
    expect(service.actions.map((a) => a.methodName)).toContain("disableCCCPhoneNumber");

    const index = statements(buildIndexModule(service)).map((s) =>
      s.kind === StructureKind.ExportDeclaration ? s.moduleSpecifier : undefined,
    );
    expect(index).toEqual([
      "./client.js",
      "./service.js",
      ...service.actions.map((a) => `./actions/${a.name}.js`),
      ...service.models.map((m) => `./models/${m.name}.js`),
    ]);
  });
});

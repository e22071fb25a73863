/**
 * The ts-morph emitters. Each `build*` function is pure: it returns ts-morph structures for one file, so it can
 * be tested without a Project; `printModules` turns structures into source text.
 */
import {
  Project,
  Scope,
  StructureKind,
  VariableDeclarationKind,
  type ClassDeclarationStructure,
  type ImportDeclarationStructure,
  type MethodDeclarationStructure,
  type OptionalKind,
  type SourceFileStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
} from "ts-morph";
import { en, type Action, type Model, type Service } from "../ir.js";
import {
  actionDocs,
  CALL_THROWS,
  commandDocs,
  docSafe,
  header,
  literal,
  modelDocs,
  modelRefs,
  shapeLiteral,
} from "./shared.js";

const GENERATOR = "codegen/emit/typescript.ts";

/** A file to emit: its path under generated/ and its structure. */
export interface Module {
  readonly path: string;
  readonly structure: SourceFileStructure;
}

/** Imports, grouped and sorted in one place: `{ from: { name: typeOnly } }`. */
class Imports {
  private readonly byModule = new Map<string, Map<string, boolean>>();
  add(from: string, name: string, typeOnly = false): this {
    const names = this.byModule.get(from) ?? new Map<string, boolean>();
    names.set(name, (names.get(name) ?? true) && typeOnly);
    this.byModule.set(from, names);
    return this;
  }
  structures(): ImportDeclarationStructure[] {
    return [...this.byModule.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([from, names]) => {
        const list = [...names.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
        const allTypes = list.every(([, t]) => t);
        return {
          kind: StructureKind.ImportDeclaration,
          moduleSpecifier: from,
          isTypeOnly: allTypes,
          namedImports: list.map(([name, t]) => ({ name, isTypeOnly: !allTypes && t })),
        };
      });
  }
}

function typeAlias(name: string, type: string, docs: string): TypeAliasDeclarationStructure {
  return { kind: StructureKind.TypeAlias, name, type, isExported: true, docs: [docSafe(docs)] };
}

function constant(name: string, initializer: string, docs?: string, type?: string): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer, ...(type ? { type } : {}) }],
    ...(docs ? { docs: [docs] } : {}),
  };
}

function unionOf(values: readonly string[], rest: readonly string[] = []): string {
  return [...values.map((v) => literal(v)), ...rest].join(" | ") || "never";
}

export function buildModelModule(model: Model): Module {
  const imports = new Imports().add("../../src/action.js", "Shape", true).add("../openapi.js", "components", true);
  for (const ref of modelRefs(model.members)) if (ref !== model.name) imports.add(`./${ref}.js`, `${ref}Shape`);
  const statements: StatementStructures[] = [
    ...imports.structures(),
    typeAlias(model.name, `components["schemas"][${literal(model.name)}]`, modelDocs(model)),
    // Annotated (not `satisfies`) so that models referring to themselves or each other type-check.
    constant(`${model.name}Shape`, shapeLiteral(model.members), `Validation facts of {@link ${model.name}}.`, "Shape"),
  ];
  return {
    path: `models/${model.name}.ts`,
    structure: {
      kind: StructureKind.SourceFile,
      leadingTrivia: `${header(GENERATOR, `spec/${model.source}`)}\n`,
      statements,
    },
  };
}

export function buildActionModule(action: Action, service: Service): Module {
  const imports = new Imports()
    .add("../../src/action.js", "ActionDefinition", true)
    .add("../openapi.js", "components", true)
    .add("../service.js", "CommonErrorCode", true);
  for (const ref of modelRefs(action.input)) imports.add(`../models/${ref}.js`, `${ref}Shape`);
  const n = action.name;
  const statements: StatementStructures[] = [
    ...imports.structures(),
    typeAlias(
      `${n}Request`,
      `components["schemas"]["${n}Request"]`,
      `Input of {@link ${n}Command}: ${en(action.title)}.`,
    ),
    typeAlias(
      `${n}Response`,
      `components["schemas"]["${n}Response"]`,
      `Result of {@link ${n}Command}: the members of Tencent's \`Response\` object, \`RequestId\` included.`,
    ),
    typeAlias(
      `${n}ErrorCode`,
      // The action's own codes; the common ones come with CommonErrorCode (a page often repeats some of them).
      unionOf(
        action.errors.map((e) => e.code).filter((code) => !service.commonErrors.some((c) => c.code === code)),
        ["CommonErrorCode"],
      ),
      `Error codes {@link ${n}Command} may answer: the ones its page documents and the common ones.`,
    ),
    constant(
      `${n}Command`,
      `{ name: ${literal(n)}, path: ${literal(`/#${n}`)}, idempotent: ${action.idempotent}, ${action.rateLimitPerSecond ? `rateLimitPerSecond: ${action.rateLimitPerSecond}, ` : ""}input: ${shapeLiteral(action.input)} }`,
      commandDocs(action),
      // Annotated, so the published declaration is one line instead of the literal's expanded type.
      `ActionDefinition<${n}Request, ${n}Response, ${n}ErrorCode>`,
    ),
  ];
  return {
    path: `actions/${n}.ts`,
    structure: {
      kind: StructureKind.SourceFile,
      leadingTrivia: `${header(GENERATOR, `spec/${action.source}`)}\n`,
      statements,
    },
  };
}

/** What the generator knows of the package it generates for (its package.json): the client's `X-TC-RequestClient`. */
export interface PackageFacts {
  readonly name: string;
  readonly version: string;
}

export function buildServiceModule(service: Service, pkg: PackageFacts): Module {
  const retry = Object.fromEntries(service.commonErrors.filter((e) => e.retry).map((e) => [e.code, e.retry]));
  const statements: StatementStructures[] = [
    typeAlias(
      "CommonErrorCode",
      unionOf(service.commonErrors.map((e) => e.code)),
      "Error codes every action may answer (Tencent's common error codes).",
    ),
    constant(
      "service",
      // `as const` keeps the literal types (the client passes it on as a ServiceDefinition, which checks it).
      `{ name: ${literal(service.name)}, version: ${literal(service.version)}, endpoints: ${literal(service.endpoints)}, retry: ${literal(retry)}, client: ${literal(`${pkg.name}/${pkg.version}`)} } as const`,
      `Facts of the ${service.name} service the runtime needs.`,
    ),
  ];
  return {
    path: "service.ts",
    structure: {
      kind: StructureKind.SourceFile,
      leadingTrivia: `${header(GENERATOR, "spec/service.yaml")}\n`,
      statements,
    },
  };
}

export function buildClientModule(service: Service): Module {
  const imports = new Imports()
    .add("../src/client.js", "CccBaseClient")
    .add("../src/action.js", "ActionDefinition", true)
    .add("../src/client.js", "withFetchPath")
    .add("../src/client.js", "CallOptions", true)
    .add("../src/client.js", "CccPromise", true)
    .add("../src/client.js", "InputFor", true)
    .add("../src/client.js", "CccClientOptions", true)
    .add("../src/errors.js", "CccError")
    .add("./service.js", "service");
  for (const a of service.actions) {
    imports.add(`./actions/${a.name}.js`, `${a.name}Command`);
    imports.add(`./actions/${a.name}.js`, `${a.name}Request`, true);
    imports.add(`./actions/${a.name}.js`, `${a.name}Response`, true);
    imports.add(`./actions/${a.name}.js`, `${a.name}ErrorCode`, true);
  }
  const methods: OptionalKind<MethodDeclarationStructure>[] = service.actions.map((a) => ({
    name: a.methodName,
    docs: [actionDocs(a, service)],
    parameters: [
      { name: "input", type: `InputFor<${a.name}Request, O>` },
      { name: "options", type: "CallOptions", hasQuestionToken: true },
    ],
    returnType: `CccPromise<${a.name}Response>`,
    statements: [`return this.send(${a.name}Command, input, options);`],
  }));
  const bare: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: "CccBareClient",
    isExported: true,
    typeParameters: [{ name: "O", constraint: "CccClientOptions", default: "CccClientOptions" }],
    extends: "CccBaseClient<O>",
    docs: [
      [
        "The tree-shakable client: `await client.send(DisableCCCPhoneNumberCommand, input)`. Bundles only the commands you import.",
        "",
        'A `fetch` option or `use()` middleware also needs the `fetchPath` option (`import { fetchPath } from "ccc-sdk"`): openapi-fetch is bundled only then.',
        "",
        ...CALL_THROWS,
      ].join("\n"),
    ],
    ctors: [
      {
        parameters: [{ name: "options", type: "O", initializer: "{} as O" }],
        statements: ["super(service, options);"],
      },
    ],
  };
  const client: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: "CccClient",
    isExported: true,
    typeParameters: [{ name: "O", constraint: "CccClientOptions", default: "CccClientOptions" }],
    extends: "CccBareClient<O>",
    docs: [
      [
        `Client for every ${service.name} ${service.version} action: one method per action, named after it with the first letter lower-cased.`,
        "",
        ...CALL_THROWS,
      ].join("\n"),
    ],
    ctors: [
      {
        parameters: [{ name: "options", type: "O", initializer: "{} as O" }],
        // The client with everything has the fetch path (a `fetch` option, `use()`) without being given it.
        statements: ["super(withFetchPath(options) as O);"],
      },
    ],
    methods: [
      {
        name: "knownAction",
        scope: Scope.Protected,
        hasOverrideKeyword: true,
        docs: ["The spec's definition of the action `name`, for `call()`."],
        parameters: [{ name: "name", type: "string" }],
        returnType: "ActionDefinition | undefined",
        statements: ["return Object.hasOwn(commands, name) ? commands[name as ActionName] : undefined;"],
      },
      ...methods,
    ],
  };
  const statements: StatementStructures[] = [
    ...imports.structures(),
    // Written out rather than inferred, so every declaration can be emitted from its own file (isolatedDeclarations:
    // the package's .d.ts files are written without a type-check, codegen/build-dts.ts). A type alias, not an
    // interface, so it stays assignable to Record<string, ActionDefinition>.
    typeAlias(
      "Commands",
      `{ ${service.actions.map((a) => `readonly ${a.name}: typeof ${a.name}Command`).join("; ")} }`,
      "The type of `commands`: each action's command by action name.",
    ),
    constant(
      "commands",
      `{ ${service.actions.map((a) => `${a.name}: ${a.name}Command`).join(", ")} }`,
      "Every command by action name.",
      "Commands",
    ),
    typeAlias("ActionName", "keyof Commands", "Names of the actions this SDK knows."),
    {
      kind: StructureKind.Interface,
      name: "ErrorCodesByAction",
      isExported: true,
      docs: ["The error codes each action may answer; `CccError<A>` narrows `code` with it."],
      properties: service.actions.map((a) => ({ name: a.name, type: `${a.name}ErrorCode` })),
    },
    typeAlias(
      "CccActionError",
      "{ [A in keyof ErrorCodesByAction]: CccError<A, ErrorCodesByAction[A]> }[keyof ErrorCodesByAction]",
      'A `CccError` whose `code` narrows once `action` is known: `if (isCccError(e) && e.action === "DisableCCCPhoneNumber") switch (e.code) { … }`.',
    ),
    {
      kind: StructureKind.Function,
      name: "isCccError",
      isExported: true,
      docs: ["Type guard for API errors with per-action code narrowing."],
      parameters: [{ name: "error", type: "unknown" }],
      returnType: "error is CccActionError",
      statements: ["return error instanceof CccError;"],
    },
    bare,
    client,
  ];
  return {
    path: "client.ts",
    structure: { kind: StructureKind.SourceFile, leadingTrivia: `${header(GENERATOR, "spec/")}\n`, statements },
  };
}

export function buildIndexModule(service: Service): Module {
  const statements: StatementStructures[] = [
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./client.js" },
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./service.js" },
    ...service.actions.map((a) => ({
      kind: StructureKind.ExportDeclaration as const,
      moduleSpecifier: `./actions/${a.name}.js`,
    })),
    ...service.models.map((m) => ({
      kind: StructureKind.ExportDeclaration as const,
      moduleSpecifier: `./models/${m.name}.js`,
    })),
  ];
  return {
    path: "index.ts",
    structure: { kind: StructureKind.SourceFile, leadingTrivia: `${header(GENERATOR, "spec/")}\n`, statements },
  };
}

export function buildModules(service: Service, pkg: PackageFacts): Module[] {
  return [
    ...service.models.map(buildModelModule),
    ...service.actions.map((a) => buildActionModule(a, service)),
    buildServiceModule(service, pkg),
    buildClientModule(service),
    buildIndexModule(service),
  ];
}

/** Prints structures to source text with one in-memory ts-morph Project. */
export function printModules(modules: readonly Module[]): Map<string, string> {
  const project = new Project({ useInMemoryFileSystem: true });
  const out = new Map<string, string>();
  for (const m of modules)
    out.set(m.path, project.createSourceFile(`/${m.path}`, m.structure, { overwrite: true }).getFullText());
  return out;
}

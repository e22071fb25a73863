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
import { en, type Action, type Model, type Paginator, type Push, type Service, type Waiter } from "../ir.js";
import {
  actionDocs,
  CALL_THROWS,
  commandDocs,
  docSafe,
  header,
  literal,
  modelDocs,
  modelRefs,
  pushDocs,
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

const SECONDS_PER_DAY = 86_400;

/** The runtime's paginator definition (src/action.ts PaginatorDefinition) of a spec's paginator. */
function runtimePaginator(p: Paginator): Record<string, unknown> {
  const { timeWindow, ...rest } = p;
  return {
    ...rest,
    ...(timeWindow
      ? {
          timeWindow: {
            start: timeWindow.start,
            end: timeWindow.end,
            maxSpanSeconds: timeWindow.maxSpanDays * SECONDS_PER_DAY,
          },
        }
      : {}),
  };
}

/** The command's type: a paging action's names its items and paging members, so `paginate()` can type them. */
function commandType(action: Action): string {
  const n = action.name;
  const p = action.paginator;
  if (!p) return `ActionDefinition<${n}Request, ${n}Response, ${n}ErrorCode>`;
  return `PagedActionDefinition<${n}Request, ${n}Response, ${n}ErrorCode, ${literal(p.items)}, ${pagingMembers(p)}>`;
}

/** The paging members of a paginator as a union type: the ones `paginate()` sets on each page's input. */
export function pagingMembers(p: Paginator): string {
  return [p.position, p.size].map((m) => literal(m)).join(" | ");
}

function waiterConstant(action: Action, w: Waiter): VariableStatementStructure {
  const n = action.name;
  return constant(
    `${w.name}Waiter`,
    `{ name: ${literal(w.name)}, command: ${n}Command, minDelayMs: ${w.minDelayMs}, maxDelayMs: ${w.maxDelayMs}, acceptors: ${literal(w.acceptors)} }`,
    `${docSafe(en(w.description))} Polls {@link ${n}Command}; \`client.waitUntil${w.name}(input, { maxWaitMs })\` or \`waitUntil(client, ${w.name}Waiter, input, { maxWaitMs })\`.`,
    `WaiterDefinition<${n}Request, ${n}Response, ${n}ErrorCode>`,
  );
}

export function buildActionModule(action: Action, service: Service): Module {
  const imports = new Imports()
    .add("../../src/action.js", action.paginator ? "PagedActionDefinition" : "ActionDefinition", true)
    .add("../openapi.js", "components", true)
    .add("../service.js", "CommonErrorCode", true);
  for (const ref of modelRefs(action.input)) imports.add(`../models/${ref}.js`, `${ref}Shape`);
  if (action.waiters.length) imports.add("../../src/action.js", "WaiterDefinition", true);
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
      `{ name: ${literal(n)}, path: ${literal(`/#${n}`)}, idempotent: ${action.idempotent}, ${action.rateLimitPerSecond ? `rateLimitPerSecond: ${action.rateLimitPerSecond}, ` : ""}input: ${shapeLiteral(action.input)}${action.paginator ? `, paginator: ${literal(runtimePaginator(action.paginator))}` : ""} }`,
      commandDocs(action),
      // Annotated, so the published declaration is one line instead of the literal's expanded type.
      commandType(action),
    ),
    ...action.waiters.map((w) => waiterConstant(action, w)),
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
    for (const w of a.waiters) imports.add(`./actions/${a.name}.js`, `${w.name}Waiter`);
  }
  const paged = service.actions.filter((a) => a.paginator);
  const waiters = service.actions.flatMap((a) => a.waiters.map((w) => ({ action: a, waiter: w })));
  if (paged.length)
    for (const [name, typeOnly] of [
      ["paginate", false],
      ["PageInput", true],
      ["PaginateOptions", true],
      ["Paginator", true],
      ["ItemOf", true],
    ] as const)
      imports.add("../src/paginate.js", name, typeOnly);
  if (waiters.length) {
    imports.add("../src/waiter.js", "waitUntil");
    imports.add("../src/waiter.js", "WaiterOptions", true);
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
  const paginateMethods: OptionalKind<MethodDeclarationStructure>[] = paged.map((a) => ({
    name: `paginate${a.name}`,
    docs: [paginateDocs(a)],
    parameters: [
      { name: "input", type: `InputFor<PageInput<${a.name}Request, ${pagingMembers(a.paginator!)}>, O>` },
      { name: "options", type: "PaginateOptions", hasQuestionToken: true },
    ],
    returnType: `Paginator<${a.name}Response, ItemOf<${a.name}Response, ${literal(a.paginator!.items)}>>`,
    statements: [`return paginate(this, ${a.name}Command, input, options);`],
  }));
  const waitMethods: OptionalKind<MethodDeclarationStructure>[] = waiters.map(({ action: a, waiter: w }) => ({
    name: `waitUntil${w.name}`,
    docs: [waitDocs(a, w)],
    parameters: [
      { name: "input", type: `InputFor<${a.name}Request, O>` },
      { name: "options", type: "WaiterOptions" },
    ],
    returnType: `Promise<${a.name}Response>`,
    statements: [`return waitUntil(this, ${w.name}Waiter, input, options);`],
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
      ...paginateMethods,
      ...waitMethods,
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
    typeAlias(
      "Waiters",
      `{ ${waiters.map(({ waiter: w }) => `readonly ${w.name}: typeof ${w.name}Waiter`).join("; ")} }`,
      "The type of `waiters`: each waiter by name.",
    ),
    constant(
      "waiters",
      `{ ${waiters.map(({ waiter: w }) => `${w.name}: ${w.name}Waiter`).join(", ")} }`,
      "Every waiter by name (`client.waitUntil<Name>()`; the CLI's `--wait <Name>`).",
      "Waiters",
    ),
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

function paginateDocs(a: Action): string {
  const p = a.paginator!;
  const stops = p.total ? `on an empty page or once \`${p.total}\` items are read` : "on an empty or short page";
  return [
    `Every page of {@link ${a.name}Command}: \`for await (const page of client.paginate${a.name}(input))\`, or its items with \`.items()\`.`,
    "",
    `Sets \`${p.position}\` and \`${p.size}\` itself (page size \`options.pageSize\`, default ${p.defaultSize}${p.maxSize ? `, at most ${p.maxSize}` : ""}); stops ${stops}${p.style === "cursor" ? " or when the cursor does not advance" : ""}.${p.timeWindow ? ` A range of \`${p.timeWindow.start}\`..\`${p.timeWindow.end}\` of ${p.timeWindow.maxSpanDays} days or more is read in windows shorter than that, in order.` : ""}`,
    "",
    "Each page is a call as any other (validation, rate limit, retries, `signal`); the first failing page rejects the iteration.",
  ].join("\n");
}

function waitDocs(a: Action, w: Waiter): string {
  return [
    `${docSafe(en(w.description))}`,
    "",
    `Polls {@link ${a.name}Command} at once, then after waits from ${w.minDelayMs} ms doubling up to ${w.maxDelayMs} ms (with jitter), until it succeeds, fails or \`options.maxWaitMs\` runs out. Resolves to the last result; rejects with \`CccWaiterError\` (\`reason\`: \`failure\`, \`timeout\` or \`aborted\`; \`lastResult\`), or with the error of a poll that failed.`,
  ].join("\n");
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

/** `generated/pushes/<Name>.ts`: the push's payload type and its definition for the push handler. */
export function buildPushModule(push: Push): Module {
  const imports = new Imports()
    .add("../../src/action.js", "PushDefinition", true)
    .add("../../src/action.js", "PushPayload", true)
    .add("../openapi.js", "components", true);
  for (const ref of modelRefs(push.members)) imports.add(`../models/${ref}.js`, `${ref}Shape`);
  const type = `${push.name}Push`;
  const definition = [
    `name: ${literal(push.name)}`,
    `action: ${literal(push.action)}`,
    ...(push.version !== undefined ? [`version: ${literal(push.version)}`] : []),
    `members: ${shapeLiteral(push.members)}`,
    `numberAsString: ${literal(push.numberAsString)}`,
    `example: ${literal(push.example)}`,
  ];
  const statements: StatementStructures[] = [
    ...imports.structures(),
    typeAlias(type, `PushPayload<components["schemas"][${literal(type)}]>`, pushDocs(push)),
    constant(
      `${type}Definition`,
      `{ ${definition.join(", ")} }`,
      `The ${en(push.title)} push for \`createPushHandler\` (\`on${push.name}\`) and the emulator's \`push()\`.`,
      `PushDefinition<${type}>`,
    ),
  ];
  return {
    path: `pushes/${push.name}.ts`,
    structure: {
      kind: StructureKind.SourceFile,
      leadingTrivia: `${header(GENERATOR, `spec/${push.source}`)}\n`,
      statements,
    },
  };
}

/** `generated/pushes/index.ts`: every push's module, and `pushes`, each push's definition by name. */
export function buildPushIndexModule(service: Service): Module {
  const imports = new Imports();
  for (const p of service.pushes) imports.add(`./${p.name}.js`, `${p.name}PushDefinition`);
  const statements: StatementStructures[] = [
    ...service.pushes.map((p) => ({
      kind: StructureKind.ExportDeclaration as const,
      moduleSpecifier: `./${p.name}.js`,
    })),
    ...imports.structures(),
    typeAlias(
      "Pushes",
      `{ ${service.pushes.map((p) => `readonly ${p.name}: typeof ${p.name}PushDefinition`).join("; ")} }`,
      "The type of `pushes`: each push's definition by name.",
    ),
    constant(
      "pushes",
      `{ ${service.pushes.map((p) => `${p.name}: ${p.name}PushDefinition`).join(", ")} }`,
      "Every data push CCC sends, by name (`Cdr`: `?action=cdr`).",
      "Pushes",
    ),
    typeAlias("PushName", "keyof Pushes", "Names of the data pushes this SDK knows."),
  ];
  return {
    path: "pushes/index.ts",
    structure: { kind: StructureKind.SourceFile, leadingTrivia: `${header(GENERATOR, "spec/pushes/")}\n`, statements },
  };
}

export function buildModules(service: Service, pkg: PackageFacts): Module[] {
  return [
    ...service.models.map(buildModelModule),
    ...service.actions.map((a) => buildActionModule(a, service)),
    buildServiceModule(service, pkg),
    buildClientModule(service),
    buildIndexModule(service),
    ...service.pushes.map(buildPushModule),
    buildPushIndexModule(service),
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

/**
 * api-report.md (`npm run api-report`, whose command is codegen/api-report-cli.ts): the TypeScript surface apps compile against,
 * committed so that a review sees every change of it.
 *
 * The declarations are the published ones: `npm run build`'s own `buildDeclarations` (codegen/build-dts.ts) writes
 * them into a temporary folder laid out like the package (package.json, dist/), and one TypeScript program reads
 * them from each entry point of package.json `exports` the way an app's compiler does. For each entry, every export
 * is printed with its declaration: one line per member, JSDoc left out, exports and members sorted by name. What
 * the exports lead to but apps cannot import by name (openapi-typescript's `components["schemas"][…]`, a
 * constructor's option types) is printed too, so that a member of those becoming required is a line of the diff.
 *
 * Exit codes: 0 written / up to date, 1 the report is stale (--check), 2 a usage error or declarations that cannot
 * be built.
 */
import { readFile, mkdtemp, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { realpathSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { buildDeclarations } from "./build-dts.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** One subpath of package.json `exports` that has declarations: what apps import, and the file they get. */
export interface EntryPoint {
  /** `ccc-sdk`, `ccc-sdk/emulator`. */
  readonly specifier: string;
  /** The `types` condition, relative to the package folder: `dist/src/index.d.ts`. */
  readonly types: string;
}

interface PackageJson {
  readonly name: string;
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, unknown>>>>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

/**
 * The `types` an ES module app resolves in one `exports` target: its own `types`, else that of its `import` or
 * `default` condition (the `require` one names the CommonJS view of the same declarations: dist/cjs/*.d.cts).
 */
function esmTypes(target: unknown): string | undefined {
  if (typeof target !== "object" || target === null) return undefined;
  const conditions = target as Readonly<Record<string, unknown>>;
  if (typeof conditions.types === "string") return conditions.types;
  return esmTypes(conditions.import) ?? esmTypes(conditions.default);
}

/** The entry points of `exports` with a `types` condition (`./package.json` has none), in the order written. */
export function entryPoints(pkg: Pick<PackageJson, "name" | "exports">): EntryPoint[] {
  return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) => {
    const specifier = pkg.name + subpath.slice(1);
    const types = esmTypes(target);
    if (types !== undefined) return [{ specifier, types: path.posix.normalize(types) }];
    // Data (`./package.json`) has no declarations; code without them would leave apps with `any`.
    if (typeof target === "string" && !/\.[cm]?js$/.test(target)) return [];
    throw new Error(`api-report: package.json exports["${subpath}"] has no \`types\` condition (apps get no types)`);
  });
}

export interface ApiReport {
  readonly text: string;
  readonly entries: number;
  /** Exports of all entry points together. */
  readonly exports: number;
}

/** Builds the published declarations of the package in `root` and returns the report of their surface. */
export async function apiReport(root: string = ROOT): Promise<ApiReport> {
  const pkgText = await readFile(path.join(root, "package.json"), "utf8");
  const pkg = JSON.parse(pkgText) as PackageJson;
  // Its real path: the compiler resolves imports to real paths, and the entry points must be the same files.
  const tmp = realpathSync(await mkdtemp(path.join(os.tmpdir(), "ccc-api-report-")));
  const modules = path.join(tmp, "node_modules");
  try {
    await buildDeclarations(path.join(tmp, "dist"), root);
    // The package as installed: its package.json ("type": "module" decides how NodeNext reads dist/) and the
    // dependencies its declarations import.
    await writeFile(path.join(tmp, "package.json"), pkgText);
    await symlink(path.join(root, "node_modules"), modules, "dir");
    return report(pkg, tmp);
  } finally {
    await unlink(modules).catch(() => {});
    await rm(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Printing declarations

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const INDENT = "  ";

/** Marks every object type below `node` to be printed on one line (the printer's own flag, not a text edit). */
function singleLine<T extends ts.Node>(node: T): T {
  const mark = (n: ts.Node): void => {
    if (ts.isTypeLiteralNode(n) || ts.isMappedTypeNode(n) || ts.isObjectLiteralExpression(n))
      ts.setEmitFlags(n, ts.EmitFlags.SingleLine);
    ts.forEachChild(n, mark);
  };
  mark(node);
  return node;
}

function print(node: ts.Node, file: ts.SourceFile): string {
  return printer.printNode(ts.EmitHint.Unspecified, singleLine(node), file);
}

/** `export` and `declare` say nothing an app sees in the report (every declaration listed under an entry is). */
function keptModifiers(node: ts.Node): ts.ModifierLike[] | undefined {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  const kept = (mods ?? []).filter(
    (m) =>
      m.kind !== ts.SyntaxKind.ExportKeyword &&
      m.kind !== ts.SyntaxKind.DeclareKeyword &&
      m.kind !== ts.SyntaxKind.DefaultKeyword,
  );
  return kept.length ? kept : undefined;
}

function isPrivate(member: ts.Node): boolean {
  const name = (member as { name?: ts.Node }).name;
  if (name && ts.isPrivateIdentifier(name)) return true;
  return ts.canHaveModifiers(member) && !!ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
}

function memberName(member: ts.Node, file: ts.SourceFile): string {
  const name = (member as { name?: ts.PropertyName }).name;
  if (!name) return "";
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))
    return name.text;
  return print(name, file);
}

/** Signatures first, then the constructor, then everything by name; overloads keep their order (a stable sort). */
function memberRank(member: ts.Node): number {
  if (ts.isIndexSignatureDeclaration(member) || ts.isCallSignatureDeclaration(member)) return 0;
  if (ts.isConstructSignatureDeclaration(member) || ts.isConstructorDeclaration(member)) return 1;
  return 2;
}

/**
 * One line per member, sorted. Private members are left out: apps cannot use them. That a class has some matters
 * (its type is then not met by an object of the same shape), which `#private;` says, once.
 */
function memberLines(members: readonly ts.Node[], file: ts.SourceFile, indent: string): string[] {
  const visible = members.filter((m) => !isPrivate(m) && !ts.isSemicolonClassElement(m));
  const sorted = visible
    .map((m) => ({ m, rank: memberRank(m), name: memberName(m, file) }))
    .sort((a, b) => a.rank - b.rank || compare(a.name, b.name));
  const lines = sorted.map(({ m }) => indent + print(m, file));
  if (visible.length < members.filter((m) => !ts.isSemicolonClassElement(m)).length)
    lines.unshift(`${indent}#private;`);
  return lines;
}

/** `class X<T> extends Y` and the like: the node printed with no members, its empty body cut off. */
function head(node: ts.Node, file: ts.SourceFile): string {
  return print(node, file).replace(/\s*\{\s*\}\s*;?$/, "");
}

/** A top-level union printed one constituent per line (error codes: one added is one line of the diff). */
function unionLines(prefix: string, union: ts.UnionTypeNode, file: ts.SourceFile, indent: string): string[] {
  const types = union.types.map((t) => `${indent}${INDENT}| ${print(t, file)}`);
  types[types.length - 1] += ";";
  return [`${indent}${prefix}`, ...types];
}

/**
 * An indexed access into a type apps have no name for, such as `components["schemas"]["DescribeTelCdrRequest"]`,
 * resolved to the object type it selects: the report prints that object's members where the path is used.
 */
interface PathUnit {
  /** `components["schemas"]["DescribeTelCdrRequest"]`. */
  readonly key: string;
  readonly literal: ts.TypeLiteralNode;
}

interface Context {
  readonly checker: ts.TypeChecker;
  readonly dist: string;
  /** What the entry exports (the declarations' symbols): references to these need nothing more. */
  readonly exported: ReadonlySet<ts.Symbol>;
  /** Non-exported symbols and paths the exports lead to, queued by `collect`. */
  readonly reached: Map<ts.Symbol | string, { symbol?: ts.Symbol; unit?: PathUnit }>;
}

function resolve(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function inDist(ctx: Context, symbol: ts.Symbol): boolean {
  return !!symbol.declarations?.length && symbol.declarations.every((d) => isDistFile(ctx, d.getSourceFile()));
}

function isDistFile(ctx: Context, file: ts.SourceFile): boolean {
  return file.fileName.startsWith(ctx.dist + path.sep) || file.fileName.startsWith(`${ctx.dist}/`);
}

function pathUnit(ctx: Context, node: ts.IndexedAccessTypeNode): PathUnit | undefined {
  const keys: string[] = [];
  let t: ts.TypeNode = node;
  while (ts.isIndexedAccessTypeNode(t)) {
    const index = t.indexType;
    if (!ts.isLiteralTypeNode(index) || !ts.isStringLiteral(index.literal)) return undefined;
    keys.unshift(index.literal.text);
    t = t.objectType;
  }
  if (!ts.isTypeReferenceNode(t) || t.typeArguments) return undefined;
  const found = ctx.checker.getSymbolAtLocation(t.typeName);
  if (!found) return undefined;
  const base = resolve(ctx.checker, found);
  if (ctx.exported.has(base) || !inDist(ctx, base)) return undefined;
  const decl = base.declarations?.[0];
  let members: ts.NodeArray<ts.TypeElement> | undefined =
    decl && ts.isInterfaceDeclaration(decl)
      ? decl.members
      : decl && ts.isTypeAliasDeclaration(decl) && ts.isTypeLiteralNode(decl.type)
        ? decl.type.members
        : undefined;
  let selected: ts.TypeNode | undefined;
  for (const key of keys) {
    const prop = members?.find(
      (m): m is ts.PropertySignature =>
        ts.isPropertySignature(m) && !!m.name && memberName(m, m.getSourceFile()) === key && !m.questionToken,
    );
    selected = prop?.type;
    members = selected && ts.isTypeLiteralNode(selected) ? selected.members : undefined;
  }
  if (!selected || !ts.isTypeLiteralNode(selected)) return undefined;
  return { key: print(node, node.getSourceFile()), literal: selected };
}

/** Queues what `node` refers to that the entry does not export, declared in the package (not a dependency). */
function collect(ctx: Context, node: ts.Node): void {
  const reach = (target: ts.Node | undefined): void => {
    const found = target && ctx.checker.getSymbolAtLocation(target);
    if (!found) return;
    const symbol = resolve(ctx.checker, found);
    if (symbol.flags & ts.SymbolFlags.TypeParameter || ctx.exported.has(symbol) || ctx.reached.has(symbol)) return;
    if (!inDist(ctx, symbol)) return;
    ctx.reached.set(symbol, { symbol });
  };
  const visit = (n: ts.Node): void => {
    if (isPrivate(n)) return;
    if (ts.isIndexedAccessTypeNode(n)) {
      const unit = pathUnit(ctx, n);
      if (unit) {
        if (!ctx.reached.has(unit.key)) ctx.reached.set(unit.key, { unit });
        return;
      }
    }
    if (ts.isTypeReferenceNode(n)) reach(n.typeName);
    else if (ts.isExpressionWithTypeArguments(n)) reach(n.expression);
    else if (ts.isTypeQueryNode(n)) reach(n.exprName);
    else if (ts.isComputedPropertyName(n)) {
      let e: ts.Expression = n.expression;
      while (ts.isPropertyAccessExpression(e)) e = e.expression;
      reach(e);
    } else if (ts.isImportTypeNode(n) && n.qualifier) reach(n.qualifier);
    ts.forEachChild(n, visit);
  };
  visit(node);
}

/** The lines of one declaration, `prefix` before its header (`export `, or nothing). */
function declarationLines(ctx: Context, decl: ts.Node, prefix: string, indent: string, note = ""): string[] {
  const file = decl.getSourceFile();
  const f = ts.factory;
  collect(ctx, decl);
  const open = (text: string) => `${indent}${prefix}${text} {${note}`;
  if (ts.isClassDeclaration(decl)) {
    const empty = f.updateClassDeclaration(
      decl,
      keptModifiers(decl),
      decl.name,
      decl.typeParameters,
      decl.heritageClauses,
      [],
    );
    return [open(head(empty, file)), ...memberLines(decl.members, file, indent + INDENT), `${indent}}`];
  }
  if (ts.isInterfaceDeclaration(decl)) {
    const empty = f.updateInterfaceDeclaration(
      decl,
      keptModifiers(decl),
      decl.name,
      decl.typeParameters,
      decl.heritageClauses,
      [],
    );
    return [open(head(empty, file)), ...memberLines(decl.members, file, indent + INDENT), `${indent}}`];
  }
  if (ts.isEnumDeclaration(decl)) {
    const empty = f.updateEnumDeclaration(decl, keptModifiers(decl), decl.name, []);
    const members = decl.members.map((m) => `${indent}${INDENT}${print(m, file)},`);
    return [open(head(empty, file)), ...members, `${indent}}`];
  }
  if (ts.isTypeAliasDeclaration(decl)) {
    const alias = (type: ts.TypeNode) =>
      print(f.updateTypeAliasDeclaration(decl, keptModifiers(decl), decl.name, decl.typeParameters, type), file);
    const named = alias(f.createTypeLiteralNode([])).replace(/\s*\{\s*\}\s*;$/, "");
    if (ts.isTypeLiteralNode(decl.type))
      return [open(named), ...memberLines(decl.type.members, file, indent + INDENT), `${indent}};`];
    if (ts.isUnionTypeNode(decl.type)) return unionLines(`${prefix}${named}${note}`, decl.type, file, indent);
    const unit = ts.isIndexedAccessTypeNode(decl.type) ? pathUnit(ctx, decl.type) : undefined;
    if (unit) {
      // What the alias stands for follows a second `=`: the members an app writes.
      ctx.reached.set(unit.key, { unit: { ...unit, key: "" } });
      collect(ctx, unit.literal);
      return [
        open(`${named} ${unit.key} =`),
        ...memberLines(unit.literal.members, unit.literal.getSourceFile(), indent + INDENT),
        `${indent}};`,
      ];
    }
    return [`${indent}${prefix}${alias(decl.type)}${note}`];
  }
  if (ts.isVariableDeclaration(decl)) {
    const list = decl.parent as ts.VariableDeclarationList;
    const keyword = list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
    if (decl.type && ts.isTypeLiteralNode(decl.type))
      return [
        open(`${keyword} ${print(decl.name, file)}:`),
        ...memberLines(decl.type.members, file, indent + INDENT),
        `${indent}};`,
      ];
    const statement = f.createVariableStatement(undefined, f.createVariableDeclarationList([decl], list.flags));
    return [`${indent}${prefix}${print(statement, file)}${note}`];
  }
  if (ts.isFunctionDeclaration(decl)) {
    const kept = f.updateFunctionDeclaration(
      decl,
      keptModifiers(decl),
      decl.asteriskToken,
      decl.name,
      decl.typeParameters,
      decl.parameters,
      decl.type,
      undefined,
    );
    return [`${indent}${prefix}${print(kept, file)}${note}`];
  }
  if (ts.isModuleDeclaration(decl) && decl.body && ts.isModuleBlock(decl.body)) {
    const global = (decl.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
    const name = global
      ? "global"
      : `${ts.isStringLiteral(decl.name) ? "module" : "namespace"} ${print(decl.name, file)}`;
    const inner = decl.body.statements.flatMap((s) => statementLines(ctx, s, indent + INDENT));
    return [`${indent}${global ? "declare " : prefix}${name} {${note}`, ...inner, `${indent}}`];
  }
  // Anything else is printed whole, as published.
  return print(decl, file)
    .split("\n")
    .map((l, i) => `${indent}${i === 0 ? prefix : ""}${l}${i === 0 ? note : ""}`);
}

/** A statement inside a `declare global` or a namespace: its declarations, with their own `export`. */
function statementLines(ctx: Context, statement: ts.Statement, indent: string): string[] {
  const exported = ts.canHaveModifiers(statement)
    ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    : false;
  const prefix = exported ? "export " : "";
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((d) => declarationLines(ctx, d, prefix, indent));
  return declarationLines(ctx, statement, prefix, indent);
}

const KIND_ORDER: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.VariableDeclaration,
];

/** A symbol's declarations in a fixed order: by kind, then file and position (overloads in their order). */
function orderedDeclarations(symbol: ts.Symbol): ts.Declaration[] {
  const rank = (d: ts.Node) => {
    const i = KIND_ORDER.indexOf(d.kind);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return [...(symbol.declarations ?? [])].sort(
    (a, b) => rank(a) - rank(b) || compare(a.getSourceFile().fileName, b.getSourceFile().fileName) || a.pos - b.pos,
  );
}

/** Whether an app can use the export only as a type although it is a value too (`export type { AClass }`). */
function typeOnly(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  for (let s: ts.Symbol | undefined = symbol; s && s.flags & ts.SymbolFlags.Alias;) {
    if (s.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) return true;
    s = checker.getImmediateAliasedSymbol(s);
  }
  return false;
}

/**
 * The package an export comes from: the last bare module specifier on its chain of re-exports and imports
 * (`export type { Middleware } from "openapi-fetch"`), which names it even when its declarations were not loaded.
 */
function packageOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  let from = "";
  for (let s: ts.Symbol | undefined = symbol; s && s.flags & ts.SymbolFlags.Alias;) {
    for (let n: ts.Node | undefined = s.declarations?.[0]; n; n = n.parent)
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) {
        if (ts.isStringLiteral(n.moduleSpecifier) && !n.moduleSpecifier.text.startsWith("."))
          from = n.moduleSpecifier.text;
        break;
      }
    s = checker.getImmediateAliasedSymbol(s);
  }
  return from;
}

function dependencyNote(pkg: PackageJson, name: string): string {
  if (name.startsWith("node:") || name === "@types/node") return "Node.js (@types/node)";
  const version = pkg.dependencies?.[name] ?? pkg.peerDependencies?.[name];
  if (version) return `${name} ${version}`;
  return `${name}: NOT in dependencies or peerDependencies (apps will not have it)`;
}

/** A module's symbol, as a namespace export (`export * as helpers from "./helpers.js"`) resolves to. */
function isModule(symbol: ts.Symbol): boolean {
  return !!symbol.declarations?.length && symbol.declarations.every((d) => ts.isSourceFile(d));
}

/** The exports of a module, sorted by name, each with its declarations. */
function exportLines(ctx: Context, pkg: PackageJson, exports: readonly ts.Symbol[], indent: string): string[] {
  const { checker } = ctx;
  return [...exports]
    .sort((a, b) => compare(a.name, b.name))
    .flatMap((exp) => {
      const symbol = resolve(checker, exp);
      const name = exp.name;
      const value = (symbol.flags & ts.SymbolFlags.Value) !== 0;
      if (!inDist(ctx, symbol)) {
        // A dependency's export passed on: its version is what changes it.
        const from = packageOf(checker, exp);
        // Not loaded (a dependency that is not installed): named as the re-export writes it.
        const loaded = !!symbol.declarations?.length;
        const keyword = (value || !loaded) && !typeOnly(checker, exp) ? "export" : "export type";
        const local = !loaded || symbol.name === name ? name : `${symbol.name} as ${name}`;
        return [`${indent}${keyword} { ${local} } from "${from}"; // ${dependencyNote(pkg, from)}`];
      }
      if (isModule(symbol)) {
        const inner = exportLines(ctx, pkg, checker.getExportsOfModule(symbol), indent + INDENT);
        return [
          `${indent}export namespace ${name} {${where(ctx.dist, symbol.declarations![0]!)}`,
          ...inner,
          `${indent}}`,
        ];
      }
      const notes: string[] = [];
      if (symbol.name !== name) notes.push(`exported as ${name}`);
      if (value && typeOnly(checker, exp)) notes.push("a type-only export: not usable as a value");
      const note = notes.length ? ` // ${notes.join("; ")}` : "";
      return orderedDeclarations(symbol).flatMap((d) => declarationLines(ctx, d, "export ", indent, note));
    });
}

interface Section {
  readonly lines: string[];
  readonly exports: number;
}

function entrySection(
  program: ts.Program,
  pkg: PackageJson,
  dist: string,
  entry: EntryPoint,
  file: ts.SourceFile,
): Section {
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(file);
  const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  // Also what a namespace export (`export * as helpers`) holds: apps name it `helpers.X`.
  const exported = new Set<ts.Symbol>();
  const add = (list: readonly ts.Symbol[]): void => {
    for (const e of list) {
      const symbol = resolve(checker, e);
      if (exported.has(symbol)) continue;
      exported.add(symbol);
      if (isModule(symbol)) add(checker.getExportsOfModule(symbol));
    }
  };
  add(exports);
  const ctx: Context = { checker, dist, exported, reached: new Map() };
  const blocks = exportLines(ctx, pkg, exports, "");

  // What the exports lead to, transitively, that apps cannot import by name.
  const reachedBlocks: { key: string; lines: string[] }[] = [];
  const done = new Set<ts.Symbol | string>();
  for (let progress = true; progress;) {
    progress = false;
    for (const [key, { symbol, unit }] of [...ctx.reached]) {
      if (done.has(key)) continue;
      done.add(key);
      progress = true;
      if (unit) {
        if (!unit.key) continue; // printed with the alias that names it
        reachedBlocks.push({
          key: unit.key,
          lines: [
            `${unit.key} = {${where(dist, unit.literal)}`,
            ...memberLines(unit.literal.members, unit.literal.getSourceFile(), INDENT),
            "};",
          ],
        });
        collect(ctx, unit.literal);
      } else if (symbol) {
        const lines = orderedDeclarations(symbol).flatMap((d) => declarationLines(ctx, d, "", "", where(dist, d)));
        reachedBlocks.push({ key: `${symbol.name} ${where(dist, symbol.declarations![0]!)}`, lines });
      }
    }
  }
  const notExported = reachedBlocks.sort((a, b) => compare(a.key, b.key));

  const lines = [
    `## \`${entry.specifier}\``,
    "",
    `\`${entry.types}\`: ${exports.length} exports.`,
    "",
    "```ts",
    ...blocks,
    "```",
  ];
  if (notExported.length)
    lines.push(
      "",
      `### Reached from \`${entry.specifier}\`, not exported by name`,
      "",
      "```ts",
      ...notExported.flatMap((b) => b.lines),
      "```",
    );
  return { lines, exports: exports.length };
}

/** ` // src/action.ts`: where a declaration apps cannot import lives, to find it. */
function where(dist: string, node: ts.Node): string {
  const rel = path.relative(dist, node.getSourceFile().fileName).split(path.sep).join("/");
  return ` // ${rel.replace(/\.d\.ts$/, ".ts")}`;
}

function report(pkg: PackageJson, packageDir: string): ApiReport {
  const dist = path.join(packageDir, "dist");
  const entries = entryPoints(pkg);
  // Resolution as an app's compiler does it (NodeNext, the package's "type"). The default library and @types/node
  // are left out: the report prints the declarations' own text, and the checker only resolves the names the
  // package declares (a global such as `AbortSignal` is not the package's either way). Loading them cost 0.7 s.
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noLib: true,
    types: [],
    skipLibCheck: true,
    noEmit: true,
  };
  const program = ts.createProgram({ rootNames: entries.map((e) => path.join(packageDir, e.types)), options });
  const sections: string[][] = [];
  let exports = 0;
  for (const entry of entries) {
    const file = program.getSourceFile(path.join(packageDir, entry.types));
    if (!file) throw new Error(`api-report: ${entry.specifier}: ${entry.types} was not built`);
    const section = entrySection(program, pkg, dist, entry, file);
    sections.push(section.lines);
    exports += section.exports;
  }

  // Every published file an app's compiler loads through the entry points is in the program.
  const published = program.getSourceFiles().filter((f) => f.fileName.startsWith(dist + path.sep));
  const ctx: Context = { checker: program.getTypeChecker(), dist, exported: new Set(), reached: new Map() };
  const globals = published
    .flatMap((f) =>
      f.statements.filter(
        (s): s is ts.ModuleDeclaration =>
          ts.isModuleDeclaration(s) &&
          ((s.flags & ts.NodeFlags.GlobalAugmentation) !== 0 || ts.isStringLiteral(s.name)),
      ),
    )
    .map((s) => declarationLines(ctx, s, "", "", where(dist, s)))
    .sort((a, b) => compare(a.join("\n"), b.join("\n")));
  const imported = new Set<string>();
  for (const f of published)
    for (const s of f.statements)
      if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier)
        if (ts.isStringLiteral(s.moduleSpecifier) && !s.moduleSpecifier.text.startsWith("."))
          imported.add(s.moduleSpecifier.text);
  const packages = [...imported].sort(compare).map((m) => `- \`${m}\`: ${dependencyNote(pkg, m)}`);

  const lines = [
    "<!-- Written by `npm run api-report` (codegen/api-report.ts) from the declarations `npm run build` publishes. DO NOT EDIT: run `npm run api-report` and commit the result. -->",
    "",
    `# The TypeScript surface of ${pkg.name}`,
    "",
    "What apps compile against: each entry point of package.json `exports`, every export with its declaration as",
    "published in `dist/**/*.d.ts`. A change of this file in a review is a change for apps; `npm run api-report",
    "-- --check` (CI) fails while it is not what the sources give.",
    "",
    "- Exports and members are sorted by name, one member per line (overloads in their order); JSDoc is left out.",
    "- `export type X = components[…][…] = { … }`: an alias of a type apps have no name for, and the members it",
    "  stands for.",
    "- Private members are left out; `#private;` says a class has some (an object of the same shape is not one).",
    "- Under _Reached from …, not exported by name_: types the exports lead to that apps meet (an option's type)",
    "  but cannot import, with the module that declares them.",
    "",
    ...sections.flatMap((s) => [...s, ""]),
    "## Global declarations",
    "",
    "Declarations the published files add to every app's global scope.",
    "",
    ...(globals.length ? ["```ts", ...globals.flat(), "```"] : ["None."]),
    "",
    "## Packages the declarations import",
    "",
    ...(packages.length ? packages : ["None."]),
    "",
  ];
  return { text: lines.join("\n"), entries: entries.length, exports };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing two reports

/** One line that differs, with where it is: the entry's heading and the declaration it belongs to. */
export interface ReportChange {
  readonly sign: "-" | "+";
  /** The line, without its indentation. */
  readonly line: string;
  /** `ccc-sdk › export type DescribeTelCdrRequest`: the section and the declaration (the section alone for a line
   * that is not inside a declaration: a declaration's first line, a heading, a paragraph). */
  readonly owner: string;
}

interface QualifiedLine {
  readonly key: string;
  readonly owner: string;
  readonly line: string;
}

/** `export type DescribeTelCdrRequest` of `export type DescribeTelCdrRequest = components…= {`. */
function declarationName(header: string): string {
  const m = /^(.*?\b(?:class|interface|type|const|let|var|function|enum|namespace|module|global)\s+[^\s<:=({;]+)/.exec(
    header,
  );
  return m ? m[1]! : header.replace(/\s*(?:=\s*)?\{.*$/, "");
}

function qualify(text: string): QualifiedLine[] {
  const out: QualifiedLine[] = [];
  let section = "";
  let owner = "";
  let inCode = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) {
      inCode = !inCode;
      owner = "";
      continue;
    }
    if (!inCode && line.startsWith("#")) section = line.replace(/^#+\s*/, "").replace(/`/g, "");
    let of = section;
    if (inCode && /^\S/.test(line) && !line.startsWith("}")) owner = declarationName(line);
    else if (inCode && /^\s/.test(line) && owner) of = `${section} › ${owner}`;
    out.push({ key: `${of}\u0000${line}`, owner: of, line: line.trim() });
  }
  return out;
}

/** The lines only `before` has and those only `after` has, each with its owner, in the order of the file. */
export function reportChanges(before: string, after: string): ReportChange[] {
  const a = qualify(before);
  const b = qualify(after);
  const count = (lines: QualifiedLine[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l.key, (m.get(l.key) ?? 0) + 1);
    return m;
  };
  const only = (lines: QualifiedLine[], other: Map<string, number>, sign: "-" | "+"): ReportChange[] => {
    const left = new Map(other);
    return lines.flatMap((l) => {
      const n = left.get(l.key) ?? 0;
      left.set(l.key, n - 1);
      return n > 0 || !l.line ? [] : [{ sign, line: l.line, owner: l.owner }];
    });
  };
  return [...only(a, count(b), "-"), ...only(b, count(a), "+")];
}

/** The changes grouped by owner, at most `limit` lines of them. */
export function summarize(changes: readonly ReportChange[], limit = 30): string[] {
  const groups = new Map<string, ReportChange[]>();
  for (const c of changes) groups.set(c.owner, [...(groups.get(c.owner) ?? []), c]);
  const out: string[] = [];
  let shown = 0;
  for (const [owner, list] of groups) {
    if (shown >= limit) break;
    out.push(`  ${owner}`);
    for (const c of list.slice(0, limit - shown)) out.push(`    ${c.sign} ${c.line}`);
    shown += list.length;
  }
  if (changes.length > limit) out.push(`  … and ${changes.length - limit} more changed lines`);
  return out;
}

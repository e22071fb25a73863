/**
 * `npm run build`'s declarations: every module of src/ and generated/ gets its `.d.ts` from its own text alone
 * (TypeScript's `transpileDeclaration`, under `isolatedDeclarations`), without a type-check: `npm run typecheck`
 * checks the same files, and the pack-install test type-checks an app against the result. About a second where
 * `tsc --emitDeclarationOnly` took ten. A module whose declarations need inference from another file (an
 * exported const without a type, a computed class member) is reported with file:line:col and nothing is written.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "..");
/** What the package publishes declarations of (package.json `files`: dist/src, dist/generated). */
export const DECLARED_DIRS = ["src", "generated"];

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(file)));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(file);
  }
  return out.sort();
}

function compilerOptions(): ts.CompilerOptions {
  // The repository's tsconfig.json, whichever folder is declared.
  const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return { ...options, declaration: true, emitDeclarationOnly: true, isolatedDeclarations: true, noEmit: false };
}

function describe(d: ts.Diagnostic, root: string): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1}: ${text}`;
}

/**
 * The declarations of one module, and its problems with paths relative to the root. They depend on the module's
 * path and text alone (that is what `isolatedDeclarations` means), so a process that builds the same sources more
 * than once (`npm run api-report` on a copy of the repository, the tests) transpiles each text once.
 */
const declarations = new Map<string, { readonly text: string; readonly problems: readonly string[] }>();
function declarationOf(relative: string, source: string, options: ts.CompilerOptions, root: string) {
  const key = `${relative}\0${source}`;
  let result = declarations.get(key);
  if (!result) {
    const out = ts.transpileDeclaration(source, {
      fileName: path.join(root, relative),
      compilerOptions: options,
      reportDiagnostics: true,
    });
    result = { text: out.outputText, problems: (out.diagnostics ?? []).map((d) => describe(d, root)) };
    declarations.set(key, result);
  }
  return result;
}

/**
 * TypeScript prints declarations indented by four spaces; the package ships them by two, as the sources are
 * written (50 KB less of the 680 KB, the hover docs untouched). Only leading indentation changes.
 */
export function twoSpaceIndent(text: string): string {
  return text.replace(/^(?: {4})+/gm, (indent) => " ".repeat(indent.length / 2));
}

/**
 * Writes `<outDir>/<src|generated>/…/<module>.d.ts` for every module under `root` (the repository by default);
 * throws listing every problem, having written nothing.
 */
export async function buildDeclarations(outDir = path.join(ROOT, "dist"), root = ROOT): Promise<number> {
  const options = compilerOptions();
  const files = (await Promise.all(DECLARED_DIRS.map((d) => sources(path.join(root, d))))).flat();
  const outputs = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    const relative = path.relative(root, file);
    const result = declarationOf(relative, await readFile(file, "utf8"), options, root);
    problems.push(...result.problems);
    outputs.set(path.join(outDir, relative).replace(/\.ts$/, ".d.ts"), twoSpaceIndent(result.text));
  }
  if (problems.length)
    throw new Error(`declarations: ${problems.length} problem(s), nothing written:\n  ${problems.join("\n  ")}`);
  for (const [file, text] of outputs) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return outputs.size;
}

/** The CommonJS entries' declarations (dist/cjs/…/index.d.cts) and the ESM declarations they stand for. */
export const COMMONJS_DECLARATIONS: Readonly<Record<string, string>> = {
  "cjs/index.d.cts": "src/index.d.ts",
  "cjs/emulator/index.d.cts": "src/emulator/index.d.ts",
  "cjs/otel/index.d.cts": "src/otel/index.d.ts",
  "cjs/push/index.d.cts": "src/push/index.d.ts",
  "cjs/redis/index.d.cts": "src/redis/index.d.ts",
};

const RESOLUTION_MODE = '{ "resolution-mode": "import" }';

/**
 * Writes each CommonJS entry's `.d.cts`: the ESM declarations re-exported under `resolution-mode: import` rather
 * than copied (a copy would double the package's 680 KB of declarations). Types come through `export type *`; a
 * name with a value (a class, a function, a constant) is declared again as `typeof` its ESM self, and a class also
 * as its instance type, since a local declaration hides the re-exported one. TypeScript ≥ 5.3 reads the attribute.
 */
export async function buildCommonJsDeclarations(distDir: string): Promise<void> {
  const entries = Object.entries(COMMONJS_DECLARATIONS);
  const program = ts.createProgram(
    entries.map(([, esm]) => path.join(distDir, esm)),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, types: [] },
  );
  const checker = program.getTypeChecker();
  for (const [cjs, esm] of entries) {
    const file = path.join(distDir, cjs);
    const source = program.getSourceFile(path.join(distDir, esm));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`declarations: ${esm} has no exports`);
    let from = path.relative(path.dirname(file), path.join(distDir, esm)).replace(/\.d\.ts$/, ".js");
    if (!from.startsWith(".")) from = `./${from}`;
    const lines = [
      `// The CommonJS view of ${esm}: the same declarations (see codegen/build-dts.ts).`,
      `export type * from "${from}" with ${RESOLUTION_MODE};`,
      `import type * as esm from "${from}" with ${RESOLUTION_MODE};`,
    ];
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & ts.SymbolFlags.Value)) continue;
      const name = exported.name;
      lines.push(`export declare const ${name}: typeof esm.${name};`);
      if (symbol.flags & ts.SymbolFlags.Class) lines.push(classType(name, symbol));
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${lines.join("\n")}\n`);
  }
}

/**
 * `export type C<A extends string = string> = esm.C<A>;` for a class `C`, its type parameters copied; a type they
 * name (`O extends CccClientOptions`) is named through `esm.`, since the .d.cts has no other import.
 */
function classType(name: string, symbol: ts.Symbol): string {
  const declaration = symbol.declarations?.find(ts.isClassDeclaration);
  const params = declaration?.typeParameters ?? [];
  if (params.length === 0) return `export type ${name} = esm.${name};`;
  const text = params.map(qualifiedTypeParameter).join(", ");
  return `export type ${name}<${text}> = esm.${name}<${params.map((p) => p.name.text).join(", ")}>;`;
}

/** A type parameter's text with each type it refers to by name (not another parameter) prefixed `esm.`. */
function qualifiedTypeParameter(param: ts.TypeParameterDeclaration): string {
  const own = new Set(
    param.parent && "typeParameters" in param.parent ? (param.parent.typeParameters ?? []).map((p) => p.name.text) : [],
  );
  const start = param.getStart();
  const text = param.getText();
  const edits: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && !own.has(node.typeName.text))
      edits.push(node.typeName.getStart() - start);
    ts.forEachChild(node, visit);
  };
  for (const part of [param.constraint, param.default]) if (part) visit(part);
  let out = text;
  for (const at of edits.sort((a, b) => b - a)) out = `${out.slice(0, at)}esm.${out.slice(at)}`;
  return out;
}

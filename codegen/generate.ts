/**
 * The generator: spec/ → intermediate model → generated/. Every file is formatted with prettier and the whole
 * folder is replaced at once (or, with `check`, compared and reported).
 */
import type { Dirent } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import * as prettier from "prettier";
import ts from "typescript";
import { emitCatalog } from "./emit/catalog.js";
import { emitActionList } from "./emit/markdown.js";
import { BIGINT_MARK, emitOpenApi } from "./emit/openapi.js";
import { header } from "./emit/shared.js";
import { buildModules, printModules } from "./emit/typescript.js";
import { specSchema } from "./spec-schema.js";
import type { Service } from "./ir.js";
import { loadSpec } from "./load.js";

/** Prettier options fixed here (not read from the environment) so output is the same on every machine. */
export const PRETTIER: prettier.Options = { printWidth: 120, trailingComma: "all", endOfLine: "lf" };

/** The prettier parser for a generated file. */
export function parserFor(file: string): "json" | "markdown" | "typescript" {
  return file.endsWith(".json") ? "json" : file.endsWith(".md") ? "markdown" : "typescript";
}

/**
 * Files written already in their final form, not passed through prettier: JSON (`JSON.stringify` with two
 * spaces is what a reader of a JSON document expects) and the catalog (one JSON string, emitted as prettier
 * prints it). Prettier on those two was three quarters of a full generation.
 */
export const PREFORMATTED: ReadonlySet<string> = new Set(["openapi.json", "spec.schema.json", "catalog.ts"]);

export async function format(file: string, text: string): Promise<string> {
  if (PREFORMATTED.has(file)) return text;
  return prettier.format(text, { ...PRETTIER, parser: parserFor(file) });
}

const NUMBER_OR_BIGINT = ts.factory.createUnionTypeNode([
  ts.factory.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword),
  ts.factory.createKeywordTypeNode(ts.SyntaxKind.BigIntKeyword),
]);

/** Renders every file of generated/ (relative path → content) from a loaded spec. */
export async function render(service: Service): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const document = emitOpenApi(service);
  files.set("openapi.json", `${JSON.stringify(document, null, 2)}\n`);

  // The types' JSDoc is written in English (Chinese where there is none): both languages are in the spec and in
  // openapi.json, and the second would double the published declarations.
  const forTypes = emitOpenApi(service, "english", true);
  const ast = await openapiTS(forTypes as unknown as Parameters<typeof openapiTS>[0], {
    silent: true,
    alphabetize: true,
    // int64/uint64 inputs take a bigint too: the client writes it without loss (src/validate.ts).
    transform: (schema) => ((schema as Record<string, unknown>)[BIGINT_MARK] ? NUMBER_OR_BIGINT : undefined),
  });
  // Only `components` is used (each action module names its schemas); `paths` and `operations` would double the
  // published declarations for nothing, since the runtime sends any command through one generic call.
  const components = ast.filter((node) => ts.isInterfaceDeclaration(node) && node.name.text === "components");
  if (components.length !== 1) throw new Error("openapi-typescript's output has no `components` interface");
  files.set(
    "openapi.ts",
    `${header("openapi-typescript (codegen/generate.ts)", "generated/openapi.json")}\n${astToString(components)}`,
  );

  for (const [file, text] of printModules(buildModules(service))) files.set(file, text);
  files.set("ACTIONS.md", emitActionList(service));
  files.set("catalog.ts", emitCatalog(service));
  files.set("spec.schema.json", `${JSON.stringify(specSchema(), null, 2)}\n`);

  const formatted = new Map<string, string>();
  for (const file of [...files.keys()].sort()) formatted.set(file, await format(file, files.get(file)!));
  return formatted;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** Files that differ between `files` and the folder `outDir`: changed, missing or extra. */
export async function staleFiles(files: ReadonlyMap<string, string>, outDir: string): Promise<string[]> {
  const onDisk = await listFiles(outDir);
  const stale: string[] = [];
  for (const [file, text] of files) {
    let current: string | undefined;
    try {
      current = await readFile(path.join(outDir, file), "utf8");
    } catch {
      current = undefined;
    }
    if (current === undefined) stale.push(`${file} (missing)`);
    else if (current !== text) stale.push(`${file} (changed)`);
  }
  for (const file of onDisk) if (!files.has(file)) stale.push(`${file} (not generated by the spec)`);
  return stale;
}

/**
 * Replaces `outDir` with exactly `files`: writes a sibling temporary folder, then swaps it in with renames.
 * If anything fails before the swap, `outDir` is untouched; after a failed swap the old folder is put back.
 */
export async function writeAtomically(files: ReadonlyMap<string, string>, outDir: string): Promise<void> {
  const parent = path.dirname(path.resolve(outDir));
  const base = path.basename(path.resolve(outDir));
  const tmp = path.join(parent, `.${base}.tmp-${process.pid}`);
  const old = path.join(parent, `.${base}.old-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    for (const [file, text] of files) {
      await mkdir(path.dirname(path.join(tmp, file)), { recursive: true });
      await writeFile(path.join(tmp, file), text);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  let moved = false;
  try {
    await rename(outDir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }
  try {
    await rename(tmp, outDir);
  } catch (e) {
    if (moved) await rename(old, outDir);
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

export interface GenerateResult {
  readonly files: ReadonlyMap<string, string>;
  /** With `check`: the stale files (empty when up to date). */
  readonly stale: readonly string[];
}

export async function generate(opts: { specDir: string; outDir: string; check?: boolean }): Promise<GenerateResult> {
  const service = await loadSpec(opts.specDir);
  const files = await render(service);
  if (opts.check) return { files, stale: await staleFiles(files, opts.outDir) };
  await writeAtomically(files, opts.outDir);
  return { files, stale: [] };
}

/**
 * The generator: spec/ → intermediate model → generated/. Every file a person reads is formatted with prettier
 * (codegen/format.ts); the rest is written in its final form. The whole folder is replaced at once (or, with `check`, compared and reported).
 */
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createConfig } from "@redocly/openapi-core";
import {
  astToString,
  type GlobalContext,
  type OpenAPI3,
  resolveRef,
  scanDiscriminators,
  transformSchema,
} from "openapi-typescript";
import ts from "typescript";
import { emitCatalog } from "./emit/catalog.js";
import { emitActionList } from "./emit/markdown.js";
import { BIGINT_MARK, emitOpenApi } from "./emit/openapi.js";
import { header } from "./emit/shared.js";
import { buildModules, type PackageFacts, printModules } from "./emit/typescript.js";
import { DEFAULT_FORMAT_CACHE, formatAll } from "./format.js";
import { specSchema } from "./spec-schema.js";
import type { Service } from "./ir.js";
import { loadSpec } from "./load.js";
import { writeAtomically } from "./write.js";

/**
 * Files written already in their final form, not passed through prettier: JSON (`JSON.stringify` with two
 * spaces is what a reader of a JSON document expects) and the catalog (one JSON string, emitted as prettier
 * prints it). Prettier on those two was three quarters of a full generation.
 */
export const PREFORMATTED: ReadonlySet<string> = new Set(["openapi.json", "spec.schema.json", "catalog.ts"]);

const NUMBER_OR_BIGINT = ts.factory.createUnionTypeNode([
  ts.factory.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword),
  ts.factory.createKeywordTypeNode(ts.SyntaxKind.BigIntKeyword),
]);

const TYPES_OPTIONS = { silent: true, alphabetize: true } as const;

/**
 * The context `openapiTS()` builds for its transform, with our options (the rest are its defaults). We call the
 * transform directly and skip `openapiTS()`'s first step, Redocly's bundling and lint of the document: our
 * emitter writes the document with internal references only, so there is nothing to bundle, and the bundling
 * was a tenth of a generation. The lint is not lost: test/codegen/openapi.test.ts runs Redocly's recommended rules
 * on openapi.json. The context's type is openapi-typescript's own, so an upgrade that changes it fails to compile.
 */
async function typesContext(document: OpenAPI3): Promise<GlobalContext> {
  return {
    ...TYPES_OPTIONS,
    additionalProperties: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators: scanDiscriminators(document, TYPES_OPTIONS),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    redoc: await createConfig({}),
    // int64/uint64 inputs take a bigint too: the client writes it without loss (src/validate.ts).
    transform: (schema) => ((schema as Record<string, unknown>)[BIGINT_MARK] ? NUMBER_OR_BIGINT : undefined),
    transformProperty: undefined,
    resolve: ($ref) => resolveRef(document, $ref, { silent: TYPES_OPTIONS.silent }),
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
  };
}

export interface Rendered {
  /** Every file of generated/: relative path → content. */
  readonly files: Map<string, string>;
  /** How many of them prettier formatted in this run (the others were final as emitted, or in the format cache). */
  readonly formatted: number;
}

/** Renders every file of generated/ from a loaded spec; `formatCache` is the file of codegen/format.ts's cache. */
export async function render(service: Service, formatCache?: string): Promise<Rendered> {
  const files = new Map<string, string>();
  const document = emitOpenApi(service);
  files.set("openapi.json", `${JSON.stringify(document, null, 2)}\n`);

  // The types' JSDoc is written in English (Chinese where there is none): both languages are in the spec and in
  // openapi.json, and the second would double the published declarations.
  const forTypes = emitOpenApi(service, "english", true) as unknown as OpenAPI3;
  const ast = transformSchema(forTypes, await typesContext(forTypes));
  // Only `components` is used (each action module names its schemas); `paths` and `operations` would double the
  // published declarations for nothing, since the runtime sends any command through one generic call.
  const components = ast.filter((node) => ts.isInterfaceDeclaration(node) && node.name.text === "components");
  if (components.length !== 1) throw new Error("openapi-typescript's output has no `components` interface");
  files.set(
    "openapi.ts",
    `${header("openapi-typescript (codegen/generate.ts)", "generated/openapi.json")}\n${astToString(components)}`,
  );

  for (const [file, text] of printModules(buildModules(service, await packageFacts()))) files.set(file, text);
  const actionList = emitActionList(service);
  files.set("ACTIONS.md", actionList.text);
  const preformatted = new Set(PREFORMATTED);
  if (!actionList.needsFormatting) preformatted.add("ACTIONS.md");
  files.set("catalog.ts", emitCatalog(service));
  files.set("spec.schema.json", `${JSON.stringify(specSchema(), null, 2)}\n`);

  const sorted = [...files.keys()].sort();
  const toFormat = new Map(sorted.filter((f) => !preformatted.has(f)).map((f) => [f, files.get(f)!]));
  const { files: formatted, formatted: count } = await formatAll(toFormat, formatCache);
  return { files: new Map(sorted.map((f) => [f, formatted.get(f) ?? files.get(f)!])), formatted: count };
}

/**
 * The name and version of the package the generated code ships in (the repository's package.json, whatever spec
 * folder is generated), for the client's `X-TC-RequestClient`. A version bump (spec:import writes one) therefore
 * needs `npm run generate`, which `generate --check` enforces.
 */
async function packageFacts(): Promise<PackageFacts> {
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as Partial<PackageFacts>;
  if (typeof pkg.name !== "string" || typeof pkg.version !== "string")
    throw new Error("package.json has no name and version for X-TC-RequestClient");
  return { name: pkg.name, version: pkg.version };
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

export interface GenerateResult {
  readonly files: ReadonlyMap<string, string>;
  /** With `check`: the stale files (empty when up to date). */
  readonly stale: readonly string[];
  /** How many files prettier formatted (see `Rendered`). */
  readonly formatted: number;
}

export interface GenerateOptions {
  readonly specDir: string;
  readonly outDir: string;
  /** Compare with outDir instead of writing it; formats everything afresh, without the cache. */
  readonly check?: boolean;
  /** The format cache (codegen/format.ts); `false` for none. By default the repository's node_modules/.cache/. */
  readonly formatCache?: string | false;
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const cache = opts.check || opts.formatCache === false ? undefined : (opts.formatCache ?? DEFAULT_FORMAT_CACHE);
  const { files, formatted } = await render(await loadSpec(opts.specDir), cache);
  if (opts.check) return { files, stale: await staleFiles(files, opts.outDir), formatted };
  await writeAtomically(files, opts.outDir);
  return { files, stale: [], formatted };
}

/**
 * `npm run build`'s JavaScript: esbuild bundles the package's entry points (the client, the emulator and the two
 * commands) into dist/js with shared chunks, so importing the client loads one file instead of ~200 modules (cold
 * start measured ~110 ms → ~60 ms over `node -e 0`). Bundlers still tree-shake it: it is ESM without side effects.
 * The declarations come from codegen/build-dts.ts; openapi-fetch stays an external dependency.
 *
 * Run as a script it is `npm run build`: dist/ replaced by the declarations and the bundles.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import zlib from "node:zlib";
import { build, type Plugin, transform } from "esbuild";
import ts from "typescript";
import { buildCommonJsDeclarations, buildDeclarations } from "./build-dts.js";

const ROOT = path.resolve(import.meta.dirname, "..");

export const ENTRY_POINTS = [
  "src/index.ts",
  "src/emulator/index.ts",
  "src/emulator/main.ts",
  "src/cli/main.ts",
  "src/otel/index.ts",
  "src/redis/index.ts",
];

/** Packages the bundles import rather than carry: the dependency, and the optional peer of ccc-sdk/otel. */
const EXTERNAL = ["openapi-fetch", "@opentelemetry/api"];

/** Writes `<distDir>/js` (ES modules, the web build in js/web), `<distDir>/cjs` and `<distDir>/data`. */
export async function buildDist(distDir = path.join(ROOT, "dist")): Promise<void> {
  const outDir = path.join(distDir, "js");
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outbase: "src",
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // Not minified: an uncaught error prints the line it was thrown from (a minified chunk printed 17-65 KB of one
    // line), and a reader of node_modules/ccc-sdk can follow the code. Apps that bundle minify it themselves.
    legalComments: "none",
    charset: "utf8",
    chunkNames: "chunks/[name]-[hash]",
    plugins: [catalogAsData(path.join(distDir, CATALOG_DATA)), generatedWithoutComments],
    logLevel: "warning",
  });
  await buildWeb(outDir);
  await buildPush(outDir);
  await buildCommonJs(outDir, path.join(distDir, "cjs"));
}

/**
 * dist/js/push/index.js, `ccc-sdk/push`, bundled on its own: sharing chunks with the other entry points would split
 * the client's chunks further (the modules both use), and importing the client would load more files. On its own
 * it repeats the validator and a few model shapes (about 20 KB) instead. `platform: "neutral"` keeps it free of
 * Node modules, so the push handler runs wherever `Request` does (a `node:` import fails the build).
 */
async function buildPush(outDir: string): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { "push/index": "src/push/index.ts" },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    legalComments: "none",
    charset: "utf8",
    plugins: [generatedWithoutComments],
    logLevel: "warning",
  });
}

/** The entry points `require()` gets (package.json `exports`, condition `require`): client, emulator, otel, push, redis. */
export const COMMONJS_ENTRIES = ["index.js", "emulator/index.js", "otel/index.js", "push/index.js", "redis/index.js"];

/** A relative import of one of our own modules in esbuild's output: `from "./chunks/chunk-X.js"`, `import("./x.js")`. */
const OWN_SPECIFIER = /(["'])(\.\.?\/[^"']+)\.js\1/g;
const OWN_DYNAMIC_IMPORT = /\bimport\((["'])(\.\.?\/[^"']+)\.cjs\1\)/g;

/**
 * dist/cjs, the CommonJS copy of what `require("ccc-sdk")` and `require("ccc-sdk/emulator")` load: each ESM file
 * they reach (entries and shared chunks) converted one to one, so the two entries share their chunks as in the ESM
 * build. Node ≥ 20.19 could `require()` the ESM build itself, but Jest's default runner and older 20.x cannot.
 * Dynamic imports of our own chunks become `require()` (Jest's CommonJS runtime has no `import()`), still loaded
 * only when first needed.
 */
async function buildCommonJs(esmDir: string, outDir: string): Promise<void> {
  const pending = [...COMMONJS_ENTRIES];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = await readFile(path.join(esmDir, file), "utf8");
    for (const [, , specifier] of source.matchAll(OWN_SPECIFIER))
      pending.push(path.posix.join(path.posix.dirname(file), `${specifier}.js`));
    const { code } = await transform(source, {
      format: "cjs",
      platform: "node",
      target: "node20",
      charset: "utf8",
      sourcefile: file,
      // import.meta.url in CommonJS: this file's URL, for the catalog's data file.
      define: { "import.meta.url": "__ccc_file_url" },
      banner: 'const __ccc_file_url = require("node:url").pathToFileURL(__filename).href;',
      logLevel: "warning",
    });
    const out = code
      .replace(OWN_SPECIFIER, (_m, quote, specifier) => `${quote}${specifier}.cjs${quote}`)
      .replace(
        OWN_DYNAMIC_IMPORT,
        (_m, quote, specifier) => `Promise.resolve().then(() => require(${quote}${specifier}.cjs${quote}))`,
      );
    const target = path.join(outDir, file.replace(/\.js$/, ".cjs"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, out);
  }
}

/** The catalog's file, relative to dist/: brotli-compressed JSON. */
const CATALOG_DATA = "data/catalog.json.br";

/**
 * generated/catalog.ts (every action's bilingual help and example answer, 300 KB as JavaScript) is read only by
 * the CLI and the emulator, which run on Node: the build ships its JSON brotli-compressed (53 KB) beside the code,
 * and the module that imported it reads that file when first loaded. Every output file that can hold the module
 * is two folders below dist/ (dist/js/chunks, dist/js/cli, dist/cjs/chunks), hence the `../../`.
 */
function catalogAsData(dataFile: string): Plugin {
  return {
    name: "catalog-as-data",
    setup(b) {
      b.onLoad({ filter: /[\\/]generated[\\/]catalog\.ts$/ }, async (args) => {
        const json = Buffer.from(catalogJson(args.path, await readFile(args.path, "utf8")));
        const params = {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length,
        };
        await mkdir(path.dirname(dataFile), { recursive: true });
        await writeFile(dataFile, zlib.brotliCompressSync(json, { params }));
        return {
          loader: "js",
          contents: [
            'import { readFileSync } from "node:fs";',
            'import { brotliDecompressSync } from "node:zlib";',
            `const file = new URL("../../${CATALOG_DATA}", import.meta.url);`,
            'export const catalog = JSON.parse(brotliDecompressSync(readFileSync(file)).toString("utf8"));',
          ].join("\n"),
        };
      });
    },
  };
}

/** The JSON text of generated/catalog.ts: the string its `JSON.parse(…)` is given (codegen/emit/catalog.ts). */
function catalogJson(file: string, text: string): string {
  let json: string | undefined;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      node.expression.getText() === "JSON.parse" &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0]!)
    )
      json = node.arguments[0].text;
    else ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  if (json === undefined) throw new Error(`${file}: no JSON.parse("…") of the catalog`);
  JSON.parse(json); // refused here, not when the CLI first runs
  return json;
}

/**
 * The generated modules' doc comments (the hover docs: 120 KB in generated/client.ts alone) belong in the
 * declarations, which keep them; the JavaScript drops them. The runtime's own comments stay for readers.
 */
const generatedWithoutComments: Plugin = {
  name: "generated-without-comments",
  setup(b) {
    b.onLoad({ filter: /[\\/]generated[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const { outputText } = ts.transpileModule(text, {
        fileName: args.path,
        compilerOptions: {
          removeComments: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          verbatimModuleSyntax: true,
        },
      });
      return { loader: "js", contents: outputText };
    });
  },
};

/** In the web build every client has the fetch path (src/web/fetch-path-default.ts replaces src/fetch-path-default.ts). */
const webFetchPathDefault: Plugin = {
  name: "web-fetch-path-default",
  setup(b) {
    b.onResolve({ filter: /^\.\/fetch-path-default\.js$/ }, (args) =>
      args.importer.endsWith(path.join("src", "client.ts"))
        ? { path: path.join(ROOT, "src", "web", "fetch-path-default.ts") }
        : undefined,
    );
  },
};

/** Node's modules in the web build: SHA-256 from @noble/hashes, the others failing with what to do instead. */
const WEB_ALIASES: Record<string, string> = Object.fromEntries([
  ["node:crypto", "./src/web/crypto.ts"],
  ...["node:http", "node:https", "node:net", "node:tls", "node:fs/promises", "node:os", "node:path", "node:module"].map(
    (m) => [m, "./src/web/node-only.ts"] as const,
  ),
]);

/**
 * dist/js/web/index.js, the client for web-standard runtimes (package.json's `browser` and `workerd` conditions):
 * the same code with Node's modules replaced (src/web/), so it loads where there is no `node:` module; it needs a
 * `fetch` option and `credentials`.
 */
async function buildWeb(outDir: string): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { index: "src/index.ts" },
    outdir: path.join(outDir, "web"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["openapi-fetch"],
    alias: WEB_ALIASES,
    plugins: [generatedWithoutComments, webFetchPathDefault],
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const dist = path.join(ROOT, "dist");
  await rm(dist, { recursive: true, force: true });
  try {
    await buildDeclarations(dist);
    await buildCommonJsDeclarations(dist);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  await buildDist(dist);
}

/**
 * `npm run build`'s JavaScript: esbuild bundles the package's entry points (the client, the emulator and the two
 * commands) into dist/js with shared chunks, so importing the client loads one file instead of ~200 modules (cold
 * start measured ~110 ms → ~60 ms over `node -e 0`). Bundlers still tree-shake it: it is ESM without side effects.
 * The declarations come from codegen/build-dts.ts; openapi-fetch stays an external dependency.
 *
 * Run as a script it is `npm run build`: dist/ replaced by the declarations and the bundles.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { buildDeclarations } from "./build-dts.js";

const ROOT = path.resolve(import.meta.dirname, "..");

export const ENTRY_POINTS = ["src/index.ts", "src/emulator/index.ts", "src/emulator/main.ts", "src/cli/main.ts"];

export async function buildDist(outDir = path.join(ROOT, "dist", "js")): Promise<void> {
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
    external: ["openapi-fetch"],
    // Not minified: an uncaught error prints the line it was thrown from (a minified chunk printed 17-65 KB of one
    // line), and a reader of node_modules/ccc-sdk can follow the code. Apps that bundle minify it themselves.
    legalComments: "none",
    charset: "utf8",
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
  await buildWeb(outDir);
}

/** Node's modules in the web build: SHA-256 from @noble/hashes, the others failing with what to do instead. */
const WEB_ALIASES: Record<string, string> = Object.fromEntries([
  ["node:crypto", "./src/web/crypto.ts"],
  ...["node:http", "node:https", "node:net", "node:tls", "node:fs/promises", "node:os", "node:path"].map(
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
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  await buildDist(path.join(dist, "js"));
}

/**
 * Formatting the generated files a person reads with prettier, with options fixed here so the output is the
 * same on every machine, and a cache of what prettier made of each text.
 *
 * Prettier is most of a generation (about 1 s of 2.5 s for 84 actions), and after a spec edit nearly every
 * file is the same text as last time. Its output is a pure function of prettier's version, the options, the
 * parser and the input, so the cache keys each answer by a hash of those four. It lives in
 * node_modules/.cache/ (never committed, gone with a fresh clone) and keeps the answers of the latest runs, up to
 * a bound, so that generating another spec folder (a test's, a review's) does not evict those of spec/.
 * `generate --check`, the gate CI runs, uses no cache: what it compares is formatted from scratch.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";

export const PRETTIER: prettier.Options = { printWidth: 120, trailingComma: "all", endOfLine: "lf" };

/** Where `npm run generate` keeps its format cache: the repository's node_modules/.cache/. */
export const DEFAULT_FORMAT_CACHE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../node_modules/.cache/ccc-codegen/prettier.json",
);

/**
 * The prettier parser for a generated file. TypeScript goes through `babel-ts`: it prints the generated modules
 * exactly as the `typescript` parser does (test/codegen/cli.test.ts checks with that one) in about half the time.
 * (Worker threads were tried, to split the work or to warm prettier up while the spec loads, and lost: on two
 * cores they compete with the main thread and each warms up its own JIT.)
 */
export function parserFor(file: string): "json" | "markdown" | "babel-ts" {
  return file.endsWith(".json") ? "json" : file.endsWith(".md") ? "markdown" : "babel-ts";
}

export interface Formatted {
  /** Path → formatted text, in the order of the input. */
  readonly files: Map<string, string>;
  /** How many of them prettier formatted (the rest came from the cache). */
  readonly formatted: number;
}

/** The most text the cache keeps: about eight full generations of the 84-action spec. */
const CACHE_MAX_CHARS = 8_000_000;

/**
 * Formats every file of `files` (path → text). With `cacheFile`, answers already in that cache are reused and the
 * cache is rewritten with this run's answers first; a missing, unreadable or foreign cache is started afresh.
 */
export async function formatAll(files: ReadonlyMap<string, string>, cacheFile?: string): Promise<Formatted> {
  const cached = cacheFile ? await readCache(cacheFile) : new Map<string, string>();
  const used = new Map<string, string>();
  const out = new Map<string, string>();
  let formatted = 0;
  for (const [file, text] of files) {
    const options = { ...PRETTIER, parser: parserFor(file) };
    const key = cacheKey(text, options);
    let result = cached.get(key);
    if (result === undefined) {
      result = await prettier.format(text, options);
      formatted++;
    }
    used.set(key, result);
    out.set(file, result);
  }
  if (cacheFile && formatted > 0) await writeCache(cacheFile, newestFirst(used, cached));
  return { files: out, formatted };
}

/** This run's answers, then the older ones still in the cache, as long as they fit in `CACHE_MAX_CHARS`. */
function newestFirst(used: ReadonlyMap<string, string>, older: ReadonlyMap<string, string>): Map<string, string> {
  const kept = new Map(used);
  let size = 0;
  for (const text of used.values()) size += text.length;
  for (const [key, text] of older) {
    if (kept.has(key)) continue;
    size += text.length;
    if (size > CACHE_MAX_CHARS) break;
    kept.set(key, text);
  }
  return kept;
}

function cacheKey(text: string, options: prettier.Options): string {
  return createHash("sha256")
    .update(`${prettier.version}\0${JSON.stringify(options)}\0`)
    .update(text)
    .digest("hex");
}

interface CacheFile {
  readonly prettier: string;
  readonly entries: Record<string, string>;
}

async function readCache(file: string): Promise<Map<string, string>> {
  try {
    const data = JSON.parse(await readFile(file, "utf8")) as CacheFile;
    if (data.prettier !== prettier.version || typeof data.entries !== "object" || data.entries === null)
      return new Map();
    return new Map(Object.entries(data.entries).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    // No cache yet, or one that is not ours: the files are simply formatted.
    return new Map();
  }
}

/** Written to a temporary file and renamed: a concurrent reader sees the old cache or the new, never half of one. */
async function writeCache(file: string, entries: ReadonlyMap<string, string>): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const data: CacheFile = { prettier: prettier.version, entries: Object.fromEntries(entries) };
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written (read-only checkout) costs the next run its speed, nothing else.
  }
}

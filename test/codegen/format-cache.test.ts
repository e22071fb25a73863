/**
 * The generator's format cache (codegen/format.ts): a run after an unchanged or slightly changed spec reuses what
 * prettier made of each unchanged text, the result is byte for byte what prettier makes, a damaged or foreign cache
 * is ignored, and `--check` never reads it. Every test keeps its cache in a folder of its own.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatAll, PRETTIER, parserFor } from "../../codegen/format.js";
import { generate } from "../../codegen/generate.js";
import { applyEdit, copySpec, hashTree, readTree, removeDir, tempDir } from "./helpers.js";

let root: string | undefined;
beforeAll(async () => {
  root = await tempDir("format-cache");
});
afterAll(async () => {
  await removeDir(root);
});

const SOURCES = new Map([
  ["a.ts", "export const a = {x:1,\ny: [1,2,3]}\n"],
  ["b.ts", "export   type B = 'one' | 'two'\n"],
  ["c.md", "# Title\n\n* one\n* two\n"],
]);

async function prettierOf(files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [file, text] of files)
    out.set(file, await prettier.format(text, { ...PRETTIER, parser: parserFor(file) }));
  return out;
}

let n = 0;
const cacheFile = () => path.join(root!, `cache-${n++}`, "prettier.json");

describe("formatAll with a cache file", () => {
  it("formats everything the first time, nothing the second, and answers exactly what prettier answers", async () => {
    const file = cacheFile();
    const expected = await prettierOf(SOURCES);
    const first = await formatAll(SOURCES, file);
    expect(first.formatted).toBe(SOURCES.size);
    expect(first.files).toEqual(expected);
    const second = await formatAll(SOURCES, file);
    expect(second.formatted).toBe(0);
    expect(second.files).toEqual(expected);
    expect([...second.files.keys()]).toEqual([...SOURCES.keys()]);
  });

  it("formats only the texts that changed", async () => {
    const file = cacheFile();
    await formatAll(SOURCES, file);
    const changed = new Map(SOURCES).set("b.ts", "export type B = 'one' | 'three'\n");
    const run = await formatAll(changed, file);
    expect(run.formatted).toBe(1);
    expect(run.files).toEqual(await prettierOf(changed));
  });

  it("keeps the answers of an earlier run with other files, so that alternating runs stay cached", async () => {
    const file = cacheFile();
    const other = new Map([["d.ts", "let d=1\n"]]);
    await formatAll(SOURCES, file);
    expect((await formatAll(other, file)).formatted).toBe(1);
    expect((await formatAll(SOURCES, file)).formatted).toBe(0);
    expect((await formatAll(other, file)).formatted).toBe(0);
  });

  it.each([
    ["not JSON", "{ this is not json"],
    ["JSON of another shape", '["a", "b"]'],
    ["empty", ""],
  ])("ignores a cache file that is %s, and replaces it with a good one", async (_, content) => {
    const file = cacheFile();
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    const run = await formatAll(SOURCES, file);
    expect(run.formatted).toBe(SOURCES.size);
    expect(run.files).toEqual(await prettierOf(SOURCES));
    expect((await formatAll(SOURCES, file)).formatted).toBe(0);
  });

  it("ignores the answers of another prettier version", async () => {
    const file = cacheFile();
    await formatAll(SOURCES, file);
    const data = JSON.parse(await readFile(file, "utf8"));
    const poisoned = Object.fromEntries(Object.keys(data.entries).map((key) => [key, "// not prettier's answer\n"]));
    await writeFile(file, JSON.stringify({ prettier: "0.0.1", entries: poisoned }));
    const run = await formatAll(SOURCES, file);
    expect(run.formatted).toBe(SOURCES.size);
    expect(run.files).toEqual(await prettierOf(SOURCES));
  });

  it("formats as usual when the cache cannot be written", async () => {
    // The cache's folder would have to be made inside a regular file.
    const blocker = path.join(root!, "a-file");
    await writeFile(blocker, "");
    const run = await formatAll(SOURCES, path.join(blocker, "prettier.json"));
    expect(run.formatted).toBe(SOURCES.size);
    expect(run.files).toEqual(await prettierOf(SOURCES));
  });
});

describe("generate with the format cache", () => {
  it("writes the same bytes from a cold cache, a warm one and none; after one edit formats only what it changed", async () => {
    const spec = await copySpec(path.join(root!, "spec"));
    const file = cacheFile();
    const cold = await generate({ specDir: spec, outDir: path.join(root!, "cold"), formatCache: file });
    const warm = await generate({ specDir: spec, outDir: path.join(root!, "warm"), formatCache: file });
    const none = await generate({ specDir: spec, outDir: path.join(root!, "none"), formatCache: false });
    expect(cold.formatted).toBeGreaterThan(3);
    expect(warm.formatted).toBe(0);
    expect(none.formatted).toBe(cold.formatted);
    const bytes = await hashTree(path.join(root!, "none"));
    expect(await hashTree(path.join(root!, "cold"))).toEqual(bytes);
    expect(await hashTree(path.join(root!, "warm"))).toEqual(bytes);

    // A member's description reaches a few modules (its model's, the types), not every one.
    await applyEdit(spec, {
      file: "models/OwnNumberApplyDetailItem.yaml",
      replace: ["en: Line number.", "en: The number of the line (edited)."],
    });
    const edited = await generate({ specDir: spec, outDir: path.join(root!, "edited"), formatCache: file });
    expect(edited.formatted).toBeGreaterThan(0);
    expect(edited.formatted).toBeLessThan(cold.formatted);
    await generate({ specDir: spec, outDir: path.join(root!, "fresh"), formatCache: false });
    expect(await readTree(path.join(root!, "edited"))).toEqual(await readTree(path.join(root!, "fresh")));
  });

  it("--check formats afresh: a cache of wrong answers changes nothing it reports", async () => {
    const spec = await copySpec(path.join(root!, "check-spec"));
    const out = path.join(root!, "check-out");
    const file = cacheFile();
    await generate({ specDir: spec, outDir: out, formatCache: file });
    const data = JSON.parse(await readFile(file, "utf8"));
    for (const key of Object.keys(data.entries)) data.entries[key] = "// not prettier's answer\n";
    await writeFile(file, JSON.stringify(data));
    const check = await generate({ specDir: spec, outDir: out, check: true, formatCache: file });
    expect(check.stale).toEqual([]);
    expect(check.formatted).toBeGreaterThan(3);
  });
});

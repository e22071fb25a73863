/**
 * Scenario files, in the style of autorest's `scenarios/*.md`: each Markdown file under scenarios/ holds a
 * ```yaml action spec (and optionally ```yaml model specs, each preceded by `<!-- model -->`), then expected
 * blocks, each preceded by `<!-- file: <path> -->`:
 *
 * - `<!-- file: actions/X.ts -->` or `models/X.ts` + a ```ts block: the exact text of that generated file;
 * - `<!-- file: openapi.json#<JSON pointer> -->` + a ```json block: that part of the OpenAPI document,
 *   `JSON.stringify(value, null, 2)` formatted by prettier (as prettier formats a Markdown file's code blocks).
 *
 * The YAML blocks are written into a copy of the fixture spec (test/fixtures/spec/: actions/<action>.yaml,
 * models/<model>.yaml), the copy is loaded and rendered, and each expected block must equal the output exactly. With `UPDATE=1` the expected
 * blocks are rewritten from the output instead, and the file is formatted with prettier (so `npm run format`
 * leaves it alone; blocks whose content holds ``` get longer fences); read the diff before committing it.
 */
import { readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import ts from "typescript";
import { parse } from "yaml";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { PRETTIER } from "../../codegen/format.js";
import { render } from "../../codegen/generate.js";
import { loadSpec } from "../../codegen/load.js";
import { createMirror } from "../support/mirror.js";
import { diagnosticsOf, projectOptions } from "../support/typescript.js";
import { applyEdit, copySpec, readTree, removeDir, tempDir } from "./helpers.js";

const SCENARIOS = fileURLToPath(new URL("./scenarios/", import.meta.url));
const UPDATE = process.env.UPDATE === "1";

/** A fenced block: `start`/`end` delimit its content (the lines between the fences) in the file's text. */
interface Block {
  readonly lang: string;
  /** The HTML comment right before the opening fence, if any (`model` or `file: ...`). */
  readonly marker?: string;
  readonly content: string;
  readonly start: number;
  readonly end: number;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split("\n");
  let offset = 0;
  let marker: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineEnd = offset + line.length + 1;
    const open = /^(`{3,})([\w-]*)\s*$/.exec(line);
    if (open) {
      const fence = open[1]!;
      let j = i + 1;
      let end = lineEnd;
      while (j < lines.length && lines[j] !== fence) end += lines[j++]!.length + 1;
      if (j === lines.length) throw new Error(`unterminated ${fence} block opened on line ${i + 1}`);
      blocks.push({
        lang: open[2] ?? "",
        ...(marker !== undefined ? { marker } : {}),
        content: text.slice(lineEnd, end),
        start: lineEnd,
        end,
        line: i + 1,
      });
      offset = end + fence.length + 1;
      i = j;
      marker = undefined;
      continue;
    }
    const comment = /^<!--\s*(.*?)\s*-->\s*$/.exec(line);
    if (comment) marker = comment[1];
    else if (line.trim()) marker = undefined;
    offset = lineEnd;
  }
  return blocks;
}

/** The value at an RFC 6901 JSON pointer. */
function at(document: unknown, pointer: string): unknown {
  if (pointer === "") return document;
  if (!pointer.startsWith("/")) throw new Error(`not a JSON pointer: ${pointer}`);
  let value = document;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key))
      throw new Error(`JSON pointer ${pointer}: no member ${JSON.stringify(key)}`);
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

async function mapAsync<T, U>(items: readonly T[], f: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = [];
  for (const item of items) out.push(await f(item));
  return out;
}

/** Writes the YAML blocks of a scenario into the spec folder `spec`. */
async function writeSpecs(spec: string, name: string, blocks: readonly Block[]): Promise<void> {
  for (const b of blocks.filter((x) => x.lang === "yaml")) {
    const data = parse(b.content) as { action?: unknown; model?: unknown };
    const kind = b.marker === "model" ? "model" : "action";
    const specName = data[kind];
    expect(typeof specName, `${name}:${b.line}: the ${kind} block needs \`${kind}:\``).toBe("string");
    await applyEdit(spec, { file: `${kind}s/${String(specName)}.yaml`, write: b.content });
  }
}

const files = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith(".md"))
  .sort();

let dir: string | undefined;
afterEach(async () => {
  await removeDir(dir);
  dir = undefined;
});

describe("generator scenarios (test/codegen/scenarios/*.md)", () => {
  it("has at least 4 scenario files", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)("%s is prettier-formatted, so `npm run format` does not change it", async (name) => {
    const text = await readFile(path.join(SCENARIOS, name), "utf8");
    expect(await prettier.check(text, { ...PRETTIER, parser: "markdown" })).toBe(true);
  });

  it("parses fenced blocks with their markers and exact contents", () => {
    const text = "# T\n\n<!-- model -->\n```yaml\na: 1\n```\n\n<!-- file: x.ts -->\n```ts\n```\n\n```json\n{}\n```\n";
    const blocks = parseBlocks(text);
    expect(blocks.map((b) => [b.lang, b.marker, b.content, b.line])).toEqual([
      ["yaml", "model", "a: 1\n", 4],
      ["ts", "file: x.ts", "", 9],
      ["json", undefined, "{}\n", 12],
    ]);
    for (const b of blocks) expect(text.slice(b.start, b.end)).toBe(b.content);
  });

  it.each(files)(
    "%s",
    async (name) => {
      const file = path.join(SCENARIOS, name);
      const text = await readFile(file, "utf8");
      const blocks = parseBlocks(text);

      const specs = blocks.filter((b) => b.lang === "yaml");
      const actionBlocks = specs.filter((b) => b.marker !== "model");
      expect(actionBlocks, `${name}: exactly one action yaml block (without <!-- model -->)`).toHaveLength(1);
      const expected = blocks.filter((b) => b.marker?.startsWith("file:"));
      expect(expected.length, `${name}: at least one <!-- file: ... --> block`).toBeGreaterThan(0);
      for (const b of blocks)
        if (b.lang !== "yaml")
          expect(b.marker?.startsWith("file:"), `${name}:${b.line}: a ${b.lang} block needs <!-- file: ... -->`).toBe(
            true,
          );

      dir = await copySpec(await tempDir("scenario"));
      await writeSpecs(dir, name, blocks);
      const { files: output } = await render(await loadSpec(dir));

      const actual = await mapAsync(expected, async (b) => {
        const target = b.marker!.slice("file:".length).trim();
        const hash = target.indexOf("#");
        if (hash === -1) {
          const text = output.get(target);
          if (text === undefined) throw new Error(`${name}:${b.line}: ${target} is not generated`);
          return { block: b, target, text: text };
        }
        const [source, pointer] = [target.slice(0, hash), target.slice(hash + 1)];
        const document = JSON.parse(output.get(source) ?? "null") as unknown;
        // Shown as prettier formats JSON, since prettier formats the Markdown's code blocks too.
        const excerpt = JSON.stringify(at(document, pointer), null, 2);
        return { block: b, target, text: await prettier.format(excerpt, { ...PRETTIER, parser: "json" }) };
      });

      if (UPDATE) {
        let next = text;
        for (const { block, text: replacement } of [...actual].reverse())
          next = next.slice(0, block.start) + replacement + next.slice(block.end);
        next = await prettier.format(next, { ...PRETTIER, parser: "markdown" });
        if (next !== text) await writeFile(file, next);
        const reread = parseBlocks(next).filter((b) => b.marker?.startsWith("file:"));
        expect(reread.map((b) => b.content)).toEqual(actual.map((a) => a.text));
        return;
      }
      for (const { block, target, text: got } of actual)
        expect(got, `${name}:${block.line}: ${target} (run with UPDATE=1 to refresh)`).toBe(block.content);
    },
    30_000,
  );

  it("the code generated for all scenarios together type-checks under the project's compiler options", async () => {
    // generated/ imports ../src/*.js: the mirror links the runtime and its dependencies next to it; ESM like the package.
    const mirror = await createMirror({ generate: false });
    onTestFinished(() => mirror.remove());
    for (const name of files)
      await writeSpecs(mirror.specDir, name, parseBlocks(await readFile(path.join(SCENARIOS, name), "utf8")));
    const generation = await mirror.generate();
    expect(generation.err).toEqual([]);
    expect(generation.code).toBe(0);
    const output = await readTree(mirror.generatedDir);

    const options = projectOptions({ noEmit: true });
    const roots = [...output.keys()].filter((f) => f.endsWith(".ts")).map((f) => path.join(mirror.generatedDir, f));
    // The generated files are checked against the runtime they import; src/'s own bodies are `npm run typecheck`'s.
    const problems = diagnosticsOf(roots, options, [path.join(mirror.dir, "src")]).map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return `TS${d.code}: ${text}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${path.relative(mirror.dir, d.file.fileName)}:${line + 1}:${character + 1}: TS${d.code}: ${text}`;
    });
    expect(problems).toEqual([]);
  }, 120_000);
});

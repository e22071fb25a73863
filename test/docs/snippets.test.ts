/**
 * The code on the site's action pages is what a reader copies, so it must work as copied: every TypeScript block
 * compiles against the package's entry point, and every `npx ccc` command is accepted by the CLI (a dry run, which
 * validates and signs without sending). The code is read back out of the rendered HTML, entities decoded, as a
 * browser shows it.
 */
import path from "node:path";
import { type DefaultTreeAdapterTypes, parse } from "parse5";
import { beforeAll, describe, expect, it } from "vitest";
import { renderSite } from "../../codegen/site/build.js";
import { loadSpec } from "../../codegen/load.js";
import { CREDENTIAL_ENV, runMain } from "../cli/helpers.js";
import { SPEC_DIR } from "../support/paths.js";
import { compile, root } from "../types/compile.js";

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;

interface Block {
  readonly page: string;
  readonly id: string;
  readonly language: string;
  readonly code: string;
}

function text(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterTypes.TextNode).value;
  return "childNodes" in node ? node.childNodes.map(text).join("") : "";
}

/** Every `<code class="language-…">` of a page. */
function codeBlocks(page: string, html: string): Block[] {
  const out: Block[] = [];
  const walk = (node: Node) => {
    if ("tagName" in node && node.tagName === "code") {
      const cls = node.attrs.find((a) => a.name === "class")?.value ?? "";
      const id = node.attrs.find((a) => a.name === "id")?.value ?? "";
      const language = /language-(\w+)/.exec(cls)?.[1];
      if (language) out.push({ page, id, language, code: text(node) });
    }
    if ("childNodes" in node) node.childNodes.forEach(walk);
  };
  walk(parse(html));
  return out;
}

/** The words of a command as the CLI's shellQuote writes them: bare, or in single quotes (`'\''` for a quote). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g))
    words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return words;
}

let blocks: Block[];

beforeAll(async () => {
  const files = await renderSite(await loadSpec(SPEC_DIR));
  blocks = [...files].filter(([file]) => file.startsWith("actions/")).flatMap(([file, html]) => codeBlocks(file, html));
}, 60_000);

describe("the site's code", () => {
  it("has the calls of every action's examples, and paging and waiting code", () => {
    const ts = blocks.filter((b) => b.language === "ts");
    expect(ts.filter((b) => b.id.endsWith("-ts") && b.id.startsWith("example-")).length).toBeGreaterThanOrEqual(80);
    expect(ts.filter((b) => b.id === "paging-ts")).toHaveLength(20);
    expect(ts.filter((b) => b.id.startsWith("waiter-"))).toHaveLength(7);
  });

  it("compiles, every TypeScript block, against the package", () => {
    const ts = blocks.filter((b) => b.language === "ts");
    const files = new Map(
      ts.map((b, i) => [path.join(root, "test/types/virtual", `site-${i}.ts`), `${b.code}\nexport {};\n`]),
    );
    const names = new Map([...files.keys()].map((f, i) => [f, `${ts[i]!.page}#${ts[i]!.id}`]));
    const result = compile(files, { baseUrl: root, paths: { "ccc-sdk": ["./src/index.ts"] } });
    const problems = [...result].flatMap(([file, list]) => list.map((d) => `${names.get(file)}:${d}`));
    expect(problems).toEqual([]);
  }, 180_000);

  it("is accepted by the CLI, every command: validated and signed in a dry run", async () => {
    const commands = blocks.filter((b) => b.language === "sh");
    expect(commands.length).toBeGreaterThanOrEqual(80);
    const refused: string[] = [];
    for (const b of commands) {
      const [npx, ccc, ...argv] = shellWords(b.code);
      expect([npx, ccc]).toEqual(["npx", "ccc"]);
      const run = await runMain([...argv, "--dry-run"], CREDENTIAL_ENV);
      if (run.code !== 0) refused.push(`${b.page}#${b.id}: exit ${run.code}: ${run.stderr.trim()}`);
    }
    expect(refused).toEqual([]);
  }, 120_000);

  it("sends, in the CLI's dry run, exactly the example's request", async () => {
    const page = blocks.find((b) => b.page === "actions/DisableCCCPhoneNumber.html" && b.id === "example-1-cli")!;
    const request = blocks.find((b) => b.page === page.page && b.id === "example-1-request")!;
    const run = await runMain([...shellWords(page.code).slice(2), "--dry-run"], CREDENTIAL_ENV);
    expect(run.code).toBe(0);
    const body = run.stdout.slice(run.stdout.lastIndexOf("\n{"));
    expect(JSON.parse(body)).toEqual(JSON.parse(request.code));
  });
});

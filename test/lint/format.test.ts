/**
 * `prettier --check src codegen test` as a test: the same files, options and ignore rules, through prettier's
 * API in this worker. Not among the files started first (test/support/sequencer.ts), so it usually runs in a
 * worker where the generator tests have already loaded prettier and warmed it up: about half the CPU of the
 * command, which `npm run lint` still runs on its own.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import { expect, it } from "vitest";
import { REPO } from "../support/paths.js";

/** The folders `npm run lint:format` gives prettier (`prettier --check <folders>`). */
async function formattedDirs(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [command, flag, ...dirs] = scripts["lint:format"]!.split(/\s+/);
  if (command !== "prettier" || flag !== "--check")
    throw new Error(`unexpected lint:format: ${scripts["lint:format"]}`);
  return dirs;
}

it("npm run lint:format: every file prettier --check checks is formatted", { timeout: 120_000 }, async () => {
  const unformatted: string[] = [];
  for (const file of await filesUnder((await formattedDirs()).map((d) => path.join(REPO, d)))) {
    const info = await prettier.getFileInfo(file, { ignorePath: path.join(REPO, ".prettierignore") });
    if (info.ignored || !info.inferredParser) continue;
    const options = await prettier.resolveConfig(file, { editorconfig: true });
    if (!(await prettier.check(await readFile(file, "utf8"), { ...options, filepath: file })))
      unformatted.push(path.relative(REPO, file));
  }
  expect(unformatted, "run `npm run format`").toEqual([]);
});

/** Every file under `dirs`, as prettier's CLI expands a folder (node_modules left out). */
async function filesUnder(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name === ".git") continue;
      const file = path.join(dir, e.name);
      if (e.isDirectory()) await walk(file);
      else if (e.isFile()) out.push(file);
    }
  };
  for (const dir of dirs) await walk(dir);
  return out.sort();
}

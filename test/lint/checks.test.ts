/**
 * The repository's static checks, as part of `npm test` (each also runs on its own: `npm run typecheck`,
 * `npm run lint`): TypeScript over src, generated, codegen and test; Biome's rules with the zone boundaries
 * (which a scratch project with one forbidden import per zone shows are enforced); and prettier over every file
 * `prettier --check src codegen test` checks. They run inside vitest so they share its two cores with the rest
 * of the suite instead of running before it: tsc and Biome as the processes they are, prettier through its API
 * in this worker (where it is already loaded and warm; the same files, options and ignore rules).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as prettier from "prettier";
import { describe, expect, it, onTestFinished } from "vitest";
import { REPO } from "../support/paths.js";
import { describeRun, run } from "../support/run.js";

const BIN = path.join(REPO, "node_modules", ".bin");
/** The folders `npm run lint` and `npm run format` give prettier. */
const FORMATTED_DIRS = ["src", "codegen", "test"];

describe("static checks", () => {
  it("npm run typecheck: tsc reports nothing", { timeout: 180_000 }, async () => {
    const r = await run(path.join(BIN, "tsc"), ["-p", "tsconfig.json", "--pretty", "false"], { timeoutMs: 170_000 });
    expect(r.stdout + r.stderr, describeRun(r)).toBe("");
    expect(r.code, describeRun(r)).toBe(0);
  });

  it("Biome: no error or warning anywhere", { timeout: 60_000 }, async () => {
    const r = await run(path.join(BIN, "biome"), ["lint", "--error-on-warnings"], { timeoutMs: 50_000 });
    expect(r.code, describeRun(r)).toBe(0);
  });

  it("Biome refuses an import across a zone boundary, naming the rule of each zone", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "ccc-zones-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const config = JSON.parse(await readFile(path.join(REPO, "biome.json"), "utf8")) as Record<string, unknown>;
    delete config.$schema;
    await writeFile(path.join(dir, "biome.json"), JSON.stringify(config));
    const forbidden: Record<string, string> = {
      "src/runtime.ts": 'import { commands } from "../generated/client.js";',
      "src/generator-user.ts": 'import { loadSpec } from "../codegen/load.js";',
      "generated/action.ts": 'import { encodeInput } from "../src/validate.js";',
      "codegen/emitter.ts": 'import { commands } from "../generated/client.js";',
    };
    const allowed: Record<string, string> = {
      "src/index.ts": 'import { commands } from "../generated/client.js";',
      "generated/ok.ts": 'import type { ActionDefinition } from "../src/action.js";',
    };
    for (const [file, line] of Object.entries({ ...forbidden, ...allowed })) {
      await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
      await writeFile(
        path.join(dir, file),
        `${line}\nexport const used: unknown = [${line.match(/\{ (\w+) \}/)![1]}];\n`,
      );
    }
    const r = await run(path.join(BIN, "biome"), ["lint", "--reporter=json", "."], { cwd: dir, timeoutMs: 50_000 });
    const report = JSON.parse(r.stdout) as {
      diagnostics: { category: string; location: { path: string } }[];
    };
    const flagged = report.diagnostics
      .filter((d) => d.category === "lint/style/noRestrictedImports")
      .map((d) => d.location.path.split(path.sep).join("/"))
      .sort();
    expect(flagged, describeRun(r)).toEqual(Object.keys(forbidden).sort());
  });

  it("prettier: every file of src, codegen and test is formatted", { timeout: 120_000 }, async () => {
    const unformatted: string[] = [];
    for (const file of await filesUnder(FORMATTED_DIRS.map((d) => path.join(REPO, d)))) {
      const info = await prettier.getFileInfo(file, { ignorePath: path.join(REPO, ".prettierignore") });
      if (info.ignored || !info.inferredParser) continue;
      const options = await prettier.resolveConfig(file, { editorconfig: true });
      if (!(await prettier.check(await readFile(file, "utf8"), { ...options, filepath: file })))
        unformatted.push(path.relative(REPO, file));
    }
    expect(unformatted, "run `npm run format`").toEqual([]);
  });
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

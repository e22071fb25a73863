/**
 * The repository's static checks, as part of `npm test` (each also runs on its own: `npm run typecheck`,
 * `npm run lint`): TypeScript over src, generated, codegen and test; Biome's rules with the zone boundaries
 * (which a scratch project with one forbidden import per zone shows are enforced); prettier's check is
 * format.test.ts. They run inside vitest so they share its two cores with the rest of the suite instead of
 * running before it, as the processes they are; this file starts first (test/support/sequencer.ts), tsc being
 * the longest single step of the suite.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { REPO } from "../support/paths.js";
import { describeRun, run } from "../support/run.js";

const BIN = path.join(REPO, "node_modules", ".bin");

/** A package.json script, run as `npm run` runs it (`sh -c`, node_modules/.bin first on PATH) without npm itself. */
async function runScript(name: string, timeoutMs: number) {
  const { scripts } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return run("sh", ["-c", scripts[name]!], { timeoutMs, env: { PATH: `${BIN}${path.delimiter}${process.env.PATH}` } });
}

describe("static checks", () => {
  it("npm run typecheck: tsc reports nothing", { timeout: 180_000 }, async () => {
    const r = await runScript("typecheck", 170_000);
    expect(r.stdout + r.stderr, describeRun(r)).toBe("");
    expect(r.code, describeRun(r)).toBe(0);
  });

  it("npm run lint:code: Biome reports no error or warning anywhere", { timeout: 60_000 }, async () => {
    const r = await runScript("lint:code", 50_000);
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
});

/**
 * The package's declarations are emitted module by module without a type-check (codegen/build-dts.ts), which
 * holds only while every export's type is written out. A module that needs inference from another file fails
 * the build with its place, and nothing is written. (The repository's own declarations: pack-install.test.ts.)
 */
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { buildDeclarations } from "../../codegen/build-dts.js";

/** A folder laid out like the repository (src/, generated/) with these modules in src/. */
async function project(modules: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "ccc-dts-"));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, "src"));
  await mkdir(path.join(root, "generated"));
  for (const [name, text] of Object.entries(modules)) await writeFile(path.join(root, "src", name), text);
  return root;
}

const TYPED = "export const LIMIT: number = 10 * 1024;\n";

describe("declarations from each module alone", () => {
  it("names the export that needs a written type (file:line:col) and writes nothing", async () => {
    const root = await project({
      "fine.ts": TYPED,
      "inferred.ts": 'import { other } from "./other.js";\n\nexport const value = other();\n',
    });
    const out = path.join(root, "dist");
    await expect(buildDeclarations(out, root)).rejects.toThrow(
      /1 problem\(s\), nothing written:\n {2}src\/inferred\.ts:3:14: Variable must have an explicit type annotation/,
    );
    await expect(access(out)).rejects.toThrow(/ENOENT/);
  });

  it("writes each module's .d.ts in the same folder layout once every export is typed", async () => {
    const root = await project({ "fine.ts": TYPED });
    const out = path.join(root, "dist");
    expect(await buildDeclarations(out, root)).toBe(1);
    await expect(access(path.join(out, "src", "fine.d.ts"))).resolves.toBeUndefined();
  });
});

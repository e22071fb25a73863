/**
 * A temporary copy of the repository's spec/ with extra test-only action specs, generated in-process, next to
 * symlinks to the real src/ and node_modules/ so the generated modules import the real runtime.
 */
import { copyFile, cp, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generate } from "../../codegen/generate.js";

const REPO = path.resolve(import.meta.dirname, "../..");

export interface Mirror {
  readonly dir: string;
  readonly openapiPath: string;
  /** Imports `<dir>/generated/index.ts`. */
  load<T = Record<string, unknown>>(): Promise<T>;
  remove(): Promise<void>;
}

/**
 * `extraActionSpecs`: action YAML files to add. `onlyActions`: keep just these of the repository's actions (the
 * models stay; unused ones cost nothing).
 */
export async function mirrorWith(
  extraActionSpecs: readonly string[],
  onlyActions?: readonly string[],
): Promise<Mirror> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ccc-mirror-"));
  await cp(path.join(REPO, "spec"), path.join(dir, "spec"), {
    recursive: true,
    filter: (src) =>
      !onlyActions ||
      path.dirname(src) !== path.join(REPO, "spec", "actions") ||
      onlyActions.includes(path.basename(src, ".yaml")),
  });
  for (const file of extraActionSpecs) await copyFile(file, path.join(dir, "spec", "actions", path.basename(file)));
  await symlink(path.join(REPO, "src"), path.join(dir, "src"), "dir");
  await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  await copyFile(path.join(REPO, "package.json"), path.join(dir, "package.json"));
  await generate({ specDir: path.join(dir, "spec"), outDir: path.join(dir, "generated") });
  return {
    dir,
    openapiPath: path.join(dir, "generated", "openapi.json"),
    load: async <T>() => (await import(path.join(dir, "generated", "index.ts"))) as T,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

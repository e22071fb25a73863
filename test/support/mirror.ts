/**
 * The one repository mirror of the tests: a temporary folder laid out like this checkout — a spec/ (by default
 * the small fixture spec, test/fixtures/spec/), generated/ from it (the generator run in-process), the repository's
 * package.json, and symlinks to the real src/ and node_modules/ so the generated modules import the real runtime.
 * Nothing in the repository itself is written.
 */
import { copyFile, cp, mkdir, mkdtemp, rm, symlink, unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runGenerate } from "../../codegen/cli.js";
import { FIXTURE_SPEC_DIR, REPO, SPEC_DIR } from "./paths.js";

export interface MirrorOptions {
  /** The spec/ to copy: the fixture spec (default), the repository's full spec/, or none at all. */
  readonly spec?: "fixture" | "full" | "none";
  /** Actions (by name) of that spec to leave out. */
  readonly omitActions?: readonly string[];
  /** Action spec files to copy into spec/actions/ (replacing one of the same name). */
  readonly addActions?: readonly string[];
  /** Symlink the repository's src/ (default true); node_modules/ is always linked. */
  readonly linkSrc?: boolean;
  /** Run the generator into generated/ before returning (default: true when there is a spec). */
  readonly generate?: boolean;
}

/** What the generator command printed, line by line, and its exit code. */
export interface GenerateRun {
  readonly code: number;
  readonly out: readonly string[];
  readonly err: readonly string[];
}

export interface Mirror {
  readonly dir: string;
  readonly specDir: string;
  readonly generatedDir: string;
  readonly openapiPath: string;
  /** `npm run generate -- --spec <dir>/spec --out <dir>/generated`, in-process. */
  generate(): Promise<GenerateRun>;
  /** Imports `<dir>/generated/index.ts`. */
  load<T = Record<string, unknown>>(): Promise<T>;
  /** Drops the links first (so nothing can reach the repository through them), then the folder. */
  remove(): Promise<void>;
}

/** Copies a spec folder (the fixture spec by default) to `dest`, leaving out the actions named in `omitActions`. */
export async function copySpec(
  dest: string,
  source: string = FIXTURE_SPEC_DIR,
  omitActions: readonly string[] = [],
): Promise<string> {
  await mkdir(dest, { recursive: true });
  const omitted = new Set(omitActions.map((a) => path.join(source, "actions", `${a}.yaml`)));
  await cp(source, dest, { recursive: true, filter: (src) => !omitted.has(src) });
  return dest;
}

export async function createMirror(opts: MirrorOptions = {}): Promise<Mirror> {
  const spec = opts.spec ?? "fixture";
  const dir = await mkdtemp(path.join(os.tmpdir(), "ccc-mirror-"));
  const specDir = path.join(dir, "spec");
  const generatedDir = path.join(dir, "generated");
  const links = ["node_modules", ...(opts.linkSrc === false ? [] : ["src"])];
  const remove = async () => {
    for (const link of links) await unlink(path.join(dir, link)).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  const generate = async (): Promise<GenerateRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runGenerate(["--spec", specDir, "--out", generatedDir], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out, err };
  };
  try {
    if (spec !== "none") {
      await copySpec(specDir, spec === "full" ? SPEC_DIR : FIXTURE_SPEC_DIR, opts.omitActions);
      for (const file of opts.addActions ?? [])
        await copyFile(file, path.join(specDir, "actions", path.basename(file)));
    }
    for (const link of links) await symlink(path.join(REPO, link), path.join(dir, link), "dir");
    // "type": "module" (and everything else) as in the repository.
    await copyFile(path.join(REPO, "package.json"), path.join(dir, "package.json"));
    if (opts.generate ?? spec !== "none") {
      const run = await generate();
      if (run.code !== 0) throw new Error(`test setup: generating the mirror failed:\n${run.err.join("\n")}`);
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return {
    dir,
    specDir,
    generatedDir,
    openapiPath: path.join(generatedDir, "openapi.json"),
    generate,
    load: async <T>() => (await import(pathToFileURL(path.join(generatedDir, "index.ts")).href)) as T,
    remove,
  };
}

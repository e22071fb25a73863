/**
 * Shared helpers of the import tests: the lines a command prints, empty spec folders, and spec/ as Tencent's
 * api.json alone gives it (without what spec/ took from a further source, marked `from`).
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";
import { renderAction, renderModel } from "../../codegen/import/yaml.js";
import { SPEC_DIR } from "../support/paths.js";

/** An `Io` for the import commands that keeps what they print. */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/**
 * An empty spec folder `<root>/<name>/spec` holding only spec/'s service.yaml (which the import does not write);
 * `<root>/<name>` can hold a package.json for the release step.
 */
export async function emptySpec(root: string, name: string): Promise<string> {
  const dir = path.join(root, name, "spec");
  await mkdir(dir, { recursive: true });
  await cp(path.join(SPEC_DIR, "service.yaml"), path.join(dir, "service.yaml"));
  return dir;
}

/** Copies spec/ to `dir` without what it marks `from` a further source; returns `dir`. */
export async function withoutFurtherSources(dir: string): Promise<string> {
  await cp(SPEC_DIR, dir, { recursive: true });
  for (const kind of ["actions", "models"]) {
    for (const name of await readdir(path.join(dir, kind))) {
      const file = path.join(dir, kind, name);
      const data = parse(await readFile(file, "utf8")) as RawActionSpec | RawModelSpec;
      if ("model" in data && data.from !== undefined) {
        await rm(file);
        continue;
      }
      const lists = "action" in data ? [data.input, data.output] : [data.members];
      let changed = false;
      for (const members of lists)
        for (const [m, member] of Object.entries(members))
          if (member.from !== undefined) {
            delete members[m];
            changed = true;
          }
      if (changed) await writeFile(file, "action" in data ? renderAction(data) : renderModel(data));
    }
  }
  return dir;
}

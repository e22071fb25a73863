/**
 * spec/ as Tencent's api.json alone gives it: a copy without the models and members spec/ took from a further
 * source (marked `from`: the official SDK's declarations), for the tests of that source's import.
 */
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import type { RawActionSpec, RawModelSpec } from "../../codegen/import/types.js";
import { renderAction, renderModel } from "../../codegen/import/yaml.js";
import { SPEC_DIR } from "../support/paths.js";

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

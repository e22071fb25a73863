/**
 * A folder of Tencent's machine-readable CCC definitions, as `spec:import --from` and `spec:diff --from` read it:
 * `api.zh.json` (required) and, when present, `api.en.json`, `examples.zh.json`, `examples.en.json`,
 * `errorcodes.zh.json`, `errorcodes.en.json`. The older sets tccli shipped have only the zh files; what a folder
 * lacks is said in `missing`, and what it would have given is then kept from the spec by the import.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiJson, ErrorCodesJson, ExamplesJson, Sources } from "./apijson.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** The default sources: the shared reference folder beside the repository. */
export const DEFAULT_SOURCES = path.resolve(REPO, "../shared/reference/ccc");

/** The files of a sources folder, by the `Sources` key each fills. */
export const SOURCE_FILES = {
  api: "api.zh.json",
  apiEn: "api.en.json",
  examples: "examples.zh.json",
  examplesEn: "examples.en.json",
  errorcodes: "errorcodes.zh.json",
  errorcodesEn: "errorcodes.en.json",
} as const satisfies Record<keyof Sources, string>;

export interface SourceFolder {
  readonly dir: string;
  readonly sources: Sources;
  /** The optional files the folder lacks, by name (`api.en.json`, ...). */
  readonly missing: readonly string[];
}

/** Bad input: a folder without api.zh.json, or a file that is not JSON of its kind. */
export class SourcesError extends Error {}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SourcesError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SourcesError(`${file} is not JSON: ${(e as Error).message}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether `data` has the top-level shape of its kind of file (the importers check the rest, member by member). */
function hasShape(key: keyof Sources, data: unknown): boolean {
  if (!isObject(data)) return false;
  if (key === "api" || key === "apiEn") return isObject(data.actions) && isObject(data.objects);
  return isObject(data.actions);
}

export async function readSources(dir: string): Promise<SourceFolder> {
  const sources: Partial<Record<keyof Sources, unknown>> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries(SOURCE_FILES) as [keyof Sources, string][]) {
    const file = path.join(dir, name);
    const data = await readJson(file);
    if (data === undefined) {
      if (key === "api") throw new SourcesError(`${dir} has no ${name}: a sources folder needs at least that file`);
      missing.push(name);
      continue;
    }
    if (!hasShape(key, data))
      throw new SourcesError(
        `${file} is not ${key.startsWith("api") ? "an api.json (no actions and objects)" : `a ${name} (no actions)`}`,
      );
    sources[key] = data;
  }
  return {
    dir,
    sources: sources as { api: ApiJson; apiEn?: ApiJson } & Partial<
      Record<string, ExamplesJson | ErrorCodesJson>
    > as Sources,
    missing,
  };
}

/** What a missing file costs, for the report. */
export function missingNote(folder: SourceFolder): string[] {
  return folder.missing.map(
    (name) =>
      `${name} is not in ${folder.dir}: ${
        name.startsWith("api.")
          ? "English texts are kept from the spec where it has them"
          : name.startsWith("examples.")
            ? "the spec's examples are kept"
            : "the spec's error codes are kept"
      }`,
  );
}

/**
 * Shared helpers of the generator tests: temporary copies of a spec, small text edits, folder snapshots and the
 * generator's command line run in-process. Nothing here touches the repository's own spec/ or generated/.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runGenerate } from "../../codegen/cli.js";
import { REPO } from "../support/paths.js";

export { copySpec } from "../support/mirror.js";
export { FIXTURE_SPEC_DIR, GENERATED_DIR, REPO, SPEC_DIR } from "../support/paths.js";
export const CLI = path.join(REPO, "codegen", "cli.ts");

/** A fresh folder under the OS temporary directory; remove it with `removeDir`. */
export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `ccc-codegen-${prefix}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** One small change to a spec folder. */
export type Edit =
  /** Replace `from` (which must occur exactly once) by `to` in `file`. */
  | { readonly file: string; readonly replace: readonly [from: string, to: string] }
  /** Write a new file (or overwrite one). */
  | { readonly file: string; readonly write: string }
  /** Delete a file or a whole folder. */
  | { readonly file: string; readonly remove: true };

export function occurrences(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + 1)) n++;
  return n;
}

export async function applyEdit(root: string, edit: Edit): Promise<void> {
  const file = path.join(root, edit.file);
  if ("remove" in edit) return rm(file, { recursive: true });
  if ("write" in edit) {
    await mkdir(path.dirname(file), { recursive: true });
    return writeFile(file, edit.write);
  }
  const [from, to] = edit.replace;
  const text = await readFile(file, "utf8");
  const n = occurrences(text, from);
  if (n !== 1) throw new Error(`test setup: ${JSON.stringify(from)} occurs ${n} times in ${edit.file}, expected once`);
  await writeFile(
    file,
    text.replace(from, () => to),
  );
}

/** Relative path (with `/`) → bytes of every file under `dir`. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else out.set(child, await readFile(path.join(dir, child)));
    }
  };
  await walk("");
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Relative path → sha256 of every file under `dir`. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [file, bytes] of await readTree(dir)) out[file] = createHash("sha256").update(bytes).digest("hex");
  return out;
}

/** What `npm run generate` printed (each line with its newline, as on a terminal) and its exit code. */
export interface GenerateOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The generator's command line in-process (`runGenerate` of codegen/cli.ts, which the script only wraps). */
export async function generateCli(args: readonly string[]): Promise<GenerateOutput> {
  let stdout = "";
  let stderr = "";
  const io = { out: (l: string) => (stdout += `${l}\n`), err: (l: string) => (stderr += `${l}\n`) };
  const code = await runGenerate(args, io);
  return { code, stdout, stderr };
}

/** 1-based number of the only line of `text` that contains `part`. */
export function lineOf(text: string, part: string): number {
  const lines = text.split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(part) ? [i + 1] : []));
  if (hits.length !== 1)
    throw new Error(`test setup: ${JSON.stringify(part)} is on ${hits.length} lines, expected one`);
  return hits[0]!;
}

/** Replacing an output folder at once: the generator's generated/ and the reference site's docs/. */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Replaces `outDir` with exactly `files`: writes a sibling temporary folder, then swaps it in with renames.
 * If anything fails before the swap, `outDir` is untouched; after a failed swap the old folder is put back.
 */
export async function writeAtomically(files: ReadonlyMap<string, string>, outDir: string): Promise<void> {
  const parent = path.dirname(path.resolve(outDir));
  const base = path.basename(path.resolve(outDir));
  const tmp = path.join(parent, `.${base}.tmp-${process.pid}`);
  const old = path.join(parent, `.${base}.old-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    const dirs = new Set([...files.keys()].map((file) => path.dirname(path.join(tmp, file))));
    for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
    await Promise.all([...files].map(([file, text]) => writeFile(path.join(tmp, file), text)));
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  let moved = false;
  try {
    await rename(outDir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }
  try {
    await rename(tmp, outDir);
  } catch (e) {
    if (moved) await rename(old, outDir);
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

/**
 * Where the tests find things: this checkout, its spec/ and generated/, the small fixture spec, and the
 * reference data (Tencent's api.json, examples, error codes, doc pages, TC3 vectors) that lives next to the
 * repository in `../shared/reference/` — the one place that location is written down.
 * `CCC_REFERENCE_DIR` points elsewhere when a checkout does not sit next to `shared/`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this checkout), without a trailing separator. */
export const REPO = path.resolve(fileURLToPath(new URL("../../", import.meta.url)));
export const SPEC_DIR = path.join(REPO, "spec");
export const GENERATED_DIR = path.join(REPO, "generated");
/** A few actions and a model copied from spec/ (test/fixtures/spec/README.md): for tests that need no full spec. */
export const FIXTURE_SPEC_DIR = path.join(REPO, "test", "fixtures", "spec");

/** The reference data folder: `$CCC_REFERENCE_DIR`, else `../shared/reference` next to the repository. */
export const REFERENCE_DIR = process.env.CCC_REFERENCE_DIR
  ? path.resolve(process.env.CCC_REFERENCE_DIR)
  : path.resolve(REPO, "..", "shared", "reference");

/**
 * A path inside the reference data, e.g. `reference("ccc", "api.zh.json")`; fails with where it looked (rather
 * than a bare ENOENT) when the reference data is not there.
 */
export function reference(...parts: string[]): string {
  if (!existsSync(REFERENCE_DIR))
    throw new Error(
      `the reference data is not at ${REFERENCE_DIR}: the tests expect ../shared/reference next to the repository, or CCC_REFERENCE_DIR`,
    );
  return path.join(REFERENCE_DIR, ...parts);
}

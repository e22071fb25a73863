/**
 * A package version the tests need but the project does not depend on (a newer Node's binary, an older
 * TypeScript), installed once from the npm registry into node_modules/.cache/ and reused by later runs. Its own
 * folder: its bin never shadows the project's (an older TypeScript's `tsc` would).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { REPO } from "./paths.js";
import { describeRun, run } from "./run.js";

/** Downloading the package the first time (Node's binary is about 50 MB). */
export const INSTALL_TIMEOUT_MS = 180_000;

/** The folder of `name@version` (node_modules/.cache/ccc-pkg-<name>-<version>/node_modules/<name>), installed if missing. */
export async function cachedPackage(name: string, version: string): Promise<string> {
  const prefix = path.join(REPO, "node_modules", ".cache", `ccc-pkg-${name.replace("/", "+")}-${version}`);
  const dir = path.join(prefix, "node_modules", name);
  if (existsSync(path.join(dir, "package.json"))) return dir;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = await run(
    npm,
    ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix, `${name}@${version}`],
    {
      timeoutMs: INSTALL_TIMEOUT_MS,
    },
  );
  if (r.code !== 0 || !existsSync(path.join(dir, "package.json")))
    throw new Error(`installing ${name}@${version} for the tests: ${describeRun(r)}`);
  return dir;
}

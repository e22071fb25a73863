/** What the workers, run.mjs and profile.mjs share: the inputs, and where our built package's entry is. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const BENCH = import.meta.dirname;
export const REPO = path.resolve(BENCH, "..");

/** The conditions Node matches for `import "ccc-sdk"`: never browser, workerd or require. */
const NODE_ESM_CONDITIONS = new Set(["node", "import", "default"]);

/**
 * The file a condition map leads to, resolved as Node does: the first key (in the map's order) that is one of
 * NODE_ESM_CONDITIONS, descending into nested maps until a string (`types` is no condition Node matches, so a
 * `{ types, default }` leaf gives its `default`). Undefined when no key matches.
 */
function resolveConditions(target) {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object" || Array.isArray(target)) return undefined;
  for (const [condition, next] of Object.entries(target)) {
    if (!NODE_ESM_CONDITIONS.has(condition)) continue;
    const found = resolveConditions(next);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The file `import "ccc-sdk"` loads once built, read from package.json's exports map (so the bench follows the
 * package's layout, whatever dist/ looks like): the published form. Both a flat `{ import, default }` and a nested
 * `{ browser, workerd, require, default: { types, default } }` entry resolve; `main` when there is no exports map.
 */
export function oursEntry() {
  const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8"));
  const { exports } = pkg;
  // `exports` is either a subpath map ({ ".": …, "./x": … }) or the "." entry itself (a string or conditions).
  const subpaths = exports && typeof exports === "object" && Object.keys(exports).some((k) => k.startsWith("."));
  const rel = exports === undefined ? pkg.main : resolveConditions(subpaths ? exports["."] : exports);
  if (typeof rel !== "string") throw new Error('package.json names no ESM Node entry (exports["."] or main)');
  return path.join(REPO, rel);
}
export const oursEntryUrl = () => pathToFileURL(oursEntry()).href;

export const SECRET_ID = "AKIDBENCH0000000000000000000000000000";
export const SECRET_KEY = "bench-secret-key-0000000000000000";
/** The e2e input: valid for our validation (on), the same object for every participant. */
export const INPUT = Object.freeze({ SdkAppId: 1400000000, PhoneNumbers: ["008602112345678"], Disabled: 1 });
/** ~150-byte JSON body for the signing benchmark (an object for theirs, which serialises it itself). */
export const SIGN_OBJECT = {
  SdkAppId: 1400000000,
  PhoneNumbers: ["008602112345678", "008602112345679", "008602112345680", "008602112345681"],
  Disabled: 1,
  Remark: "bench-signing",
};
export const SIGN_BODY = JSON.stringify(SIGN_OBJECT);
export const SIGN_HOST = "ccc.tencentcloudapi.com";
/** The one action every participant calls, and the API version it belongs to. */
export const ACTION = "DisableCCCPhoneNumber";
export const VERSION = "2020-02-10";
/** The official SDK's per-service CCC client (its `Client` export): the fair baseline, resolved from bench/. */
export const THEIRS_CLIENT = "tencentcloud-sdk-nodejs/tencentcloud/services/ccc/v20200210/ccc_client";

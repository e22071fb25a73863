/** What the workers, run.mjs and profile.mjs share: the inputs, and where our built package's entry is. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const BENCH = import.meta.dirname;
export const REPO = path.resolve(BENCH, "..");

/**
 * The file `import "ccc-sdk"` loads once built, read from package.json's exports map (so the bench follows the
 * package's layout, whatever dist/ looks like): the published form.
 */
export function oursEntry() {
  const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8"));
  const dot = pkg.exports?.["."];
  const rel = typeof dot === "string" ? dot : (dot?.import ?? dot?.default ?? pkg.main);
  if (typeof rel !== "string") throw new Error('package.json names no entry (exports["."].import or main)');
  return path.join(REPO, rel);
}
export const oursEntryUrl = () => pathToFileURL(oursEntry()).href;

export const SECRET_ID = "AKIDBENCH0000000000000000000000000000";
export const SECRET_KEY = "bench-secret-key-0000000000000000";
/** The e2e input: valid for our validation (on), the same object for both SDKs. */
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

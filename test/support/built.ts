/**
 * The package's programs as the tests start them in separate processes: the JavaScript `npm run build` ships,
 * bundled once per run from the current sources (test/support/global-setup.ts). A process starts in about
 * 0.15 s of CPU this way instead of 0.7 s through tsx, and the suite starts about sixty of them. Tests about
 * running the TypeScript source itself (the npm scripts, tsx, a mirror's generated TypeScript) still use tsx.
 */
import path from "node:path";
import { inject } from "vitest";

export type Entry =
  "index" | "emulator/main" | "emulator/index" | "cli/main" | "web/index" | "push/index" | "redis/index";

/** The bundled file of an entry point, e.g. `built("emulator/main")`, to run with `node`. */
export function built(entry: Entry): string {
  return path.join(inject("builtDir"), "js", `${entry}.js`);
}

/** The CommonJS copy of an entry point (dist/cjs, package.json's `require` condition), e.g. `builtCommonJs("index")`. */
export function builtCommonJs(entry: "index" | "emulator/index"): string {
  return path.join(inject("builtDir"), "cjs", `${entry}.cjs`);
}

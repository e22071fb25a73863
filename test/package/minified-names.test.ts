/**
 * Error names survive an app's minifier: an app bundling the SDK with `minify: true` (esbuild here, as vite and
 * others do) renames classes, and errors named after their class would then be called `"G"` or `"E"`. Each error
 * class writes its name as a string (`errorName`); this bundles a small app minified and runs it. And the
 * JavaScript the package ships is not minified, so an uncaught error prints a readable line.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sdk from "../../src/index.js";
import { built } from "../support/built.js";
import { REPO } from "../support/paths.js";
import { run } from "../support/run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ccc-minified-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const APP = `
import { CccClient, CccConfigError, CccValidationError } from ${JSON.stringify(path.join(REPO, "src", "index.ts"))};
const names = [];
try { new CccClient({ site: "mars" }); } catch (e) { names.push(e.name, e instanceof CccConfigError); }
const client = new CccClient({ credentials: { secretId: "AKIDTEST", secretKey: "x" } });
try { await client.disableCCCPhoneNumber({ PhoneNumbers: [], Disabled: 7 }); } catch (e) { names.push(e.name, e instanceof CccValidationError, String(e).split(":")[0]); }
client.close();
console.log(JSON.stringify({ names, className: CccConfigError.name }));
`;

describe("an app's minified bundle", () => {
  it("keeps the SDK's error names, though the classes are renamed", async () => {
    await writeFile(path.join(dir, "app.mjs"), APP);
    await build({
      entryPoints: [path.join(dir, "app.mjs")],
      outfile: path.join(dir, "out.mjs"),
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      absWorkingDir: REPO,
      logLevel: "error",
    });
    expect(await readFile(path.join(dir, "out.mjs"), "utf8")).not.toContain("class CccConfigError");
    const r = await run(process.execPath, [path.join(dir, "out.mjs")], { cwd: REPO, timeoutMs: 20_000 });
    expect(r.stderr).toBe("");
    const { names, className } = JSON.parse(r.stdout.trim()) as { names: unknown[]; className: string };
    expect(className).not.toBe("CccConfigError"); // the minifier did rename the class
    expect(names).toEqual(["CccConfigError", true, "CccValidationError", true, "CccValidationError"]);
  });

  it("every error class the package exports has its own class name as errorName", () => {
    const classes = Object.entries(sdk).filter(
      ([, v]) => typeof v === "function" && (v === sdk.CccSdkError || v.prototype instanceof sdk.CccSdkError),
    );
    expect(classes.length).toBeGreaterThanOrEqual(9);
    for (const [name, cls] of classes) expect((cls as typeof sdk.CccSdkError).errorName, name).toBe(name);
  });
});

describe("the published JavaScript", () => {
  it("an uncaught SDK error prints its name, message and a readable line, not a minified chunk", async () => {
    const script = `import(${JSON.stringify(pathToFileURL(built("index")).href)}).then((m) => new m.CccClient({ site: "mars" }));`;
    const r = await run(process.execPath, ["--input-type=module", "-e", script], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    // Node prints the throwing line, a caret, a blank line, then the stack: a few hundred bytes, not 17-65 KB.
    expect(r.stderr.length).toBeLessThan(3000);
    expect(r.stderr).toContain('CccConfigError: site must be "china" or "international", got "mars"');
    const longest = Math.max(...r.stderr.split("\n").map((l) => l.length));
    expect(longest).toBeLessThan(200);
  });
});

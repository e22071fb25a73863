/**
 * Per-action modules: an app that calls one action bundles the same code whether the spec has 2 actions or all of
 * them (esbuild --bundle --minify --platform=node, gzipped).
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMirror, type Mirror } from "../support/mirror.js";
import { REPO } from "../support/paths.js";

const APP = `
import { CccBareClient, DisableCCCPhoneNumberCommand } from "./generated/index.js";
const client = new CccBareClient({ endpoint: "http://127.0.0.1:9" });
console.log(await client.send(DisableCCCPhoneNumberCommand, { PhoneNumbers: ["0086"], Disabled: 1 }));
`;

async function bundle(root: string): Promise<{ text: string; gzip: number }> {
  const result = await build({
    stdin: { contents: APP, resolveDir: root, sourcefile: "app.ts", loader: "ts" },
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]!.text;
  return { text, gzip: gzipSync(text).length };
}

let two: Mirror;
let full: { text: string; gzip: number };
let small: { text: string; gzip: number };
let actionCount = 0;

beforeAll(async () => {
  // DisableCCCPhoneNumber and ModifyOwnNumberApply (the fixture spec without its third action).
  two = await createMirror({ omitActions: ["CreateOwnNumberApply"] });
  small = await bundle(two.dir);
  full = await bundle(REPO);
  actionCount = Object.keys(((await import("../../generated/index.js")) as { commands: object }).commands).length;
}, 120_000);

afterAll(async () => {
  await two?.remove();
});

describe("one-action bundle", () => {
  it("grows by at most 10 % from a 2-action spec to the full spec", () => {
    const growth = full.gzip / small.gzip - 1;
    console.log(
      `one-action app, gzipped: ${small.gzip} B with 2 actions, ${full.gzip} B with ${actionCount} (${(growth * 100).toFixed(1)} %)`,
    );
    expect(growth).toBeLessThanOrEqual(0.1);
  });

  it("contains the called action and none of the others", async () => {
    const { commands } = (await import("../../generated/index.js")) as { commands: Record<string, { name: string }> };
    expect(full.text).toContain("DisableCCCPhoneNumber");
    const others = Object.keys(commands).filter((n) => n !== "DisableCCCPhoneNumber" && full.text.includes(`"${n}"`));
    expect(others).toEqual([]);
  });
});

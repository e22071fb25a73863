/**
 * What the published code says to its readers (generated/, as committed): no importer's unfinished business, each
 * action's error codes once and apart from the common ones, the shared failure text once per client class.
 * The findings were 81 methods whose hover text said an importer's verb rule decided `idempotent` ("review"),
 * unions repeating codes, and the same four `@throws` lines on every method.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readTree } from "./helpers.js";
import { GENERATED_DIR } from "../support/paths.js";

let files: Map<string, string>;
beforeAll(async () => {
  files = new Map([...(await readTree(GENERATED_DIR))].map(([file, bytes]) => [file, bytes.toString("utf8")]));
});

/** The string literals of the union type alias `name` in `source`. */
function unionMembers(source: string, name: string): string[] {
  const m = new RegExp(`export type ${name} =([^;]*);`).exec(source);
  if (!m) throw new Error(`no type ${name}`);
  return [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
}

describe("published text", () => {
  it("holds no importer's guess or request for review", () => {
    // The importer's own words: its verb rule, its `unreviewed:` reasons, its "review" requests.
    const marker = /.{0,40}(verb rule|decided by the importer|importer's guess|unreviewed:|; review\.).{0,40}/gi;
    const found = [...files].flatMap(([file, text]) => [...text.matchAll(marker)].map((m) => `${file}: ${m[0]}`));
    expect(found).toEqual([]);
  });

  it("lists each action's error codes once, none of them a common code", async () => {
    const common = new Set(unionMembers(files.get("service.ts")!, "CommonErrorCode"));
    const actions = [...files.keys()].filter((f) => f.startsWith("actions/"));
    expect(actions.length).toBeGreaterThan(80);
    for (const file of actions) {
      const name = path.basename(file, ".ts");
      const source = await readFile(path.join(GENERATED_DIR, file), "utf8");
      if (!source.includes(`export type ${name}ErrorCode =`)) continue;
      const own = unionMembers(source, `${name}ErrorCode`);
      expect(new Set(own).size, `${file}: a code twice`).toBe(own.length);
      expect(
        own.filter((c) => common.has(c)),
        `${file}: common codes belong to CommonErrorCode`,
      ).toEqual([]);
    }
  });

  it("says what every call may throw once per client class, not on every method", () => {
    const client = files.get("client.ts")!;
    expect(client.match(/\{@link CccValidationError\}/g)).toHaveLength(2);
    expect(client.match(/\{@link CccConnectionError\}/g)).toHaveLength(2);
  });
});

/**
 * The fixture spec (test/fixtures/spec/) the generator tests use instead of the full spec/ is a set of exact
 * copies of spec/'s files, so what those tests prove about it holds for spec/: this fails as soon as one drifts.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../codegen/load.js";
import { FIXTURE_SPEC_DIR, SPEC_DIR } from "../support/paths.js";

const FILES = [
  "service.yaml",
  "actions/CreateOwnNumberApply.yaml",
  "actions/DisableCCCPhoneNumber.yaml",
  "actions/ModifyOwnNumberApply.yaml",
  "models/OwnNumberApplyDetailItem.yaml",
];

describe("test/fixtures/spec/", () => {
  it("holds exactly the listed spec files (and its README)", async () => {
    const found = [
      "service.yaml",
      ...(await readdir(path.join(FIXTURE_SPEC_DIR, "actions"))).map((f) => `actions/${f}`),
      ...(await readdir(path.join(FIXTURE_SPEC_DIR, "models"))).map((f) => `models/${f}`),
    ];
    expect(found.sort()).toEqual([...FILES].sort());
    expect((await readdir(FIXTURE_SPEC_DIR)).sort()).toEqual(["README.md", "actions", "models", "service.yaml"]);
  });

  it.each(FILES)("%s is a byte-for-byte copy of spec/'s (refresh it as its README says)", async (file) => {
    const copy = await readFile(path.join(FIXTURE_SPEC_DIR, file), "utf8");
    expect(copy, `cp spec/${file} test/fixtures/spec/${file}`).toBe(await readFile(path.join(SPEC_DIR, file), "utf8"));
  });

  it("loads: three actions (one of them not idempotent) and the model they use", async () => {
    const service = await loadSpec(FIXTURE_SPEC_DIR);
    expect(service.actions.map((a) => [a.name, a.idempotent])).toEqual([
      ["CreateOwnNumberApply", false],
      ["DisableCCCPhoneNumber", true],
      ["ModifyOwnNumberApply", true],
    ]);
    expect(service.models.map((m) => m.name)).toEqual(["OwnNumberApplyDetailItem"]);
  });
});

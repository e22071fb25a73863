/**
 * "The docs changed", replayed on real history (../shared/reference/ccc/history/, README there): Tencent's CCC
 * definitions of 2023-03-07 (zh only), 2025-07-22 (74 actions) and the current set (84 actions).
 *
 * - An update is a fresh import: importing an older set and updating to a newer one writes, byte for byte, what
 *   importing the newer set into an empty spec folder writes, in every field, for each step of the history.
 * - The real 2025 → 2026 changes are classified as an app meets them: the five inputs that became required,
 *   the two outputs that became optional and the error code that left its union are breaking; the bump is major.
 * - Both directions keep what a person wrote: spec/ (its reviewed idempotency, hand-written English, marked
 *   constraints, notes) taken back to the 2025 definitions and forward again is spec/ again, byte for byte.
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../codegen/import/cli.js";
import { runDiff } from "../../codegen/import/diff-cli.js";
import { readTree } from "../codegen/helpers.js";
import { reference, SPEC_DIR } from "../support/paths.js";
import { captureIo, emptySpec as emptySpecIn } from "./helpers.js";

const HISTORY = ["2023-03-07", "2024-03-01", "2025-07-22"].map((d) => reference("ccc", "history", d));
const CURRENT = reference("ccc");
/** A whole import of the 84 actions, writing and loading the result, in-process. */
const IMPORT_TIMEOUT = 60_000;

let root: string | undefined;
/** Spec folders imported once (each test works on a copy): the 2025-07-22 set, and the current set fresh. */
let imported2025: string;
let freshCurrent: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "ccc-replay-"));
  imported2025 = await emptySpec("base-2025");
  freshCurrent = await emptySpec("base-current");
  await importAll(imported2025, HISTORY[2]!);
  await importAll(freshCurrent, CURRENT);
}, 2 * IMPORT_TIMEOUT);
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const quiet = captureIo;
const emptySpec = (name: string) => emptySpecIn(root!, name);

/** A copy of a spec folder imported in beforeAll, for one test to change. */
async function copyOf(spec: string, name: string): Promise<string> {
  const dir = path.join(root!, name, "spec");
  await cp(spec, dir, { recursive: true });
  return dir;
}

async function importAll(spec: string, from: string, ...flags: string[]): Promise<string[]> {
  const r = quiet();
  const code = await runImport(["--all", "--from", from, "--spec", spec, ...flags], r.io);
  expect(r.err, r.err.join("\n")).toEqual([]);
  expect(code).toBe(0);
  return r.out;
}

/** The two folders hold the same files with the same bytes (compared as text, for a readable failure). */
async function expectSameTree(actual: string, expected: string): Promise<void> {
  const [a, e] = [await readTree(actual), await readTree(expected)];
  expect([...a.keys()]).toEqual([...e.keys()]);
  for (const [file, bytes] of e) expect(a.get(file)?.toString("utf8"), file).toBe(bytes.toString("utf8"));
}

describe("an update is a fresh import", () => {
  it(
    "2025-07-22 → current: every file byte for byte what a fresh import of the current set writes",
    async () => {
      const updated = await copyOf(imported2025, "updated");
      const out = await importAll(updated, CURRENT);
      expect(out.some((l) => /^0 added, 0 updated/.test(l))).toBe(false);
      await expectSameTree(updated, freshCurrent);
    },
    IMPORT_TIMEOUT,
  );

  it(
    "2023-03-07 (zh only: what it lacks is said, not fatal) → 2025-07-22 equals a fresh 2025-07-22 import",
    async () => {
      const updated = await emptySpec("old-updated");
      const first = await importAll(updated, HISTORY[0]!);
      expect(first.join("\n")).toContain("api.en.json is not in");
      expect(first.join("\n")).toContain("errorcodes.zh.json is not in");
      await importAll(updated, HISTORY[2]!);
      await expectSameTree(updated, imported2025);
    },
    IMPORT_TIMEOUT,
  );
});

describe("the 2025 → 2026 changes, classified", () => {
  let json: { bump: string; changes: { path: string; impact: string; what: string }[] };
  let code: number;

  beforeAll(async () => {
    const r = quiet();
    code = await runDiff(["--from", CURRENT, "--spec", imported2025, "--json"], r.io);
    expect(r.err).toEqual([]);
    json = JSON.parse(r.out.join("\n"));
  }, IMPORT_TIMEOUT);

  it("exits 1 and bumps major", () => {
    expect(code).toBe(1);
    expect(json.bump).toBe("major");
  });

  it("names the five inputs made required, the two outputs made optional and the error code removed", () => {
    const breaking = json.changes.filter((c) => c.impact === "breaking").map((c) => `${c.path}: ${c.what}`);
    expect(breaking).toEqual(
      expect.arrayContaining([
        "DescribeTelCdr.input.SdkAppId: made required",
        "DescribeTelCdr.input.PageSize: made required",
        "DescribeTelCdr.input.PageNumber: made required",
        "CreateUserSig.input.ClientData: made required",
        "BindStaffSkillGroupList.input.StaffSkillGroupList: made required",
        "TelCdrInfo.IVRKeyPressed: made optional: answers may leave it out",
        "TelCdrInfo.PostIVRKeyPressed: made optional: answers may leave it out",
        "ResetExtensionPassword: error code InvalidParameterValue removed from the union",
      ]),
    );
    expect(breaking).toHaveLength(8);
  });

  it("lists the ten new actions as features and the text fixes as docs", () => {
    const added = json.changes.filter((c) => c.what === "action added").map((c) => c.path);
    expect(added).toHaveLength(10);
    expect(json.changes.every((c) => c.what !== "action added" || c.impact === "feature")).toBe(true);
    // The upstream fix of a wrong value in an English text (the merge of old kept it).
    expect(json.changes).toContainEqual(
      expect.objectContaining({ path: "CreateAICall.input.WelcomeMessagePriority", impact: "docs" }),
    );
    expect(json.changes.filter((c) => c.impact === "docs").length).toBeGreaterThan(50);
  });
});

describe("both directions keep what a person wrote", () => {
  it(
    "spec/ taken back to the 2025-07-22 definitions and forward to the current ones is spec/ again",
    async () => {
      const spec = path.join(root!, "round-trip", "spec");
      await cp(SPEC_DIR, spec, { recursive: true });
      // Back: the ten actions 2025 does not have are kept (--keep-removed), as a maintainer bisecting would.
      const back = await importAll(spec, HISTORY[2]!, "--keep-removed");
      expect(back.filter((l) => l.startsWith("  kept      action "))).toHaveLength(10);
      expect(back.some((l) => /^0 added, \d+ updated, \d+ unchanged, 0 removed, \d+ kept;/.test(l))).toBe(true);
      const disable = await readFile(path.join(spec, "actions", "DisableCCCPhoneNumber.yaml"), "utf8");
      expect(disable).toContain("idempotentReason: Sets the numbers' disabled flag to the given value");
      expect(disable).toContain('handWritten: ["minItems", "uniqueItems"]');
      expect(disable).toContain(
        "en: Enable or disable phone numbers of a contact center instance.\n  handWritten: true",
      );
      // Forward again.
      await importAll(spec, CURRENT);
      await expectSameTree(spec, SPEC_DIR);
    },
    IMPORT_TIMEOUT,
  );

  it(
    "an update of spec/ from the sources it was imported from changes nothing (spec/ is a fixed point)",
    async () => {
      const spec = path.join(root!, "fixed", "spec");
      await cp(SPEC_DIR, spec, { recursive: true });
      const out = await importAll(spec, CURRENT);
      // The four models taken from the official SDK (marked `from`) are kept: api.json does not have them yet.
      expect(out.at(-1)).toMatch(/^0 added, 0 updated, 167 unchanged, 0 removed, 4 kept; bump none;/);
      await expectSameTree(spec, SPEC_DIR);
    },
    IMPORT_TIMEOUT,
  );
});

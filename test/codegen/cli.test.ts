/**
 * The generator's command line (`npm run generate`, codegen/cli.ts): the full spec/ generated once, byte for byte
 * the committed generated/ and every file formatted; on the small fixture spec (test/fixtures/spec/), in-process
 * through `runGenerate` (what the script runs): determinism, `--check`, exit codes, messages and atomic
 * replacement, paths relative to the working directory; and as a real subprocess (`node --import tsx
 * codegen/cli.ts`): its arguments, output streams and exit codes.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRETTIER, parserFor } from "../../codegen/format.js";
import { PREFORMATTED } from "../../codegen/generate.js";
import { describeRun, runTs } from "../support/run.js";
import {
  applyEdit,
  CLI,
  copySpec,
  generateCli,
  GENERATED_DIR,
  hashTree,
  lineOf,
  readTree,
  removeDir,
  SPEC_DIR,
  tempDir,
} from "./helpers.js";

/** Generating the full spec in-process; one run of the command as a subprocess. */
const FULL_TIMEOUT = 60_000;
const PROCESS_TIMEOUT = 20_000;
/** Names `writeAtomically` (or any similar scheme) could leave next to the output folder. */
const LEFTOVER = /\.(tmp|old|bak|new)\b|\.tmp-|\.old-|~$/;

let root: string | undefined;
/** The fixture spec's copy, its output, and that output's files. */
let spec: string;
let out: string;
let generated: Map<string, Buffer>;
/** `line:col` of the broken type in `bad`, a copy of the fixture spec with one unknown type. */
let bad: string;
let at: string;

beforeAll(async () => {
  root = await tempDir("cli");
  spec = await copySpec(path.join(root, "spec"));
  out = path.join(root, "out");
  const run = await generateCli(["--spec", spec, "--out", out]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^generate: wrote \d+ files to .*out\/ in \d+ ms \(prettier formatted \d+\)\n$/);
  generated = await readTree(out);

  bad = await copySpec(path.join(root, "bad-spec"));
  await applyEdit(bad, {
    file: "actions/DisableCCCPhoneNumber.yaml",
    replace: ["  PhoneNumbers:\n    type: string\n", "  PhoneNumbers:\n    type: strng\n"],
  });
  at = `${lineOf(await readFile(path.join(bad, "actions", "DisableCCCPhoneNumber.yaml"), "utf8"), "type: strng")}:11`;
}, FULL_TIMEOUT);

afterAll(async () => {
  await removeDir(root);
});

/** A fresh copy of the fixture spec's output, to be modified by one test. */
async function copyOfOutput(name: string): Promise<string> {
  const dir = path.join(root!, name);
  for (const [file, bytes] of generated) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), bytes);
  }
  return dir;
}

describe("the full spec/, generated once", () => {
  let fullRoot: string | undefined;
  let full: Map<string, Buffer>;
  let fullRun: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    fullRoot = await tempDir("cli-full");
    // Without the format cache: the staleness gate formats everything from scratch, as CI's does.
    fullRun = await generateCli(["--no-cache", "--spec", SPEC_DIR, "--out", path.join(fullRoot, "out")]);
    full = await readTree(path.join(fullRoot, "out"));
  }, FULL_TIMEOUT);
  afterAll(async () => {
    await removeDir(fullRoot);
  });

  // `npm test`'s staleness check (what `npm run generate -- --check` checks, without loading the generator a
  // second time in a process of its own).
  it("writes the same files, byte for byte, as the committed generated/", async () => {
    expect(fullRun.stderr).toBe("");
    expect(fullRun.code).toBe(0);
    const committed = await readTree(GENERATED_DIR);
    const stale = "is stale: run `npm run generate` and commit the result";
    expect([...full.keys()], `generated/ ${stale}`).toEqual([...committed.keys()]);
    for (const [file, bytes] of committed)
      expect(full.get(file)?.toString("utf8"), `generated/${file} ${stale}`).toBe(bytes.toString("utf8"));
    for (const [file, bytes] of committed) expect(full.get(file)?.equals(bytes), `generated/${file}`).toBe(true);
  });

  it("prints what it wrote and leaves nothing but the output folder behind", async () => {
    const preformatted = [...full.keys()].filter((f) => PREFORMATTED.has(f) || f === "ACTIONS.md").length;
    expect(fullRun.stdout).toMatch(
      new RegExp(
        `^generate: wrote ${full.size} files to .*out/ in \\d+ ms \\(prettier formatted ${full.size - preformatted}\\)\\n$`,
      ),
    );
    expect(await readdir(fullRoot!)).toEqual(["out"]);
  });

  it("starts every generated .ts file with the generated-code header", () => {
    const ts = [...full.keys()].filter((f) => f.endsWith(".ts"));
    expect(ts.length).toBeGreaterThanOrEqual(6);
    for (const file of ts) {
      const text = full.get(file)!.toString("utf8");
      expect(text.startsWith("// Code generated by "), file).toBe(true);
      expect(text.split("\n")[0], file).toContain("DO NOT EDIT");
    }
  });

  it("formats every generated file: TypeScript and Markdown with prettier's fixed options, JSON as JSON.stringify", async () => {
    expect([...full.keys()].every((f) => /\.(ts|json|md)$/.test(f))).toBe(true);
    for (const [file, bytes] of full) {
      const text = bytes.toString("utf8");
      if (file.endsWith(".json")) expect(text, file).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      // The catalog and ACTIONS.md are written as prettier would print them, without running prettier: checked
      // here. Every other file is prettier's own output (the generation above runs without the format cache).
      else if (PREFORMATTED.has(file) || file === "ACTIONS.md")
        expect(await prettier.check(text, { ...PRETTIER, parser: parserFor(file) }), file).toBe(true);
      expect(text.endsWith("\n"), file).toBe(true);
      expect(bytes.includes("\r"), file).toBe(false);
    }
  });

  it("prints TypeScript as prettier's typescript parser does (the generator uses babel-ts, which is faster)", async () => {
    // One file of each kind the emitters write; prettier's typescript parser is slow to load and to run.
    const kinds = ["actions/DisableCCCPhoneNumber.ts", "models/OwnNumberApplyDetailItem.ts", "client.ts", "index.ts"];
    for (const file of [...kinds, "service.ts", "catalog.ts"]) {
      const text = full.get(file)!.toString("utf8");
      expect(await prettier.check(text, { ...PRETTIER, parser: "typescript" }), file).toBe(true);
    }
  });
});

describe("runGenerate (the command, in-process) on the fixture spec", () => {
  it("leaves nothing but the output folder next to it", async () => {
    const left = (await readdir(root!)).filter((e) => e === "out" || LEFTOVER.test(e) || e.startsWith(".out"));
    expect(left).toEqual(["out"]);
  });

  it("is deterministic: a second run into another folder, formatting afresh, gives identical bytes", async () => {
    const second = path.join(root!, "out-again");
    const run = await generateCli(["--no-cache", "--spec", spec, "--out", second]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wrote (\d+) files .* \(prettier formatted [1-9]\d*\)/);
    expect(await hashTree(second)).toEqual(await hashTree(out));
    await rm(second, { recursive: true });
  });

  it("replaces an existing output folder entirely (stale extra files disappear)", async () => {
    const dir = await copyOfOutput("out-replace");
    await writeFile(path.join(dir, "actions", "Removed.ts"), "// an action whose spec was deleted\n");
    await writeFile(path.join(dir, "client.ts"), "// hand edit\n");
    const run = await generateCli(["--spec", spec, "--out", dir]);
    expect(run.code).toBe(0);
    expect(await hashTree(dir)).toEqual(await hashTree(out));
    expect((await readdir(root!)).filter((e) => LEFTOVER.test(e))).toEqual([]);
    await rm(dir, { recursive: true });
  });

  describe("--check", () => {
    it("exits 0 on a fresh output", async () => {
      const run = await generateCli(["--check", "--spec", spec, "--out", out]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(/up to date/);
      expect(run.code).toBe(0);
    });

    const stale: { name: string; change: (dir: string) => Promise<void>; want: string }[] = [
      {
        name: "a modified file",
        change: async (dir) => {
          const file = path.join(dir, "actions", "DisableCCCPhoneNumber.ts");
          await writeFile(file, (await readFile(file, "utf8")).replace("idempotent: true", "idempotent: false"));
        },
        want: "actions/DisableCCCPhoneNumber.ts (changed)",
      },
      {
        name: "a deleted file",
        change: (dir) => rm(path.join(dir, "models", "OwnNumberApplyDetailItem.ts")),
        want: "models/OwnNumberApplyDetailItem.ts (missing)",
      },
      {
        name: "an extra file",
        change: (dir) => writeFile(path.join(dir, "actions", "Extra.ts"), "export {};\n"),
        want: "actions/Extra.ts (not generated by the spec)",
      },
    ];
    it.each(stale)("exits 1 and names $name", async ({ name, change, want }) => {
      const dir = await copyOfOutput(`out-${name.replace(/\W+/g, "-")}`);
      await change(dir);
      const before = await hashTree(dir);
      const run = await generateCli(["--check", "--spec", spec, "--out", dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/is stale/);
      expect(run.stderr.split("\n").map((l) => l.trim())).toContain(want);
      expect(run.stderr.match(/\((changed|missing|not generated by the spec)\)/g)).toHaveLength(1);
      expect(await hashTree(dir), "--check never writes").toEqual(before);
      await rm(dir, { recursive: true });
    });
  });

  describe("an invalid spec", () => {
    it("exits 2, prints file:line:col, and leaves the existing output byte for byte untouched", async () => {
      const dir = await copyOfOutput("out-kept");
      await writeFile(path.join(dir, "NOTES.md"), "a file the generator does not know\n");
      const before = await hashTree(dir);
      const siblings = (await readdir(root!)).sort();
      const run = await generateCli(["--spec", bad, "--out", dir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `${path.join(bad, "actions", "DisableCCCPhoneNumber.yaml")}:${at}: input.PhoneNumbers.type: unknown type \`strng\`.`,
      );
      expect(run.stderr).toContain(`${dir}/ was left untouched.`);
      expect(run.stdout).toBe("");
      expect(await hashTree(dir)).toEqual(before);
      expect((await readdir(root!)).sort()).toEqual(siblings);
      expect((await readdir(root!)).filter((e) => LEFTOVER.test(e))).toEqual([]);
      await rm(dir, { recursive: true });
    });

    it("with --check also exits 2", async () => {
      const run = await generateCli(["--check", "--spec", bad, "--out", out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`DisableCCCPhoneNumber.yaml:${at}: input.PhoneNumbers.type`);
    });
  });

  it("exits 2 on a usage error", async () => {
    const run = await generateCli(["--spce", spec]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^generate: .*--spce/);
    expect(run.stdout).toBe("");
  });

  it("prints its usage for --help and exits 0", async () => {
    const run = await generateCli(["--help"]);
    expect(run).toEqual({
      code: 0,
      stdout: "usage: npm run generate [-- --check] [--no-cache] [--spec DIR] [--out DIR]\n",
      stderr: "",
    });
  });
});

describe("paths in messages", () => {
  it("names the spec files relative to the working directory it was given them in", async () => {
    const run = await generateCli([
      "--spec",
      path.relative(process.cwd(), bad),
      "--out",
      path.join(root!, "out-never"),
    ]);
    expect(run.code).toBe(2);
    const relative = path.relative(process.cwd(), path.join(bad, "actions", "DisableCCCPhoneNumber.yaml"));
    const line = `  ${relative}:${at}: input.PhoneNumbers.type: unknown type`;
    expect(run.stderr.split("\n")[1]?.startsWith(line), run.stderr).toBe(true);
    expect((await readdir(root!)).filter((e) => e.startsWith("out-never") || LEFTOVER.test(e))).toEqual([]);
  });
});

describe("codegen/cli.ts as a real subprocess", () => {
  // Generation, its exit codes and messages are runGenerate's, tested in-process above (and `npm run generate --
  // --check` runs as a process of its own in CI). These runs show the script passes its arguments, prints
  // runGenerate's lines on the right stream and exits with its code; neither loads the generator.
  it("prints its usage and exits 0 for --help; exits 2 with the error on stderr for an unknown option", async () => {
    const cli = (args: string[]) => runTs(CLI, args, { cwd: root!, timeoutMs: PROCESS_TIMEOUT });
    const [help, usage] = await Promise.all([cli(["--help"]), cli(["--spce", "spec"])]);
    expect(help.code, describeRun(help)).toBe(0);
    expect(help.stdout).toBe("usage: npm run generate [-- --check] [--no-cache] [--spec DIR] [--out DIR]\n");
    expect(help.stderr).toBe("");
    expect(usage.code, describeRun(usage)).toBe(2);
    expect(usage.stdout).toBe("");
    expect(usage.stderr).toMatch(/^generate: .*'--spce'/);
  });
});

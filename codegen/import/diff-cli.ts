/**
 * `npm run spec:diff -- <newer api.json> [--spec <dir>]`: what a newer api.json (Tencent's api.zh.json) says
 * differently from spec/ (codegen/import/diff.ts), for a person deciding what to re-import.
 *
 * Exit codes, like diff(1): 0 no difference, 1 differences (listed on stdout), 2 bad usage, an unreadable
 * api.json or a spec/ that does not load.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Service } from "../ir.js";
import { formatIssue, loadSpec, SpecError } from "../load.js";
import type { ApiJson } from "./apijson.js";
import { diffApi, formatDiff } from "./diff.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const USAGE = "usage: npm run spec:diff -- <newer api.json> [--spec <dir>]";

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export async function runDiff(
  argv: readonly string[],
  io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  let values: { spec?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { spec: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    io.err(`spec:diff: ${(e as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`spec:diff: give exactly one api.json (got ${positionals.length})`);
    io.err(USAGE);
    return 2;
  }
  const file = positionals[0]!;
  let api: ApiJson;
  try {
    api = JSON.parse(await readFile(file, "utf8")) as ApiJson;
  } catch (e) {
    io.err(`spec:diff: cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  if (typeof api?.actions !== "object" || typeof api?.objects !== "object") {
    io.err(`spec:diff: ${file} is not an api.json (no actions and objects)`);
    return 2;
  }
  const specDir = path.resolve(values.spec ?? path.join(REPO, "spec"));
  let service: Service;
  try {
    service = await loadSpec(specDir);
  } catch (e) {
    if (e instanceof SpecError) {
      io.err(`spec:diff: ${specDir} does not load (${e.issues.length} problem(s)):`);
      for (const i of e.issues) io.err(`  ${formatIssue(i)}`);
      return 2;
    }
    throw e;
  }
  const diffs = diffApi(api, service);
  const specName = `${path.relative(process.cwd(), specDir) || "."}/`;
  for (const line of formatDiff(diffs, path.basename(file), specName)) io.out(line);
  return diffs.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  process.exitCode = await runDiff(process.argv.slice(2));

/**
 * `npm run spec:diff -- [--from <dir>] [--json] [--spec <dir>]`: what `spec:import --all --from <dir>` would change
 * in spec/, classified for apps (codegen/import/changes.ts): `breaking`, `feature` or `docs`, and the version bump
 * that implies. The import is planned in memory (codegen/import/plan.ts) exactly as `spec:import` makes it, so
 * the two commands never disagree; nothing is written.
 *
 * `--json` prints `{ "bump": …, "changes": [{ "path", "impact", "what" }] }`; without it, the same as lines.
 * Exit codes, like diff(1): 0 no difference, 1 differences, 2 bad usage, unreadable sources or a spec folder that
 * does not parse.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ImportError } from "./apijson.js";
import { changesJson, formatChanges } from "./changes.js";
import { PlanError, planImport } from "./plan.js";
import { DEFAULT_SOURCES, missingNote, readSources, SourcesError } from "./sources.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const USAGE = "usage: npm run spec:diff -- [--from <dir>] [--json] [--spec <dir>]";

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const OPTIONS = {
  from: { type: "string" },
  json: { type: "boolean", default: false },
  spec: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function runDiff(
  argv: readonly string[],
  io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true }));
  } catch (e) {
    io.err(`spec:diff: ${(e as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const specDir = path.resolve(values.spec ?? path.join(REPO, "spec"));
  try {
    const folder = await readSources(path.resolve(values.from ?? DEFAULT_SOURCES));
    const plan = await planImport({ specDir, folder, selection: { kind: "all" } });
    if (values.json) io.out(JSON.stringify(changesJson(plan.changes), null, 2));
    else {
      const specName = `${path.relative(process.cwd(), specDir) || "."}/`;
      io.out(`spec:diff: ${folder.dir}/ → ${specName}`);
      for (const note of missingNote(folder)) io.out(`  note: ${note}`);
      if (plan.changes.length) for (const line of formatChanges(plan.changes)) io.out(line);
      else io.out(`no difference: spec:import --all would change nothing in ${specName}`);
    }
    return plan.changes.length ? 1 : 0;
  } catch (e) {
    if (e instanceof SourcesError || e instanceof PlanError || e instanceof ImportError) {
      io.err(`spec:diff: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  process.exitCode = await runDiff(process.argv.slice(2));

/**
 * `npm run spec:diff -- [--from <dir> | --from-sdk <file>] [--json] [--spec <dir>]`: what `spec:import --all --from
 * <dir>` (or `spec:import --from-sdk <file>`) would change in spec/, classified for apps (codegen/import/changes.ts):
 * `breaking`, `feature` or `docs`, and the version bump that implies. The import is planned in memory
 * (codegen/import/plan.ts) exactly as `spec:import` makes it, so the two commands never disagree; nothing is
 * written. With `--from-sdk`, what the SDK's declarations say differently of what the spec has (which the import
 * leaves to a person) is listed too (codegen/import/sdk-models.ts).
 *
 * `--json` prints `{ "bump": …, "changes": [{ "path", "impact", "what" }] }` (with `--from-sdk` also `"sdk"`: every
 * difference of the SDK's declarations from the spec); without it, the same as lines.
 * Exit codes, like diff(1): 0 no difference, 1 differences, 2 bad usage, unreadable sources or a spec folder that
 * does not parse.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ImportError } from "./apijson.js";
import { formatIssue, loadSpec, SpecError } from "../load.js";
import { type Change, changesJson, formatChanges } from "./changes.js";
import { PlanError, planImport, planSdkImport } from "./plan.js";
import { diffSdk, formatSdkDiff, readSdkModels, type SdkDefinition, sdkSourceLabel } from "./sdk-models.js";
import { DEFAULT_SOURCES, missingNote, readSources, SourcesError } from "./sources.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const USAGE = "usage: npm run spec:diff -- [--from <dir> | --from-sdk <file>] [--json] [--spec <dir>]";

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const OPTIONS = {
  from: { type: "string" },
  "from-sdk": { type: "string" },
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
  const specName = `${path.relative(process.cwd(), specDir) || "."}/`;
  const sdkFile = values["from-sdk"];
  if (sdkFile !== undefined && values.from !== undefined) {
    io.err("spec:diff: give --from or --from-sdk, not both");
    return 2;
  }
  try {
    if (sdkFile !== undefined) return await diffSdkFile(sdkFile, specDir, specName, values.json, io);
    const folder = await readSources(path.resolve(values.from ?? DEFAULT_SOURCES));
    const plan = await planImport({ specDir, folder, selection: { kind: "all" } });
    if (values.json) io.out(JSON.stringify(changesJson(plan.changes), null, 2));
    else {
      io.out(`spec:diff: ${folder.dir}/ → ${specName}`);
      for (const note of missingNote(folder)) io.out(`  note: ${note}`);
      printChanges(io, plan.changes, specName);
    }
    return plan.changes.length ? 1 : 0;
  } catch (e) {
    if (e instanceof SpecError) {
      io.err(`spec:diff: ${specName} does not load (${e.issues.length} problem(s)):`);
      for (const i of e.issues) io.err(`  ${formatIssue(i)}`);
      return 2;
    }
    if (e instanceof SourcesError || e instanceof PlanError || e instanceof ImportError) {
      io.err(`spec:diff: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function printChanges(io: Io, changes: readonly Change[], specName: string): void {
  if (changes.length) for (const line of formatChanges(changes)) io.out(line);
  else io.out(`no difference: the import would change nothing in ${specName}`);
}

/** The SDK's declarations: what their import adds, classified, and every difference of theirs from the spec. */
async function diffSdkFile(file: string, specDir: string, specName: string, json: boolean, io: Io): Promise<number> {
  let sdk: SdkDefinition;
  try {
    sdk = await readSdkModels(file, { source: await sdkSourceLabel(file) });
  } catch (e) {
    io.err(`spec:diff: cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const plan = await planSdkImport(specDir, sdk);
  const differences = diffSdk(sdk, await loadSpec(specDir));
  if (json) io.out(JSON.stringify({ ...changesJson(plan.changes), sdk: differences }, null, 2));
  else {
    io.out(`spec:diff: ${sdk.source} → ${specName}`);
    printChanges(io, plan.changes, specName);
    const unfilled = differences.filter((d) => d.kind !== "model missing" && d.kind !== "member missing");
    if (unfilled.length || sdk.problems.length) {
      io.out("what the import leaves to a person:");
      for (const line of formatSdkDiff(unfilled, { sdk: sdk.source, spec: specName }, sdk.problems))
        io.out(`  ${line}`);
    }
  }
  return plan.changes.length || differences.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  process.exitCode = await runDiff(process.argv.slice(2));

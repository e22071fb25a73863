/**
 * `npm run spec:import -- <Action ...> | --all | --page <file> | --from-sdk <file> [options]`: Tencent's
 * definitions → spec/ YAML.
 *
 *   --from <dir>     the sources folder: api.zh.json and, when present, api.en.json, examples.zh.json,
 *                    examples.en.json, errorcodes.zh.json, errorcodes.en.json (codegen/import/sources.ts); default
 *                    ../shared/reference/ccc beside the repository
 *   --page <file>    a doc page's text (codegen/import/docpage.ts) instead; the models it needs come from api.json
 *   --from-sdk <file>  the official SDK's ccc_models.d.ts (codegen/import/sdk-models.ts): adds the models and
 *                    members it has and the spec lacks, marked `from` it
 *   --all            every action and model of the sources; specs the sources no longer have are removed
 *   --keep-removed   keep what the sources dropped (actions and models with --all, members, error codes), reported
 *   --adopt          mark every fact the import would change as hand-written instead of changing it
 *   --spec <dir>     the spec folder (default: spec/ of the repository)
 *   --dry-run        print the report, write nothing
 *
 * The plan (codegen/import/plan.ts) is made in memory; the report lists each file's status, the changes
 * classified (codegen/import/changes.ts, as `spec:diff` prints them), what was lifted from prose, the invalid
 * official examples, the idempotency decisions to review and the warnings. Then all files are written at once:
 * the new spec folder is assembled beside the old one, loaded as `npm run generate` loads it, and swapped in; if
 * it does not load, nothing is written. Last, a CHANGELOG.md entry is added and the version in package.json
 * bumped, both beside the spec folder (the repository root for spec/), when there is a package.json there.
 *
 * Exit codes: 0 done; 1 the result would not load (nothing written); 2 bad usage or unreadable input.
 */
import { cp, mkdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { formatIssue, loadSpec, SpecError, type SpecIssue } from "../load.js";
import { ASSUMED_RATE_LIMIT, idempotency, ImportError } from "./apijson.js";
import { bumpOf, changelogEntry, formatChanges, nextVersion, withEntry } from "./changes.js";
import { PlanError, planImport, planSdkImport, type Plan, type Selection } from "./plan.js";
import { readSdkModels, type SdkDefinition, sdkSourceLabel } from "./sdk-models.js";
import { DEFAULT_SOURCES, missingNote, readSources, SourcesError, type SourceFolder } from "./sources.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

const USAGE = `usage: npm run spec:import -- <Action ...> | --all | --page <file> | --from-sdk <file> [options]
  --from <dir>     sources folder: api.zh.json [api.en.json examples.*.json errorcodes.*.json]
                   (default: ../shared/reference/ccc beside the repository)
  --page <file>    import a doc page's text instead (the models it needs come from api.json)
  --from-sdk <file>  add what the official SDK's ccc_models.d.ts has and the spec lacks
  --all            every action and model of the sources; specs they no longer have are removed
  --keep-removed   keep what the sources dropped (actions, models, members, error codes)
  --adopt          mark what the import would change as hand-written instead (see spec/README.md)
  --spec <dir>     spec folder (default: spec/)
  --dry-run        print the report, write nothing`;

class UsageError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const console_: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

const OPTIONS = {
  from: { type: "string" },
  page: { type: "string" },
  "from-sdk": { type: "string" },
  all: { type: "boolean", default: false },
  "keep-removed": { type: "boolean", default: false },
  adopt: { type: "boolean", default: false },
  spec: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export async function runImport(argv: readonly string[], io: Io = console_): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (e) {
    io.err(`spec:import: ${(e as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  try {
    return await run(values, positionals, io);
  } catch (e) {
    if (e instanceof SpecError) {
      io.err(`spec:import: ${values.spec ?? "spec"}/ does not load (${e.issues.length} problem(s)):`);
      for (const i of e.issues) io.err(`  ${formatIssue(i)}`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof ImportError || e instanceof SourcesError || e instanceof PlanError) {
      io.err(`spec:import: ${e.message}`);
      if (e instanceof UsageError && /^(give|--)/.test(e.message)) io.err(USAGE);
      return 2;
    }
    throw e;
  }
}

async function run(values: Values, names: string[], io: Io): Promise<number> {
  const page = values.page;
  const sdkFile = values["from-sdk"];
  if ([names.length > 0, values.all, page !== undefined, sdkFile !== undefined].filter(Boolean).length !== 1)
    throw new UsageError("give action names, --all, --page <file> or --from-sdk <file> (one of them)");
  if (sdkFile !== undefined && (values.from !== undefined || values.adopt))
    throw new UsageError("--from-sdk takes neither --from nor --adopt");
  if (values.adopt && page !== undefined) throw new UsageError("--adopt takes api.json sources, not a doc page");
  for (const n of names) if (!/^[A-Z][A-Za-z0-9]*$/.test(n)) throw new UsageError(`"${n}" is not an action name`);

  const specDir = path.resolve(values.spec ?? path.join(REPO, "spec"));
  const folder = sdkFile === undefined ? await sourcesFor(values) : undefined;
  const plan =
    sdkFile !== undefined
      ? await planSdkImport(specDir, await readSdk(sdkFile))
      : await planImport({
          specDir,
          folder,
          selection: await selection(values, names),
          keepRemoved: values["keep-removed"],
          adopt: values.adopt,
        });
  const dry = values["dry-run"];
  const from =
    sdkFile !== undefined
      ? `the official SDK's ${sdkFile}`
      : page !== undefined
        ? `doc page ${page}`
        : `${folder!.dir}/`;
  report(io, plan, { folder, from, page: page ?? sdkFile, dry, adopt: values.adopt });
  if (dry) return 0;
  const issues = await writePlan(plan);
  if (issues) {
    io.err(
      `spec:import: the spec folder would not load after the import (${issues.length} problem(s)); nothing was written:`,
    );
    for (const i of issues) io.err(`  ${formatIssue(i)}`);
    return 1;
  }
  const source =
    sdkFile !== undefined
      ? `\`spec:import --from-sdk\` (${plan.source})`
      : page !== undefined
        ? `\`spec:import --page ${path.basename(page)}\``
        : `\`spec:import\` from ${path.relative(path.dirname(specDir), folder!.dir) || "."}`;
  if (!values.adopt) for (const line of await release(plan, source)) io.out(line);
  return 0;
}

/** The SDK's declarations, named by the package they come from (`tencentcloud-sdk-nodejs@4.1.313 ccc_models.d.ts`). */
async function readSdk(file: string): Promise<SdkDefinition> {
  try {
    return await readSdkModels(file, { source: await sdkSourceLabel(file) });
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** The sources folder; with --page and no --from, a missing default folder only costs the page its models. */
async function sourcesFor(values: Values): Promise<SourceFolder | undefined> {
  const dir = path.resolve(values.from ?? DEFAULT_SOURCES);
  try {
    return await readSources(dir);
  } catch (e) {
    if (values.page !== undefined && values.from === undefined && e instanceof SourcesError) return undefined;
    throw e;
  }
}

async function selection(values: Values, names: string[]): Promise<Selection> {
  if (values.all) return { kind: "all" };
  if (values.page === undefined) return { kind: "actions", names };
  let text: string;
  try {
    text = await readFile(values.page, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${values.page}: ${(e as Error).message}`);
  }
  const { parseDocPage } = await import("./docpage.js");
  try {
    return { kind: "page", file: values.page, result: parseDocPage(text) };
  } catch (e) {
    throw new UsageError(`${values.page}: ${(e as Error).message}`);
  }
}

// Writing ---------------------------------------------------------------------------------------------------------

/**
 * Writes the plan all at once: a copy of the spec folder with the plan applied is loaded first, then swapped in
 * with two renames. Returns the load problems instead (nothing written) when the result would not load; the
 * decisions left to a person (`idempotent` unreviewed) do not count.
 */
async function writePlan(plan: Plan): Promise<SpecIssue[] | undefined> {
  const dir = plan.specDir;
  // Nothing to write: the folder is as it was, and loads (or not) as it did.
  if (plan.outcomes.every((o) => o.status === "unchanged" || o.status === "kept")) return undefined;
  const next = path.join(path.dirname(dir), `.${path.basename(dir)}.import-${process.pid}`);
  const old = path.join(path.dirname(dir), `.${path.basename(dir)}.old-${process.pid}`);
  await rm(next, { recursive: true, force: true });
  try {
    await cp(dir, next, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
    for (const o of plan.outcomes) {
      const target = path.join(next, path.relative(dir, o.file));
      if (o.text === undefined) await unlink(target);
      else if (o.status !== "unchanged" && o.status !== "kept") {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, o.text);
      }
    }
    const issues = await loadIssues(next);
    if (issues) {
      await rm(next, { recursive: true, force: true });
      return issues;
    }
  } catch (e) {
    await rm(next, { recursive: true, force: true });
    throw e;
  }
  let moved = false;
  try {
    await rename(dir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await rename(next, dir);
  if (moved) await rm(old, { recursive: true, force: true });
  return undefined;
}

async function loadIssues(dir: string): Promise<SpecIssue[] | undefined> {
  try {
    await loadSpec(dir);
    return undefined;
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.issues.every((i) => i.needsReview) ? undefined : e.issues.filter((i) => !i.needsReview);
  }
}

/**
 * CHANGELOG.md and package.json beside the spec folder: an entry for the changes, and the version bumped as they
 * imply (applied, not proposed: the entry, the version and the spec change then go into one reviewed commit).
 */
async function release(plan: Plan, source: string): Promise<string[]> {
  if (!plan.changes.length) return [];
  const root = path.dirname(plan.specDir);
  const packageFile = path.join(root, "package.json");
  let pkg: { version?: string };
  let packageText: string;
  try {
    packageText = await readFile(packageFile, "utf8");
    pkg = JSON.parse(packageText) as typeof pkg;
  } catch {
    return [`no package.json beside ${path.basename(plan.specDir)}/: no CHANGELOG.md entry, no version bump`];
  }
  const from = pkg.version ?? "0.0.0";
  const to = nextVersion(from, bumpOf(plan.changes));
  const date = new Date().toISOString().slice(0, 10);
  const changelogFile = path.join(root, "CHANGELOG.md");
  const changelog = await readFile(changelogFile, "utf8").catch(() => "");
  await writeFile(changelogFile, withEntry(changelog, changelogEntry(to, date, source, plan.changes)));
  if (to !== from) {
    await writeFile(packageFile, withVersion(packageText, to));
    // npm keeps the root package's version in the lockfile too (twice): the three stay in step.
    const lockFile = path.join(root, "package-lock.json");
    const lock = await readFile(lockFile, "utf8").catch(() => undefined);
    if (lock !== undefined) {
      const data = JSON.parse(lock) as { version?: string; packages?: Record<string, { version?: string }> };
      data.version = to;
      if (data.packages?.[""]) data.packages[""].version = to;
      await writeFile(lockFile, `${JSON.stringify(data, null, 2)}\n`);
    }
  }
  return [
    `CHANGELOG.md: entry for ${to} added; package.json: version ${from === to ? `stays ${from}` : `${from} → ${to}`} (${bumpOf(plan.changes)})`,
  ];
}

/** package.json's text with another version, in the indentation it was written with. */
function withVersion(text: string, version: string): string {
  const indent = /^\{\n( +)/.exec(text)?.[1]?.length ?? 2;
  return `${JSON.stringify({ ...(JSON.parse(text) as object), version }, null, indent)}\n`;
}

// The report ------------------------------------------------------------------------------------------------------

function report(
  io: Io,
  plan: Plan,
  r: { folder: SourceFolder | undefined; from: string; page: string | undefined; dry: boolean; adopt: boolean },
): void {
  const { outcomes } = plan;
  io.out(`spec:import${r.dry ? " (dry run)" : ""}: ${r.from} → ${path.relative(process.cwd(), plan.specDir) || "."}/`);
  const sorted = [...outcomes].sort((a, b) =>
    a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === "action" ? -1 : 1,
  );
  for (const o of sorted) io.out(`  ${o.status.padEnd(9)} ${o.kind} ${o.name}`);
  if (r.adopt) {
    io.out(`marked hand-written (${[...plan.marked.values()].flat().length}):`);
    for (const [name, marks] of [...plan.marked].sort()) io.out(`  ${name}: ${marks.join(", ")}`);
  } else if (plan.changes.length) {
    io.out("changes:");
    for (const line of formatChanges(plan.changes)) io.out(`  ${line}`);
  }
  reportImportFacts(io, plan, r.page);
  const notes = [...(r.folder ? missingNote(r.folder) : []), ...plan.notes];
  if (r.page === undefined && outcomes.some((o) => o.kind === "action" && o.status === "added"))
    notes.push(
      `rateLimitPerSecond: ${ASSUMED_RATE_LIMIT} assumed for the new actions (api.json carries no rate limit; every CCC doc page says ${ASSUMED_RATE_LIMIT}/s)`,
    );
  if (plan.api && r.page === undefined) notes.push(...plan.api.warnings);
  if (plan.api?.unreferenced.length)
    notes.push(`models no action uses (imported all the same): ${plan.api.unreferenced.join(", ")}`);
  const warnings = [
    ...notes.map((n) => `  ${n}`),
    ...sorted.flatMap((o) => o.warnings.map((w) => `  ${o.name}: ${w}`)),
  ];
  if (warnings.length) {
    io.out(`warnings (${warnings.length}):`);
    for (const w of warnings) io.out(w);
  }
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  const lifted = (plan.api?.lifted ?? []).filter((f) => !f.dropped).length;
  io.out(
    `${count("added")} added, ${count("updated")} updated, ${count("unchanged")} unchanged, ${count("removed")} removed, ${count("kept")} kept; bump ${bumpOf(plan.changes)}; ${lifted} lifted, ${warnings.length} warning(s)${r.dry ? "; nothing written (dry run)" : ""}`,
  );
}

/** What the import read into the specs rather than copied: lifted facts, invalid examples, idempotency. */
function reportImportFacts(io: Io, plan: Plan, page: string | undefined): void {
  // With --page, the page's own lifts are among its warnings; only those of the models it brings are listed here.
  const brought = new Set(plan.outcomes.filter((o) => o.kind === "model").map((o) => o.name));
  const lifted = (plan.api?.lifted ?? []).filter((f) => !plan.page || brought.has(f.where.split(".")[0]!));
  if (lifted.length) {
    io.out(`lifted from prose (${lifted.length}; inputs and the models inputs reach):`);
    for (const f of lifted)
      io.out(`  ${f.dropped ? "dropped " : ""}${f.kind} ${f.where}: ${f.fact}${f.dropped ? ` (${f.dropped})` : ""}`);
  }
  const invalid = plan.outcomes.flatMap((o) =>
    o.kind === "action" && o.spec && "examples" in o.spec
      ? (o.spec.examples ?? []).flatMap((ex, i) =>
          ex.invalid !== undefined ? [`  ${o.name} examples[${i}]: ${ex.invalid}`] : [],
        )
      : [],
  );
  if (invalid.length) {
    io.out(`official examples the spec refuses, kept with \`invalid\` (${invalid.length}):`);
    for (const l of invalid) io.out(l);
  }
  const decided = plan.outcomes.filter((o) => o.kind === "action" && o.status === "added" && page === undefined);
  if (decided.length) {
    io.out(`idempotent decided by the verb rule, to review (${decided.length}):`);
    for (const o of decided) {
      const i = idempotency(o.name);
      io.out(`  ${String(i.idempotent).padEnd(5)} ${o.name} (${i.reason})`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  process.exitCode = await runImport(process.argv.slice(2));

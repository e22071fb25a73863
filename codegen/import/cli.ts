/**
 * `npm run spec:import -- <Action ...> | --all | --page <file> [options]`: Tencent's definitions → spec/ YAML.
 *
 *   --api <file>            api.zh.json (default: ../shared/reference/ccc/api.zh.json from the repository root,
 *                           where the shared reference folder lives beside the checkout)
 *   --api-en <file>         api.en.json            (default: next to --api)
 *   --examples <file>       examples.zh.json       (default: next to --api)
 *   --examples-en <file>    examples.en.json       (default: next to --api)
 *   --errorcodes <file>     errorcodes.zh.json     (default: next to --api)
 *   --errorcodes-en <file>  errorcodes.en.json     (default: next to --api)
 *   --page <file>           a doc page's text (codegen/import/docpage.ts); the models it names come from api.json
 *   --all                   every action and every model of api.json
 *   --spec <dir>            the spec folder (default: spec/ of the repository)
 *   --dry-run               print the report, write nothing
 *
 * New specs are written whole (codegen/import/yaml.ts); existing ones are merged (codegen/import/merge.ts) and only
 * their changed lines rewritten. The report says per action and model "added", "updated: <what>" or "unchanged",
 * then what was lifted from prose, the invalid official examples, the idempotency decisions and the warnings.
 * Afterwards the spec folder is loaded as `npm run generate` would.
 *
 * Exit codes: 0 done; 1 the spec folder does not load after the import; 2 bad usage or unreadable input.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { formatIssue, loadSpec, SpecError } from "../load.js";
import { importApi, type ApiImport } from "./api-import.js";
import {
  ASSUMED_RATE_LIMIT,
  idempotency,
  ImportError,
  type ApiJson,
  type ErrorCodesJson,
  type ExamplesJson,
  type Sources,
} from "./apijson.js";
import { mergeAction, mergeModel, type MergeOptions } from "./merge.js";
import type { ImportResult, RawActionSpec, RawModelSpec } from "./types.js";
import { patchSpecText, renderAction, renderModel } from "./yaml.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_API = path.resolve(REPO, "../shared/reference/ccc/api.zh.json");

const USAGE = `usage: npm run spec:import -- <Action ...> | --all | --page <file> [options]
  --api <file>            api.zh.json (default: ../shared/reference/ccc/api.zh.json beside the repository)
  --api-en <file>         api.en.json (default: next to --api); likewise --examples, --examples-en,
  --errorcodes <file>     --errorcodes-en (examples.zh.json, examples.en.json, errorcodes.zh.json, errorcodes.en.json)
  --page <file>           import a doc page's text instead (the models it names come from api.json)
  --all                   every action and model of api.json
  --spec <dir>            spec folder (default: spec/)
  --dry-run               print the report, write nothing`;

class UsageError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const console_: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

async function readJson<T>(file: string, explicit: boolean, notes: string[]): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (explicit) throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    notes.push(`${path.basename(file)} not found next to the api.json (${file}); what it gives is not imported`);
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
}

async function readSpecs<T>(dir: string): Promise<Map<string, { text: string; data: T }>> {
  const out = new Map<string, { text: string; data: T }>();
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return out;
    throw e;
  }
  for (const f of files) {
    const text = await readFile(path.join(dir, f), "utf8");
    let data: T;
    try {
      data = parseYaml(text) as T;
    } catch (e) {
      throw new UsageError(`${path.join(dir, f)} is not valid YAML: ${(e as Error).message}`);
    }
    out.set(f.replace(/\.yaml$/, ""), { text, data });
  }
  return out;
}

interface Outcome {
  kind: "action" | "model";
  name: string;
  status: "added" | "updated" | "unchanged";
  changes: string[];
  warnings: string[];
  file: string;
  text: string;
  write: boolean;
  /** The merged action (for the report's list of invalid examples). */
  spec?: RawActionSpec;
}

export async function runImport(argv: readonly string[], io: Io = console_): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        api: { type: "string" },
        "api-en": { type: "string" },
        examples: { type: "string" },
        "examples-en": { type: "string" },
        errorcodes: { type: "string" },
        "errorcodes-en": { type: "string" },
        page: { type: "string" },
        all: { type: "boolean", default: false },
        spec: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
      strict: true,
    }));
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
    if (e instanceof UsageError || e instanceof ImportError) {
      io.err(`spec:import: ${e.message}`);
      if (e instanceof UsageError && /^(give|--)/.test(e.message)) io.err(USAGE);
      return 2;
    }
    throw e;
  }
}

type Values = Record<string, string | boolean | undefined>;

/** Where the sources are: api.zh.json (given or default) and the files beside it unless given one by one. */
interface SourceFiles {
  readonly api: string;
  readonly files: Record<"apiEn" | "examples" | "examplesEn" | "errorcodes" | "errorcodesEn", SourceFile>;
}
interface SourceFile {
  readonly file: string;
  readonly explicit: boolean;
}

/** What an import produced, before the merge: raw specs by name, and how to merge them. */
interface Imported {
  readonly api: ApiImport | undefined;
  readonly page: (ImportResult<RawActionSpec> & { models: string[] }) | undefined;
  readonly actions: Map<string, ImportResult<RawActionSpec>>;
  readonly models: Map<string, ImportResult<RawModelSpec>>;
  readonly mergeOptions: MergeOptions;
}

type Existing<T> = Map<string, { text: string; data: T }>;

async function run(values: Values, names: string[], io: Io): Promise<number> {
  const page = values.page as string | undefined;
  const all = values.all === true;
  if ([names.length > 0, all, page !== undefined].filter(Boolean).length !== 1)
    throw new UsageError("give action names, --all, or --page <file> (one of them)");
  for (const n of names) if (!/^[A-Z][A-Za-z0-9]*$/.test(n)) throw new UsageError(`"${n}" is not an action name`);

  const notes: string[] = [];
  const where = sourceFiles(values);
  const sources = await readSources(where, values, page, notes);
  const specDir = path.resolve((values.spec as string | undefined) ?? path.join(REPO, "spec"));
  const existingActions = await readSpecs<RawActionSpec>(path.join(specDir, "actions"));
  const existingModels = await readSpecs<RawModelSpec>(path.join(specDir, "models"));
  const imported =
    page !== undefined
      ? await importPage(page, sources, existingModels, notes)
      : importApiSources(sources!, all ? undefined : names);
  const outcomes = mergeAll(imported, existingActions, existingModels, { sources, where, page, specDir });
  const stale = all ? staleSpecs(imported, existingActions, existingModels, specDir) : [];
  const dry = values["dry-run"] === true;
  report(io, { outcomes, imported, notes, stale, page, where, specDir, dry });
  if (dry) return 0;
  await writeOutcomes(outcomes);
  return verify(specDir, io);
}

function sourceFiles(values: Values): SourceFiles {
  const api = path.resolve((values.api as string | undefined) ?? DEFAULT_API);
  const dir = path.dirname(api);
  const at = (key: string, file: string) => ({
    file: path.resolve((values[key] as string | undefined) ?? path.join(dir, file)),
    explicit: values[key] !== undefined,
  });
  return {
    api,
    files: {
      apiEn: at("api-en", "api.en.json"),
      examples: at("examples", "examples.zh.json"),
      examplesEn: at("examples-en", "examples.en.json"),
      errorcodes: at("errorcodes", "errorcodes.zh.json"),
      errorcodesEn: at("errorcodes-en", "errorcodes.en.json"),
    },
  };
}

/** The sources that exist (a missing optional one is a note); undefined without an api.json (--page alone). */
async function readSources(
  where: SourceFiles,
  values: Values,
  page: string | undefined,
  notes: string[],
): Promise<Sources | undefined> {
  const { api, files } = where;
  // api.zh.json is required, except with --page, where it only supplies the page's models.
  const apiJson = await readJson<ApiJson>(api, page === undefined || values.api !== undefined, notes);
  if (!apiJson) return undefined;
  if (typeof apiJson.actions !== "object" || typeof apiJson.objects !== "object")
    throw new UsageError(`${api} is not an api.json (no actions and objects)`);
  const read = <T>(f: SourceFile) => readJson<T>(f.file, f.explicit, notes);
  return {
    api: apiJson,
    ...optional("apiEn", await read<ApiJson>(files.apiEn)),
    ...optional("examples", await read<ExamplesJson>(files.examples)),
    ...optional("examplesEn", await read<ExamplesJson>(files.examplesEn)),
    ...optional("errorcodes", await read<ErrorCodesJson>(files.errorcodes)),
    ...optional("errorcodesEn", await read<ErrorCodesJson>(files.errorcodesEn)),
  };
}

/** Every action asked for (all with `names` undefined) and the models they reach. */
function importApiSources(sources: Sources, names: string[] | undefined): Imported {
  const api = importApi(sources, names ? { actions: names } : {});
  return {
    api,
    page: undefined,
    actions: new Map(api.actions),
    models: new Map(api.models),
    mergeOptions: {
      ...(sources.errorcodes ? {} : { keepErrors: true }),
      ...(sources.examples ? {} : { keepExamples: true }),
    },
  };
}

/** A doc page's action, and the models it names taken from api.json when there is one. */
async function importPage(
  page: string,
  sources: Sources | undefined,
  existingModels: Existing<RawModelSpec>,
  notes: string[],
): Promise<Imported> {
  let textOfPage: string;
  try {
    textOfPage = await readFile(page, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${page}: ${(e as Error).message}`);
  }
  const docpage = (await import("./docpage.js")) as {
    parseDocPage(text: string): ImportResult<RawActionSpec> & { models: string[] };
  };
  let result: ImportResult<RawActionSpec> & { models: string[] };
  try {
    result = docpage.parseDocPage(textOfPage);
  } catch (e) {
    throw new UsageError(`${page}: ${(e as Error).message}`);
  }
  const models = new Map<string, ImportResult<RawModelSpec>>();
  const api = sources ? importApi(sources, {}) : undefined;
  if (api)
    for (const m of result.models) {
      const r = api.models.get(m);
      if (r) models.set(m, r);
      else if (!existingModels.has(m))
        notes.push(`the page names the model ${m}, which neither api.json nor spec/ has`);
    }
  else if (result.models.some((m) => !existingModels.has(m)))
    notes.push(`no api.json: the models ${result.models.filter((m) => !existingModels.has(m)).join(", ")} are missing`);
  return {
    api,
    page: result,
    actions: new Map([[result.spec.action, result]]),
    models,
    mergeOptions: {
      partial: true,
      ...(result.spec.errors.length ? {} : { keepErrors: true }),
      ...(result.spec.examples?.length ? {} : { keepExamples: true }),
    },
  };
}

/** Merges every imported spec into the existing one (models first: examples of actions are checked against them). */
function mergeAll(
  imported: Imported,
  existingActions: Existing<RawActionSpec>,
  existingModels: Existing<RawModelSpec>,
  context: { sources: Sources | undefined; where: SourceFiles; page: string | undefined; specDir: string },
): Outcome[] {
  const { sources, where, page, specDir } = context;
  const outcomes: Outcome[] = [];
  const models: Record<string, RawModelSpec> = {};
  for (const [n, e] of existingModels) models[n] = e.data;
  for (const [n, r] of imported.models) models[n] = r.spec; // provisional, for examples of members
  for (const [name, r] of imported.models) {
    const existing = existingModels.get(name);
    const m = mergeModel(existing?.data, r.spec, models, { partial: false });
    models[name] = m.spec;
    const header = [
      `Imported by \`npm run spec:import\` from ${sourceNames(sources, where, "model", name)} (objects.${name}).` +
        " Review before relying on it.",
    ];
    const file = path.join(specDir, "models", `${name}.yaml`);
    const text = existing ? patchSpecText(existing.text, m.spec) : renderModel(m.spec, header);
    outcomes.push(outcome("model", name, existing?.text, text, m.changes, [...r.warnings, ...m.warnings], file));
  }
  for (const [name, r] of imported.actions) {
    const existing = existingActions.get(name);
    const m = mergeAction(existing?.data, r.spec, models, imported.mergeOptions);
    const header =
      page !== undefined
        ? [
            `Imported by \`npm run spec:import\` from the doc page ${path.basename(page)}.`,
            "Review before relying on it.",
          ]
        : [
            `Imported by \`npm run spec:import\` from ${sourceNames(sources, where, "action", name)}` +
              ` (actions.${name}, objects.${name}Request / ${name}Response). Review before relying on it.`,
            `rateLimitPerSecond: ${ASSUMED_RATE_LIMIT} is assumed: api.json carries no rate limit; every CCC doc page says ${ASSUMED_RATE_LIMIT}/s.`,
          ];
    const file = path.join(specDir, "actions", `${name}.yaml`);
    const text = existing ? patchSpecText(existing.text, m.spec) : renderAction(m.spec, header);
    outcomes.push({
      ...outcome("action", name, existing?.text, text, m.changes, [...r.warnings, ...m.warnings], file),
      spec: m.spec,
    });
  }
  return outcomes;
}

/** The import never deletes a spec: what the sources no longer have is listed for a person to retire. */
function staleSpecs(
  imported: Imported,
  existingActions: Existing<RawActionSpec>,
  existingModels: Existing<RawModelSpec>,
  specDir: string,
): string[] {
  const stale = [
    ...[...existingActions.keys()].filter((n) => !imported.actions.has(n)).map((n) => `action ${n}`),
    ...[...existingModels.keys()].filter((n) => !imported.models.has(n)).map((n) => `model ${n}`),
  ];
  return stale.length
    ? [`in ${path.basename(specDir)}/ but not in api.json, left as they are: ${stale.join(", ")}`]
    : [];
}

/** The report: what was added, updated or unchanged, what was lifted, the invalid examples, what to review. */
function report(
  io: Io,
  r: {
    outcomes: Outcome[];
    imported: Imported;
    notes: string[];
    /** Specs the sources no longer have: said last. */
    stale: string[];
    page: string | undefined;
    where: SourceFiles;
    specDir: string;
    dry: boolean;
  },
): void {
  const { outcomes, imported, notes, page, dry } = r;
  io.out(
    `spec:import${dry ? " (dry run)" : ""}: ${page !== undefined ? `doc page ${page}` : r.where.api} → ${path.relative(process.cwd(), r.specDir) || "."}/`,
  );
  for (const o of outcomes.sort((a, b) =>
    a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === "action" ? -1 : 1,
  )) {
    if (o.status === "updated") {
      io.out(`  updated   ${o.kind} ${o.name}:`);
      for (const c of o.changes) io.out(`              ${c}`);
    } else io.out(`  ${o.status.padEnd(9)} ${o.kind} ${o.name}`);
  }
  // With --page, the page's own lifts are among its warnings; only those of the models it names are listed here.
  const lifted = (imported.api?.lifted ?? []).filter(
    (f) => !imported.page || imported.page.models.includes(f.where.split(".")[0]!),
  );
  if (lifted.length) {
    io.out(`lifted from prose (${lifted.length}; inputs and the models inputs reach):`);
    for (const f of lifted)
      io.out(`  ${f.dropped ? "dropped " : ""}${f.kind} ${f.where}: ${f.fact}${f.dropped ? ` (${f.dropped})` : ""}`);
  }
  const invalid = outcomes.flatMap((o) =>
    (o.spec?.examples ?? []).flatMap((ex, i) =>
      ex.invalid !== undefined ? [`  ${o.name} examples[${i}]: ${ex.invalid}`] : [],
    ),
  );
  if (invalid.length) {
    io.out(`official examples the spec refuses, kept with \`invalid\` (${invalid.length}):`);
    for (const l of invalid) io.out(l);
  }
  const decided = outcomes.filter((o) => o.kind === "action" && o.status === "added" && page === undefined);
  if (decided.length) {
    io.out(`idempotent decided by the verb rule, to review (${decided.length}):`);
    for (const o of decided) {
      const i = idempotency(o.name);
      io.out(`  ${String(i.idempotent).padEnd(5)} ${o.name} (${i.reason})`);
    }
  }
  if (page === undefined && outcomes.some((o) => o.kind === "action" && o.status === "added"))
    notes.push(
      `rateLimitPerSecond: ${ASSUMED_RATE_LIMIT} assumed for the new actions (api.json carries no rate limit; every CCC doc page says ${ASSUMED_RATE_LIMIT}/s)`,
    );
  if (imported.api && page === undefined) notes.push(...imported.api.warnings);
  if (imported.api?.unreferenced.length)
    notes.push(`models no action uses (imported all the same): ${imported.api.unreferenced.join(", ")}`);
  notes.push(...r.stale);
  const warnings = [
    ...notes.map((n) => `  ${n}`),
    ...outcomes.flatMap((o) => o.warnings.map((w) => `  ${o.name}: ${w}`)),
  ];
  if (warnings.length) {
    io.out(`warnings (${warnings.length}):`);
    for (const w of warnings) io.out(w);
  }
  const count = (s: Outcome["status"]) => outcomes.filter((o) => o.status === s).length;
  io.out(
    `${count("added")} added, ${count("updated")} updated, ${count("unchanged")} unchanged; ${lifted.filter((f) => !f.dropped).length} lifted, ${invalid.length} invalid example(s), ${warnings.length} warning(s)${dry ? "; nothing written (dry run)" : ""}`,
  );
}

async function writeOutcomes(outcomes: readonly Outcome[]): Promise<void> {
  for (const o of outcomes) {
    if (!o.write) continue;
    await mkdir(path.dirname(o.file), { recursive: true });
    await writeFile(o.file, o.text);
  }
}

/** The result must load as the generator will load it, but for the decisions left to a person. */
async function verify(specDir: string, io: Io): Promise<number> {
  try {
    await loadSpec(specDir);
    return 0;
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    if (e.issues.every((i) => i.needsReview)) {
      io.out(
        `npm run generate refuses ${e.issues.length} spec(s) until idempotent is reviewed: set it and write idempotentReason in each`,
      );
      return 0;
    }
    io.err(`spec:import: the spec folder does not load after the import (${e.issues.length} problem(s)):`);
    for (const i of e.issues) io.err(`  ${formatIssue(i)}`);
    return 1;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function sourceNames(sources: Sources | undefined, where: SourceFiles, kind: "action" | "model", name: string): string {
  const { api, files } = where;
  const b = (f: string) => path.basename(f);
  const inEn = kind === "action" ? sources?.apiEn?.actions[name] : sources?.apiEn?.objects[name];
  const parts = [inEn ? `${b(api)} / ${b(files.apiEn.file)}` : `${b(api)} (${b(files.apiEn.file)} lacks it)`];
  if (kind === "action") {
    const exEn = sources?.examplesEn?.actions[name]?.length;
    if (sources?.examples?.actions[name]?.length)
      parts.push(exEn ? `${b(files.examples.file)} / ${b(files.examplesEn.file)}` : b(files.examples.file));
    const ecEn = sources?.errorcodesEn?.actions[name];
    if (sources?.errorcodes?.actions[name])
      parts.push(ecEn ? `${b(files.errorcodes.file)} / ${b(files.errorcodesEn.file)}` : b(files.errorcodes.file));
  }
  return parts.join(", ");
}

function outcome(
  kind: Outcome["kind"],
  name: string,
  before: string | undefined,
  text: string,
  changes: string[],
  warnings: string[],
  file: string,
): Outcome {
  const status: Outcome["status"] = before === undefined ? "added" : before === text ? "unchanged" : "updated";
  return {
    kind,
    name,
    status,
    changes: status === "updated" ? (changes.length ? changes : ["formatting"]) : [],
    warnings,
    file,
    text,
    write: status !== "unchanged",
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  process.exitCode = await runImport(process.argv.slice(2));

/**
 * An import planned in memory: what `spec:import` would write, remove and change, and `spec:diff` reports without
 * writing. The steps:
 *
 *   read the spec folder → import the sources (api.json, or a doc page and the models it needs) → merge each
 *   spec (update, fill or adopt; codegen/import/merge.ts, adopt.ts) → specs the sources dropped → render each
 *   file whole → classify what changed (codegen/import/changes.ts).
 *
 * Files are rendered whole (codegen/import/yaml.ts), so an update is byte for byte a fresh import but for what a
 * person wrote, which the spec marks (`handWritten`). YAML comments are not data: the importer's header is
 * written again, and any other comment is reported, since the new file will not have it.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Lexer, parse as parseYaml } from "yaml";
import { adoptAction, adoptModel } from "./adopt.js";
import { importApi, type ApiImport } from "./api-import.js";
import { ASSUMED_RATE_LIMIT, type Sources } from "./apijson.js";
import { classifyChanges, type Change, modelsReached, type SpecSet } from "./changes.js";
import { loadSpec } from "../load.js";
import type { DocPageResult } from "./docpage.js";
import { fillAction, updateAction, updateModel, type UpdateOptions } from "./merge.js";
import { type SdkDefinition, sdkSpecs } from "./sdk-models.js";
import { SOURCE_FILES, type SourceFolder } from "./sources.js";
import type { ImportResult, RawActionSpec, RawModelSpec } from "./types.js";
import { renderAction, renderModel } from "./yaml.js";

export class PlanError extends Error {}

interface SpecFile<T> {
  readonly file: string;
  readonly text: string;
  readonly data: T;
}

export interface ExistingSpecs {
  readonly actions: ReadonlyMap<string, SpecFile<RawActionSpec>>;
  readonly models: ReadonlyMap<string, SpecFile<RawModelSpec>>;
}

export type Status = "added" | "updated" | "unchanged" | "removed" | "kept";

export interface Outcome {
  readonly kind: "action" | "model";
  readonly name: string;
  readonly status: Status;
  readonly file: string;
  /** The new text (undefined: the file goes). */
  readonly text: string | undefined;
  readonly warnings: readonly string[];
  /** The spec after the import (undefined when removed). */
  readonly spec: RawActionSpec | RawModelSpec | undefined;
}

export interface Plan {
  readonly specDir: string;
  /** What the plan imports, for a CHANGELOG entry: the sources folder, the page or the SDK's name. */
  readonly source: string;
  readonly outcomes: readonly Outcome[];
  readonly changes: readonly Change[];
  /** Notes on the sources and the run as a whole. */
  readonly notes: readonly string[];
  readonly api: ApiImport | undefined;
  readonly page: DocPageResult | undefined;
  /** With --adopt: the marks set, per spec. */
  readonly marked: ReadonlyMap<string, readonly string[]>;
}

export type Selection =
  | { readonly kind: "all" }
  | { readonly kind: "actions"; readonly names: readonly string[] }
  | { readonly kind: "page"; readonly file: string; readonly result: DocPageResult };

export interface PlanOptions {
  readonly specDir: string;
  /** The sources; undefined only for a doc page imported without api.json. */
  readonly folder: SourceFolder | undefined;
  readonly selection: Selection;
  /** Keep the actions, models, members and error codes the sources no longer have (reported) instead of removing them. */
  readonly keepRemoved?: boolean;
  /** Mark every fact a fresh import would change as hand-written instead (codegen/import/adopt.ts). */
  readonly adopt?: boolean;
}

async function readSpecFiles<T>(dir: string): Promise<Map<string, SpecFile<T>>> {
  const out = new Map<string, SpecFile<T>>();
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return out;
    throw e;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const text = await readFile(file, "utf8");
    let data: T;
    try {
      data = parseYaml(text) as T;
    } catch (e) {
      throw new PlanError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    out.set(name.replace(/\.yaml$/, ""), { file, text, data });
  }
  return out;
}

export async function readExisting(specDir: string): Promise<ExistingSpecs> {
  return {
    actions: await readSpecFiles<RawActionSpec>(path.join(specDir, "actions")),
    models: await readSpecFiles<RawModelSpec>(path.join(specDir, "models")),
  };
}

/** What to keep from the spec because the sources lack a file (codegen/import/sources.ts). */
function updateOptions(folder: SourceFolder | undefined): UpdateOptions {
  const lacks = (name: string) => folder === undefined || folder.missing.includes(name);
  return {
    keepEnglish: lacks(SOURCE_FILES.apiEn),
    keepExamples: lacks(SOURCE_FILES.examples),
    keepExampleEnglish: lacks(SOURCE_FILES.examplesEn),
    keepErrors: lacks(SOURCE_FILES.errorcodes),
    keepErrorEnglish: lacks(SOURCE_FILES.errorcodesEn),
  };
}

// Headers ---------------------------------------------------------------------------------------------------------

function sourceNames(sources: Sources, kind: "action" | "model", name: string): string {
  const f = SOURCE_FILES;
  const inEn = kind === "action" ? sources.apiEn?.actions[name] : sources.apiEn?.objects[name];
  const parts = [inEn ? `${f.api} / ${f.apiEn}` : `${f.api} (${f.apiEn} lacks it)`];
  if (kind === "action") {
    if (sources.examples?.actions[name]?.length)
      parts.push(sources.examplesEn?.actions[name]?.length ? `${f.examples} / ${f.examplesEn}` : f.examples);
    if (sources.errorcodes?.actions[name])
      parts.push(sources.errorcodesEn?.actions[name] ? `${f.errorcodes} / ${f.errorcodesEn}` : f.errorcodes);
  }
  return parts.join(", ");
}

function apiHeader(sources: Sources, kind: "action" | "model", name: string): string[] {
  if (kind === "model")
    return [
      `Imported by \`npm run spec:import\` from ${sourceNames(sources, "model", name)} (objects.${name}). Review before relying on it.`,
    ];
  return [
    `Imported by \`npm run spec:import\` from ${sourceNames(sources, "action", name)}` +
      ` (actions.${name}, objects.${name}Request / ${name}Response). Review before relying on it.`,
    `rateLimitPerSecond: ${ASSUMED_RATE_LIMIT} is assumed: api.json carries no rate limit; every CCC doc page says ${ASSUMED_RATE_LIMIT}/s.`,
  ];
}

/** An action file's header: a page import keeps the file's own; a new page spec or an api.json import writes its own. */
function actionHeader(selection: Selection, name: string, sources: Sources | undefined, before: string | undefined) {
  if (selection.kind !== "page") return apiHeader(sources!, "action", name);
  if (before !== undefined) return splitComments(before).header;
  return [
    `Imported by \`npm run spec:import\` from the doc page ${path.basename(selection.file)}. Review before relying on it.`,
  ];
}

/**
 * The comments of a spec file, found by the YAML lexer (a `#` inside a block scalar is text, not a comment): the
 * leading ones as header paragraphs, one per line (rendered again, they wrap exactly as they were), and the line
 * numbers of the others.
 */
export function splitComments(text: string): { header: string[]; others: number[] } {
  const header: string[] = [];
  const others: number[] = [];
  let offset = 0;
  let leading = true;
  for (const token of new Lexer().lex(text)) {
    if (token.startsWith("#")) {
      if (leading) header.push(token.replace(/^# ?/, ""));
      else others.push(text.slice(0, offset).split("\n").length);
    } else if (token.trim() !== "" && !token.startsWith("\n")) leading = false;
    offset += token.length;
  }
  return { header, others };
}

// The plan --------------------------------------------------------------------------------------------------------

interface Imported {
  readonly actions: Map<string, ImportResult<RawActionSpec>>;
  readonly models: Map<string, ImportResult<RawModelSpec>>;
  readonly api: ApiImport | undefined;
}

function importSelection(opts: PlanOptions, existing: ExistingSpecs, notes: string[]): Imported {
  const { folder, selection } = opts;
  if (selection.kind !== "page") {
    const api = importApi(folder!.sources, selection.kind === "actions" ? { actions: selection.names } : {});
    return { actions: new Map(api.actions), models: new Map(api.models), api };
  }
  // A page's action, and every model it needs that the spec lacks, from api.json (with the models those need).
  const page = selection.result;
  const api = folder ? importForPage(folder.sources, page, existing) : undefined;
  const available = new Map<string, RawModelSpec>();
  for (const [n, e] of existing.models) available.set(n, e.data);
  for (const [n, r] of api?.models ?? []) if (!available.has(n)) available.set(n, r.spec);
  const needed = modelsReached([...Object.values(page.spec.input), ...Object.values(page.spec.output)], available);
  const models = new Map<string, ImportResult<RawModelSpec>>();
  for (const name of needed) {
    const fromApi = api?.models.get(name);
    if (!existing.models.has(name) && fromApi) models.set(name, fromApi);
  }
  for (const name of page.models)
    if (!existing.models.has(name) && !api?.models.has(name))
      notes.push(`the page names the model ${name}, which neither api.json nor the spec has`);
  return { actions: new Map([[page.spec.action, page]]), models, api };
}

/**
 * api.json's import for a page: of the page's action alone when api.json has it (its models are the ones it
 * reaches), of everything when the page names a model neither that import nor the spec has.
 */
function importForPage(sources: Sources, page: DocPageResult, existing: ExistingSpecs): ApiImport {
  if (Object.hasOwn(sources.api.actions, page.spec.action)) {
    const one = importApi(sources, { actions: [page.spec.action] });
    if (page.models.every((m) => existing.models.has(m) || one.models.has(m))) return one;
  }
  return importApi(sources, {});
}

function outcome(
  kind: Outcome["kind"],
  name: string,
  file: string,
  before: string | undefined,
  text: string | undefined,
  spec: Outcome["spec"],
  warnings: readonly string[],
): Outcome {
  const status: Status =
    text === undefined ? "removed" : before === undefined ? "added" : before === text ? "unchanged" : "updated";
  return { kind, name, status, file, text, warnings, spec };
}

function commentWarnings(text: string | undefined): string[] {
  return text === undefined
    ? []
    : splitComments(text).others.map(
        (line) => `line ${line}: a comment is not kept by the import (the file is rewritten); write it as a note`,
      );
}

/** Plans the import: nothing is written. */
export async function planImport(opts: PlanOptions): Promise<Plan> {
  const notes: string[] = [];
  const existing = await readExisting(opts.specDir);
  const imported = importSelection(opts, existing, notes);
  const page = opts.selection.kind === "page" ? opts.selection.result : undefined;
  const update = { ...updateOptions(opts.folder), keepRemoved: opts.keepRemoved === true };
  const sources = opts.folder?.sources;
  const outcomes: Outcome[] = [];
  const marked = new Map<string, readonly string[]>();

  const oldModels: Record<string, RawModelSpec> = {};
  for (const [n, e] of existing.models) oldModels[n] = e.data;
  const models: Record<string, RawModelSpec> = { ...oldModels };
  for (const [n, r] of imported.models) models[n] = r.spec; // provisional, for the examples of members

  for (const [name, r] of imported.models) {
    const before = existing.models.get(name);
    let spec: RawModelSpec;
    let warnings = [...r.warnings];
    if (opts.adopt && before) {
      const a = adoptModel(before.data, r.spec);
      spec = a.spec;
      if (a.marked.length) marked.set(name, a.marked);
    } else {
      const m = updateModel(before?.data, r.spec, models, update);
      spec = m.spec;
      warnings = [...warnings, ...m.warnings, ...commentWarnings(before?.text)];
    }
    models[name] = spec;
    const file = before?.file ?? path.join(opts.specDir, "models", `${name}.yaml`);
    const text = renderModel(
      spec,
      sources ? apiHeader(sources, "model", name) : splitComments(before?.text ?? "").header,
    );
    outcomes.push(outcome("model", name, file, before?.text, text, spec, warnings));
  }

  for (const [name, r] of imported.actions) {
    const before = existing.actions.get(name);
    let spec: RawActionSpec;
    let warnings = [...r.warnings];
    if (opts.adopt && before && !page) {
      const a = adoptAction(before.data, r.spec);
      spec = a.spec;
      if (a.marked.length) marked.set(name, a.marked);
    } else {
      const m = page
        ? fillAction(before?.data, r.spec, models)
        : updateAction(before?.data, r.spec, models, update, oldModels);
      spec = m.spec;
      warnings = [...warnings, ...m.warnings, ...commentWarnings(before?.text)];
    }
    const header = actionHeader(opts.selection, name, sources, before?.text);
    const file = before?.file ?? path.join(opts.specDir, "actions", `${name}.yaml`);
    outcomes.push(outcome("action", name, file, before?.text, renderAction(spec, header), spec, warnings));
  }

  if (opts.selection.kind === "all") outcomes.push(...dropped(existing, imported, opts.keepRemoved === true));

  const changes = classifyChanges(specSet(existing, outcomes, "before"), specSet(existing, outcomes, "after"));
  const source = opts.folder?.dir ?? (opts.selection.kind === "page" ? opts.selection.file : "");
  return { specDir: opts.specDir, source, outcomes, changes, notes, api: imported.api, page, marked };
}

/** The specs of actions and models the sources no longer have: removed, or kept with a warning. */
function dropped(existing: ExistingSpecs, imported: Imported, keep: boolean): Outcome[] {
  const out: Outcome[] = [];
  const each = <T extends RawActionSpec | RawModelSpec>(
    kind: Outcome["kind"],
    specs: ReadonlyMap<string, SpecFile<T>>,
    still: ReadonlyMap<string, unknown>,
  ) => {
    for (const [name, e] of specs) {
      if (still.has(name)) continue;
      const why = keepReason(e.data, keep);
      if (why) out.push({ kind, name, status: "kept", file: e.file, text: e.text, spec: e.data, warnings: [why] });
      else out.push(outcome(kind, name, e.file, e.text, undefined, undefined, []));
    }
  };
  each("action", existing.actions, imported.actions);
  each("model", existing.models, imported.models);
  return out;
}

/** Why a spec the sources do not have stays, if it does. */
function keepReason(spec: RawActionSpec | RawModelSpec, keep: boolean): string | undefined {
  if (spec.handWritten === true) return "not in the sources; kept, as it is marked handWritten";
  if ("from" in spec && spec.from !== undefined) return `not in the sources yet; kept (from ${spec.from})`;
  return keep ? "not in the sources any more; kept (--keep-removed)" : undefined;
}

// The official SDK's declarations as a further source -----------------------------------------------------------

/**
 * What the official SDK's declarations have that the spec lacks (codegen/import/sdk-models.ts), added: new models
 * whole, new members into their action or model. Each is marked `from` with the SDK's name, so that updates from
 * api.json keep it until api.json has it. What the SDK says differently of what the spec has is not changed: it is
 * for a person (spec:diff --from-sdk lists it).
 */
export async function planSdkImport(specDir: string, sdk: SdkDefinition): Promise<Plan> {
  const existing = await readExisting(specDir);
  const service = await loadSpec(specDir);
  const touched = new Map<string, { kind: Outcome["kind"]; spec: RawActionSpec | RawModelSpec; warnings: string[] }>();
  const notes: string[] = [];
  for (const p of sdkSpecs(sdk, service)) {
    if (p.kind === "model") {
      const { notes: _note, ...model } = structuredClone(p.model);
      touched.set(p.path, { kind: "model", spec: { ...model, from: p.source }, warnings: [...p.choices] });
      continue;
    }
    const where = p.place === "model" ? p.member : `${p.place}.${p.member}`;
    const choices = p.choices.map((c) => `${where}: ${c}`);
    const kind = p.place === "model" ? "model" : "action";
    const current =
      touched.get(p.owner) ??
      (() => {
        const e = kind === "model" ? existing.models.get(p.owner) : existing.actions.get(p.owner);
        return { kind, spec: structuredClone(e!.data) as RawActionSpec | RawModelSpec, warnings: [] as string[] };
      })();
    const spec = current.spec;
    const members = "action" in spec ? spec[p.place === "output" ? "output" : "input"] : spec.members;
    members[p.member] = { ...structuredClone(p.spec), from: p.source };
    current.warnings.push(...choices);
    touched.set(p.owner, current);
  }
  const outcomes: Outcome[] = [];
  for (const [name, t] of touched) {
    const before = t.kind === "model" ? existing.models.get(name) : existing.actions.get(name);
    const header = before
      ? splitComments(before.text).header
      : [
          `Imported by \`npm run spec:import -- --from-sdk\` from ${sdk.source} (interface ${name}): api.json does not have it yet. Review before relying on it.`,
        ];
    const text =
      t.kind === "model" ? renderModel(t.spec as RawModelSpec, header) : renderAction(t.spec as RawActionSpec, header);
    const file = before?.file ?? path.join(specDir, t.kind === "model" ? "models" : "actions", `${name}.yaml`);
    outcomes.push(outcome(t.kind, name, file, before?.text, text, t.spec, t.warnings));
  }
  for (const p of sdk.problems) notes.push(`${sdk.source}:${p.line}: ${p.message}`);
  const changes = classifyChanges(specSet(existing, outcomes, "before"), specSet(existing, outcomes, "after"));
  return { specDir, source: sdk.source, outcomes, changes, notes, api: undefined, page: undefined, marked: new Map() };
}

/** The specs the plan touches, before or after it (untouched specs are the same on both sides and left out). */
function specSet(existing: ExistingSpecs, outcomes: readonly Outcome[], side: "before" | "after"): SpecSet {
  const actions = new Map<string, RawActionSpec>();
  const models = new Map<string, RawModelSpec>();
  // Every model, for where models are used (inputs or outputs): untouched ones included.
  for (const [n, e] of existing.models) models.set(n, e.data);
  for (const o of outcomes) {
    const before = o.kind === "action" ? existing.actions.get(o.name)?.data : existing.models.get(o.name)?.data;
    const spec = side === "before" ? before : o.spec;
    const into = (o.kind === "action" ? actions : models) as Map<string, RawActionSpec | RawModelSpec>;
    if (spec) into.set(o.name, spec);
    else into.delete(o.name);
  }
  return { actions, models };
}

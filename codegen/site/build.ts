/**
 * The reference site: spec/ → intermediate model → docs/ (static HTML, one stylesheet, one script). The same model
 * the SDK's code is generated from, so a page cannot say what the client does not do. The site is checked (links,
 * accessibility: codegen/site/check.ts) before anything is written, and written atomically like generated/.
 */
import { readFile } from "node:fs/promises";
import { writeAtomically } from "../write.js";
import type { Service, SpecWarning } from "../ir.js";
import { loadSpec, shapeOf } from "../load.js";
import { actionPage } from "./action-page.js";
import { checkSite, formatProblem, type SiteCheck } from "./check.js";
import { errorsPage, indexPage, modelPage, modelUses } from "./other-pages.js";
import { icon, stylesheet } from "./styles.js";

const CLIENT_SCRIPT = new URL("./assets/site.js", import.meta.url);

/** Every file of the site: path → content. */
export async function renderSite(service: Service): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set("index.html", indexPage(service));
  files.set("errors.html", errorsPage(service));
  files.set("assets/site.css", stylesheet());
  files.set("assets/site.js", await readFile(CLIENT_SCRIPT, "utf8"));
  files.set("assets/icon.svg", icon());
  const models = new Map(service.models.map((m) => [m.name, m]));
  const groupOf = new Map(service.groups.flatMap((g) => g.actions.map((a) => [a, g] as const)));
  for (const action of service.actions)
    files.set(
      `actions/${action.name}.html`,
      actionPage(action, { service, shape: shapeOf(action.input, models), group: groupOf.get(action.name)! }),
    );
  const uses = modelUses(service);
  for (const model of service.models)
    files.set(`models/${model.name}.html`, modelPage(service, model, uses.get(model.name)!));
  return files;
}

/** The site's checks failed: nothing was written. */
export class SiteCheckError extends Error {
  constructor(readonly check: SiteCheck) {
    super(
      `${check.problems.length} problem(s) in the site (nothing written):\n${check.problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
    );
    this.name = "SiteCheckError";
  }
}

export interface SiteResult {
  readonly files: ReadonlyMap<string, string>;
  readonly check: SiteCheck;
  readonly actions: number;
  readonly models: number;
  /** The spec's warnings (see `Service.warnings`): printed, not fatal. */
  readonly warnings: readonly SpecWarning[];
}

/** Loads the spec, renders and checks the site, and (when every check passes) replaces `outDir` with it. */
export async function buildSite(opts: { readonly specDir: string; readonly outDir: string }): Promise<SiteResult> {
  const service = await loadSpec(opts.specDir);
  const files = await renderSite(service);
  const check = checkSite(files);
  if (check.problems.length) throw new SiteCheckError(check);
  await writeAtomically(files, opts.outDir);
  return {
    files,
    check,
    actions: service.actions.length,
    models: service.models.length,
    warnings: service.warnings,
  };
}

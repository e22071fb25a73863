/**
 * What the command line knows about the API: the service, the generated validation shapes (`commands`, with their
 * paginators), the waiters and the help texts (`catalog`). Nothing action-specific is written by hand; a new action
 * spec and `npm run generate` give a new command. The generated ones are wired in by generated-spec.ts.
 */
import type { ActionDefinition, ServiceDefinition, WaiterDefinition } from "../action.js";
import type { Catalog, CatalogText } from "../catalog.js";

export interface CliSpec {
  readonly service: ServiceDefinition;
  readonly commands: Readonly<Record<string, ActionDefinition>>;
  /** Every waiter by name (`--wait <Name>`); each names the action it polls. */
  readonly waiters: Readonly<Record<string, WaiterDefinition>>;
  readonly catalog: Catalog;
}

/** Help language: English unless `--language zh-CN` asks for Chinese; each falls back to the other. */
export type HelpLanguage = "en" | "zh";

export function text(t: CatalogText | undefined, lang: HelpLanguage = "en"): string {
  if (!t) return "";
  return (lang === "zh" ? (t.zh ?? t.en) : (t.en ?? t.zh)) ?? "";
}

/** Sorted action names. */
export function actionNames(spec: CliSpec): string[] {
  return Object.keys(spec.commands).sort();
}

/** The SDK method name of an action: the action's name with only the first letter lower-cased. */
export function methodName(action: string): string {
  return action.charAt(0).toLowerCase() + action.slice(1);
}

/** The action named by its Tencent name or by its method name, or `undefined`. */
export function findAction(spec: CliSpec, name: string): string | undefined {
  if (Object.hasOwn(spec.commands, name)) return name;
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  if (upper !== name && methodName(upper) === name && Object.hasOwn(spec.commands, upper)) return upper;
  return undefined;
}

/** Sorted names of the actions that page (`--page-all`). */
export function pagingActions(spec: CliSpec): string[] {
  return actionNames(spec).filter((name) => spec.commands[name]!.paginator !== undefined);
}

/** Sorted names of the waiters; with `action`, only those that poll it. */
export function waiterNames(spec: CliSpec, action?: string): string[] {
  return Object.keys(spec.waiters)
    .filter((name) => action === undefined || spec.waiters[name]!.command.name === action)
    .sort();
}

/**
 * What the emulator serves: every action's validation shape (the generated commands' `input`) and example answer
 * (the generated catalog), and the data pushes it can send (the generated push definitions), from this package's
 * generated code or, for the SDK's own tests, another generated folder.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ActionDefinition, PaginatorDefinition, PushDefinition, Shape } from "../action.js";
import type { Catalog } from "../catalog.js";

export interface EmulatedAction {
  readonly name: string;
  readonly input: Shape;
  /** How it pages, for a data set (the command's `paginator`). */
  readonly paginator: PaginatorDefinition | undefined;
  /** The members of the documented example's `Response` (RequestId included), if the action has an example. */
  readonly example: Readonly<Record<string, unknown>> | undefined;
}

export interface EmulatedService {
  /** The service name of the credential scope (`ccc`). */
  readonly service: string;
  readonly version: string;
  readonly actions: ReadonlyMap<string, EmulatedAction>;
  /** The data pushes it can send, by action (`cdr`): their documented example is what it sends. */
  readonly pushes: ReadonlyMap<string, PushDefinition>;
}

interface GeneratedModules {
  readonly commands: Readonly<Record<string, ActionDefinition>>;
  readonly catalog: Catalog;
  readonly pushes: Readonly<Record<string, PushDefinition>>;
}

function hasModule(dir: string, name: string): boolean {
  return existsSync(path.join(dir, `${name}.js`)) || existsSync(path.join(dir, `${name}.ts`));
}

/** The generated module `name` of `dir`: the compiled `.js` when there is one, else the `.ts` (under tsx). */
function moduleIn(dir: string, name: string): string {
  const js = path.join(dir, `${name}.js`);
  const file = existsSync(js) ? js : path.join(dir, `${name}.ts`);
  if (!existsSync(file)) throw new Error(`${path.join(dir, name)}.js or .ts does not exist`);
  return pathToFileURL(file).href;
}

/**
 * Loads the service from `generatedDir` (a folder written by the generator: `client.ts` and `catalog.ts`), or from
 * the package's own generated code.
 */
export async function loadService(generatedDir?: string): Promise<EmulatedService> {
  let modules: GeneratedModules;
  try {
    if (generatedDir === undefined) {
      const [client, catalog, pushes] = await Promise.all([
        import("../../generated/client.js"),
        import("../../generated/catalog.js"),
        import("../../generated/pushes/index.js"),
      ]);
      modules = { commands: client.commands, catalog: catalog.catalog, pushes: pushes.pushes };
    } else {
      const dir = path.resolve(generatedDir);
      const [client, catalog, pushes] = (await Promise.all([
        import(moduleIn(dir, "client")),
        import(moduleIn(dir, "catalog")),
        // A folder generated before the spec had pushes has none.
        hasModule(dir, "pushes/index") ? import(moduleIn(dir, "pushes/index")) : { pushes: {} },
      ])) as [Partial<GeneratedModules>, Partial<GeneratedModules>, Partial<GeneratedModules>];
      if (!client.commands || typeof client.commands !== "object") throw new Error("client has no `commands` export");
      if (!catalog.catalog || typeof catalog.catalog !== "object") throw new Error("catalog has no `catalog` export");
      if (!pushes.pushes || typeof pushes.pushes !== "object") throw new Error("pushes/index has no `pushes` export");
      modules = { commands: client.commands, catalog: catalog.catalog, pushes: pushes.pushes };
    }
  } catch (e) {
    throw new Error(
      `cannot load the generated code${generatedDir === undefined ? "" : ` in ${generatedDir}`}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const actions = new Map<string, EmulatedAction>();
  for (const command of Object.values(modules.commands)) {
    const response = modules.catalog.actions[command.name]?.example?.response;
    actions.set(command.name, {
      name: command.name,
      input: command.input,
      paginator: command.paginator,
      example: response,
    });
  }
  const pushes = new Map(Object.values(modules.pushes).map((p) => [p.action, p] as const));
  return { service: modules.catalog.service, version: modules.catalog.version, actions, pushes };
}

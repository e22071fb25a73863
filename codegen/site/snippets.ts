/**
 * The code a reader copies from an action's page: the `CccClient` call, the `CccBareClient` call and the `ccc`
 * command for one of its examples, plus the paging and waiting loops. The TypeScript is written to compile against
 * the package as published (test/docs/snippets.test.ts compiles every one); the command comes from the CLI's own
 * help (src/cli/help.ts), so the site and `ccc <Action> --help` print the same line.
 */
import type { Shape } from "../../src/action.js";
import { exampleCommand } from "../../src/cli/help.js";
import type { Action, Waiter } from "../ir.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const INDENT = "  ";

/** A value as a TypeScript expression, laid out as prettier would for a short example (one member per line). */
export function tsLiteral(value: unknown, depth = 0): string {
  const pad = INDENT.repeat(depth + 1);
  const end = INDENT.repeat(depth);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    const items = value.map((v) => tsLiteral(v, depth + 1));
    const flat = `[${items.join(", ")}]`;
    return flat.length <= 60 && !flat.includes("\n")
      ? flat
      : `[\n${items.map((i) => `${pad}${i},`).join("\n")}\n${end}]`;
  }
  const entries = Object.entries(value);
  if (!entries.length) return "{}";
  const lines = entries.map(
    ([k, v]) => `${pad}${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${tsLiteral(v, depth + 1)},`,
  );
  return `{\n${lines.join("\n")}\n${end}}`;
}

export interface CallSnippets {
  /** `new CccClient()` and the action's method. */
  readonly client: string;
  /** `new CccBareClient()` and `send(<Action>Command, …)`: what a bundle keeps small with. */
  readonly bare: string;
  /** `npx ccc <Action> --Member value …`; undefined when the example's request cannot be written as flags. */
  readonly cli?: string;
}

export function callSnippets(action: Action, shape: Shape, request: Readonly<Record<string, unknown>>): CallSnippets {
  const input = tsLiteral(request);
  const result = `console.log(result.RequestId);`;
  const client = [
    `import { CccClient } from "ccc-sdk";`,
    "",
    "const client = new CccClient();",
    `const result = await client.${action.methodName}(${input});`,
    result,
  ].join("\n");
  const bare = [
    `import { CccBareClient, ${action.name}Command } from "ccc-sdk";`,
    "",
    "const client = new CccBareClient();",
    `const result = await client.send(${action.name}Command, ${input});`,
    result,
  ].join("\n");
  const command = exampleCommand(action.name, shape, request);
  return { client, bare, ...(command ? { cli: `npx ${command}` } : {}) };
}

/** The request of an example without the paging members `paginate()` sets itself. */
function withoutPaging(action: Action, request: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const p = action.paginator!;
  const skip = new Set([p.position, p.size]);
  return Object.fromEntries(Object.entries(request).filter(([k]) => !skip.has(k)));
}

/** `npx ccc <Action> --page-all …`: the example's members but the paging ones, which `--page-all` sets. */
export function pagingCommand(
  action: Action,
  shape: Shape,
  request: Readonly<Record<string, unknown>>,
): string | undefined {
  const command = exampleCommand(action.name, shape, withoutPaging(action, request));
  return command && `npx ${command.replace(/^ccc \S+/, (head) => `${head} --page-all`)}`;
}

/** `for await` over every item of every page. */
export function pagingSnippet(action: Action, request: Readonly<Record<string, unknown>>): string {
  const p = action.paginator!;
  return [
    `import { CccClient } from "ccc-sdk";`,
    "",
    "const client = new CccClient();",
    `for await (const item of client.paginate${action.name}(${tsLiteral(withoutPaging(action, request))}).items()) {`,
    `  console.log(item); // one of ${p.items}`,
    "}",
  ].join("\n");
}

/** The waiter's call, with its input taken from the action's example. */
export function waiterSnippet(waiter: Waiter, request: Readonly<Record<string, unknown>>): string {
  return [
    `import { CccClient } from "ccc-sdk";`,
    "",
    "const client = new CccClient();",
    `const last = await client.waitUntil${waiter.name}(${tsLiteral(request)}, { maxWaitMs: 30 * 60_000 });`,
    "console.log(last.RequestId);",
  ].join("\n");
}

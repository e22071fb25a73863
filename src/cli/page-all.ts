/**
 * `--page-all`: every item of a paging action, read through `paginate()` and printed as JSON Lines (each item one
 * line of compact JSON) as its page arrives. A large set never sits in memory, `jq`, `grep` and `wc -l` read it as
 * it comes, and a reader that stops early (`| head`) stops the paging: no further page is asked for.
 */
import type { ActionDefinition, PagedActionDefinition } from "../action.js";
import type { CccBaseClient } from "../client.js";
import { paginate } from "../paginate.js";
import { wholeNumber } from "./args.js";
import type { Output } from "./cli.js";
import { jsonText } from "./exact.js";

/**
 * Writes `chunk` and resolves to whether the output takes more: at once, or, when a stream's buffer is full, once
 * the chunk is flushed, so that pages are read no faster than the reader reads them. False once it is closed.
 */
export function writeChunk(output: Output, chunk: string): Promise<boolean> {
  if (output.writable === false) return Promise.resolve(false);
  return new Promise((resolve) => {
    // A stream calls `done` later, never during write(): `full` is set by then.
    let full = false;
    const done = (error?: Error | null) => {
      if (full) resolve(!error && output.writable !== false);
    };
    full = output.write(chunk, done) === false;
    if (!full) resolve(true);
  });
}

/** `command` when it pages, for the type's sake (the parser refused `--page-all` on any other). */
export function pagedCommand(command: ActionDefinition): PagedActionDefinition {
  if (!command.paginator) throw new Error(`${command.name} does not page`);
  return command as PagedActionDefinition;
}

/**
 * The page size to ask for: `--page-size`, else the action's own size member given on the line (`--PageSize`),
 * each a whole number up to the documented largest page; undefined leaves it to the paginator.
 */
export function pageSizeOf(
  command: PagedActionDefinition,
  flag: string | undefined,
  input: Readonly<Record<string, unknown>>,
): number | undefined {
  const p = command.paginator;
  const given = flag ?? input[p.size];
  if (given === undefined) return undefined;
  return wholeNumber(
    flag !== undefined ? "--page-size" : `--${p.size}`,
    String(given),
    1,
    p.maxSize ?? Number.MAX_SAFE_INTEGER,
    p.maxSize !== undefined ? `the largest page ${command.name} documents` : "",
  );
}

/**
 * Prints every item of every page of `command` for `input`, one JSON line each, through `write`; stops early when
 * `write` says the output is closed.
 */
export async function printEveryItem(
  client: CccBaseClient,
  command: PagedActionDefinition,
  input: Record<string, unknown>,
  pageSize: number | undefined,
  write: (chunk: string) => Promise<boolean>,
): Promise<void> {
  for await (const item of paginate(client, command, input, { pageSize }).items())
    if (!(await write(`${jsonText(item)}\n`))) return;
}

/** Sends only the first page's request (`--dry-run`): the paging members as the paginator sets them. */
export async function sendFirstPage(
  client: CccBaseClient,
  command: PagedActionDefinition,
  input: Record<string, unknown>,
  pageSize: number | undefined,
): Promise<void> {
  for await (const _ of paginate(client, command, input, { pageSize })) return;
}

/**
 * Paginators: every page of a paging action, as an async iterable, from the action's spec `paginator:` (carried by
 * its command). Each page is an ordinary `client.send()`: validated, rate-limited, retried, abortable. Nothing here
 * knows an action: the generated `client.paginate<Action>()` methods and the bare `paginate()` both come here.
 */
import type { PagedActionDefinition, PaginatorDefinition, TimeWindowDefinition } from "./action.js";
import type { CallOptions, CccBaseClient, CccClientOptions, InputFor } from "./client.js";
import { CccConfigError } from "./errors.js";

/** An action's input with its paging members optional: the paginator sets them. */
export type PageInput<Req, Paging extends string> = Omit<Req, Paging> & Partial<Pick<Req, Paging & keyof Req>>;

/** The type of one item of the `Items` list member of `Res`. */
export type ItemOf<Res, Items extends string> = Items extends keyof Res
  ? NonNullable<Res[Items]> extends readonly (infer T)[]
    ? T
    : never
  : never;

export interface PaginateOptions extends CallOptions {
  /** Items per page: default the action's documented largest page (its `defaultSize` where the docs give none). */
  readonly pageSize?: number | undefined;
}

/**
 * Every page of a paging action (`for await (const page of paginator)`), each the action's result; `items()` are
 * their items. Iterating again starts again from the first page.
 */
export interface Paginator<Page, Item> extends AsyncIterable<Page> {
  /** The items of every page, in order. */
  items(): AsyncIterable<Item>;
}

type Input = Record<string, unknown>;

/** Where a walk through one time window stands. */
interface Cursor {
  /** The value of the paginator's position member for the next page (undefined: the first page of a cursor walk). */
  position: number | string | undefined;
  /**
   * Items before the next page in the whole list: the caller's starting page or offset, plus the items read since
   * (counted, not computed from page numbers, so a server that caps the page size below the one asked for still
   * has its total reached).
   */
  itemsBefore: number;
}

/**
 * Every page of `command` for `input` (its paging members optional): the bare client's way to page, so a bundle
 * keeps only the commands and helpers it imports. `client.paginate<Action>(input, options)` is the same.
 */
export function paginate<
  O extends CccClientOptions,
  Req,
  Res,
  Code extends string,
  Items extends string,
  Paging extends string,
>(
  client: CccBaseClient<O>,
  command: PagedActionDefinition<Req, Res, Code, Items, Paging>,
  input: InputFor<PageInput<Req, Paging>, O>,
  options: PaginateOptions = {},
): Paginator<Res, ItemOf<Res, Items>> {
  const paginator = command?.paginator;
  if (!paginator) throw new CccConfigError(`${String(command?.name)} does not page: it has no paginator in the spec`);
  if (input === null || typeof input !== "object") throw new CccConfigError("input must be an object");
  const { pageSize, ...callOptions } = options;
  const size = checkPageSize(pageSize ?? (input as Input)[paginator.size], paginator, command.name);
  const pages = (): AsyncGenerator<Res> =>
    walk((page) => client.send(command, page as never, callOptions), paginator, input as Input, size);
  return {
    [Symbol.asyncIterator]: () => pages(),
    items: () => ({
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* itemsOf(paginator, page) as ItemOf<Res, Items>[];
      },
    }),
  };
}

/** An int64 member's value as a number (the SDK takes bigints for them too); anything else as it is. */
function numeric(value: unknown): unknown {
  return typeof value === "bigint" && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/** The page size to send: a whole number from 1 to the documented largest page (`options.pageSize` names it). */
function checkPageSize(given: unknown, p: PaginatorDefinition, action: string): number {
  const value = numeric(given);
  if (value === undefined) return p.defaultSize;
  const max = p.maxSize ?? Number.MAX_SAFE_INTEGER;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
    throw new CccConfigError(
      `pageSize must be a whole number from 1 to ${p.maxSize === undefined ? "any size" : `${max} (the largest page ${action} documents)`}, got ${String(value)}`,
    );
  return value;
}

async function* walk<Res>(
  send: (input: Input) => Promise<Res>,
  p: PaginatorDefinition,
  input: Input,
  size: number,
): AsyncGenerator<Res> {
  const windows = windowsOf(p.timeWindow, input);
  for (const [i, window] of windows.entries()) {
    // A starting page or offset of the caller's resumes the first window; the later ones start at their beginning.
    const position = firstPosition(p, i === 0 ? input : {});
    const at: Cursor = { position, itemsBefore: startOffset(p, position, size) };
    for (;;) {
      const page = await send(pageInput(p, input, window, at, size));
      yield page;
      const items = itemsOf(p, page);
      const next = nextPosition(p, at, items, size);
      if (isLastPage(p, page, items, at, size) || next === undefined) break;
      at.itemsBefore += items.length;
      at.position = next;
    }
  }
}

/** The input of one page: the caller's, with the window's range and the paging members set. */
function pageInput(p: PaginatorDefinition, input: Input, window: Input | undefined, at: Cursor, size: number): Input {
  const page: Input = { ...input, ...window, [p.size]: size };
  if (at.position === undefined) delete page[p.position];
  else page[p.position] = at.position;
  return page;
}

/** Where the first page starts: the caller's own position member if given, else the first page / offset 0. */
function firstPosition(p: PaginatorDefinition, input: Input): number | string | undefined {
  const given = numeric(input[p.position]);
  if (typeof given === "number" || typeof given === "string") return given;
  return p.style === "page" ? (p.firstPage ?? 0) : p.style === "offset" ? 0 : undefined;
}

/** The page's items (an absent or null list is an empty page). */
function itemsOf(p: PaginatorDefinition, page: unknown): readonly unknown[] {
  const items = (page as Input | undefined)?.[p.items];
  return Array.isArray(items) ? items : [];
}

/** The position of the next page, or undefined when there can be none (a cursor that does not advance). */
function nextPosition(
  p: PaginatorDefinition,
  at: Cursor,
  items: readonly unknown[],
  size: number,
): number | string | undefined {
  if (p.style === "page") return Number(at.position) + 1;
  if (p.style === "offset") return Number(at.position) + Math.min(items.length, size);
  const next = (items.at(-1) as Input | undefined)?.[p.cursorFrom ?? ""];
  return typeof next === "string" && next !== "" && next !== at.position ? next : undefined;
}

/**
 * The one rule for the end of a walk: an empty page; once the answer's total is reached; or, without a total, a
 * page shorter than asked for, where the docs say how large a page may be (so a short page is not the server
 * capping an undocumented size).
 */
function isLastPage(
  p: PaginatorDefinition,
  page: unknown,
  items: readonly unknown[],
  at: Cursor,
  size: number,
): boolean {
  if (items.length === 0) return true;
  const total = totalOf(p, page);
  if (total !== undefined) return at.itemsBefore + items.length >= total;
  return p.maxSize !== undefined && items.length < size;
}

/** How many items precede the first page: those of the pages before a starting page, or the starting offset. */
function startOffset(p: PaginatorDefinition, position: number | string | undefined, size: number): number {
  if (p.style === "page") return Math.max(0, Number(position) - (p.firstPage ?? 0)) * size;
  if (p.style === "offset") return Math.max(0, Number(position));
  return 0;
}

function totalOf(p: PaginatorDefinition, page: unknown): number | undefined {
  if (p.total === undefined) return undefined;
  const total = (page as Input | undefined)?.[p.total];
  return typeof total === "number" || typeof total === "bigint" ? Number(total) : undefined;
}

/**
 * The windows of `input`'s time range: the range itself (no change) when the action takes it, else consecutive
 * windows `[start, end]`, each spanning less than the action's limit, that together cover the range. Bounds are
 * taken as inclusive (Tencent's are), so a window starts one second after the one before ends.
 */
function windowsOf(w: TimeWindowDefinition | undefined, input: Input): (Input | undefined)[] {
  if (!w) return [undefined];
  const start = numeric(input[w.start]);
  const end = numeric(input[w.end]);
  if (typeof start !== "number" || typeof end !== "number") return [undefined];
  const windows = timeWindows(start, end, w.maxSpanSeconds);
  return windows.length > 1 ? windows.map(([s, e]) => ({ [w.start]: s, [w.end]: e })) : [undefined];
}

/**
 * `[start, end]` (Unix seconds, inclusive) cut into consecutive windows whose `end - start` is less than
 * `maxSpanSeconds`: how `paginate()` reads a long CDR range. One window when the range already fits (or is empty).
 */
export function timeWindows(start: number, end: number, maxSpanSeconds: number): [number, number][] {
  if (![start, end, maxSpanSeconds].every(Number.isSafeInteger) || maxSpanSeconds < 1)
    throw new CccConfigError("timeWindows takes whole numbers of seconds, and a span of at least 1");
  if (end - start < maxSpanSeconds) return [[start, end]];
  const windows: [number, number][] = [];
  for (let s = start; s <= end; s += maxSpanSeconds) windows.push([s, Math.min(s + maxSpanSeconds - 1, end)]);
  return windows;
}

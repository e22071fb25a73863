/**
 * What the emulator answers besides the documented example: a data set for a paging action (pages cut from it by
 * the request's own paging members, held to the action's documented caps, as Tencent does) and a scripted
 * sequence of states for an action a waiter polls (each call answers the next one; the last repeats).
 */
import type { PaginatorDefinition } from "../action.js";
import { ApiError } from "./api-error.js";
import type { EmulatedAction, EmulatedService } from "./spec.js";
import type { DataSet } from "./types.js";

/** Bounds on what a test may load, so an emulator's memory stays bounded. */
export const MAX_DATA_SET_ITEMS = 100_000;
export const MAX_STATES = 1000;

type Obj = Record<string, unknown>;

/** A data set as the emulator keeps it: its items, made once. */
export interface LoadedDataSet {
  readonly items: readonly Obj[];
  readonly total: boolean;
  readonly timeMember: string | undefined;
}

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The action named `name`, or why it cannot take `what`. */
function actionFor(service: EmulatedService, name: unknown, what: string): EmulatedAction | string {
  if (typeof name !== "string") return `${what} needs "action": the name of an action`;
  const action = service.actions.get(name);
  if (!action) return `${what}: the emulator has no action ${JSON.stringify(name)}`;
  return action;
}

/**
 * `input` checked as a data set for its `action` (a paging action): its items, or why not (a sentence naming the
 * field). `count` items are copies of the example's first item (numbered through the cursor member, for a cursor).
 */
export function checkDataSet(
  service: EmulatedService,
  input: unknown,
): { action: string; dataSet: LoadedDataSet } | string {
  if (!isObject(input)) return "a data set must be an object: { action, count | items, total?, timeMember? }";
  const action = actionFor(service, input.action, "a data set");
  if (typeof action === "string") return action;
  const p = action.paginator;
  if (!p) return `${action.name} does not page: a data set is for the actions with a paginator`;
  for (const key of Object.keys(input))
    if (!["action", "count", "items", "total", "timeMember"].includes(key))
      return `a data set has no field ${JSON.stringify(key)} (action, count, items, total, timeMember)`;
  const { count, items, total, timeMember } = input as DataSet & Obj;
  if ((count === undefined) === (items === undefined)) return "a data set needs either count or items";
  if (total !== undefined && typeof total !== "boolean") return "total must be true or false";
  if (total === false && p.total === undefined) return `${action.name} has no total member to leave out`;
  if (timeMember !== undefined && (typeof timeMember !== "string" || !p.timeWindow))
    return `timeMember must name an item member, and ${action.name} must take a time range`;
  let made: Obj[];
  if (items !== undefined) {
    if (!Array.isArray(items) || items.length > MAX_DATA_SET_ITEMS || !items.every(isObject))
      return `items must be a list of at most ${MAX_DATA_SET_ITEMS} objects`;
    made = structuredClone(items);
  } else {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > MAX_DATA_SET_ITEMS)
      return `count must be a whole number from 0 to ${MAX_DATA_SET_ITEMS}`;
    made = generatedItems(action, p, count);
  }
  return { action: action.name, dataSet: { items: made, total: total ?? true, timeMember } };
}

/** `count` copies of the example's first item; a cursor's member numbers them (`cursor-1`, …) so cursors advance. */
function generatedItems(action: EmulatedAction, p: PaginatorDefinition, count: number): Obj[] {
  const listed = action.example?.[p.items];
  const first = Array.isArray(listed) && isObject(listed[0]) ? listed[0] : {};
  return Array.from({ length: count }, (_, i) => {
    const item = structuredClone(first);
    if (p.cursorFrom) item[p.cursorFrom] = `cursor-${i + 1}`;
    return item;
  });
}

/** `input` checked as a state script: `{ action, states: [object, …] }`, or why not. */
export function checkStates(service: EmulatedService, input: unknown): { action: string; states: Obj[] } | string {
  if (!isObject(input)) return "a state script must be an object: { action, states: [ … ] }";
  const action = actionFor(service, input.action, "a state script");
  if (typeof action === "string") return action;
  const states = input.states;
  if (!Array.isArray(states) || states.length === 0 || states.length > MAX_STATES || !states.every(isObject))
    return `states must be a list of 1 to ${MAX_STATES} objects (result members, merged over the example)`;
  return { action: action.name, states: structuredClone(states) };
}

/** `patch` over `base`: objects merge member by member, anything else (a list too) replaces. */
export function mergeState(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(patch))
    out[key] = isObject(value) && isObject(base[key]) ? mergeState(base[key] as Obj, value) : value;
  return out;
}

/** A whole number member of the request, or `fallback` when absent. */
function whole(body: Obj, member: string, fallback: number): number {
  const v = body[member];
  return typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : fallback;
}

/**
 * The page of `data` the request asks for, as result members over `response` (the example's): the items member
 * cut by the request's paging members, the total member set (or left out). A page size above the action's
 * documented cap, a time range wider than the action takes, and an unknown cursor are refused as Tencent does.
 */
export function pageOf(p: PaginatorDefinition, data: LoadedDataSet, body: Obj, response: Obj): Obj {
  const items = inWindow(p, data, body);
  const size = whole(body, p.size, p.defaultSize);
  if (size < 1 || (p.maxSize !== undefined && size > p.maxSize))
    throw new ApiError("InvalidParameterValue", `${p.size} must be from 1 to ${p.maxSize ?? "any size"}, got ${size}.`);
  const start = startOf(p, items, body, size);
  const out: Obj = { ...response, [p.items]: items.slice(start, start + size) };
  if (p.total !== undefined) {
    if (data.total) out[p.total] = items.length;
    else delete out[p.total];
  }
  return out;
}

function startOf(p: PaginatorDefinition, items: readonly Obj[], body: Obj, size: number): number {
  if (p.style === "offset") return whole(body, p.position, 0);
  if (p.style === "page") {
    const page = whole(body, p.position, p.firstPage ?? 0);
    if (page < (p.firstPage ?? 0))
      throw new ApiError("InvalidParameterValue", `${p.position} starts at ${p.firstPage ?? 0}, got ${page}.`);
    return (page - (p.firstPage ?? 0)) * size;
  }
  const cursor = body[p.position];
  if (cursor === undefined || cursor === "") return 0;
  const at = items.findIndex((item) => item[p.cursorFrom ?? ""] === cursor);
  if (at < 0) throw new ApiError("InvalidParameterValue", `${p.position} ${JSON.stringify(cursor)} is not a cursor.`);
  return at + 1;
}

/** The items in the request's time range (all of them without a `timeMember`); a range too wide is refused. */
function inWindow(p: PaginatorDefinition, data: LoadedDataSet, body: Obj): readonly Obj[] {
  const w = p.timeWindow;
  if (!w) return data.items;
  const start = whole(body, w.start, 0);
  const end = whole(body, w.end, 0);
  if (end - start >= w.maxSpanSeconds)
    throw new ApiError(
      "InvalidParameterValue",
      `${w.end} - ${w.start} must be less than ${w.maxSpanSeconds} seconds, got ${end - start}.`,
    );
  const member = data.timeMember;
  if (member === undefined) return data.items;
  return data.items.filter((item) => {
    const t = item[member];
    return typeof t === "number" && t >= start && t <= end;
  });
}

/** Where checked data sets and state scripts go (the emulator's state). */
interface ScenarioStore {
  setDataSet(action: string, dataSet: LoadedDataSet): void;
  setStates(action: string, states: Obj[]): void;
}

/**
 * Checks and stores data sets and state scripts, for the admin API and the in-process helpers alike: each method
 * returns why it refused the input (a sentence naming the field), or undefined once it is stored.
 */
export class Scenarios {
  readonly #service: EmulatedService;
  readonly #store: ScenarioStore;

  constructor(service: EmulatedService, store: ScenarioStore) {
    this.#service = service;
    this.#store = store;
  }

  setDataSet(input: unknown): string | undefined {
    const checked = checkDataSet(this.#service, input);
    if (typeof checked === "string") return checked;
    this.#store.setDataSet(checked.action, checked.dataSet);
    return undefined;
  }

  setStates(input: unknown): string | undefined {
    const checked = checkStates(this.#service, input);
    if (typeof checked === "string") return checked;
    this.#store.setStates(checked.action, checked.states);
    return undefined;
  }
}

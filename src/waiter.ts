/**
 * Waiters: poll an action until its result says a long-running thing is done, from the action's spec `waiters:`
 * (as AWS waiters: acceptors tried in order on each poll). Each poll is an ordinary `client.send()`, so it goes
 * through validation, the rate limiter and the call's own retries; between polls the waiter backs off with jitter.
 */
import type { WaiterAcceptor, WaiterDefinition, WaiterState } from "./action.js";
import type { CallOptions, CccBaseClient, CccClientOptions, InputFor } from "./client.js";
import { CccAbortError, CccConfigError, CccError, CccWaiterError } from "./errors.js";
import { checkTimeout } from "./options.js";
import { sleep } from "./retry.js";

export interface WaiterOptions extends CallOptions {
  /** How long to wait in all, ms: then the waiter rejects with `CccWaiterError` (`reason: "timeout"`). Required. */
  readonly maxWaitMs: number;
  /** The first wait between polls, ms (default: the waiter's own). */
  readonly minDelayMs?: number | undefined;
  /** The longest wait between polls, ms (default: the waiter's own). */
  readonly maxDelayMs?: number | undefined;
}

interface Delays {
  readonly min: number;
  readonly max: number;
}

/**
 * Polls `waiter.command` with `input` until an acceptor says `success` (resolves to that result) or `failure`,
 * `options.maxWaitMs` runs out or `options.signal` aborts (rejects with `CccWaiterError`). A poll that fails with an
 * error no acceptor names rejects with that error. `client.waitUntil<Name>(input, options)` is the same.
 */
export async function waitUntil<O extends CccClientOptions, Req, Res, Code extends string>(
  client: CccBaseClient<O>,
  waiter: WaiterDefinition<Req, Res, Code>,
  input: InputFor<Req, O>,
  options: WaiterOptions,
): Promise<Res> {
  if (options === null || typeof options !== "object")
    throw new CccConfigError("waiter options must be an object with maxWaitMs");
  const { maxWaitMs, minDelayMs, maxDelayMs, ...callOptions } = options;
  const limit = checkTimeout(maxWaitMs, "maxWaitMs");
  if (limit === undefined) throw new CccConfigError("maxWaitMs is required: how long the waiter may wait in all, ms");
  const delays = checkDelays(waiter, minDelayMs, maxDelayMs);
  const started = performance.now();
  const action = waiter.command.name;
  let polls = 0;
  let lastResult: Res | undefined;
  const giveUp = (reason: CccWaiterError["reason"], cause?: unknown): CccWaiterError =>
    new CccWaiterError({
      waiter: waiter.name,
      action,
      reason,
      polls,
      waitedMs: performance.now() - started,
      lastResult,
      cause,
    });
  for (;;) {
    if (callOptions.signal?.aborted) throw giveUp("aborted", callOptions.signal.reason);
    polls++;
    let state: WaiterState | undefined;
    let failedWith: unknown;
    try {
      lastResult = await client.send(waiter.command, input as never, callOptions);
      state = resultState(waiter.acceptors, lastResult);
    } catch (e) {
      if (e instanceof CccAbortError) throw giveUp("aborted", e);
      state = errorState(waiter.acceptors, e);
      if (state === undefined) throw e;
      failedWith = e;
    }
    if (state === "success") return lastResult as Res;
    if (state === "failure") throw giveUp("failure", failedWith);
    const left = limit - (performance.now() - started);
    if (left <= 0) throw giveUp("timeout", failedWith);
    try {
      await sleep(Math.min(left, nextDelay(polls, delays)), action, callOptions.signal);
    } catch (e) {
      throw giveUp("aborted", e);
    }
  }
}

/** The waits between polls: the caller's, else the waiter's (one given alone moves the other out of its way). */
function checkDelays(waiter: WaiterDefinition, min: unknown, max: unknown): Delays {
  const givenMin = checkTimeout(min, "minDelayMs");
  const givenMax = checkTimeout(max, "maxDelayMs");
  const minMs = givenMin ?? Math.min(waiter.minDelayMs, givenMax ?? waiter.minDelayMs);
  const maxMs = givenMax ?? Math.max(waiter.maxDelayMs, minMs);
  if (minMs > maxMs) throw new CccConfigError(`minDelayMs (${minMs}) must not be more than maxDelayMs (${maxMs})`);
  return { min: minMs, max: maxMs };
}

/**
 * The wait after poll `polls` (1 for the first): the ceiling doubles from `min` up to `max`, and the wait is
 * drawn between `min` and that ceiling (jitter, so that many waiters started together spread out).
 */
function nextDelay(polls: number, delays: Delays): number {
  const ceiling = Math.min(delays.max, delays.min * 2 ** Math.min(polls - 1, 30));
  return delays.min + Math.random() * (ceiling - delays.min);
}

/** The state of the first acceptor the result matches; undefined (poll again) when none does. */
function resultState(acceptors: readonly WaiterAcceptor[], result: unknown): WaiterState | undefined {
  for (const a of acceptors) if ("path" in a && matches(a, result)) return a.state;
  return undefined;
}

/** The state of the first `error` acceptor naming the API error's code; undefined when none does. */
function errorState(acceptors: readonly WaiterAcceptor[], error: unknown): WaiterState | undefined {
  if (!(error instanceof CccError)) return undefined;
  for (const a of acceptors) if ("error" in a && a.error === error.code) return a.state;
  return undefined;
}

function matches(a: Extract<WaiterAcceptor, { path: string }>, result: unknown): boolean {
  const values = read(result, a.path.split("."));
  if (values === undefined) return false;
  if (!a.path.includes("[]")) return values.length === 1 && a.expected.includes(values[0] as string);
  // `all` over no items is not a match: an empty answer (the thing is not listed yet) is no success.
  const hits = values.filter((v) => a.expected.includes(v as string)).length;
  return a.match === "any" ? hits > 0 : values.length > 0 && hits === values.length;
}

/** The values at `steps` under `value` (`X[]` spreads a list), or undefined when a member on the way is absent. */
function read(value: unknown, steps: readonly string[]): unknown[] | undefined {
  let values: unknown[] = [value];
  for (const step of steps) {
    const spread = step.endsWith("[]");
    const name = spread ? step.slice(0, -2) : step;
    const next: unknown[] = [];
    for (const v of values) {
      const member = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[name] : undefined;
      if (member === undefined || member === null) continue;
      if (spread && Array.isArray(member)) next.push(...member);
      else if (!spread) next.push(member);
    }
    if (next.length === 0 && !spread) return undefined;
    values = next;
  }
  return values;
}

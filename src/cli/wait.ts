/**
 * `--wait <Waiter>`: polls the waiter's action through `waitUntil()` until its success state and prints the last
 * answer. A failure state and a timeout each have their own exit status, so that a script tells them apart from
 * each other and from a call that failed; the last answer is printed then too, to show what state it was in.
 */
import type { WaiterDefinition } from "../action.js";
import type { CccBaseClient } from "../client.js";
import { CccError, CccWaiterError } from "../errors.js";
import type { WaiterOptions } from "../waiter.js";
import { waitUntil } from "../waiter.js";
import { DEFAULT_MAX_WAIT_MS, UsageError, wholeNumber, type GlobalOptions } from "./args.js";
import { jsonText } from "./exact.js";
import { EXIT_OK, EXIT_WAIT_FAILURE, EXIT_WAIT_TIMEOUT } from "./exit.js";

/** The longest a timer waits (2^31 − 1 ms), as the SDK's `maxWaitMs` and delays allow. */
const MAX_TIMER_MS = 2_147_483_647;

/** How long `--wait` polls in all, and its pauses between polls. */
export type WaitLimits = Pick<WaiterOptions, "maxWaitMs" | "minDelayMs" | "maxDelayMs">;

/** `--max-wait-ms` (default `DEFAULT_MAX_WAIT_MS`), `--min-delay-ms` and `--max-delay-ms`, checked. */
export function waitLimits(o: GlobalOptions): WaitLimits {
  const ms = (flag: string, raw: string | undefined) =>
    raw === undefined ? undefined : wholeNumber(flag, raw, 1, MAX_TIMER_MS);
  const minDelayMs = ms("--min-delay-ms", o.minDelayMs);
  const maxDelayMs = ms("--max-delay-ms", o.maxDelayMs);
  if (minDelayMs !== undefined && maxDelayMs !== undefined && minDelayMs > maxDelayMs)
    throw new UsageError(`--min-delay-ms (${minDelayMs}) must not be more than --max-delay-ms (${maxDelayMs})`);
  return { maxWaitMs: ms("--max-wait-ms", o.maxWaitMs) ?? DEFAULT_MAX_WAIT_MS, minDelayMs, maxDelayMs };
}

/** What `waitAndPrint` writes with: stdout for answers, stderr for why the wait ended without success. */
export interface WaitOutput {
  readonly answer: (text: string) => void;
  readonly problem: (text: string) => void;
}

/**
 * Polls with `waiter` until success (prints the answer, exit 0), a failure state (exit 3) or the end of `maxWaitMs`
 * (exit 4); a poll failing with an error no acceptor names rejects with that error, as a single call would.
 */
export async function waitAndPrint(
  client: CccBaseClient,
  waiter: WaiterDefinition,
  input: Record<string, unknown>,
  limits: WaitLimits,
  output: WaitOutput,
): Promise<number> {
  try {
    output.answer(`${jsonText(await waitUntil(client, waiter, input, limits), "  ")}\n`);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof CccWaiterError) || e.reason === "aborted") throw e;
    if (e.lastResult !== undefined) output.answer(`${jsonText(e.lastResult, "  ")}\n`);
    output.problem(`ccc: ${e.message}${whyItEnded(e, limits.maxWaitMs)}\n`);
    return e.reason === "failure" ? EXIT_WAIT_FAILURE : EXIT_WAIT_TIMEOUT;
  }
}

/** What the waiter's own message leaves out: the API error that was the failure, or the limit that ran out. */
function whyItEnded(e: CccWaiterError, maxWaitMs: number): string {
  if (e.reason === "timeout") return `: --max-wait-ms ${maxWaitMs} ran out`;
  return e.cause instanceof CccError ? `: ${e.cause.code}: ${e.cause.apiMessage}` : "";
}

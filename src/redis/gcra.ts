/**
 * The GCRA (generic cell rate algorithm) as one Lua script, run atomically by Redis for every call of every process
 * that shares it. Per key (one credential and action) Redis keeps one number, the theoretical arrival time (TAT):
 * when the schedule of calls sent so far at the rate would be done. A call may go `burst - 1` intervals before the
 * TAT; the script books it there (or now, if later) and moves the TAT on by one interval, so each call is told how
 * long to wait instead of being refused: one round trip a call, no polling, and the processes share one clock
 * (Redis's `TIME`), not their own. A booking further ahead than `horizon` is not made (the caller asks again
 * later): calls that are then aborted cannot book the rate away for long.
 *
 * Times are whole microseconds (Redis TIME is 10 + 6 digits, within the 2^53 a Lua number holds exactly), written
 * with `%.0f`: Lua's `tostring` keeps only 14 digits. The key expires once its TAT has passed, plus a second.
 */
import { createHash } from "node:crypto";

export const GCRA_SCRIPT = `-- ccc-sdk: GCRA, a booking per call. KEYS[1]: the credential and action.
-- ARGV[1]: interval between calls (us); ARGV[2]: burst (calls at once); ARGV[3]: horizon (us).
-- Returns the wait before sending (us, >= 0), or -(us) after which to ask again when it booked nothing.
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local horizon = tonumber(ARGV[3])
local tat = tonumber(redis.call("GET", KEYS[1])) or 0
if tat < now then tat = now end
local send_at = tat - (burst - 1) * interval
if send_at < now then send_at = now end
local wait = send_at - now
if wait > horizon then return -(wait - horizon) end
local next_tat = tat + interval
redis.call("SET", KEYS[1], string.format("%.0f", next_tat), "PX", math.ceil((next_tat - now) / 1000) + 1000)
return wait
`;

/** The script's SHA-1, what EVALSHA names it by. */
export const GCRA_SHA1: string = createHash("sha1").update(GCRA_SCRIPT).digest("hex");

/** The script's arguments for `ratePerSecond` with `burst` calls at once and bookings at most `horizonMs` ahead. */
export function gcraArguments(ratePerSecond: number, burst: number, horizonMs: number): string[] {
  // Rounded up: a rate that is not a whole number of microseconds apart is kept slightly under, never over.
  return [String(Math.ceil(1_000_000 / ratePerSecond)), String(burst), String(Math.round(horizonMs * 1000))];
}

/** What the script answered: wait this long and send, or book nothing and ask again after `retryInMs`. */
export type Booking = { readonly waitMs: number } | { readonly retryInMs: number };

export function bookingOf(reply: unknown): Booking {
  const us = typeof reply === "number" ? reply : Number(reply);
  if (!Number.isFinite(us)) throw new TypeError(`the rate-limit script answered ${String(reply)}, not a number`);
  return us >= 0 ? { waitMs: us / 1000 } : { retryInMs: -us / 1000 };
}

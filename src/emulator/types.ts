/** Public types of the CCC emulator (`ccc-sdk/emulator`). */

/** A key pair the emulator accepts. With `token`, every request must carry it as `X-TC-Token`; without, none may. */
export interface EmulatorCredential {
  secretId: string;
  secretKey: string;
  token?: string;
}

/**
 * The credential the emulator accepts when none is configured. Documented, fixed and worthless anywhere else:
 * point the SDK at the emulator with `credentials: DEMO_CREDENTIAL`.
 */
export const DEMO_CREDENTIAL: Readonly<EmulatorCredential> = Object.freeze({
  secretId: "AKIDEMULATOR000000000000000000000000",
  secretKey: "emulator-secret-key",
});

interface FaultBase {
  /** Only calls with this X-TC-Action consume the fault (it must be an action the emulator knows); any call if omitted. */
  action?: string;
  /** How many matching calls consume it (default 1). */
  times?: number;
}

/**
 * A scripted fault. Faults are FIFO; each API call takes (one use of) the first queued fault matching its
 * action, at the moment its headers arrive.
 * - `error`: the Tencent error envelope `{ Response: { Error: { Code, Message }, RequestId } }` (HTTP 200) with
 *   the given code (any code; an action's documented ones are in its `@throws`), but only once the request passed
 *   the signature checks (otherwise the AuthFailure answer; the fault use is still consumed).
 * - `http`: the raw status, body and content type (default `text/plain; charset=utf-8`), without any check.
 * - `truncated`: a complete HTTP 200 answer whose JSON body is cut in half.
 * - `cut`: announces the full Content-Length, sends half the body, then destroys the connection.
 * - `delay`: waits `ms` (at most 30 000), then handles the call normally.
 * - `reset`: destroys the connection as soon as the headers arrive (the body is never read).
 * - `reset-after-read`: reads and records the body, then destroys the connection.
 */
export type Fault =
  | (FaultBase & { type: "error"; code: string; message?: string })
  | (FaultBase & { type: "http"; status: number; body: string; contentType?: string })
  | (FaultBase & { type: "truncated" })
  | (FaultBase & { type: "cut" })
  | (FaultBase & { type: "delay"; ms: number })
  | (FaultBase & { type: "reset" })
  | (FaultBase & { type: "reset-after-read" });

export type FaultType = Fault["type"];

/** A fault waiting in the queue; `times` is how many uses are left. */
export type QueuedFault = Fault & { times: number };

/** One call to `POST /` as the emulator saw it. Secrets are redacted. */
export interface RecordedRequest {
  /** Arrival order, starting at 1 (not reset by reset()). */
  seq: number;
  /** X-TC-Action as received, null if absent. */
  action: string | null;
  /**
   * All received headers, lower-case names, repeated ones joined with ", ". The `x-tc-token` value is `***`, and
   * so is the `Signature=` part of `authorization` (the whole value when it has no such part).
   */
  headers: Record<string, string>;
  /** Raw body text ("" if never read: reset fault or oversized body). */
  body: string;
  /** SignedHeaders from a well-formed Authorization, else null. */
  signedHeaders: string[] | null;
  /** SecretId from a well-formed Authorization, else null. */
  secretId: string | null;
  /** "ok", the Tencent error code answered, "fault:<type>", or "aborted" (the client left mid-upload). */
  outcome: string;
  /** Wall-clock arrival time (Date.now(), without the clock offset). */
  receivedAt: number;
  /** Type of the fault this call consumed, if any (also set for delay, whose outcome is the normal one). */
  fault?: FaultType;
  /** The emulator's canonical request, when the signature comparison was reached (it holds no secret). */
  canonicalRequest?: string;
  /** The RequestId of the API answer (success or error envelope), when one was sent. */
  requestId?: string;
}

export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Address to listen on (default `127.0.0.1`). A non-loopback address is allowed but warned about
   * (`process.emitWarning`): the admin API has no authentication.
   */
  host?: string;
  /** The credentials to accept (default: `[DEMO_CREDENTIAL]`). */
  credentials?: EmulatorCredential[];
  /** Allowed difference between X-TC-Timestamp and the emulator's clock, in seconds (default 300, as Tencent). */
  maxSkewSeconds?: number;
  /** Not supported: the emulator serves the actions this package was generated with. */
  openapiPath?: never;
}

/** A running emulator. The admin helpers act on it in-process, like the HTTP admin API under `/__admin/`. */
export interface Emulator {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash): pass it as the client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The credentials it accepts. */
  readonly credentials: readonly EmulatorCredential[];
  /** The API version it answers (`2020-02-10`). */
  readonly version: string;
  /** Every recorded call to `POST /`, oldest first (copies). */
  requests(): RecordedRequest[];
  /** The fault queue (copies). */
  faults(): QueuedFault[];
  /** Queues a fault; throws a TypeError for a malformed one. */
  inject(fault: Fault): void;
  /** Clears the records, the fault queue and the clock offset. */
  reset(): void;
  /** Emulator clock = real clock + `ms` (affects the SignatureExpire check and the `Date` header). */
  setClockOffset(ms: number): void;
  /** Stops listening, drops every connection (pending answers included) and clears every timer. Idempotent. */
  close(): Promise<void>;
}

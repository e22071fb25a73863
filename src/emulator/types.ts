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

/**
 * The OIDC identity the emulator's `AssumeRoleWithWebIdentity` accepts when none is configured: point
 * `TKE_PROVIDER_ID` at `providerId` and `TKE_WEB_IDENTITY_TOKEN_FILE` at a file holding `token`.
 */
export const DEMO_WEB_IDENTITY: Readonly<{ providerId: string; token: string }> = Object.freeze({
  providerId: "ccc-emulator-oidc",
  token: "emulator-web-identity-token",
});

interface FaultBase {
  /** Only calls with this X-TC-Action consume the fault (it must be an action the emulator knows); any call if omitted. */
  action?: string;
  /** How many matching calls consume it: an integer from 1 to 1 000 000 (default 1). */
  times?: number;
}

/**
 * A scripted fault. Faults are FIFO (at most 1000 queued); each API call takes (one use of) the first queued
 * fault matching its action, at the moment its headers arrive.
 * - `error`: the Tencent error envelope `{ Response: { Error: { Code, Message }, RequestId } }` (HTTP 200) with
 *   the given code (any code; an action's documented ones are in its `@throws`), but only once the request passed
 *   the signature checks (otherwise the AuthFailure answer; the fault use is still consumed). `code`: 1 to 128
 *   letters, digits, `.`, `_` or `-`, starting with a letter; `message`: at most 4096 characters, no control
 *   characters (default `Scripted fault <code>.`).
 * - `http`: the raw status, body and content type (default `text/plain; charset=utf-8`), without any check.
 *   `status`: 200 to 599 except 204, 205 and 304 (they carry no body); `body`: at most 64 KiB of UTF-8;
 *   `contentType`: printable ASCII, at most 256 characters.
 * - `truncated`: a complete HTTP 200 answer whose JSON body is cut in half.
 * - `cut`: announces the full Content-Length, sends half the body, then destroys the connection.
 * - `delay`: waits `ms` (0 to 30 000; more is refused, not shortened), then handles the call normally.
 * - `reset`: destroys the connection as soon as the headers arrive (the body is never read).
 * - `reset-after-read`: reads and records the body, then destroys the connection.
 *
 * A fault is checked completely when it is queued, so that every accepted fault plays: a field of another fault
 * type (or a typo such as `tmes`) or a value outside these bounds is refused, naming the field.
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

/** One call to `POST /` as the emulator saw it. Secrets are redacted; a large body is kept only in part. */
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
  /**
   * Raw body text ("" if never read: reset fault or oversized body), or its first 64 KiB (cut before a character
   * split at the boundary) when it is longer: then `bodyTruncated` is true.
   */
  body: string;
  /** The body's full length in bytes as received (0 if never read; for an oversized body, what arrived). */
  bodyBytes: number;
  /** True when `body` holds only the start of the body (more than 64 KiB arrived); absent otherwise. */
  bodyTruncated?: true;
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
  /**
   * The emulator's canonical request, when the signature comparison was reached. It holds no secret: a signed
   * `x-tc-token` line reads `x-tc-token:***`, as the header does.
   */
  canonicalRequest?: string;
  /** The RequestId of the API answer (success or error envelope), when one was sent. */
  requestId?: string;
}

/**
 * What a paging action answers (`setDataSet`, `POST /__admin/data`): pages cut from `items`, or from `count` copies
 * of the documented example's first item (for a cursor, numbered `cursor-1`, `cursor-2`, … in the cursor member),
 * by the request's own paging members. A page size over the action's documented cap, or a time range wider than it
 * takes, is refused with `InvalidParameterValue`, as Tencent does.
 */
export interface DataSet {
  /** How many items to make (0 to 100 000). Give `count` or `items`. */
  count?: number;
  /** The items themselves (objects; at most 100 000). */
  items?: Record<string, unknown>[];
  /** `false`: answers leave the total member out (an action whose total is optional). Default true. */
  total?: boolean;
  /** For an action that takes a time range: the item member (Unix seconds) that puts an item in a range. */
  timeMember?: string;
}

/** How the emulator authenticates a push, as CCC's console offers it. Secrets are never recorded. */
export type PushAuthOption =
  | { type: "none" }
  | { type: "basic"; username: string; password: string }
  | {
      type: "oauth";
      /** The token URL (http(s) on 127.0.0.1, as `url`): POSTed `grant_type=client_credentials`. */
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      /** How the client authenticates to the token URL (RFC 6749 §2.3.1): HTTP Basic (default) or form fields. */
      clientAuth?: "basic" | "form";
    };

/**
 * A data push the emulator sends as CCC does (`push()`, `POST /__admin/push`): `POST {url}?action=<push>&version=…`
 * with `Content-Type: application/json;charset=utf8`, an `X-TCCC-PUSH-UUID` and the chosen authentication, retried
 * with the same UUID while the answer is not `{"ErrCode":0,…}`. A malformed one is refused naming the field.
 */
export interface PushOptions {
  /** The receiver: an http:// or https:// URL whose host is 127.0.0.1 (any other is refused); the push's query is added. */
  url: string;
  /** The push by its action: `cdr`, `record` or `voicemail`. */
  push: string;
  /** Members laid over the push's documented example, member by member (in-process, `undefined` leaves one out). */
  members?: Record<string, unknown>;
  /** Sent as the body instead of the JSON payload (to see a receiver refuse a malformed push): at most 1 MiB. */
  rawBody?: string;
  /** Default `{ type: "none" }`. */
  auth?: PushAuthOption;
  /** The `X-TCCC-PUSH-UUID`, the same on every attempt (default: a random UUID): repeat one to re-push. */
  uuid?: string;
  /** Attempts after the first while the push is not taken: 0 to 3 (default 3, as CCC). */
  maxRetries?: number;
  /** The wait before each retry, ms: 0 to 10 000 (default 0). */
  retryDelayMs?: number;
  /** How long each answer (and the token request) may take, ms: 1 to 30 000 (default 5000). */
  timeoutMs?: number;
}

/**
 * How one attempt of a push ended: `accepted` (HTTP 2xx with ErrCode 0), `refused` (a reply with another ErrCode),
 * `http-error` (a non-2xx answer that is not a reply, a redirect included: none is followed), `unparsable` (a 2xx
 * answer that is not a reply), `connection-error`, `timeout`, `token-error` (the OAuth token request failed; the push
 * was not sent), `aborted` (the emulator closed).
 */
export type PushOutcome =
  "accepted" | "refused" | "http-error" | "unparsable" | "connection-error" | "timeout" | "token-error" | "aborted";

export interface PushAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  outcome: PushOutcome;
  /** The HTTP status of the push's answer, or of the token URL's for `token-error`. */
  status?: number;
  /** The reply's ErrCode and ErrMsg, when the answer was one. */
  errCode?: number;
  errMsg?: string;
  /** What went wrong otherwise: the error, or the start (1 KiB) of an answer that was not a reply. */
  detail?: string;
  durationMs: number;
}

/** A push the emulator sent, with every attempt. No password, client secret or token is kept. */
export interface PushDelivery {
  /** Order of the pushes, starting at 1. */
  seq: number;
  /** The push's action (`cdr`). */
  push: string;
  /** The URL posted to, the query included. */
  url: string;
  uuid: string;
  auth: PushAuthOption["type"];
  /** Whether an attempt was accepted. */
  delivered: boolean;
  attempts: PushAttempt[];
  /** Wall-clock start (Date.now()). */
  startedAt: number;
}

export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number | undefined;
  /**
   * Address to listen on (default `127.0.0.1`). A non-loopback address is allowed but warned about
   * (`process.emitWarning`): the admin API has no authentication.
   */
  host?: string | undefined;
  /**
   * The credentials to accept (default: `[DEMO_CREDENTIAL]`), for CCC and for STS `AssumeRole`; the temporary
   * credentials it issues are accepted too, until they expire.
   */
  credentials?: EmulatorCredential[] | undefined;
  /** Allowed difference between X-TC-Timestamp and the emulator's clock, in seconds (default 300, as Tencent). */
  maxSkewSeconds?: number | undefined;
  /**
   * How many recorded calls to keep, the oldest dropped first: a whole number from 0 (keep none) to 1 000 000
   * (default 1000). Each record keeps at most 64 KiB of its body, so the records' memory stays bounded.
   */
  maxRecords?: number | undefined;
  /** Data sets to start with, by action (see `setDataSet`). */
  dataSets?: Readonly<Record<string, DataSet>> | undefined;
  /** State scripts to start with, by action (see `setStates`). */
  states?: Readonly<Record<string, readonly Record<string, unknown>[]>> | undefined;
  /**
   * The CAM role its CVM instance metadata (`GET /latest/meta-data/cam/security-credentials/`) names and serves
   * temporary credentials of (default `ccc-emulator-role`); `false`: no role is bound (the lookup answers 404).
   */
  instanceRole?: string | false | undefined;
  /**
   * The web identity token STS `AssumeRoleWithWebIdentity` accepts, by identity provider (`ProviderId`). Default:
   * `DEMO_WEB_IDENTITY`'s.
   */
  webIdentityTokens?: Readonly<Record<string, string>> | undefined;
  /**
   * Refuse calls over this many per second, per SecretId and action, with `RequestLimitExceeded`, as Tencent does
   * past an action's documented rate (20 on the CCC pages). Counted as a token bucket of one second's worth (N),
   * refilled at N per second; a refused call takes nothing. Default: no limit. See `setRateLimit`.
   */
  rateLimitPerSecond?: number | undefined;
  /** Not supported: the emulator serves the actions this package was generated with. */
  openapiPath?: never | undefined;
}

/**
 * A running emulator. The admin helpers act on it in-process, like the HTTP admin API under `/__admin/`. That API
 * is unauthenticated, so it answers only requests whose Host is a loopback name with the emulator's port
 * (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`; otherwise HTTP 403) and POSTs with
 * `Content-Type: application/json` (otherwise HTTP 415): a web page can send neither. It sends no CORS headers.
 */
export interface Emulator {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash): pass it as the client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The credentials it accepts. */
  readonly credentials: readonly EmulatorCredential[];
  /** The API version it answers (`2020-02-10`). */
  readonly version: string;
  /** The recorded calls to `POST /` (the last `maxRecords` of them), oldest first (copies). */
  requests(): RecordedRequest[];
  /** The fault queue (copies). */
  faults(): QueuedFault[];
  /**
   * Queues a fault; throws a TypeError naming the field for a malformed one, a RangeError when 1000 are queued.
   */
  inject(fault: Fault): void;
  /**
   * The paging `action` answers pages of this data set from now on (replacing one set before). Throws a TypeError
   * naming the field for a malformed one.
   */
  setDataSet(action: string, dataSet: DataSet): void;
  /**
   * Each call of `action` from now on answers the documented example with the next of `states` merged over it
   * (objects member by member), the last one repeating: the states a waiter polls through. Throws a TypeError for
   * a malformed script.
   */
  setStates(action: string, states: readonly Record<string, unknown>[]): void;
  /**
   * Sends a data push as CCC does and resolves, once it was taken or its retries ran out, to what each attempt got.
   * Throws a TypeError naming the field for a malformed one (a URL not on 127.0.0.1 among them).
   */
  push(options: PushOptions): Promise<PushDelivery>;
  /** The pushes sent (the last 1000), oldest first (copies). */
  pushes(): PushDelivery[];
  /**
   * Clears the records, the fault queue, the clock offset, the data sets, the state scripts, the pushes sent and the
   * credential lifetime (temporary credentials issued stay valid until they expire), and refills the rate limit's
   * buckets (the rate stays).
   */
  reset(): void;
  /**
   * Refuse calls over `perSecond` per SecretId and action from now on (see `rateLimitPerSecond`), or, with
   * undefined, none; the buckets start full. Throws a TypeError for a rate that is not a positive number.
   */
  setRateLimit(perSecond: number | undefined): void;
  /**
   * Emulator clock = real clock + `ms` (affects the SignatureExpire check, the `Date` header and when temporary
   * credentials expire).
   */
  setClockOffset(ms: number): void;
  /**
   * Every temporary credential issued from now on (by STS, whatever its `DurationSeconds`, and by the instance
   * metadata) lives `seconds` (1 to 43 200); `undefined`: as asked, 7 200 s by default. Throws a TypeError for
   * another value. `POST /__admin/credential-lifetime {"seconds": N | null}` does the same.
   */
  setCredentialLifetime(seconds: number | undefined): void;
  /** Stops listening, drops every connection (pending answers included) and clears every timer. Idempotent. */
  close(): Promise<void>;
}

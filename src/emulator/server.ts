/**
 * The emulator's HTTP server: `POST /` answers like ccc.tencentcloudapi.com (TC3 check, action, version and body
 * against the spec, the documented example with a fresh RequestId), and an unsigned admin API under `/__admin/`
 * scripts faults, moves the clock and lists what was received.
 */
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { validate, type Violation } from "../validate.js";
import { faultChecker } from "./faults.js";
import {
  DEFAULT_MAX_RECORDS,
  isRecordCount,
  MAX_RECORDS_LIMIT,
  recordedBody,
  recordedCanonicalRequest,
  recordedHeaders,
  Ring,
} from "./records.js";
import { loadService } from "./spec.js";
import { canonicalRequest, parseAuthorization, sameSignature, signature, stringToSign, utcDay } from "./tc3.js";
import {
  DEMO_CREDENTIAL,
  type Emulator,
  type EmulatorCredential,
  type EmulatorOptions,
  type Fault,
  type QueuedFault,
  type RecordedRequest,
} from "./types.js";

/** Tencent's request size limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Past this an oversized upload is cut off instead of drained. */
const MAX_DRAIN_BYTES = 4 * MAX_BODY_BYTES;
const MAX_ADMIN_BODY_BYTES = 1024 * 1024;
/**
 * The deepest nesting of lists and objects a JSON body may have (CCC's models nest a few levels). Checked before
 * parsing, so that no recursive walk of a hostile body (validation, error messages) can exhaust the stack.
 */
const MAX_BODY_NESTING = 64;
/** The fault queue's length: with each `http` body capped too, the queue's memory stays bounded. */
const MAX_QUEUED_FAULTS = 1000;
const DEFAULT_MAX_SKEW_SECONDS = 300;
/** What a client learns of an emulator bug: nothing about it (the detail goes to stderr). */
const INTERNAL_ERROR_MESSAGE = "Emulator internal error.";
/**
 * The rules of validate()'s violations that describe a client's value. Any other (a value that cannot be
 * serialized, say) cannot come from a parsed JSON body, so it is a bug here, and its message is not the client's.
 */
const CLIENT_RULES: ReadonlySet<string> = new Set([
  "required",
  "unknown",
  "type",
  "enum",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "uniqueItems",
  "depth",
]);

/** For the CLI and the SDK's own tests; not part of the public API. */
export interface InternalOptions {
  /** Serve the actions of another generated folder (its `client.ts` and `catalog.ts`). */
  readonly generatedDir?: string;
  /** Where the non-loopback warning goes (default `process.emitWarning`). */
  readonly warn?: (message: string) => void;
}

export function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1" || host === "[::1]") return true;
  const m = /^(?:::ffff:)?127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(host);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/**
 * Whether a Host header names this emulator by a loopback name (127.x.x.x, localhost, [::1]) and its `port`. A web
 * page whose host name a DNS rebinding points at 127.0.0.1 still sends its own name, so it is refused. Without a
 * port only when `port` is 80: HTTP clients leave out the default port, and only it (RFC 9110 §7.2).
 */
function isLoopbackHostHeader(host: string | undefined, port: number): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host ?? "");
  if (!m) return false;
  const [, name, portText] = m as unknown as [string, string, string | undefined];
  if ((portText === undefined ? 80 : Number(portText)) !== port) return false;
  return isLoopback(name.toLowerCase().replace(/^\[(.*)\]$/, "$1"));
}

/** Whether a Content-Type is JSON's media type (`application/json`, parameters allowed, any case). */
function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Whether the lists and objects of JSON `text` nest deeper than `limit` (brackets inside strings do not count).
 * A linear scan that stops at the first level too deep; the text need not be valid JSON.
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* backslash: skip the escaped character */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** Writes an emulator bug's detail where the operator sees it; clients only ever get INTERNAL_ERROR_MESSAGE. */
function reportInternalError(err: unknown): void {
  process.stderr.write(`ccc-emulator: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
}

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function checkOptions(options: EmulatorOptions): {
  port: number;
  host: string;
  credentials: EmulatorCredential[];
  maxSkewSeconds: number;
  maxRecords: number;
} {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  if ((options as { openapiPath?: unknown }).openapiPath !== undefined)
    throw new TypeError(
      "openapiPath is not supported: the emulator serves the actions this package was generated with",
    );
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`port must be a whole number from 0 to 65535, got ${String(port)}`);
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host.trim() === "") throw new TypeError("host must be a non-empty string");
  const maxSkewSeconds = options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  if (typeof maxSkewSeconds !== "number" || !Number.isFinite(maxSkewSeconds) || maxSkewSeconds < 0)
    throw new TypeError(`maxSkewSeconds must be a non-negative number, got ${String(maxSkewSeconds)}`);
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  if (!isRecordCount(maxRecords))
    throw new TypeError(`maxRecords must be a whole number from 0 to ${MAX_RECORDS_LIMIT}, got ${String(maxRecords)}`);
  const given = options.credentials ?? [DEMO_CREDENTIAL];
  if (!Array.isArray(given) || given.length === 0) throw new TypeError("credentials must be a non-empty array");
  const credentials = given.map((c, i) => {
    if (!c || typeof c !== "object") throw new TypeError(`credentials[${i}] must be { secretId, secretKey, token? }`);
    for (const k of ["secretId", "secretKey"] as const)
      if (typeof c[k] !== "string" || c[k] === "")
        throw new TypeError(`credentials[${i}].${k} must be a non-empty string`);
    if (c.token !== undefined && (typeof c.token !== "string" || c.token === ""))
      throw new TypeError(`credentials[${i}].token must be a non-empty string when given`);
    return c.token !== undefined
      ? { secretId: c.secretId, secretKey: c.secretKey, token: c.token }
      : { secretId: c.secretId, secretKey: c.secretKey };
  });
  return { port, host, credentials, maxSkewSeconds, maxRecords };
}

/** The value at a Tencent path (`DetailList[0].CallType`) of `body`. */
function valueAt(body: unknown, tencentPath: string): unknown {
  let current = body;
  for (const m of tencentPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[m[1] ?? m[2]!];
  }
  return current;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * validate()'s violations as the one error Tencent answers: missing first, then unknown, then any other. A
 * violation of a rule outside CLIENT_RULES is thrown as an internal error instead.
 */
function apiErrorOf(violations: readonly Violation[], body: unknown): ApiError {
  const unmapped = violations.find((v) => !CLIENT_RULES.has(v.rule));
  if (unmapped) throw new Error(`validate() reported a ${unmapped.rule} violation: ${unmapped.message}`);
  const missing = violations.find((v) => v.rule === "required");
  if (missing)
    return new ApiError("MissingParameter", `The request is missing a required parameter \`${missing.path}\`.`);
  const unknown = violations.find((v) => v.rule === "unknown");
  if (unknown) return new ApiError("UnknownParameter", `The parameter \`${unknown.path}\` is not recognized.`);
  const v = violations[0]!;
  return new ApiError(
    "InvalidParameterValue",
    `The value \`${shown(valueAt(body, v.path))}\` specified in parameter \`${v.path}\` is invalid: ${v.message}.`,
  );
}

function headerLabel(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase()).replace(/^X-Tc-/, "X-TC-");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

type BodyRead =
  { buf: Buffer } | { oversized: true; bytes: number } | { aborted: true; oversized: boolean; bytes: number };

/**
 * Reads a body: `{ buf }`, or `{ oversized }` once it passed `limit` (the rest is drained and dropped, up to
 * MAX_DRAIN_BYTES, then the socket is destroyed), or `{ aborted }` when the client went away first. Counted as it
 * arrives, so a chunked upload without Content-Length is held to `limit` just the same; `bytes` is what arrived.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: BodyRead) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.socket.destroy();
    });
    req.on("end", () => finish(size > limit ? { oversized: true, bytes: size } : { buf: Buffer.concat(chunks) }));
    const onAbort = () => finish({ aborted: true, oversized: size > limit, bytes: size });
    req.on("error", onAbort);
    req.on("close", onAbort); // no effect after "end"
  });
}

/** An API body as an object, parsed only once its nesting is known to be bounded. */
function parseApiBody(text: string): Record<string, unknown> {
  if (nestsDeeperThan(text, MAX_BODY_NESTING))
    throw new ApiError("InvalidParameter", `The request body is nested more than ${MAX_BODY_NESTING} levels deep.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new ApiError("InvalidParameter", "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** Starts an emulator; `internal` is for the CLI and the SDK's tests. */
export async function createEmulator(options: EmulatorOptions = {}, internal: InternalOptions = {}): Promise<Emulator> {
  const opts = checkOptions(options);
  const service = await loadService(internal.generatedDir);
  const credentialsById = new Map(opts.credentials.map((c) => [c.secretId, c]));

  const checkFault = faultChecker(service);
  const records = new Ring<RecordedRequest>(opts.maxRecords);
  let faults: QueuedFault[] = [];
  let clockOffsetMs = 0;
  let seq = 0;
  const now = () => Date.now() + clockOffsetMs;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  /** In arrival order (a delayed call is recorded when it ends, so after later ones). */
  const sortedRecords = () => records.items().sort((a, b) => a.seq - b.seq);

  const takeFault = (action: string | undefined): QueuedFault | undefined => {
    const i = faults.findIndex((f) => f.action === undefined || f.action === action);
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.times -= 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  };

  /** Queues a checked copy of `fault`, or says why not: a TypeError naming its problem, a RangeError for a full queue. */
  const enqueue = (fault: unknown): { refused: TypeError | RangeError } | { queued: QueuedFault } => {
    const queued = checkFault(fault);
    if (typeof queued === "string") return { refused: new TypeError(queued) };
    if (faults.length >= MAX_QUEUED_FAULTS)
      return {
        refused: new RangeError(
          `the fault queue is full (${MAX_QUEUED_FAULTS} faults): let calls consume them, or reset the emulator`,
        ),
      };
    faults.push(queued);
    return { queued };
  };

  const inject = (fault: unknown): void => {
    const result = enqueue(fault);
    if ("refused" in result) throw result.refused;
  };

  const setClockOffset = (ms: unknown) => {
    if (typeof ms !== "number" || !Number.isFinite(ms))
      throw new TypeError("the clock offset must be a finite number of ms");
    clockOffsetMs = ms;
  };

  const reset = () => {
    records.clear();
    faults = [];
    clockOffsetMs = 0;
  };

  // -- HTTP helpers

  const send = (res: ServerResponse, status: number, body: string, contentType = "application/json") => {
    const buf = Buffer.from(body, "utf8");
    res.writeHead(status, {
      "Content-Type": contentType,
      "Content-Length": buf.length,
      Date: new Date(now()).toUTCString(),
    });
    res.end(buf);
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown, extra?: Record<string, string>) => {
    if (extra) for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
    send(res, status, JSON.stringify(value));
  };

  /** `{ Response }` of a successful call: the example's members with a fresh RequestId (or just the RequestId). */
  const successBody = (action: string | undefined, requestId: string) => {
    const example = action === undefined ? undefined : service.actions.get(action)?.example;
    const response: Record<string, unknown> = example ? structuredClone(example) : {};
    response.RequestId = requestId;
    return { Response: response };
  };

  /** Waits `ms` unless the client goes away first; resolves false if it did (or the emulator closed). */
  const waitUnlessClosed = (res: ServerResponse, ms: number) =>
    new Promise<boolean>((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off("close", onClose);
        resolve(true);
      }, ms);
      timers.add(timer);
      res.once("close", onClose);
    });

  /** After an emulator bug: the detail to stderr, and `answer` unless an answer already started (then it is cut). */
  const failInternally = (res: ServerResponse, err: unknown, answer: () => void) => {
    reportInternalError(err);
    if (res.headersSent) res.destroy();
    else answer();
  };

  // -- the API

  /** Required headers, Authorization, credential, clock, token, signature. */
  const verify = (req: IncomingMessage, raw: Buffer, record: RecordedRequest) => {
    for (const name of ["x-tc-action", "x-tc-version", "x-tc-timestamp"])
      if (!header(req, name))
        throw new ApiError("MissingParameter", `The request is missing a required parameter \`${headerLabel(name)}\`.`);
    const auth = parseAuthorization(header(req, "authorization"));
    if (typeof auth === "string") throw new ApiError("AuthFailure.InvalidAuthorization", auth);
    const contentType = header(req, "content-type");
    if (!contentType)
      throw new ApiError("MissingParameter", "The request is missing a required parameter `Content-Type`.");
    if (!contentType.toLowerCase().startsWith("application/json"))
      throw new ApiError("InvalidParameter", `Content-Type \`${contentType}\` is not supported; use application/json.`);
    const host = header(req, "host");
    if (!host) throw new ApiError("MissingParameter", "The request is missing a required parameter `Host`.");
    const timestampText = header(req, "x-tc-timestamp")!;
    if (!/^\d{1,12}$/.test(timestampText))
      throw new ApiError("InvalidParameter", `X-TC-Timestamp \`${timestampText}\` is not a Unix time in seconds.`);
    const timestamp = Number(timestampText);

    const names = auth.signedHeaders;
    for (let i = 1; i < names.length; i++)
      if (!(names[i - 1]! < names[i]!))
        throw new ApiError(
          "AuthFailure.InvalidAuthorization",
          `SignedHeaders \`${names.join(";")}\` must be sorted ascending without duplicates.`,
        );
    for (const required of ["content-type", "host"])
      if (!names.includes(required))
        throw new ApiError(
          "AuthFailure.InvalidAuthorization",
          `SignedHeaders \`${names.join(";")}\` must include \`${required}\`.`,
        );
    for (const name of names)
      if (header(req, name) === undefined)
        throw new ApiError("AuthFailure.InvalidAuthorization", `Signed header \`${name}\` is not in the request.`);
    if (auth.service !== service.service)
      throw new ApiError(
        "AuthFailure.SignatureFailure",
        `The credential scope's service \`${auth.service}\` is not \`${service.service}\`.`,
      );
    const credential = credentialsById.get(auth.secretId);
    if (!credential)
      throw new ApiError(
        "AuthFailure.SecretIdNotFound",
        "The SecretId is not found, please ensure that your SecretId is correct.",
      );
    const serverNow = now();
    if (Math.abs(timestamp * 1000 - serverNow) > opts.maxSkewSeconds * 1000)
      throw new ApiError(
        "AuthFailure.SignatureExpire",
        `Signature expired. Timestamp is ${timestamp}, server time is ${Math.floor(serverNow / 1000)} (allowed skew ${opts.maxSkewSeconds} s).`,
      );
    if (auth.date !== utcDay(timestamp))
      throw new ApiError(
        "AuthFailure.SignatureFailure",
        `The credential scope's date \`${auth.date}\` is not the UTC date of X-TC-Timestamp (${utcDay(timestamp)}).`,
      );
    const token = header(req, "x-tc-token");
    if (credential.token !== undefined ? token !== credential.token : token !== undefined)
      throw new ApiError(
        "AuthFailure.TokenFailure",
        credential.token !== undefined
          ? "The X-TC-Token is missing or invalid."
          : "An X-TC-Token was sent for a credential that has none.",
      );

    const headers: Record<string, string | undefined> = {};
    for (const name of names) headers[name] = header(req, name);
    const expected = (canonical: string) =>
      signature(
        credential.secretKey,
        auth.date,
        service.service,
        stringToSign(timestamp, auth.date, service.service, canonical),
      );
    let canonical = canonicalRequest(headers, names, raw);
    let matched = sameSignature(expected(canonical), auth.signature);
    // tencentcloud-sdk-nodejs signs the host name without the port it sends in Host; on Tencent's endpoints
    // (port 443) the two are the same, so a port-less signature is accepted too.
    const hostname = /^(\[[^\]]*\]|[^:]*):\d+$/.exec(host)?.[1];
    if (!matched && hostname !== undefined) {
      const alternative = canonicalRequest({ ...headers, host: hostname }, names, raw);
      if (sameSignature(expected(alternative), auth.signature)) {
        canonical = alternative;
        matched = true;
      }
    }
    record.canonicalRequest = recordedCanonicalRequest(canonical);
    if (!matched)
      throw new ApiError(
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
      );
  };

  /** Action, version, JSON body against the action's input shape; the action's name. */
  const check = (req: IncomingMessage, text: string): string => {
    const name = header(req, "x-tc-action")!;
    const action = service.actions.get(name);
    if (!action)
      throw new ApiError("InvalidAction", `The action \`${name}\` is not found for version ${service.version}.`);
    const version = header(req, "x-tc-version");
    if (version !== service.version)
      throw new ApiError(
        "NoSuchVersion",
        `The version \`${version}\` of action \`${name}\` is not supported (expected ${service.version}).`,
      );
    const body = parseApiBody(text);
    // The raw body was held to the size limit already; its re-encoding is only for the rules.
    const violations = validate(action.input, body, { maxBytes: Number.POSITIVE_INFINITY });
    if (violations.length) throw apiErrorOf(violations, body);
    return name;
  };

  /** A new call to `POST /`: its record, committed to the records exactly once whatever ends the call. */
  const newCall = (req: IncomingMessage, res: ServerResponse) => {
    const record: RecordedRequest = {
      seq: ++seq,
      action: header(req, "x-tc-action") ?? null,
      headers: recordedHeaders(req),
      body: "",
      bodyBytes: 0,
      signedHeaders: null,
      secretId: null,
      outcome: "pending",
      receivedAt: Date.now(),
    };
    // Parsed up front so that faulted calls are attributed too.
    const auth = parseAuthorization(header(req, "authorization"));
    if (typeof auth !== "string") {
      record.secretId = auth.secretId;
      record.signedHeaders = [...auth.signedHeaders];
    }
    let committed = false;
    const commit = (outcome: string) => {
      if (committed) return;
      committed = true;
      record.outcome = outcome;
      records.push(record);
    };
    const answer = (outcome: string, body: { Response: Record<string, unknown> }) => {
      record.requestId = body.Response.RequestId as string;
      commit(outcome);
      sendJson(res, 200, body);
    };
    const answerError = (code: string, message: string, outcome = code) =>
      answer(outcome, { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } });
    return { record, commit, answerError, answer };
  };

  const serveCall = async (req: IncomingMessage, res: ServerResponse, call: ReturnType<typeof newCall>) => {
    const { record, commit, answer, answerError } = call;
    const action = record.action ?? undefined;
    const fault = takeFault(action);
    if (fault) record.fault = fault.type;

    if (fault?.type === "reset") {
      commit("fault:reset");
      req.socket.destroy();
      return;
    }
    const read = await readBody(req, MAX_BODY_BYTES);
    if (!("buf" in read)) record.bodyBytes = read.bytes;
    if ("aborted" in read) {
      commit(read.oversized ? "RequestSizeLimitExceeded" : fault ? `fault:${fault.type}` : "aborted");
      return;
    }
    if ("oversized" in read) {
      answerError("RequestSizeLimitExceeded", `The request body exceeds the ${MAX_BODY_BYTES} byte limit.`);
      return;
    }
    const raw = read.buf;
    Object.assign(record, recordedBody(raw));

    switch (fault?.type) {
      case "reset-after-read":
        commit("fault:reset-after-read");
        req.socket.destroy();
        return;
      case "http":
        commit("fault:http");
        send(res, fault.status, fault.body, fault.contentType ?? "text/plain; charset=utf-8");
        return;
      case "truncated": {
        const full = JSON.stringify(successBody(action, randomUUID()));
        commit("fault:truncated");
        send(res, 200, full.slice(0, Math.floor(full.length / 2)));
        return;
      }
      case "cut": {
        const full = Buffer.from(JSON.stringify(successBody(action, randomUUID())));
        commit("fault:cut");
        res.writeHead(200, {
          "Content-Type": "application/json",
          "Content-Length": full.length,
          Date: new Date(now()).toUTCString(),
        });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
        return;
      }
      case "delay":
        if (!(await waitUnlessClosed(res, fault.ms))) {
          commit("fault:delay"); // the client went away while waiting
          return;
        }
        break; // then answer normally
    }

    try {
      verify(req, raw, record);
      if (fault?.type === "error") {
        answerError(fault.code, fault.message ?? `Scripted fault ${fault.code}.`, "fault:error");
        return;
      }
      const name = check(req, raw.toString("utf8"));
      answer("ok", successBody(name, randomUUID()));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      answerError(e.code, e.message);
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse) => {
    const call = newCall(req, res);
    try {
      await serveCall(req, res, call);
    } catch (err) {
      failInternally(res, err, () => call.answerError("InternalError", INTERNAL_ERROR_MESSAGE));
      call.commit("InternalError"); // recorded even when the answer had started (a no-op once answered)
    }
  };

  // -- the admin API (unsigned, so only for this machine: a loopback Host and JSON posts, which no web page can send)

  /** Why an admin request is refused before its body is read (HTTP status and reason), or undefined. */
  const adminRefusal = (req: IncomingMessage): { status: number; error: string } | undefined => {
    if (!isLoopbackHostHeader(header(req, "host"), listeningPort))
      return {
        status: 403,
        error: `the admin API answers only requests with Host 127.0.0.1:${listeningPort}, localhost:${listeningPort} or [::1]:${listeningPort}`,
      };
    if (req.method === "POST" && !isJsonMediaType(header(req, "content-type")))
      return { status: 415, error: "admin POSTs must have Content-Type: application/json" };
    return undefined;
  };

  /** The JSON body of an admin POST (undefined when empty), or the answer that refuses it. */
  const readAdminInput = async (
    req: IncomingMessage,
  ): Promise<{ input: unknown } | { status: number; error: string } | undefined> => {
    const read = await readBody(req, MAX_ADMIN_BODY_BYTES);
    if ("aborted" in read) return undefined;
    if ("oversized" in read) return { status: 413, error: `admin body larger than ${MAX_ADMIN_BODY_BYTES} bytes` };
    const text = read.buf.toString("utf8");
    if (text.trim() === "") return { input: undefined };
    if (nestsDeeperThan(text, MAX_BODY_NESTING))
      return { status: 400, error: `admin body is nested more than ${MAX_BODY_NESTING} levels deep` };
    try {
      return { input: JSON.parse(text) };
    } catch {
      return { status: 400, error: "admin body is not valid JSON" };
    }
  };

  const serveAdmin = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const refusal = adminRefusal(req);
    if (refusal) return sendJson(res, refusal.status, { error: refusal.error }, { Connection: "close" });
    const route = `${req.method} ${path}`;
    let input: unknown;
    if (req.method === "POST") {
      const read = await readAdminInput(req);
      if (read === undefined) return; // the client went away
      if ("error" in read) return sendJson(res, read.status, { error: read.error });
      input = read.input;
    }
    switch (route) {
      case "GET /__admin/requests":
        return sendJson(res, 200, sortedRecords());
      case "GET /__admin/faults":
        return sendJson(res, 200, faults);
      case "POST /__admin/faults": {
        const result = enqueue(input);
        if ("refused" in result) return sendJson(res, 400, { error: result.refused.message });
        return sendJson(res, 200, { ok: true, queued: faults.length });
      }
      case "POST /__admin/reset":
        reset();
        return sendJson(res, 200, { ok: true });
      case "POST /__admin/clock": {
        const offsetMs = (input as { offsetMs?: unknown } | undefined)?.offsetMs;
        if (typeof offsetMs !== "number" || !Number.isFinite(offsetMs))
          return sendJson(res, 400, { error: "body must be { offsetMs: number }" });
        setClockOffset(offsetMs);
        return sendJson(res, 200, { ok: true, offsetMs });
      }
      default:
        return sendJson(res, 404, { error: `no admin route ${route}` });
    }
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    try {
      await serveAdmin(req, res, path);
    } catch (err) {
      failInternally(res, err, () => sendJson(res, 500, { error: "emulator internal error (details on its stderr)" }));
    }
  };

  /** Set once listening: the admin API's Host check needs the actual port. */
  let listeningPort = 0;
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    let handling: Promise<void>;
    if (path.startsWith("/__admin/")) handling = handleAdmin(req, res, path);
    else if (req.url === "/" && req.method === "POST") handling = handleApi(req, res);
    else if (path === "/") {
      sendJson(
        res,
        405,
        { error: `the CCC API answers POST / only (got ${req.method} ${req.url})` },
        { Allow: "POST" },
      );
      return;
    } else {
      sendJson(res, 404, { error: `the emulator answers POST / and /__admin/* only (got ${req.method} ${req.url})` });
      return;
    }
    // Both handlers answer their own internal errors; this catches a failure to answer one.
    handling.catch((err: unknown) => {
      reportInternalError(err);
      res.destroy();
    });
  });
  // Idle keep-alive sockets outlive typical client agents', so a client never reuses one the server is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_err, socket: Socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  if (!isLoopback(opts.host)) {
    const message = `ccc-emulator listens on ${opts.host}, which is not a loopback address: whoever can reach it can use its unauthenticated admin API`;
    if (internal.warn) internal.warn(message);
    else process.emitWarning(message, { code: "CCC_EMULATOR_NOT_LOOPBACK" });
  }
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) =>
      reject(new Error(`cannot listen on ${opts.host}:${opts.port}: ${err.message}`, { cause: err }));
    server.once("error", onError);
    server.listen(opts.port, opts.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (err) => process.stderr.write(`ccc-emulator: server error: ${err.message}\n`));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  listeningPort = port;
  const urlHost = opts.host.includes(":") && !opts.host.startsWith("[") ? `[${opts.host}]` : opts.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
    }));

  return {
    url: `http://${urlHost}:${port}`,
    port,
    host: opts.host,
    credentials: opts.credentials.map((c) => ({ ...c })),
    version: service.version,
    requests: () => structuredClone(sortedRecords()),
    faults: () => structuredClone(faults),
    inject: (fault: Fault) => void inject(fault),
    reset,
    setClockOffset,
    close,
  };
}

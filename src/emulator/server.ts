/**
 * The emulator's HTTP server: `POST /` answers like ccc.tencentcloudapi.com (TC3 check, action, version and body
 * against the spec, the documented example with a fresh RequestId), and an unsigned admin API under `/__admin/`
 * scripts faults, moves the clock and lists what was received.
 */
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { validate, type Violation } from "../validate.js";
import { loadService, type EmulatedService } from "./spec.js";
import {
  canonicalRequest,
  parseAuthorization,
  redactAuthorization,
  sameSignature,
  signature,
  stringToSign,
  utcDay,
} from "./tc3.js";
import {
  DEMO_CREDENTIAL,
  type Emulator,
  type EmulatorCredential,
  type EmulatorOptions,
  type Fault,
  type FaultType,
  type QueuedFault,
  type RecordedRequest,
} from "./types.js";

/** Tencent's request size limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Past this an oversized upload is cut off instead of drained. */
const MAX_DRAIN_BYTES = 4 * MAX_BODY_BYTES;
const MAX_ADMIN_BODY_BYTES = 1024 * 1024;
const MAX_DELAY_MS = 30_000;
const DEFAULT_MAX_SKEW_SECONDS = 300;
const FAULT_TYPES: readonly FaultType[] = ["error", "http", "truncated", "cut", "delay", "reset", "reset-after-read"];

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
  return { port, host, credentials, maxSkewSeconds };
}

/** Why `input` is not a fault the emulator can queue, or undefined when it is one. */
function faultProblem(input: unknown, service: EmulatedService): string | undefined {
  if (!input || typeof input !== "object" || Array.isArray(input)) return "fault must be a JSON object";
  const f = input as Record<string, unknown>;
  if (!FAULT_TYPES.includes(f.type as FaultType)) return `fault.type must be one of ${FAULT_TYPES.join(", ")}`;
  if (f.action !== undefined) {
    if (typeof f.action !== "string") return "fault.action must be a string";
    if (!service.actions.has(f.action))
      return `fault.action ${JSON.stringify(f.action)} is not an action of ${service.service} ${service.version}`;
  }
  if (f.times !== undefined && !(Number.isInteger(f.times) && (f.times as number) >= 1))
    return "fault.times must be a positive integer";
  switch (f.type) {
    case "error":
      if (typeof f.code !== "string" || f.code === "") return "an error fault needs a non-empty code";
      if (f.message !== undefined && typeof f.message !== "string") return "fault.message must be a string";
      break;
    case "http":
      if (!Number.isInteger(f.status) || (f.status as number) < 200 || (f.status as number) > 599)
        return "an http fault needs an integer status from 200 to 599";
      if (typeof f.body !== "string") return "an http fault needs a string body";
      if (f.contentType !== undefined && typeof f.contentType !== "string") return "fault.contentType must be a string";
      break;
    case "delay":
      if (typeof f.ms !== "number" || !Number.isFinite(f.ms) || f.ms < 0)
        return "a delay fault needs a non-negative ms";
      break;
  }
  return undefined;
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

/** validate()'s violations as the one error Tencent answers: missing first, then unknown, then any other. */
function apiErrorOf(violations: readonly Violation[], body: unknown): ApiError {
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

/** Every received header, lower-case names, repeated ones joined; token and signature redacted. */
function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const raw = req.rawHeaders[i + 1]!;
    const value = name === "x-tc-token" ? "***" : name === "authorization" ? redactAuthorization(raw) : raw;
    out[name] = name in out && name !== "x-tc-token" ? `${out[name]}, ${value}` : value;
  }
  return out;
}

type BodyRead = { buf: Buffer } | { oversized: true } | { aborted: true; oversized: boolean };

/**
 * Reads a body: `{ buf }`, or `{ oversized }` once it passed `limit` (the rest is drained, up to MAX_DRAIN_BYTES,
 * then the socket is destroyed), or `{ aborted }` when the client went away first.
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
    req.on("end", () => finish(size > limit ? { oversized: true } : { buf: Buffer.concat(chunks) }));
    const onAbort = () => finish({ aborted: true, oversized: size > limit });
    req.on("error", onAbort);
    req.on("close", onAbort); // no effect after "end"
  });
}

/** Starts an emulator; `internal` is for the CLI and the SDK's tests. */
export async function createEmulator(options: EmulatorOptions = {}, internal: InternalOptions = {}): Promise<Emulator> {
  const opts = checkOptions(options);
  const service = await loadService(internal.generatedDir);
  const credentialsById = new Map(opts.credentials.map((c) => [c.secretId, c]));

  let records: RecordedRequest[] = [];
  let faults: QueuedFault[] = [];
  let clockOffsetMs = 0;
  let seq = 0;
  const now = () => Date.now() + clockOffsetMs;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  /** In arrival order (a delayed call is recorded when it ends, so after later ones). */
  const sortedRecords = () => [...records].sort((a, b) => a.seq - b.seq);

  const takeFault = (action: string | undefined): QueuedFault | undefined => {
    const i = faults.findIndex((f) => f.action === undefined || f.action === action);
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.times -= 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  };

  const inject = (fault: unknown): QueuedFault => {
    const problem = faultProblem(fault, service);
    if (problem) throw new TypeError(problem);
    const queued = { ...(structuredClone(fault) as Fault), times: (fault as Fault).times ?? 1 };
    faults.push(queued);
    return queued;
  };

  const setClockOffset = (ms: unknown) => {
    if (typeof ms !== "number" || !Number.isFinite(ms))
      throw new TypeError("the clock offset must be a finite number of ms");
    clockOffsetMs = ms;
  };

  const reset = () => {
    records = [];
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
    record.canonicalRequest = canonical;
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
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body))
      throw new ApiError("InvalidParameter", "The request body must be a JSON object.");
    const violations = validate(action.input, body);
    if (violations.length) throw apiErrorOf(violations, body);
    return name;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse) => {
    const action = header(req, "x-tc-action");
    const record: RecordedRequest = {
      seq: ++seq,
      action: action ?? null,
      headers: recordedHeaders(req),
      body: "",
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
    const commit = (outcome: string) => {
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

    const fault = takeFault(action);
    if (fault) record.fault = fault.type;

    if (fault?.type === "reset") {
      commit("fault:reset");
      req.socket.destroy();
      return;
    }
    const read = await readBody(req, MAX_BODY_BYTES);
    if ("aborted" in read) {
      commit(read.oversized ? "RequestSizeLimitExceeded" : fault ? `fault:${fault.type}` : "aborted");
      return;
    }
    if ("oversized" in read) {
      answerError("RequestSizeLimitExceeded", `The request body exceeds the ${MAX_BODY_BYTES} byte limit.`);
      return;
    }
    const raw = read.buf;
    record.body = raw.toString("utf8");

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
        if (!(await waitUnlessClosed(res, Math.min(fault.ms, MAX_DELAY_MS)))) {
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
      const name = check(req, record.body);
      answer("ok", successBody(name, randomUUID()));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      answerError(e.code, e.message);
    }
  };

  // -- the admin API (unsigned)

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const route = `${req.method} ${path}`;
    let input: unknown;
    if (req.method === "POST") {
      const read = await readBody(req, MAX_ADMIN_BODY_BYTES);
      if ("aborted" in read) return;
      if ("oversized" in read) return sendJson(res, 413, { error: "admin body too large" });
      const text = read.buf.toString("utf8");
      if (text.trim() !== "") {
        try {
          input = JSON.parse(text);
        } catch {
          return sendJson(res, 400, { error: "admin body is not valid JSON" });
        }
      }
    }
    switch (route) {
      case "GET /__admin/requests":
        return sendJson(res, 200, sortedRecords());
      case "GET /__admin/faults":
        return sendJson(res, 200, faults);
      case "POST /__admin/faults": {
        const problem = faultProblem(input, service);
        if (problem) return sendJson(res, 400, { error: problem });
        inject(input);
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
    handling.catch((err: unknown) => {
      process.stderr.write(`ccc-emulator: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
      if (!res.headersSent)
        sendJson(res, 200, {
          Response: { Error: { Code: "InternalError", Message: "Emulator internal error." }, RequestId: randomUUID() },
        });
      else res.destroy();
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

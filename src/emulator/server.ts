/**
 * The emulator's HTTP server: `POST /` answers like ccc.tencentcloudapi.com (TC3 check, action, version and body
 * against the spec, the documented example with a fresh RequestId) and, for STS's version, like
 * sts.tencentcloudapi.com; `GET /latest/meta-data/…` like a CVM instance's metadata; and an unsigned admin API
 * under `/__admin/` scripts faults, moves the clock and lists what was received.
 *
 * `createEmulator` checks the options and wires the parts, each given what it depends on:
 *
 *   EmulatorState    state.ts     the records, the fault queue (checked by faults.ts), the clock offset and the
 *                                 temporary credentials issued (temporary.ts)
 *   RequestVerifier  verify.ts    the TC3 checks, given the credentials and the clock (one for ccc, one for sts)
 *   ApiHandler       api.ts       POST / for CCC: body, faults, verification, validation, the example answer
 *   StsHandler       sts.ts       POST / for STS: AssumeRole, AssumeRoleWithWebIdentity
 *   MetadataHandler  metadata.ts  GET /latest/meta-data/cam/security-credentials/[role]
 *   PushSender       push.ts      the data pushes it sends to a receiver on 127.0.0.1, as CCC does
 *   AdminApi         admin.ts     /__admin/*, behind its Host and Content-Type guards
 *
 * and keeps the server's lifecycle: routing, listening, and closing its sockets and timers.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { AdminApi, isLoopback } from "./admin.js";
import { ApiHandler } from "./api.js";
import { faultChecker } from "./faults.js";
import { PushSender } from "./push.js";
import { Delays, reportInternalError, Sender } from "./http.js";
import { DEFAULT_MAX_RECORDS, isRecordCount, MAX_RECORDS_LIMIT } from "./records.js";
import { Scenarios } from "./scenarios.js";
import { METADATA_PREFIX, MetadataHandler } from "./metadata.js";
import { loadService } from "./spec.js";
import { EmulatorState } from "./state.js";
import { rateLimitProblem, Throttle } from "./throttle.js";
import { isStsCall, StsHandler } from "./sts.js";
import {
  type DataSet,
  DEMO_CREDENTIAL,
  DEMO_WEB_IDENTITY,
  type Emulator,
  type EmulatorCredential,
  type EmulatorOptions,
  type Fault,
  type PushOptions,
} from "./types.js";
import { RequestVerifier } from "./verify.js";

const DEFAULT_MAX_SKEW_SECONDS = 300;
const DEFAULT_INSTANCE_ROLE = "ccc-emulator-role";
/** What a CAM role name may hold (it is a path segment of the metadata). */
const ROLE_NAME = /^[\w+=,.@-]{1,128}$/;

/** For the CLI and the SDK's own tests; not part of the public API. */
export interface InternalOptions {
  /** Serve the actions of another generated folder (its `client.ts` and `catalog.ts`). */
  readonly generatedDir?: string;
  /** Where the non-loopback warning goes (default `process.emitWarning`). */
  readonly warn?: (message: string) => void;
  /** The rate limit's clock, in ms (default `performance.now`): tests move it instead of waiting. */
  readonly throttleClock?: () => number;
}

interface CheckedOptions {
  readonly port: number;
  readonly host: string;
  readonly credentials: EmulatorCredential[];
  readonly maxSkewSeconds: number;
  readonly maxRecords: number;
  readonly instanceRole: string | undefined;
  readonly webIdentityTokens: ReadonlyMap<string, string>;
  readonly rateLimitPerSecond: number | undefined;
}

function checkOptions(options: EmulatorOptions): CheckedOptions {
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
  const credentials = checkCredentialList(options.credentials ?? [DEMO_CREDENTIAL]);
  const rateLimitPerSecond = options.rateLimitPerSecond;
  refuseWith(optionProblem("rateLimitPerSecond", rateLimitPerSecond, rateLimitProblem(rateLimitPerSecond)));
  const instanceRole = options.instanceRole ?? DEFAULT_INSTANCE_ROLE;
  if (instanceRole !== false && (typeof instanceRole !== "string" || !ROLE_NAME.test(instanceRole)))
    throw new TypeError(
      "instanceRole must be false or a role name of 1 to 128 letters, digits and _+=,.@-, got " +
        JSON.stringify(instanceRole),
    );
  const webIdentityTokens = checkWebIdentityTokens(
    options.webIdentityTokens ?? { [DEMO_WEB_IDENTITY.providerId]: DEMO_WEB_IDENTITY.token },
  );
  return {
    port,
    host,
    credentials,
    maxSkewSeconds,
    maxRecords,
    instanceRole: instanceRole || undefined,
    webIdentityTokens,
    rateLimitPerSecond,
  };
}

/** The accepted web identity tokens by provider, each a non-empty string (never echoed in the message). */
function checkWebIdentityTokens(given: Readonly<Record<string, string>>): Map<string, string> {
  if (given === null || typeof given !== "object" || Array.isArray(given))
    throw new TypeError("webIdentityTokens must be an object of tokens by ProviderId");
  const tokens = new Map<string, string>();
  for (const [providerId, token] of Object.entries(given)) {
    if (typeof token !== "string" || token === "")
      throw new TypeError(`webIdentityTokens[${JSON.stringify(providerId)}] must be a non-empty string`);
    tokens.set(providerId, token);
  }
  return tokens;
}

/** Copies of the accepted credentials, each checked. */
function checkCredentialList(given: readonly EmulatorCredential[]): EmulatorCredential[] {
  if (!Array.isArray(given) || given.length === 0) throw new TypeError("credentials must be a non-empty array");
  return given.map((c, i) => {
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
}

/** The handlers `router` dispatches to. */
interface Handlers {
  readonly api: ApiHandler;
  readonly sts: StsHandler;
  readonly metadata: MetadataHandler;
  readonly admin: AdminApi;
}

/**
 * Sends `POST /` to STS's handler for STS's version (see `isStsCall`), else to CCC's; `/latest/meta-data/*` to
 * the instance metadata, `/__admin/*` to the admin API, and answers anything else 405 or 404.
 */
function router({ api, sts, metadata, admin }: Handlers, sender: Sender) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? "/").split("?")[0]!;
    let handling: Promise<void>;
    if (path.startsWith("/__admin/")) handling = admin.handle(req, res, path);
    else if (req.url === "/" && req.method === "POST") handling = (isStsCall(req) ? sts : api).handle(req, res);
    else if (path.startsWith(METADATA_PREFIX)) return metadata.handle(req, res, path);
    else if (path === "/") {
      sender.json(
        res,
        405,
        { error: `the CCC API answers POST / only (got ${req.method} ${req.url})` },
        { Allow: "POST" },
      );
      return;
    } else {
      sender.json(res, 404, {
        error: `the emulator answers POST /, GET /latest/meta-data/* and /__admin/* only (got ${req.method} ${req.url})`,
      });
      return;
    }
    // Both handlers answer their own internal errors; this catches a failure to answer one.
    handling.catch((err: unknown) => {
      reportInternalError(err);
      res.destroy();
    });
  };
}

/** The HTTP server around `handle`, with the sockets it opens (close() destroys them). */
function createServer(handle: http.RequestListener): { server: Server; sockets: Set<Socket> } {
  const server = http.createServer({ requireHostHeader: false }, handle);
  // Idle keep-alive sockets outlive typical client agents', so a client never reuses one the server is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_err, socket: Socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  return { server, sockets };
}

function warnIfNotLoopback(host: string, warn: InternalOptions["warn"]): void {
  if (isLoopback(host)) return;
  const message = `ccc-emulator listens on ${host}, which is not a loopback address: whoever can reach it can use its unauthenticated admin API`;
  if (warn) warn(message);
  else process.emitWarning(message, { code: "CCC_EMULATOR_NOT_LOOPBACK" });
}

/** Listens on `host`:`port`; the port it got (the one asked for, or a free one for 0). */
async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) =>
      reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (err) => process.stderr.write(`ccc-emulator: server error: ${err.message}\n`));
  const address = server.address();
  return typeof address === "object" && address ? address.port : port;
}

/** `name must …, got value` when `problem` says what it must be. */
function optionProblem(name: string, value: unknown, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `${name} ${problem}, got ${String(value)}`;
}

/** Throws the refusal of an in-process helper as a TypeError (as `inject` does). */
function refuseWith(refusal: string | undefined): void {
  if (refusal !== undefined) throw new TypeError(refusal);
}

/** The `dataSets` and `states` options, loaded as the helpers would (a bad one refuses to start, naming it). */
function loadStartingScenarios(scenarios: Scenarios, options: EmulatorOptions): void {
  const refusal = (what: string, action: string, why: string | undefined) =>
    why === undefined ? undefined : `${what}.${action}: ${why}`;
  const problems = [
    ...Object.entries(options.dataSets ?? {}).map(([action, d]) =>
      refusal("dataSets", action, scenarios.setDataSet({ ...d, action })),
    ),
    ...Object.entries(options.states ?? {}).map(([action, s]) =>
      refusal("states", action, scenarios.setStates({ action, states: s })),
    ),
  ].filter((p) => p !== undefined);
  if (problems.length) throw new TypeError(problems.join("; "));
}

/** Starts an emulator; `internal` is for the CLI and the SDK's tests. */
export async function createEmulator(options: EmulatorOptions = {}, internal: InternalOptions = {}): Promise<Emulator> {
  const opts = checkOptions(options);
  const service = await loadService(internal.generatedDir);
  const state = new EmulatorState(opts.maxRecords, faultChecker(service));
  const now = () => state.now();
  const sender = new Sender(now);
  const delays = new Delays();
  const verifierFor = (scope: string) =>
    new RequestVerifier({
      service: scope,
      credentials: opts.credentials,
      temporary: state.issued,
      maxSkewSeconds: opts.maxSkewSeconds,
      now,
    });
  /** Set once listening: the admin API's Host check needs the actual port. */
  let listeningPort = 0;
  const scenarios = new Scenarios(service, state);
  loadStartingScenarios(scenarios, options);
  const pushes = new PushSender(service);
  const throttle = new Throttle(opts.rateLimitPerSecond, internal.throttleClock);
  const admin = new AdminApi({ state, scenarios, pushes, sender, port: () => listeningPort, throttle });
  const api = new ApiHandler({ service, state, verifier: verifierFor(service.service), sender, delays, throttle });
  const sts = new StsHandler({
    state,
    verifier: verifierFor("sts"),
    sender,
    webIdentityTokens: opts.webIdentityTokens,
  });
  const metadata = new MetadataHandler({ state, sender, role: opts.instanceRole });
  const { server, sockets } = createServer(router({ api, sts, metadata, admin }, sender));

  warnIfNotLoopback(opts.host, internal.warn);
  const port = await listen(server, opts.host, opts.port);
  listeningPort = port;
  const urlHost = opts.host.includes(":") && !opts.host.startsWith("[") ? `[${opts.host}]` : opts.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      delays.clearAll();
      pushes.abortAll();
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
    requests: () => structuredClone(state.records()),
    faults: () => structuredClone(state.faults()),
    inject: (fault: Fault) => state.inject(fault),
    setDataSet: (action: string, dataSet: DataSet) => refuseWith(scenarios.setDataSet({ ...dataSet, action })),
    setStates: (action: string, states: readonly Record<string, unknown>[]) =>
      refuseWith(scenarios.setStates({ action, states })),
    push: (options: PushOptions) => {
      const sent = pushes.send(options);
      return typeof sent === "string" ? Promise.reject(new TypeError(sent)) : sent;
    },
    pushes: () => structuredClone(pushes.records()),
    reset: () => {
      state.reset();
      pushes.reset();
      throttle.refill();
    },
    setRateLimit: (perSecond: number | undefined) => {
      refuseWith(optionProblem("perSecond", perSecond, rateLimitProblem(perSecond)));
      throttle.set(perSecond);
    },
    setClockOffset: (ms: number) => state.setClockOffset(ms),
    setCredentialLifetime: (seconds: number | undefined) => refuseWith(state.issued.setLifetime(seconds)),
    close,
  };
}

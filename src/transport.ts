/**
 * The default transport: one signed POST over a keep-alive node:http(s) connection from the pool (src/pool.ts),
 * bounded in time and size, with every failure typed and `requestSent` exact.
 *
 * `requestSent` is false until a byte of the request was written to an established connection (for https, once
 * the TLS handshake is done): the body is written only then. A pooled socket found closing before that is
 * replaced at once; one that fails after the write but before any answer byte is replaced only for an idempotent
 * call (the server may have read it). Answers are read up to `maxResponseBytes` and decoded inside the promise, so
 * no answer can end the process.
 */
import http from "node:http";
import { nodeHttps } from "./builtins.js";
import type { Socket } from "node:net";
import { CccAbortError, CccConnectionError, CccResponseError, CccTimeoutError, responseTooLarge } from "./errors.js";
import { connectionRetryable } from "./retry.js";
import { onAbort } from "./signal.js";
import { viaProxy } from "./proxy.js";
import { ConnectionPool, FRESH_ONLY, NEW_SOCKET } from "./pool.js";

/** The fetch signature the SDK needs; the global `fetch` and undici's fit it. */
export type FetchLike = (request: Request) => Promise<Response>;

/** The default cap of an answer's body: far above any CCC answer, far below what would hurt the process. */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 64 * 1024 * 1024;
/** What a JavaScript string can hold, roughly: no cap may be above it. */
export const MAX_RESPONSE_BYTES_LIMIT: number = 512 * 1024 * 1024;
/** Replacements of a pooled socket found dead, per call, before the failure is reported. */
const MAX_REPLACEMENTS = 2;

/** One call as the transport sends it. */
export interface WireRequest {
  /** The action, for errors. */
  readonly action: string;
  /** `POST` (the default: every API call) or `GET` with an empty body (the CVM instance metadata). */
  readonly method?: "GET" | "POST" | undefined;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The call may reach the server twice without harm (the action is idempotent). */
  readonly replayable: boolean;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal | undefined;
}

/** What the transport answers: the status, the headers as Node gives them, and the body as text. */
export interface WireAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface NodeTransportOptions {
  /** Sockets per host (default 64). */
  readonly maxSockets?: number | undefined;
  /** Idle keep-alive sockets are closed after this long, in ms (default 4 000). */
  readonly keepAliveMs?: number | undefined;
  /**
   * An http:// proxy URL (`http://user:password@proxy:3128`), or `false` for none. Default: `https_proxy` /
   * `HTTPS_PROXY` (`http_proxy` / `HTTP_PROXY` for http endpoints) unless `no_proxy` / `NO_PROXY` lists the host.
   */
  readonly proxy?: string | false | undefined;
  /**
   * An app's own `http.Agent` or `https.Agent` (matching the endpoint's protocol, or one that serves both, as
   * proxy-agent packages do) that carries every request in place of the SDK's pool: its keep-alive, TLS and proxy
   * settings apply, and `maxSockets`, `keepAliveMs`, `proxy` and the proxy variables do not. The SDK never closes it.
   */
  readonly agent?: NodeAgent | undefined;
}

/**
 * An `http.Agent` or `https.Agent`, typed by the members the SDK relies on so that the published declarations need
 * no @types/node.
 */
export interface NodeAgent {
  readonly maxSockets: number;
  destroy(): void;
}

/** Idle sockets are dropped after this long: below Node's own 5 s server default and every common gateway's. */
export const DEFAULT_KEEP_ALIVE_MS = 4_000;

/** The keep-alive node:http(s) transport: `send` for the client, and the same behind the fetch interface. */
export interface NodeTransport extends FetchLike {
  send(request: WireRequest): Promise<WireAnswer>;
  /** Closes idle sockets now and the others once their calls end; resolves when no call is in flight. */
  close(): Promise<void>;
  /** Destroys every socket, calls in flight included. */
  destroy(): void;
}

/**
 * Codes of failures that will fail the same way on every attempt: the server's certificate is refused, or the
 * peer does not speak TLS or HTTP. They are never retried.
 */
const PERMANENT_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "PATH_LENGTH_EXCEEDED",
  "CERT_CHAIN_TOO_LONG",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO",
  // A proxy that refused the tunnel (src/proxy.ts): its answer will not change on a retry.
  "EPROXY",
  "ERR_INVALID_URL",
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
]);

function isPermanent(code: string | undefined): boolean {
  if (code === undefined) return false;
  return PERMANENT_CODES.has(code) || code.startsWith("ERR_SSL_") || code.startsWith("HPE_");
}

const isCertificateFailure = (code: string | undefined) =>
  code !== undefined && (/CERT|ISSUER|SIGNATURE|INVALID_CA|HOSTNAME|ALTNAME/.test(code) || code === "INVALID_PURPOSE");

/** What an https request meets at a plain-HTTP server: an answer that is no TLS record. */
const isPlainHttpPeer = (code: string | undefined) =>
  code === "EPROTO" || code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_PACKET_LENGTH_TOO_LONG";

/** Errors on a dead pooled socket: the peer closed or reset it. */
const isResetLike = (code: string | undefined) => code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED";

/**
 * Throws, where node:http is not Node's (the web build replaces it: src/web/node-only.ts), the error the default
 * transport would meet at the first call; elsewhere does nothing. The client calls it when it has no `fetch`.
 */
export function checkNodeTransport(): void {
  (http as unknown as Record<symbol, (() => never) | undefined>)[Symbol.for("ccc-sdk.nodeOnly")]?.();
}

/** Creates the node:http(s) keep-alive transport. Its idle sockets never keep a process alive. */
export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const pool = new ConnectionPool(options);
  const inFlight = new Set<Promise<unknown>>();

  const send = (request: WireRequest): Promise<WireAnswer> => {
    const exchange = new Exchange(pool, request).start();
    inFlight.add(exchange);
    const forget = () => inFlight.delete(exchange);
    exchange.then(forget, forget);
    return exchange;
  };

  const fetch = async (request: Request): Promise<Response> => {
    const call = wireCalls.get(request);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const answer = await send({
      action: call?.action ?? (headers["x-tc-action"] || "request"),
      url: new URL(request.url),
      headers,
      body: call?.body ?? (await request.clone().text()),
      replayable: call?.replayable ?? false,
      timeoutMs: call?.timeoutMs ?? 30_000,
      maxResponseBytes: call?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      signal: request.signal,
    });
    return toResponse(answer);
  };

  return Object.assign(fetch, {
    send,
    async close() {
      pool.closeIdle();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    destroy() {
      pool.destroy();
    },
  });
}

/**
 * What the client tells its own transport about a request it hands over behind the fetch interface (the
 * openapi-fetch path): the facts a `Request` cannot carry.
 */
export interface WireFacts {
  readonly action: string;
  readonly body: string;
  readonly replayable: boolean;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}
const wireCalls = new WeakMap<Request, WireFacts>();
export function describeRequest(request: Request, facts: WireFacts): void {
  wireCalls.set(request, facts);
}

function toResponse(answer: WireAnswer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const nullBody = answer.status === 204 || answer.status === 304;
  return new Response(nullBody ? null : answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers,
  });
}

/** One call's life on the wire: the socket it gets (and replacements), the write, the answer, the end. */
class Exchange {
  readonly #pool: ConnectionPool;
  readonly #request: WireRequest;
  #resolve!: (answer: WireAnswer) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  /** A byte of the request was written to an established connection, on this or a replaced socket. */
  #written = false;
  /** The request (of those tried, one per socket) on which the body was last written. */
  #writtenOn: http.ClientRequest | undefined;
  #replacements = 0;
  #current: http.ClientRequest | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: () => void = () => undefined;

  constructor(pool: ConnectionPool, request: WireRequest) {
    this.#pool = pool;
    this.#request = request;
  }

  start(): Promise<WireAnswer> {
    const promise = new Promise<WireAnswer>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const { url, signal, action } = this.#request;
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      this.#fail(new CccConnectionError(`unsupported protocol ${url.protocol}`, { action, requestSent: false }));
      return promise;
    }
    if (signal?.aborted) {
      this.#fail(new CccAbortError(action, signal.reason));
      return promise;
    }
    this.#timer = setTimeout(() => this.#timeout(), this.#request.timeoutMs);
    this.#unsubscribe = onAbort(signal, () => this.#abort());
    this.#issue(false);
    return promise;
  }

  #issue(newSocket: boolean): void {
    const { url, headers, replayable } = this.#request;
    const secure = url.protocol === "https:";
    const method = this.#request.method ?? "POST";
    if (method === "POST") headers["content-length"] = String(Buffer.byteLength(this.#request.body));
    const { agent, proxy } = this.#pool.route(url);
    const direct = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || undefined,
      path: url.pathname + url.search,
      method,
      headers,
      agent,
      [FRESH_ONLY]: !replayable,
      [NEW_SOCKET]: newSocket,
    } as Omit<http.RequestOptions, "headers"> & { headers: Record<string, string> };
    // https through a proxy is a tunnel inside the agent; http asks the proxy itself for the absolute URL.
    const options = proxy && !secure ? viaProxy(direct, url, proxy) : direct;
    const req = (secure ? nodeHttps() : http).request(options);
    this.#current = req;
    req.on("socket", (socket: Socket) => {
      this.#pool.adopt(socket, agent, options);
      this.#onSocket(req, socket, secure);
    });
    req.on("response", (res) => this.#onResponse(req, res));
    req.on("error", (e: Error & { code?: string }) => this.#onError(req, e));
  }

  /** Writes the request once the connection is established; a pooled socket that is closing is replaced first. */
  #onSocket(req: http.ClientRequest, socket: Socket, secure: boolean): void {
    if (this.#settled || req !== this.#current) return;
    if (req.reusedSocket) {
      if (!this.#pool.usable(socket, !this.#request.replayable)) return this.#replace(req);
      return this.#write(req);
    }
    // A new socket: wait for TCP (and TLS) before the first byte, so requestSent stays false until then.
    const established = secure ? "secureConnect" : "connect";
    if (!secure && !socket.connecting) return this.#write(req);
    socket.once(established, () => this.#write(req));
  }

  #write(req: http.ClientRequest): void {
    if (this.#settled || req !== this.#current) return;
    this.#written = true;
    this.#writtenOn = req;
    req.end(this.#request.body);
  }

  /** Drops `req` and its socket (nothing was written on it) and asks the pool for a new connection. */
  #replace(req: http.ClientRequest): void {
    this.#replacements++;
    this.#current = undefined;
    req.destroy();
    this.#issue(true);
  }

  #onResponse(req: http.ClientRequest, res: http.IncomingMessage): void {
    if (this.#settled || req !== this.#current) {
      res.resume();
      return;
    }
    this.#pool.noteAnswer(res.socket, res.headers);
    const { action, maxResponseBytes } = this.#request;
    const status = res.statusCode ?? 0;
    const announced = Number(res.headers["content-length"]);
    if (announced > maxResponseBytes) {
      req.destroy();
      return this.#fail(responseTooLarge(action, status, maxResponseBytes, announced));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (chunk: Buffer) => {
      if (this.#settled) return;
      size += chunk.length;
      if (size > maxResponseBytes) {
        req.destroy();
        return this.#fail(responseTooLarge(action, status, maxResponseBytes));
      }
      chunks.push(chunk);
    });
    res.on("error", (e: Error & { code?: string }) => this.#onError(req, e, true));
    res.on("end", () => {
      if (this.#settled) return;
      if (!res.complete)
        return this.#onError(
          req,
          Object.assign(new Error("the connection closed before the whole answer arrived"), { code: "ECONNRESET" }),
          true,
        );
      let body: string;
      try {
        body = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, size).toString("utf8");
      } catch (e) {
        return this.#fail(
          new CccResponseError(`${action}: the answer could not be decoded (${(e as Error).message})`, {
            action,
            httpStatus: status,
            body: "",
            cause: e,
          }),
        );
      }
      this.#succeed({ status, statusText: res.statusMessage ?? "", headers: res.headers, body });
    });
  }

  #onError(req: http.ClientRequest, e: Error & { code?: string }, answering = false): void {
    if (this.#settled || req !== this.#current) return;
    const code = e.code;
    const socket = req.socket;
    const permanent = isPermanent(code);
    // A pooled socket that died before an answer byte: replace it if nothing was written, or if replaying is safe.
    if (req.reusedSocket && !answering && !permanent && this.#replacements < MAX_REPLACEMENTS) {
      if (socket) {
        const idle = this.#pool.idleMs(socket);
        if (idle !== undefined) this.#pool.noteStale(socket, idle);
      }
      if (this.#writtenOn !== req || (this.#request.replayable && isResetLike(code))) return this.#replace(req);
    }
    this.#fail(this.#connectionError(e, permanent));
  }

  #connectionError(e: Error & { code?: string }, permanent: boolean): CccConnectionError {
    const { action, url } = this.#request;
    const code = e.code;
    const what = code ?? e.message;
    const sent = this.#written;
    const message =
      code === "EPROXY"
        ? `connection to ${url.host} failed: ${e.message}; this will not succeed on a retry`
        : isCertificateFailure(code)
          ? `connection to ${url.host} failed: its TLS certificate was refused (${what}); this will not succeed on a retry`
          : permanent && url.protocol === "https:" && isPlainHttpPeer(code)
            ? `connection to ${url.host} failed: the server does not speak TLS (${what}); for a plain-HTTP server, such as the emulator, set the endpoint to "http://${url.host}"`
            : permanent
              ? `connection to ${url.host} failed: the peer does not speak the expected protocol (${what}); this will not succeed on a retry`
              : sent
                ? `connection to ${url.host} failed after the request was sent (${what}): the server may have received it`
                : `connection to ${url.host} failed before the request was sent (${what})`;
    return new CccConnectionError(message, {
      action,
      requestSent: sent,
      cause: e,
      code,
      retryable: connectionRetryable({ requestSent: sent, permanent }, this.#request.replayable),
    });
  }

  #timeout(): void {
    if (this.#settled) return;
    const { action, timeoutMs, replayable } = this.#request;
    this.#current?.destroy();
    this.#fail(
      new CccTimeoutError(
        action,
        timeoutMs,
        this.#written,
        connectionRetryable({ requestSent: this.#written, permanent: false }, replayable),
      ),
    );
  }

  #abort(): void {
    if (this.#settled) return;
    this.#current?.destroy();
    this.#fail(new CccAbortError(this.#request.action, this.#request.signal?.reason));
  }

  #succeed(answer: WireAnswer): void {
    this.#finish();
    this.#resolve(answer);
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#finish();
    this.#reject(error);
  }

  #finish(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }
}

/** The global fetch, for runtimes without node:http or when asked for. */
export const globalFetch: FetchLike = (request) => globalThis.fetch(request);

/**
 * Transports: what openapi-fetch calls as `fetch(request)`.
 *
 * On Node the default is a keep-alive `node:http`/`node:https` adapter: measured ~2–5× the requests/s of the
 * global fetch on the same machine (DESIGN.md). It sends `url.pathname + url.search`, so the `/#Action` path key
 * reaches the wire as `POST /`, and it reads the body the client kept on the request instead of re-reading the
 * stream.
 */
import http from "node:http";
import https from "node:https";
import { CccConnectionError } from "./errors.js";

/** The fetch signature the SDK needs; the global `fetch` and undici's fit it. */
export type FetchLike = (request: Request) => Promise<Response>;

export const BODY = Symbol.for("ccc-sdk.body");

/** A Request that keeps its string body so signing and the transport need not read the stream again. */
export class CccRequest extends Request {
  readonly [BODY]: string | undefined;
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    this[BODY] = typeof init?.body === "string" ? init.body : undefined;
  }
}

/** The body of a request: kept text when it is ours, otherwise read from a clone. */
export async function bodyText(request: Request): Promise<string> {
  const kept = (request as Partial<CccRequest>)[BODY];
  return kept !== undefined ? kept : request.clone().text();
}

export interface NodeTransportOptions {
  /** Sockets per host (default 64). */
  readonly maxSockets?: number;
  /** Idle keep-alive sockets are closed after this long (default 15 s; Node's agent default is 4 s). */
  readonly keepAliveMsecs?: number;
}

const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_INVALID_URL",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** What the raw transport answers: the status, the headers as Node gives them, and the body as text. */
export interface RawAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface RawRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly signal?: AbortSignal | undefined;
}

/** The keep-alive node:http(s) transport: a raw `send` for the client's fast path, and `fetch` for openapi-fetch. */
export interface NodeTransport extends FetchLike {
  send(request: RawRequest): Promise<RawAnswer>;
  destroy(): void;
}

/** Creates the node:http(s) keep-alive transport. Its agents are unref'd: idle sockets never keep a process alive. */
export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
    timeout: options.keepAliveMsecs ?? 15_000,
  };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const send = ({ url, method, headers, body, signal }: RawRequest): Promise<RawAnswer> => {
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:")
      return Promise.reject(new CccConnectionError(`unsupported protocol ${url.protocol}`, { requestSent: false }));
    headers["content-length"] = String(Buffer.byteLength(body));
    return new Promise<RawAnswer>((resolve, reject) => {
      let sent = false;
      const req = (secure ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ""),
          port: url.port || undefined,
          path: url.pathname + url.search,
          method,
          headers,
          agent: secure ? httpsAgent : httpAgent,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (e) => fail(e));
          res.on("end", () => {
            if (!res.complete)
              return fail(
                Object.assign(new Error("the connection closed before the whole answer arrived"), {
                  code: "ECONNRESET",
                }),
              );
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? "",
              headers: res.headers,
              body: chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"),
            });
          });
        },
      );
      const fail = (e: Error & { code?: string }) => {
        if (signal?.aborted) return reject(signal.reason ?? e);
        const requestSent = sent && !NOT_SENT.has(e.code ?? "");
        reject(
          new CccConnectionError(`connection to ${url.host} failed: ${e.code ?? e.message}`, { requestSent, cause: e }),
        );
      };
      req.on("error", fail);
      // From the first byte written the server may have seen the request.
      req.on("socket", (socket) => {
        if (!socket.connecting) sent = true;
        else socket.once("connect", () => (sent = true));
      });
      req.end(body);
    });
  };

  /** The same transport behind the fetch interface, for openapi-fetch. */
  const fetch = async (request: Request): Promise<Response> => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const answer = await send({
      url: new URL(request.url),
      method: request.method,
      headers,
      body: await bodyText(request),
      signal: request.signal,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
      else responseHeaders.set(name, value);
    }
    const nullBody = answer.status === 204 || answer.status === 304;
    return new Response(nullBody ? null : answer.body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: responseHeaders,
    });
  };

  return Object.assign(fetch, {
    send,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

/** The global fetch, for runtimes without node:http or when asked for. */
export const globalFetch: FetchLike = (request) => globalThis.fetch(request);

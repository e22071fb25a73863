/**
 * `node:http` (and Express, Connect, Fastify's raw objects) for a web-`Request` handler: the request's body read up
 * to one byte past the handler's `maxBodyBytes` (so the handler itself answers 413), turned into a `Request`, and the
 * `Response` written back. Nothing is imported from `node:http`, not even its types: the request and the response
 * are described by the parts used, so the push entry's declarations need no @types/node (a worker's project has
 * none) and `IncomingMessage` and `ServerResponse` fit them.
 */
import type { RequestHandler } from "./handler.js";
import { refused, toResponse } from "./reply.js";

/** What the adapter uses of a `node:http` `IncomingMessage` (Express's `req`, Fastify's `request.raw`). */
export interface NodeRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** Header names and values, alternating, as received. */
  readonly rawHeaders: readonly string[];
  /** The body was read to its end already (by a middleware). */
  readonly readableEnded: boolean;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  destroy(): unknown;
}

/** What the adapter uses of a `node:http` `ServerResponse`. */
export interface NodeResponse {
  readonly headersSent: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: Uint8Array | string): unknown;
  destroy(): unknown;
}

/** A `node:http` request listener: `http.createServer(toNodeHandler(push))`, `app.post(path, toNodeHandler(push))`. */
export type NodeRequestListener = (req: NodeRequest, res: NodeResponse) => void;

/** Past this much more than the limit, a sender still uploading is cut off instead of drained. */
const DRAIN_FACTOR = 4;

/**
 * The body as the handler gets it: read from the stream, or, when a middleware read it first as bytes or text
 * (`express.raw()`, `express.text()`), its result. A body a middleware already parsed into an object cannot be
 * checked as CCC sent it: an Error says to mount the handler before that middleware.
 */
function readBody(req: NodeRequest, limit: number): Promise<Uint8Array> {
  const parsed = (req as NodeRequest & { body?: unknown }).body;
  if (req.readableEnded) {
    if (typeof parsed === "string") return Promise.resolve(new TextEncoder().encode(parsed));
    if (parsed instanceof Uint8Array) return Promise.resolve(parsed);
    return Promise.reject(
      new Error(
        "the request body was already read by a middleware (express.json()?): mount the push handler before it, or give it express.raw()",
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on("data", (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size <= limit + 1) chunks.push(chunk);
      else if (size > DRAIN_FACTOR * limit) req.destroy();
    });
    req.on("end", () => {
      const body = new Uint8Array(Math.min(size, limit + 1));
      let at = 0;
      for (const c of chunks) {
        body.set(c.subarray(0, body.byteLength - at), at);
        at += Math.min(c.byteLength, body.byteLength - at);
      }
      resolve(body);
    });
    req.on("error", reject);
  });
}

/** The request's headers as a `Headers`, repeated ones kept. */
function headersOf(req: NodeRequest): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

async function toRequest(req: NodeRequest, limit: number): Promise<Request> {
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const body = hasBody ? await readBody(req, limit) : undefined;
  // Only the path and query matter to the handlers; the Host header is not trusted for anything.
  const url = new URL(req.url ?? "/", "http://push.invalid");
  const headers = headersOf(req);
  // The connection's own headers: the body is whole now, and a Request refuses some of them.
  for (const name of ["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "expect"])
    headers.delete(name);
  return new Request(url, { method, headers, ...(body ? { body } : {}) });
}

async function write(res: NodeResponse, response: Response): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, { ...headers, "Content-Length": String(body.byteLength) });
  res.end(body);
}

/** `handler` (the push handler, the token endpoint's `handle`) as a `node:http` request listener. */
export function toNodeHandler(handler: RequestHandler): NodeRequestListener {
  if (typeof handler !== "function") throw new TypeError("toNodeHandler takes a handler: createPushHandler(...)");
  const limit = handler.maxBodyBytes;
  return (req, res) => {
    toRequest(req, limit)
      .then(handler, (e: unknown) =>
        toResponse(refused("failed", e instanceof Error ? e.message : "the request could not be read")),
      )
      .then((response) => write(res, response))
      .catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { "Content-Type": "application/json" });
          res.end('{"ErrCode":500,"ErrMsg":"the answer could not be written"}');
        } else res.destroy();
      });
  };
}

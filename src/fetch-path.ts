/**
 * The request path through openapi-fetch, taken when the caller installed middleware (`client.use`) or passed
 * their own `fetch`: the caller's middleware runs first, then the signing middleware (so whatever they set is
 * signed), then the fetch. The client loads this module only then: without middleware and with the default
 * transport, no fetch-API object is made at all.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { ActionDefinition } from "./action.js";
import {
  CccAbortError,
  CccConnectionError,
  CccResponseError,
  CccSdkError,
  CccTimeoutError,
  responseTooLarge,
} from "./errors.js";
import { connectionRetryable } from "./retry.js";
import { onAbort } from "./signal.js";
import { describeRequest, type FetchLike, type WireAnswer } from "./transport.js";

/** The string bodies of the requests this module made (a WeakMap, so a request's entry goes with it). */
const keptBodies = new WeakMap<Request, string>();

/** A Request that keeps its string body, so signing and the transport need not read the stream again. */
export class CccRequest extends Request {
  constructor(input: string | URL | Request, init?: RequestInit) {
    super(input, init);
    if (typeof init?.body === "string") keptBodies.set(this, init.body);
  }

  /**
   * Its URL: a fetch with a Request class of its own (undici's npm package, node-fetch) does not recognise this
   * one and reads its input as a URL string; the request's parts then come from the second argument (see
   * `FetchPath`), as every fetch reads them.
   */
  override toString(): string {
    return this.url;
  }
}

/** The body of a request: kept text when it is ours, otherwise read from a clone. */
export async function bodyText(request: Request): Promise<string> {
  const kept = keptBodies.get(request);
  return kept !== undefined ? kept : request.clone().text();
}

/** Codes of a fetch failure that happened before anything was sent. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export interface FetchCall {
  readonly action: ActionDefinition;
  /** The serialized input: sent as is unless a middleware replaces the request. */
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal: AbortSignal | undefined;
  /** The caller's middleware, in the order `use()` added them. */
  readonly middleware: readonly Middleware[];
  /** Signs the request as it will be sent (its body may differ from `body` if a middleware changed it). */
  sign(request: Request, body: string): void;
}

export class FetchPath {
  readonly #client: ReturnType<typeof createClient<Record<string, never>>>;
  /** Our own node:http transport behind the fetch interface: it enforces timeouts and sizes exactly itself. */
  readonly #ownTransport: boolean;
  /** Errors the fetch threw (as opposed to the caller's middleware): connection failures. */
  readonly #fetchErrors = new WeakSet<object>();

  /** Per request handed to a caller's fetch: the cap of its answer. */
  readonly #caps = new WeakMap<Request, { readonly action: string; readonly cap: number }>();

  constructor(baseUrl: string, fetch: FetchLike, ownTransport: boolean) {
    this.#ownTransport = ownTransport;
    const wrapped: FetchLike = ownTransport ? fetch : (request) => this.#callersFetch(fetch, request);
    this.#client = createClient<Record<string, never>>({ baseUrl, fetch: wrapped, Request: CccRequest });
  }

  /** The caller's fetch: its failures remembered as connection failures, its answer's body capped. */
  async #callersFetch(fetch: FetchLike, request: Request): Promise<Response> {
    let response: Response;
    try {
      // A middleware may have handed on another Request: ours stringifies to its URL (see CccRequest).
      const ours = request instanceof CccRequest ? request : new CccRequest(request);
      const init = { method: ours.method, headers: ours.headers, body: await bodyText(ours), signal: ours.signal };
      response = await (fetch as (input: Request, init: RequestInit) => Promise<Response>)(ours, init);
    } catch (e) {
      if (e !== null && typeof e === "object") this.#fetchErrors.add(e);
      throw e;
    }
    const limit = this.#caps.get(request);
    return limit ? capped(response, limit.action, limit.cap) : response;
  }

  async send(call: FetchCall): Promise<WireAnswer> {
    const { action, timeoutMs, maxResponseBytes } = call;
    const name = action.name;
    // The default transport times out by itself (knowing whether a byte was written); another fetch only through
    // the request's signal.
    const controller = this.#ownTransport ? undefined : new AbortController();
    let timedOut = false;
    const timer = controller
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
    const unsubscribe = controller ? onAbort(call.signal, () => controller.abort(call.signal?.reason)) : () => {};
    const ownTransport = this.#ownTransport;
    const caps = this.#caps;
    const signing: Middleware = {
      async onRequest({ request }) {
        const text = await bodyText(request);
        call.sign(request, text);
        if (ownTransport)
          describeRequest(request, {
            action: name,
            body: text,
            replayable: action.idempotent,
            timeoutMs,
            maxResponseBytes,
          });
        else caps.set(request, { action: name, cap: maxResponseBytes });
        return request;
      },
    };
    try {
      const { data, error, response } = (await this.#client.POST(
        action.path as never,
        {
          body: call.body,
          bodySerializer: (body: unknown) => body,
          headers: call.headers,
          parseAs: "stream",
          signal: controller?.signal ?? call.signal,
          middleware: [...call.middleware, signing],
        } as never,
      )) as { data?: ReadableStream<Uint8Array> | null; error?: unknown; response: Response };
      const body =
        response.status >= 200 && response.status < 300
          ? await readStream(data ?? null, name, response.status, maxResponseBytes)
          : typeof error === "string"
            ? error
            : error === undefined
              ? ""
              : JSON.stringify(error);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        headers[key] = value;
      });
      return { status: response.status, statusText: response.statusText, headers, body };
    } catch (e) {
      throw this.#failure(e, call, timedOut);
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  }

  /** A failure of the fetch becomes a typed connection error; anything else is the caller's and passes unchanged. */
  #failure(e: unknown, call: FetchCall, timedOut: boolean): unknown {
    if (e === null || typeof e !== "object" || !this.#fetchErrors.has(e)) return e; // ours (typed) or the caller's
    const { name: action, idempotent } = call.action;
    if (e instanceof CccConnectionError) {
      // A transport of the caller's that speaks our errors: keep what it knows, add the action and the policy.
      const retryable = connectionRetryable({ requestSent: e.requestSent, permanent: false }, idempotent);
      return new CccConnectionError(e.message, {
        action,
        requestSent: e.requestSent,
        cause: e.cause,
        code: e.code,
        retryable,
      });
    }
    if (e instanceof CccSdkError) return e;
    // Another fetch does not say whether a byte left: only a failure to connect or resolve is known unsent.
    const code = (e as { cause?: { code?: unknown } }).cause?.code ?? (e as { code?: unknown }).code;
    const codeText = typeof code === "string" ? code : undefined;
    const requestSent = timedOut || !NOT_SENT.has(codeText ?? "");
    const retryable = connectionRetryable({ requestSent, permanent: false }, idempotent);
    if (timedOut) return new CccTimeoutError(action, call.timeoutMs, true, retryable);
    if (call.signal?.aborted) return new CccAbortError(action, call.signal.reason);
    return new CccConnectionError(
      requestSent
        ? `connection failed (${codeText ?? (e as Error).message}): the server may have received the request`
        : `connection failed before the request was sent (${codeText})`,
      { action, requestSent, cause: e, code: codeText, retryable },
    );
  }
}

/** `response` with its body cut off at `cap` bytes: past it, reading fails with CccResponseError. */
function capped(response: Response, action: string, cap: number): Response {
  if (!response.body) return response;
  let size = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > cap) controller.error(responseTooLarge(action, response.status, cap));
      else controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(limit), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Reads a body stream up to `cap` bytes; past it the stream is cancelled and the call fails. */
async function readStream(
  stream: ReadableStream<Uint8Array> | null,
  action: string,
  status: number,
  cap: number,
): Promise<string> {
  if (!stream) return "";
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      throw responseTooLarge(action, status, cap);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder().decode(all);
  } catch (e) {
    throw new CccResponseError(`${action}: the answer could not be decoded`, {
      action,
      httpStatus: status,
      body: "",
      cause: e,
    });
  }
}

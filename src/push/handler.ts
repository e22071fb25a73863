/**
 * The push handler: a web `Request` in, a `Response` out, so it runs under any framework and runtime with the
 * fetch API (and under `node:http`, Express or Fastify through `toNodeHandler`). In order, a push is: a POST,
 * authenticated, of an action the app handles, JSON of a bounded size that fits the push's definition, not one
 * handled before (by `X-TCCC-PUSH-UUID`); then the app's handler runs, and only once it succeeded is the push
 * answered as taken and its UUID marked seen. Every answer comes from the reply contract (reply.ts).
 */
import type { PayloadOf, PushDefinition } from "../action.js";
import { authorizer, type PushAuth } from "./auth.js";
import { boundedText } from "./body.js";
import { ACCEPTED, refused, toResponse, type PushReply } from "./reply.js";
import { readPayload } from "./payload.js";
import { createMemorySeenStore, type SeenStore } from "./seen.js";

/** A handler of web requests: the push handler, the token endpoint. `maxBodyBytes` tells adapters what to read. */
export interface RequestHandler {
  (request: Request): Promise<Response>;
  /** The largest body it reads; an adapter that buffers the body reads at most one byte more. */
  readonly maxBodyBytes: number;
}

/** What a handler learns of the push besides its payload. */
export interface PushContext {
  /** `X-TCCC-PUSH-UUID`: the same on every retry of the push; undefined when it had none. */
  readonly pushId: string | undefined;
  /** The push's `action` query value (`cdr`). */
  readonly action: string;
  /** Its `version` query value, when it has one (`1`). */
  readonly version: string | undefined;
  /** The request itself (its headers), for what the SDK does not read. */
  readonly request: Request;
}

/** A push that was not taken, as `onError` reports it: the reply sent, and the handler's error as `cause`. */
export class CccPushError extends Error {
  override readonly name = "CccPushError";
  /** The HTTP status answered, also the ErrCode (see the reply table). */
  readonly status: number;
  readonly errCode: number;
  readonly pushId: string | undefined;
  /** The `action` query value, when there was one. */
  readonly action: string | undefined;

  constructor(reply: PushReply, pushId: string | undefined, action: string | undefined, cause?: unknown) {
    super(reply.errMsg, cause === undefined ? undefined : { cause });
    this.status = reply.status;
    this.errCode = reply.errCode;
    this.pushId = pushId;
    this.action = action;
  }
}

/** The handler of each push by name: `onCdr(payload, context)`. It may return a promise; a throw refuses the push. */
export type PushListeners<P extends Readonly<Record<string, PushDefinition>>> = {
  readonly [N in keyof P & string as `on${N}`]?: (payload: PayloadOf<P[N]>, context: PushContext) => unknown;
};

export interface PushHandlerSettings {
  /** How CCC authenticates, as set in its console. Required: there is no default. */
  readonly auth: PushAuth;
  /** Where handled push UUIDs are kept (default: `createMemorySeenStore()`, this process's memory). */
  readonly seen?: SeenStore;
  /** The largest body taken, bytes (default 1 MiB; a CDR is a few KB); a larger one is answered 413. */
  readonly maxBodyBytes?: number;
  /**
   * Called for every push not taken (malformed, unauthorised, a handler that threw, …), with the reply sent; a
   * handler's own error is the `cause`. For logging: what it returns or throws changes nothing.
   */
  readonly onError?: (error: CccPushError, context: Partial<PushContext>) => void;
}

export type PushHandlerOptionsFor<P extends Readonly<Record<string, PushDefinition>>> = PushListeners<P> &
  PushHandlerSettings;

export const DEFAULT_MAX_PUSH_BYTES: number = 1024 * 1024;
/** The longest `X-TCCC-PUSH-UUID` kept (CCC's are UUIDs, 36 characters). */
const MAX_PUSH_ID_LENGTH = 256;
const SETTINGS: readonly string[] = ["auth", "seen", "maxBodyBytes", "onError"];

type Listener = (payload: unknown, context: PushContext) => unknown;

/** The listeners given, by action; an option that is neither a setting nor `on<Push>` is a TypeError. */
function listenersByAction(
  pushes: Readonly<Record<string, PushDefinition>>,
  options: Readonly<Record<string, unknown>>,
): Map<string, { definition: PushDefinition; listener: Listener }> {
  const names = Object.keys(pushes).map((n) => `on${n}`);
  const out = new Map<string, { definition: PushDefinition; listener: Listener }>();
  for (const [key, value] of Object.entries(options)) {
    if (SETTINGS.includes(key) || value === undefined) continue;
    const definition = names.includes(key) ? pushes[key.slice(2)] : undefined;
    if (!definition)
      throw new TypeError(`unknown option ${key}: the options are ${[...SETTINGS, ...names].join(", ")}`);
    if (typeof value !== "function") throw new TypeError(`${key} must be a function (payload, context) => …`);
    out.set(definition.action, { definition, listener: value as Listener });
  }
  if (out.size === 0) throw new TypeError(`give at least one push handler: ${names.join(", ")}`);
  return out;
}

function checkMaxBodyBytes(value: number | undefined): number {
  const n = value ?? DEFAULT_MAX_PUSH_BYTES;
  if (!Number.isInteger(n) || n < 1 || n > 64 * 1024 * 1024)
    throw new TypeError(`maxBodyBytes must be a whole number from 1 to ${64 * 1024 * 1024}, got ${String(value)}`);
  return n;
}

function checkSeen(seen: SeenStore | undefined): SeenStore {
  if (seen === undefined) return createMemorySeenStore();
  if (seen === null || typeof seen.has !== "function" || typeof seen.add !== "function")
    throw new TypeError("seen must be a store with has(pushId) and add(pushId)");
  return seen;
}

/** Whether a declared Content-Type is JSON's (`application/json;charset=utf8`, as CCC sends it); none is taken too. */
function isJsonOrNone(contentType: string | null): boolean {
  if (contentType === null || contentType.trim() === "") return true;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

/**
 * The push handler for `pushes` (the generated definitions) with the app's `options`. The options are checked at
 * once: a wrong one is a TypeError naming it (never repeating a secret).
 */
export function createHandlerFor<P extends Readonly<Record<string, PushDefinition>>>(
  pushes: P,
  options: PushHandlerOptionsFor<P>,
): RequestHandler {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const authorize = authorizer(options.auth);
  const listeners = listenersByAction(pushes, options as Readonly<Record<string, unknown>>);
  const seen = checkSeen(options.seen);
  const maxBodyBytes = checkMaxBodyBytes(options.maxBodyBytes);
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== "function") throw new TypeError("onError must be a function");
  const known = Object.values(pushes).map((d) => d.action);
  /** The pushes being handled, by UUID: a retry arriving meanwhile gets the first one's reply. */
  const inFlight = new Map<string, Promise<PushReply>>();

  const report = (reply: PushReply, context: Partial<PushContext>, cause?: unknown) => {
    if (reply.errCode === 0 || !onError) return;
    try {
      onError(new CccPushError(reply, context.pushId, context.action, cause), context);
    } catch {
      // A logger that throws must not change the answer.
    }
  };

  /** Runs the app's handler once per UUID; only a success marks the UUID seen. */
  const deliver = async (listener: Listener, payload: unknown, context: PushContext): Promise<PushReply> => {
    const id = context.pushId;
    try {
      if (id !== undefined && (await seen.has(id))) return ACCEPTED;
    } catch (e) {
      const reply = refused("failed", "the de-duplication store failed; push again");
      report(reply, context, e);
      return reply;
    }
    try {
      await listener(payload, context);
    } catch (e) {
      const reply = refused("failed", "the push handler failed; push again");
      report(reply, context, e);
      return reply;
    }
    if (id !== undefined)
      try {
        await seen.add(id);
      } catch (e) {
        // Taken all the same: answering an error would make CCC push it again and the handler run twice.
        report(refused("failed", "the push was handled but its UUID could not be stored"), context, e);
      }
    return ACCEPTED;
  };

  const handle = async (request: Request): Promise<PushReply> => {
    const url = new URL(request.url);
    const action = url.searchParams.get("action") ?? undefined;
    const base = { action, version: url.searchParams.get("version") ?? undefined, request };
    const fail = (reply: PushReply, context: Partial<PushContext> = base) => {
      report(reply, context);
      return reply;
    };
    if (request.method !== "POST")
      return fail(refused("method", `pushes are POSTed, got ${request.method}`, { Allow: "POST" }));
    let denied: PushReply | undefined;
    try {
      denied = await authorize(request);
    } catch (e) {
      const reply = refused("failed", "the credential check failed; push again");
      report(reply, base, e);
      return reply;
    }
    if (denied) return fail(denied);
    if (action === undefined) return fail(refused("malformed", "the push URL has no action= query parameter"));
    const target = listeners.get(action);
    if (!target)
      return fail(
        known.includes(action)
          ? refused("unhandled", `no handler for action=${action}: give createPushHandler its handler`)
          : refused("malformed", `unknown push action=${action}; the SDK knows ${known.join(", ")}`),
      );
    const pushId = request.headers.get("x-tccc-push-uuid") ?? undefined;
    const context: PushContext = { ...base, action, pushId };
    if (pushId !== undefined && pushId.length > MAX_PUSH_ID_LENGTH)
      return fail(refused("malformed", `X-TCCC-PUSH-UUID is longer than ${MAX_PUSH_ID_LENGTH} characters`), context);
    if (!isJsonOrNone(request.headers.get("content-type")))
      return fail(refused("mediaType", "a push's Content-Type is application/json"), context);
    const text = await boundedText(request, maxBodyBytes);
    if (text === undefined) return fail(refused("tooLarge", `the body is larger than ${maxBodyBytes} bytes`), context);
    const read = readPayload(target.definition, text);
    if ("problem" in read) return fail(refused("malformed", read.problem), context);
    if (pushId === undefined) return deliver(target.listener, read.payload, context);
    const running = inFlight.get(pushId);
    if (running) return running;
    const delivery = deliver(target.listener, read.payload, context).finally(() => inFlight.delete(pushId));
    inFlight.set(pushId, delivery);
    return delivery;
  };

  const answer = async (request: Request): Promise<Response> => {
    try {
      return toResponse(await handle(request));
    } catch (e) {
      // The request itself failed (its body stream broke off): nothing was handled, so CCC may push again.
      const reply = refused("failed", "the push could not be read; push again");
      report(reply, {}, e);
      return toResponse(reply);
    }
  };
  return Object.assign(answer, { maxBodyBytes });
}

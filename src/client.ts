/**
 * The hand-written client core. A call travels one pipeline, top to bottom:
 *
 *   serialize and validate the input once (src/validate.ts)
 *   then, per attempt, inside the retry policy (src/retry.ts):
 *     credentials → rate limit → sign → send and read (src/transport.ts, or src/fetch-path.ts) → interpret
 *
 * The body is the same bytes on every attempt. Which path sends it is decided by what is installed: with no
 * middleware and the default transport, the signed request goes straight to the node:http(s) transport; with
 * middleware (`use()`) or a caller's `fetch`, through openapi-fetch, loaded only then. Generated clients extend
 * this class.
 */
import type { Middleware } from "openapi-fetch";
import type { ActionDefinition, ErrorCodeOf, RequestOf, ResponseOf, ServiceDefinition } from "./action.js";
import {
  checkCredentials,
  CredentialsCache,
  defaultCredentialsChain,
  type Credentials,
  type CredentialsProvider,
} from "./credentials/index.js";
import { CccAbortError, CccConfigError, CccSdkError, CccValidationError, INSPECT } from "./errors.js";
import type { FetchPath } from "./fetch-path.js";
import { interpret } from "./interpret.js";
import {
  checkAgent,
  checkBackoff,
  checkBytes,
  checkCount,
  checkLanguage,
  checkRegion,
  checkTimeout,
  parseEndpoint,
  type Language,
} from "./options.js";
import { defaultFetchPath } from "./fetch-path-default.js";
import { checkHeaders, type HeaderMap, mergeHeaders, signedHeadersOf } from "./headers.js";
import { answerFacts, type CallTrace, errorFacts, traceCall } from "./diagnostics.js";
import { parseProxy } from "./proxy.js";
import { bucketFor, credentialIdOf, type RateLimiter, type RateLimitKey } from "./rate-limit.js";
import {
  decide,
  DEFAULT_BACKOFF,
  DEFAULT_MAX_RETRIES,
  isThrottling,
  sleep,
  type Backoff,
  type RetryPolicy,
} from "./retry.js";
import { sha256Hex, Tc3Signer } from "./signer.js";
import {
  checkNodeTransport,
  createNodeTransport,
  DEFAULT_KEEP_ALIVE_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type FetchLike,
  type NodeAgent,
  type NodeTransport,
  type NodeTransportOptions,
  type WireAnswer,
} from "./transport.js";
import { encodeInput } from "./validate.js";

export { parseEndpoint, type Language };

// `Symbol.asyncDispose` for apps whose TypeScript lib predates it (as @types/node declares it); the runtime has it
// on Node 20 and later.
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

export interface CccClientOptions {
  /**
   * `{ secretId, secretKey, token? }`, or a provider (sync or async function) whose result is cached until shortly
   * before its `expiresAt`. Default: `defaultCredentialsChain()`: the TENCENTCLOUD_* variables, else the
   * `~/.tencentcloud/credentials` file, else a TKE pod's OIDC identity, else the CVM instance's role.
   * Whitespace around each value (a mounted secret's trailing newline) is trimmed.
   */
  readonly credentials?: Credentials | CredentialsProvider | undefined;
  /** Profile of the credentials file to use when `credentials` is not given (default `default`). */
  readonly profile?: string | undefined;
  /**
   * A host (`ccc.tencentcloudapi.com`) or an origin (`http://127.0.0.1:8080`). Default: the `CCC_ENDPOINT`
   * environment variable when set (to point an app at the emulator without changing its code), else the Chinese
   * site's `ccc.tencentcloudapi.com`; `site: "international"` picks `ccc.intl.tencentcloudapi.com`.
   */
  readonly endpoint?: string | undefined;
  /** Which Tencent site's endpoint to use when `endpoint` is not given. */
  readonly site?: "china" | "international" | undefined;
  /** `X-TC-Region`; optional for CCC. */
  readonly region?: string | undefined;
  /** `X-TC-Language`: language of error messages. */
  readonly language?: Language | undefined;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  readonly timeoutMs?: number | undefined;
  /**
   * Replace the transport (tracing, tests, a runtime without node:http). Default on Node: a keep-alive
   * node:http(s) transport. A `CccBareClient` on Node needs `fetchPath` with it.
   */
  readonly fetch?: FetchLike | undefined;
  /**
   * `fetchPath` from this package: what runs a call through openapi-fetch, needed for a `fetch` option and for
   * `use()` middleware. `CccClient` has it by default; a `CccBareClient` only when given it, so that an app
   * bundling the bare client and using neither carries nothing of openapi-fetch. The web build gives it to both.
   */
  readonly fetchPath?: FetchPathLoader | undefined;
  /** Check inputs against the spec before sending (default true). */
  readonly validate?: boolean | undefined;
  /** Retries after a retryable failure (default 2, so 3 attempts at most). 0 turns retries off. */
  readonly maxRetries?: number | undefined;
  /** Exponential backoff with full jitter between retries (default 500 ms doubling, at most 8 000 ms). */
  readonly backoff?: Backoff | undefined;
  /**
   * Keep to each action's documented rate (20/s), per credential and action. `true` (the default): calls over it
   * queue on a token bucket shared by the clients of this process. A `RateLimiter` decides instead:
   * `redisRateLimiter()` of `ccc-sdk/redis` shares the rate across processes, `adaptiveRateLimiter()` lowers it
   * when Tencent refuses calls for their rate. `false`: no limit (a gateway of yours limits).
   */
  readonly rateLimit?: boolean | RateLimiter | undefined;
  /** Receives one structured line per attempt, retry and failure; never a secret. `console` fits. */
  readonly logger?: Logger | undefined;
  /** The largest answer body read, in bytes (default 64 MiB); a larger one fails with CccResponseError. */
  readonly maxResponseBytes?: number | undefined;
  /** Idle keep-alive sockets of the default transport are closed after this long (default 4 000 ms). */
  readonly keepAliveMs?: number | undefined;
  /**
   * The default transport's proxy: an http:// URL (`http://user:password@proxy:3128`), or `false` for none.
   * Default: `HTTPS_PROXY` / `https_proxy` (`HTTP_PROXY` for http endpoints) unless `NO_PROXY` lists the host.
   * With a `fetch` option, that fetch decides.
   */
  readonly proxy?: string | false | undefined;
  /**
   * The default transport's connections through an app's own `http.Agent` / `https.Agent` (its keep-alive, TLS,
   * proxy: an agent from a proxy-agent package fits) instead of the SDK's pool; `keepAliveMs`, `proxy` and the
   * proxy variables then do not apply. The SDK never closes it. With a `fetch` option, that fetch decides.
   */
  readonly agent?: NodeAgent | undefined;
  /**
   * Headers sent with every call (a call's `headers` win over these). `X-TC-*` ones are signed; the ones the SDK
   * writes (`Authorization`, `X-TC-Action`, `Content-Type`, `Host`, …) are refused with a `CccConfigError`.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * The `SdkAppId` sent when a call of an action that has that member leaves it out (77 of CCC's 84 actions
   * require it); a call's own `SdkAppId` wins. The client's types then let calls omit it.
   */
  readonly sdkAppId?: number | bigint | undefined;
}

/**
 * The input a client with options `O` takes for an action whose input is `I`: with a default `sdkAppId`, the
 * `SdkAppId` member may be left out.
 */
export type InputFor<I, O> = O extends { readonly sdkAppId: number | bigint }
  ? "SdkAppId" extends keyof I
    ? Omit<I, "SdkAppId"> & { SdkAppId?: I["SdkAppId" & keyof I] }
    : I
  : I;

/** Loads the fetch path (openapi-fetch and the fetch API's objects): pass `fetchPath` as the client's option. */
export type FetchPathLoader = () => Promise<unknown>;

/**
 * The fetch path, for the `fetchPath` option: `new CccClient({ fetch, fetchPath })`. Loaded on the first call that
 * needs it; a bundler keeps it only in an app that imports it.
 */
export const fetchPath: FetchPathLoader = () => import("./fetch-path.js");

/**
 * `options` with the fetch path unless they name one: what `CccClient`, the client with everything, passes to its
 * base (a `CccBareClient` takes it only when given: see `fetchPath`).
 */
export function withFetchPath(options: CccClientOptions): CccClientOptions {
  if (options === null || typeof options !== "object" || options.fetchPath !== undefined) return options;
  return { ...options, fetchPath };
}

export interface CallOptions {
  /** Timeout of each attempt of this call, in milliseconds. */
  readonly timeoutMs?: number | undefined;
  /** Aborts the call, including backoff waits and the rate-limit queue; it then rejects with `CccAbortError`. */
  readonly signal?: AbortSignal | undefined;
  readonly region?: string | undefined;
  readonly language?: Language | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  readonly maxRetries?: number | undefined;
  /** Overrides the client's `backoff` for this call. */
  readonly backoff?: Backoff | undefined;
  /**
   * Headers of this call, over the client's `headers` (a trace id: `{ "X-TC-TraceId": id }`). `X-TC-*` ones are
   * signed; the ones the SDK writes (`Authorization`, `X-TC-Action`, `Content-Type`, …) are refused.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** What a call took, from `client.x(input).withMetadata()`: the result stays what the method resolves to. */
export interface CallMetadata {
  /** The answer's `RequestId`. */
  readonly requestId: string | undefined;
  /** Attempts made, the successful one included (1 without a retry). */
  readonly attempts: number;
  /** The time waited between attempts (backoff, `Retry-After`), in ms. */
  readonly totalRetryDelayMs: number;
  /** From the call to its answer, in ms, retries and waits included. */
  readonly durationMs: number;
  /** The HTTP status of the answer (200 for every CCC answer, errors included). */
  readonly httpStatus: number | undefined;
  /** The answer's headers, by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A call's promise: it resolves to the action's result, and `withMetadata()` to the result with what it took. */
export type CccPromise<T> = Promise<T> & {
  /** The same call's result with its `CallMetadata`; rejects as the call does. */
  withMetadata(): Promise<{ readonly data: T; readonly metadata: CallMetadata }>;
};

/** What `send` records of a call while it runs. */
interface CallRecord {
  requestId: string | undefined;
  attempts: number;
  totalRetryDelayMs: number;
  durationMs: number;
  httpStatus: number | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>> | undefined;
}

/** What a call took, as `withMetadata()` hands it out (repeated headers joined as HTTP joins them). */
function callMetadata(record: CallRecord): CallMetadata {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  return Object.freeze({
    requestId: record.requestId,
    attempts: record.attempts,
    totalRetryDelayMs: record.totalRetryDelayMs,
    durationMs: record.durationMs,
    httpStatus: record.httpStatus,
    headers: Object.freeze(headers),
  });
}

/** What a call took, on the error it failed with (`attempts`, `durationMs` of CccSdkError). */
function noteCall(error: unknown, attempts: number, durationMs: number): void {
  if (!(error instanceof CccSdkError)) return;
  const writable = error as { attempts: number | undefined; durationMs: number | undefined };
  writable.attempts = attempts;
  writable.durationMs = durationMs;
}

/** What the client reports; fields hold no secret. Methods are optional, so `console` or a pino logger fit. */
export interface Logger {
  debug?(message: string, fields: LogFields): void;
  warn?(message: string, fields: LogFields): void;
  error?(message: string, fields: LogFields): void;
}

export interface LogFields {
  readonly action: string;
  readonly attempt: number;
  readonly durationMs: number;
  readonly requestId?: string | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  readonly httpStatus?: number | undefined;
  readonly delayMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The environment variable that points a client without an `endpoint` option elsewhere (the emulator, a gateway). */
const ENDPOINT_VARIABLE = "CCC_ENDPOINT";

/** `CCC_ENDPOINT` when set and not blank; never on runtimes without `process`. */
function environmentEndpoint(): string | undefined {
  const value = typeof process === "undefined" ? undefined : process.env?.[ENDPOINT_VARIABLE];
  return value?.trim() ? value : undefined;
}
const CONTENT_TYPE = "application/json";

/** What every attempt of one call uses. */
interface Call {
  readonly action: ActionDefinition;
  readonly body: string;
  readonly payloadHash: string;
  readonly timeoutMs: number;
  readonly language: Language | undefined;
  readonly region: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly policy: RetryPolicy;
  /** The app's headers of this call (the client's and the call's), and the `X-TC-*` ones among them, signed. */
  readonly headers: HeaderMap | undefined;
  readonly signedHeaders: HeaderMap | undefined;
}

export class CccBaseClient<O extends CccClientOptions = CccClientOptions> {
  readonly #service: ServiceDefinition;
  readonly #signer = new Tc3Signer();
  readonly #credentials: () => Credentials | Promise<Credentials>;
  /** Forgets provider credentials the API refused, so the next call asks the provider again. */
  readonly #forget: (failed: Credentials) => void;
  readonly #url: URL;
  readonly #host: string;
  readonly #origin: string;
  readonly #region: string | undefined;
  readonly #language: Language | undefined;
  readonly #timeoutMs: number;
  readonly #validate: boolean;
  readonly #maxRetries: number;
  readonly #backoff: Required<Backoff>;
  readonly #rateLimit: boolean;
  /** The `rateLimit` option's limiter; undefined for the in-process bucket, which the client calls directly. */
  readonly #rateLimiter: RateLimiter | undefined;
  readonly #maxResponseBytes: number;
  readonly #logger: Logger | undefined;
  /** The default node:http(s) transport's options; undefined when the caller gave a `fetch`. */
  readonly #transportOptions: NodeTransportOptions | undefined;
  /** That transport, made by the first call that needs it (not at construction: a cold start makes no agent). */
  #transport: NodeTransport | undefined;
  readonly #fetch: FetchLike | undefined;
  /** The caller's middleware, as openapi-fetch keeps it (the same one twice runs twice; eject removes one). */
  readonly #middleware: Middleware[] = [];
  #fetchPath: Promise<FetchPath> | undefined;
  /** The `fetchPath` option (or the web build's default); undefined: no `fetch`, no middleware. */
  readonly #fetchPathLoader: FetchPathLoader | undefined;
  /** The `headers` option, checked. */
  readonly #headers: HeaderMap | undefined;
  /** The `sdkAppId` option, checked. */
  readonly #sdkAppId: number | bigint | undefined;
  /**
   * @internal phantom: the options type, so that `paginate(client, …)` and `waitUntil(client, …)` infer it (and
   * with it a default `sdkAppId`) from any client. Never set.
   */
  declare readonly __options?: O;
  /** Server clock minus ours, learnt from the `Date` of an `AuthFailure.SignatureExpire` answer. */
  #clockOffsetMs = 0;

  constructor(service: ServiceDefinition, options: O = {} as O) {
    if (options === null || typeof options !== "object") throw new CccConfigError("options must be an object");
    this.#service = service;
    if (options.site !== undefined && options.site !== "china" && options.site !== "international")
      throw new CccConfigError(`site must be "china" or "international", got ${JSON.stringify(options.site)}`);
    const url = parseEndpoint(
      options.endpoint ??
        environmentEndpoint() ??
        (options.site === "international" ? service.endpoints.international : service.endpoints.default),
    );
    this.#url = url;
    this.#host = url.host;
    this.#origin = url.origin;
    this.#region = checkRegion(options.region, "region");
    this.#language = checkLanguage(options.language, "language");
    this.#timeoutMs = checkTimeout(options.timeoutMs, "timeoutMs") ?? DEFAULT_TIMEOUT_MS;
    this.#validate = options.validate ?? true;
    this.#maxRetries = checkCount(options.maxRetries, "maxRetries") ?? DEFAULT_MAX_RETRIES;
    this.#backoff = checkBackoff(options.backoff, "backoff") ?? DEFAULT_BACKOFF;
    const rateLimit = options.rateLimit ?? true;
    if (typeof rateLimit !== "boolean" && typeof rateLimit?.acquire !== "function")
      throw new CccConfigError("rateLimit must be true, false or a RateLimiter (with acquire())");
    this.#rateLimit = rateLimit !== false;
    this.#rateLimiter = typeof rateLimit === "object" ? rateLimit : undefined;
    this.#maxResponseBytes = checkBytes(options.maxResponseBytes, "maxResponseBytes") ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (options.logger !== undefined && (options.logger === null || typeof options.logger !== "object"))
      throw new CccConfigError("logger must be an object with debug/warn/error methods (console fits)");
    this.#logger = options.logger;
    if (options.fetch !== undefined && typeof options.fetch !== "function")
      throw new CccConfigError("fetch must be a function");
    const keepAliveMs = checkTimeout(options.keepAliveMs, "keepAliveMs") ?? DEFAULT_KEEP_ALIVE_MS;
    this.#fetch = options.fetch;
    if (options.proxy !== undefined && options.proxy !== false && typeof options.proxy !== "string")
      throw new CccConfigError("proxy must be an http:// proxy URL, or false for none");
    checkAgent(options);
    if (typeof options.proxy === "string") parseProxy(options.proxy, "proxy"); // refused now, not at the first call
    this.#headers = checkHeaders(options.headers, "headers");
    this.#sdkAppId = checkSdkAppId(options.sdkAppId);
    if (options.fetchPath !== undefined && typeof options.fetchPath !== "function")
      throw new CccConfigError('fetchPath must be the `fetchPath` export of "ccc-sdk"');
    this.#fetchPathLoader = options.fetchPath ?? defaultFetchPath;
    if (options.fetch && !this.#fetchPathLoader) throw new CccConfigError(needsFetchPath("a fetch option"));
    if (!options.fetch) checkNodeTransport();
    this.#transportOptions = options.fetch ? undefined : { keepAliveMs, proxy: options.proxy, agent: options.agent };

    const given = options.credentials;
    if (given !== undefined && typeof given !== "function") {
      const fixed = checkCredentials(given, "options.credentials");
      this.#credentials = () => fixed;
      this.#forget = () => undefined;
    } else {
      if (options.profile !== undefined && (typeof options.profile !== "string" || !options.profile))
        throw new CccConfigError("profile must be the non-empty name of a profile in the credentials file");
      const cache = new CredentialsCache(
        given ?? defaultCredentialsChain(options.profile !== undefined ? { profile: options.profile } : {}),
      );
      this.#credentials = cache.get;
      this.#forget = cache.invalidate;
    }
  }

  /** Adds openapi-fetch middleware (`onRequest`, `onResponse`, `onError`); it runs before signing. */
  use(...middleware: Middleware[]): void {
    if (!this.#fetchPathLoader && middleware.some(Boolean)) throw new CccConfigError(needsFetchPath("middleware"));
    for (const m of middleware) {
      if (!m) continue;
      if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m))
        throw new CccConfigError("middleware must be an object with onRequest(), onResponse() or onError()");
      this.#middleware.push(m);
    }
  }

  /** Removes middleware added with `use()` (one occurrence each); one never added changes nothing. */
  eject(...middleware: Middleware[]): void {
    for (const m of middleware) {
      const i = this.#middleware.indexOf(m);
      if (i !== -1) this.#middleware.splice(i, 1);
    }
  }

  /** The host requests are signed for and sent to (`ccc.tencentcloudapi.com`). */
  get endpoint(): string {
    return this.#origin;
  }

  /**
   * Closes the default transport's idle keep-alive sockets now; calls in flight finish, and their sockets close
   * after them. Resolves when no call is in flight. The client stays usable: a later call opens a new connection.
   */
  async close(): Promise<void> {
    await this.#transport?.close();
  }

  /** The default transport (made now if this is its first use), or undefined when the caller gave a `fetch`. */
  #defaultTransport(): NodeTransport | undefined {
    if (!this.#transport && this.#transportOptions) this.#transport = createNodeTransport(this.#transportOptions);
    return this.#transport;
  }

  /** `await using client = new CccClient()`: closes it (see `close()`) at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Calls an action: serialize and validate once, then attempts (each with credentials, rate limit, a fresh
   * signature, the same body) until one answers or the retry policy says stop; resolves to the `Response` members
   * or throws a typed error.
   */
  send<A extends ActionDefinition>(
    action: A,
    input: InputFor<RequestOf<A>, O>,
    options: CallOptions = {},
  ): CccPromise<ResponseOf<A>> {
    const metadata: CallRecord = {
      requestId: undefined,
      attempts: 0,
      totalRetryDelayMs: 0,
      durationMs: 0,
      httpStatus: undefined,
      headers: undefined,
    };
    // Traced only when someone listens to the diagnostics channels (src/diagnostics.ts); otherwise nothing is built.
    const region = typeof options?.region === "string" ? options.region : this.#region;
    const trace = traceCall(action.name, this.#service.name, this.#service.version, this.#url, region);
    const promise = trace
      ? trace.run(() => this.#run(action, input, options, metadata, trace), metadata)
      : this.#run(action, input, options, metadata, undefined);
    return Object.assign(promise, {
      withMetadata: () => promise.then((data) => ({ data, metadata: callMetadata(metadata) })),
    });
  }

  async #run<A extends ActionDefinition>(
    action: A,
    input: unknown,
    options: CallOptions,
    record: CallRecord,
    trace: CallTrace | undefined,
  ): Promise<ResponseOf<A>> {
    const started = performance.now();
    const name = action.name;
    let attempt = 0;
    try {
      const call = this.#prepare(action, input, options);
      let retries = 0;
      let clockCorrected = false;
      for (;;) {
        attempt++;
        const attemptStarted = performance.now();
        let credentials: Credentials | undefined;
        let limited: RateLimitKey | undefined;
        let rateLimitWaitMs = 0;
        try {
          if (call.signal?.aborted) throw new CccAbortError(name, call.signal.reason);
          // Fixed credentials are not a promise: awaiting them would cost every call a turn of the microtask queue.
          const given = this.#credentials();
          credentials = given instanceof Promise ? await given : given;
          if (this.#rateLimit && action.rateLimitPerSecond) {
            const rate = action.rateLimitPerSecond;
            const queued = trace ? performance.now() : 0;
            // The default bucket is called directly: no key object, no hash, nothing allocated on the way.
            if (this.#rateLimiter === undefined)
              await bucketFor(credentials.secretId, name, rate).take(name, call.signal);
            else {
              limited = { credentialId: credentialIdOf(credentials.secretId), action: name, ratePerSecond: rate };
              await this.#rateLimiter.acquire(limited, { signal: call.signal, logger: this.#logger, attempt });
            }
            if (trace) rateLimitWaitMs = performance.now() - queued;
          }
          const answer = await this.#exchange(call, credentials);
          record.httpStatus = answer.status;
          record.headers = answer.headers;
          const result = interpret(this.#service, action, answer) as ResponseOf<A>;
          record.requestId = (result as { RequestId?: string }).RequestId;
          this.#logger?.debug?.("ccc call succeeded", {
            action: name,
            attempt,
            durationMs: Math.round(performance.now() - started),
            requestId: record.requestId,
          });
          if (trace?.attemptsListened)
            trace.attempt({
              attempt,
              outcome: "success",
              durationMs: performance.now() - attemptStarted,
              rateLimitWaitMs,
              requestId: record.requestId,
              httpStatus: answer.status,
            });
          return result;
        } catch (e) {
          if (limited && isThrottling(e)) this.#rateLimiter?.onThrottled?.(limited);
          const decision = decide(e, { retries, clockCorrected }, call.policy);
          if (decision.forgetCredentials && credentials) this.#forget(credentials);
          const fields = logFields(e, name, attempt, attemptStarted);
          if (trace?.attemptsListened)
            trace.attempt({
              attempt,
              outcome: decision.retry ? "retry" : "failure",
              durationMs: performance.now() - attemptStarted,
              rateLimitWaitMs,
              delayMs: decision.retry ? decision.delayMs : undefined,
              error: e,
            });
          if (!decision.retry) {
            this.#logger?.error?.(`ccc call failed (${decision.reason})`, {
              ...fields,
              durationMs: Math.round(performance.now() - started),
            });
            throw e;
          }
          if (decision.clockOffsetMs !== undefined) {
            this.#clockOffsetMs = decision.clockOffsetMs;
            clockCorrected = true;
          }
          if (decision.countsAsRetry) retries++;
          this.#logger?.warn?.(`ccc call will be retried (${decision.reason})`, {
            ...fields,
            delayMs: decision.delayMs,
          });
          record.totalRetryDelayMs += decision.delayMs;
          await sleep(decision.delayMs, name, call.signal);
        }
      }
    } catch (e) {
      noteCall(e, attempt, performance.now() - started);
      throw e;
    } finally {
      record.attempts = attempt;
      record.durationMs = performance.now() - started;
    }
  }

  /** Checks the call options and serializes the input once; what every attempt then uses. */
  #prepare(action: ActionDefinition, input: unknown, options: CallOptions): Call {
    const encoded = encodeInput(action.input, this.#withDefaults(action, input), {
      validate: this.#validate,
      allowUnknown: ALLOW_UNKNOWN in action,
    });
    if (encoded.violations.length) throw new CccValidationError(action.name, encoded.violations);
    const headers =
      options.headers === undefined
        ? this.#headers
        : mergeHeaders(this.#headers, checkHeaders(options.headers, "options.headers"));
    return {
      headers,
      signedHeaders: signedHeadersOf(headers),
      action,
      body: encoded.body,
      payloadHash: sha256Hex(encoded.body),
      timeoutMs: checkTimeout(options.timeoutMs, "options.timeoutMs") ?? this.#timeoutMs,
      language: checkLanguage(options.language, "options.language") ?? this.#language,
      region: checkRegion(options.region, "options.region") ?? this.#region,
      signal: options.signal,
      policy: {
        maxRetries: checkCount(options.maxRetries, "options.maxRetries") ?? this.#maxRetries,
        backoff: checkBackoff(options.backoff, "options.backoff") ?? this.#backoff,
      },
    };
  }

  /**
   * Calls any action by name, also one the spec does not have yet, or with members it lacks (the official SDKs'
   * `CommonClient`): signed, rate-limited and retried like the rest; the members the spec knows are validated, the
   * others sent as they are. An action the spec lacks is retried only where no request may have reached the
   * server. Resolves to the members of `Response`.
   */
  call(
    action: string,
    input: Readonly<Record<string, unknown>> = {},
    options: CallOptions = {},
  ): CccPromise<Readonly<Record<string, unknown>>> {
    if (typeof action !== "string" || !ACTION_NAME.test(action))
      throw new CccConfigError(`action must be an action name in UpperCamelCase, got ${JSON.stringify(action)}`);
    const definition = looseDefinition(this.knownAction(action) ?? unknownAction(action)) as ActionDefinition<
      unknown,
      Readonly<Record<string, unknown>>
    >;
    return this.send(definition, input as never, options);
  }

  /** The spec's definition of `name`, if this client has one (CccClient has them all; a bare client none). */
  protected knownAction(_name: string): ActionDefinition | undefined {
    return undefined;
  }

  /** `input` with the client's default `SdkAppId` when the action has that member and the call left it out. */
  #withDefaults(action: ActionDefinition, input: unknown): unknown {
    if (this.#sdkAppId === undefined || !action.input.SdkAppId) return input;
    if (input === null || typeof input !== "object" || (input as { SdkAppId?: unknown }).SdkAppId !== undefined)
      return input;
    return { ...input, SdkAppId: this.#sdkAppId };
  }

  /**
   * Signs and sends one attempt; the answer as read, or a typed transport error. Not `async`: on the direct path
   * it hands back the transport's own promise, without a wrapping one.
   */
  #exchange(call: Call, credentials: Credentials): Promise<WireAnswer> {
    const { action } = call;
    const headers: Record<string, string> = {
      "Content-Type": CONTENT_TYPE,
      "X-TC-Action": action.name,
      "X-TC-Version": this.#service.version,
      "X-TC-RequestClient": this.#service.client,
    };
    if (call.region) headers["X-TC-Region"] = call.region;
    if (call.language) headers["X-TC-Language"] = call.language;
    if (call.headers) Object.assign(headers, call.headers);
    const transport = this.#defaultTransport();
    if (transport && this.#middleware.length === 0) {
      this.#sign(headers, credentials, this.#host, action.name, CONTENT_TYPE, call.payloadHash, call.signedHeaders);
      return transport.send({
        action: action.name,
        url: this.#url,
        headers,
        body: call.body,
        replayable: action.idempotent,
        timeoutMs: call.timeoutMs,
        maxResponseBytes: this.#maxResponseBytes,
        signal: call.signal,
      });
    }
    return this.#exchangeByFetch(call, credentials, headers);
  }

  /** An attempt through openapi-fetch: the caller's middleware, then signing, then the fetch. */
  async #exchangeByFetch(call: Call, credentials: Credentials, headers: Record<string, string>): Promise<WireAnswer> {
    const { action } = call;
    const path = await this.#loadFetchPath();
    const originSlash = `${this.#origin}/`;
    return path.send({
      action,
      body: call.body,
      headers,
      timeoutMs: call.timeoutMs,
      maxResponseBytes: this.#maxResponseBytes,
      signal: call.signal,
      middleware: [...this.#middleware],
      sign: (request, body) => {
        // The signed host must be the host sent: ours unless a middleware pointed the request elsewhere.
        const host = request.url.startsWith(originSlash) ? this.#host : new URL(request.url).host;
        const signed: Record<string, string> = {};
        this.#sign(
          signed,
          credentials,
          host,
          request.headers.get("X-TC-Action") ?? action.name,
          request.headers.get("Content-Type") ?? CONTENT_TYPE,
          body === call.body ? call.payloadHash : sha256Hex(body),
          signedAsSent(request, call.signedHeaders),
        );
        for (const [k, v] of Object.entries(signed)) request.headers.set(k, v);
      },
    });
  }

  /** Adds X-TC-Timestamp, X-TC-Token and the TC3 Authorization for this attempt to `headers`. */
  #sign(
    headers: Record<string, string>,
    credentials: Credentials,
    host: string,
    action: string,
    contentType: string,
    payloadHash: string,
    extraHeaders: HeaderMap | undefined,
  ): void {
    const timestamp = Math.floor((Date.now() + this.#clockOffsetMs) / 1000);
    headers["X-TC-Timestamp"] = String(timestamp);
    if (credentials.token) headers["X-TC-Token"] = credentials.token;
    headers.Authorization = this.#signer.authorization({
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      service: this.#service.name,
      host,
      action,
      contentType,
      payload: "",
      payloadHash,
      timestamp,
      extraHeaders,
    });
  }

  /** openapi-fetch and the fetch-API objects, loaded the first time a call needs them. */
  #loadFetchPath(): Promise<FetchPath> {
    const load = this.#fetchPathLoader as () => Promise<typeof import("./fetch-path.js")>;
    this.#fetchPath ??= load().then(
      (m) => new m.FetchPath(this.#origin, this.#fetch ?? this.#defaultTransport()!, this.#fetch === undefined),
    );
    return this.#fetchPath;
  }

  // util.inspect's hook, defined in a static block (not as a `[INSPECT]()` method) so the published declarations
  // need no computed member, which declarations emitted file by file cannot carry (isolatedDeclarations).
  static {
    Object.defineProperty(CccBaseClient.prototype, INSPECT, {
      value(this: CccBaseClient): string {
        return `${this.constructor.name} { endpoint: '${this.#origin}', service: '${this.#service.name}', version: '${this.#service.version}' }`;
      },
    });
  }

  toJSON(): { endpoint: string; service: string; version: string } {
    return { endpoint: this.#origin, service: this.#service.name, version: this.#service.version };
  }
}

/** What an action name looks like (it goes into `X-TC-Action`). */
const ACTION_NAME = /^[A-Z][A-Za-z0-9]{0,127}$/;

/** Marks the definitions `client.call()` sends with: members the spec lacks are written as given. */
const ALLOW_UNKNOWN: unique symbol = Symbol("ccc-sdk.allowUnknown");

function looseDefinition(definition: ActionDefinition): ActionDefinition {
  return { ...definition, [ALLOW_UNKNOWN]: true } as ActionDefinition;
}

/** An action the spec does not have: no member known, not idempotent (never replayed), no documented rate. */
function unknownAction(name: string): ActionDefinition {
  return { name, path: `/#${name}`, idempotent: false, input: {} };
}

/** The `sdkAppId` option: a positive whole number (a number within 2^53, or a bigint). */
function checkSdkAppId(value: unknown): number | bigint | undefined {
  if (value === undefined) return undefined;
  const whole = typeof value === "bigint" ? value > 0n : Number.isSafeInteger(value) && (value as number) > 0;
  if (!whole)
    throw new CccConfigError(`sdkAppId must be a positive whole number (the application's id), got ${String(value)}`);
  return value as number | bigint;
}

/** The app's signed headers as a middleware left them on `request` (one it removed is not signed). */
function signedAsSent(request: Request, signed: HeaderMap | undefined): HeaderMap | undefined {
  if (!signed) return undefined;
  const out: Record<string, string> = {};
  for (const name of Object.keys(signed)) {
    const value = request.headers.get(name);
    if (value !== null) out[name] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Why a client refuses `what` without the fetch path, and the one line that fixes it. */
function needsFetchPath(what: string): string {
  return (
    `${what} runs through openapi-fetch, which a CccBareClient has only when given it: ` +
    'import { fetchPath } from "ccc-sdk" and pass it too, as in `new CccBareClient({ fetch, fetchPath })`'
  );
}

function logFields(e: unknown, action: string, attempt: number, attemptStarted: number): LogFields {
  const { errorCode, errorName } = errorFacts(e);
  const { requestId, httpStatus } = answerFacts(e);
  return {
    action,
    attempt,
    durationMs: Math.round(performance.now() - attemptStarted),
    requestId,
    code: errorCode,
    error: errorName,
    httpStatus,
  };
}

export type { ErrorCodeOf };

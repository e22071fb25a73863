/**
 * The hand-written client core: options, credentials, the openapi-fetch pipeline with the signing middleware,
 * and the mapping of answers to results or typed errors. Generated clients extend it.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { ActionDefinition, ErrorCodeOf, RequestOf, ResponseOf, ServiceDefinition } from "./action.js";
import {
  checkCredentials,
  CredentialsCache,
  defaultCredentialsChain,
  type Credentials,
  type CredentialsProvider,
} from "./credentials.js";
import {
  CccSdkError,
  CccAbortError,
  CccConfigError,
  CccConnectionError,
  CccError,
  CccResponseError,
  CccTimeoutError,
  CccValidationError,
  INSPECT,
} from "./errors.js";
import { bucketFor } from "./rate-limit.js";
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  DEFAULT_MAX_RETRIES,
  MAX_RETRY_AFTER_MS,
  retryAfterMs,
  sleep,
  type Backoff,
} from "./retry.js";
import { Tc3Signer } from "./signer.js";
import {
  bodyText,
  CccRequest,
  createNodeTransport,
  type FetchLike,
  type NodeTransport,
  type RawAnswer,
} from "./transport.js";
import { validate } from "./validate.js";

export type Language = "zh-CN" | "en-US";

export interface CccClientOptions {
  /**
   * `{ secretId, secretKey, token? }`, or a provider (sync or async function) whose result is cached until shortly
   * before its `expiresAt`. Default: the TENCENTCLOUD_* variables, else the `~/.tencentcloud/credentials` file.
   */
  readonly credentials?: Credentials | CredentialsProvider;
  /** Profile of the credentials file to use when `credentials` is not given (default `default`). */
  readonly profile?: string;
  /**
   * A host (`ccc.tencentcloudapi.com`) or an origin (`http://127.0.0.1:8080`). Default: the Chinese site's
   * `ccc.tencentcloudapi.com`; `site: "international"` picks `ccc.intl.tencentcloudapi.com`.
   */
  readonly endpoint?: string;
  /** Which Tencent site's endpoint to use when `endpoint` is not given. */
  readonly site?: "china" | "international";
  /** `X-TC-Region`; optional for CCC. */
  readonly region?: string;
  /** `X-TC-Language`: language of error messages. */
  readonly language?: Language;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Replace the transport (proxies, tracing, tests). Default on Node: a keep-alive node:http(s) transport. */
  readonly fetch?: FetchLike;
  /** Check inputs against the spec before sending (default true). */
  readonly validate?: boolean;
  /** Retries after a retryable failure (default 2, so 3 attempts at most). 0 turns retries off. */
  readonly maxRetries?: number;
  /** Exponential backoff with full jitter between retries (default 500 ms doubling, at most 8 000 ms). */
  readonly backoff?: Backoff;
  /** Queue calls over the action's documented rate (per credential and action); default true. */
  readonly rateLimit?: boolean;
  /** Receives one structured line per attempt, retry and failure; never a secret. `console` fits. */
  readonly logger?: Logger;
}

export interface CallOptions {
  /** Timeout of each attempt of this call, in milliseconds. */
  readonly timeoutMs?: number;
  /** Aborts the call, including backoff waits and the rate-limit queue; it then rejects with `CccAbortError`. */
  readonly signal?: AbortSignal;
  readonly region?: string;
  readonly language?: Language;
  /** Overrides the client's `maxRetries` for this call. */
  readonly maxRetries?: number;
  /** Overrides the client's `backoff` for this call. */
  readonly backoff?: Backoff;
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
const LANGUAGES: readonly string[] = ["zh-CN", "en-US"];

function checkTimeout(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > 2_147_483_647)
    throw new CccConfigError(
      `${name} must be a positive number of milliseconds (at most 2147483647), got ${String(value)}`,
    );
  return value;
}

function checkCount(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100)
    throw new CccConfigError(`${name} must be a whole number from 0 to 100, got ${String(value)}`);
  return value;
}

function checkBackoff(value: Backoff | undefined, name: string): Required<Backoff> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object") throw new CccConfigError(`${name} must be { baseMs?, maxMs? }`);
  const baseMs = value.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const maxMs = value.maxMs ?? Math.max(DEFAULT_BACKOFF.maxMs, baseMs);
  for (const [k, v] of [
    ["baseMs", baseMs],
    ["maxMs", maxMs],
  ] as const)
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new CccConfigError(`${name}.${k} must be a non-negative number of milliseconds, got ${String(v)}`);
  if (maxMs < baseMs) throw new CccConfigError(`${name}.maxMs (${maxMs}) must not be less than baseMs (${baseMs})`);
  return { baseMs, maxMs };
}

function checkLanguage(value: unknown, name: string): Language | undefined {
  if (value === undefined) return undefined;
  if (!LANGUAGES.includes(value as string))
    throw new CccConfigError(`${name} must be "zh-CN" or "en-US", got ${JSON.stringify(value)}`);
  return value as Language;
}

/** `host` or `scheme://host[:port][/]` → origin; anything with a path, query or credentials is refused. */
export function parseEndpoint(endpoint: string): URL {
  const text = endpoint.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new CccConfigError(`endpoint ${JSON.stringify(endpoint)} is neither a host name nor a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new CccConfigError(`endpoint must use http or https, got ${url.protocol}`);
  if (url.username || url.password) throw new CccConfigError("endpoint must not contain a user name or password");
  if (url.pathname !== "/" || url.search || url.hash)
    throw new CccConfigError(
      `endpoint must be a host or an origin without a path (Tencent signs the path "/"), got ${JSON.stringify(endpoint)}`,
    );
  return url;
}

/** Per-call settings every attempt uses. */
interface CallSettings {
  readonly timeoutMs: number;
  readonly language: Language | undefined;
  readonly region: string | undefined;
  readonly signal: AbortSignal | undefined;
}

/** The server's clock (ms) at an API error, from its `Date` header; for the SignatureExpire correction. */
const serverDates = new WeakMap<CccError, number>();
/** A `Retry-After` that came with an error, in ms. */
const retryAfters = new WeakMap<object, number>();

interface Envelope {
  Response?: { Error?: { Code?: unknown; Message?: unknown }; RequestId?: unknown; [k: string]: unknown };
}

export class CccBaseClient {
  readonly #service: ServiceDefinition;
  readonly #http: Client<Record<string, never>>;
  readonly #signer = new Tc3Signer();
  readonly #credentials: () => Credentials | Promise<Credentials>;
  /** Forgets provider credentials the API refused, so the next call asks the provider again. */
  readonly #forget: (failed: Credentials) => void;
  readonly #transport: FetchLike & { destroy?(): void };
  /** The default transport's raw `send`: the fast path, used while no user middleware is installed. */
  readonly #fast: NodeTransport | undefined;
  readonly #url: URL;
  #middleware = 0;
  readonly #host: string;
  readonly #origin: string;
  readonly #region: string | undefined;
  readonly #language: Language | undefined;
  readonly #timeoutMs: number;
  readonly #validate: boolean;
  readonly #maxRetries: number;
  readonly #backoff: Required<Backoff>;
  readonly #rateLimit: boolean;
  readonly #logger: Logger | undefined;
  /** Server clock minus ours, learnt from the `Date` of an `AuthFailure.SignatureExpire` answer. */
  #clockOffsetMs = 0;

  constructor(service: ServiceDefinition, options: CccClientOptions = {}) {
    if (options === null || typeof options !== "object") throw new CccConfigError("options must be an object");
    this.#service = service;
    if (options.site !== undefined && options.site !== "china" && options.site !== "international")
      throw new CccConfigError(`site must be "china" or "international", got ${JSON.stringify(options.site)}`);
    const url = parseEndpoint(
      options.endpoint ??
        (options.site === "international" ? service.endpoints.international : service.endpoints.default),
    );
    this.#host = url.host;
    this.#url = url;
    this.#origin = url.origin;
    this.#region = options.region;
    if (options.region !== undefined && (typeof options.region !== "string" || !/^[a-z0-9-]+$/.test(options.region)))
      throw new CccConfigError(`region must look like "ap-guangzhou", got ${JSON.stringify(options.region)}`);
    this.#language = checkLanguage(options.language, "language");
    this.#timeoutMs = checkTimeout(options.timeoutMs, "timeoutMs") ?? DEFAULT_TIMEOUT_MS;
    this.#validate = options.validate ?? true;
    this.#maxRetries = checkCount(options.maxRetries, "maxRetries") ?? DEFAULT_MAX_RETRIES;
    this.#backoff = checkBackoff(options.backoff, "backoff") ?? DEFAULT_BACKOFF;
    this.#rateLimit = options.rateLimit ?? true;
    if (options.logger !== undefined && (options.logger === null || typeof options.logger !== "object"))
      throw new CccConfigError("logger must be an object with debug/warn/error methods (console fits)");
    this.#logger = options.logger;
    if (options.fetch !== undefined && typeof options.fetch !== "function")
      throw new CccConfigError("fetch must be a function");
    const nodeTransport = options.fetch ? undefined : createNodeTransport();
    this.#transport = options.fetch ?? nodeTransport!;
    this.#fast = nodeTransport;

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

    this.#http = createClient<Record<string, never>>({
      baseUrl: this.#origin,
      fetch: this.#transport,
      Request: CccRequest,
    });
  }

  /** Adds openapi-fetch middleware (`onRequest`, `onResponse`, `onError`); it runs before signing. */
  use(...middleware: Middleware[]): void {
    this.#http.use(...middleware);
    this.#middleware += middleware.length;
  }

  /** Removes middleware added with `use()`. */
  eject(...middleware: Middleware[]): void {
    this.#http.eject(...middleware);
    this.#middleware = Math.max(0, this.#middleware - middleware.length);
  }

  /** The host requests are signed for and sent to (`ccc.tencentcloudapi.com`). */
  get endpoint(): string {
    return this.#origin;
  }

  /** Closes idle keep-alive sockets of the default transport. The client stays usable. */
  close(): void {
    this.#transport.destroy?.();
  }

  /**
   * Calls an action: validate, then attempts (each rate-limited, freshly signed and sent) until one answers
   * or the failure is not retryable; resolves to the `Response` members or throws a typed error.
   */
  async send<A extends ActionDefinition>(
    action: A,
    input: RequestOf<A>,
    options: CallOptions = {},
  ): Promise<ResponseOf<A>> {
    const name = action.name;
    if (this.#validate) {
      const violations = validate(action.input, input);
      if (violations.length) throw new CccValidationError(name, violations);
    }
    const call: CallSettings = {
      timeoutMs: checkTimeout(options.timeoutMs, "options.timeoutMs") ?? this.#timeoutMs,
      language: checkLanguage(options.language, "options.language") ?? this.#language,
      region: options.region ?? this.#region,
      signal: options.signal,
    };
    const maxRetries = checkCount(options.maxRetries, "options.maxRetries") ?? this.#maxRetries;
    const backoff = checkBackoff(options.backoff, "options.backoff") ?? this.#backoff;
    const started = performance.now();
    let clockCorrected = false;
    let retries = 0;
    let credentials: Credentials | undefined;
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = performance.now();
      try {
        if (call.signal?.aborted) throw new CccAbortError(name, call.signal.reason);
        credentials = await this.#credentials();
        if (this.#rateLimit && action.rateLimitPerSecond)
          await bucketFor(credentials.secretId, name, action.rateLimitPerSecond).take(name, call.signal);
        const result = await this.#attempt(action, input, credentials, call);
        this.#logger?.debug?.("ccc call succeeded", {
          action: name,
          attempt,
          durationMs: Math.round(performance.now() - started),
          requestId: (result as { RequestId?: string }).RequestId,
        });
        return result as ResponseOf<A>;
      } catch (e) {
        const fields = {
          action: name,
          attempt,
          durationMs: Math.round(performance.now() - attemptStarted),
          requestId: (e as { requestId?: string }).requestId,
          code: (e as { code?: unknown }).code === undefined ? undefined : String((e as { code?: unknown }).code),
          error: (e as Error)?.name,
          httpStatus: (e as { httpStatus?: number }).httpStatus,
        };
        // A clock more than 5 minutes off: learn the server's time from its Date header and try once more.
        const serverNow = e instanceof CccError ? serverDates.get(e) : undefined;
        if (
          e instanceof CccError &&
          e.code === "AuthFailure.SignatureExpire" &&
          serverNow !== undefined &&
          !clockCorrected
        ) {
          clockCorrected = true;
          this.#clockOffsetMs = serverNow - Date.now();
          this.#logger?.warn?.("ccc clock corrected from the server's Date; retrying", { ...fields, delayMs: 0 });
          continue;
        }
        if (
          credentials &&
          e instanceof CccError &&
          (e.code === "AuthFailure.SecretIdNotFound" || e.code === "AuthFailure.TokenFailure")
        )
          this.#forget(credentials);
        const retryable = e instanceof CccSdkError && e.retryable && retries < maxRetries;
        if (!retryable) {
          this.#logger?.error?.("ccc call failed", { ...fields, durationMs: Math.round(performance.now() - started) });
          throw e;
        }
        const after = retryAfters.get(e as object);
        if (after !== undefined && after > MAX_RETRY_AFTER_MS) {
          this.#logger?.error?.("ccc call failed (Retry-After too long)", { ...fields, delayMs: after });
          throw e;
        }
        const delayMs = Math.max(after ?? 0, backoffDelay(retries, backoff));
        retries++;
        this.#logger?.warn?.("ccc call will be retried", { ...fields, delayMs });
        await sleep(delayMs, name, call.signal);
      }
    }
  }

  /** One attempt: sign, send, unwrap. Every failure leaves as a typed error with `retryable` set for this action. */
  async #attempt(
    action: ActionDefinition,
    input: unknown,
    credentials: Credentials,
    call: CallSettings,
  ): Promise<unknown> {
    const name = action.name;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    const userSignal = call.signal;
    const onAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener("abort", onAbort, { once: true });

    const headers: Record<string, string> = { "X-TC-Action": name, "X-TC-Version": this.#service.version };
    if (call.region) headers["X-TC-Region"] = call.region;
    if (call.language) headers["X-TC-Language"] = call.language;

    const signer = this.#signer;
    const service = this.#service.name;
    const host = this.#host;
    const timestamp = () => Math.floor((Date.now() + this.#clockOffsetMs) / 1000);

    let answer: RawAnswer;
    try {
      if (this.#fast && this.#middleware === 0) {
        // Fast path: no fetch-API objects. The same signing and answer handling as below, measured ~2-3x the
        // requests per second of the openapi-fetch pipeline (bench/RESULTS.md).
        const body = JSON.stringify(input);
        const ts = timestamp();
        headers["Content-Type"] = "application/json";
        headers["X-TC-Timestamp"] = String(ts);
        if (credentials.token) headers["X-TC-Token"] = credentials.token;
        headers.Authorization = signer.authorization({
          secretId: credentials.secretId,
          secretKey: credentials.secretKey,
          service,
          host,
          action: name,
          contentType: "application/json",
          payload: body,
          timestamp: ts,
        });
        answer = await this.#fast.send({ url: this.#url, method: "POST", headers, body, signal: controller.signal });
      } else answer = await this.#viaOpenapiFetch(action, input, credentials, headers, timestamp, controller.signal);
    } catch (e) {
      const sent = !(e instanceof CccConnectionError) || e.requestSent;
      if (timedOut) throw new CccTimeoutError(name, call.timeoutMs, sent, !sent || action.idempotent);
      if (userSignal?.aborted) throw new CccAbortError(name, userSignal.reason);
      if (e instanceof CccConnectionError)
        throw new CccConnectionError(e.message, {
          action: name,
          requestSent: e.requestSent,
          cause: e.cause,
          retryable: !e.requestSent || action.idempotent,
        });
      // A fetch's network failure (`TypeError: fetch failed` with a system error as cause); anything else, such as
      // an error thrown by the caller's own middleware, is the caller's and passes through unchanged.
      const code = (e as { cause?: { code?: unknown } }).cause?.code ?? (e as { code?: unknown }).code;
      if (!(e instanceof TypeError) && typeof code !== "string") throw e;
      const notSent = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
      throw new CccConnectionError(
        `connection to ${host} failed: ${typeof code === "string" ? code : (e as Error).message}`,
        { action: name, requestSent: !notSent, cause: e, retryable: notSent || action.idempotent },
      );
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener("abort", onAbort);
    }
    return this.#unwrap(action, answer);
  }

  /**
   * The extension path: openapi-fetch with the caller's middleware (`use()`) and `fetch`, then the signing
   * middleware, which runs last so everything the caller set is signed.
   */
  async #viaOpenapiFetch(
    action: ActionDefinition,
    input: unknown,
    credentials: Credentials,
    headers: Record<string, string>,
    timestamp: () => number,
    signal: AbortSignal,
  ): Promise<RawAnswer> {
    const name = action.name;
    const signer = this.#signer;
    const service = this.#service.name;
    const host = this.#host;
    const originSlash = `${this.#origin}/`;
    const signing: Middleware = {
      async onRequest({ request }) {
        const ts = timestamp();
        // The signed host must be the host sent: ours unless a user middleware pointed the request elsewhere.
        const target = request.url.startsWith(originSlash) ? host : new URL(request.url).host;
        request.headers.set("X-TC-Timestamp", String(ts));
        if (credentials.token) request.headers.set("X-TC-Token", credentials.token);
        request.headers.set(
          "Authorization",
          signer.authorization({
            secretId: credentials.secretId,
            secretKey: credentials.secretKey,
            service,
            host: target,
            action: request.headers.get("X-TC-Action") ?? name,
            contentType: request.headers.get("Content-Type") ?? "application/json",
            payload: await bodyText(request),
            timestamp: ts,
          }),
        );
        return request;
      },
    };
    const { data, error, response } = (await this.#http.POST(
      action.path as never,
      { body: input as never, headers, parseAs: "text", signal, middleware: [signing] } as never,
    )) as { data?: unknown; error?: unknown; response: Response };
    const raw = response.status === 200 ? data : error;
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders,
      body: typeof raw === "string" ? raw : raw === undefined ? "" : JSON.stringify(raw),
    };
  }

  #unwrap(action: ActionDefinition, answer: RawAnswer): unknown {
    const name = action.name;
    const { status, body } = answer;
    const header = (key: string): string | null => {
      const value = answer.headers[key];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    };
    let envelope: Envelope | undefined;
    let parseError: unknown;
    if (body !== "")
      try {
        envelope = JSON.parse(body) as Envelope;
      } catch (e) {
        parseError = e;
      }
    const inner = envelope && typeof envelope === "object" ? envelope.Response : undefined;

    if (inner && typeof inner === "object" && inner.Error && typeof inner.Error === "object") {
      const code = String(inner.Error.Code ?? "UnknownError");
      const requestId = String(inner.RequestId ?? "");
      const retry = this.#service.retry[code];
      const error = new CccError({
        action: name,
        code,
        message: String(inner.Error.Message ?? ""),
        requestId,
        httpStatus: status,
        retryable: retry === "always" || (retry === "idempotent" && action.idempotent),
      });
      const date = Date.parse(header("date") ?? "");
      if (!Number.isNaN(date)) serverDates.set(error, date);
      const after = retryAfterMs(header("retry-after"));
      if (after !== undefined) retryAfters.set(error, after);
      throw error;
    }
    if (status !== 200) {
      const error = new CccResponseError(
        `${name}: the server answered HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ""} without a CCC answer`,
        {
          action: name,
          httpStatus: status,
          body,
          retryable: status === 429 || (status >= 500 && action.idempotent),
        },
      );
      const after = retryAfterMs(header("retry-after"));
      if (after !== undefined) retryAfters.set(error, after);
      throw error;
    }
    if (parseError !== undefined || !inner || typeof inner !== "object") {
      throw new CccResponseError(
        parseError !== undefined
          ? `${name}: the answer is not valid JSON (${(parseError as Error).message})`
          : body === ""
            ? `${name}: the answer was empty`
            : `${name}: the answer has no Response object`,
        // The server answered, so it may have acted: only an idempotent action is worth another try.
        { action: name, httpStatus: status, body, cause: parseError, retryable: action.idempotent },
      );
    }
    return inner;
  }

  [INSPECT](): string {
    return `${this.constructor.name} { endpoint: '${this.#origin}', service: '${this.#service.name}', version: '${this.#service.version}' }`;
  }

  toJSON(): { endpoint: string; service: string; version: string } {
    return { endpoint: this.#origin, service: this.#service.name, version: this.#service.version };
  }
}

export type { ErrorCodeOf };

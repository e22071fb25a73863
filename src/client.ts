/**
 * The hand-written client core: options, credentials, the openapi-fetch pipeline with the signing middleware,
 * and the mapping of answers to results or typed errors. Generated clients extend it.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { ActionDefinition, ErrorCodeOf, RequestOf, ResponseOf, ServiceDefinition } from "./action.js";
import { checkCredentials, fromEnv, type Credentials, type CredentialsProvider } from "./credentials.js";
import {
  CccAbortError,
  CccConfigError,
  CccConnectionError,
  CccError,
  CccResponseError,
  CccTimeoutError,
  CccValidationError,
  INSPECT,
} from "./errors.js";
import { Tc3Signer } from "./signer.js";
import { bodyText, CccRequest, createNodeTransport, type FetchLike } from "./transport.js";
import { validate } from "./validate.js";

export type Language = "zh-CN" | "en-US";

export interface CccClientOptions {
  /** `{ secretId, secretKey, token? }` or a function returning them; default: the TENCENTCLOUD_* variables. */
  readonly credentials?: Credentials | CredentialsProvider;
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
}

export interface CallOptions {
  /** Timeout of this call in milliseconds. */
  readonly timeoutMs?: number;
  /** Aborts the call; it then rejects with `CccAbortError`. */
  readonly signal?: AbortSignal;
  readonly region?: string;
  readonly language?: Language;
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

interface Envelope {
  Response?: { Error?: { Code?: unknown; Message?: unknown }; RequestId?: unknown; [k: string]: unknown };
}

export class CccBaseClient {
  readonly #service: ServiceDefinition;
  readonly #http: Client<Record<string, never>>;
  readonly #signer = new Tc3Signer();
  readonly #credentials: CredentialsProvider;
  readonly #transport: FetchLike & { destroy?(): void };
  readonly #host: string;
  readonly #origin: string;
  readonly #region: string | undefined;
  readonly #language: Language | undefined;
  readonly #timeoutMs: number;
  readonly #validate: boolean;

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
    this.#origin = url.origin;
    this.#region = options.region;
    if (options.region !== undefined && (typeof options.region !== "string" || !/^[a-z0-9-]+$/.test(options.region)))
      throw new CccConfigError(`region must look like "ap-guangzhou", got ${JSON.stringify(options.region)}`);
    this.#language = checkLanguage(options.language, "language");
    this.#timeoutMs = checkTimeout(options.timeoutMs, "timeoutMs") ?? DEFAULT_TIMEOUT_MS;
    this.#validate = options.validate ?? true;
    if (options.fetch !== undefined && typeof options.fetch !== "function")
      throw new CccConfigError("fetch must be a function");
    this.#transport = options.fetch ?? createNodeTransport();

    const given = options.credentials;
    if (typeof given === "function")
      this.#credentials = async () => checkCredentials(await given(), "the credentials provider");
    else if (given !== undefined) {
      const fixed = checkCredentials(given, "options.credentials");
      this.#credentials = () => fixed;
    } else {
      let env: Credentials | undefined;
      this.#credentials = () => (env ??= fromEnv());
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
  }

  /** Removes middleware added with `use()`. */
  eject(...middleware: Middleware[]): void {
    this.#http.eject(...middleware);
  }

  /** The host requests are signed for and sent to (`ccc.tencentcloudapi.com`). */
  get endpoint(): string {
    return this.#origin;
  }

  /** Closes idle keep-alive sockets of the default transport. The client stays usable. */
  close(): void {
    this.#transport.destroy?.();
  }

  /** Calls an action: validate → sign → send → unwrap `Response` or throw a typed error. */
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
    const timeoutMs = checkTimeout(options.timeoutMs, "options.timeoutMs") ?? this.#timeoutMs;
    const language = checkLanguage(options.language, "options.language") ?? this.#language;
    const region = options.region ?? this.#region;
    const userSignal = options.signal;
    if (userSignal?.aborted) throw new CccAbortError(name, userSignal.reason);

    const credentials = await this.#credentials();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener("abort", onAbort, { once: true });

    const headers: Record<string, string> = { "X-TC-Action": name, "X-TC-Version": this.#service.version };
    if (region) headers["X-TC-Region"] = region;
    if (language) headers["X-TC-Language"] = language;

    const signer = this.#signer;
    const service = this.#service.name;
    const host = this.#host;
    const originSlash = `${this.#origin}/`;
    const signing: Middleware = {
      async onRequest({ request }) {
        const timestamp = Math.floor(Date.now() / 1000);
        // The signed host must be the host sent: ours unless a user middleware pointed the request elsewhere.
        const target = request.url.startsWith(originSlash) ? host : new URL(request.url).host;
        request.headers.set("X-TC-Timestamp", String(timestamp));
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
            timestamp,
          }),
        );
        return request;
      },
    };

    let result: { data?: unknown; error?: unknown; response: Response };
    try {
      result = await this.#http.POST(
        action.path as never,
        {
          body: input as never,
          headers,
          parseAs: "text",
          signal: controller.signal,
          middleware: [signing],
        } as never,
      );
    } catch (e) {
      if (timedOut) throw new CccTimeoutError(name, timeoutMs, !(e instanceof CccConnectionError) || e.requestSent);
      if (userSignal?.aborted) throw new CccAbortError(name, userSignal.reason);
      if (e instanceof CccConnectionError)
        throw new CccConnectionError(e.message, { action: name, requestSent: e.requestSent, cause: e.cause });
      // A fetch's network failure (`TypeError: fetch failed` with a system error as cause); anything else, such as
      // an error thrown by the caller's own middleware, is the caller's and passes through unchanged.
      const code = (e as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (e as { code?: unknown }).code;
      if (!(e instanceof TypeError) && typeof code !== "string") throw e;
      const notSent = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
      throw new CccConnectionError(
        `connection to ${host} failed: ${typeof code === "string" ? code : (e as Error).message}`,
        {
          action: name,
          requestSent: !notSent,
          cause: e,
        },
      );
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener("abort", onAbort);
    }
    return this.#unwrap(action, result) as ResponseOf<A>;
  }

  #unwrap(
    action: ActionDefinition,
    { data, error, response }: { data?: unknown; error?: unknown; response: Response },
  ): unknown {
    const name = action.name;
    const status = response.status;
    const raw = status === 200 ? data : error;
    let envelope: Envelope | undefined;
    let parseError: unknown;
    if (typeof raw === "string") {
      try {
        envelope = JSON.parse(raw) as Envelope;
      } catch (e) {
        parseError = e;
      }
    } else if (raw && typeof raw === "object") envelope = raw as Envelope;
    const body = typeof raw === "string" ? raw : raw === undefined ? "" : JSON.stringify(raw);
    const inner = envelope && typeof envelope === "object" ? envelope.Response : undefined;

    if (inner && typeof inner === "object" && inner.Error && typeof inner.Error === "object") {
      const code = String(inner.Error.Code ?? "UnknownError");
      const requestId = String(inner.RequestId ?? "");
      const retry = this.#service.retry[code];
      throw new CccError({
        action: name,
        code,
        message: String(inner.Error.Message ?? ""),
        requestId,
        httpStatus: status,
        retryable: retry === "always" || (retry === "idempotent" && action.idempotent),
      });
    }
    if (status !== 200) {
      throw new CccResponseError(
        `${name}: the server answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""} without a CCC answer`,
        {
          action: name,
          httpStatus: status,
          body,
          retryable: status === 429 || (status >= 500 && action.idempotent),
        },
      );
    }
    if (parseError !== undefined || !inner || typeof inner !== "object") {
      throw new CccResponseError(
        parseError !== undefined
          ? `${name}: the answer is not valid JSON (${(parseError as Error).message})`
          : body === ""
            ? `${name}: the answer was empty`
            : `${name}: the answer has no Response object`,
        { action: name, httpStatus: status, body, cause: parseError },
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

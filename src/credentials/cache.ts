/**
 * `CredentialsCache`: refreshes a provider's credentials before they expire, and keeps the secrets it has seen out
 * of the errors it passes on from the provider.
 */
import { CccConfigError, CccSdkError } from "../errors.js";
import { checkCredentials, redactText as redact } from "./check.js";
import type { Credentials, CredentialsCacheOptions, CredentialsProvider } from "./types.js";

interface CacheEntry {
  readonly credentials: Credentials;
  /** From this time on, a call starts a refresh (and still gets these credentials while they are valid). */
  readonly refreshAt: number;
  /** From this time on, these credentials are not used. `Infinity` for credentials without `expiresAt`. */
  readonly expiresAt: number;
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

function sameCredentials(a: Credentials, b: Credentials): boolean {
  return a.secretId === b.secretId && a.secretKey === b.secretKey && (a.token || "") === (b.token || "");
}

/** The error's message with known secrets removed, shortened; never a value the provider returned. */
function describeFailure(error: unknown, secrets: readonly (string | undefined)[]): string {
  if (!(error instanceof Error))
    return `it threw ${error === null ? "null" : typeof error === "object" ? "a non-Error object" : `a ${typeof error}`}`;
  const message = redact(error.message, secrets);
  return message.length > 500 ? `${message.slice(0, 500)}…` : message || error.name;
}

/**
 * A copy of a provider's error fit to be kept as `cause`: its name, code, message and stack with known secrets
 * removed, its own causes likewise (three deep); none of its other properties, which may hold anything. The
 * SDK's own errors are kept as they are: their messages never hold a secret.
 */
function sanitizedError(error: unknown, secrets: readonly (string | undefined)[], depth = 0): Error | undefined {
  if (error instanceof CccSdkError) return error; // the SDK's own (the default chain's): they never hold a value
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(redact(error.message, secrets));
  copy.name = error.name;
  copy.stack = redact(error.stack ?? `${error.name}: ${error.message}`, secrets);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  if (depth < 3 && error.cause !== undefined) {
    const cause = sanitizedError(error.cause, secrets, depth + 1);
    if (cause) Object.defineProperty(copy, "cause", { value: cause, enumerable: false, configurable: true });
  }
  return copy;
}

/**
 * Wraps a provider: calls it on first use, then again only when needed.
 *
 * - Credentials without `expiresAt` are fetched once (until `invalidate()`).
 * - Credentials with `expiresAt` are refreshed from `refreshAt = expiresAt - min(refreshBeforeMs, lifetime / 2)`,
 *   where `lifetime` is `expiresAt` minus the time they were fetched: 5 minutes before expiry for long-lived
 *   ones, half-way for short-lived ones (credentials valid for 2 s are refreshed after 1 s, not on every call).
 * - Between `refreshAt` and `expiresAt` a call starts the refresh and returns the current credentials at once
 *   (stale-while-revalidate), so requests never wait for a refresh while valid credentials exist. At or after
 *   `expiresAt`, and before the first fetch, calls wait for the provider.
 * - Single flight: concurrent calls share one provider call.
 * - A failed refresh while the current credentials are valid is silent; the next call after it tries again.
 *   Without valid credentials the call rejects: an error thrown by the provider becomes
 *   `CccConfigError("the credentials provider failed: <its message>")`, with a copy of the error as `cause`
 *   (name, code, message and stack, and its own causes; known secrets cut from each, no other property of
 *   it kept); a returned value that fails `checkCredentials`, or that expired already, rejects
 *   with that `CccConfigError` as is. Nothing failed is remembered.
 * - `get` and `invalidate` are bound, so `cache.get` is itself a `CredentialsProvider`.
 */
export class CredentialsCache {
  readonly #provider: CredentialsProvider;
  readonly #refreshBeforeMs: number;
  readonly #now: () => number;
  #entry: CacheEntry | undefined;
  /** The secrets last obtained, kept out of error messages even after `invalidate()`. */
  #secrets: readonly (string | undefined)[] = [];
  /** Bumped by `invalidate()`: a refresh started before it does not serve calls made after it. */
  #generation = 0;
  #inflight: { readonly generation: number; readonly promise: Promise<Credentials> } | undefined;

  constructor(provider: CredentialsProvider, options: CredentialsCacheOptions = {}) {
    if (typeof provider !== "function") throw new CccConfigError("CredentialsCache: provider must be a function");
    if (options === null || typeof options !== "object")
      throw new CccConfigError("CredentialsCache: options must be an object");
    const before: unknown = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
    if (typeof before !== "number" || !Number.isFinite(before) || before < 0)
      throw new CccConfigError(
        `CredentialsCache: refreshBeforeMs must be a non-negative number of milliseconds, got ${String(before)}`,
      );
    if (options.now !== undefined && typeof options.now !== "function")
      throw new CccConfigError("CredentialsCache: now must be a function");
    this.#provider = provider;
    this.#refreshBeforeMs = before;
    this.#now = options.now ?? Date.now;
  }

  /** Current credentials: cached, or from the provider when there are none, they expired or were invalidated. */
  readonly get = (): Promise<Credentials> => {
    const entry = this.#entry;
    if (entry) {
      const now = this.#now();
      if (now < entry.refreshAt) return Promise.resolve(entry.credentials);
      if (now < entry.expiresAt) {
        // Valid but due: refresh in the background; its failure is seen by nobody, the next due call retries.
        this.#refresh().catch(() => {});
        return Promise.resolve(entry.credentials);
      }
    }
    return this.#refresh();
  };

  /**
   * Forgets the cached credentials: the next `get()` calls the provider (also if a refresh is under way) and
   * will not fall back to the forgotten ones. With `failed`, only if the cached credentials are those (same
   * SecretId, SecretKey and token) — so many requests failing with the same credentials cause one refresh.
   */
  readonly invalidate = (failed?: Credentials): void => {
    const entry = this.#entry;
    if (failed !== undefined && (!entry || !sameCredentials(entry.credentials, failed))) return;
    this.#entry = undefined;
    this.#generation++;
  };

  #refresh(): Promise<Credentials> {
    const inflight = this.#inflight;
    if (inflight && inflight.generation === this.#generation) return inflight.promise;
    const generation = this.#generation;
    const promise = this.#fetch(generation);
    const record = { generation, promise };
    this.#inflight = record;
    const clear = () => {
      if (this.#inflight === record) this.#inflight = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  /**
   * One provider call. A failure rejects and changes nothing: the current entry, if any, stays, so while it is
   * valid calls keep getting it (they never wait on a refresh then) and the next due call tries again.
   */
  async #fetch(generation: number): Promise<Credentials> {
    let value: Credentials;
    try {
      value = await this.#provider();
    } catch (error) {
      throw new CccConfigError(`the credentials provider failed: ${describeFailure(error, this.#secrets)}`, {
        cause: sanitizedError(error, this.#secrets),
      });
    }
    const credentials = checkCredentials(value, "the credentials provider");
    const now = this.#now();
    const expiresAt = credentials.expiresAt;
    if (expiresAt !== undefined && now >= expiresAt)
      throw new CccConfigError(
        `the credentials provider returned credentials that expired at ${new Date(expiresAt).toISOString()}, ` +
          `${now - expiresAt} ms ago by this clock (expiresAt is in milliseconds since the epoch)`,
      );
    this.#secrets = [credentials.secretKey, credentials.token];
    if (generation === this.#generation) {
      const refreshAt =
        expiresAt === undefined ? Infinity : expiresAt - Math.min(this.#refreshBeforeMs, (expiresAt - now) / 2);
      this.#entry = { credentials, refreshAt, expiresAt: expiresAt ?? Infinity };
    }
    return credentials;
  }
}

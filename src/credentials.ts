/**
 * Credentials: a static pair, a provider function, the standard environment variables, Tencent's profile file
 * (`~/.tencentcloud/credentials`), the default chain of those two, and a cache that refreshes temporary
 * credentials before they expire.
 *
 * The exported signatures use no Node types, so the published declarations need no @types/node; node:fs,
 * node:os and node:path are used inside only.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CccConfigError, CccSdkError, INSPECT } from "./errors.js";

export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** Session token of temporary credentials, sent as `X-TC-Token`. */
  readonly token?: string | undefined;
  /**
   * When temporary credentials expire, in milliseconds since the epoch. Tencent's STS answers `ExpiredTime` in
   * seconds: multiply it by 1000. `CredentialsCache` refreshes the credentials before this time.
   */
  readonly expiresAt?: number | undefined;
}

/** Called before requests; may return cached credentials. */
export type CredentialsProvider = () => Credentials | Promise<Credentials>;

/** Environment variables, as `process.env` holds them. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** A time in milliseconds below this (1973) is a time in seconds by mistake. */
const MIN_EXPIRES_AT = 1e11;
/** The last time a `Date` can hold. */
const MAX_EXPIRES_AT = 8.64e15;

/**
 * Validates credentials and returns a frozen, redacted copy (see `redacted`). `source` names where they came
 * from in the error message ("options.credentials", "the credentials provider"). Messages never hold a value
 * other than `expiresAt`.
 */
export function checkCredentials(c: Credentials, source: string): Credentials {
  if (!c || typeof c !== "object")
    throw new CccConfigError(`credentials from ${source} must be an object with secretId and secretKey`);
  const secretId = checkedSecret(c.secretId, "secretId", source, true);
  const secretKey = checkedSecret(c.secretKey, "secretKey", source, false);
  const token = c.token === undefined ? undefined : checkedSecret(c.token, "token", source, true, true);
  const expiresAt: unknown = c.expiresAt;
  if (expiresAt !== undefined) {
    if (typeof expiresAt !== "number" || !Number.isFinite(expiresAt))
      throw new CccConfigError(
        `credentials from ${source}: expiresAt must be a number of milliseconds since the epoch, got ${
          typeof expiresAt === "number" ? String(expiresAt) : `a ${expiresAt === null ? "null" : typeof expiresAt}`
        }`,
      );
    if (expiresAt < MIN_EXPIRES_AT || expiresAt > MAX_EXPIRES_AT)
      throw new CccConfigError(
        `credentials from ${source}: expiresAt must be milliseconds since the epoch, got ${expiresAt}` +
          (expiresAt > 0 && expiresAt < MIN_EXPIRES_AT
            ? ", which looks like seconds (multiply by 1000)"
            : ", which is out of range"),
      );
  }
  return redacted({
    secretId,
    secretKey,
    ...(token ? { token } : {}),
    ...(expiresAt !== undefined ? { expiresAt: expiresAt as number } : {}),
  });
}

/** Visible ASCII only: what goes into a header (the SecretId in Authorization, the token in X-TC-Token). */
const HEADER_SAFE = /^[\x21-\x7e]*$/;
/** No control characters (a SecretKey is only hashed, but a newline inside one is always a copy-paste mistake). */
const NO_CONTROL = /^[^\x00-\x1f\x7f]*$/;

/**
 * A credential string with the whitespace around it trimmed (mounted secrets and files end with a newline); a
 * value that is empty, or that holds characters it must not (`inHeader`: anything but visible ASCII), is refused
 * with a message naming the field and never the value.
 */
function checkedSecret(value: unknown, field: string, source: string, inHeader: boolean, mayBeEmpty = false): string {
  if (typeof value !== "string") {
    if (mayBeEmpty) throw new CccConfigError(`credentials from ${source}: ${field} must be a string`);
    throw new CccConfigError(`credentials from ${source}: ${field} is missing or empty`);
  }
  const trimmed = value.trim();
  if (!trimmed && !mayBeEmpty) throw new CccConfigError(`credentials from ${source}: ${field} is missing or empty`);
  if (inHeader ? !HEADER_SAFE.test(trimmed) : !NO_CONTROL.test(trimmed))
    throw new CccConfigError(
      `credentials from ${source}: ${field} contains ${
        inHeader ? "characters that cannot go into an HTTP header (only visible ASCII can)" : "control characters"
      }; check how it was copied`,
    );
  return trimmed;
}

/**
 * Frozen credentials whose secrets live in private fields: only `secretId` (and `expiresAt`, which is not a
 * secret) are own properties, so `JSON.stringify`, `Object.keys`, spread and `structuredClone` never see the
 * SecretKey or the token, and `util.inspect`/`console.log` print `[redacted]` for them. The getters still
 * read the values.
 */
class RedactedCredentials implements Credentials {
  readonly secretId: string;
  declare readonly expiresAt?: number;
  readonly #secretKey: string;
  readonly #token: string | undefined;

  constructor(c: Credentials) {
    this.secretId = c.secretId;
    if (c.expiresAt !== undefined)
      Object.defineProperty(this, "expiresAt", { value: c.expiresAt, enumerable: true, writable: false });
    this.#secretKey = c.secretKey;
    this.#token = c.token;
    Object.freeze(this);
  }

  get secretKey(): string {
    return this.#secretKey;
  }

  get token(): string | undefined {
    return this.#token;
  }

  [INSPECT](): string {
    const expiresAt = this.expiresAt;
    let expiry = "";
    if (expiresAt !== undefined) {
      const date = new Date(expiresAt);
      expiry = `, expiresAt: ${Number.isNaN(date.getTime()) ? String(expiresAt) : date.toISOString()}`;
    }
    return `Credentials { secretId: '${this.secretId}', secretKey: [redacted]${this.#token ? ", token: [redacted]" : ""}${expiry} }`;
  }
}

/**
 * Returns a frozen copy whose SecretKey and token are not properties of the object (they are read through
 * getters), so `JSON.stringify`, `Object.keys`, spread, `console.log` and `util.inspect` (also with
 * `showHidden`) show only `secretId` and `expiresAt`. Does not validate: use `checkCredentials` for that.
 */
export function redacted(c: Credentials): Credentials {
  return new RedactedCredentials(c);
}

/**
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optional `TENCENTCLOUD_SESSION_TOKEN`, or `undefined`
 * when either of the first two is unset or empty. Throws `CccConfigError` only when they are set but invalid
 * (a SecretId of spaces).
 */
export function tryFromEnv(env: EnvironmentVariables = process.env): Credentials | undefined {
  const secretId = env.TENCENTCLOUD_SECRET_ID;
  const secretKey = env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey) return undefined;
  return checkCredentials(
    { secretId, secretKey, token: env.TENCENTCLOUD_SESSION_TOKEN || undefined },
    "the environment",
  );
}

/**
 * `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optional `TENCENTCLOUD_SESSION_TOKEN`; throws
 * `CccConfigError` when either of the first two is unset or empty.
 */
export function fromEnv(env: EnvironmentVariables = process.env): Credentials {
  const credentials = tryFromEnv(env);
  if (!credentials)
    throw new CccConfigError(
      "no credentials: pass `credentials: { secretId, secretKey }` to the client or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY",
    );
  return credentials;
}

// ---------------------------------------------------------------------------------------------------------------
// The profile file

export interface ProfileOptions {
  /** The profile (`[name]` section) to read. Default: `TENCENTCLOUD_PROFILE`, else `default`. */
  readonly profile?: string;
  /**
   * The file to read; a leading `~` is the home directory, a relative path is relative to the working directory.
   * Default: `TENCENTCLOUD_CREDENTIALS_FILE` (as Tencent's Go SDK reads it), else
   * `<home>/.tencentcloud/credentials` with the home directory taken when the file is read.
   */
  readonly file?: string;
  /** Where `TENCENTCLOUD_PROFILE` and `TENCENTCLOUD_CREDENTIALS_FILE` are read. Default: `process.env`, when called. */
  readonly env?: EnvironmentVariables;
}

/** The keys read from a profile; other keys (`region`, `role_arn`, …) are ignored. */
const PROFILE_KEYS: readonly string[] = ["secret_id", "secret_key", "token"];

interface ParsedProfile {
  /** Line of the `[name]` header. */
  readonly line: number;
  readonly entries: Map<string, { readonly value: string; readonly line: number }>;
}

interface ProfileLocation {
  readonly file: string;
  /** ` (from TENCENTCLOUD_CREDENTIALS_FILE)` or empty. */
  readonly fileSource: string;
  readonly profile: string;
  /** ` (from TENCENTCLOUD_PROFILE)` or empty. */
  readonly profileSource: string;
}

function checkProfileOptions(options: ProfileOptions, fn: string): void {
  if (options === null || typeof options !== "object") throw new CccConfigError(`${fn}: options must be an object`);
  for (const name of ["profile", "file"] as const) {
    const value: unknown = options[name];
    if (value !== undefined && (typeof value !== "string" || !value.trim()))
      throw new CccConfigError(`${fn}: ${name} must be a non-empty string`);
  }
  if (options.env !== undefined && (options.env === null || typeof options.env !== "object"))
    throw new CccConfigError(`${fn}: env must be an object of environment variables`);
}

function locate(options: ProfileOptions, env: EnvironmentVariables): ProfileLocation {
  const envFile = env.TENCENTCLOUD_CREDENTIALS_FILE?.trim() || undefined;
  const envProfile = env.TENCENTCLOUD_PROFILE?.trim() || undefined;
  let file = options.file ?? envFile ?? join(homedir(), ".tencentcloud", "credentials");
  if (file === "~" || file.startsWith("~/") || file.startsWith("~\\")) file = join(homedir(), file.slice(1));
  return {
    file: resolve(file),
    fileSource: options.file === undefined && envFile !== undefined ? " (from TENCENTCLOUD_CREDENTIALS_FILE)" : "",
    profile: options.profile?.trim() ?? envProfile ?? "default",
    profileSource: options.profile === undefined && envProfile !== undefined ? " (from TENCENTCLOUD_PROFILE)" : "",
  };
}

/**
 * Parses the INI file as Tencent's SDKs read it: `[name]` headers, `key = value` lines split at the first `=`,
 * keys case-insensitive, whitespace around keys and values trimmed, `#` and `;` comments on lines of their own.
 * Values are taken verbatim: no quotes removed, no inline comments, no continuation lines. Messages name the
 * file and line, never a line's content.
 */
function parseProfiles(text: string, file: string): Map<string, ParsedProfile> {
  const profiles = new Map<string, ParsedProfile>();
  let current: { name: string; profile: ParsedProfile } | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = (lines[i] ?? "").trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) {
      if (!line.endsWith("]"))
        throw new CccConfigError(`${file}:${n}: a profile header must look like [name], with nothing after the "]"`);
      const name = line.slice(1, -1).trim();
      if (!name) throw new CccConfigError(`${file}:${n}: the profile header "[]" has no name`);
      const earlier = profiles.get(name);
      if (earlier)
        throw new CccConfigError(`${file}:${n}: profile "${name}" appears twice (first at line ${earlier.line})`);
      current = { name, profile: { line: n, entries: new Map() } };
      profiles.set(name, current.profile);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0)
      throw new CccConfigError(
        `${file}:${n}: cannot parse this line; expected "[profile]", "key = value" or a comment starting with # or ;`,
      );
    if (!current)
      throw new CccConfigError(`${file}:${n}: a "key = value" line comes before the first [profile] header`);
    const key = line.slice(0, eq).trim().toLowerCase();
    if (!PROFILE_KEYS.includes(key)) continue;
    const earlier = current.profile.entries.get(key);
    if (earlier)
      throw new CccConfigError(
        `${file}:${n}: ${key} appears twice in profile "${current.name}" (first at line ${earlier.line})`,
      );
    current.profile.entries.set(key, { value: line.slice(eq + 1).trim(), line: n });
  }
  return profiles;
}

function profileCredentials(profiles: Map<string, ParsedProfile>, where: ProfileLocation): Credentials {
  const { file, profile: name } = where;
  const profile = profiles.get(name);
  if (!profile) {
    const names = [...profiles.keys()].map((p) => `"${p}"`);
    throw new CccConfigError(
      `profile "${name}"${where.profileSource} is not in the credentials file ${file}; ` +
        (names.length ? `the profiles present are ${names.join(", ")}` : "the file has no [profile] sections"),
    );
  }
  const values: Record<string, string | undefined> = {};
  for (const key of PROFILE_KEYS) {
    const entry = profile.entries.get(key);
    if (!entry) continue;
    const at = `${file}:${entry.line}: ${key} in profile "${name}"`;
    if (!entry.value) {
      if (key === "token") continue; // `token =` left empty: permanent credentials
      throw new CccConfigError(`${at} is empty`);
    }
    if (/^(["']).*\1$/.test(entry.value))
      throw new CccConfigError(
        `${at} is in quotes; write the value without them (Tencent's SDKs keep quotes as part of the value)`,
      );
    if (/\s/.test(entry.value))
      throw new CccConfigError(
        `${at} contains whitespace; inline comments are not supported, put comments on a line of their own`,
      );
    values[key] = entry.value;
  }
  const missing = ["secret_id", "secret_key"].filter((k) => values[k] === undefined);
  if (missing.length)
    throw new CccConfigError(
      `profile "${name}" in the credentials file ${file} (line ${profile.line}) has no ${missing.join(" and no ")}; ` +
        `it needs "secret_id = …" and "secret_key = …" lines`,
    );
  return checkCredentials(
    { secretId: values.secret_id ?? "", secretKey: values.secret_key ?? "", token: values.token },
    `profile "${name}" in ${file}`,
  );
}

/** The profile's credentials, or `undefined` when the file does not exist. */
async function loadProfile(where: ProfileLocation): Promise<Credentials | undefined> {
  const { file } = where;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (code === "EISDIR")
      throw new CccConfigError(`the credentials file ${file}${where.fileSource} is a directory`, { cause: error });
    throw new CccConfigError(
      `cannot read the credentials file ${file}${where.fileSource}${typeof code === "string" ? ` (${code})` : ""}`,
      { cause: error },
    );
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new CccConfigError(`the credentials file ${file} is UTF-16 encoded; save it as UTF-8`);
  // TextDecoder drops a UTF-8 byte order mark.
  const text = new TextDecoder("utf-8").decode(bytes);
  return profileCredentials(parseProfiles(text, file), where);
}

/**
 * A provider reading a profile of Tencent's credentials file:
 *
 * ```ini
 * [default]
 * secret_id = AKID…
 * secret_key = …
 * token = …          # optional, for temporary credentials
 * ```
 *
 * Nothing is read until the provider is called. The file is read asynchronously; the credentials are then
 * remembered by this provider per (file, profile) — later changes to the file are not seen (create a new
 * provider to re-read it). Failures are not remembered: the next call reads the file again. Errors are
 * `CccConfigError`s naming the file (and line, or profile) and never a value from the file.
 */
export function fromProfile(options: ProfileOptions = {}): () => Promise<Credentials> {
  checkProfileOptions(options, "fromProfile");
  const cache = new Map<string, Promise<Credentials>>();
  return () => {
    let where: ProfileLocation;
    try {
      where = locate(options, options.env ?? process.env);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = `${where.file}\0${where.profile}`;
    let pending = cache.get(key);
    if (!pending) {
      const loading = loadProfile(where).then((credentials) => {
        if (credentials) return credentials;
        throw new CccConfigError(
          `the credentials file ${where.file}${where.fileSource} does not exist; create it with a [${where.profile}] ` +
            "profile holding secret_id and secret_key, or pass `credentials: { secretId, secretKey }` to the client",
        );
      });
      pending = loading;
      cache.set(key, loading);
      loading.catch(() => {
        if (cache.get(key) === loading) cache.delete(key);
      });
    }
    return pending;
  };
}

export interface CredentialsChainOptions extends ProfileOptions {
  /** Where all `TENCENTCLOUD_*` variables are read. Default: `process.env`, when first called. */
  readonly env?: EnvironmentVariables;
}

async function resolveChain(options: CredentialsChainOptions): Promise<Credentials> {
  const env = options.env ?? process.env;
  const fromEnvironment = tryFromEnv(env);
  if (fromEnvironment) return fromEnvironment;
  const where = locate(options, env);
  const fromFile = await loadProfile(where);
  if (fromFile) return fromFile;
  const id = Boolean(env.TENCENTCLOUD_SECRET_ID);
  const key = Boolean(env.TENCENTCLOUD_SECRET_KEY);
  const variables =
    id === key
      ? "not set"
      : `${id ? "TENCENTCLOUD_SECRET_ID" : "TENCENTCLOUD_SECRET_KEY"} is set but ${
          id ? "TENCENTCLOUD_SECRET_KEY" : "TENCENTCLOUD_SECRET_ID"
        } is not`;
  throw new CccConfigError(
    `no credentials found. Looked at: the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY ` +
      `(${variables}); the credentials file ${where.file}${where.fileSource} (does not exist). ` +
      "Pass `credentials: { secretId, secretKey }` or a provider function to the client, set both variables, " +
      `or create that file with a [${where.profile}] profile holding secret_id and secret_key.`,
  );
}

/**
 * The default credentials: the environment variables when `TENCENTCLOUD_SECRET_ID` and
 * `TENCENTCLOUD_SECRET_KEY` are both set (with `TENCENTCLOUD_SESSION_TOKEN`); otherwise the profile of the
 * credentials file (see `fromProfile`) if the file exists; otherwise a `CccConfigError` listing the places
 * looked at. An existing but broken file is an error, not a reason to fall through.
 *
 * Lazy: nothing is read until the first call. The credentials found are then remembered for the life of this
 * provider (the environment and the file are read once); a failure is not, so the next call looks again.
 */
export function defaultCredentialsChain(options: CredentialsChainOptions = {}): () => Promise<Credentials> {
  checkProfileOptions(options, "defaultCredentialsChain");
  let result: Promise<Credentials> | undefined;
  return () => {
    if (!result) {
      const resolving = resolveChain(options);
      result = resolving;
      resolving.catch(() => {
        if (result === resolving) result = undefined;
      });
    }
    return result;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The cache

export interface CredentialsCacheOptions {
  /**
   * Refresh credentials this long before their `expiresAt` (default 300 000 ms = 5 minutes), but never earlier
   * than half-way through the lifetime they had when fetched.
   */
  readonly refreshBeforeMs?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

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

/** `text` with every known secret (4 characters or more) replaced by `[redacted]`. */
function redact(text: string, secrets: readonly (string | undefined)[]): string {
  for (const secret of secrets) if (secret && secret.length >= 4) text = text.split(secret).join("[redacted]");
  return text;
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

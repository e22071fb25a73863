/**
 * What every source's credentials pass before use: the trimming and header-safety rules, the `expiresAt` range,
 * and the frozen, redacted object they are handed on as.
 */
import { CccConfigError, INSPECT } from "../errors.js";
import type { Credentials } from "./types.js";

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
  const given: unknown = c.expiresAt;
  const expiresAt = given === undefined ? undefined : checkedExpiresAt(given, source);
  return redacted({
    secretId,
    secretKey,
    ...(token ? { token } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  });
}

/** `expiresAt` if it is a time in milliseconds that a `Date` can hold; refused, with the value, otherwise. */
function checkedExpiresAt(expiresAt: unknown, source: string): number {
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
  return expiresAt;
}

/** `text` with every known secret (4 characters or more) replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  for (const secret of secrets) if (secret && secret.length >= 4) text = text.split(secret).join("[redacted]");
  return text;
}

/** Visible ASCII only: what goes into a header (the SecretId in Authorization, the token in X-TC-Token). */
const HEADER_SAFE = /^[\x21-\x7e]*$/;
/** No control characters (a SecretKey is only hashed, but a newline inside one is always a copy-paste mistake). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
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

/**
 * What the role providers share: Tencent's temporary credentials as STS and the instance metadata answer them,
 * turned into checked `Credentials` with `expiresAt`, and the checks of the options they have in common. Messages
 * name the member or option, never a value that could be a secret.
 */
import { CccConfigError } from "../errors.js";
import { checkTimeout, parseEndpoint } from "../options.js";
import { checkCredentials } from "./check.js";
import type { Credentials } from "./types.js";

/** STS's longest `DurationSeconds`. */
const MAX_DURATION_SECONDS = 43_200;
/** `RoleSessionName`, as STS documents it. */
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

/** The members of a temporary credential in a Tencent answer (STS's `Credentials` with `ExpiredTime`, or the metadata's). */
export interface TemporaryAnswer {
  readonly TmpSecretId?: unknown;
  readonly TmpSecretKey?: unknown;
  readonly Token?: unknown;
  /** Unix seconds. */
  readonly ExpiredTime?: unknown;
  /** ISO 8601, read when there is no `ExpiredTime`. */
  readonly Expiration?: unknown;
}

/** `expiresAt` in milliseconds: from `ExpiredTime` (seconds), else from `Expiration`. */
function expiryOf(answer: TemporaryAnswer, source: string): number {
  const seconds = typeof answer.ExpiredTime === "string" ? Number(answer.ExpiredTime) : answer.ExpiredTime;
  if (typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const parsed = typeof answer.Expiration === "string" ? Date.parse(answer.Expiration) : Number.NaN;
  if (!Number.isNaN(parsed)) return parsed;
  throw new CccConfigError(`${source} has neither an ExpiredTime nor an Expiration`);
}

/** Checked, redacted credentials from `answer`; `source` names the answer in messages (`the AssumeRole answer`). */
export function temporaryCredentials(answer: TemporaryAnswer, source: string): Credentials {
  const missing = (["TmpSecretId", "TmpSecretKey", "Token"] as const).filter(
    (member) => typeof answer[member] !== "string" || answer[member] === "",
  );
  if (missing.length) throw new CccConfigError(`${source} has no ${missing.join(", ")}`);
  return checkCredentials(
    {
      secretId: answer.TmpSecretId as string,
      secretKey: answer.TmpSecretKey as string,
      token: answer.Token as string,
      expiresAt: expiryOf(answer, source),
    },
    source,
  );
}

/** Throws unless `options` is an object (or, with `optional`, undefined). `name` is how messages call it. */
export function checkObject(options: unknown, name: string, optional: boolean): void {
  if (options === undefined && optional) return;
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new CccConfigError(`${name} must be an object`);
}

/** A non-empty string option, or undefined when not given; `name` is the option as messages call it. */
export function checkString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !value.trim()) throw new CccConfigError(`${name} must be a non-empty string`);
  return value.trim();
}

/** `DurationSeconds`: a whole number of seconds from 1 to 43 200, or undefined. */
export function checkDuration(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_DURATION_SECONDS)
    throw new CccConfigError(
      `${name} must be a whole number of seconds from 1 to ${MAX_DURATION_SECONDS}, got ${String(value)}`,
    );
  return value as number;
}

/** `RoleSessionName`, or undefined. */
export function checkSessionName(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !SESSION_NAME.test(value))
    throw new CccConfigError(`${name} must be 2 to 128 letters, digits or _+=,.@-, got ${JSON.stringify(value)}`);
  return value;
}

/** An endpoint option as a URL (see `parseEndpoint`); a bare host takes `scheme`. `prefix` leads its messages. */
export function checkEndpoint(value: unknown, prefix: string, scheme: "http" | "https"): URL | undefined {
  if (value === undefined) return undefined;
  try {
    return parseEndpoint(
      typeof value === "string" && !value.includes("://") ? `${scheme}://${value.trim()}` : (value as string),
    );
  } catch (e) {
    throw new CccConfigError(`${prefix}${(e as Error).message}`);
  }
}

/** A timeout option in milliseconds (see `checkTimeout`), or `fallback`. */
export function checkTimeoutOption(value: unknown, name: string, fallback: number): number {
  return checkTimeout(value, name) ?? fallback;
}

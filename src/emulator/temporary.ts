/**
 * The temporary credentials the emulator issues (STS and the CVM instance metadata): each a SecretId, SecretKey and
 * token the verifier then accepts until it expires by the emulator's clock. Issued credentials are kept until
 * they expire (at most MAX_ISSUED of them, the oldest dropped first), across `reset()`.
 */
import { randomBytes } from "node:crypto";
import type { EmulatorCredential } from "./types.js";

/** What STS issues when the request names no `DurationSeconds`, and what the instance metadata issues. */
export const DEFAULT_LIFETIME_SECONDS = 7200;
/** STS's longest `DurationSeconds`. */
export const MAX_LIFETIME_SECONDS = 43_200;
/** So that a long test run cannot grow the emulator without bound. */
const MAX_ISSUED = 10_000;

export interface IssuedCredential extends EmulatorCredential {
  readonly token: string;
  /** Milliseconds since the epoch, a whole second (STS answers it in seconds). */
  readonly expiresAt: number;
}

/** Whether `seconds` is an accepted lifetime: a whole number of seconds from 1 to 43 200. */
function isLifetime(seconds: unknown): seconds is number {
  return Number.isInteger(seconds) && (seconds as number) >= 1 && (seconds as number) <= MAX_LIFETIME_SECONDS;
}

function random(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString("hex");
}

export class TemporaryCredentials {
  readonly #issued = new Map<string, IssuedCredential>();
  /** Set by `setLifetime`: every credential issued lives this long, whatever the request asks. */
  #lifetimeSeconds: number | undefined;

  /** The lifetime of the credentials issued from now on (`undefined`: as asked); the refusal of a bad one. */
  setLifetime(seconds: unknown): string | undefined {
    if (seconds !== undefined && !isLifetime(seconds))
      return `seconds must be a whole number from 1 to ${MAX_LIFETIME_SECONDS} (or null for the default), got ${JSON.stringify(seconds) ?? String(seconds)}`;
    this.#lifetimeSeconds = seconds;
    return undefined;
  }

  /**
   * New credentials, issued at `now` (the emulator's clock) for the lifetime set, else `requestedSeconds`, else
   * DEFAULT_LIFETIME_SECONDS. They expire on a whole second, as STS's `ExpiredTime` says.
   */
  issue(now: number, requestedSeconds?: number): IssuedCredential {
    const seconds = this.#lifetimeSeconds ?? requestedSeconds ?? DEFAULT_LIFETIME_SECONDS;
    if (this.#issued.size >= MAX_ISSUED) this.#issued.delete(this.#issued.keys().next().value!);
    const credential: IssuedCredential = {
      secretId: random("AKIDTMP", 16),
      secretKey: random("", 20),
      token: random("emulator-token-", 24),
      expiresAt: (Math.floor(now / 1000) + seconds) * 1000,
    };
    this.#issued.set(credential.secretId, credential);
    return credential;
  }

  /** The issued credential with this SecretId (expired or not), if any. */
  find(secretId: string): IssuedCredential | undefined {
    return this.#issued.get(secretId);
  }
}

/** `credential` as Tencent answers temporary credentials: TmpSecretId, TmpSecretKey, Token, ExpiredTime, Expiration. */
export function answerMembers(credential: IssuedCredential): {
  TmpSecretId: string;
  TmpSecretKey: string;
  Token: string;
  ExpiredTime: number;
  Expiration: string;
} {
  return {
    TmpSecretId: credential.secretId,
    TmpSecretKey: credential.secretKey,
    Token: credential.token,
    ExpiredTime: credential.expiresAt / 1000,
    Expiration: new Date(credential.expiresAt).toISOString().replace(/\.000Z$/, "Z"),
  };
}

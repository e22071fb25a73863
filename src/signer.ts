/**
 * TC3-HMAC-SHA256 (Tencent Cloud API signature v3), as the current docs describe it.
 * Known-answer tests: test/unit/signer.test.ts with shared/reference/ccc/tc3-vectors.json.
 */
import * as crypto from "node:crypto";
import { createHash, createHmac } from "node:crypto";

export const ALGORITHM = "TC3-HMAC-SHA256";
/** What the SDK signs: the current docs' three headers, so the action cannot be swapped in flight. */
export const SIGNED_HEADERS = "content-type;host;x-tc-action";

/** One-shot `crypto.hash` (Node ≥ 20.12) is about twice as fast as `createHash` for small inputs. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex") => string }).hash;

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot("sha256", data, "hex") : createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Uint8Array, data: string): Uint8Array {
  return createHmac("sha256", key).update(data).digest();
}

let lastDay = NaN;
let lastDate = "";

/** UTC date `YYYY-MM-DD` of a UNIX timestamp in seconds (remembered for the current day). */
export function utcDate(timestamp: number): string {
  const day = Math.floor(timestamp / 86_400);
  if (day !== lastDay) {
    lastDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
    lastDay = day;
  }
  return lastDate;
}

export interface CanonicalInput {
  readonly host: string;
  readonly contentType: string;
  readonly action: string;
  readonly payload: string;
  /** `sha256Hex(payload)`, when the caller has it already (a body signed on every attempt is hashed once). */
  readonly payloadHash?: string;
  /** Default `content-type;host;x-tc-action`; `content-type;host` reproduces the older docs. */
  readonly signedHeaders?: string;
  /** More headers to sign (an app's `X-TC-*` headers), by lower-case name; they join SignedHeaders in order. */
  readonly extraHeaders?: Readonly<Record<string, string>> | undefined;
}

/** SignedHeaders of `input`: the base list, and its extra headers, sorted as TC3 requires. */
export function signedHeaderNames(input: CanonicalInput): string {
  const base = input.signedHeaders ?? SIGNED_HEADERS;
  if (!input.extraHeaders) return base;
  return [...new Set([...base.split(";"), ...Object.keys(input.extraHeaders)])].sort().join(";");
}

export function canonicalRequest(input: CanonicalInput): string {
  const signed = signedHeaderNames(input);
  const values: Record<string, string> = {
    ...input.extraHeaders,
    "content-type": input.contentType,
    host: input.host,
    "x-tc-action": input.action,
  };
  let headers = "";
  for (const name of signed.split(";")) {
    const value = values[name];
    if (value === undefined) throw new Error(`canonicalRequest: cannot sign header ${name}`);
    headers += `${name}:${value.trim().toLowerCase()}\n`;
  }
  return `POST\n/\n\n${headers}\n${signed}\n${input.payloadHash ?? sha256Hex(input.payload)}`;
}

export function stringToSign(timestamp: number, service: string, hashedCanonicalRequest: string): string {
  return `${ALGORITHM}\n${timestamp}\n${utcDate(timestamp)}/${service}/tc3_request\n${hashedCanonicalRequest}`;
}

/** SecretDate → SecretService → SecretSigning, returned with the intermediate keys for tests. */
export function deriveSigningKey(
  secretKey: string,
  date: string,
  service: string,
): { secretDate: Uint8Array; secretService: Uint8Array; secretSigning: Uint8Array } {
  const secretDate = hmac(`TC3${secretKey}`, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, "tc3_request");
  return { secretDate, secretService, secretSigning };
}

export interface SignInput extends CanonicalInput {
  readonly secretId: string;
  readonly secretKey: string;
  readonly service: string;
  /** UNIX seconds. */
  readonly timestamp: number;
}

/**
 * Signs requests, caching the derived key per (SecretKey, UTC date, service): the three HMACs of the key chain
 * are most of the cost of a signature. The cache is private and holds at most a few entries.
 */
export class Tc3Signer {
  #cache = new Map<string, Uint8Array>();
  // The key of the last signature, compared by value: the common case (one key, one day) skips the map.
  #lastKey: Uint8Array | undefined;
  #lastSecret = "";
  #lastDate = "";
  #lastService = "";

  signingKey(secretKey: string, date: string, service: string): Uint8Array {
    if (this.#lastKey && secretKey === this.#lastSecret && date === this.#lastDate && service === this.#lastService)
      return this.#lastKey;
    const id = `${date}\n${service}\n${secretKey}`;
    let key = this.#cache.get(id);
    if (!key) {
      if (this.#cache.size >= 16) this.#cache.clear();
      key = deriveSigningKey(secretKey, date, service).secretSigning;
      this.#cache.set(id, key);
    }
    this.#lastKey = key;
    this.#lastSecret = secretKey;
    this.#lastDate = date;
    this.#lastService = service;
    return key;
  }

  /** Returns the `Authorization` header value. */
  authorization(input: SignInput): string {
    const signed = signedHeaderNames(input);
    const date = utcDate(input.timestamp);
    const toSign = stringToSign(input.timestamp, input.service, sha256Hex(canonicalRequest(input)));
    const signature = createHmac("sha256", this.signingKey(input.secretKey, date, input.service))
      .update(toSign)
      .digest("hex");
    return `${ALGORITHM} Credential=${input.secretId}/${date}/${input.service}/tc3_request, SignedHeaders=${signed}, Signature=${signature}`;
  }

  get [Symbol.toStringTag](): string {
    return "Tc3Signer";
  }
}

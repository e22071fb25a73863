/**
 * The emulator's own check of Tencent Cloud's TC3-HMAC-SHA256 signature (API 3.0, "signature v3"), written from
 * the published algorithm. It deliberately shares nothing with the SDK's signer (src/signer.ts): the emulator is
 * what the SDK's signing is tested against, so a mistake in one must not hide in the other.
 *
 *   CanonicalRequest = "POST\n/\n\n" + CanonicalHeaders + "\n" + SignedHeaders + "\n" + hex(sha256(body))
 *                      (CanonicalHeaders: "name:value\n" per signed header, value trimmed and lower-cased)
 *   StringToSign     = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date/service/tc3_request + "\n"
 *                      + hex(sha256(CanonicalRequest))
 *   Signature        = hex(HMAC(HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request"), StringToSign))
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";
const TERMINATOR = "tc3_request";

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The UTC calendar day (`YYYY-MM-DD`) of a Unix time in seconds. */
export function utcDay(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

/**
 * The canonical request of a `POST /` without query string. `headers` maps lower-case names to the values as
 * received; `signedHeaders` are the names in the order the Authorization lists them.
 */
export function canonicalRequest(
  headers: Readonly<Record<string, string | undefined>>,
  signedHeaders: readonly string[],
  payload: Uint8Array | string,
): string {
  const block = signedHeaders.map((name) => `${name}:${(headers[name] ?? "").trim().toLowerCase()}\n`).join("");
  return ["POST", "/", "", block, signedHeaders.join(";"), sha256Hex(payload)].join("\n");
}

/**
 * `canonical` (a canonical request of `canonicalRequest`) with each CanonicalHeaders line's value replaced by
 * `map(name, value)`; the rest, the SignedHeaders line and the payload hash included, is kept as is.
 */
export function mapCanonicalHeaders(canonical: string, map: (name: string, value: string) => string): string {
  const lines = canonical.split("\n");
  // POST, /, the empty query string, one line per header, the block's closing empty line, SignedHeaders, hash.
  for (let i = 3; i < lines.length - 3; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    lines[i] = `${line.slice(0, colon)}:${map(line.slice(0, colon), line.slice(colon + 1))}`;
  }
  return lines.join("\n");
}

export function stringToSign(timestamp: number, date: string, service: string, canonical: string): string {
  return [TC3_ALGORITHM, String(timestamp), `${date}/${service}/${TERMINATOR}`, sha256Hex(canonical)].join("\n");
}

/** Lower-case hex signature of `toSign` with the key derived from `secretKey`, `date` and `service`. */
export function signature(secretKey: string, date: string, service: string, toSign: string): string {
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), TERMINATOR);
  return createHmac("sha256", signingKey).update(toSign, "utf8").digest("hex");
}

/** Constant-time comparison of two signatures; false when their lengths differ. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ParsedAuthorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

// The published shape, exactly: one space after the algorithm, ", " between the parts, 64 lower-case hex digits.
const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request, SignedHeaders=([^,\s]+), Signature=([0-9a-f]{64})$/;
const HEADER_NAME = /^[a-z0-9-]+$/;

/** Parses an Authorization value; a string explains what is wrong with a malformed one. */
export function parseAuthorization(value: string | undefined): ParsedAuthorization | string {
  if (!value) return "The request is missing the `Authorization` header.";
  const m = AUTHORIZATION.exec(value);
  if (!m)
    return "Authorization must look like `TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/<service>/tc3_request, SignedHeaders=<a;b>, Signature=<64 lower-case hex digits>`.";
  const [, secretId, date, service, signed, sig] = m as unknown as [string, string, string, string, string, string];
  const names = signed.split(";");
  if (names.some((n) => !HEADER_NAME.test(n)))
    return `SignedHeaders \`${signed}\` must be lower-case header names separated by ';'.`;
  return { secretId, date, service, signedHeaders: names, signature: sig };
}

/** The Authorization value with its signature replaced by `***` (the whole value when it has no signature part). */
export function redactAuthorization(value: string): string {
  const redacted = value.replace(/(Signature=)[^,\s]*/gi, "$1***");
  return redacted === value && !/Signature=\*\*\*/i.test(value) ? "***" : redacted;
}

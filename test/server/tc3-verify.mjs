// Independent implementation of Tencent Cloud's TC3-HMAC-SHA256 request
// signature (API 3.0 "signature v3"), used by the CCC test server to verify
// what clients send. Deliberately written from the published algorithm and
// NOT shared with the SDK under src/, so a bug in one cannot hide in the other.
//
// Algorithm (POST with JSON body, as used by the SDK):
//   CanonicalRequest = "POST\n" + "/\n" + "\n"            (method, URI, empty query)
//                    + CanonicalHeaders + "\n"             (each "name:value\n")
//                    + SignedHeaders + "\n"
//                    + hex(sha256(body bytes))
//   StringToSign     = "TC3-HMAC-SHA256\n" + timestamp + "\n"
//                    + date + "/" + service + "/tc3_request\n"
//                    + hex(sha256(CanonicalRequest))
//   kDate    = HMAC("TC3" + secretKey, date)
//   kService = HMAC(kDate, service)
//   kSigning = HMAC(kService, "tc3_request")
//   Signature = hex(HMAC(kSigning, StringToSign))

import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const ALGORITHM = "TC3-HMAC-SHA256";
export const TERMINATOR = "tc3_request";

/** Lowercase hex SHA-256 of a string (UTF-8) or raw bytes. */
export function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}

/** HMAC-SHA256 returning raw bytes (keys of the derivation chain are binary). */
export function hmacSha256(key, data) {
  return createHmac("sha256", key).update(data).digest();
}

/** UTC calendar date (YYYY-MM-DD) of a Unix timestamp in seconds. */
export function utcDate(timestampSeconds) {
  return new Date(Number(timestampSeconds) * 1000).toISOString().slice(0, 10);
}

/**
 * Canonical header block: for every signed header name (already lowercase and
 * in ascending order) "name:value\n", value trimmed and lowercased.
 * `headers` maps lowercase header names to received values.
 */
export function canonicalHeaders(headers, signedHeaderNames) {
  let out = "";
  for (const name of signedHeaderNames) {
    const value = headers[name] ?? "";
    out += `${name}:${String(value).trim().toLowerCase()}\n`;
  }
  return out;
}

/**
 * Build the canonical request.
 * @param {object} p
 * @param {Record<string,string>} p.headers lowercase name -> value
 * @param {string[]|string} p.signedHeaders names, or the "a;b;c" form
 * @param {string|Buffer|Uint8Array} p.payload raw body bytes (strings are UTF-8)
 * @param {string} [p.method="POST"]
 * @param {string} [p.uri="/"]
 * @param {string} [p.query=""]
 * @returns {{ canonicalHeaders: string, signedHeaders: string, hashedRequestPayload: string, canonicalRequest: string }}
 */
export function buildCanonicalRequest({ headers, signedHeaders, payload, method = "POST", uri = "/", query = "" }) {
  const names = typeof signedHeaders === "string" ? signedHeaders.split(";") : [...signedHeaders];
  const signed = names.join(";");
  const ch = canonicalHeaders(headers, names);
  const hashedRequestPayload = sha256Hex(payload);
  const canonicalRequest = `${method}\n${uri}\n${query}\n${ch}\n${signed}\n${hashedRequestPayload}`;
  return { canonicalHeaders: ch, signedHeaders: signed, hashedRequestPayload, canonicalRequest };
}

export function credentialScope(date, service) {
  return `${date}/${service}/${TERMINATOR}`;
}

export function buildStringToSign({ timestamp, date, service, canonicalRequest }) {
  const hashedCanonicalRequest = sha256Hex(canonicalRequest);
  const scope = credentialScope(date, service);
  return {
    hashedCanonicalRequest,
    credentialScope: scope,
    stringToSign: `${ALGORITHM}\n${timestamp}\n${scope}\n${hashedCanonicalRequest}`,
  };
}

/** Key derivation chain; every step returned (as Buffers) for inspection. */
export function deriveSigningKey(secretKey, date, service) {
  const secretDate = hmacSha256(`TC3${secretKey}`, date);
  const secretService = hmacSha256(secretDate, service);
  const secretSigning = hmacSha256(secretService, TERMINATOR);
  return { secretDate, secretService, secretSigning };
}

export function computeSignature(secretKey, date, service, stringToSign) {
  const { secretSigning } = deriveSigningKey(secretKey, date, service);
  return createHmac("sha256", secretSigning).update(stringToSign).digest("hex");
}

/**
 * Full computation with every intermediate value.
 * @param {object} p
 * @param {string} p.secretKey
 * @param {string} p.service
 * @param {number|string} p.timestamp seconds
 * @param {string} [p.date] defaults to the UTC date of timestamp
 * @param {Record<string,string>} p.headers lowercase name -> value
 * @param {string[]|string} p.signedHeaders
 * @param {string|Buffer|Uint8Array} p.payload
 */
export function sign({ secretKey, service, timestamp, date = utcDate(timestamp), headers, signedHeaders, payload }) {
  const cr = buildCanonicalRequest({ headers, signedHeaders, payload });
  const sts = buildStringToSign({ timestamp, date, service, canonicalRequest: cr.canonicalRequest });
  const keys = deriveSigningKey(secretKey, date, service);
  const signature = createHmac("sha256", keys.secretSigning).update(sts.stringToSign).digest("hex");
  return {
    ...cr,
    ...sts,
    date,
    secretDate: keys.secretDate.toString("hex"),
    secretService: keys.secretService.toString("hex"),
    secretSigning: keys.secretSigning.toString("hex"),
    signature,
  };
}

/** The Authorization header value for the given parts. */
export function formatAuthorization({ secretId, date, service, signedHeaders, signature }) {
  const signed = Array.isArray(signedHeaders) ? signedHeaders.join(";") : signedHeaders;
  return `${ALGORITHM} Credential=${secretId}/${credentialScope(date, service)}, SignedHeaders=${signed}, Signature=${signature}`;
}

// Exact published shape; anything else (extra spaces, other order, uppercase
// hex, missing parts) is rejected as malformed.
const AUTHORIZATION_RE =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request, SignedHeaders=([^,\s]+), Signature=([0-9a-f]{64})$/;
const HEADER_NAME_RE = /^[a-z0-9-]+$/;

/**
 * Parse an Authorization header. Returns `{ ok: true, secretId, date, service,
 * signedHeaders: string[], signature }` or `{ ok: false, reason }` (reason is a
 * human-readable explanation of what is malformed).
 */
export function parseAuthorization(value) {
  if (typeof value !== "string" || value.length === 0) return { ok: false, reason: "Authorization header is empty" };
  const m = AUTHORIZATION_RE.exec(value);
  if (!m) {
    return {
      ok: false,
      reason:
        "Authorization must look like `TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/<service>/tc3_request, SignedHeaders=<a;b>, Signature=<64 lowercase hex>`",
    };
  }
  const [, secretId, date, service, signed, signature] = m;
  const names = signed.split(";");
  if (names.some((n) => !HEADER_NAME_RE.test(n))) {
    return { ok: false, reason: `SignedHeaders \`${signed}\` must be lowercase header names separated by ';'` };
  }
  return { ok: true, secretId, date, service, signedHeaders: names, signature };
}

/** Constant-time comparison of two hex signatures (false on length mismatch). */
export function signaturesEqual(a, b) {
  const x = Buffer.from(String(a), "utf8");
  const y = Buffer.from(String(b), "utf8");
  if (x.length !== y.length) return false;
  return timingSafeEqual(x, y);
}

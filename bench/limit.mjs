/**
 * The "limit" participant: what any correct client must do per call and nothing else, so that the bench can say
 * how far ours is from the floor rather than only from the official SDK.
 *
 * Per call: JSON.stringify the input, TC3-HMAC-SHA256 (sha256 of the body, canonical request, string to sign, one
 * HMAC with a signing key derived once per UTC day), the Authorization and X-TC-* headers, one POST over a
 * keep-alive node:http Agent (maxSockets 64, like ours), the answer read fully and JSON.parsed. No validation, no
 * retries, no timeouts, no typed errors: everything ours adds on top is what the ours/limit ratio prices.
 *
 * Used by worker.mjs (kind `limit`) and by run.mjs, which checks this signer against ours before measuring.
 */
import * as crypto from "node:crypto";
import http from "node:http";

const ALGORITHM = "TC3-HMAC-SHA256";
/** As Tencent Cloud's API explorer sends it; signed with the host only, the minimum TC3 allows. */
export const LIMIT_CONTENT_TYPE = "application/json; charset=utf-8";
export const LIMIT_SIGNED_HEADERS = "content-type;host";

// One-shot `crypto.hash` (Node ≥ 20.12) is the fastest sha256 Node has for small inputs: the limit uses the best
// primitive available, as ours does.
const sha256Hex = crypto.hash
  ? (data) => crypto.hash("sha256", data, "hex")
  : (data) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => crypto.createHmac("sha256", key).update(data);

/** TC3-HMAC-SHA256 for one secret and service; the signing key is derived once per UTC date. */
export class LimitSigner {
  #secretId;
  #secretKey;
  #service;
  #day = Number.NaN;
  /** `YYYY-MM-DD/service/tc3_request` of #day. */
  #scope = "";
  #key;

  constructor({ secretId, secretKey, service }) {
    this.#secretId = secretId;
    this.#secretKey = secretKey;
    this.#service = service;
  }

  /** The Authorization header of `POST /` with `body` to `host` (lower case) at `timestamp` (UNIX seconds). */
  authorization(host, body, timestamp) {
    this.#useDay(Math.floor(timestamp / 86_400));
    const canonical = `POST\n/\n\ncontent-type:${LIMIT_CONTENT_TYPE}\nhost:${host}\n\n${LIMIT_SIGNED_HEADERS}\n${sha256Hex(body)}`;
    const toSign = `${ALGORITHM}\n${timestamp}\n${this.#scope}\n${sha256Hex(canonical)}`;
    const signature = hmac(this.#key, toSign).digest("hex");
    return `${ALGORITHM} Credential=${this.#secretId}/${this.#scope}, SignedHeaders=${LIMIT_SIGNED_HEADERS}, Signature=${signature}`;
  }

  /** kDate → kService → kSigning, only when the UTC day changes. */
  #useDay(day) {
    if (day === this.#day) return;
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    const kDate = hmac(`TC3${this.#secretKey}`, date).digest();
    const kService = hmac(kDate, this.#service).digest();
    this.#key = hmac(kService, "tc3_request").digest();
    this.#scope = `${date}/${this.#service}/tc3_request`;
    this.#day = day;
  }
}

/** A function that calls `action` with `input` on the stub at 127.0.0.1:`port` and resolves to `Response`. */
export function limitCaller({ port, secretId, secretKey, action, version, input }) {
  const host = `127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const signer = new LimitSigner({ secretId, secretKey, service: "ccc" });
  return () => {
    const body = JSON.stringify(input);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      "Content-Type": LIMIT_CONTENT_TYPE,
      // Set, not left to node:http, so that the host sent is visibly the host signed.
      Host: host,
      "Content-Length": Buffer.byteLength(body),
      "X-TC-Action": action,
      "X-TC-Version": version,
      "X-TC-Timestamp": String(timestamp),
      Authorization: signer.authorization(host, body, timestamp),
    };
    return post({ agent, port, headers, body });
  };
}

function post({ agent, port, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/", agent, headers }, (res) => {
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("error", reject);
      res.on("end", () => {
        try {
          resolve(responseOf(res.statusCode, text));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** `Response` of a TC3 answer; an error status or `Response.Error` is a failure (a correct client must see it). */
function responseOf(status, text) {
  const response = JSON.parse(text).Response;
  if (status !== 200 || response === undefined || response.Error !== undefined)
    throw new Error(`limit: HTTP ${status}: ${text.slice(0, 200)}`);
  return response;
}

/**
 * `--dry-run`: the client's `fetch` option replaced by one that keeps the final, signed request and answers a
 * synthetic success, so validation, credentials and signing all run and nothing leaves the process.
 */
import { bodyText } from "../fetch-path.js";
import type { FetchLike } from "../transport.js";

export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  /** Header names as the SDK set them (lower-case), in the order of `Headers` (sorted). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface Capture {
  readonly fetch: FetchLike;
  /** The last request the client would have sent. */
  readonly request: () => CapturedRequest | undefined;
}

export const DRY_RUN_REQUEST_ID = "dry-run";

export function captureFetch(): Capture {
  let captured: CapturedRequest | undefined;
  const fetch: FetchLike = async (request) => {
    const headers: [string, string][] = [];
    request.headers.forEach((value, name) => {
      headers.push([name, value]);
    });
    captured = { method: request.method, url: request.url, headers, body: await bodyText(request) };
    return new Response(JSON.stringify({ Response: { RequestId: DRY_RUN_REQUEST_ID } }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetch, request: () => captured };
}

/** `x-tc-action` → `X-TC-Action`, `content-type` → `Content-Type`. */
function headerName(name: string): string {
  return name
    .split("-")
    .map((part) => (part === "tc" || part === "x" ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join("-");
}

const SECRET_HEADER = /token|secret|signature|password|cookie/i;

/** A header's value as printed: the signature and any token as `***`; the SecretId in the credential scope stays. */
export function redactHeader(name: string, value: string): string {
  if (name.toLowerCase() === "authorization") {
    if (/Signature=/i.test(value)) return value.replace(/Signature=[^,\s]*/gi, "Signature=***");
    return "***";
  }
  return SECRET_HEADER.test(name) ? "***" : value;
}

/** The request as HTTP/1.1 text: `POST / HTTP/1.1`, Host, the headers, Content-Length, a blank line, the body. */
export function formatRequest(request: CapturedRequest): string {
  const url = new URL(request.url);
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of request.headers) {
    if (name === "host" || name === "content-length") continue;
    lines.push(`${headerName(name)}: ${redactHeader(name, value)}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(request.body)}`, "", request.body);
  return `${lines.join("\n")}\n`;
}

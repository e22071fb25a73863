/**
 * A test-local TC3 signer and HTTP client for raw requests to the emulator (written here from the published
 * algorithm: neither the SDK's signer nor the emulator's check), and small helpers. Only 127.0.0.1 is contacted.
 */
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { expect } from "vitest";
import type { RecordedRequest } from "../../src/emulator/index.js";

export interface Credential {
  secretId: string;
  secretKey: string;
  token?: string;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const VALID_DISABLE = { Disabled: 1, PhoneNumbers: ["008612345678901"], SdkAppId: 1400000000 };

const sha256 = (d: string | Buffer) => createHash("sha256").update(d).digest("hex");
const hmac = (k: string | Buffer, d: string) => createHmac("sha256", k).update(d).digest();

function signatureOf(secretKey: string, date: string, service: string, toSign: string): string {
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request");
  return createHmac("sha256", key).update(toSign).digest("hex");
}

export interface CallOptions {
  credential: Credential;
  action?: string;
  /** Object bodies are JSON-encoded; strings are sent verbatim. */
  body?: unknown;
  /** Token header to send; defaults to credential.token. null = don't send. */
  token?: string | null;
  timestamp?: number;
  date?: string;
  service?: string;
  version?: string;
  contentType?: string;
  signedHeaders?: string[];
  /** Body actually sent (after signing), to simulate tampering. */
  sentBody?: string | Buffer;
  /** Header names (lowercase) to drop after signing. */
  omit?: string[];
  /** Headers (lowercase names) to set after signing. */
  afterSigning?: Record<string, string>;
  /** Replaces the computed Authorization header. */
  authorization?: string;
  agent?: http.Agent | false;
  timeoutMs?: number;
}

export interface CallResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  reusedSocket: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: an answer of any shape, read by the test that expects it
  json(): any;
}

/** A signed `POST /` built by hand: every header and the signature can be bent. */
export function call(port: number, o: CallOptions): Promise<CallResult> {
  const { headers, body } = signedRequest(port, o);
  return rawRequest(port, {
    method: "POST",
    path: "/",
    headers,
    body,
    agent: o.agent ?? false,
    timeoutMs: o.timeoutMs,
  });
}

/** The headers (lower-case names) and body that `call` sends to `port`: signed by hand, then bent as `o` says. */
export function signedRequest(port: number, o: CallOptions): { headers: Record<string, string>; body: Buffer } {
  const cred = o.credential;
  const action = o.action ?? "DisableCCCPhoneNumber";
  const payload = typeof o.body === "string" ? o.body : JSON.stringify(o.body ?? VALID_DISABLE);
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const date = o.date ?? new Date(timestamp * 1000).toISOString().slice(0, 10);
  const service = o.service ?? "ccc";
  const headers: Record<string, string> = {
    "content-type": o.contentType ?? "application/json; charset=utf-8",
    host: `127.0.0.1:${port}`,
    "x-tc-action": action,
    "x-tc-version": o.version ?? "2020-02-10",
    "x-tc-timestamp": String(timestamp),
    "x-tc-region": "ap-guangzhou",
  };
  const token = o.token === undefined ? cred.token : o.token;
  if (token != null) headers["x-tc-token"] = token;
  const signed = o.signedHeaders ?? ["content-type", "host", "x-tc-action"];
  const canonical = `POST\n/\n\n${signed.map((n) => `${n}:${(headers[n] ?? "").trim().toLowerCase()}\n`).join("")}\n${signed.join(";")}\n${sha256(payload)}`;
  const scope = `${date}/${service}/tc3_request`;
  const signature = signatureOf(
    cred.secretKey,
    date,
    service,
    `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`,
  );
  headers.authorization =
    o.authorization ??
    `TC3-HMAC-SHA256 Credential=${cred.secretId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  for (const n of o.omit ?? []) delete headers[n];
  Object.assign(headers, o.afterSigning);
  const body = Buffer.from(o.sentBody ?? payload);
  headers["content-length"] = String(body.length);
  return { headers, body };
}

/**
 * A request signed the way tencentcloud-sdk-nodejs (src/common/sign.ts, http_connection.ts) signs one: the body is
 * `JSON.stringify(data)`, the headers are `Content-Type: application/json`, `Host` (with the port), `X-TC-Action`,
 * `X-TC-Region`, `X-TC-Timestamp`, `X-TC-Version`, `X-TC-RequestClient` and `Authorization`, and the signature
 * covers only `content-type;host`, with the host name **without** the port (`urlObj.hostname`). With
 * `signHostWithPort`, the host is signed as sent instead.
 */
export function callLikeTencentNodeSdk(
  port: number,
  o: { credential: Credential; action: string; data: unknown; signHostWithPort?: boolean },
): Promise<CallResult> {
  const url = new URL(`http://127.0.0.1:${port}/`);
  const payload = JSON.stringify(o.data);
  const timestamp = Math.floor(Date.now() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const contentType = "application/json";
  const signedHost = o.signHostWithPort ? url.host : url.hostname;
  const canonical = `POST\n${url.pathname}\n\ncontent-type:${contentType}\nhost:${signedHost}\n\ncontent-type;host\n${sha256(payload)}`;
  const scope = `${date}/ccc/tc3_request`;
  const signature = signatureOf(
    o.credential.secretKey,
    date,
    "ccc",
    `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`,
  );
  const headers: Record<string, string> = {
    Host: url.host,
    "X-TC-Action": o.action,
    "X-TC-Region": "ap-guangzhou",
    "X-TC-Timestamp": String(timestamp),
    "X-TC-Version": "2020-02-10",
    "X-TC-RequestClient": "SDK_NODEJS_4.1.0",
    "Content-Type": contentType,
    Authorization: `TC3-HMAC-SHA256 Credential=${o.credential.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
  };
  const body = Buffer.from(payload);
  headers["Content-Length"] = String(body.length);
  return rawRequest(port, { method: "POST", path: "/", headers, body });
}

export function rawRequest(
  port: number,
  o: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer;
    agent?: http.Agent | false;
    timeoutMs?: number | undefined;
  },
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: o.method, path: o.path, headers: o.headers, agent: o.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("close", () => {
          if (!res.complete) reject(new Error("response incomplete: connection closed mid-body"));
        });
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            reusedSocket: req.reusedSocket,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.setTimeout(o.timeoutMs ?? 10_000, () => req.destroy(new Error("client timeout")));
    req.on("error", reject);
    req.end(o.body);
  });
}

/** Asserts a Tencent error envelope (HTTP 200, JSON, fresh RequestId) with `code`; returns the parsed body. */
export async function expectError(p: Promise<CallResult>, code: string, messagePart?: string | RegExp) {
  const r = await p;
  expect(r.status).toBe(200);
  expect(r.headers["content-type"]).toMatch(/^application\/json/);
  expect(r.headers.date).toBeDefined();
  const json = r.json();
  expect(json.Response.Error, r.text).toBeDefined();
  expect(json.Response.Error.Code, r.text).toBe(code);
  expect(json.Response.RequestId).toMatch(UUID_RE);
  if (messagePart !== undefined) {
    if (typeof messagePart === "string") expect(json.Response.Error.Message).toContain(messagePart);
    else expect(json.Response.Error.Message).toMatch(messagePart);
  }
  return json;
}

/** Asserts a successful answer; returns its `Response`. */
export async function expectOk(p: Promise<CallResult>) {
  const r = await p;
  expect(r.status).toBe(200);
  const json = r.json();
  expect(json.Response.Error, r.text).toBeUndefined();
  expect(json.Response.RequestId).toMatch(UUID_RE);
  return json.Response as Record<string, unknown>;
}

/** The first record (asserting there is one). */
export function first(recs: readonly RecordedRequest[]): RecordedRequest {
  const r = recs[0];
  if (!r) throw new Error("no request was recorded");
  return r;
}

/** Polls `fn` until it returns a value, for at most `timeoutMs`. */
export function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
}

/** Whether a TCP connection to 127.0.0.1:port is accepted (bounded: 2 s). */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
    s.on("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

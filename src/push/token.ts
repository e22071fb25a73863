/**
 * An OAuth 2.0 token endpoint for CCC's third authentication mode (RFC 6749 §4.4, client credentials): CCC posts
 * `grant_type=client_credentials` with the ClientID and ClientSecret set in its console, by HTTP Basic or as form
 * fields (§2.3.1), and gets a bearer token it then sends with each push; `verify` is the push handler's check of it.
 *
 * Tokens are stateless: `<client>.<expiry>.<nonce>.<HMAC-SHA256>` under a key made at random for this endpoint, so
 * nothing is stored, and they are valid only in the process that issued them (pass `signingKey` to share them
 * between instances) and until `ttlSeconds` pass or the client is no longer listed.
 */
import { boundedText } from "./body.js";
import type { RequestHandler } from "./handler.js";
import { basicCredentials, ExpectedSecret } from "./secret.js";

export interface TokenClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TokenEndpointOptions {
  /** The clients that may get tokens: the ClientID and ClientSecret set in CCC's console. */
  readonly clients: readonly TokenClient[];
  /** How long a token is valid, seconds (default 3600, at most 86 400). */
  readonly ttlSeconds?: number;
  /** The HMAC key tokens are signed with (at least 32 bytes); default a random one, so only this process accepts them. */
  readonly signingKey?: Uint8Array;
  /** The clock, ms (for tests; default `Date.now`). */
  readonly now?: () => number;
}

export interface TokenEndpoint {
  /** Serves the token URL: `POST` with a form body. */
  readonly handle: RequestHandler;
  /** Whether `token` is one this endpoint issued, unexpired, to a client still listed: the push handler's bearer check. */
  readonly verify: (token: string) => Promise<boolean>;
}

const MAX_TOKEN_REQUEST_BYTES = 8 * 1024;
const MAX_TOKEN_LENGTH = 1024;
const DEFAULT_TTL_SECONDS = 3600;
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** `application/x-www-form-urlencoded` decoding of a Basic credential's parts (RFC 6749 §2.3.1). */
function formDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function checkClients(clients: readonly TokenClient[]): Map<string, ExpectedSecret> {
  if (!Array.isArray(clients) || clients.length === 0)
    throw new TypeError("clients must be a non-empty list of { clientId, clientSecret }");
  const out = new Map<string, ExpectedSecret>();
  clients.forEach((c, i) => {
    if (c === null || typeof c !== "object") throw new TypeError(`clients[${i}] must be { clientId, clientSecret }`);
    if (typeof c.clientId !== "string" || c.clientId === "")
      throw new TypeError(`clients[${i}].clientId must be a non-empty string`);
    if (typeof c.clientSecret !== "string" || c.clientSecret === "")
      throw new TypeError(`clients[${i}].clientSecret must be a non-empty string`);
    if (out.has(c.clientId)) throw new TypeError(`clients[${i}].clientId is listed twice`);
    out.set(c.clientId, new ExpectedSecret(c.clientSecret));
  });
  return out;
}

function checkTtl(ttl: number | undefined): number {
  const n = ttl ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(n) || n < 1 || n > 86_400)
    throw new TypeError(`ttlSeconds must be a whole number from 1 to 86400, got ${String(ttl)}`);
  return n;
}

/** A JSON answer of the token endpoint, never cached (RFC 6749 §5.1). */
function tokenResponse(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      ...headers,
    },
  });
}

/** An error answer of RFC 6749 §5.2. */
function oauthError(status: number, error: string, description: string, headers?: Record<string, string>): Response {
  return tokenResponse(status, { error, error_description: description }, headers);
}

const INVALID_CLIENT_HEADERS = { "WWW-Authenticate": 'Basic realm="ccc-push-token", charset="UTF-8"' };

/** The token endpoint for `options.clients`; a wrong option is a TypeError that never repeats a secret. */
export function createTokenEndpoint(options: TokenEndpointOptions): TokenEndpoint {
  if (options === null || typeof options !== "object") throw new TypeError("options must be { clients, ttlSeconds? }");
  const clients = checkClients(options.clients);
  const ttlSeconds = checkTtl(options.ttlSeconds);
  const now = options.now ?? Date.now;
  const given = options.signingKey;
  if (given !== undefined && (!(given instanceof Uint8Array) || given.byteLength < 32))
    throw new TypeError("signingKey must be a Uint8Array of at least 32 bytes");
  const keyBytes = given ? Uint8Array.from(given) : crypto.getRandomValues(new Uint8Array(32));
  const key = crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  // For unknown client IDs: compared all the same, so the time taken does not tell which IDs exist.
  const nobody = new ExpectedSecret(base64url(crypto.getRandomValues(new Uint8Array(32))));

  const sign = async (payload: string) =>
    base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await key, encoder.encode(payload))));

  const issue = async (clientId: string): Promise<Response> => {
    const expires = Math.floor(now() / 1000) + ttlSeconds;
    const payload = `${base64url(encoder.encode(clientId))}.${expires}.${base64url(crypto.getRandomValues(new Uint8Array(16)))}`;
    return tokenResponse(200, {
      access_token: `${payload}.${await sign(payload)}`,
      token_type: "Bearer",
      expires_in: ttlSeconds,
    });
  };

  const verify = async (token: string): Promise<boolean> => {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return false;
    const parts = token.split(".");
    if (parts.length !== 4 || !/^\d{1,12}$/.test(parts[1]!)) return false;
    const [client, expires, nonce, mac] = parts as [string, string, string, string];
    let macBytes: Uint8Array;
    let clientId: string;
    try {
      const bin = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
      macBytes = bin(mac);
      clientId = new TextDecoder("utf-8", { fatal: true }).decode(bin(client));
    } catch {
      return false;
    }
    const genuine = await crypto.subtle.verify(
      "HMAC",
      await key,
      macBytes,
      encoder.encode(`${client}.${expires}.${nonce}`),
    );
    return genuine && Number(expires) * 1000 > now() && clients.has(clientId);
  };

  /** The client's ID and secret from Basic or from the form, or the error answer (§2.3: one method only). */
  const clientOf = (request: Request, form: URLSearchParams): { id: string; secret: string } | Response => {
    const authorization = request.headers.get("authorization");
    const fromForm = form.has("client_id") || form.has("client_secret");
    if (authorization !== null) {
      if (fromForm)
        return oauthError(400, "invalid_request", "authenticate the client by Basic or by form fields, not both");
      const basic = basicCredentials(authorization);
      const id = basic && formDecoded(basic.user);
      const secret = basic && formDecoded(basic.password);
      if (id === undefined || secret === undefined)
        return oauthError(401, "invalid_client", "the Authorization header is not HTTP Basic", INVALID_CLIENT_HEADERS);
      return { id, secret };
    }
    const id = form.get("client_id");
    const secret = form.get("client_secret");
    if (id === null || secret === null)
      return oauthError(
        401,
        "invalid_client",
        "no client credentials: send client_id and client_secret, or Basic",
        INVALID_CLIENT_HEADERS,
      );
    return { id, secret };
  };

  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== "POST")
      return oauthError(405, "invalid_request", `the token endpoint takes POST, got ${request.method}`, {
        Allow: "POST",
      });
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded")
      return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
    const text = await boundedText(request, MAX_TOKEN_REQUEST_BYTES);
    if (text === undefined)
      return oauthError(413, "invalid_request", `the body must be at most ${MAX_TOKEN_REQUEST_BYTES} bytes`);
    const form = new URLSearchParams(text);
    const grant = form.get("grant_type");
    if (grant === null) return oauthError(400, "invalid_request", "grant_type is missing");
    if (grant !== "client_credentials")
      return oauthError(400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
    const client = clientOf(request, form);
    if (client instanceof Response) return client;
    const expected = clients.get(client.id);
    const matches = await (expected ?? nobody).matches(client.secret);
    if (!expected || !matches)
      return oauthError(401, "invalid_client", "unknown client or wrong client secret", INVALID_CLIENT_HEADERS);
    return issue(client.id);
  };

  return { handle: Object.assign(handle, { maxBodyBytes: MAX_TOKEN_REQUEST_BYTES }), verify };
}

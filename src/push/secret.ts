/**
 * Comparing a credential with the one expected without telling an attacker, by the time it takes, how much of it
 * was right: both are hashed (SHA-256, so their lengths no longer matter) and the digests compared in full.
 * WebCrypto, so the push handler runs wherever `Request` does (Node, Deno, Bun, workers).
 */

const encoder = new TextEncoder();

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Whether two digests of the same length are equal, looking at every byte whatever the first difference. */
export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0);
  return diff === 0;
}

/** A secret held for comparisons: only its digest, computed once, in a private field (`util.inspect` shows none). */
export class ExpectedSecret {
  readonly #digest: Promise<Uint8Array>;

  constructor(secret: string) {
    this.#digest = sha256(secret);
  }

  async matches(given: string): Promise<boolean> {
    const [expected, actual] = await Promise.all([this.#digest, sha256(given)]);
    return sameDigest(expected, actual);
  }
}

/**
 * The user and password of `Authorization: Basic <base64>` (RFC 7617: UTF-8, the user is what comes before the
 * first colon), or undefined when the header is not that.
 */
export function basicCredentials(authorization: string | null): { user: string; password: string } | undefined {
  const m = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(authorization ?? "");
  if (!m) return undefined;
  let text: string;
  try {
    const binary = atob(m[1]!);
    text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), or undefined. */
export function bearerToken(authorization: string | null): string | undefined {
  const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i.exec(authorization ?? "");
  return m ? m[1] : undefined;
}

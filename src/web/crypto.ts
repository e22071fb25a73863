/**
 * `node:crypto` for web-standard runtimes (browsers, workerd without `nodejs_compat`), as much of it as the signer
 * uses: SHA-256 and HMAC-SHA256, synchronous, from @noble/hashes (audited, a few KB when bundled; Web Crypto's
 * digests are asynchronous and would make every signature wait a turn). The web build (codegen/build-dist.ts)
 * puts this module where the signer imports node:crypto.
 */
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();
const bytes = (data: string | Uint8Array) => (typeof data === "string" ? encoder.encode(data) : data);
const hex = (digest: Uint8Array) => Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");

interface Digest {
  update(data: string | Uint8Array): Digest;
  digest(): Uint8Array;
  digest(encoding: "hex"): string;
}

function digestOf(finish: (data: Uint8Array) => Uint8Array): Digest {
  const parts: Uint8Array[] = [];
  const self = {
    update(data: string | Uint8Array) {
      parts.push(bytes(data));
      return self;
    },
    digest(encoding?: "hex") {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      const out = finish(all);
      return encoding === "hex" ? hex(out) : out;
    },
  };
  return self as Digest;
}

function only(algorithm: string): void {
  if (algorithm !== "sha256") throw new Error(`ccc-sdk's web build has SHA-256 only, not ${algorithm}`);
}

export function createHash(algorithm: string): Digest {
  only(algorithm);
  return digestOf((data) => sha256(data));
}

export function createHmac(algorithm: string, key: string | Uint8Array): Digest {
  only(algorithm);
  return digestOf((data) => nobleHmac(sha256, bytes(key), data));
}

/** Node's one-shot `crypto.hash`: absent here, so the signer uses `createHash`. */
export const hash: undefined = undefined;

// Known-answer tests of test/server/tc3-verify.mjs, the independent TC3 reference the SDK's signer is
// property-tested against (test/unit/signer-property.test.ts), with Tencent's published vectors.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { reference } from "../support/paths.js";

// tc3-verify.mjs is plain JavaScript without declarations; it is loaded through
// a non-literal specifier and typed here so the test type-checks under any
// tsconfig (allowJs or not).
interface Tc3Result {
  date: string;
  canonicalHeaders: string;
  signedHeaders: string;
  hashedRequestPayload: string;
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  credentialScope: string;
  stringToSign: string;
  secretDate: string;
  secretService: string;
  secretSigning: string;
  signature: string;
}
interface Tc3Module {
  sign(p: {
    secretKey: string;
    service: string;
    timestamp: number;
    headers: Record<string, string>;
    signedHeaders: string | string[];
    payload: string;
  }): Tc3Result;
  utcDate(timestamp: number): string;
  computeSignature(secretKey: string, date: string, service: string, stringToSign: string): string;
  formatAuthorization(p: {
    secretId: string;
    date: string;
    service: string;
    signedHeaders: string | string[];
    signature: string;
  }): string;
  parseAuthorization(value: string): { ok: boolean; [k: string]: unknown };
  signaturesEqual(a: string, b: string): boolean;
}
const TC3_MODULE_URL = new URL("./tc3-verify.mjs", import.meta.url).href;
const tc3 = (await import(TC3_MODULE_URL)) as Tc3Module;
const VECTORS = JSON.parse(readFileSync(reference("ccc", "tc3-vectors.json"), "utf8"));

// ---------------------------------------------------------------------------
// TC3 known-answer tests

describe("tc3-verify known-answer vectors", () => {
  it("reproduces every intermediate value of the current (3 signed headers) vector", () => {
    const v = VECTORS.current;
    const headers = { "content-type": v.contentType, host: v.host, "x-tc-action": v.action };
    const r = tc3.sign({
      secretKey: v.secretKey,
      service: v.service,
      timestamp: v.timestamp,
      headers,
      signedHeaders: v.signedHeaders,
      payload: v.payload,
    });
    expect(v.secretKey).toBe("*".repeat(32));
    expect(tc3.utcDate(v.timestamp)).toBe(v.date);
    expect(r.date).toBe(v.date);
    expect(r.canonicalHeaders).toBe(v.canonicalHeaders);
    expect(r.signedHeaders).toBe(v.signedHeaders);
    expect(r.hashedRequestPayload).toBe(v.hashedRequestPayload);
    expect(r.hashedRequestPayload).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    expect(r.canonicalRequest).toBe(v.canonicalRequest);
    expect(r.hashedCanonicalRequest).toBe(v.hashedCanonicalRequest);
    expect(r.hashedCanonicalRequest).toBe("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
    expect(r.credentialScope).toBe(v.credentialScope);
    expect(r.stringToSign).toBe(v.stringToSign);
    expect(r.secretDate).toBe(v.secretDate);
    expect(r.secretService).toBe(v.secretService);
    expect(r.secretSigning).toBe(v.secretSigning);
    expect(r.signature).toBe(v.signature);
    expect(r.signature).toBe("10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
    expect(tc3.computeSignature(v.secretKey, v.date, v.service, v.stringToSign)).toBe(v.signature);
    expect(
      tc3.formatAuthorization({
        secretId: v.secretId,
        date: v.date,
        service: v.service,
        signedHeaders: v.signedHeaders,
        signature: r.signature,
      }),
    ).toBe(v.authorization);
  });

  it("reproduces the legacy_en (2 signed headers) vector", () => {
    const v = VECTORS.legacy_en;
    const headers = { "content-type": "application/json; charset=utf-8", host: v.host };
    const r = tc3.sign({
      secretKey: v.secretKey,
      service: v.service,
      timestamp: v.timestamp,
      headers,
      signedHeaders: v.signedHeaders,
      payload: v.payload,
    });
    expect(v.secretKey).toBe("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
    expect(r.canonicalHeaders).toBe(v.canonicalHeaders);
    expect(r.hashedRequestPayload).toBe(v.hashedRequestPayload);
    expect(r.hashedCanonicalRequest).toBe(v.hashedCanonicalRequest);
    expect(r.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(r.signature).toBe(v.signature);
  });

  it("parses well-formed Authorization headers and rejects malformed ones", () => {
    const parsed = tc3.parseAuthorization(VECTORS.current.authorization);
    expect(parsed).toEqual({
      ok: true,
      secretId: VECTORS.current.secretId,
      date: "2019-02-25",
      service: "cvm",
      signedHeaders: ["content-type", "host", "x-tc-action"],
      signature: VECTORS.current.signature,
    });
    for (const bad of [
      "",
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request,SignedHeaders=content-type;host, Signature=" +
        "a".repeat(64),
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" +
        "A".repeat(64),
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=Content-Type;host, Signature=" +
        "a".repeat(64),
      "HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" +
        "a".repeat(64),
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" +
        "a".repeat(63),
    ]) {
      expect(tc3.parseAuthorization(bad).ok, bad).toBe(false);
    }
  });

  it("compares signatures correctly", () => {
    expect(tc3.signaturesEqual("ab".repeat(32), "ab".repeat(32))).toBe(true);
    expect(tc3.signaturesEqual("ab".repeat(32), "ac".repeat(32))).toBe(false);
    expect(tc3.signaturesEqual("ab", "abc")).toBe(false);
  });
});

/**
 * The emulator's own TC3 check (src/emulator/tc3.ts): Tencent's published vectors, agreement with the independent
 * reference test/server/tc3-verify.mjs over random inputs, Authorization parsing and redaction.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalRequest,
  parseAuthorization,
  redactAuthorization,
  sameSignature,
  signature,
  stringToSign,
  utcDay,
} from "../../src/emulator/tc3.js";
import { reference as referenceData } from "../support/paths.js";

interface Reference {
  sign(p: {
    secretKey: string;
    service: string;
    timestamp: number;
    headers: Record<string, string>;
    signedHeaders: string;
    payload: string;
  }): { signature: string; canonicalRequest: string; stringToSign: string; date: string };
}
const reference = (await import(new URL("../server/tc3-verify.mjs", import.meta.url).href)) as Reference;
const VECTORS = JSON.parse(readFileSync(referenceData("ccc", "tc3-vectors.json"), "utf8"));

describe("the emulator's TC3 check", () => {
  it("reproduces the current (3 signed headers) vector step by step", () => {
    const v = VECTORS.current;
    const headers = { "content-type": v.contentType, host: v.host, "x-tc-action": v.action };
    const canonical = canonicalRequest(headers, v.signedHeaders.split(";"), v.payload);
    expect(canonical).toBe(v.canonicalRequest);
    expect(utcDay(v.timestamp)).toBe(v.date);
    const toSign = stringToSign(v.timestamp, v.date, v.service, canonical);
    expect(toSign).toBe(v.stringToSign);
    expect(signature(v.secretKey, v.date, v.service, toSign)).toBe(v.signature);
    expect(parseAuthorization(v.authorization)).toEqual({
      secretId: v.secretId,
      date: v.date,
      service: v.service,
      signedHeaders: ["content-type", "host", "x-tc-action"],
      signature: v.signature,
    });
  });

  it("reproduces the legacy (content-type;host) vector", () => {
    const v = VECTORS.legacy_en;
    const headers = { "content-type": "application/json; charset=utf-8", host: v.host };
    const date = utcDay(v.timestamp);
    const canonical = canonicalRequest(headers, ["content-type", "host"], v.payload);
    expect(signature(v.secretKey, date, v.service, stringToSign(v.timestamp, date, v.service, canonical))).toBe(
      "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });

  it("agrees with the independent reference over random inputs", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 64 }),
        fc.oneof(fc.domain(), fc.constantFrom("127.0.0.1:8080", "ccc.tencentcloudapi.com")),
        fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,40}$/),
        fc.oneof(
          fc.jsonValue().map((j) => JSON.stringify(j)),
          fc.string({ unit: "grapheme", maxLength: 300 }),
        ),
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.constantFrom("content-type;host;x-tc-action", "content-type;host"),
        (secretKey, host, action, payload, timestamp, signed) => {
          const headers = { "content-type": "application/json", host, "x-tc-action": action };
          const ref = reference.sign({ secretKey, service: "ccc", timestamp, headers, signedHeaders: signed, payload });
          const canonical = canonicalRequest(headers, signed.split(";"), payload);
          expect(canonical).toBe(ref.canonicalRequest);
          const date = utcDay(timestamp);
          expect(date).toBe(ref.date);
          expect(signature(secretKey, date, "ccc", stringToSign(timestamp, date, "ccc", canonical))).toBe(
            ref.signature,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses malformed Authorization values with a reason", () => {
    const sig = "a".repeat(64);
    for (const bad of [
      undefined,
      "",
      `TC3-HMAC-SHA256 Credential=AKID/2019-02-25/ccc/tc3_request,SignedHeaders=content-type;host, Signature=${sig}`,
      `TC3-HMAC-SHA256 Credential=AKID/2019-02-25/ccc/tc3_request, SignedHeaders=content-type;host, Signature=${sig.toUpperCase()}`,
      `TC3-HMAC-SHA256 Credential=AKID/2019-02-25/ccc/tc3_request, SignedHeaders=Content-Type;host, Signature=${sig}`,
      `HMAC-SHA256 Credential=AKID/2019-02-25/ccc/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`,
      `TC3-HMAC-SHA256 Credential=AKID/2019-02-25/ccc/tc3_request, SignedHeaders=content-type;host, Signature=${sig.slice(1)}`,
    ])
      expect(typeof parseAuthorization(bad), String(bad)).toBe("string");
  });

  it("compares signatures in full and redacts them", () => {
    expect(sameSignature("ab".repeat(32), "ab".repeat(32))).toBe(true);
    expect(sameSignature("ab".repeat(32), "ac".repeat(32))).toBe(false);
    expect(sameSignature("ab", "abc")).toBe(false);
    const auth = `TC3-HMAC-SHA256 Credential=AKID/2019-02-25/ccc/tc3_request, SignedHeaders=content-type;host, Signature=${"f".repeat(64)}`;
    expect(redactAuthorization(auth)).toBe(
      "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/ccc/tc3_request, SignedHeaders=content-type;host, Signature=***",
    );
    expect(redactAuthorization("Bearer token-value")).toBe("***");
    expect(redactAuthorization("x Signature=abc, signature=def")).toBe("x Signature=***, signature=***");
  });
});

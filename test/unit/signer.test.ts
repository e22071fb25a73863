import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalRequest, deriveSigningKey, sha256Hex, stringToSign, Tc3Signer, utcDate } from "../../src/signer.js";
import { reference } from "../support/paths.js";

const vectors = JSON.parse(readFileSync(reference("ccc", "tc3-vectors.json"), "utf8"));

describe("TC3-HMAC-SHA256 published examples", () => {
  const v = vectors.current;
  it("reproduces every intermediate value of the current (3 signed headers) example", () => {
    expect(sha256Hex(v.payload)).toBe(v.hashedRequestPayload);
    const cr = canonicalRequest({ host: v.host, contentType: v.contentType, action: v.action, payload: v.payload });
    expect(cr).toBe(v.canonicalRequest);
    expect(sha256Hex(cr)).toBe(v.hashedCanonicalRequest);
    expect(utcDate(v.timestamp)).toBe(v.date);
    expect(stringToSign(v.timestamp, v.service, v.hashedCanonicalRequest)).toBe(v.stringToSign);
    const keys = deriveSigningKey(v.secretKey, v.date, v.service);
    expect(Buffer.from(keys.secretDate).toString("hex")).toBe(v.secretDate);
    expect(Buffer.from(keys.secretService).toString("hex")).toBe(v.secretService);
    expect(Buffer.from(keys.secretSigning).toString("hex")).toBe(v.secretSigning);
    const auth = new Tc3Signer().authorization({ ...v, payload: v.payload });
    expect(auth).toBe(v.authorization);
  });

  it("reproduces the legacy English example (2 signed headers)", () => {
    const l = vectors.legacy_en;
    const cr = canonicalRequest({
      host: l.host,
      contentType: "application/json; charset=utf-8",
      action: "DescribeInstances",
      payload: l.payload,
      signedHeaders: l.signedHeaders,
    });
    expect(sha256Hex(cr)).toBe(l.hashedCanonicalRequest);
    const auth = new Tc3Signer().authorization({
      secretId: l.secretId,
      secretKey: l.secretKey,
      service: l.service,
      host: l.host,
      action: "DescribeInstances",
      contentType: "application/json; charset=utf-8",
      payload: l.payload,
      timestamp: l.timestamp,
      signedHeaders: l.signedHeaders,
    });
    expect(auth).toContain(`Signature=${l.signature}`);
    expect(auth).toContain("SignedHeaders=content-type;host,");
  });

  it("uses the UTC date of the timestamp, not the local one (00:44 in UTC+8 is still the previous UTC day)", () => {
    expect(utcDate(1551113065)).toBe("2019-02-25");
    expect(utcDate(1551139200)).toBe("2019-02-26"); // 2019-02-26T00:00:00Z
    expect(utcDate(1551139199)).toBe("2019-02-25");
  });

  it("caches the derived key per (key, date, service) without changing signatures", () => {
    const signer = new Tc3Signer();
    const base = { ...vectors.current };
    const first = signer.authorization(base);
    const again = signer.authorization(base);
    expect(again).toBe(first);
    // Another day and another key give other signatures, not a stale cached key.
    const nextDay = signer.authorization({ ...base, timestamp: base.timestamp + 86400 });
    expect(nextDay).not.toBe(first);
    expect(nextDay).toContain("/2019-02-26/cvm/");
    const otherKey = signer.authorization({ ...base, secretKey: "other" });
    expect(otherKey.split("Signature=")[1]).not.toBe(first.split("Signature=")[1]);
    expect(signer.authorization(base)).toBe(first);
    // The signing key is the documented one.
    expect(Buffer.from(signer.signingKey(base.secretKey, base.date, base.service)).toString("hex")).toBe(
      base.secretSigning,
    );
  });

  it("lower-cases and trims header values and lower-cases the action", () => {
    const cr = canonicalRequest({
      host: " CCC.TencentCloudAPI.com ",
      contentType: "application/json",
      action: "DisableCCCPhoneNumber",
      payload: "{}",
    });
    expect(cr.split("\n").slice(3, 6)).toEqual([
      "content-type:application/json",
      "host:ccc.tencentcloudapi.com",
      "x-tc-action:disablecccphonenumber",
    ]);
  });
});

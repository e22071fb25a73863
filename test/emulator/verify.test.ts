/**
 * The emulator's request checks (src/emulator/verify.ts) on their own: no server and no wall clock, only the
 * credentials and the clock the verifier is given, and requests signed by the test-local signer (support.ts).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/emulator/api-error.js";
import { RequestVerifier } from "../../src/emulator/verify.js";
import { signedRequest, type CallOptions, type Credential } from "./support.js";

const CREDENTIAL = { secretId: "AKIDVERIFY0000000000000000000000", secretKey: "verify-secret-key" };
const TEMPORARY = { secretId: "AKIDTEMPORARY000000000000000000", secretKey: "temporary-key", token: "the-token" };
const T = 1_700_000_000; // seconds
const PAYLOAD = '{"SdkAppId":1400000000}';

/** A request as the verifier sees it (it reads only the headers), signed for `credential` at T, and its body. */
function request(credential: Credential, o: Partial<CallOptions> = {}): { req: IncomingMessage; body: Buffer } {
  const { headers, body } = signedRequest(8080, { credential, timestamp: T, body: PAYLOAD, ...o });
  return { req: { headers } as unknown as IncomingMessage, body };
}

function verifier(nowMs: number, maxSkewSeconds = 300): RequestVerifier {
  return new RequestVerifier({
    service: "ccc",
    credentials: [CREDENTIAL, TEMPORARY],
    maxSkewSeconds,
    now: () => nowMs,
  });
}

/** The code of the ApiError `verify` throws, or "ok". */
function outcome(v: RequestVerifier, { req, body }: { req: IncomingMessage; body: Buffer }): string {
  try {
    v.verify(req, body, {});
    return "ok";
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return e.code;
  }
}

describe("RequestVerifier", () => {
  it("accepts a correctly signed request and records the canonical request it compared", () => {
    const { req, body } = request(CREDENTIAL);
    const record: { canonicalRequest?: string } = {};
    verifier(T * 1000).verify(req, body, record);
    expect(record.canonicalRequest).toBe(
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:127.0.0.1:8080\nx-tc-action:disablecccphonenumber\n\n" +
        `content-type;host;x-tc-action\n${createHash("sha256").update(PAYLOAD).digest("hex")}`,
    );
  });

  it("judges the timestamp by the clock it was given, within maxSkewSeconds either way", () => {
    const signed = request(CREDENTIAL);
    expect(outcome(verifier((T + 300) * 1000), signed)).toBe("ok");
    expect(outcome(verifier((T - 300) * 1000), signed)).toBe("ok");
    expect(outcome(verifier((T + 301) * 1000), signed)).toBe("AuthFailure.SignatureExpire");
    expect(outcome(verifier((T + 10) * 1000, 5), signed)).toBe("AuthFailure.SignatureExpire");
  });

  it("knows only the credentials it was given, and holds each to its token", () => {
    const v = verifier(T * 1000);
    expect(outcome(v, request(TEMPORARY))).toBe("ok");
    expect(outcome(v, request({ ...CREDENTIAL, secretId: "AKIDUNKNOWN" }))).toBe("AuthFailure.SecretIdNotFound");
    expect(outcome(v, request(TEMPORARY, { token: null }))).toBe("AuthFailure.TokenFailure");
    expect(outcome(v, request(CREDENTIAL, { token: "stray" }))).toBe("AuthFailure.TokenFailure");
  });

  it("refuses a body other than the signed one, still recording the canonical request", () => {
    const { req } = request(CREDENTIAL);
    const record: { canonicalRequest?: string } = {};
    expect(() => verifier(T * 1000).verify(req, Buffer.from("{}"), record)).toThrow(
      expect.objectContaining({ code: "AuthFailure.SignatureFailure" }),
    );
    expect(record.canonicalRequest).toMatch(/^POST\n\/\n\ncontent-type:application\/json; charset=utf-8\n/);
  });

  it("checks the headers before the credential, and the credential before the clock", () => {
    const late = verifier((T + 3600) * 1000);
    expect(outcome(late, request({ ...CREDENTIAL, secretId: "AKIDUNKNOWN" }))).toBe("AuthFailure.SecretIdNotFound");
    const unversioned = request({ ...CREDENTIAL, secretId: "AKIDUNKNOWN" }, { omit: ["x-tc-version"] });
    expect(outcome(late, unversioned)).toBe("MissingParameter");
  });
});

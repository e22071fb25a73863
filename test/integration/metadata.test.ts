/**
 * Call metadata (issue 14): `client.x(input).withMetadata()` resolves to the result with what the call took
 * (attempts, the time waited between them, duration, HTTP status, the answer's headers, the RequestId), while
 * awaiting the call itself still gives the result alone; a failed call's error carries `attempts` and `durationMs`.
 * Against the verifying test server, with faults it injects.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CccBareClient,
  CccClient,
  CccError,
  CccValidationError,
  DisableCCCPhoneNumberCommand,
} from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };
const backoff = { baseMs: 5, maxMs: 20 };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
});

const client = (options: ConstructorParameters<typeof CccClient>[0] = {}) =>
  new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, backoff, ...options });

describe("call metadata", () => {
  it("after a retried call: two attempts, the wait between them, the status and headers of the answer", async () => {
    await server.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "RequestLimitExceeded" });
    const c = client();
    const { data, metadata } = await c.disableCCCPhoneNumber(input).withMetadata();
    expect(data.RequestId).toHaveLength(36);
    expect(metadata.requestId).toBe(data.RequestId);
    expect(metadata.attempts).toBe(2);
    expect(metadata.totalRetryDelayMs).toBeGreaterThanOrEqual(0);
    expect(metadata.totalRetryDelayMs).toBeLessThanOrEqual(backoff.maxMs);
    expect(metadata.durationMs).toBeGreaterThanOrEqual(metadata.totalRetryDelayMs);
    expect(metadata.httpStatus).toBe(200);
    expect(metadata.headers["content-type"]).toMatch(/^application\/json/);
    expect(Object.isFrozen(metadata)).toBe(true);
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["fault:error", "ok"]);
    await c.close();
  });

  it("leaves what the call resolves to unchanged, and works on CccBareClient.send", async () => {
    const c = client();
    const plain = await c.disableCCCPhoneNumber(input);
    expect(Object.keys(plain)).toEqual(["RequestId"]);
    const bare = new CccBareClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL });
    const { metadata } = await bare.send(DisableCCCPhoneNumberCommand, input).withMetadata();
    expect(metadata.attempts).toBe(1);
    expect(metadata.totalRetryDelayMs).toBe(0);
    await Promise.all([c.close(), bare.close()]);
  });

  it("puts attempts and durationMs on the error of a failed call, withMetadata rejecting with it", async () => {
    for (let i = 0; i < 3; i++)
      await server.inject({ type: "error", action: "DisableCCCPhoneNumber", code: "RequestLimitExceeded" });
    const c = client({ maxRetries: 2 });
    const error = await c
      .disableCCCPhoneNumber(input)
      .withMetadata()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(CccError);
    expect((error as CccError).attempts).toBe(3);
    expect((error as CccError).durationMs).toBeGreaterThan(0);
    // Refused before sending: no attempt made.
    const invalid = await c.disableCCCPhoneNumber({ ...input, Disabled: 3 as 1 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(CccValidationError);
    expect((invalid as CccValidationError).attempts).toBe(0);
    await c.close();
  });
});

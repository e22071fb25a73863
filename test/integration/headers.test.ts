/**
 * An app's own headers (the `headers` option of the client and of a call), against the verifying test server: they
 * arrive, a call's win over the client's, the `X-TC-*` ones are in SignedHeaders and the server checks them, on
 * the direct path and through openapi-fetch; the headers the SDK writes cannot be set, and nothing is then sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CccClient, CccConfigError } from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };

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
  new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0, ...options });

describe("the headers option", () => {
  it("sends the client's and the call's headers, the call's winning, and signs the X-TC-* ones", async () => {
    const c = client({ headers: { "X-TC-TraceId": "client-trace", "X-Team": "billing" } });
    await c.disableCCCPhoneNumber(input);
    await c.disableCCCPhoneNumber(input, { headers: { "x-tc-traceid": "call-trace", "X-Request-Tag": "a1" } });
    const [first, second] = await server.requests();
    expect(first!.outcome).toBe("ok");
    expect(first!.headers["x-tc-traceid"]).toBe("client-trace");
    expect(first!.headers["x-team"]).toBe("billing");
    expect(first!.signedHeaders).toEqual(["content-type", "host", "x-tc-action", "x-tc-traceid"]);
    expect(second!.outcome).toBe("ok");
    expect(second!.headers["x-tc-traceid"]).toBe("call-trace");
    expect(second!.headers["x-request-tag"]).toBe("a1");
    expect(second!.headers["x-team"]).toBe("billing");
    await c.close();
  });

  it("signs them through openapi-fetch too (middleware installed)", async () => {
    const c = client({ headers: { "X-TC-TraceId": "via-fetch" } });
    c.use({ onRequest: ({ request }: { request: Request }) => request });
    await c.disableCCCPhoneNumber(input);
    const [seen] = await server.requests();
    expect(seen!.outcome).toBe("ok");
    expect(seen!.signedHeaders).toContain("x-tc-traceid");
    expect(seen!.headers["x-tc-traceid"]).toBe("via-fetch");
    await c.close();
  });

  it("refuses the headers the SDK writes, and bad names or values, naming them, before anything is sent", async () => {
    for (const name of ["Authorization", "x-tc-action", "Content-Type", "Host", "X-TC-Timestamp", "Content-Length"])
      expect(() => client({ headers: { [name]: "x" } })).toThrow(
        new RegExp(`headers: ${name} is set by the SDK itself`),
      );
    expect(() => client({ headers: { "Bad Name": "x" } })).toThrow(/"Bad Name" is not a header name/);
    expect(() => client({ headers: { "X-Trace": "a\r\nInjected: 1" } })).toThrow(/X-Trace contains a line break/);
    expect(() => client({ headers: { "X-A": "1", "x-a": "2" } })).toThrow(/X-A|x-a/);
    const c = client();
    await expect(c.disableCCCPhoneNumber(input, { headers: { "X-TC-Version": "2017-03-12" } })).rejects.toThrow(
      CccConfigError,
    );
    await expect(c.disableCCCPhoneNumber(input, { headers: { "X-Num": 1 as unknown as string } })).rejects.toThrow(
      /options\.headers: X-Num must be a string/,
    );
    expect(await server.requests()).toEqual([]);
    await c.close();
  });
});

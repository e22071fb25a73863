/**
 * A custom `fetch` from undici's npm package (its own Request class, not Node's global one) sends the same verified
 * request as the default transport: it used to see "[object Request]" as the URL and fail every call.
 */
import { fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CccClient, type FetchLike } from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe("undici's fetch as the client's fetch", () => {
  it("calls an action, signed and validated by the server, with and without middleware", async () => {
    const client = new CccClient({
      endpoint: server.url,
      credentials: DEFAULT_CREDENTIAL,
      maxRetries: 0,
      fetch: undiciFetch as unknown as FetchLike,
    });
    const first = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
    // Through a middleware too (the openapi-fetch path), which adds a header.
    client.use({
      onRequest: ({ request }: { request: Request }) => {
        request.headers.set("X-Trace-Id", "trace-1");
        return request;
      },
    });
    const second = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 0 });
    await client.close();
    expect([first.RequestId, second.RequestId].every(Boolean)).toBe(true);
    const seen = await server.requests();
    expect(seen[1]!.headers["x-trace-id"]).toBe("trace-1");
    expect(seen.map((r) => [r.outcome, r.body])).toEqual([
      ["ok", '{"PhoneNumbers":["008602112345678"],"Disabled":1}'],
      ["ok", '{"PhoneNumbers":["008602112345678"],"Disabled":0}'],
    ]);
  });
});

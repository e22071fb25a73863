/**
 * The fetch path (openapi-fetch, for a `fetch` option and `use()` middleware) is the `CccClient`'s by default and
 * a `CccBareClient`'s only when given (`fetchPath`), so that an app bundling the bare client carries nothing of
 * openapi-fetch unless it asks (test/package/import-cost.test.ts checks the bundle).
 */
import { describe, expect, it } from "vitest";
import {
  CccBareClient,
  CccClient,
  CccConfigError,
  DisableCCCPhoneNumberCommand,
  type FetchLike,
  fetchPath,
} from "../../src/index.js";

const credentials = { secretId: "AKIDUNIT", secretKey: "unit-key" };
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };
const answer: FetchLike = async () =>
  new Response('{"Response":{"RequestId":"req-1"}}', { headers: { "content-type": "application/json" } });
const middleware = { onRequest: ({ request }: { request: Request }) => request };

describe("the fetch path", () => {
  it("a CccBareClient refuses a fetch option or middleware without it, saying what to import", () => {
    expect(() => new CccBareClient({ credentials, fetch: answer })).toThrow(CccConfigError);
    expect(() => new CccBareClient({ credentials, fetch: answer })).toThrow(/import \{ fetchPath \} from "ccc-sdk"/);
    const bare = new CccBareClient({ credentials });
    expect(() => bare.use(middleware)).toThrow(/middleware runs through openapi-fetch/);
    // Nothing to add is nothing refused.
    expect(() => bare.use()).not.toThrow();
  });

  it("a CccBareClient given fetchPath calls through the fetch, with middleware", async () => {
    const seen: string[] = [];
    const bare = new CccBareClient({ credentials, fetch: answer, fetchPath, maxRetries: 0 });
    bare.use({ onRequest: ({ request }: { request: Request }) => void seen.push(request.headers.get("X-TC-Action")!) });
    await expect(bare.send(DisableCCCPhoneNumberCommand, input)).resolves.toEqual({ RequestId: "req-1" });
    expect(seen).toEqual(["DisableCCCPhoneNumber"]);
  });

  it("a CccClient has it without being given it", async () => {
    const client = new CccClient({ credentials, fetch: answer, maxRetries: 0 });
    client.use(middleware);
    await expect(client.disableCCCPhoneNumber(input)).resolves.toEqual({ RequestId: "req-1" });
    expect(() => new CccClient({ credentials, fetchPath: "yes" as never })).toThrow(/fetchPath must be/);
  });
});

/**
 * `client.call(action, input)` (issue 14): any action by name, signed and sent like the rest; the members the spec
 * knows validated, others sent as given; an action the spec lacks sent too. Against the verifying test server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CccClient, CccConfigError, CccError, CccValidationError } from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 };

let server: TestServer;
let client: CccClient;
beforeAll(async () => {
  server = await startTestServer();
  client = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0 });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});
beforeEach(async () => {
  await server.reset();
});

describe("client.call", () => {
  it("calls an action of the spec by name and resolves to its Response members", async () => {
    const result = await client.call("DisableCCCPhoneNumber", input);
    expect(result.RequestId).toEqual(expect.any(String));
    const [seen] = await server.requests();
    expect(seen).toMatchObject({ action: "DisableCCCPhoneNumber", outcome: "ok" });
  });

  it("still validates the members the spec knows, and sends nothing then", async () => {
    await expect(client.call("DisableCCCPhoneNumber", { ...input, Disabled: 7 })).rejects.toThrow(CccValidationError);
    expect(await server.requests()).toEqual([]);
  });

  it("sends members the spec lacks as given, signed", async () => {
    await client
      .call("DisableCCCPhoneNumber", { ...input, NewerMember: { Nested: [1, "two"] } })
      .catch(() => undefined);
    const [seen] = await server.requests();
    expect(JSON.parse(seen!.body)).toMatchObject({ NewerMember: { Nested: [1, "two"] } });
    expect(seen!.outcome).not.toBe("AuthFailure.SignatureFailure");
    expect(seen!.secretId).toBe(DEFAULT_CREDENTIAL.secretId);
  });

  it("sends an action the spec does not have, once (never replayed), and reads the API's answer", async () => {
    const error = await client.call("DescribeSomethingNewer", { Limit: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccError);
    const seen = await server.requests();
    expect(seen.map((r) => r.action)).toEqual(["DescribeSomethingNewer"]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ Limit: 10 });
  });

  it("refuses what is not an action name", () => {
    for (const bad of ["", "describeTelCdr", "Describe Tel", "X\r\nY"])
      expect(() => client.call(bad, {})).toThrow(CccConfigError);
  });
});

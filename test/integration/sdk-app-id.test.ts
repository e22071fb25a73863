/**
 * A client default `sdkAppId` (issue 14): sent for every action that has an `SdkAppId` member when the call leaves
 * it out, a call's own winning, never added to an action without the member; a bad value is refused at
 * construction. Against the verifying test server, which checks each body against the spec.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CccClient, CccConfigError } from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";

const detail = [{ CallType: 2 as const, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }];

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

describe("the sdkAppId option", () => {
  it("fills in SdkAppId where a call leaves it out, lets a call's own win, and adds it nowhere else", async () => {
    const c = new CccClient({
      endpoint: server.url,
      credentials: DEFAULT_CREDENTIAL,
      maxRetries: 0,
      sdkAppId: 1400000001,
    });
    await c.modifyOwnNumberApply({ ApplyId: 1, DetailList: detail });
    await c.modifyOwnNumberApply({ SdkAppId: 1400000002, ApplyId: 1, DetailList: detail });
    await c.describeCompanyList({ PageSize: 10, PageNumber: 0 });
    const [filled, own, without] = (await server.requests()).map((r) => ({
      outcome: r.outcome,
      body: JSON.parse(r.body),
    }));
    expect(filled).toMatchObject({ outcome: "ok", body: { SdkAppId: 1400000001, ApplyId: 1 } });
    expect(own).toMatchObject({ outcome: "ok", body: { SdkAppId: 1400000002 } });
    expect(without!.outcome).toBe("ok");
    expect(without!.body).not.toHaveProperty("SdkAppId");
    await c.close();
  });

  it("sends a bigint default exactly", async () => {
    const c = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, sdkAppId: 1400000003n });
    await c.modifyOwnNumberApply({ ApplyId: 1, DetailList: detail });
    const [seen] = await server.requests();
    expect(seen!.body).toContain('"SdkAppId":1400000003');
    await c.close();
  });

  it("is refused at construction unless a positive whole number", () => {
    for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, "1400000000", 0n])
      expect(() => new CccClient({ credentials: DEFAULT_CREDENTIAL, sdkAppId: bad as number })).toThrow(
        /sdkAppId must be a positive whole number/,
      );
    expect(() => new CccClient({ credentials: DEFAULT_CREDENTIAL, sdkAppId: 0 })).toThrow(CccConfigError);
  });
});

/** Credential sources through the client against the independent test server. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CccClient, type CccError, type Credentials } from "../../src/index.js";
import { startTestServer, type TestServer } from "../server/harness.js";
import { NO_METADATA_ENDPOINT } from "../support/metadata.js";

const A = { secretId: "AKIDTEMPA000000000000000000000000000", secretKey: "temp-key-a", token: "token-a" };
const B = { secretId: "AKIDTEMPB000000000000000000000000000", secretKey: "temp-key-b", token: "token-b" };
const P = { secretId: "AKIDPROFILE0000000000000000000000000", secretKey: "profile-key" };
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };

let server: TestServer;
let tmp: string;
const clients: CccClient[] = [];
function client(options: ConstructorParameters<typeof CccClient>[0]) {
  const c = new CccClient({ endpoint: server.url, rateLimit: false, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startTestServer({ credentials: [A, B, P] });
  tmp = await mkdtemp(path.join(os.tmpdir(), "ccc-credentials-"));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  await server.reset();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("an async provider with expiring credentials", () => {
  it("is refreshed before the credentials run out, mid-run, with one provider call for concurrent callers", async () => {
    const issued: { id: string; expiresAt: number }[] = [];
    const provider = async (): Promise<Credentials> => {
      await new Promise((r) => setTimeout(r, 20)); // an STS round trip
      const next = issued.length === 0 ? A : B;
      const expiresAt = Date.now() + (issued.length === 0 ? 1_500 : 3_600_000);
      issued.push({ id: next.secretId, expiresAt });
      return { ...next, expiresAt };
    };
    const c = client({ credentials: provider });
    // 20 concurrent first calls share one provider call.
    await Promise.all(Array.from({ length: 20 }, () => c.disableCCCPhoneNumber(input)));
    expect(issued).toHaveLength(1);
    // Then one call every 100 ms for 2.5 s: A expires after 1.5 s and is replaced before that.
    for (let i = 0; i < 25; i++) {
      await c.disableCCCPhoneNumber(input);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seen = await server.requests();
    expect(seen).toHaveLength(45);
    expect(seen.every((r) => r.outcome === "ok")).toBe(true);
    expect(issued.map((i) => i.id)).toEqual([A.secretId, B.secretId]);
    const ids = seen.map((r) => r.secretId);
    const firstB = ids.indexOf(B.secretId);
    expect(firstB).toBeGreaterThan(20);
    expect(ids.slice(firstB).every((id) => id === B.secretId)).toBe(true);
    // No request went out with A after A had expired.
    expect(seen.filter((r) => r.secretId === A.secretId).every((r) => r.receivedAt < issued[0]!.expiresAt)).toBe(true);
    // The token of each credential went with it.
    expect(seen.every((r) => r.headers["x-tc-token"] === "***")).toBe(true);
  }, 30_000);

  it("asks the provider again after the API refuses the token (AuthFailure.TokenFailure)", async () => {
    let calls = 0;
    const c = client({
      credentials: () => {
        calls++;
        return calls === 1 ? { ...B, token: "revoked" } : B;
      },
      maxRetries: 0,
    });
    const err = await c.disableCCCPhoneNumber(input).catch((e: unknown) => e);
    expect((err as CccError).code).toBe("AuthFailure.TokenFailure");
    await expect(c.disableCCCPhoneNumber(input)).resolves.toHaveProperty("RequestId");
    expect(calls).toBe(2);
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["AuthFailure.TokenFailure", "ok"]);
  });
});

describe("the default chain", () => {
  it("reads a named profile of the credentials file", async () => {
    const file = path.join(tmp, "credentials");
    await writeFile(
      file,
      `[default]\nsecret_id = AKIDWRONG\nsecret_key = wrong\n\n[prod]\nsecret_id = ${P.secretId}\nsecret_key = ${P.secretKey}\n`,
    );
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", "");
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", "");
    vi.stubEnv("TENCENTCLOUD_CREDENTIALS_FILE", file);
    await expect(client({ profile: "prod" }).disableCCCPhoneNumber(input)).resolves.toHaveProperty("RequestId");
    vi.stubEnv("TENCENTCLOUD_PROFILE", "prod");
    await expect(client({}).disableCCCPhoneNumber(input)).resolves.toHaveProperty("RequestId");
    expect((await server.requests()).map((r) => [r.secretId, r.outcome])).toEqual([
      [P.secretId, "ok"],
      [P.secretId, "ok"],
    ]);
  });

  it("prefers the environment variables to the file", async () => {
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", A.secretId);
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", A.secretKey);
    vi.stubEnv("TENCENTCLOUD_SESSION_TOKEN", A.token);
    vi.stubEnv("TENCENTCLOUD_CREDENTIALS_FILE", path.join(tmp, "credentials"));
    await expect(client({}).disableCCCPhoneNumber(input)).resolves.toHaveProperty("RequestId");
    expect((await server.requests())[0]!.secretId).toBe(A.secretId);
  });

  it("names every place it looked when there are no credentials, and sends nothing", async () => {
    vi.stubEnv("TENCENTCLOUD_SECRET_ID", "");
    vi.stubEnv("TENCENTCLOUD_SECRET_KEY", "");
    vi.stubEnv("TENCENTCLOUD_CREDENTIALS_FILE", path.join(tmp, "missing"));
    vi.stubEnv("TENCENTCLOUD_METADATA_ENDPOINT", NO_METADATA_ENDPOINT);
    const err = (await client({})
      .disableCCCPhoneNumber(input)
      .catch((e: unknown) => e)) as Error;
    expect(err.name).toBe("CccConfigError");
    expect(err.message).toContain("TENCENTCLOUD_SECRET_ID");
    expect(err.message).toContain(path.join(tmp, "missing"));
    expect(err.message).toContain(`the CVM instance metadata at ${NO_METADATA_ENDPOINT} (could not be reached`);
    expect(await server.requests()).toHaveLength(0);
  });
});

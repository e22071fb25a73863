/**
 * The emulator's STS (2018-08-13 `AssumeRole`, `AssumeRoleWithWebIdentity`) and CVM instance metadata, driven by
 * raw requests signed by the test's own signer (test/emulator/support.ts): what they answer, that the temporary
 * credentials they issue are accepted for CCC calls with their token until they expire, and that the records
 * keep no secret.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CREDENTIAL, DEMO_WEB_IDENTITY, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { call, type Credential, expectError, rawRequest, UUID_RE } from "./support.js";

const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/ccc-operator";
const ASSUME = { RoleArn: ROLE_ARN, RoleSessionName: "emulator-test" };
const WEB = {
  ProviderId: DEMO_WEB_IDENTITY.providerId,
  WebIdentityToken: DEMO_WEB_IDENTITY.token,
  RoleArn: ROLE_ARN,
  RoleSessionName: "oidc-test",
};
const METADATA = "/latest/meta-data/cam/security-credentials/";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ instanceRole: "ccc-instance-role" });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.reset();
});

/** A signed STS call (service `sts`, version 2018-08-13) from `credential`. */
function sts(action: string, body: unknown, credential: Credential = DEMO_CREDENTIAL, extra: object = {}) {
  return call(emulator.port, { credential, action, body, service: "sts", version: "2018-08-13", ...extra });
}

/** An unsigned `AssumeRoleWithWebIdentity`, as Tencent's SDKs send it (`Authorization: SKIP`, no token). */
function webIdentity(body: unknown = WEB, authorization = "SKIP") {
  return call(emulator.port, {
    credential: DEMO_CREDENTIAL,
    action: "AssumeRoleWithWebIdentity",
    body,
    service: "sts",
    version: "2018-08-13",
    authorization,
  });
}

/** The temporary credential of a successful STS answer. */
function issued(json: {
  Response: { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string } };
}): Credential {
  const c = json.Response.Credentials;
  return { secretId: c.TmpSecretId, secretKey: c.TmpSecretKey, token: c.Token };
}

function get(path: string, method = "GET") {
  return rawRequest(emulator.port, { method, path, headers: { host: `127.0.0.1:${emulator.port}` } });
}

describe("AssumeRole", () => {
  it("answers temporary credentials for DurationSeconds (default 7200), ExpiredTime and Expiration agreeing", async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await sts("AssumeRole", { ...ASSUME, DurationSeconds: 900 });
    expect(r.status).toBe(200);
    const answer = r.json().Response;
    expect(Object.keys(answer).sort()).toEqual(["Credentials", "Expiration", "ExpiredTime", "RequestId"]);
    expect(answer.RequestId).toMatch(UUID_RE);
    expect(Object.keys(answer.Credentials).sort()).toEqual(["TmpSecretId", "TmpSecretKey", "Token"]);
    expect(answer.ExpiredTime).toBeGreaterThanOrEqual(before + 899);
    expect(answer.ExpiredTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 900);
    expect(Date.parse(answer.Expiration)).toBe(answer.ExpiredTime * 1000);
    const defaulted = (await sts("AssumeRole", ASSUME)).json().Response;
    expect(defaulted.ExpiredTime - Math.floor(Date.now() / 1000)).toBeGreaterThan(7190);
    expect(defaulted.Credentials.TmpSecretId).not.toBe(answer.Credentials.TmpSecretId);
  });

  it("checks the TC3 signature for service sts, like every call", async () => {
    await expectError(sts("AssumeRole", ASSUME, DEMO_CREDENTIAL, { service: "ccc" }), "AuthFailure.SignatureFailure");
    await expectError(
      sts("AssumeRole", ASSUME, { secretId: "AKIDUNKNOWN", secretKey: "x" }),
      "AuthFailure.SecretIdNotFound",
    );
    await expectError(
      sts("AssumeRole", ASSUME, { ...DEMO_CREDENTIAL, secretKey: "not-the-key" }),
      "AuthFailure.SignatureFailure",
    );
    await expectError(
      sts("AssumeRole", ASSUME, DEMO_CREDENTIAL, { authorization: "SKIP" }),
      "AuthFailure.InvalidAuthorization",
    );
  });

  it("checks the action and the body against the action's members", async () => {
    await expectError(sts("AssumeRole", { RoleArn: ROLE_ARN }), "MissingParameter", /RoleSessionName/);
    await expectError(sts("AssumeRole", { ...ASSUME, Nope: 1 }), "UnknownParameter", /Nope/);
    await expectError(sts("AssumeRole", { ...ASSUME, DurationSeconds: 43_201 }), "InvalidParameterValue");
    await expectError(sts("AssumeRole", { ...ASSUME, RoleSessionName: "x" }), "InvalidParameterValue");
    await expectError(sts("GetFederationToken", {}), "InvalidAction");
  });

  it("issues credentials the emulator accepts for CCC calls with their token, and only with it", async () => {
    const role = issued((await sts("AssumeRole", ASSUME)).json());
    const ok = await call(emulator.port, { credential: role });
    expect(ok.json().Response.Error).toBeUndefined();
    await expectError(call(emulator.port, { credential: role, token: null }), "AuthFailure.TokenFailure");
    await expectError(call(emulator.port, { credential: role, token: "another-token" }), "AuthFailure.TokenFailure");
    await expectError(
      call(emulator.port, { credential: { ...role, secretKey: "wrong" } }),
      "AuthFailure.SignatureFailure",
    );
    // Temporary credentials may assume a role in turn.
    expect((await sts("AssumeRole", ASSUME, role)).json().Response.Credentials).toBeDefined();
  });

  it("refuses them once they expired by its clock", async () => {
    const role = issued((await sts("AssumeRole", { ...ASSUME, DurationSeconds: 60 })).json());
    emulator.setClockOffset(61_000);
    await expectError(
      call(emulator.port, { credential: role, timestamp: Math.floor(Date.now() / 1000) + 61 }),
      "AuthFailure.TokenFailure",
      /expired/,
    );
  });

  it("records the call without a secret", async () => {
    await sts("AssumeRole", ASSUME, { ...DEMO_CREDENTIAL, token: "source-token-SECRET" });
    const [record] = emulator.requests();
    expect(record).toMatchObject({ action: "AssumeRole", secretId: DEMO_CREDENTIAL.secretId });
    expect(record!.headers["x-tc-token"]).toBe("***");
    expect(JSON.stringify(record)).not.toContain("source-token-SECRET");
  });
});

describe("AssumeRoleWithWebIdentity", () => {
  it("answers unsigned (Authorization: SKIP or none) for a known provider's token; the credentials work", async () => {
    const r = await webIdentity();
    const answer = r.json().Response;
    expect(answer.Error).toBeUndefined();
    expect(answer.ExpiredTime - Math.floor(Date.now() / 1000)).toBeGreaterThan(7190);
    const none = await call(emulator.port, {
      credential: DEMO_CREDENTIAL,
      action: "AssumeRoleWithWebIdentity",
      body: { ...WEB, DurationSeconds: 600 },
      version: "2018-08-13",
      omit: ["authorization"],
    });
    expect(none.json().Response.ExpiredTime - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
    expect((await call(emulator.port, { credential: issued(r.json()) })).json().Response.Error).toBeUndefined();
  });

  it("refuses an unknown token or provider without echoing the token", async () => {
    const wrong = await expectError(
      webIdentity({ ...WEB, WebIdentityToken: "wrong-token-SECRET" }),
      "InvalidParameter.WebIdentityTokenError",
    );
    expect(JSON.stringify(wrong)).not.toContain("wrong-token-SECRET");
    await expectError(webIdentity({ ...WEB, ProviderId: "other" }), "InvalidParameter.WebIdentityTokenError");
    await expectError(webIdentity({ ...WEB, WebIdentityToken: undefined }), "MissingParameter", /WebIdentityToken/);
  });

  it("records SKIP as sent and the token as ***", async () => {
    await webIdentity();
    const [record] = emulator.requests();
    expect(record!.headers.authorization).toBe("SKIP");
    expect(record!.secretId).toBeNull();
    expect(JSON.parse(record!.body)).toEqual({ ...WEB, WebIdentityToken: "***" });
    expect(JSON.stringify(emulator.requests())).not.toContain(DEMO_WEB_IDENTITY.token);
  });
});

describe("the CVM instance metadata", () => {
  it("names its role, then answers that role's temporary credentials", async () => {
    const list = await get(METADATA);
    expect([list.status, list.text]).toEqual([200, "ccc-instance-role"]);
    const r = await get(`${METADATA}ccc-instance-role`);
    expect(r.status).toBe(200);
    const answer = r.json();
    expect(Object.keys(answer).sort()).toEqual([
      "Code",
      "Expiration",
      "ExpiredTime",
      "TmpSecretId",
      "TmpSecretKey",
      "Token",
    ]);
    expect(answer.Code).toBe("Success");
    expect(Date.parse(answer.Expiration)).toBe(answer.ExpiredTime * 1000);
    const credential = { secretId: answer.TmpSecretId, secretKey: answer.TmpSecretKey, token: answer.Token };
    expect((await call(emulator.port, { credential })).json().Response.Error).toBeUndefined();
  });

  it("answers 404 for another role and 405 for other methods", async () => {
    expect((await get(`${METADATA}someone-else`)).status).toBe(404);
    expect((await get(METADATA, "POST")).status).toBe(405);
  });

  it("answers 404 for the role list when no role is bound", async () => {
    const bare = await startEmulator({ instanceRole: false });
    try {
      const r = await rawRequest(bare.port, { method: "GET", path: METADATA, headers: {} });
      expect(r.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe("the lifetime of the credentials it issues", () => {
  it("is set for both by setCredentialLifetime and POST /__admin/credential-lifetime, until reset", async () => {
    emulator.setCredentialLifetime(5);
    const now = () => Math.floor(Date.now() / 1000);
    expect(
      (await sts("AssumeRole", { ...ASSUME, DurationSeconds: 3600 })).json().Response.ExpiredTime,
    ).toBeLessThanOrEqual(now() + 5);
    expect((await get(`${METADATA}ccc-instance-role`)).json().ExpiredTime).toBeLessThanOrEqual(now() + 5);
    const admin = (body: string) =>
      rawRequest(emulator.port, {
        method: "POST",
        path: "/__admin/credential-lifetime",
        headers: { host: `127.0.0.1:${emulator.port}`, "content-type": "application/json" },
        body: Buffer.from(body),
      });
    expect((await admin('{"seconds":30}')).status).toBe(200);
    expect((await webIdentity()).json().Response.ExpiredTime).toBeLessThanOrEqual(now() + 30);
    const refused = await admin('{"seconds":0}');
    expect(refused.status).toBe(400);
    expect(refused.json().error).toMatch(/seconds must be a whole number from 1 to 43200/);
    expect((await admin('{"seconds":null}')).status).toBe(200);
    expect((await get(`${METADATA}ccc-instance-role`)).json().ExpiredTime).toBeGreaterThan(now() + 7000);
    emulator.setCredentialLifetime(5);
    emulator.reset();
    expect((await sts("AssumeRole", ASSUME)).json().Response.ExpiredTime).toBeGreaterThan(now() + 7000);
    expect(() => emulator.setCredentialLifetime(1.5)).toThrow(TypeError);
  });
});

describe("CCC serving", () => {
  it("is unchanged: CCC actions with CCC's version, and AssumeRole under CCC's version is no CCC action", async () => {
    expect((await call(emulator.port, { credential: DEMO_CREDENTIAL })).json().Response.Error).toBeUndefined();
    await expectError(
      call(emulator.port, { credential: DEMO_CREDENTIAL, action: "AssumeRole", body: ASSUME }),
      "InvalidAction",
    );
  });
});

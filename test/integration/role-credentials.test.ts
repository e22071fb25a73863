/**
 * Credentials without long-lived keys, against the emulator in-process (its STS and CVM instance metadata) and
 * raw node:http servers on 127.0.0.1 (silent, echoing or counting ones): fromStsAssumeRole, fromOidc and
 * fromCvmRole each get temporary credentials a CCC call then succeeds with; they are refreshed before they
 * expire; the default chain's order (environment, profile file, TKE OIDC, instance metadata) and its quick
 * answer when no metadata service answers; and errors that name the provider and what failed, never a secret.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from "../../src/emulator/index.js";
import {
  CccClient,
  CccConfigError,
  CccError,
  CccTimeoutError,
  CredentialsCache,
  defaultCredentialsChain,
  fromCvmRole,
  fromOidc,
  fromStsAssumeRole,
  type Credentials,
} from "../../src/index.js";

const SOURCE = { secretId: "AKIDSOURCE00000000000000000000000000", secretKey: "source-secret-key-SECRET" };
const ROLE_ARN = "qcs::cam::uin/100000000001:roleName/ccc-operator";
const PROVIDER_ID = "tke-oidc";
const WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.web-identity-token-SECRET";
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };
/** Every secret the tests use: none may appear in an error, however it is looked at. */
const SECRETS = [SOURCE.secretKey, WEB_TOKEN, DEMO_CREDENTIAL.secretKey, "echoed-token-SECRET"];

let emulator: Emulator;
let tmp: string;
let tokenFile: string;
const clients: CccClient[] = [];
const servers: http.Server[] = [];

function client(credentials: () => Promise<Credentials>): CccClient {
  const c = new CccClient({ endpoint: emulator.url, credentials, rateLimit: false, maxRetries: 0 });
  clients.push(c);
  return c;
}

/** The TKE variables, as a pod's identity webhook sets them, with the token file written. */
function tkeEnv(): Record<string, string> {
  return {
    TKE_REGION: "ap-shanghai",
    TKE_PROVIDER_ID: PROVIDER_ID,
    TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    TKE_ROLE_ARN: ROLE_ARN,
  };
}

/** A raw server on 127.0.0.1 answering with `handler`; `paths` are its requests (`GET /path`), `hits` their number. */
async function rawServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ url: string; hits: () => number; paths: string[] }> {
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("close", () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => paths.length, paths };
}

/** A server that accepts connections and requests and never answers. */
const silentServer = () => rawServer(() => {});

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Every way an error can be looked at holds none of SECRETS (and neither do its causes). */
function expectNoSecret(error: unknown): void {
  const views = [
    String(error),
    (error as Error).stack ?? "",
    inspect(error, { showHidden: true, depth: Infinity }),
    JSON.stringify(error),
  ];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    views.push(e.message, e.stack ?? "", JSON.stringify(e));
  for (const view of views) for (const secret of SECRETS) expect(view).not.toContain(secret);
}

async function rejection(promise: Promise<unknown>): Promise<CccConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CccConfigError);
  expectNoSecret(error);
  return error as CccConfigError;
}

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [DEMO_CREDENTIAL, SOURCE],
    webIdentityTokens: { [PROVIDER_ID]: WEB_TOKEN },
    instanceRole: "ccc-instance-role",
  });
  tmp = await mkdtemp(path.join(os.tmpdir(), "ccc-roles-"));
  tokenFile = path.join(tmp, "token");
});
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  await emulator?.close();
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  await writeFile(tokenFile, `${WEB_TOKEN}\n`);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("fromStsAssumeRole", () => {
  const options = { roleArn: ROLE_ARN, sessionName: "ccc-test", source: SOURCE };

  it("assumes the role with a call signed by the source for sts; a CCC call succeeds with the role's credentials", async () => {
    const provider = fromStsAssumeRole({ ...options, endpoint: emulator.url, durationSeconds: 900 });
    const role = await provider();
    expect(role.secretId).not.toBe(SOURCE.secretId);
    expect(role.token).toBeTruthy();
    expect(role.expiresAt! - Date.now()).toBeGreaterThan(890_000);
    expect(role.expiresAt! - Date.now()).toBeLessThanOrEqual(900_000);
    expect(JSON.stringify(role)).not.toContain(role.secretKey); // handed on redacted
    const [assume] = emulator.requests();
    expect(assume).toMatchObject({ action: "AssumeRole", secretId: SOURCE.secretId, outcome: "ok" });
    expect(assume!.headers).toMatchObject({ "x-tc-version": "2018-08-13", "x-tc-region": "ap-guangzhou" });
    expect(assume!.headers.authorization).toMatch(/\/sts\/tc3_request, SignedHeaders=content-type;host;x-tc-action,/);
    expect(JSON.parse(assume!.body)).toEqual({ RoleArn: ROLE_ARN, RoleSessionName: "ccc-test", DurationSeconds: 900 });

    await client(fromStsAssumeRole({ ...options, endpoint: emulator.url, region: "ap-beijing" })).disableCCCPhoneNumber(
      input,
    );
    const [, again, disable] = emulator.requests();
    expect(again!.headers["x-tc-region"]).toBe("ap-beijing");
    expect(JSON.parse(again!.body).DurationSeconds).toBe(7200);
    expect(disable).toMatchObject({ action: "DisableCCCPhoneNumber", outcome: "ok" });
    expect(disable!.secretId).not.toBe(SOURCE.secretId);
    expect(disable!.headers["x-tc-token"]).toBe("***");
  });

  it("caches a source provider across calls, and asks it again after STS refused its credentials", async () => {
    const source = vi.fn(async (): Promise<Credentials> => SOURCE);
    const provider = fromStsAssumeRole({ ...options, source, endpoint: emulator.url });
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a.secretId).not.toBe(b.secretId);
    expect(source).toHaveBeenCalledTimes(1);

    const unknown = vi.fn(async (): Promise<Credentials> => ({ secretId: "AKIDNOBODY", secretKey: SOURCE.secretKey }));
    const refused = fromStsAssumeRole({ ...options, source: unknown, endpoint: emulator.url });
    const e = await rejection(refused());
    expect(e.message).toBe(
      `fromStsAssumeRole: AssumeRole of ${ROLE_ARN} at ${emulator.url} failed: AuthFailure.SecretIdNotFound: ` +
        `The SecretId is not found, please ensure that your SecretId is correct. (RequestId ${(e.cause as CccError).requestId})`,
    );
    expect(e.cause).toBeInstanceOf(CccError);
    expect((e.cause as CccError).code).toBe("AuthFailure.SecretIdNotFound");
    await rejection(refused());
    expect(unknown).toHaveBeenCalledTimes(2);
  });

  it("fails naming AuthFailure.SignatureFailure for a wrong SecretKey, and the source's own failure", async () => {
    const wrong = fromStsAssumeRole({ ...options, source: { ...SOURCE, secretKey: "not-it" }, endpoint: emulator.url });
    expect((await rejection(wrong())).message).toMatch(/: AuthFailure\.SignatureFailure: /);
    const broken = fromStsAssumeRole({
      ...options,
      endpoint: emulator.url,
      source: async () => {
        throw new Error("vault down");
      },
    });
    const e = await rejection(broken());
    expect(e.message).toBe(
      "fromStsAssumeRole: no source credentials to sign AssumeRole with: the credentials provider failed: vault down",
    );
    expect(emulator.requests().filter((r) => r.action === "AssumeRole")).toHaveLength(1);
  });

  it("redacts secrets STS echoes, and keeps no body of an unreadable answer", async () => {
    const echo = await rawServer((req, res) => {
      const token = req.headers["x-tc-token"];
      res.setHeader("Content-Type", "application/json");
      res.end(
        JSON.stringify({
          Response: { Error: { Code: "InvalidParameterValue", Message: `token ${token} is bad` }, RequestId: "r-1" },
        }),
      );
    });
    const echoed = fromStsAssumeRole({
      ...options,
      source: { ...SOURCE, token: "echoed-token-SECRET" },
      endpoint: echo.url,
    });
    expect((await rejection(echoed())).message).toContain(
      "InvalidParameterValue: token [redacted] is bad (RequestId r-1)",
    );

    const leaky = await rawServer((_req, res) => {
      res.setHeader("Content-Type", "application/json");
      res.end('{"Response":{"Credentials":{"TmpSecretKey":"echoed-token-SECRET", "Token');
    });
    const e = await rejection(fromStsAssumeRole({ ...options, endpoint: leaky.url })());
    expect(e.message).toBe(
      `fromStsAssumeRole: AssumeRole of ${ROLE_ARN} at ${leaky.url} failed: the answer (HTTP 200) is not a complete Tencent Cloud answer`,
    );
  });

  it("gives up on a silent STS endpoint after timeoutMs", async () => {
    const silent = await silentServer();
    const started = performance.now();
    const e = await rejection(fromStsAssumeRole({ ...options, endpoint: silent.url, timeoutMs: 200 })());
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(e.cause).toBeInstanceOf(CccTimeoutError);
    expect(e.message).toContain("AssumeRole timed out after 200 ms");
  });

  it("refuses bad options at once, naming them and never the source's secret", () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ roleArn: "" }, /^fromStsAssumeRole: roleArn must be a non-empty string/],
      [{ sessionName: "x" }, /sessionName must be 2 to 128 letters, digits or _\+=,\.@-, got "x"/],
      [{ durationSeconds: 0 }, /durationSeconds must be a whole number of seconds from 1 to 43200, got 0/],
      [{ durationSeconds: 43_201 }, /from 1 to 43200, got 43201/],
      [{ source: undefined }, /source must be credentials \{ secretId, secretKey, token\? \} or a provider function/],
      [{ source: { secretId: "AKID", secretKey: "" } }, /secretKey is missing/],
      [{ endpoint: "http://127.0.0.1:1/path" }, /endpoint must be a host or an origin without a path/],
      [{ region: "Guangzhou!" }, /region must look like "ap-guangzhou"/],
      [{ timeoutMs: -1 }, /timeoutMs must be a positive number/],
    ];
    for (const [override, message] of bad) {
      let error: unknown;
      try {
        fromStsAssumeRole({ ...options, ...override } as Parameters<typeof fromStsAssumeRole>[0]);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(override)).toBeInstanceOf(CccConfigError);
      expect((error as Error).message).toMatch(message);
      expectNoSecret(error);
    }
  });
});

describe("fromOidc", () => {
  it("reads the TKE variables and the token file, calls AssumeRoleWithWebIdentity unsigned; a CCC call succeeds", async () => {
    const provider = fromOidc({ env: tkeEnv(), endpoint: emulator.url });
    await client(provider).disableCCCPhoneNumber(input);
    const [web, disable] = emulator.requests();
    expect(web).toMatchObject({ action: "AssumeRoleWithWebIdentity", outcome: "ok", secretId: null });
    expect(web!.headers.authorization).toBe("SKIP");
    expect(web!.headers["x-tc-token"]).toBeUndefined();
    expect(web!.headers["x-tc-region"]).toBe("ap-shanghai");
    const body = JSON.parse(web!.body);
    expect(body).toMatchObject({ ProviderId: PROVIDER_ID, WebIdentityToken: "***", RoleArn: ROLE_ARN });
    expect(body.DurationSeconds).toBe(7200);
    expect(body.RoleSessionName).toMatch(/^ccc-sdk-\d{13}$/);
    expect(disable).toMatchObject({ action: "DisableCCCPhoneNumber", outcome: "ok" });
  });

  it("takes options over the variables, and re-reads the token file on every call", async () => {
    vi.stubEnv("TKE_REGION", "ap-nanjing");
    vi.stubEnv("TKE_PROVIDER_ID", PROVIDER_ID);
    vi.stubEnv("TKE_WEB_IDENTITY_TOKEN_FILE", tokenFile);
    vi.stubEnv("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/from-env");
    const provider = fromOidc({
      roleArn: ROLE_ARN,
      sessionName: "pod-a",
      durationSeconds: 600,
      endpoint: emulator.url,
    });
    const first = await provider();
    expect(first.expiresAt! - Date.now()).toBeLessThanOrEqual(600_000);
    const [web] = emulator.requests();
    expect(web!.headers["x-tc-region"]).toBe("ap-nanjing");
    expect(JSON.parse(web!.body)).toMatchObject({ RoleArn: ROLE_ARN, RoleSessionName: "pod-a" });
    await writeFile(tokenFile, "a-rotated-token-STS-does-not-know");
    const e = await rejection(provider());
    expect(e.message).toMatch(
      new RegExp(
        `^fromOidc: AssumeRoleWithWebIdentity of ${ROLE_ARN} at ${emulator.url} failed: InvalidParameter\\.WebIdentityTokenError: `,
      ),
    );
    expect(e.message).not.toContain("a-rotated-token");
  });

  it("names each TKE variable that is missing, and a token file it cannot read", async () => {
    const e = await rejection(fromOidc({ env: { TKE_REGION: "ap-shanghai" }, endpoint: emulator.url })());
    expect(e.message).toBe(
      "fromOidc: TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are not set " +
        "(nor the options providerId, webIdentityTokenFile and roleArn)",
    );
    const missing = path.join(tmp, "no-token");
    const unread = await rejection(
      fromOidc({ env: { ...tkeEnv(), TKE_WEB_IDENTITY_TOKEN_FILE: missing }, endpoint: emulator.url })(),
    );
    expect(unread.message).toBe(
      `fromOidc: cannot read the web identity token file ${missing} (from TKE_WEB_IDENTITY_TOKEN_FILE): ENOENT`,
    );
    await writeFile(tokenFile, " \n");
    expect((await rejection(fromOidc({ env: tkeEnv(), endpoint: emulator.url })())).message).toBe(
      `fromOidc: the web identity token file ${tokenFile} (from TKE_WEB_IDENTITY_TOKEN_FILE) is empty`,
    );
    expect(emulator.requests()).toEqual([]);
  });

  it("redacts the web identity token STS echoes in its message", async () => {
    const echo = await rawServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c));
      req.on("end", () => {
        const token = JSON.parse(body).WebIdentityToken;
        res.setHeader("Content-Type", "application/json");
        res.end(
          JSON.stringify({
            Response: {
              Error: {
                Code: "InvalidParameterValue",
                Message: `The value \`${token}\` of WebIdentityToken is invalid`,
              },
              RequestId: "r-2",
            },
          }),
        );
      });
    });
    const e = await rejection(fromOidc({ env: tkeEnv(), endpoint: echo.url })());
    expect(e.message).toContain("InvalidParameterValue: The value `[redacted]` of WebIdentityToken is invalid");
  });
});

describe("fromCvmRole", () => {
  it("looks the role up once, then fetches its credentials on every call; a CCC call succeeds", async () => {
    const counting = await rawServer((req, res) => {
      const target = new URL(req.url ?? "/", emulator.url);
      http.get(target, (answer) => {
        res.writeHead(answer.statusCode ?? 500, { "Content-Type": answer.headers["content-type"] ?? "text/plain" });
        answer.pipe(res);
      });
    });
    const provider = fromCvmRole({ endpoint: counting.url });
    const first = await provider();
    const second = await provider();
    expect(second.secretId).not.toBe(first.secretId);
    expect(first.expiresAt! - Date.now()).toBeGreaterThan(7_100_000);
    expect(counting.paths).toEqual([
      "GET /latest/meta-data/cam/security-credentials/",
      "GET /latest/meta-data/cam/security-credentials/ccc-instance-role",
      "GET /latest/meta-data/cam/security-credentials/ccc-instance-role",
    ]);
    await client(fromCvmRole({ endpoint: emulator.url, roleName: "ccc-instance-role" })).disableCCCPhoneNumber(input);
    expect(emulator.requests()[0]).toMatchObject({ action: "DisableCCCPhoneNumber", outcome: "ok" });
  });

  it("reads TENCENTCLOUD_METADATA_ENDPOINT when no endpoint is given", async () => {
    const c = await fromCvmRole({ env: { TENCENTCLOUD_METADATA_ENDPOINT: emulator.url } })();
    expect(c.token).toBeTruthy();
  });

  it("says which role the metadata lacks, that none is bound, and what an answer lacks", async () => {
    const e = await rejection(fromCvmRole({ endpoint: emulator.url, roleName: "someone-else" })());
    expect(e.message).toBe(
      `fromCvmRole: the instance metadata at ${emulator.url} has no role "someone-else" (HTTP 404)`,
    );
    const bare = await startEmulator({ instanceRole: false });
    try {
      expect((await rejection(fromCvmRole({ endpoint: bare.url })())).message).toBe(
        `fromCvmRole: no credentials from the instance metadata at ${bare.url}: it has no CAM role bound to this instance (HTTP 404)`,
      );
    } finally {
      await bare.close();
    }
    const failing = await rawServer((req, res) => {
      if (req.url?.endsWith("/security-credentials/")) return res.end("a-role");
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ Code: "Failure", TmpSecretKey: "echoed-token-SECRET" }));
    });
    expect((await rejection(fromCvmRole({ endpoint: failing.url })())).message).toBe(
      `fromCvmRole: the instance metadata at ${failing.url} answered Code "Failure" for role "a-role"`,
    );
    const garbled = await rawServer((_req, res) => res.end('{"TmpSecretKey": "echoed-token-SECRET'));
    expect((await rejection(fromCvmRole({ endpoint: garbled.url, roleName: "r" })())).message).toBe(
      `fromCvmRole: the instance metadata at ${garbled.url} answered role "r" with something that is not JSON`,
    );
  });

  it("gives up on a silent metadata service after timeoutMs", async () => {
    const silent = await silentServer();
    const started = performance.now();
    const e = await rejection(fromCvmRole({ endpoint: silent.url, timeoutMs: 200 })());
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(e.message).toBe(
      `fromCvmRole: no credentials from the instance metadata at ${silent.url}: it did not answer within 200 ms`,
    );
  });

  it("refuses bad options at once", () => {
    expect(() => fromCvmRole({ endpoint: "ftp://x" })).toThrow(/fromCvmRole: endpoint must use http or https/);
    expect(() => fromCvmRole({ roleName: "a/b" })).toThrow(
      /fromCvmRole: roleName must be 1 to 128 letters, digits or _\+=,\.@-, got "a\/b"/,
    );
    expect(() => fromCvmRole({ timeoutMs: 0 })).toThrow(/fromCvmRole: timeoutMs must be a positive number/);
  });
});

describe("refresh before expiry", () => {
  it("a cache refreshes STS credentials within its window; both sets are accepted until their own expiry", async () => {
    let now = Date.now();
    const provider = vi.fn(
      fromStsAssumeRole({ roleArn: ROLE_ARN, sessionName: "refresh", source: SOURCE, endpoint: emulator.url }),
    );
    const cache = new CredentialsCache(provider, { now: () => now });
    const first = await cache.get();
    now = first.expiresAt! - 300_001;
    expect(await cache.get()).toBe(first);
    expect(provider).toHaveBeenCalledTimes(1);
    now = first.expiresAt! - 299_000; // within 5 minutes of expiry: refreshed in the background
    expect(await cache.get()).toBe(first);
    await vi.waitFor(() => expect(provider).toHaveBeenCalledTimes(2), { timeout: 5_000, interval: 10 });
    const second = await vi.waitFor(
      async () => {
        const c = await cache.get();
        expect(c).not.toBe(first);
        return c;
      },
      { timeout: 5_000, interval: 10 },
    );
    for (const credentials of [first, second]) {
      const fixed = new CccClient({ endpoint: emulator.url, credentials, rateLimit: false });
      clients.push(fixed);
      await fixed.disableCCCPhoneNumber(input);
    }
  });

  it("a client calling on refreshes credentials that live 2 s before they expire, with no failed call", async () => {
    emulator.setCredentialLifetime(2);
    const c = client(fromCvmRole({ endpoint: emulator.url }));
    const deadline = performance.now() + 4_000;
    const identities = () => new Set(emulator.requests().map((r) => r.secretId));
    // Calls every 50 ms, for at most 4 s, until a second identity has signed one.
    for (let i = 0; i < 80 && performance.now() < deadline && identities().size < 2; i++) {
      await c.disableCCCPhoneNumber(input);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(identities().size).toBe(2);
    expect(emulator.requests().every((r) => r.outcome === "ok")).toBe(true);
  });
});

describe("the default chain", () => {
  it("prefers the environment variables: no OIDC and no metadata is asked", async () => {
    const metadata = await rawServer((_req, res) => res.end());
    const sts = await rawServer((_req, res) => res.end());
    const chain = defaultCredentialsChain({
      env: { TENCENTCLOUD_SECRET_ID: SOURCE.secretId, TENCENTCLOUD_SECRET_KEY: SOURCE.secretKey, ...tkeEnv() },
      file: path.join(tmp, "none"),
      oidc: { endpoint: sts.url },
      cvmRole: { endpoint: metadata.url },
    });
    expect((await chain()).secretId).toBe(SOURCE.secretId);
    expect([metadata.hits(), sts.hits()]).toEqual([0, 0]);
  });

  it("takes TKE OIDC when its variables are set, before the metadata; and calls it again when asked again", async () => {
    const metadata = await rawServer((_req, res) => res.end());
    const chain = defaultCredentialsChain({
      env: tkeEnv(),
      file: path.join(tmp, "none"),
      oidc: { endpoint: emulator.url },
      cvmRole: { endpoint: metadata.url },
    });
    await client(chain).disableCCCPhoneNumber(input);
    const second = await chain();
    expect(emulator.requests().map((r) => r.action)).toEqual([
      "AssumeRoleWithWebIdentity",
      "DisableCCCPhoneNumber",
      "AssumeRoleWithWebIdentity",
    ]);
    expect(second.secretId).not.toBe(emulator.requests()[1]!.secretId);
    expect(metadata.hits()).toBe(0);
  });

  it("asks the instance metadata only when nothing else has credentials; its credentials serve a CCC call", async () => {
    const chain = defaultCredentialsChain({
      env: { TENCENTCLOUD_METADATA_ENDPOINT: emulator.url, TKE_REGION: "ap-shanghai" },
      file: path.join(tmp, "none"),
    });
    await client(chain).disableCCCPhoneNumber(input);
    expect(emulator.requests()).toMatchObject([{ action: "DisableCCCPhoneNumber", outcome: "ok" }]);
  });

  it("takes a silent metadata service for no credentials, within about its 1 s timeout, saying all it looked at", async () => {
    const silent = await silentServer();
    const file = path.join(tmp, "none");
    const started = performance.now();
    const e = await rejection(
      defaultCredentialsChain({ env: { TENCENTCLOUD_METADATA_ENDPOINT: silent.url, TKE_ROLE_ARN: ROLE_ARN }, file })(),
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4_000);
    expect(e.message).toMatch(/^no credentials found\. Looked at: /);
    for (const part of [
      "the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (not set)",
      `the credentials file ${file} (does not exist)`,
      "the TKE OIDC variables TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN " +
        "(TKE_ROLE_ARN is set but TKE_REGION, TKE_PROVIDER_ID and TKE_WEB_IDENTITY_TOKEN_FILE are not)",
      `the CVM instance metadata at ${silent.url} (did not answer within 1000 ms)`,
    ])
      expect(e.message).toContain(part);
  });

  it("takes a refused connection or a 404 role lookup for no credentials too, and skips steps set to false", async () => {
    const refused = await closedPort();
    const file = path.join(tmp, "none");
    const e = await rejection(defaultCredentialsChain({ env: {}, file, cvmRole: { endpoint: refused } })());
    expect(e.message).toContain(`the CVM instance metadata at ${refused} (could not be reached: ECONNREFUSED)`);
    expect(e.message).toContain("TKE_ROLE_ARN (not set)");
    const named = await rejection(
      defaultCredentialsChain({ env: {}, file, cvmRole: { endpoint: refused, roleName: "ccc-instance-role" } })(),
    );
    expect(named.message).toContain(`the CVM instance metadata at ${refused} (could not be reached: ECONNREFUSED)`);
    const bare = await startEmulator({ instanceRole: false });
    try {
      const none = await rejection(defaultCredentialsChain({ env: {}, file, cvmRole: { endpoint: bare.url } })());
      expect(none.message).toContain(
        `the CVM instance metadata at ${bare.url} (has no CAM role bound to this instance (HTTP 404))`,
      );
    } finally {
      await bare.close();
    }
    const skipped = await rejection(defaultCredentialsChain({ env: tkeEnv(), file, oidc: false, cvmRole: false })());
    expect(skipped.message).not.toMatch(/TKE|instance metadata/);
  });

  it("an OIDC step that fails is an error, not a reason to go on to the metadata", async () => {
    const metadata = await rawServer((_req, res) => res.end());
    await writeFile(tokenFile, "not-the-token");
    const e = await rejection(
      defaultCredentialsChain({
        env: tkeEnv(),
        file: path.join(tmp, "none"),
        oidc: { endpoint: emulator.url },
        cvmRole: { endpoint: metadata.url },
      })(),
    );
    expect(e.message).toMatch(/^fromOidc: AssumeRoleWithWebIdentity .* InvalidParameter\.WebIdentityTokenError/);
    expect(metadata.hits()).toBe(0);
  });

  it("refuses bad step options at once", () => {
    expect(() => defaultCredentialsChain({ oidc: "yes" as never })).toThrow(
      /defaultCredentialsChain: oidc must be an object of fromOidc options, or false/,
    );
    expect(() => defaultCredentialsChain({ cvmRole: { timeoutMs: -5 } })).toThrow(
      /defaultCredentialsChain: cvmRole\.timeoutMs must be a positive number/,
    );
  });
});

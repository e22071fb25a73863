/**
 * Proxies (src/proxy.ts), through a real forward proxy process on 127.0.0.1 (test/support/proxy.mjs): an http
 * endpoint asked of the proxy in absolute form, an https endpoint through a CONNECT tunnel with TLS end to end,
 * the `proxy` option and the curl variables (`https_proxy`, `HTTP_PROXY`, `NO_PROXY`), proxy credentials, and a
 * proxy that refuses. The endpoints verify every signature, so a call that arrives was signed for its real host.
 */
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CccClient } from "../../src/index.js";
import { bypassesProxy, proxyFor } from "../../src/proxy.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { built } from "../support/built.js";
import { startGateway } from "../support/gateway.js";
import { startProxy, type TestProxy } from "../support/proxy.js";
import { runScript } from "../support/script.js";

const CERT = fileURLToPath(new URL("../fixtures/tls/cert.pem", import.meta.url));
const KEY = fileURLToPath(new URL("../fixtures/tls/key.pem", import.meta.url));
const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };

let server: TestServer;
let proxy: TestProxy;
let guarded: TestProxy;
beforeAll(async () => {
  [server, proxy, guarded] = await Promise.all([startTestServer(), startProxy(), startProxy({ auth: "ops:s3cret" })]);
});
afterAll(async () => {
  await Promise.all([server?.close(), proxy?.close(), guarded?.close()]);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.reset();
});

const call = async (options: ConstructorParameters<typeof CccClient>[0]) => {
  const client = new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0, ...options });
  try {
    return await client.disableCCCPhoneNumber(input);
  } finally {
    await client.close();
  }
};

describe("an http endpoint through a proxy", () => {
  it("with the proxy option: asked of the proxy in absolute form, signed for the endpoint's host", async () => {
    const before = (await proxy.seen()).length;
    const answer = await call({ proxy: proxy.url });
    expect(answer.RequestId).toBeTruthy();
    const host = new URL(server.url).host;
    expect((await proxy.seen()).slice(before)).toEqual([
      { event: "forward", method: "POST", url: `http://${host}/`, host, auth: null, status: 200 },
    ]);
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["ok"]);
  });

  it("from http_proxy (lower case first, as curl), and never for a host NO_PROXY lists", async () => {
    vi.stubEnv("http_proxy", proxy.url);
    vi.stubEnv("HTTP_PROXY", "http://127.0.0.1:9"); // the lower-case name wins
    const before = (await proxy.seen()).length;
    await call({});
    expect((await proxy.seen()).length).toBe(before + 1);
    vi.stubEnv("NO_PROXY", "example.com, 127.0.0.1");
    await call({});
    expect((await proxy.seen()).length).toBe(before + 1);
    // `proxy: false` goes direct whatever the environment says.
    vi.stubEnv("NO_PROXY", "");
    await call({ proxy: false });
    expect((await proxy.seen()).length).toBe(before + 1);
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["ok", "ok", "ok"]);
  });

  it("sends the proxy URL's user and password as Proxy-Authorization; without them the proxy's 407 fails the call", async () => {
    const before = (await guarded.seen()).length;
    const { port } = new URL(guarded.url);
    await call({ proxy: `http://ops:s3cret@127.0.0.1:${port}` });
    const refused = await call({ proxy: guarded.url }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((await guarded.seen()).slice(before).map((e) => [e.auth, e.status])).toEqual([
      [`Basic ${Buffer.from("ops:s3cret").toString("base64")}`, 200],
      [null, 407],
    ]);
    expect((await server.requests()).map((r) => r.outcome)).toEqual(["ok"]);
  });
});

describe("an https endpoint through a CONNECT tunnel", () => {
  it("from HTTPS_PROXY: TLS end to end to the endpoint, whose certificate is checked as without a proxy", async () => {
    const gateway = await startGateway({ mode: "answer", tls: { cert: CERT, key: KEY } });
    try {
      const script = `
        import { CccClient } from ${JSON.stringify(built("index"))};
        const c = new CccClient({ endpoint: ${JSON.stringify(gateway.url)}, credentials: ${JSON.stringify(DEFAULT_CREDENTIAL)}, maxRetries: 0 });
        const r = await c.disableCCCPhoneNumber(${JSON.stringify(input)});
        console.log(JSON.stringify({ requestId: r.RequestId }));
        await c.close();
      `;
      const before = (await proxy.seen()).length;
      const result = await runScript(script, 20_000, { NODE_EXTRA_CA_CERTS: CERT, HTTPS_PROXY: proxy.url });
      expect(result.code, result.output).toBe(0);
      expect(JSON.parse(result.output.trim().split("\n").pop()!).requestId).toMatch(/^gw-/);
      expect((await proxy.seen()).slice(before)).toEqual([
        { event: "connect", target: `127.0.0.1:${gateway.port}`, auth: null, status: 200 },
      ]);
      await gateway.quiet();
      expect(gateway.requests()).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it("a proxy that refuses the tunnel fails the call naming it and its status; nothing reaches the endpoint", async () => {
    const gateway = await startGateway({ mode: "answer", tls: { cert: CERT, key: KEY } });
    try {
      const client = new CccClient({
        endpoint: gateway.url,
        credentials: DEFAULT_CREDENTIAL,
        maxRetries: 0,
        proxy: guarded.url,
      });
      const error = await client.disableCCCPhoneNumber(input).then(
        () => undefined,
        (e: unknown) => e as Error & { requestSent?: boolean },
      );
      await client.close();
      expect(error?.message).toContain(`the proxy refused the tunnel to 127.0.0.1:${gateway.port} (407)`);
      expect(error?.requestSent).toBe(false);
      await gateway.quiet();
      expect(gateway.requests()).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

describe("choosing the proxy (curl's rules)", () => {
  const https = new URL("https://ccc.tencentcloudapi.com/");
  it.each([
    ["*", true],
    ["tencentcloudapi.com", true],
    [".tencentcloudapi.com", true],
    ["*.tencentcloudapi.com", true],
    ["ccc.tencentcloudapi.com:443", true],
    ["ccc.tencentcloudapi.com:8443", false],
    ["cloudapi.com", false],
    ["other.example, ccc.tencentcloudapi.com", true],
    ["", false],
  ])("NO_PROXY=%j bypasses https://ccc.tencentcloudapi.com: %s", (noProxy, expected) => {
    expect(bypassesProxy(https, noProxy)).toBe(expected);
  });

  it("takes https_proxy for https, http_proxy for http, the option over both, and refuses a non-http proxy", () => {
    const env = { https_proxy: "http://a:1", HTTP_PROXY: "http://b:2" };
    expect(proxyFor(https, undefined, env)).toMatchObject({ host: "a", port: 1 });
    expect(proxyFor(new URL("http://x/"), undefined, env)).toMatchObject({ host: "b", port: 2 });
    expect(proxyFor(https, "http://c:3", env)).toMatchObject({ host: "c", port: 3 });
    expect(proxyFor(https, false, env)).toBeUndefined();
    expect(() => proxyFor(https, "socks5://d:4", {})).toThrow(/must be an http:\/\/ proxy/);
    expect(() => new CccClient({ proxy: "socks5://d:4" })).toThrow(/must be an http:\/\/ proxy/);
  });
});

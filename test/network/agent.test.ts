/**
 * The `agent` option: an app's own http.Agent / https.Agent carries the default transport's requests (its
 * keep-alive, TLS and proxy settings, e.g. an agent from a proxy-agent package), in place of the SDK's pool.
 * Real servers on 127.0.0.1: the verifying test server over http, a TLS gateway for https, and a real proxy.
 */
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CccClient, CccConfigError } from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { startProxy, type TestProxy } from "../support/proxy.js";

const input = { PhoneNumbers: ["008602112345678"], Disabled: 1 as const };

/** An agent that counts the connections it opens. */
class CountingAgent extends http.Agent {
  connections = 0;
  override createConnection(...args: Parameters<http.Agent["createConnection"]>): Socket {
    this.connections++;
    // biome-ignore lint/suspicious/noExplicitAny: createConnection is missing from @types/node's Agent prototype.
    return (http.Agent.prototype as any).createConnection.apply(this, args);
  }
}

let server: TestServer;
let proxy: TestProxy;
beforeAll(async () => {
  [server, proxy] = await Promise.all([startTestServer(), startProxy()]);
});
afterAll(async () => {
  await Promise.all([server?.close(), proxy?.close()]);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.reset();
});

const client = (options: ConstructorParameters<typeof CccClient>[0]) =>
  new CccClient({ endpoint: server.url, credentials: DEFAULT_CREDENTIAL, maxRetries: 0, ...options });

describe("the agent option", () => {
  it("carries every call on the app's agent, which keeps its connection alive between calls", async () => {
    const agent = new CountingAgent({ keepAlive: true });
    const c = client({ agent });
    try {
      for (let i = 0; i < 3; i++) expect((await c.disableCCCPhoneNumber(input)).RequestId).toHaveLength(36);
      expect(agent.connections).toBe(1);
      expect((await server.requests()).map((r) => r.outcome)).toEqual(["ok", "ok", "ok"]);
    } finally {
      await c.close();
    }
    // The agent is the app's: closing the client leaves it usable.
    const after = client({ agent });
    try {
      await after.disableCCCPhoneNumber(input);
    } finally {
      await after.close();
      agent.destroy();
    }
  });

  it("takes the place of the proxy variables: the agent decides the route", async () => {
    vi.stubEnv("HTTP_PROXY", proxy.url);
    vi.stubEnv("NO_PROXY", "");
    const before = (await proxy.seen()).length;
    const agent = new CountingAgent({ keepAlive: false });
    const c = client({ agent });
    try {
      await c.disableCCCPhoneNumber(input);
    } finally {
      await c.close();
    }
    expect(agent.connections).toBe(1);
    expect((await proxy.seen()).length).toBe(before);
  });

  it("is refused with what to do when it is not an agent, or comes with proxy or fetch", () => {
    const refused = (options: ConstructorParameters<typeof CccClient>[0]) => () => client(options);
    expect(refused({ agent: {} as http.Agent })).toThrow(CccConfigError);
    expect(refused({ agent: {} as http.Agent })).toThrow(/agent must be an http\.Agent or https\.Agent/);
    expect(refused({ agent: new http.Agent(), proxy: proxy.url })).toThrow(/agent .*proxy/);
    expect(refused({ agent: new http.Agent(), fetch: (r: Request) => fetch(r) })).toThrow(/agent .*fetch/);
  });

  it("accepts an https.Agent's TLS settings for an https endpoint", async () => {
    const cert = fileURLToPath(new URL("../fixtures/tls/cert.pem", import.meta.url));
    const { readFile } = await import("node:fs/promises");
    const key = fileURLToPath(new URL("../fixtures/tls/key.pem", import.meta.url));
    const tls = https.createServer({ cert: await readFile(cert), key: await readFile(key) }, (req, res) => {
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ Response: { RequestId: "5f0c4c3e-6d0b-4b8e-9a53-2a8f8d3b1c11" } }));
      });
    });
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    const port = (tls.address() as { port: number }).port;
    // The fixture certificate is self-signed: only the app's agent, told to trust it, gets through.
    const agent = new https.Agent({ ca: await readFile(cert), keepAlive: true });
    const c = new CccClient({
      endpoint: `https://127.0.0.1:${port}`,
      credentials: DEFAULT_CREDENTIAL,
      maxRetries: 0,
      agent,
    });
    try {
      expect((await c.disableCCCPhoneNumber(input)).RequestId).toBe("5f0c4c3e-6d0b-4b8e-9a53-2a8f8d3b1c11");
    } finally {
      await c.close();
      agent.destroy();
      await new Promise((resolve) => tls.close(resolve));
    }
  });
});

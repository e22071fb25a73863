/**
 * `requestSent` is exact: false until a byte of the request was written to an established (for https:
 * TLS-established) connection. Failures before that are retried for every action; failures that can never
 * succeed (an unknown certificate authority, a peer that does not speak TLS) are not retried at all.
 * Servers: test/support/gateway.mjs processes on 127.0.0.1.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CccConnectionError, CccTimeoutError } from "../../src/index.js";
import { built } from "../support/built.js";
import { runScript } from "../support/script.js";
import { createApply, credentials, gatewayFixture } from "./fixture.js";

const CERT = fileURLToPath(new URL("../fixtures/tls/cert.pem", import.meta.url));
const KEY = fileURLToPath(new URL("../fixtures/tls/key.pem", import.meta.url));
const { gateway, client } = gatewayFixture({ backoff: { baseMs: 1, maxMs: 5 }, maxRetries: 2 });
/** A TCP server whose accept queue is full (test/support/full-backlog.py): connects to it never complete. */
async function fullBacklog(): Promise<{ url: string; close(): void }> {
  const child = spawn("python3", [fileURLToPath(new URL("../support/full-backlog.py", import.meta.url))], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim())));
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

describe("before a request byte was written: requestSent false", () => {
  it("a TCP connect that never completes times out with requestSent false and is retried, also when not idempotent", async () => {
    const server = await fullBacklog();
    try {
      let retries = 0;
      const c = client(server.url, { timeoutMs: 300, logger: { warn: () => void retries++ } });
      const error = await createApply(c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CccTimeoutError);
      expect(error).toMatchObject({ requestSent: false, retryable: true });
      expect((error as Error).message).toMatch(/before the request was sent/);
      expect(retries).toBe(2);
    } finally {
      server.close();
    }
  });

  it("a TLS handshake that never completes times out with requestSent false and is retried, also when not idempotent", async () => {
    const g = await gateway({ mode: "silent", tls: { cert: CERT, key: KEY } });
    const c = client(g, { timeoutMs: 300 });
    const error = await createApply(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccTimeoutError);
    expect(error).toMatchObject({ requestSent: false, retryable: true });
    await g.quiet();
    expect(g.connections()).toBe(3); // 1 + maxRetries
    expect(g.requests()).toEqual([]);
  });

  it("an unknown certificate authority fails at once: requestSent false, not retryable, never retried", async () => {
    const g = await gateway({ mode: "answer", tls: { cert: CERT, key: KEY } });
    const c = client(g);
    const error = await createApply(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccConnectionError);
    expect(error).toMatchObject({ requestSent: false, retryable: false });
    expect((error as Error).message).toMatch(/certificate/i);
    await g.quiet();
    expect(g.connections()).toBe(1);
    expect(g.requests()).toEqual([]);
  });

  it("a peer that does not speak TLS (a plain HTTP port) fails at once: requestSent false, never retried", async () => {
    const g = await gateway({ mode: "garbage" });
    const c = client(g, { endpoint: `https://127.0.0.1:${g.port}` });
    const error = await createApply(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccConnectionError);
    expect(error).toMatchObject({ requestSent: false, retryable: false });
    await g.quiet();
    expect(g.connections()).toBe(1);
  });

  it("a refused connection: requestSent false, retried for a non-idempotent action", async () => {
    const g = await gateway({ mode: "answer" });
    const port = g.port;
    await g.close();
    const c = client(`http://127.0.0.1:${port}`);
    const error = await createApply(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccConnectionError);
    expect(error).toMatchObject({ requestSent: false, retryable: true });
  });
});

describe("once a request byte was written: requestSent true", () => {
  it("a server that reads the request and never answers: a timeout with requestSent true, not retried when not idempotent", async () => {
    const g = await gateway({ mode: "stall-after-read" });
    const c = client(g, { timeoutMs: 300 });
    const error = await createApply(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CccTimeoutError);
    expect(error).toMatchObject({ requestSent: true, retryable: false });
    await g.quiet();
    expect(g.requests()).toHaveLength(1);
    expect((error as Error).message).toMatch(/may have/i);
  });

  it("over TLS, after the handshake (the certificate trusted through NODE_EXTRA_CA_CERTS): requestSent true", async () => {
    const g = await gateway({ mode: "stall-after-read", tls: { cert: CERT, key: KEY } });
    const script = `
      import { CccClient } from ${JSON.stringify(built("index"))};
      const c = new CccClient({ endpoint: ${JSON.stringify(g.url)}, credentials: ${JSON.stringify(credentials)}, timeoutMs: 400, rateLimit: false });
      const e = await c.createOwnNumberApply({ SdkAppId: 1400000000, SipTrunkId: 7,
        DetailList: [{ CallType: 1, PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 }] }).catch((e) => e);
      console.log(JSON.stringify({ name: e.name, requestSent: e.requestSent, retryable: e.retryable }));
      await c.close();
    `;
    const result = await runScript(script, 20_000, { NODE_EXTRA_CA_CERTS: CERT });
    expect(result.code, result.output).toBe(0);
    expect(JSON.parse(result.output.trim().split("\n").pop()!)).toEqual({
      name: "CccTimeoutError",
      requestSent: true,
      retryable: false,
    });
    await g.quiet();
    expect(g.requests()).toHaveLength(1);
  });
});

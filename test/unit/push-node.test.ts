/**
 * toNodeHandler: the push handler behind a real node:http server in this process on 127.0.0.1, including the way
 * Express middleware leaves a request (a body read already, as bytes or as a parsed object).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPushHandler, pushes, toNodeHandler } from "../../src/push/index.js";

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves `listener` (after `before`, a middleware) and returns the push URL. */
async function serve(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  before?: (req: IncomingMessage) => Promise<void>,
): Promise<string> {
  server = http.createServer((req, res) => {
    void (before ? before(req) : Promise.resolve()).then(() => listener(req, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/ccc/push?action=cdr&version=1`;
}

const readAll = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json;charset=utf8", "X-TCCC-PUSH-UUID": crypto.randomUUID(), ...headers },
    body,
  });

describe("toNodeHandler", () => {
  it("serves the push handler: the body, the headers and the query reach it; its answer comes back whole", async () => {
    const onCdr = vi.fn();
    const url = await serve(toNodeHandler(createPushHandler({ auth: { bearer: "t" }, onCdr })));
    const response = await post(url, JSON.stringify(pushes.Cdr.example), { Authorization: "Bearer t" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("25");
    expect(await response.text()).toBe('{"ErrCode":0,"ErrMsg":""}');
    expect(onCdr.mock.calls[0]![0]).toEqual(pushes.Cdr.example);
    expect(onCdr.mock.calls[0]![1]).toMatchObject({ action: "cdr", version: "1" });
    expect((await fetch(url)).status).toBe(405);
  });

  it("reads a chunked body only up to one byte past maxBodyBytes, and the handler answers 413", async () => {
    const onCdr = vi.fn();
    const url = await serve(toNodeHandler(createPushHandler({ auth: { none: true }, onCdr, maxBodyBytes: 100 })));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(`{"UserRemark":"${"x".repeat(300)}"}`));
        c.close();
      },
    });
    const response = await fetch(url, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(onCdr).not.toHaveBeenCalled();
  });

  it("takes a body a middleware read as bytes (express.raw()), and explains one it parsed (express.json())", async () => {
    const onCdr = vi.fn();
    const handler = toNodeHandler(createPushHandler({ auth: { none: true }, onCdr }));
    const raw = await serve(handler, async (req) => {
      (req as IncomingMessage & { body?: unknown }).body = await readAll(req);
    });
    expect((await post(raw, JSON.stringify(pushes.Cdr.example))).status).toBe(200);
    expect(onCdr).toHaveBeenCalledTimes(1);
    server!.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const parsed = await serve(handler, async (req) => {
      (req as IncomingMessage & { body?: unknown }).body = JSON.parse((await readAll(req)).toString("utf8"));
    });
    const response = await post(parsed, JSON.stringify(pushes.Cdr.example));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { ErrMsg: string }).ErrMsg).toMatch(
      /already read by a middleware \(express\.json\(\)\?\)/,
    );
    expect(onCdr).toHaveBeenCalledTimes(1);
  });

  it("refuses what is not a handler", () => {
    expect(() => toNodeHandler({} as never)).toThrow(/toNodeHandler takes a handler/);
  });
});

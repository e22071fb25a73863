/**
 * The emulator's data pushes, against raw node:http servers in this process on 127.0.0.1 (what a receiver does is
 * test/integration/push.test.ts's): what it sends (the query, the headers, the body, one UUID for every attempt),
 * when it retries and how each attempt is recorded, that it goes nowhere but 127.0.0.1 and follows no redirect,
 * how a malformed push is refused, and that closing the emulator ends a push under way.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, type PushOptions, startEmulator } from "../../src/emulator/index.js";
import { pushes } from "../../src/push/index.js";

interface Received {
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

interface RawServer {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** A server answering each request with `answer(n)` (n from 1), recording what it got. */
async function rawServer(answer: (n: number, res: ServerResponse) => void): Promise<RawServer> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      answer(received.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const reply =
  (errCode: number, status = 200) =>
  (_n: number, res: ServerResponse) =>
    res
      .writeHead(status, { "Content-Type": "application/json" })
      .end(JSON.stringify({ ErrCode: errCode, ErrMsg: errCode ? "no" : "" }));

let emulator: Emulator;
const servers: RawServer[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  emulator.reset();
});
async function server(answer: (n: number, res: ServerResponse) => void): Promise<RawServer> {
  const s = await rawServer(answer);
  servers.push(s);
  return s;
}

describe("emulator.push()", () => {
  it("POSTs the documented example to url?action=…&version=… as CCC does", async () => {
    const s = await server(reply(0));
    const delivery = await emulator.push({ url: `${s.url}?tenant=7`, push: "cdr" });
    expect(delivery.delivered).toBe(true);
    expect(s.received).toHaveLength(1);
    const [got] = s.received;
    expect(got!.url).toBe("/hook?tenant=7&action=cdr&version=1");
    expect(got!.headers["content-type"]).toBe("application/json;charset=utf8");
    expect(got!.headers["x-tccc-push-uuid"]).toBe(delivery.uuid);
    expect(got!.headers.authorization).toBeUndefined();
    expect(JSON.parse(got!.body)).toEqual(pushes.Cdr.example);
  });

  it("lays members over the example (undefined leaves one out), or sends rawBody as it is", async () => {
    const s = await server(reply(0));
    await emulator.push({
      url: s.url,
      push: "record",
      members: { RecordId: "r-9", CustomRecordURL: "https://x", Timestamp: undefined },
    });
    expect(JSON.parse(s.received[0]!.body)).toEqual({
      ...pushes.Record.example,
      RecordId: "r-9",
      CustomRecordURL: "https://x",
      Timestamp: undefined,
    });
    expect(JSON.parse(s.received[0]!.body)).not.toHaveProperty("Timestamp");
    await emulator.push({ url: s.url, push: "record", rawBody: "[not json" });
    expect(s.received[1]!.body).toBe("[not json");
  });

  it("pushes again with the same UUID, at most 3 times, while the answer is not ErrCode 0, recording each attempt", async () => {
    const answers = [
      (res: ServerResponse) => res.writeHead(200).end('{"ErrCode":7,"ErrMsg":"busy"}'),
      (res: ServerResponse) => res.writeHead(502).end("<html>bad gateway</html>"),
      (res: ServerResponse) => res.writeHead(200).end("OK"),
      (res: ServerResponse) => res.writeHead(200).end('{"ErrCode":0,"ErrMsg":""}'),
    ];
    const s = await server((n, res) => answers[n - 1]!(res));
    const delivery = await emulator.push({ url: s.url, push: "voicemail", uuid: "vm-1" });
    expect(delivery.attempts.map(({ durationMs: _, ...a }) => a)).toEqual([
      { attempt: 1, outcome: "refused", status: 200, errCode: 7, errMsg: "busy" },
      { attempt: 2, outcome: "http-error", status: 502, detail: "<html>bad gateway</html>" },
      { attempt: 3, outcome: "unparsable", status: 200, detail: "OK" },
      { attempt: 4, outcome: "accepted", status: 200, errCode: 0, errMsg: "" },
    ]);
    expect(s.received.map((r) => r.headers["x-tccc-push-uuid"])).toEqual(["vm-1", "vm-1", "vm-1", "vm-1"]);
    expect(emulator.pushes()).toEqual([delivery]);
  });

  it("gives up after maxRetries; a refused connection is a connection-error", async () => {
    const s = await server(reply(500, 500));
    const refused = await emulator.push({ url: s.url, push: "cdr", maxRetries: 1 });
    expect(refused).toMatchObject({ delivered: false, attempts: [{ outcome: "refused" }, { outcome: "refused" }] });
    const url = s.url;
    await s.close();
    servers.length = 0;
    const down = await emulator.push({ url, push: "cdr", maxRetries: 2 });
    expect(down.attempts.map((a) => a.outcome)).toEqual(["connection-error", "connection-error", "connection-error"]);
    expect(down.attempts[0]!.detail).toContain("ECONNREFUSED");
  });

  it("follows no redirect", async () => {
    const target = await server(reply(0));
    const s = await server((_n, res) => res.writeHead(302, { Location: target.url }).end());
    const delivery = await emulator.push({ url: s.url, push: "cdr", maxRetries: 0 });
    expect(delivery.attempts).toEqual([expect.objectContaining({ outcome: "http-error", status: 302 })]);
    expect(target.received).toHaveLength(0);
  });

  it("sends Basic, and fetches an OAuth token (client credentials) before pushing it as a bearer token", async () => {
    const hook = await server(reply(0));
    await emulator.push({ url: hook.url, push: "cdr", auth: { type: "basic", username: "ccc", password: "p:w" } });
    expect(hook.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from("ccc:p:w").toString("base64")}`);
    const token = await server((_n, res) =>
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end('{"access_token":"tok.en-1","token_type":"bearer"}'),
    );
    const oauth = { type: "oauth", tokenUrl: token.url, clientId: "id 1", clientSecret: "s&cret" } as const;
    await emulator.push({ url: hook.url, push: "cdr", auth: oauth });
    await emulator.push({ url: hook.url, push: "cdr", auth: { ...oauth, clientAuth: "form" } });
    expect(token.received.map((r) => [r.headers.authorization, r.body])).toEqual([
      [`Basic ${Buffer.from("id+1:s%26cret").toString("base64")}`, "grant_type=client_credentials"],
      [undefined, "grant_type=client_credentials&client_id=id+1&client_secret=s%26cret"],
    ]);
    expect(token.received[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(hook.received.slice(1).map((r) => r.headers.authorization)).toEqual(["Bearer tok.en-1", "Bearer tok.en-1"]);
  });

  it("records a token URL that gives no token as token-error, and pushes nothing", async () => {
    const hook = await server(reply(0));
    const token = await server((_n, res) => res.writeHead(200).end('{"token_type":"bearer"}'));
    const delivery = await emulator.push({
      url: hook.url,
      push: "cdr",
      maxRetries: 0,
      auth: { type: "oauth", tokenUrl: token.url, clientId: "a", clientSecret: "b" },
    });
    expect(delivery.attempts).toEqual([expect.objectContaining({ outcome: "token-error", status: 200 })]);
    expect(hook.received).toHaveLength(0);
  });

  it("times an attempt out after timeoutMs, and ends a push under way when the emulator closes", async () => {
    const silent = await server(() => undefined);
    const timedOut = await emulator.push({ url: silent.url, push: "cdr", maxRetries: 0, timeoutMs: 100 });
    expect(timedOut.attempts).toEqual([expect.objectContaining({ outcome: "timeout" })]);
    const other = await startEmulator();
    const pending = other.push({ url: silent.url, push: "cdr", timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await other.close();
    const delivery = await pending;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(delivery.attempts.map((a) => a.outcome)).toEqual(["aborted"]);
  });

  const refusals: [string, Partial<PushOptions> & Record<string, unknown>, RegExp][] = [
    ["localhost", { url: "http://localhost:8080/hook" }, /push\.url must be on 127\.0\.0\.1 .*not localhost/],
    ["another address", { url: "http://10.0.0.1/hook" }, /push\.url must be on 127\.0\.0\.1/],
    ["a host name", { url: "https://example.com/hook" }, /push\.url must be on 127\.0\.0\.1.*not example\.com/],
    ["IPv6 loopback", { url: "http://[::1]:8080/hook" }, /push\.url must be on 127\.0\.0\.1/],
    ["another scheme", { url: "ftp://127.0.0.1/hook" }, /push\.url must be an http:\/\/ or https:\/\/ URL/],
    ["a relative URL", { url: "/hook" }, /push\.url must be an absolute/],
    ["credentials in the URL", { url: "http://u:secret@127.0.0.1/hook" }, /must not hold a user or password/],
    ["an unknown push", { push: "sms" }, /push\.push must be the action of a push: cdr, record, voicemail/],
    ["an unknown field", { retries: 2 }, /push\.retries is not a field/],
    ["maxRetries over CCC's 3", { maxRetries: 4 }, /push\.maxRetries must be an integer from 0 to 3/],
    ["members and rawBody", { members: {}, rawBody: "x" }, /members or rawBody, not both/],
    ["members that are a list", { members: [] as never }, /push\.members must be an object/],
    ["an unknown auth", { auth: { type: "digest" } as never }, /push\.auth\.type must be one of none, basic, oauth/],
    [
      "basic without a password",
      { auth: { type: "basic", username: "u" } as never },
      /push\.auth\.password is required/,
    ],
    [
      "a token URL elsewhere",
      { auth: { type: "oauth", tokenUrl: "https://auth.example.com/token", clientId: "a", clientSecret: "b" } },
      /push\.auth\.tokenUrl must be on 127\.0\.0\.1/,
    ],
    ["a UUID with a space", { uuid: "a b" }, /push\.uuid must be 1 to 256 visible ASCII/],
  ];
  it.each(refusals)("refuses %s, naming the field, before sending anything", async (_name, fields, message) => {
    const s = await server(reply(0));
    const options = { url: s.url, push: "cdr", ...fields } as PushOptions;
    await expect(emulator.push(options)).rejects.toThrow(message);
    await expect(emulator.push(options)).rejects.toBeInstanceOf(TypeError);
    expect(s.received).toHaveLength(0);
    expect(emulator.pushes()).toEqual([]);
  });
});

describe("POST /__admin/push", () => {
  const admin = async (path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it("answers the delivery; GET /__admin/pushes lists it; reset clears it", async () => {
    const s = await server(reply(0));
    const sent = await admin("/__admin/push", { url: s.url, push: "record" });
    expect(sent).toMatchObject({ status: 200, body: { push: "record", delivered: true, seq: expect.any(Number) } });
    expect((await admin("/__admin/pushes")).body).toEqual([sent.body]);
    await admin("/__admin/reset", {});
    expect((await admin("/__admin/pushes")).body).toEqual([]);
  });

  it("refuses a malformed push with 400 naming the field, without repeating its secrets", async () => {
    const answer = await admin("/__admin/push", {
      url: "http://169.254.169.254/latest",
      push: "cdr",
      auth: { type: "basic", username: "u", password: "do-not-echo" },
    });
    expect(answer).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^push\.url must be on 127\.0\.0\.1/) },
    });
    expect(JSON.stringify(answer)).not.toContain("do-not-echo");
  });
});

// The emulator under hostile or careless input (issue "One call pipeline that holds on real networks", point 9):
// a nesting cap and a size cap that hold for chunked uploads, no internals in any answer, faults checked completely
// when they are scripted, bounded records, no session token in the recorded canonical request, an admin API only
// for loopback Host names and JSON posts, and an emulator that ends with the launcher that started it.
// Only 127.0.0.1 is contacted; every loop is bounded by a count and every wait by a time.

import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type RecordedRequest } from "../../src/emulator/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type Credential, type TestServer } from "../server/harness.js";
import { built } from "../support/built.js";
import { describeRun, runNode } from "../support/run.js";
import {
  call as signedCall,
  canConnect,
  expectError,
  expectOk,
  first,
  rawRequest,
  VALID_DISABLE,
  waitFor,
  type CallOptions,
} from "./support.js";
import { REPO } from "../support/paths.js";

const MiB = 1024 * 1024;

const TOKEN_CREDENTIAL: Credential = {
  secretId: "AKIDTOKENHARDENING00000000000000000000",
  secretKey: "hardening-secret-key-abcdefghijkl",
  token: "Session-Token-Hardening-XYZ",
};

/** Resident memory of a process, in bytes (Linux: VmRSS of /proc/<pid>/status). */
async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

const mb = (bytes: number) => Math.round(bytes / MiB);

// ---------------------------------------------------------------------------------------------------------------
// 1. Body nesting and size

/** `levels` nested lists around nothing: `[[[...]]]`. */
const nestedLists = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

interface UploadResult {
  /** The answer, when one came. */
  status?: number;
  text?: string;
  /** Bytes the client managed to write before the answer or the end of the connection. */
  written: number;
  /** Why the connection ended without an answer. */
  error?: string;
}

/**
 * Streams `totalBytes` of body with Transfer-Encoding: chunked (no Content-Length), in `chunkBytes` pieces, and
 * stops writing as soon as an answer arrives or the connection ends. Bounded by `timeoutMs`.
 */
function chunkedUpload(port: number, totalBytes: number, chunkBytes: number, timeoutMs: number): Promise<UploadResult> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(chunkBytes, "x");
    let written = 0;
    let settled = false;
    const finish = (r: Omit<UploadResult, "written">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...r, written });
    };
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        agent: false,
        headers: { "content-type": "application/json", "x-tc-action": "DisableCCCPhoneNumber" },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () => finish({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8") }));
        res.on("error", (e) => finish({ error: e.message }));
      },
    );
    req.on("error", (e) => finish({ error: e.message }));
    const timer = setTimeout(() => finish({ error: "client timeout" }), timeoutMs);
    const pump = () => {
      while (!settled && written < totalBytes) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!settled) req.end();
    };
    pump();
  });
}

describe("request bodies: nesting and size caps", () => {
  let server: TestServer;
  const call = (o: Partial<CallOptions> = {}) => signedCall(server.port, { credential: DEFAULT_CREDENTIAL, ...o });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await server.reset();
  });

  it("answers InvalidParameter naming the 64-level limit for a body nested deeper, wherever the nesting is", async () => {
    const deep = 100_000;
    const bodies = [
      nestedLists(deep),
      `${'{"a":'.repeat(deep)}1${"}".repeat(deep)}`,
      `{"Disabled":1,"PhoneNumbers":${nestedLists(deep)}}`,
      `{"Disabled":1,"PhoneNumbers":["0086"],"SdkAppId":${nestedLists(deep)}}`,
      `{"Disabled":1,"PhoneNumbers":${nestedLists(64)}}`, // 65 levels with the outer object
    ];
    for (const body of bodies) {
      const json = await expectError(call({ body }), "InvalidParameter", "64");
      expect(json.Response.Error.Message).toMatch(/nested more than 64 levels/);
    }
    expect((await server.requests()).map((r) => r.outcome)).toEqual(bodies.map(() => "InvalidParameter"));
  });

  it("lets 64 levels through to the usual checks, and does not count brackets inside strings", async () => {
    // 1 (the object) + 63 lists = 64 levels: an unknown member, not a nesting error.
    await expectError(
      call({ body: `{"Disabled":1,"PhoneNumbers":["0086"],"Extra":${nestedLists(63)}}` }),
      "UnknownParameter",
      "`Extra`",
    );
    const brackets = `["${"[{".repeat(50_000)}"]`;
    await expectError(call({ body: `{"Disabled":1,"PhoneNumbers":${brackets}}` }), "InvalidParameterValue");
  });

  it("caps a chunked upload without Content-Length at 10 MB too, and cuts an endless one without holding it", async () => {
    const over = await chunkedUpload(server.port, 11 * MiB, 64 * 1024, 30_000);
    expect(over.status, over.error).toBe(200);
    expect(JSON.parse(over.text!).Response.Error.Code).toBe("RequestSizeLimitExceeded");

    const before = await residentBytes(server.pid);
    // Far more than the emulator drains (40 MB): it must close the connection long before the client is done.
    const endless = await chunkedUpload(server.port, 400 * MiB, 256 * 1024, 30_000);
    const after = await residentBytes(server.pid);
    console.log(
      `emulator RSS: ${mb(before)} MB before, ${mb(after)} MB after an endless chunked upload cut at ${mb(endless.written)} MB`,
    );
    expect(endless.written).toBeLessThan(400 * MiB);
    // Cut off: either the answer came before the connection ended, or the connection just ended.
    if (endless.status === undefined) expect(endless.error).not.toBe("client timeout");
    else expect(JSON.parse(endless.text!).Response.Error.Code).toBe("RequestSizeLimitExceeded");
    expect(after - before, `RSS ${mb(before)} MB -> ${mb(after)} MB`).toBeLessThan(100 * MiB);
    const outcomes = (await server.requests()).map((r) => r.outcome);
    expect(outcomes).toEqual(["RequestSizeLimitExceeded", "RequestSizeLimitExceeded"]);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Internal errors

const INTERNAL_DETAIL = "validator exploded at /srv/secret-build/internal-module.ts:42";

/**
 * A generated folder with two broken actions, stand-ins for any bug in the emulator: `Boom`'s validation throws
 * (validate() may throw or report it), and `Unanswerable`'s example answer cannot be copied (a throw in the
 * emulator itself, after the checks passed).
 */
async function writeBrokenGeneratedFolder(dir: string): Promise<void> {
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(
    path.join(dir, "client.js"),
    `const detail = ${JSON.stringify(INTERNAL_DETAIL)};
     export const commands = {
       Boom: {
         name: "Boom",
         path: "/#Boom",
         idempotent: true,
         input: { Payload: { type: "model", model: () => { throw new Error(detail); } } },
       },
       Unanswerable: { name: "Unanswerable", path: "/#Unanswerable", idempotent: true, input: {} },
     };\n`,
  );
  await writeFile(
    path.join(dir, "catalog.js"),
    `export const catalog = {
       service: "ccc",
       version: "2020-02-10",
       actions: { Unanswerable: { example: { response: { RequestId: "x", Detail: function internalDetail() {} } } } },
     };\n`,
  );
}

describe("internal errors", () => {
  let dir: string;
  let server: TestServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ccc-broken-generated-"));
    await writeBrokenGeneratedFolder(dir);
    server = await startTestServer({ generatedDir: dir });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("answer a generic InternalError envelope, record the call, and keep the detail on stderr", async () => {
    for (const [action, body, detail] of [
      ["Boom", { Payload: {} }, INTERNAL_DETAIL],
      ["Unanswerable", {}, "internalDetail"],
    ] as const) {
      const r = await signedCall(server.port, { credential: DEFAULT_CREDENTIAL, action, body });
      const json = await expectError(Promise.resolve(r), "InternalError");
      expect(Object.keys(json.Response.Error)).toEqual(["Code", "Message"]);
      expect(json.Response.Error.Message).toBe("Emulator internal error.");
      for (const leak of ["exploded", "internalDetail", "/srv", "internal-module", ".ts", "    at ", "Error:"])
        expect(r.text, action).not.toContain(leak);
      await waitFor(() => (server.stderr().includes(detail) ? true : undefined), 3000);
    }
    expect((await server.requests()).map((r) => [r.action, r.outcome])).toEqual([
      ["Boom", "InternalError"],
      ["Unanswerable", "InternalError"],
    ]);
    expect(server.stderr()).toContain("ccc-emulator: internal error");
    expect(server.stderr()).not.toContain(DEFAULT_CREDENTIAL.secretKey);
    // The emulator carries on.
    await expectError(
      signedCall(server.port, { credential: DEFAULT_CREDENTIAL, action: "Unanswerable", body: { Extra: 1 } }),
      "UnknownParameter",
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Faults are checked when they are scripted

/** POST /__admin/faults with `body` JSON-encoded, or with `{ raw }` JSON text as is. */
async function postFault(emulator: Emulator, body: unknown) {
  const raw = (body as { raw?: unknown } | null)?.raw;
  const res = await fetch(`${emulator.url}/__admin/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof raw === "string" ? raw : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, json: (await res.json()) as { error?: string; ok?: boolean } };
}

const HTTP_FAULT = { type: "http", status: 502, body: "<html>502</html>" } as const;

/** Malformed faults and the field (or sentence) the refusal names; each is refused in-process and over HTTP. */
const MALFORMED: [fault: unknown, reason: string | RegExp][] = [
  [null, "fault must be a JSON object"],
  [[], "fault must be a JSON object"],
  ["error", "fault must be a JSON object"],
  [{ type: "explode" }, /^fault\.type must be one of error, http, /],
  [{ code: "X" }, /^fault\.type must be one of/],
  [
    { type: "error", code: "X", tmes: 3 },
    /^fault\.tmes is not a field of error faults \(their fields: type, action, times, code, message\)$/,
  ],
  [{ type: "cut", ms: 5 }, /^fault\.ms is not a field of cut faults/],
  [{ type: "reset", action: 5 }, "fault.action must be a string"],
  [{ type: "reset", action: "DisableCCCPhoneNumbr" }, /^fault\.action "DisableCCCPhoneNumbr" is not an action/],
  [{ type: "error", code: "X", times: 0 }, /^fault\.times must be an integer from 1 to 1000000/],
  [{ type: "error", code: "X", times: 1.5 }, /^fault\.times must be an integer/],
  [{ type: "error", code: "X", times: 1e300 }, /^fault\.times must be an integer from 1 to 1000000/],
  [{ type: "error", code: "X", times: 1_000_001 }, /^fault\.times/],
  [{ type: "error", code: "X", times: "2" }, /^fault\.times/],
  [{ type: "error" }, "fault.code is required for error faults"],
  [{ type: "error", code: "" }, /^fault\.code must be/],
  [{ type: "error", code: 5 }, /^fault\.code must be/],
  [{ type: "error", code: "Failed\r\nOperation" }, /^fault\.code must be/],
  [{ type: "error", code: "Failed Operation" }, /^fault\.code must be/],
  [{ type: "error", code: "X".repeat(129) }, /^fault\.code must be/],
  [{ type: "error", code: "X", message: 7 }, "fault.message must be a string"],
  [{ type: "error", code: "X", message: "line\nbreak" }, "fault.message must not contain control characters"],
  [{ type: "error", code: "X", message: "nul\u0000" }, "fault.message must not contain control characters"],
  [{ type: "error", code: "X", message: "m".repeat(4097) }, /^fault\.message must be at most 4096 characters/],
  [{ type: "http", body: "x" }, "fault.status is required for http faults"],
  [{ ...HTTP_FAULT, status: 101 }, /^fault\.status must be an integer from 200 to 599 other than 204, 205 and 304/],
  [{ ...HTTP_FAULT, status: 204 }, /^fault\.status must be/],
  [{ ...HTTP_FAULT, status: 205 }, /^fault\.status must be/],
  [{ ...HTTP_FAULT, status: 304 }, /^fault\.status must be/],
  [{ ...HTTP_FAULT, status: 600 }, /^fault\.status must be/],
  [{ ...HTTP_FAULT, status: 502.5 }, /^fault\.status must be/],
  [{ ...HTTP_FAULT, status: "502" }, /^fault\.status must be/],
  [{ type: "http", status: 502 }, "fault.body is required for http faults"],
  [{ ...HTTP_FAULT, body: 7 }, "fault.body must be a string"],
  [{ ...HTTP_FAULT, body: "é".repeat(32 * 1024 + 1) }, /^fault\.body must be at most 65536 bytes/],
  [
    { ...HTTP_FAULT, contentType: "text/html\r\nX-Injected: 1" },
    "fault.contentType must not contain control characters",
  ],
  [{ ...HTTP_FAULT, contentType: "text/\u0001html" }, "fault.contentType must not contain control characters"],
  [{ ...HTTP_FAULT, contentType: "text/html; charset=中文" }, /^fault\.contentType must be printable ASCII/],
  [{ ...HTTP_FAULT, contentType: "text/htmlé" }, /^fault\.contentType must be printable ASCII/],
  [{ ...HTTP_FAULT, contentType: "" }, "fault.contentType must not be empty"],
  [{ ...HTTP_FAULT, contentType: 5 }, "fault.contentType must be a string"],
  [{ type: "delay" }, "fault.ms is required for delay faults"],
  [{ type: "delay", ms: -1 }, /^fault\.ms must be a number of milliseconds from 0 to 30000/],
  [{ type: "delay", ms: 30_001 }, /^fault\.ms must be a number of milliseconds from 0 to 30000/],
  [{ type: "delay", ms: 1e9 }, /^fault\.ms/],
  [{ type: "delay", ms: "100" }, /^fault\.ms/],
];

describe("faults are checked completely when they are scripted", () => {
  let emulator: Emulator;
  const call = (o: Partial<CallOptions> = {}) => signedCall(emulator.port, { credential: DEFAULT_CREDENTIAL, ...o });

  beforeAll(async () => {
    emulator = await startEmulator({ credentials: [DEFAULT_CREDENTIAL] });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.reset();
  });

  it("refuses each malformed fault over HTTP (400, naming the field) and in-process (TypeError, the same words)", async () => {
    for (const [fault, reason] of MALFORMED) {
      const label = JSON.stringify(fault)?.slice(0, 120) ?? String(fault);
      const posted = await postFault(emulator, fault);
      expect(posted.status, label).toBe(400);
      expect(Object.keys(posted.json), label).toEqual(["error"]);
      if (typeof reason === "string") expect(posted.json.error, label).toBe(reason);
      else expect(posted.json.error, label).toMatch(reason);
      let thrown: unknown;
      try {
        emulator.inject(fault as never);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, label).toBeInstanceOf(TypeError);
      expect((thrown as TypeError).message, label).toBe(posted.json.error);
    }
    expect(emulator.faults()).toEqual([]);
  });

  it("refuses in-process values JSON cannot carry, and a key that JSON.parse turns into an own __proto__", async () => {
    expect(() => emulator.inject({ type: "delay", ms: Number.POSITIVE_INFINITY })).toThrow(/^fault\.ms/);
    expect(() => emulator.inject({ type: "delay", ms: Number.NaN })).toThrow(/^fault\.ms/);
    expect(() => emulator.inject({ type: "error", code: "X", message: (() => "m") as never })).toThrow(
      "fault.message must be a string",
    );
    const posted = await postFault(emulator, { raw: '{"type":"error","code":"X","__proto__":{"times":5}}' });
    expect(posted).toEqual({ status: 400, json: { error: expect.stringMatching(/^fault\.__proto__ is not a field/) } });
    expect(emulator.faults()).toEqual([]);
  });

  it("queues at most 1000 faults", async () => {
    for (let i = 0; i < 1000; i++) emulator.inject({ type: "error", code: "X" });
    expect(() => emulator.inject({ type: "error", code: "X" })).toThrow(/fault queue is full \(1000 faults\)/);
    const posted = await postFault(emulator, { type: "error", code: "X" });
    expect(posted.status).toBe(400);
    expect(posted.json.error).toMatch(/fault queue is full/);
    expect(emulator.faults()).toHaveLength(1000);
  });

  it("plays every accepted fault type, edge values included", async () => {
    const page = `<html>${"p".repeat(64 * 1024 - 13)}</html>`; // exactly 64 KiB
    expect(Buffer.byteLength(page)).toBe(64 * 1024);
    emulator.inject({ type: "delay", ms: 30_000 }); // the cap itself is accepted
    expect(emulator.faults()).toEqual([{ type: "delay", ms: 30_000, times: 1 }]);
    emulator.reset();

    emulator.inject({
      type: "error",
      code: "FailedOperation.CurStateNotAllowModify",
      message: "号码当前状态不允许修改 (état)",
      times: 2,
    });
    for (let i = 0; i < 2; i++)
      await expectError(call(), "FailedOperation.CurStateNotAllowModify", "号码当前状态不允许修改 (état)");

    const gatewayPage = { ...HTTP_FAULT, status: 599, body: page, contentType: "text/html; charset=ISO-8859-1" };
    expect((await postFault(emulator, gatewayPage)).status).toBe(200);
    const gateway = await call();
    expect([gateway.status, gateway.headers["content-type"], gateway.text]).toEqual([
      599,
      "text/html; charset=ISO-8859-1",
      page,
    ]);
    emulator.inject({ type: "http", status: 200, body: "plain" });
    const plain = await call();
    expect([plain.status, plain.headers["content-type"], plain.text]).toEqual([
      200,
      "text/plain; charset=utf-8",
      "plain",
    ]);

    emulator.inject({ type: "truncated" });
    const truncated = await call();
    expect(() => truncated.json()).toThrow();
    emulator.inject({ type: "cut" });
    await expect(call()).rejects.toThrow();
    emulator.inject({ type: "delay", ms: 50, action: "DisableCCCPhoneNumber" });
    await expectOk(call());
    emulator.inject({ type: "reset" });
    await expect(call()).rejects.toThrow();
    emulator.inject({ type: "reset-after-read" });
    await expect(call()).rejects.toThrow();

    expect(emulator.requests().map((r) => r.outcome)).toEqual([
      "fault:error",
      "fault:error",
      "fault:http",
      "fault:http",
      "fault:truncated",
      "fault:cut",
      "ok",
      "fault:reset",
      "fault:reset-after-read",
    ]);
    expect(emulator.faults()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 4. Records are bounded

describe("records are bounded", () => {
  it("keeps the last maxRecords calls (default 1000), oldest dropped first", async () => {
    const emulator = await startEmulator({ credentials: [DEFAULT_CREDENTIAL], maxRecords: 3 });
    try {
      for (let i = 0; i < 5; i++) await expectOk(signedCall(emulator.port, { credential: DEFAULT_CREDENTIAL }));
      expect(emulator.requests().map((r) => r.seq)).toEqual([3, 4, 5]);
      emulator.reset();
      expect(emulator.requests()).toEqual([]);
      await expectOk(signedCall(emulator.port, { credential: DEFAULT_CREDENTIAL }));
      expect(emulator.requests().map((r) => r.seq)).toEqual([6]);
    } finally {
      await emulator.close();
    }
    const defaults = await startEmulator({ credentials: [DEFAULT_CREDENTIAL] });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    try {
      for (let i = 0; i < 1001; i += 7)
        await Promise.all(
          Array.from({ length: Math.min(7, 1001 - i) }, () =>
            signedCall(defaults.port, { credential: DEFAULT_CREDENTIAL, body: "{}", agent }),
          ),
        );
      const seqs = defaults.requests().map((r) => r.seq);
      expect(seqs).toHaveLength(1000);
      expect(seqs[0]).toBe(2);
      expect(seqs.at(-1)).toBe(1001);
    } finally {
      agent.destroy();
      await defaults.close();
    }
  }, 60_000);

  it("refuses a maxRecords that is not a whole number from 0 to 1000000", async () => {
    for (const maxRecords of [-1, 1.5, 1_000_001, "10", Number.NaN])
      await expect(startEmulator({ maxRecords: maxRecords as never })).rejects.toThrow(
        /^maxRecords must be a whole number from 0 to 1000000/,
      );
    const none = await startEmulator({ credentials: [DEFAULT_CREDENTIAL], maxRecords: 0 });
    try {
      await expectOk(signedCall(none.port, { credential: DEFAULT_CREDENTIAL }));
      expect(none.requests()).toEqual([]);
    } finally {
      await none.close();
    }
  });

  it("keeps the first 64 KiB of a body, cut on a character boundary, with bodyTruncated and bodyBytes", async () => {
    const emulator = await startEmulator({ credentials: [DEFAULT_CREDENTIAL] });
    try {
      // "中" is 3 bytes in UTF-8: pad the start so that the 64 KiB boundary falls after the first byte of one.
      const start = Buffer.byteLength(JSON.stringify({ ...VALID_DISABLE, Pad: "" })) - 2;
      const ascii = (((64 * 1024 - start - 1) % 3) + 3) % 3;
      const big = JSON.stringify({ ...VALID_DISABLE, Pad: "a".repeat(ascii) + "中".repeat(30_000) });
      expect((64 * 1024 - start - ascii) % 3).toBe(1);
      await expectError(signedCall(emulator.port, { credential: DEFAULT_CREDENTIAL, body: big }), "UnknownParameter");
      await expectOk(signedCall(emulator.port, { credential: DEFAULT_CREDENTIAL }));
      const [truncated, small] = emulator.requests() as [RecordedRequest, RecordedRequest];
      expect(truncated.bodyTruncated).toBe(true);
      expect(truncated.bodyBytes).toBe(Buffer.byteLength(big));
      expect(big.startsWith(truncated.body)).toBe(true);
      expect(truncated.body).not.toContain("\uFFFD");
      expect(Buffer.byteLength(truncated.body)).toBe(64 * 1024 - 1); // the cut character is left out whole
      expect(small.body).toBe(JSON.stringify(VALID_DISABLE));
      expect(small.bodyBytes).toBe(Buffer.byteLength(small.body));
      expect(small.bodyTruncated).toBeUndefined();
    } finally {
      await emulator.close();
    }
  });

  it("--max-records N bounds the CLI's records, and a malformed N is a usage error", async () => {
    const server = await startTestServer({ maxRecords: 2 });
    try {
      for (let i = 0; i < 4; i++) await expectOk(signedCall(server.port, { credential: DEFAULT_CREDENTIAL }));
      expect((await server.requests()).map((r) => r.seq)).toEqual([3, 4]);
    } finally {
      await server.close();
    }
    const values = ["x", "-1", "1.5", "1000001"];
    const [help, ...malformed] = await Promise.all(
      [["--help"], ...values.map((value) => ["--max-records", value])].map((args) =>
        runNode([built("emulator/main"), ...args], { timeoutMs: 15_000 }),
      ),
    );
    for (const [i, value] of values.entries()) {
      const r = malformed[i]!;
      expect(r.code, `${value}: ${describeRun(r)}`).toBe(2);
      expect(r.stderr, value).toContain("--max-records");
    }
    expect(help!.code, describeRun(help!)).toBe(0);
    expect(help!.stdout).toContain("--max-records N");
  }, 60_000);

  // 20 × 9 MB: 180 MB through the server; keeping the bodies (the finding: +420 MB over 40) would exceed the bound.
  it("stays within 150 MB of resident memory over 20 calls with 9 MB bodies", async () => {
    const server = await startTestServer();
    try {
      await expectOk(signedCall(server.port, { credential: DEFAULT_CREDENTIAL })); // warm up
      const before = await residentBytes(server.pid);
      const body = JSON.stringify({ ...VALID_DISABLE, Pad: "x".repeat(9 * 1000 * 1000) });
      for (let i = 0; i < 20; i++)
        await expectError(
          signedCall(server.port, { credential: DEFAULT_CREDENTIAL, body, timeoutMs: 30_000 }),
          "UnknownParameter",
        );
      const after = await residentBytes(server.pid);
      console.log(`emulator RSS: ${mb(before)} MB before, ${mb(after)} MB after 20 x 9 MB bodies`);
      const records = await server.requests();
      expect(records).toHaveLength(21);
      expect(records.slice(1).every((r) => r.bodyTruncated === true && r.bodyBytes === body.length)).toBe(true);
      expect(after - before, `RSS ${mb(before)} MB -> ${mb(after)} MB`).toBeLessThan(150 * MiB);
    } finally {
      await server.close();
    }
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------------------
// 5. The session token stays out of the recorded canonical request

describe("the recorded canonical request", () => {
  it("shows a signed x-tc-token as ***, as the token header is", async () => {
    const server = await startTestServer({ credentials: [TOKEN_CREDENTIAL] });
    try {
      await expectOk(
        signedCall(server.port, {
          credential: TOKEN_CREDENTIAL,
          signedHeaders: ["content-type", "host", "x-tc-action", "x-tc-token"],
        }),
      );
      const record = first(await server.requests());
      expect(record.signedHeaders).toContain("x-tc-token");
      expect(record.canonicalRequest).toContain("\nx-tc-token:***\n");
      expect(record.canonicalRequest).toContain("\ncontent-type;host;x-tc-action;x-tc-token\n");
      const text = JSON.stringify(await server.requests()).toLowerCase();
      expect(text).not.toContain(TOKEN_CREDENTIAL.token!.toLowerCase());
      expect(text).not.toContain(TOKEN_CREDENTIAL.secretKey.toLowerCase());
    } finally {
      await server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 6. The admin API is for loopback Host names and JSON posts

/** An admin request with a chosen Host header and content type. */
function adminRequest(
  port: number,
  o: { method?: "GET" | "POST" | "OPTIONS"; route: string; host?: string; contentType?: string; body?: string },
) {
  const headers: Record<string, string> = { host: o.host ?? `127.0.0.1:${port}` };
  if (o.contentType !== undefined) headers["content-type"] = o.contentType;
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  if (body) headers["content-length"] = String(body.length);
  return rawRequest(port, {
    method: o.method ?? "GET",
    path: `/__admin/${o.route}`,
    headers,
    ...(body ? { body } : {}),
  });
}

/** An HTTP/1.0 request without any Host header, over a raw socket; the status line's code. */
function statusWithoutHost(port: number, route: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let text = "";
    socket.setTimeout(5_000, () => socket.destroy(new Error("timeout")));
    socket.on("connect", () => socket.write(`GET /__admin/${route} HTTP/1.0\r\n\r\n`));
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (text += d));
    socket.on("error", reject);
    socket.on("close", () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0)));
  });
}

describe("the admin API", () => {
  let emulator: Emulator;
  let port: number;

  beforeAll(async () => {
    emulator = await startEmulator({ credentials: [DEFAULT_CREDENTIAL] });
    port = emulator.port;
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.reset();
  });

  it("answers 403 for a Host that is not a loopback name with its port (DNS rebinding), and does nothing", async () => {
    await expectOk(signedCall(port, { credential: DEFAULT_CREDENTIAL }));
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `localhost:${port}0`,
      "127.0.0.1",
      "localhost",
      `127.0.0.1:${port}@evil.example`,
    ]) {
      const read = await adminRequest(port, { route: "requests", host });
      expect(read.status, host).toBe(403);
      expect(read.json(), host).toEqual({ error: expect.stringContaining("Host") });
      const reset = await adminRequest(port, {
        method: "POST",
        route: "reset",
        host,
        contentType: "application/json",
        body: "{}",
      });
      expect(reset.status, host).toBe(403);
    }
    expect(await statusWithoutHost(port, "requests")).toBe(403);
    expect(emulator.requests()).toHaveLength(1); // nothing was reset
  });

  it("serves 127.0.0.1, localhost and [::1] with its port", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
      const r = await adminRequest(port, { route: "faults", host });
      expect([r.status, r.json()], host).toEqual([200, []]);
    }
  });

  it("answers 415 for an admin POST that is not application/json, as a cross-origin form or text/plain one", async () => {
    emulator.inject({ type: "error", code: "X" });
    const fault = JSON.stringify({ type: "error", code: "Y" });
    for (const contentType of [
      undefined,
      "text/plain",
      "text/plain; charset=utf-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      "application/json-seq",
    ]) {
      for (const route of ["faults", "reset", "clock"]) {
        const r = await adminRequest(port, {
          method: "POST",
          route,
          body: fault,
          ...(contentType ? { contentType } : {}),
        });
        expect(r.status, `${route} ${contentType}`).toBe(415);
        expect(r.json().error, `${route} ${contentType}`).toContain("application/json");
      }
    }
    expect(emulator.faults()).toEqual([{ type: "error", code: "X", times: 1 }]);
    const ok = await adminRequest(port, {
      method: "POST",
      route: "faults",
      contentType: "Application/JSON; charset=utf-8",
      body: fault,
    });
    expect(ok.status).toBe(200);
    expect(emulator.faults()).toHaveLength(2);
  });

  it("never sends CORS headers, preflight included", async () => {
    const origin = { Origin: "https://evil.example" };
    const answers = [
      await rawRequest(port, {
        method: "OPTIONS",
        path: "/__admin/faults",
        headers: {
          ...origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type",
        },
      }),
      await rawRequest(port, { method: "GET", path: "/__admin/requests", headers: origin }),
      await adminRequest(port, { route: "requests", host: `evil.example:${port}` }),
      await adminRequest(port, { method: "POST", route: "reset", contentType: "text/plain", body: "{}" }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 200, 403, 415]);
    for (const a of answers) expect(Object.keys(a.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 7. The emulator ends with its launcher

/** Parent pid of every process, from /proc (Linux). */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
  }
  return parents;
}

/** The pid of the emulator's node process started (directly or not) by `launcherPid`. */
async function emulatorPidUnder(launcherPid: number): Promise<number> {
  const parents = await parentPids();
  const descends = (pid: number) => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 32; hops++) {
      if (p === launcherPid) return true;
      p = parents.get(p);
    }
    return false;
  };
  for (const pid of parents.keys()) {
    if (pid === launcherPid || !descends(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.startsWith(process.execPath) && cmdline.includes(`emulator${path.sep}main.`)) return pid;
  }
  throw new Error(`no emulator process under pid ${launcherPid}`);
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Launched {
  launcher: ChildProcess;
  port: number;
  emulatorPid: number;
}

/** Starts `command args` (a launcher that starts the emulator) and waits for the emulator's listening line. */
async function launch(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const launcher = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  launcher.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
  launcher.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
  let port: number;
  let emulatorPid: number;
  try {
    port = await waitFor(() => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) return Number(m[1]);
      if (launcher.exitCode !== null) throw new Error(`the launcher exited: ${output}`);
      return undefined;
    }, 30_000);
    emulatorPid = await emulatorPidUnder(launcher.pid!);
  } catch (e) {
    // The caller never learns the pids: end the launcher here (the emulator follows its parent out).
    launcher.kill("SIGKILL");
    throw e;
  }
  const launched: Launched = { launcher, port, emulatorPid };
  return { ...launched, output: () => output };
}

/** Ends what a test started, by pid, whatever the test's outcome. */
function cleanUp(launched: Launched | undefined): void {
  if (!launched) return;
  for (const pid of [launched.emulatorPid, launched.launcher.pid])
    if (pid !== undefined && isRunning(pid)) process.kill(pid, "SIGKILL");
}

/** Polls until nothing accepts connections on `port` (true), or `timeoutMs` passed (false). */
async function stopsServing(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await canConnect(port))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const emulatorCommand = (extra: string[] = []) =>
  [process.execPath, built("emulator/main"), "--port", "0", "--credential", "ID:KEY", ...extra]
    .map((a) => `'${a}'`)
    .join(" ");

describe("the emulator ends with its launcher", () => {
  it("a shell launcher (sh -c, as npm runs bins) that is terminated takes the emulator with it", async () => {
    let launched: Launched | undefined;
    try {
      // "; exit $?" keeps the shell waiting for node, as npm's `sh -c` does (no shell execs into it).
      const started = await launch("sh", ["-c", `${emulatorCommand()}; exit $?`], { cwd: REPO });
      launched = started;
      expect(started.emulatorPid).not.toBe(started.launcher.pid);
      started.launcher.kill("SIGTERM");
      expect(await stopsServing(started.port, 5_000)).toBe(true);
      await waitFor(() => (isRunning(started.emulatorPid) ? undefined : true), 5_000);
      expect(started.output()).toContain("ccc-emulator: the process that started it exited; stopping\n");
    } finally {
      cleanUp(launched);
    }
  }, 60_000);

  it("npx ccc-emulator from an app, terminated, takes the emulator with it", async () => {
    const app = await mkdtemp(path.join(os.tmpdir(), "ccc-npx-app-"));
    let launched: Launched | undefined;
    try {
      // The bin npm would link, pointing at this checkout's bundled emulator (packing would only add minutes).
      await mkdir(path.join(app, "node_modules", ".bin"), { recursive: true });
      await writeFile(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
      const bin = path.join(app, "node_modules", ".bin", "ccc-emulator");
      await writeFile(bin, `#!/bin/sh\nexec '${process.execPath}' '${built("emulator/main")}' "$@"\n`);
      await chmod(bin, 0o755);
      const env = { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false" };
      launched = await launch("npx", ["ccc-emulator", "--port", "0", "--credential", "ID:KEY"], { cwd: app, env });
      launched.launcher.kill("SIGTERM");
      expect(await stopsServing(launched.port, 5_000)).toBe(true);
      await waitFor(() => (isRunning(launched!.emulatorPid) ? undefined : true), 5_000);
    } finally {
      cleanUp(launched);
      await rm(app, { recursive: true, force: true });
    }
  }, 60_000);

  it("--outlive-parent keeps it serving after its launcher is gone", async () => {
    let launched: Launched | undefined;
    try {
      launched = await launch("sh", ["-c", `${emulatorCommand(["--outlive-parent"])}; exit $?`], { cwd: REPO });
      launched.launcher.kill("SIGTERM");
      await waitFor(
        () => (launched!.launcher.exitCode !== null || launched!.launcher.signalCode ? true : undefined),
        5_000,
      );
      await new Promise((r) => setTimeout(r, 1_500)); // three times the parent check's interval
      expect(await canConnect(launched.port)).toBe(true);
      process.kill(launched.emulatorPid, "SIGTERM");
      expect(await stopsServing(launched.port, 5_000)).toBe(true);
    } finally {
      cleanUp(launched);
    }
  }, 60_000);

  it("SIGTERM to the emulator itself still exits 0 and releases the port", async () => {
    const child = spawn(process.execPath, [built("emulator/main"), "--port", "0", "--credential", "ID:KEY"], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      const port = await waitFor(() => {
        if (child.exitCode !== null) throw new Error(`the emulator exited with ${child.exitCode}`);
        return Number(/:(\d+)\n/.exec(stdout)?.[1]) || undefined;
      }, 30_000);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(await canConnect(port)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 60_000);
});

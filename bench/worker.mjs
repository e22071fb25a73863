/**
 * One participant under measurement, in its own process so that no two share a heap or a JIT.
 *
 *   forked by run.mjs:  node bench/worker.mjs ours|theirs|limit        (tasks arrive over IPC, one at a time)
 *   profiling:          node bench/worker.mjs ours|theirs|limit profile <port> <concurrency> <ms> <out.cpuprofile>
 *                       (bench/profile.mjs runs it: a warm-up, then one profiled e2e pass)
 *
 * ours   = the built package through its entry (package.json exports["."]), as published: `CccClient`, `Tc3Signer`;
 * theirs = tencentcloud-sdk-nodejs@4.1.313 from bench/node_modules: its per-service CCC `Client`
 *          (tencentcloud/services/ccc/v20200210/ccc_client), the leanest documented way to load it, and its
 *          tencentcloud/common/sign.js for signing;
 * limit  = bench/limit.mjs: what any correct client must do per call and nothing else.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { LimitSigner, limitCaller } from "./limit.mjs";
import {
  ACTION,
  BENCH,
  INPUT,
  oursEntryUrl,
  SECRET_ID,
  SECRET_KEY,
  SIGN_BODY,
  SIGN_HOST,
  SIGN_OBJECT,
  THEIRS_CLIENT,
  VERSION,
} from "./shared.mjs";

const which = process.argv[2];
if (!["ours", "theirs", "limit"].includes(which)) throw new Error(`worker: expected ours|theirs|limit, got ${which}`);

// Their fetch wrapper routes through an agent for `http_proxy`: the bench talks to 127.0.0.1 only.
for (const k of ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"])
  delete process.env[k];

const theirsRequire = createRequire(path.join(BENCH, "package.json"));
const now = () => Math.floor(Date.now() / 1000);

/** Builds the signing function under test: one request's Authorization, from the same ~150-byte body. */
async function signer(kind) {
  if (which === "ours") {
    const { Tc3Signer } = await import(oursEntryUrl());
    const s = new Tc3Signer();
    return () =>
      s.authorization({
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
        service: "ccc",
        host: SIGN_HOST,
        action: ACTION,
        contentType: "application/json",
        payload: SIGN_BODY,
        timestamp: now(),
      });
  }
  if (which === "limit") {
    const s = new LimitSigner({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: "ccc" });
    return () => s.authorization(SIGN_HOST, SIGN_BODY, now());
  }
  const Sign = theirsRequire("tencentcloud-sdk-nodejs/tencentcloud/common/sign.js").default;
  // As their HttpConnection.doRequestWithSign3 calls it: the request object as payload (serialised inside with
  // json-bigint); "buffer" gives it the body already serialised, to show the cost of the crypto alone.
  const payload = kind === "buffer" ? Buffer.from(SIGN_BODY) : SIGN_OBJECT;
  const headers = { "Content-Type": "application/json" };
  return () =>
    Sign.sign3({
      method: "POST",
      url: `https://${SIGN_HOST}/`,
      payload,
      timestamp: now(),
      service: "ccc",
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      multipart: false,
      headers,
    });
}

const signers = new Map();
async function signPass({ kind = "object", maxCount, maxMs }) {
  if (!signers.has(kind)) signers.set(kind, await signer(kind));
  const sign = signers.get(kind);
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  while (n < maxCount) {
    for (let i = 0; i < 256; i++) sink += sign().length;
    n += 256;
    if (performance.now() >= deadline) break;
  }
  const ms = performance.now() - t0;
  if (sink === 0) throw new Error("unreachable");
  return { count: n, ms };
}

/** A client of each participant pointed at the stub, built once per port and reused (keep-alive sockets stay warm). */
const clients = new Map();
async function callerFor(port) {
  if (!clients.has(port)) clients.set(port, await newCaller(port));
  return clients.get(port);
}

async function newCaller(port) {
  if (which === "ours") {
    const { CccClient } = await import(oursEntryUrl());
    const client = new CccClient({
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      rateLimit: false,
    });
    return () => client.disableCCCPhoneNumber(INPUT);
  }
  if (which === "limit")
    return limitCaller({ port, secretId: SECRET_ID, secretKey: SECRET_KEY, action: ACTION, version: VERSION, input: INPUT });
  const { Client } = theirsRequire(THEIRS_CLIENT);
  // Their URL is protocol + endpoint + "/": http://127.0.0.1:PORT/ (the signing service becomes "127", which
  // the stub does not check; the work is the same).
  const client = new Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: "",
    profile: { httpProfile: { endpoint: `127.0.0.1:${port}`, protocol: "http://", reqMethod: "POST" } },
  });
  return () => client.DisableCCCPhoneNumber(INPUT);
}

async function e2ePass({ port, concurrency, maxCount, maxMs }) {
  const call = await callerFor(port);
  const latencies = [];
  let issued = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  const caller = async () => {
    while (issued < maxCount && performance.now() < deadline) {
      issued++;
      const s = performance.now();
      const result = await call();
      latencies.push(performance.now() - s);
      if (typeof result?.RequestId !== "string" || result.RequestId.length !== 36)
        throw new Error(`unexpected answer ${JSON.stringify(result)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const ms = performance.now() - t0;
  return { count: latencies.length, ms, latencies: latencies.map((x) => Math.round(x * 1000) / 1000) };
}

const tasks = { sign: signPass, e2e: e2ePass };

if (process.argv[3] === "profile") {
  const [port, concurrency, ms] = process.argv.slice(4, 7).map(Number);
  const out = process.argv[7];
  const { Session } = await import("node:inspector/promises");
  const { writeFile } = await import("node:fs/promises");
  await e2ePass({ port, concurrency, maxCount: 1e9, maxMs: 1000 }); // warm-up, not profiled
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const r = await e2ePass({ port, concurrency, maxCount: 1e9, maxMs: ms });
  const { profile } = await session.post("Profiler.stop");
  await writeFile(out, JSON.stringify(profile));
  console.log(JSON.stringify({ which, requests: r.count, rps: Math.round((r.count / r.ms) * 1000) }));
  process.exit(0);
} else if (process.send) {
  process.on("disconnect", () => process.exit(0));
  process.on("message", async (msg) => {
    try {
      const result = await tasks[msg.task](msg);
      process.send({ id: msg.id, ok: true, result });
    } catch (e) {
      process.send({ id: msg.id, ok: false, error: String(e?.stack ?? e) });
    }
  });
  process.send({ ready: true, pid: process.pid });
} else {
  throw new Error("worker.mjs is forked by bench/run.mjs, or run by bench/profile.mjs");
}

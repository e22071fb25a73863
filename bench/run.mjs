/**
 * `npm run bench`: ccc-sdk against the official tencentcloud-sdk-nodejs@4.1.313 (its per-service CCC client) and
 * against "the limit" (bench/limit.mjs: what any correct client must do per call and nothing else).
 *
 * 1. installs the official SDK into bench/node_modules (npm ci --prefix bench) when it is missing;
 * 2. builds this SDK (npm run build → dist/) and measures it through its package entry, as published;
 * 3. checks the limit against ours (same signature for the same input, same body on the wire), then measures,
 *    every participant once per round in an order reversed every other round (ABC CBA …) so that drift of a
 *    shared machine cancels, every loop bounded by a count and a time: signing, end to end against a stub on
 *    127.0.0.1 (its own process; sequential and 16 concurrent callers), cold start, one-action bundle size,
 *    install footprint;
 * 4. prints one table and writes it with the machine's description to bench/RESULTS.md (overwritten).
 *
 * Exit 0 even when a target is missed (the table says MISSED); non-zero only when the bench itself fails.
 * `--quick`: fewer and shorter passes, to check the bench works (figures not for publishing).
 * `--json`: stdout carries exactly one line, a JSON object with every figure, the per-round values, the ratios,
 *   the targets and whether each is met; the log and the table go to stderr instead. RESULTS.md is written too.
 */
import { fork, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";

import { LIMIT_CONTENT_TYPE, LIMIT_SIGNED_HEADERS, LimitSigner, limitCaller } from "./limit.mjs";
import { detailsOf, fmtInt, markdownTable, methodOf, rowsOf, targetsOf, verdictOf } from "./report.mjs";
import {
  ACTION,
  BENCH,
  INPUT,
  oursEntry,
  oursEntryUrl,
  REPO,
  SECRET_ID,
  SECRET_KEY,
  SIGN_BODY,
  SIGN_HOST,
  SIGN_OBJECT,
  THEIRS_CLIENT,
  VERSION,
} from "./shared.mjs";

const THEIRS = "tencentcloud-sdk-nodejs";
const THEIRS_VERSION = "4.1.313";
const QUICK = process.argv.includes("--quick");
const JSON_OUT = process.argv.includes("--json");
const CFG = {
  rounds: QUICK ? 2 : 8, // ABC CBA ABC CBA …
  signMs: QUICK ? 300 : 700,
  signMax: 5_000_000,
  e2eMs: QUICK ? 700 : 2000,
  e2eMax: 20_000,
  warmMs: QUICK ? 300 : 1000,
  concurrency: 16,
  // The limit's cold start is a few ms above `node -e 0`: its ratio needs more runs than the others' would.
  coldRuns: QUICK ? 3 : 15,
};
const started = performance.now();
const cpuAtStart = cpuTimes();

/**
 * Linux's system-wide CPU times (/proc/stat, in ticks): `steal` is time the hypervisor gave our virtual CPUs to
 * someone else, which no alternation cancels. Undefined elsewhere.
 */
function cpuTimes() {
  try {
    const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n", 1)[0].trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal …; guest time is counted in user already.
    const [user, nice, system, , , irq, softirq, steal = 0] = fields.map(Number);
    return { busy: user + nice + system + irq + softirq, steal };
  } catch {
    return undefined;
  }
}

/**
 * The share of the CPU time this machine wanted since the bench started that the hypervisor gave to others
 * (steal / (busy + steal)): idle time is left out, as nothing is stolen from an idle CPU. Undefined off Linux.
 */
function stealShare() {
  const now = cpuTimes();
  if (!cpuAtStart || !now) return undefined;
  const steal = now.steal - cpuAtStart.steal;
  const wanted = now.busy - cpuAtStart.busy + steal;
  return wanted > 0 ? steal / wanted : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes and temporary directories are tracked so that an error or a signal leaves nothing behind.
const children = new Set();
const tmpDirs = new Set();
function cleanup() {
  for (const c of children) {
    try {
      c.kill("SIGTERM");
    } catch {}
  }
  children.clear();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
  tmpDirs.clear();
}
process.on("exit", cleanup);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(sig, () => {
    console.error(`\nbench: ${sig}, stopping`);
    cleanup();
    process.exit(128 + (os.constants.signals[sig] ?? 1));
  });
function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}
function tmpDir(prefix) {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.add(d);
  return d;
}

/** The environment of every measured process: no proxy (their fetch honours http_proxy), nothing else changed. */
const CLEAN_ENV = { ...process.env };
for (const k of ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "NODE_OPTIONS"])
  delete CLEAN_ENV[k];

/** Human output: stdout, or stderr under --json (stdout is then the JSON line alone). */
const human = JSON_OUT ? console.error : console.log;
function log(msg) {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  human(`[${s} s] ${msg}`);
}

function npm(args, cwd, { quiet = true } = {}) {
  const execPath = process.env.npm_execpath;
  const [cmd, pre] = execPath?.endsWith(".js")
    ? [process.execPath, [execPath]]
    : [process.platform === "win32" ? "npm.cmd" : "npm", []];
  const r = spawnSync(cmd, [...pre, ...args], {
    cwd,
    encoding: "utf8",
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
  });
  if (r.status !== 0)
    throw new Error(
      `npm ${args.join(" ")} (in ${cwd}) failed (${r.status ?? r.signal}):\n${r.stderr ?? ""}${r.stdout ?? ""}`,
    );
  return r.stdout ?? "";
}

function jsonFrom(stdout) {
  return JSON.parse(stdout.slice(stdout.indexOf("[")));
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics.
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile. */
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

// ---------------------------------------------------------------------------------------------------------------
// Workers: one process per participant, driven over IPC, only one busy at a time.
function startWorker(which) {
  // A worker's stdout goes to our stderr: under --json our stdout is the JSON line alone.
  const child = track(fork(path.join(BENCH, "worker.mjs"), [which], { env: CLEAN_ENV, stdio: ["ignore", 2, 2, "ipc"] }));
  let next = 1;
  const pending = new Map();
  let onReady;
  const ready = new Promise((resolve, reject) => {
    onReady = resolve;
    child.once("exit", (code, sig) => reject(new Error(`${which} worker exited before it was ready (${code ?? sig})`)));
  });
  child.on("message", (msg) => {
    if (msg.ready) return onReady();
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`${which} worker: ${msg.error}`));
  });
  child.on("exit", (code, sig) => {
    for (const p of pending.values()) p.reject(new Error(`${which} worker exited (${code ?? sig})`));
    pending.clear();
  });
  return {
    which,
    ready,
    run(task, args) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, task, ...args });
      });
    },
    stop() {
      child.disconnect();
    },
  };
}

function startStub() {
  const child = track(
    spawn(process.execPath, [path.join(BENCH, "stub-server.mjs")], {
      env: CLEAN_ENV,
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("the stub server did not print its port within 10 s")), 10_000);
    child.on("exit", (code, sig) => reject(new Error(`the stub server exited (${code ?? sig})`)));
    child.stdout.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      const { port } = JSON.parse(out.slice(0, nl));
      resolve({ port, stop: () => child.stdin.end() });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 1. The official SDK, in its own folder.
function ensureTheirs() {
  const pkg = path.join(BENCH, "node_modules", THEIRS, "package.json");
  const installed = existsSync(pkg) ? JSON.parse(readFileSync(pkg, "utf8")).version : undefined;
  if (installed === THEIRS_VERSION) return log(`${THEIRS}@${installed} present in bench/node_modules`);
  const lock = existsSync(path.join(BENCH, "package-lock.json"));
  log(`installing ${THEIRS}@${THEIRS_VERSION} into bench/node_modules (npm ${lock ? "ci" : "install"} --prefix bench)`);
  npm([lock ? "ci" : "install", "--prefix", BENCH, "--no-audit", "--no-fund"], REPO);
  const now = JSON.parse(readFileSync(pkg, "utf8")).version;
  if (now !== THEIRS_VERSION) throw new Error(`bench/node_modules has ${THEIRS}@${now}, expected ${THEIRS_VERSION}`);
}

// ---------------------------------------------------------------------------------------------------------------
// 3a. Signing.
async function checkSignersAgree() {
  const { Tc3Signer } = await import(oursEntryUrl());
  const Sign = createRequire(path.join(BENCH, "package.json"))(`${THEIRS}/tencentcloud/common/sign.js`).default;
  const timestamp = 1_700_000_000;
  const ours = (contentType, at = timestamp) =>
    new Tc3Signer().authorization({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: "ccc",
      host: SIGN_HOST,
      action: ACTION,
      contentType,
      payload: SIGN_BODY,
      timestamp: at,
      signedHeaders: "content-type;host",
    });
  // Same inputs, both signing `content-type;host` (theirs' only choice): the signatures must be identical, which
  // shows both functions do the same work on the same bytes.
  const theirs = Sign.sign3({
    method: "POST",
    url: `https://${SIGN_HOST}/`,
    payload: SIGN_OBJECT,
    timestamp,
    service: "ccc",
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    headers: { "Content-Type": "application/json" },
  });
  agree("official", ours("application/json"), theirs);
  // The limit signs with its own content type; one signer across two UTC days also shows its cached key is
  // derived again when the date changes.
  if (LIMIT_SIGNED_HEADERS !== "content-type;host") throw new Error("the limit signs other headers than checked");
  const limit = new LimitSigner({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: "ccc" });
  for (const at of [timestamp, timestamp + 1, timestamp + 86_400])
    agree("limit", ours(LIMIT_CONTENT_TYPE, at), limit.authorization(SIGN_HOST, SIGN_BODY, at));
  log(`signers agree on a ${Buffer.byteLength(SIGN_BODY)}-byte body (content-type;host): ours, official, limit`);
}

function agree(who, ours, theirs) {
  if (ours !== theirs)
    throw new Error(`ours and the ${who} signer disagree on the same input:\n  ours   ${ours}\n  ${who} ${theirs}`);
}

/**
 * One call of ours and one of the limit to a server here on 127.0.0.1 that keeps what it receives: the bodies must
 * be the same bytes, and the limit's Authorization must be the one ours computes from the headers it sent.
 */
async function checkLimitRequest() {
  const { CccClient, Tc3Signer } = await import(oursEntryUrl());
  const { port, received, close } = await recordingServer();
  try {
    const endpoint = `http://127.0.0.1:${port}`;
    const ours = new CccClient({ endpoint, credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY }, rateLimit: false });
    await withTimeout(ours.disableCCCPhoneNumber(INPUT), 10_000, "ours' call to the recording server");
    const limit = limitCaller({ port, secretId: SECRET_ID, secretKey: SECRET_KEY, action: ACTION, version: VERSION, input: INPUT });
    await withTimeout(limit(), 10_000, "the limit's call to the recording server");
    const [o, l] = received;
    if (o.body !== l.body) throw new Error(`the limit sends another body than ours:\n  ours  ${o.body}\n  limit ${l.body}`);
    const expected = new Tc3Signer().authorization({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: "ccc",
      host: l.headers.host,
      action: ACTION,
      contentType: l.headers["content-type"],
      payload: l.body,
      timestamp: Number(l.headers["x-tc-timestamp"]),
      signedHeaders: "content-type;host",
    });
    agree("limit (on the wire)", expected, l.headers.authorization);
    log(`the limit sends ours' ${Buffer.byteLength(o.body)}-byte body, signed as ours signs it`);
  } finally {
    close();
  }
}

/** An HTTP server on 127.0.0.1 that answers like the stub and keeps each request's headers and body. */
function recordingServer() {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(`{"Response":{"RequestId":"${randomUUID()}"}}`);
    });
  });
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ port: server.address().port, received, close }));
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Runs every participant once per round, `CFG.rounds` rounds, the order reversed every other round (ABC, CBA, …)
 * so that linear drift cancels for every pair; returns each one's per-round results.
 */
async function alternate(participants, runOne) {
  const results = new Map(participants.map((p) => [p.key, []]));
  for (let r = 0; r < CFG.rounds; r++) {
    const order = r % 2 ? [...participants].reverse() : participants;
    for (const p of order) results.get(p.key).push(await runOne(p, r));
  }
  return results;
}

async function benchSigning(workers) {
  // Ours next to the limit in the order: their ratio is the tightest one.
  const participants = [
    { key: "ours", worker: workers.ours, kind: "object" },
    { key: "limit", worker: workers.limit, kind: "object" },
    { key: "theirs", worker: workers.theirs, kind: "object" },
    { key: "theirsBuffer", worker: workers.theirs, kind: "buffer" },
  ];
  for (const p of participants)
    await p.worker.run("sign", { kind: p.kind, maxCount: CFG.signMax, maxMs: CFG.warmMs / 2 });
  const res = await alternate(participants, async (p) => {
    const { count, ms } = await p.worker.run("sign", { kind: p.kind, maxCount: CFG.signMax, maxMs: CFG.signMs });
    return (count / ms) * 1000;
  });
  return summarisePaired(res, (x) => x);
}

/**
 * Per participant the per-round values and their median; for each one but ours, the per-round ratios ours/it and
 * their median: drift cancels within a round.
 */
function summarisePaired(res, value) {
  const out = {};
  for (const [k, xs] of res) out[k] = { values: xs.map(value), median: median(xs.map(value)) };
  const o = out.ours.values;
  for (const k of Object.keys(out)) {
    if (k === "ours") continue;
    const ratios = o.map((v, i) => v / out[k].values[i]);
    out[k].ratios = ratios;
    out[k].ratio = median(ratios);
  }
  return out;
}

// 3b. End to end.
async function benchE2e(workers, port, concurrency) {
  const participants = ["ours", "limit", "theirs"].map((key) => ({ key, worker: workers[key] }));
  for (const p of participants)
    await p.worker.run("e2e", { port, concurrency, maxCount: CFG.e2eMax, maxMs: CFG.warmMs });
  const res = await alternate(participants, async (p) => {
    const r = await p.worker.run("e2e", { port, concurrency, maxCount: CFG.e2eMax, maxMs: CFG.e2eMs });
    const sorted = r.latencies.sort((a, b) => a - b);
    return { rps: (r.count / r.ms) * 1000, count: r.count, p50: pct(sorted, 50), p99: pct(sorted, 99) };
  });
  const out = summarisePaired(res, (x) => x.rps);
  const p50 = summarisePaired(res, (x) => x.p50);
  const p99 = summarisePaired(res, (x) => x.p99);
  for (const k of Object.keys(out)) {
    out[k].p50 = p50[k];
    out[k].p99 = p99[k];
    out[k].requests = res.get(k).reduce((a, x) => a + x.count, 0);
  }
  return out;
}

// 3c. Cold start.
/** How an app gets the official CCC client class: per-service (the headline), and the two info entries. */
const THEIRS_CLIENTS = {
  theirs: `require(${JSON.stringify(THEIRS_CLIENT)}).Client`,
  theirsService: `require("${THEIRS}/tencentcloud/services/ccc").ccc.v20200210.Client`,
  theirsRoot: `require("${THEIRS}").ccc.v20200210.Client`,
};

function coldStartVariants() {
  const theirs = (key) => ({
    key,
    args: ["-e", `const Client = ${THEIRS_CLIENTS[key]}; new Client({credential:{secretId:"a",secretKey:"b"},region:""});`],
  });
  return [
    { key: "base", args: ["-e", "0"] },
    {
      key: "ours",
      args: [
        "--input-type=module",
        "-e",
        `import(${JSON.stringify(oursEntryUrl())}).then(m => { new m.CccClient({credentials:{secretId:"a",secretKey:"b"}}); })`,
      ],
    },
    {
      key: "limit",
      args: [
        "--input-type=module",
        "-e",
        'import http from "node:http"; import "node:crypto"; new http.Agent({ keepAlive: true });',
      ],
    },
    theirs("theirs"),
    theirs("theirsService"),
    theirs("theirsRoot"),
  ];
}

function benchColdStart() {
  const variants = coldStartVariants();
  const times = Object.fromEntries(variants.map((v) => [v.key, []]));
  // One unmeasured run each (file cache), then CFG.coldRuns rounds in rotating order.
  for (let i = -1; i < CFG.coldRuns; i++) {
    const k = ((i % variants.length) + variants.length) % variants.length;
    const order = [...variants.slice(k), ...variants.slice(0, k)];
    for (const v of order) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, v.args, { cwd: BENCH, env: CLEAN_ENV, encoding: "utf8", timeout: 60_000 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`cold start ${v.key} failed (${r.status ?? r.signal}): ${r.stderr}`);
      if (i >= 0) times[v.key].push(ms);
    }
  }
  const base = median(times.base);
  const out = { base: { median: base, values: times.base } };
  for (const v of variants.slice(1)) out[v.key] = { raw: times[v.key], median: median(times[v.key]) - base };
  // A participant whose median is not above `node -e 0` (the limit, on a noisy run) gives no ratio, not a negative one.
  for (const k of Object.keys(out))
    if (k !== "base" && k !== "ours") out[k].ratio = out[k].median > 0 ? out.ours.median / out[k].median : Number.NaN;
  return out;
}

// 3d. Bundles.
const OURS_BARE_APP = (from) => `
import { CccBareClient, DisableCCCPhoneNumberCommand } from ${JSON.stringify(from)};
const client = new CccBareClient({
  endpoint: \`http://127.0.0.1:\${process.env.STUB_PORT ?? 9}\`,
  credentials: { secretId: "AKIDBUNDLE", secretKey: "bundle-key" },
});
const result = await client.send(DisableCCCPhoneNumberCommand, { PhoneNumbers: ["008602112345678"], Disabled: 1 });
console.log(result.RequestId);
`;
const OURS_FULL_APP = `
import { CccClient } from "ccc-sdk";
const client = new CccClient({
  endpoint: \`http://127.0.0.1:\${process.env.STUB_PORT ?? 9}\`,
  credentials: { secretId: "AKIDBUNDLE", secretKey: "bundle-key" },
});
const result = await client.disableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 });
console.log(result.RequestId);
`;
const THEIRS_APP = (key) => `
const Client = ${THEIRS_CLIENTS[key]};
const client = new Client({
  credential: { secretId: "AKIDBUNDLE", secretKey: "bundle-key" },
  region: "",
  profile: { httpProfile: { endpoint: \`127.0.0.1:\${process.env.STUB_PORT ?? 9}\`, protocol: "http://" } },
});
client.DisableCCCPhoneNumber({ PhoneNumbers: ["008602112345678"], Disabled: 1 }).then((r) => console.log(r.RequestId));
`;

async function benchBundles(port) {
  const { build } = await import("esbuild");
  const dir = tmpDir("ccc-bench-bundle-");
  const bundle = async (name, { contents, resolveDir, format, loader = "js", run = true }) => {
    const result = await build({
      stdin: { contents, resolveDir, sourcefile: `${name}.${loader}`, loader },
      bundle: true,
      minify: true,
      platform: "node",
      format,
      write: false,
      logLevel: "silent",
    });
    const text = result.outputFiles[0].contents;
    const file = path.join(dir, `${name}.${format === "esm" ? "mjs" : "cjs"}`);
    writeFileSync(file, text);
    if (run) {
      // The bundle must work: run it once against the stub.
      const r = spawnSync(process.execPath, [file], {
        cwd: dir,
        env: { ...CLEAN_ENV, STUB_PORT: String(port) },
        encoding: "utf8",
        timeout: 30_000,
      });
      if (r.status !== 0 || r.stdout.trim().length !== 36)
        throw new Error(`the ${name} bundle did not run (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
    }
    return { bytes: text.length, gzip: gzipSync(text).length };
  };

  // Ours from dist/ through the package entry: an app whose node_modules/ccc-sdk is the repository.
  const app = path.join(dir, "app");
  mkdirSync(path.join(app, "node_modules"), { recursive: true });
  symlinkSync(REPO, path.join(app, "node_modules", "ccc-sdk"), "dir");
  const out = {};
  out.oursBare = await bundle("ours-bare", { contents: OURS_BARE_APP("ccc-sdk"), resolveDir: app, format: "esm" });
  out.oursFull = await bundle("ours-full", { contents: OURS_FULL_APP, resolveDir: app, format: "esm" });
  for (const key of Object.keys(THEIRS_CLIENTS))
    out[key] = await bundle(key, { contents: THEIRS_APP(key), resolveDir: BENCH, format: "cjs" });

  // 2 actions vs 84, like for like from TypeScript sources: a spec copy with two actions generated next to a link
  // to src/, against the repository's own generated/.
  const two = path.join(dir, "two");
  const keep = new Set(["DisableCCCPhoneNumber", "ModifyOwnNumberApply"]);
  cpSync(path.join(REPO, "spec"), path.join(two, "spec"), {
    recursive: true,
    filter: (src) => path.dirname(src) !== path.join(REPO, "spec", "actions") || keep.has(path.basename(src, ".yaml")),
  });
  symlinkSync(path.join(REPO, "src"), path.join(two, "src"), "dir");
  symlinkSync(path.join(REPO, "node_modules"), path.join(two, "node_modules"), "dir");
  copyFileSync(path.join(REPO, "package.json"), path.join(two, "package.json"));
  const gen = spawnSync(
    path.join(REPO, "node_modules/.bin/tsx"),
    ["codegen/cli.ts", "--spec", path.join(two, "spec"), "--out", path.join(two, "generated")],
    { cwd: REPO, encoding: "utf8", timeout: 120_000, env: CLEAN_ENV },
  );
  if (gen.status !== 0) throw new Error(`generating the 2-action SDK failed: ${gen.stderr}${gen.stdout}`);
  const count = (d) => readdirSync(path.join(d, "spec", "actions")).filter((f) => f.endsWith(".yaml")).length;
  out.twoActions = count(two);
  out.allActions = count(REPO);
  out.srcTwo = await bundle("ts-2", {
    contents: OURS_BARE_APP("./generated/index.js"),
    resolveDir: two,
    format: "esm",
    loader: "ts",
  });
  out.srcAll = await bundle("ts-all", {
    contents: OURS_BARE_APP("./generated/index.js"),
    resolveDir: REPO,
    format: "esm",
    loader: "ts",
  });
  out.growth = out.srcAll.gzip / out.srcTwo.gzip - 1;
  return out;
}

// 3e. Install footprint.
function fileBytes(dir) {
  let total = 0;
  let files = 0;
  const byKind = {};
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const size = lstatSync(p).size;
        total += size;
        files++;
        const kind = /\.d\.[cm]?ts$/.test(e.name) ? ".d.ts" : path.extname(e.name) || e.name;
        byKind[kind] = (byKind[kind] ?? 0) + size;
      }
    }
  };
  walk(dir);
  return { bytes: total, files, byKind };
}

function installInto(spec, name) {
  const app = path.join(tmpDir(`ccc-bench-${name}-`), "app");
  mkdirSync(app);
  writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: `bench-${name}`, version: "0.0.0", private: true }),
  );
  npm(["install", spec, "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], app);
  const nm = path.join(app, "node_modules");
  const packages = {};
  for (const d of readdirSync(nm)) {
    if (d.startsWith(".")) continue;
    const dirs = d.startsWith("@") ? readdirSync(path.join(nm, d)).map((x) => `${d}/${x}`) : [d];
    for (const p of dirs) packages[p] = fileBytes(path.join(nm, p));
  }
  return { ...fileBytes(nm), packages: Object.keys(packages).length, byPackage: packages };
}

function benchFootprint() {
  const dest = tmpDir("ccc-bench-pack-");
  // dist/ was just built: --ignore-scripts skips `prepack` (another build).
  const [packed] = jsonFrom(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dest], REPO));
  const ours = installInto(path.join(dest, packed.filename), "ours");
  const [theirsPack] = jsonFrom(
    npm(["pack", `${THEIRS}@${THEIRS_VERSION}`, "--json", "--dry-run", "--prefer-offline"], dest),
  );
  const theirs = installInto(`${THEIRS}@${THEIRS_VERSION}`, "theirs");
  return {
    ours: { tarball: packed.size, unpacked: packed.unpackedSize, entries: packed.entryCount, install: ours },
    theirs: {
      tarball: theirsPack.size,
      unpacked: theirsPack.unpackedSize,
      entries: theirsPack.entryCount,
      install: theirs,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
async function main() {
  log(
    `ccc-sdk bench${QUICK ? " (--quick: figures not for publishing)" : ""}: ${os.cpus()[0]?.model}, ${os.cpus().length} cores, node ${process.version}`,
  );
  ensureTheirs();
  log("building ccc-sdk (npm run build → dist/)");
  npm(["run", "build"], REPO);
  if (!existsSync(oursEntry())) throw new Error(`npm run build did not write ${path.relative(REPO, oursEntry())}`);
  log(`ours: ${path.relative(REPO, oursEntry())}`);
  await checkSignersAgree();
  await checkLimitRequest();

  const stub = await startStub();
  log(`stub server on 127.0.0.1:${stub.port} (own process)`);
  const workers = { ours: startWorker("ours"), theirs: startWorker("theirs"), limit: startWorker("limit") };
  await Promise.all(Object.values(workers).map((w) => w.ready));

  log(`signing: ${CFG.rounds} alternating rounds of ${CFG.signMs} ms`);
  const sign = await benchSigning(workers);
  log(`end to end, sequential: ${CFG.rounds} alternating rounds of ${CFG.e2eMs} ms or ${fmtInt(CFG.e2eMax)} requests`);
  const seq = await benchE2e(workers, stub.port, 1);
  log(`end to end, ${CFG.concurrency} concurrent callers: same bounds`);
  const conc = await benchE2e(workers, stub.port, CFG.concurrency);
  for (const w of Object.values(workers)) w.stop();

  log(`cold start: ${CFG.coldRuns} runs of each, rotating order`);
  const cold = benchColdStart();
  log("bundles (esbuild --bundle --minify --platform=node, gzip); each bundle is run once against the stub");
  const bundles = await benchBundles(stub.port);
  stub.stop();
  log("install footprint (npm pack, npm install --omit=dev into empty apps)");
  const foot = benchFootprint();

  const elapsed = (performance.now() - started) / 1000;
  await report({ sign, seq, conc, cold, bundles, foot }, elapsed);
}

async function report(results, elapsed) {
  const rows = rowsOf(results, CFG);
  const table = markdownTable(rows);
  const verdict = verdictOf(rows);
  const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8"));
  const ours = { version: pkg.version, entry: path.relative(REPO, oursEntry()), rev: gitRev() };
  const theirs = `${THEIRS}@${THEIRS_VERSION}`;

  human(`\n${table}\n\n${verdict}\n`);
  writeFileSync(
    path.join(BENCH, "RESULTS.md"),
    `# Benchmark: ccc-sdk vs ${theirs} and the limit\n\nWritten by \`npm run bench\` (bench/run.mjs); overwritten on each run.\n\n${machine()}\n\n${methodOf({ cfg: CFG, quick: QUICK, ours, theirs })}\n\n${table}\n\n${verdict.replace(/^MISSED/gm, "**MISSED**")}\n\n${detailsOf(results, CFG, elapsed)}\n`,
  );
  log(`wrote bench/RESULTS.md (${elapsed.toFixed(0)} s in all)`);
  if (JSON_OUT) {
    const targets = targetsOf(rows);
    const json = { quick: QUICK, date: new Date().toISOString(), machine: machineFacts(), config: CFG, ours, theirs };
    Object.assign(json, { results, rows, targets, allMet: targets.every((t) => t.met === true), elapsedSeconds: elapsed });
    // Written before the exit, and waited for: a pipe's write may still be pending when process.exit runs.
    await new Promise((resolve) => process.stdout.write(`${JSON.stringify(json)}\n`, resolve));
  }
}

function machineFacts() {
  const cpus = os.cpus();
  const steal = stealShare();
  return {
    cpuStealShare: steal === undefined ? null : Number(steal.toFixed(4)),
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    arch: process.arch,
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
  };
}

function machine() {
  const m = machineFacts();
  return [
    `- date: ${new Date().toISOString()}`,
    `- node: ${m.node} (${m.platform}, ${m.arch})`,
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- memory: ${m.memoryGiB.toFixed(1)} GiB`,
    m.cpuStealShare === null
      ? "- CPU steal during the run: not known (no /proc/stat)"
      : `- CPU steal during the run: ${(m.cpuStealShare * 100).toFixed(1)} % of the CPU time wanted (given by the hypervisor to others; above a few % the figures are noisy, and no alternation cancels it)`,
  ].join("\n");
}

function gitRev() {
  const r = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO, encoding: "utf8" });
  const dirty = spawnSync("git", ["status", "--porcelain", "--", "src", "generated", "package.json"], {
    cwd: REPO,
    encoding: "utf8",
  });
  return r.status === 0 ? `${r.stdout.trim()}${dirty.stdout?.trim() ? "+changes" : ""}` : "unknown";
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`\nbench failed: ${e?.stack ?? e}`);
    cleanup();
    process.exit(1);
  },
);

/**
 * `npm run bench`: ccc-sdk against the official tencentcloud-sdk-nodejs@4.1.313 (its CCC client).
 *
 * 1. installs the official SDK into bench/node_modules (npm ci --prefix bench) when it is missing;
 * 2. builds this SDK (npm run build → dist/) and measures it through its package entry, as published;
 * 3. measures, alternating the SDKs (AB BA AB …) so drift of a shared machine cancels, every loop bounded by a
 *    count and a time: signing, end to end against a stub on 127.0.0.1 (its own process; sequential and 16
 *    concurrent callers), cold start, one-action bundle size, install footprint;
 * 4. prints one table and writes it with the machine's description to bench/RESULTS.md (overwritten).
 *
 * Exit 0 even when a target is missed (the table says MISSED); non-zero only when the bench itself fails.
 * `--quick`: fewer and shorter passes, to check the bench works (figures not for publishing).
 */
import { fork, spawn, spawnSync } from "node:child_process";
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
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";

import {
  BENCH,
  oursEntry,
  oursEntryUrl,
  REPO,
  SECRET_ID,
  SECRET_KEY,
  SIGN_BODY,
  SIGN_HOST,
  SIGN_OBJECT,
} from "./shared.mjs";

const THEIRS = "tencentcloud-sdk-nodejs";
const THEIRS_VERSION = "4.1.313";
const QUICK = process.argv.includes("--quick");
const CFG = {
  rounds: QUICK ? 2 : 8, // AB BA AB BA …
  signMs: QUICK ? 300 : 700,
  signMax: 5_000_000,
  e2eMs: QUICK ? 700 : 2000,
  e2eMax: 20_000,
  warmMs: QUICK ? 300 : 1000,
  concurrency: 16,
  coldRuns: QUICK ? 3 : 9,
};
const started = performance.now();

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

function log(msg) {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${s} s] ${msg}`);
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
const fmtInt = (n) => Math.round(n).toLocaleString("en-US");
const fmtMs = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
const fmtBytes = (n) => `${fmtInt(n)} B`;
const fmtRatio = (r) => (r >= 10 ? r.toFixed(1) : r >= 1 ? r.toFixed(2) : r.toFixed(3));
const spread = (xs, fmt = fmtInt) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;

// ---------------------------------------------------------------------------------------------------------------
// Workers: one process per SDK, driven over IPC, only one busy at a time.
function startWorker(which) {
  const child = track(
    fork(path.join(BENCH, "worker.mjs"), [which], { env: CLEAN_ENV, stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
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
  // Same inputs, both signing `content-type;host` (theirs' only choice): the signatures must be identical, which
  // shows both functions do the same work on the same bytes.
  const { Tc3Signer } = await import(oursEntryUrl());
  const Sign = createRequire(path.join(BENCH, "package.json"))(`${THEIRS}/tencentcloud/common/sign.js`).default;
  const w = { SECRET_ID, SECRET_KEY, SIGN_BODY, SIGN_HOST, SIGN_OBJECT };
  const timestamp = 1_700_000_000;
  const ours = new Tc3Signer().authorization({
    secretId: w.SECRET_ID,
    secretKey: w.SECRET_KEY,
    service: "ccc",
    host: w.SIGN_HOST,
    action: "DisableCCCPhoneNumber",
    contentType: "application/json",
    payload: w.SIGN_BODY,
    timestamp,
    signedHeaders: "content-type;host",
  });
  const theirs = Sign.sign3({
    method: "POST",
    url: `https://${w.SIGN_HOST}/`,
    payload: w.SIGN_OBJECT,
    timestamp,
    service: "ccc",
    secretId: w.SECRET_ID,
    secretKey: w.SECRET_KEY,
    headers: { "Content-Type": "application/json" },
  });
  if (ours !== theirs)
    throw new Error(`the two signers disagree on the same input:\n  ours   ${ours}\n  theirs ${theirs}`);
  log(`signers agree on a ${Buffer.byteLength(w.SIGN_BODY)}-byte body (content-type;host)`);
}

/** Alternates `participants` (AB, BA, AB, …), `CFG.rounds` rounds; returns each one's per-round results. */
async function alternate(participants, runOne) {
  const results = new Map(participants.map((p) => [p.key, []]));
  for (let r = 0; r < CFG.rounds; r++) {
    const order = r % 2 ? [...participants].reverse() : participants;
    for (const p of order) results.get(p.key).push(await runOne(p, r));
  }
  return results;
}

async function benchSigning(ours, theirs) {
  const participants = [
    { key: "ours", worker: ours, kind: "object" },
    { key: "theirs", worker: theirs, kind: "object" },
    { key: "theirsBuffer", worker: theirs, kind: "buffer" },
  ];
  for (const p of participants)
    await p.worker.run("sign", { kind: p.kind, maxCount: CFG.signMax, maxMs: CFG.warmMs / 2 });
  const res = await alternate(participants, async (p) => {
    const { count, ms } = await p.worker.run("sign", { kind: p.kind, maxCount: CFG.signMax, maxMs: CFG.signMs });
    return (count / ms) * 1000;
  });
  return summarisePaired(res, (x) => x);
}

/** Median per SDK, and the median (and range) of per-round ratios ours/theirs: drift cancels within a round. */
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
async function benchE2e(ours, theirs, port, concurrency) {
  const participants = [
    { key: "ours", worker: ours },
    { key: "theirs", worker: theirs },
  ];
  for (const p of participants)
    await p.worker.run("e2e", { port, concurrency, maxCount: CFG.e2eMax, maxMs: CFG.warmMs });
  const latencies = { ours: [], theirs: [] };
  const res = await alternate(participants, async (p) => {
    const r = await p.worker.run("e2e", { port, concurrency, maxCount: CFG.e2eMax, maxMs: CFG.e2eMs });
    for (const x of r.latencies) latencies[p.key].push(x);
    return { rps: (r.count / r.ms) * 1000, count: r.count };
  });
  const out = summarisePaired(res, (x) => x.rps);
  for (const k of ["ours", "theirs"]) {
    const s = latencies[k].sort((a, b) => a - b);
    out[k].p50 = pct(s, 50);
    out[k].p99 = pct(s, 99);
    out[k].requests = res.get(k).reduce((a, x) => a + x.count, 0);
  }
  return out;
}

// 3c. Cold start.
function benchColdStart() {
  const ourEntry = oursEntryUrl();
  const variants = [
    { key: "base", args: ["-e", "0"] },
    {
      key: "ours",
      args: [
        "--input-type=module",
        "-e",
        `import(${JSON.stringify(ourEntry)}).then(m => { new m.CccClient({credentials:{secretId:"a",secretKey:"b"}}); })`,
      ],
    },
    {
      key: "theirs",
      args: [
        "-e",
        `const Client = require("${THEIRS}").ccc.v20200210.Client; new Client({credential:{secretId:"a",secretKey:"b"},region:""});`,
      ],
    },
    {
      key: "theirsService",
      args: [
        "-e",
        `const Client = require("${THEIRS}/tencentcloud/services/ccc").ccc.v20200210.Client; new Client({credential:{secretId:"a",secretKey:"b"},region:""});`,
      ],
    },
  ];
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
  for (const k of ["ours", "theirs", "theirsService"])
    out[k] = { values: times[k], raw: median(times[k]), median: median(times[k]) - base };
  out.theirs.ratio = out.ours.median / out.theirs.median;
  out.theirsService.ratio = out.ours.median / out.theirsService.median;
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
const THEIRS_APP = (from) => `
const tencentcloud = require(${JSON.stringify(from)});
const Client = tencentcloud.ccc.v20200210.Client;
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
  out.ours = await bundle("ours-bare", { contents: OURS_BARE_APP("ccc-sdk"), resolveDir: app, format: "esm" });
  out.oursFull = await bundle("ours-full", { contents: OURS_FULL_APP, resolveDir: app, format: "esm" });
  out.theirs = await bundle("theirs", { contents: THEIRS_APP(THEIRS), resolveDir: BENCH, format: "cjs" });
  out.theirsService = await bundle("theirs-service", {
    contents: THEIRS_APP(`${THEIRS}/tencentcloud/services/ccc`),
    resolveDir: BENCH,
    format: "cjs",
  });

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
  out.ratio = out.ours.gzip / out.theirs.gzip;
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

  const stub = await startStub();
  log(`stub server on 127.0.0.1:${stub.port} (own process)`);
  const ours = startWorker("ours");
  const theirs = startWorker("theirs");
  await Promise.all([ours.ready, theirs.ready]);

  log(`signing: ${CFG.rounds} alternating rounds of ${CFG.signMs} ms`);
  const sign = await benchSigning(ours, theirs);
  log(`end to end, sequential: ${CFG.rounds} alternating rounds of ${CFG.e2eMs} ms or ${fmtInt(CFG.e2eMax)} requests`);
  const seq = await benchE2e(ours, theirs, stub.port, 1);
  log(`end to end, ${CFG.concurrency} concurrent callers: same bounds`);
  const conc = await benchE2e(ours, theirs, stub.port, CFG.concurrency);
  ours.stop();
  theirs.stop();

  log(`cold start: ${CFG.coldRuns} runs of each, rotating order`);
  const cold = benchColdStart();
  log("bundles (esbuild --bundle --minify --platform=node, gzip); each bundle is run once against the stub");
  const bundles = await benchBundles(stub.port);
  stub.stop();
  log("install footprint (npm pack, npm install --omit=dev into empty apps)");
  const foot = benchFootprint();

  const elapsed = (performance.now() - started) / 1000;
  report({ sign, seq, conc, cold, bundles, foot, elapsed });
}

function report({ sign, seq, conc, cold, bundles, foot, elapsed }) {
  const rows = [];
  const row = (metric, ours, theirs, ratio, target, met, seen = ratio) =>
    rows.push({ metric, ours, theirs, ratio, target, met, seen });
  const ratioOT = (r, rs) => `${fmtRatio(r)}× ours/theirs${rs ? ` (rounds ${spread(rs, fmtRatio)})` : ""}`;
  const MB = 1_000_000;

  row(
    "Signing, signatures/s (~150 B JSON body) — higher is better",
    `${fmtInt(sign.ours.median)} (${spread(sign.ours.values)})`,
    `${fmtInt(sign.theirs.median)} (${spread(sign.theirs.values)})`,
    ratioOT(sign.theirs.ratio, sign.theirs.ratios),
    "≥ 3×",
    sign.theirs.ratio >= 3,
  );
  row(
    "  info: theirs given the body pre-serialised (Buffer), crypto only",
    `${fmtInt(sign.ours.median)}`,
    `${fmtInt(sign.theirsBuffer.median)} (${spread(sign.theirsBuffer.values)})`,
    ratioOT(sign.theirsBuffer.ratio, sign.theirsBuffer.ratios),
    "—",
    null,
  );
  for (const [label, r, target, min] of [
    ["sequential", seq, "≥ 1.2×", 1.2],
    [`${CFG.concurrency} concurrent callers`, conc, "≥ 1.5×", 1.5],
  ]) {
    row(
      `End to end, ${label}, requests/s — higher is better`,
      `${fmtInt(r.ours.median)} (${spread(r.ours.values)})`,
      `${fmtInt(r.theirs.median)} (${spread(r.theirs.values)})`,
      ratioOT(r.theirs.ratio, r.theirs.ratios),
      target,
      r.theirs.ratio >= min,
    );
    row(
      `  latency p50 / p99, ms (${label}) — lower is better`,
      `${fmtMs(r.ours.p50)} / ${fmtMs(r.ours.p99)}`,
      `${fmtMs(r.theirs.p50)} / ${fmtMs(r.theirs.p99)}`,
      `${fmtRatio(r.ours.p50 / r.theirs.p50)}× / ${fmtRatio(r.ours.p99 / r.theirs.p99)}× ours/theirs`,
      "—",
      null,
    );
  }
  row(
    `Cold start: import + construct, ms, minus \`node -e 0\` (${fmtMs(cold.base.median)} ms) — lower is better`,
    `${fmtMs(cold.ours.median)} (raw ${spread(cold.ours.values, fmtMs)})`,
    `${fmtMs(cold.theirs.median)} (raw ${spread(cold.theirs.values, fmtMs)})`,
    ratioOT(cold.theirs.ratio),
    "≤ 0.25×",
    cold.theirs.ratio <= 0.25,
  );
  row(
    "  info: theirs via `tencentcloud-sdk-nodejs/tencentcloud/services/ccc`",
    `${fmtMs(cold.ours.median)}`,
    `${fmtMs(cold.theirsService.median)} (raw ${spread(cold.theirsService.values, fmtMs)})`,
    ratioOT(cold.theirsService.ratio),
    "—",
    null,
  );
  row(
    "One-action app bundle, gzipped (ours: CccBareClient + command) — lower is better",
    fmtBytes(bundles.ours.gzip),
    fmtBytes(bundles.theirs.gzip),
    ratioOT(bundles.ratio),
    "≤ 0.1×",
    bundles.ratio <= 0.1,
  );
  row(
    "  info: ours with `new CccClient().disableCCCPhoneNumber()`; theirs via services/ccc",
    fmtBytes(bundles.oursFull.gzip),
    fmtBytes(bundles.theirsService.gzip),
    `${fmtRatio(bundles.oursFull.gzip / bundles.theirsService.gzip)}× ours/theirs`,
    "—",
    null,
  );
  row(
    `One-action bundle growth, ${bundles.twoActions} → ${bundles.allActions} actions (from TS sources, gzipped)`,
    `${fmtBytes(bundles.srcTwo.gzip)} → ${fmtBytes(bundles.srcAll.gzip)}`,
    "—",
    `${bundles.growth >= 0 ? "+" : ""}${(bundles.growth * 100).toFixed(1)} %`,
    "≤ +10 %",
    bundles.growth <= 0.1,
  );
  row(
    "npm tarball / unpacked package, bytes — lower is better",
    `${fmtBytes(foot.ours.tarball)} / ${fmtBytes(foot.ours.unpacked)}`,
    `${fmtBytes(foot.theirs.tarball)} / ${fmtBytes(foot.theirs.unpacked)}`,
    `${fmtRatio(foot.ours.tarball / foot.theirs.tarball)}× / ${fmtRatio(foot.ours.unpacked / foot.theirs.unpacked)}× ours/theirs`,
    "—",
    null,
  );
  row(
    "Production install (node_modules file bytes, dependencies included) — lower is better",
    `${fmtBytes(foot.ours.install.bytes)} (${foot.ours.install.packages} packages, ${fmtInt(foot.ours.install.files)} files)`,
    `${fmtBytes(foot.theirs.install.bytes)} (${foot.theirs.install.packages} packages, ${fmtInt(foot.theirs.install.files)} files)`,
    `${fmtRatio(foot.ours.install.bytes / foot.theirs.install.bytes)}× ours/theirs`,
    "≤ 1 MB (1 000 000 B)",
    foot.ours.install.bytes <= MB,
    `${fmtBytes(foot.ours.install.bytes)}, ${fmtBytes(foot.ours.install.bytes - MB)} over`,
  );

  const metText = (m) => (m === null ? "" : m ? "yes" : "**MISSED**");
  const esc = (s) => String(s).replace(/\|/g, "\\|");
  const table = [
    "| metric | ours | theirs | ratio | target | met? |",
    "|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${[r.metric, r.ours, r.theirs, r.ratio, r.target, metText(r.met)].map(esc).join(" | ")} |`),
  ].join("\n");
  const missed = rows.filter((r) => r.met === false);

  const cpus = os.cpus();
  const machine = [
    `- date: ${new Date().toISOString()}`,
    `- node: ${process.version} (${process.platform} ${os.release()}, ${process.arch})`,
    `- CPU: ${cpus[0]?.model ?? "unknown"}, ${cpus.length} cores`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- ours: ccc-sdk ${JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).version} built, from ${path.relative(REPO, oursEntry())} (git ${gitRev()}); theirs: ${THEIRS}@${THEIRS_VERSION}`,
    `- method: ${CFG.rounds} alternating rounds (AB BA …), each SDK in its own process; signing ${CFG.signMs} ms per pass; end to end ${CFG.e2eMs} ms or ${fmtInt(CFG.e2eMax)} requests per pass after a warm-up, against a stub in its own process on 127.0.0.1 (ours with \`rateLimit: false\`, validation on); cold start median of ${CFG.coldRuns} runs; figures are medians with the range over rounds in brackets; ratios are the median of per-round ratios${QUICK ? "\n- **--quick run: short passes, figures not for publishing**" : ""}`,
  ].join("\n");
  const details = [
    "Per-round figures (in the order run):",
    "",
    `- signing, ours: ${sign.ours.values.map(fmtInt).join(", ")}; theirs: ${sign.theirs.values.map(fmtInt).join(", ")}; theirs (Buffer): ${sign.theirsBuffer.values.map(fmtInt).join(", ")}`,
    `- sequential req/s, ours: ${seq.ours.values.map(fmtInt).join(", ")}; theirs: ${seq.theirs.values.map(fmtInt).join(", ")} (${fmtInt(seq.ours.requests)} and ${fmtInt(seq.theirs.requests)} requests)`,
    `- ${CFG.concurrency} concurrent req/s, ours: ${conc.ours.values.map(fmtInt).join(", ")}; theirs: ${conc.theirs.values.map(fmtInt).join(", ")} (${fmtInt(conc.ours.requests)} and ${fmtInt(conc.theirs.requests)} requests)`,
    `- cold start raw ms, node -e 0: ${cold.base.values.map(fmtMs).join(", ")}; ours: ${cold.ours.values.map(fmtMs).join(", ")}; theirs: ${cold.theirs.values.map(fmtMs).join(", ")}; theirs services/ccc: ${cold.theirsService.values.map(fmtMs).join(", ")}`,
    `- bundles, minified bytes (gzipped): ours ${fmtInt(bundles.ours.bytes)} (${fmtInt(bundles.ours.gzip)}), ours CccClient ${fmtInt(bundles.oursFull.bytes)} (${fmtInt(bundles.oursFull.gzip)}), theirs ${fmtInt(bundles.theirs.bytes)} (${fmtInt(bundles.theirs.gzip)}), theirs services/ccc ${fmtInt(bundles.theirsService.bytes)} (${fmtInt(bundles.theirsService.gzip)}), TS sources ${bundles.twoActions} actions ${fmtInt(bundles.srcTwo.bytes)} (${fmtInt(bundles.srcTwo.gzip)}), ${bundles.allActions} actions ${fmtInt(bundles.srcAll.bytes)} (${fmtInt(bundles.srcAll.gzip)})`,
    `- production install, ours by package: ${Object.entries(foot.ours.install.byPackage)
      .map(([p, f]) => `${p} ${fmtInt(f.bytes)}`)
      .join(", ")}; ccc-sdk by file kind: ${Object.entries(foot.ours.install.byPackage["ccc-sdk"]?.byKind ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([k, b]) => `${k} ${fmtInt(b)}`)
      .join(", ")}`,
    `- production install, theirs: the largest packages: ${Object.entries(foot.theirs.install.byPackage)
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, 5)
      .map(([p, f]) => `${p} ${fmtInt(f.bytes)}`)
      .join(", ")}`,
    `- total bench time: ${elapsed.toFixed(0)} s`,
  ].join("\n");
  const verdict = missed.length
    ? missed.map((r) => `MISSED: ${r.metric.replace(/ — .*$/, "")}: ${r.seen} (target ${r.target})`).join("\n")
    : "All targets met.";

  console.log(`\n${table}\n\n${verdict}\n`);
  writeFileSync(
    path.join(BENCH, "RESULTS.md"),
    `# Benchmark: ccc-sdk vs ${THEIRS}@${THEIRS_VERSION}\n\nWritten by \`npm run bench\` (bench/run.mjs); overwritten on each run.\n\n${machine}\n\n${table}\n\n${verdict.replace(/^MISSED/gm, "**MISSED**")}\n\n${details}\n`,
  );
  log(`wrote bench/RESULTS.md (${elapsed.toFixed(0)} s in all)`);
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

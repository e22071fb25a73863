/**
 * Where the time of an end-to-end call goes: a CPU profile of one participant's e2e loop against the stub, summarised.
 * Not part of `npm run bench`; run after it (it uses dist/ and bench/node_modules as they are):
 *
 *   node bench/profile.mjs [ours|theirs|limit] [concurrency=1] [ms=4000] [--keep]
 *
 * Prints the top functions by self time and the self time per area (our dist/ files, openapi-fetch, Node's
 * fetch classes (undici: Request, Headers, Response), node:http, crypto, GC, …). `--keep` leaves the
 * .cpuprofile (open it in Chrome DevTools) and prints its path.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const BENCH = import.meta.dirname;
const REPO = path.resolve(BENCH, "..");
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const which = args[0] ?? "ours";
const concurrency = Number(args[1] ?? 1);
const ms = Number(args[2] ?? 4000);
const keep = process.argv.includes("--keep");

const env = { ...process.env };
for (const k of ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]) delete env[k];

const stub = spawn(process.execPath, [path.join(BENCH, "stub-server.mjs")], {
  env,
  stdio: ["pipe", "pipe", "inherit"],
});
const stop = () => stub.kill("SIGTERM");
process.on("exit", stop);
const port = await new Promise((resolve, reject) => {
  let out = "";
  stub.on("exit", () => reject(new Error("the stub server exited")));
  stub.stdout.on("data", (d) => {
    out += d;
    if (out.includes("\n")) resolve(JSON.parse(out).port);
  });
});

const dir = mkdtempSync(path.join(os.tmpdir(), "ccc-bench-prof-"));
const file = path.join(dir, `${which}.cpuprofile`);
const run = spawnSync(
  process.execPath,
  [path.join(BENCH, "worker.mjs"), which, "profile", String(port), String(concurrency), String(ms), file],
  { env, encoding: "utf8", timeout: ms + 60_000 },
);
stop();
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
console.log(`${which}, ${concurrency} caller(s): ${run.stdout.trim()}`);

const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url, fn) {
  if (!url) return fn.startsWith("(") ? fn : "native / V8 builtins";
  if (url.includes(`${REPO}/dist/`))
    return `ours: ${path.relative(path.join(REPO, "dist"), url.replace("file://", ""))}`;
  if (url.includes("openapi-fetch")) return "openapi-fetch";
  if (url.includes("tencentcloud-sdk-nodejs")) return "theirs: tencentcloud-sdk-nodejs";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return `theirs: ${pkg[1]}`;
  if (url.includes("internal/deps/undici") || url.includes("undici"))
    return "node: undici (fetch Request/Headers/Response)";
  if (url.includes("webstreams")) return "node: web streams";
  if (
    url.startsWith("node:internal/http") ||
    url.startsWith("node:_http") ||
    url === "node:http" ||
    url.includes("_http_")
  )
    return "node: http";
  if (url.includes("crypto")) return "node: crypto";
  if (url.includes("bench/worker")) return "bench loop";
  if (url.includes("bench/limit")) return "limit client";
  const m = url.match(/^node:(internal\/)?([^/]+)/);
  return m ? `node: ${m[2]}` : url;
}

const fns = new Map();
const areas = new Map();
for (const [id, t] of self) {
  const { callFrame: cf } = byId.get(id);
  const key = `${cf.functionName || "(anonymous)"}  ${cf.url ? `${cf.url.replace(`file://${REPO}/`, "").replace(/^.*node_modules\//, "")}:${cf.lineNumber + 1}` : ""}`;
  fns.set(key, (fns.get(key) ?? 0) + t);
  const a = area(cf.url, cf.functionName);
  areas.set(a, (areas.get(a) ?? 0) + t);
}
const pctOf = (t) => `${((t / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`\nself time by area (${(total / 1000).toFixed(0)} ms sampled):`);
for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 18)) console.log(`  ${pctOf(t)}  ${a}`);
console.log("\ntop functions by self time:");
for (const [k, t] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, 30)) console.log(`  ${pctOf(t)}  ${k}`);
if (keep) console.log(`\nprofile kept: ${file}`);
else rmSync(dir, { recursive: true, force: true });

#!/usr/bin/env node
// `npm run test:checks`: what `npm test` checks besides vitest — `npm run typecheck` (tsc over src, generated,
// codegen and test) and `npm run lint` (Biome's rules with the zone boundaries, prettier --check) — run at the
// same time: each is mostly one core's work. (Whether generated/ is what spec/ generates, `npm run generate --
// --check`, is a vitest test: test/codegen/cli.test.ts, so the generator loads once.) The scripts are taken
// from package.json and run as `npm run` runs them (`sh -c`, node_modules/.bin first on PATH), without starting
// npm again for each. Each one's output is printed in one piece when it ends; the exit status is non-zero if
// either failed (and vitest then does not run).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const checks = ["typecheck", "lint"].map((name) => ({ name: `npm run ${name}`, command: scripts[name] }));
const env = { ...process.env, PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}` };

function run({ name, command }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn("sh", ["-c", command], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    const chunks = [];
    child.stdout.on("data", (d) => chunks.push(d));
    child.stderr.on("data", (d) => chunks.push(d));
    child.on("error", (e) => resolve({ name, command, code: e.message, output: "", ms: 0 }));
    child.on("close", (code, signal) =>
      resolve({
        name,
        command,
        code: code ?? signal,
        output: Buffer.concat(chunks).toString(),
        ms: performance.now() - started,
      }),
    );
  });
}

let failed = false;
for (const result of await Promise.all(checks.map(run))) {
  console.log(`\n> ${result.name} (${result.command})`);
  process.stdout.write(result.output);
  if (result.code === 0) console.log(`test:checks: ${result.name} passed in ${Math.round(result.ms)} ms`);
  else {
    failed = true;
    console.error(`test:checks: ${result.name} failed (exit ${result.code})`);
  }
}
process.exitCode = failed ? 1 : 0;

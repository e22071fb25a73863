/**
 * Once per test run, before any test file: bundles the package's entry points from the current src/ and
 * generated/ exactly as `npm run build` does (codegen/build-dist.ts), for the tests that start them as separate
 * processes (test/support/built.ts). The folder sits under node_modules/.cache so the bundles resolve the
 * package's one external dependency (openapi-fetch) as the installed package does; it is removed afterwards.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildDist } from "../../codegen/build-dist.js";
import { NO_METADATA_ENDPOINT } from "./metadata.js";
import { REPO } from "./paths.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder `npm run build` writes as dist/ (js/index.js, js/emulator/main.js, cjs/index.cjs, …). */
    builtDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The workers and the processes they start inherit it: a test that finds no credentials never asks the real
  // metadata.tencentyun.com (tests that build an environment of their own set it there too).
  process.env.TENCENTCLOUD_METADATA_ENDPOINT = NO_METADATA_ENDPOINT;
  const cache = path.join(REPO, "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(path.join(cache, "ccc-test-build-"));
  await buildDist(dir);
  // As in the package: its .js files are ES modules (a Node older than 20.19 does not guess that from the syntax).
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  project.provide("builtDir", dir);
  return () => rm(dir, { recursive: true, force: true });
}

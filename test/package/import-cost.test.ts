/**
 * A guard on what importing the package costs, so that the cold-start work of the bench does not silently come
 * back (the figures themselves are the bench's, never a timed test): the built ES module entry (the JavaScript
 * `npm run build` ships, test/support/built.ts) reaches, through its static imports, no Node module but those the
 * client needs on every call; importing it and constructing clients touch none of the fetch globals (Node's fetch
 * implementation, undici, loads when they are first read); and a one-action app's bundle stays under a budget.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { built } from "../support/built.js";
import { describeRun, run } from "../support/run.js";

/** node:http and node:crypto, which every call needs, and node:module, which loads the others when first used. */
const ALLOWED_AT_IMPORT = ["node:crypto", "node:http", "node:module"];

/** The built files `file` loads before any of its code runs (static imports, followed), and the modules they name. */
async function staticGraph(file: string): Promise<{ files: string[]; modules: Set<string> }> {
  const files: string[] = [];
  const modules = new Set<string>();
  const pending = [file];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (files.includes(next)) continue;
    files.push(next);
    const text = await readFile(next, "utf8");
    // Static imports and re-exports only: `import(...)` loads later, when its code runs.
    for (const [, specifier] of text.matchAll(/^(?:import|export)\s(?:[^;]*?\sfrom\s)?"([^"]+)";/gms)) {
      if (specifier!.startsWith(".")) pending.push(path.resolve(path.dirname(next), specifier!));
      else modules.add(specifier!);
    }
  }
  return { files, modules };
}

describe("importing the package", () => {
  it("reaches no Node module but node:http, node:crypto and node:module (no fs, os, path, https, tls, net)", async () => {
    const { files, modules } = await staticGraph(built("index"));
    expect(files.length).toBeGreaterThan(1);
    expect([...modules].filter((m) => m.startsWith("node:")).sort()).toEqual(ALLOWED_AT_IMPORT);
    // openapi-fetch (the middleware and custom-fetch path) is loaded on demand only.
    expect([...modules]).not.toContain("openapi-fetch");
  });

  it("touches no fetch global (Request, Response, Headers, fetch) when importing and constructing clients", async () => {
    const script = `
      const touched = [];
      for (const name of ["Request", "Response", "Headers", "fetch", "FormData"]) {
        const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
        Object.defineProperty(globalThis, name, {
          configurable: true,
          get() { touched.push(name); return descriptor.get ? descriptor.get.call(globalThis) : descriptor.value; },
        });
      }
      const { CccClient, CccBareClient } = await import(${JSON.stringify(built("index"))});
      new CccClient({ credentials: { secretId: "AKIDGUARD", secretKey: "guard-key" } });
      new CccClient({ endpoint: "http://127.0.0.1:9" });
      new CccBareClient({ credentials: { secretId: "AKIDGUARD", secretKey: "guard-key" }, region: "ap-shanghai" });
      console.log(JSON.stringify(touched));
    `;
    const r = await run(process.execPath, ["--input-type=module", "-e", script], { timeoutMs: 20_000 });
    expect(r.code, describeRun(r)).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([]);
  });

  it("keeps a one-action app (CccBareClient and one command) under its bundle budget, without openapi-fetch", async () => {
    // The budget sits a little above today's size: a change that crosses it is one to look at in the bench.
    // The diagnostics channels of tracing (src/diagnostics.ts) took it from 19,410 to 20,422 B; the default
    // credentials chain's TKE OIDC and CVM instance metadata steps (STS calls, the metadata requests, their
    // messages) add 2.9 KB: every client without `credentials` may need them, so every client carries them. The
    // `rateLimit` option's RateLimiter path (the key, `onThrottled`, the refusal check) adds 260 B.
    const BUDGET_GZIP_BYTES = 23_800;
    const result = await build({
      stdin: {
        contents: `import { CccBareClient, DisableCCCPhoneNumberCommand } from ${JSON.stringify(built("index"))};
          const client = new CccBareClient({ endpoint: "http://127.0.0.1:9", credentials: { secretId: "a", secretKey: "b" } });
          console.log(await client.send(DisableCCCPhoneNumberCommand, { PhoneNumbers: ["008602112345678"], Disabled: 1 }));`,
        resolveDir: path.dirname(built("index")),
        sourcefile: "app.mjs",
      },
      bundle: true,
      minify: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    // openapi-fetch and the fetch path only where asked for (a CccBareClient given `fetchPath`).
    const output = Object.values(result.metafile.outputs)[0]!;
    const kept = Object.entries(output.inputs).filter(
      ([file, { bytesInOutput }]) => bytesInOutput > 0 && /openapi-fetch|fetch-path/.test(file),
    );
    expect(kept.map(([file]) => file)).toEqual([]);
    const gzip = gzipSync(result.outputFiles[0]!.contents).length;
    console.log(`one-action app from the built entry: ${gzip} B gzipped (budget ${BUDGET_GZIP_BYTES})`);
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});

/**
 * `npm run docs [-- --out DIR] [--spec DIR] [--serve] [--port N]`: builds the reference site (and serves it on
 * 127.0.0.1). Exit codes: 0 built, 1 a check of the site failed, 2 invalid spec or usage error. Nothing is written
 * unless every check passes.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { GenerateIo } from "../cli.js";

const consoleIo: GenerateIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

const OPTIONS = {
  spec: { type: "string", default: "spec" },
  out: { type: "string", default: "docs" },
  serve: { type: "boolean", default: false },
  port: { type: "string", default: "8081" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const USAGE = "usage: npm run docs [-- --out DIR] [--spec DIR] [--serve] [--port N]";

/** Builds the site; with `--serve`, returns the server too (closed by the caller, or at the process's end). */
export async function runDocs(
  argv: readonly string[],
  io: GenerateIo = consoleIo,
): Promise<{ code: number; close?: () => Promise<void> }> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>["values"];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true }));
  } catch (e) {
    io.err(`docs: ${(e as Error).message}\n${USAGE}`);
    return { code: 2 };
  }
  if (values.help) {
    io.out(USAGE);
    return { code: 0 };
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    io.err(`docs: --port must be a port number (0 to 65535), not ${values.port}`);
    return { code: 2 };
  }
  const [{ buildSite, SiteCheckError }, { SpecError, formatIssue }] = await Promise.all([
    import("./build.js"),
    import("../load.js"),
  ]);
  const started = performance.now();
  try {
    const site = await buildSite({ specDir: values.spec, outDir: values.out });
    const ms = Math.round(performance.now() - started);
    for (const w of site.warnings) io.err(`docs: warning: ${formatIssue(w)}`);
    io.out(
      `docs: wrote ${site.files.size} files to ${values.out}/ in ${ms} ms: ${site.actions} actions, ${site.models} models; ` +
        `${site.check.pages} pages and ${site.check.links} internal links checked`,
    );
  } catch (e) {
    if (e instanceof SpecError || e instanceof SiteCheckError) {
      io.err(e.message);
      io.err(`${values.out}/ was left untouched.`);
      return { code: e instanceof SpecError ? 2 : 1 };
    }
    throw e;
  }
  if (!values.serve) return { code: 0 };
  const { serveSite } = await import("./serve.js");
  const server = await serveSite(values.out, port);
  io.out(`docs: serving ${values.out}/ at ${server.url} (Ctrl-C to stop)`);
  return { code: 0, close: server.close };
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const { code } = await runDocs(process.argv.slice(2));
  if (code) process.exitCode = code;
}

/**
 * `npm run api-report [-- --check] [--root DIR]`: writes api-report.md (codegen/api-report.ts), or with `--check`
 * compares it with the committed one.
 *
 * Exit codes: 0 written / up to date, 1 the report is stale (--check), 2 a usage error or declarations that cannot
 * be built.
 */
import { realpathSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ApiReport } from "./api-report.js";

const ROOT = path.resolve(import.meta.dirname, "..");
/** The report, relative to the package folder. */
export const REPORT_FILE = "api-report.md";
const USAGE = "usage: npm run api-report [-- --check] [--root DIR]";

/** Where the command's lines go (one call per line, without the newline). */
export interface ApiReportIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: ApiReportIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

const OPTIONS = {
  check: { type: "boolean", default: false },
  root: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The command with its arguments (without `node` and the script): prints to `io` and returns the exit code. */
export async function runApiReport(argv: readonly string[], io: ApiReportIo = consoleIo): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>["values"];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true }));
  } catch (e) {
    io.err(`api-report: ${(e as Error).message}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const root = path.resolve(values.root ?? ROOT);
  const file = path.join(root, REPORT_FILE);
  const shown = path.relative(process.cwd(), file) || file;
  const committed = values.check ? await readFile(file, "utf8").catch(() => undefined) : undefined;
  if (values.check && committed === undefined) {
    io.err(`api-report --check: ${shown} is missing; run \`npm run api-report\` and commit the result.`);
    return 1;
  }
  // Loaded only now: help and usage errors answer at once, without TypeScript (~1.5 s).
  const { apiReport, reportChanges, summarize } = await import("./api-report.js");
  const started = performance.now();
  let made: ApiReport;
  try {
    made = await apiReport(root);
  } catch (e) {
    // A module whose declarations need inference (build-dts.ts), an entry point without declarations: the
    // package's problems, reported. Anything else is a bug of this script, thrown with its stack.
    const message = (e as Error).message;
    if (!/^(declarations|api-report): /.test(message)) throw e;
    io.err(message);
    io.err(`${shown} was left untouched.`);
    return 2;
  }
  const ms = Math.round(performance.now() - started);
  const what = `${made.exports} exports of ${made.entries} entry points, ${made.text.split("\n").length - 1} lines`;
  if (values.check) {
    if (committed === made.text) {
      io.out(`api-report --check: ${shown} is up to date (${what}, ${ms} ms)`);
      return 0;
    }
    const changes = reportChanges(committed!, made.text);
    const removed = changes.filter((c) => c.sign === "-").length;
    io.err(
      `api-report --check: ${shown} is stale (${removed} line(s) removed, ${changes.length - removed} added); run \`npm run api-report\` and commit the result:`,
    );
    for (const line of changes.length ? summarize(changes) : ["  (whitespace or line order only)"]) io.err(line);
    return 1;
  }
  await writeFile(file, made.text);
  io.out(`api-report: wrote ${shown} (${what}) in ${ms} ms`);
  return 0;
}

// Run as a script (not imported): the module is the file named on the command line (symlinks resolved, as Node does).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href)
  process.exitCode = await runApiReport(process.argv.slice(2));

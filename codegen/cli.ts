/**
 * `npm run generate [-- --check] [--no-cache] [--spec DIR] [--out DIR]`
 * Exit codes: 0 done / up to date, 1 generated/ is stale (--check), 2 invalid spec or usage error.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** Where the command's lines go (one call per line, without the newline). */
export interface GenerateIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: GenerateIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

const OPTIONS = {
  check: { type: "boolean", default: false },
  "no-cache": { type: "boolean", default: false },
  spec: { type: "string", default: "spec" },
  out: { type: "string", default: "generated" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The command with its arguments (without `node` and the script): prints to `io` and returns the exit code. */
export async function runGenerate(argv: readonly string[], io: GenerateIo = consoleIo): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>["values"];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true }));
  } catch (e) {
    io.err(`generate: ${(e as Error).message}`);
    return 2;
  }
  if (values.help) {
    io.out("usage: npm run generate [-- --check] [--no-cache] [--spec DIR] [--out DIR]");
    return 0;
  }
  // Loaded only now: help and usage errors answer at once, without the generator's dependencies (~2 s).
  const [{ generate }, { SpecError }] = await Promise.all([import("./generate.js"), import("./load.js")]);
  const started = performance.now();
  try {
    const result = await generate({
      specDir: values.spec,
      outDir: values.out,
      check: values.check,
      ...(values["no-cache"] ? { formatCache: false } : {}),
    });
    const ms = Math.round(performance.now() - started);
    if (values.check) {
      if (result.stale.length) {
        io.err(`generate --check: ${values.out}/ is stale; run \`npm run generate\` and commit the result:`);
        for (const f of result.stale) io.err(`  ${f}`);
        return 1;
      }
      io.out(`generate --check: ${values.out}/ is up to date (${result.files.size} files, ${ms} ms)`);
    } else
      io.out(
        `generate: wrote ${result.files.size} files to ${values.out}/ in ${ms} ms (prettier formatted ${result.formatted})`,
      );
    return 0;
  } catch (e) {
    if (e instanceof SpecError) {
      io.err(e.message);
      io.err(`${values.out}/ was left untouched.`);
      return 2;
    }
    throw e;
  }
}

// Run as a script (not imported): the module is the file named on the command line (symlinks resolved, as Node does).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href)
  process.exitCode = await runGenerate(process.argv.slice(2));

#!/usr/bin/env node
/**
 * The `ccc` executable (package.json `bin`: ./dist/src/cli/main.js). Importing this module only exports `main`;
 * run as a program it runs the command line and sets `process.exitCode`.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { processIo, run, type CliIo } from "./cli.js";
import { generatedSpec } from "./generated-spec.js";

export type { CliIo, Output } from "./cli.js";

/** Runs `ccc` with `argv` (without `node` and the script); resolves to the exit status. */
export function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return run(argv, io, generatedSpec);
}

/** Whether this file is the program node was started with (also through npm's bin symlink). */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // `ccc --help | head`: a closed pipe ends the output, not the program with a stack trace.
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
  process.exitCode = await main(process.argv.slice(2));
}

/**
 * Formatting the generated files a person reads with prettier, with options fixed here so the output is the
 * same on every machine.
 */
import * as prettier from "prettier";

export const PRETTIER: prettier.Options = { printWidth: 120, trailingComma: "all", endOfLine: "lf" };

/**
 * The prettier parser for a generated file. TypeScript goes through `babel-ts`: it prints the generated modules
 * exactly as the `typescript` parser does (test/codegen/cli.test.ts checks with that one) in about half the time.
 * (Worker threads were tried and lost: each thread loads prettier and warms up its own JIT, which costs more
 * on two cores than the formatting they share.)
 */
export function parserFor(file: string): "json" | "markdown" | "babel-ts" {
  return file.endsWith(".json") ? "json" : file.endsWith(".md") ? "markdown" : "babel-ts";
}

/** Formats every file of `files` (path → text); returns path → formatted text in the same order. */
export async function formatAll(files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [file, text] of files)
    out.set(file, await prettier.format(text, { ...PRETTIER, parser: parserFor(file) }));
  return out;
}

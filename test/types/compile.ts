/** Compiles in-memory TypeScript files with the project's compiler options; used by the type-level tests. */
import path from "node:path";
import ts from "typescript";
import { REPO } from "../support/paths.js";
import { createSharedCompilerHost, projectOptions } from "../support/typescript.js";

export const root = REPO;

/**
 * Type-checks `files` (absolute path → source; the paths need not exist, relative imports resolve from them)
 * and returns each file's diagnostics as `line: message` strings.
 */
export function compile(
  files: ReadonlyMap<string, string>,
  extraOptions: ts.CompilerOptions = {},
): Map<string, string[]> {
  const options = projectOptions(extraOptions);
  const host = createSharedCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) => {
    const text = files.get(path.resolve(file));
    return text !== undefined ? ts.createSourceFile(file, text, lang) : getSourceFile(file, lang, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => files.has(path.resolve(file)) || fileExists(file);
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const out = new Map<string, string[]>();
  for (const file of files.keys()) {
    const sf = program.getSourceFile(file)!;
    out.set(
      file,
      [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      }),
    );
  }
  return out;
}

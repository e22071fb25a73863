/**
 * One TypeScript compiler host for the tests that type-check in-process (test/types/, the generator scenarios):
 * the files that do not change during a run — TypeScript's lib files, @types, src/ and generated/ — are parsed
 * once per worker and shared by every program, as an editor's language service shares them. Files elsewhere
 * (temporary folders, in-memory snippets) are read afresh every time.
 */
import path from "node:path";
import ts from "typescript";
import { GENERATED_DIR, REPO } from "./paths.js";

const SHARED_ROOTS = [
  path.join(REPO, "node_modules") + path.sep,
  path.join(REPO, "src") + path.sep,
  GENERATED_DIR + path.sep,
];
const shared = new Map<string, ts.SourceFile>();

/** The settings a source file's parse depends on (TypeScript's document registry keys by the same). */
function parseKey(file: string, options: ts.ScriptTarget | ts.CreateSourceFileOptions): string {
  if (typeof options !== "object") return `${file}\n${options}`;
  return `${file}\n${options.languageVersion}\n${options.impliedNodeFormat}\n${options.jsDocParsingMode}`;
}

/** `ts.createCompilerHost(options)`, with the unchanging files' source files shared between programs. */
export function createSharedCompilerHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, languageVersionOrOptions, onError, shouldCreate) => {
    const resolved = path.resolve(file);
    if (!SHARED_ROOTS.some((root) => resolved.startsWith(root)))
      return getSourceFile(file, languageVersionOrOptions, onError, shouldCreate);
    const key = parseKey(resolved, languageVersionOrOptions);
    let sourceFile = shared.get(key);
    if (!sourceFile) {
      sourceFile = getSourceFile(file, languageVersionOrOptions, onError, shouldCreate);
      if (sourceFile) shared.set(key, sourceFile);
    }
    return sourceFile;
  };
  return host;
}

/** The repository's tsconfig.json compiler options, with `extra` on top. */
export function projectOptions(extra: ts.CompilerOptions = {}): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(REPO, "tsconfig.json"), ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, REPO).options, ...extra };
}

/**
 * Type-checks the project of a tsconfig file as `tsc -p <file> --noEmit --pretty false` does, in this process
 * with the shared host, and returns what tsc would print (`file(line,col): error TSn: …`, paths relative to the
 * tsconfig's folder), or "" when there is nothing to report. Files under `checkedElsewhere` (the runtime, which
 * `npm run typecheck` checks) are part of the program, so everything that uses them is checked against them,
 * but their own bodies are not checked again.
 */
export function typeCheckProject(tsconfigPath: string, checkedElsewhere: readonly string[] = []): string {
  const dir = path.dirname(tsconfigPath);
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${tsconfigPath}`);
  return ts.formatDiagnostics(diagnosticsOf(config.fileNames, config.options, checkedElsewhere, config.errors), {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => "\n",
  });
}

/**
 * The diagnostics of a program over `roots`: the options' and global ones, and each source file's except those
 * under `checkedElsewhere` or node_modules (declarations of dependencies, as `skipLibCheck` leaves them).
 */
export function diagnosticsOf(
  roots: readonly string[],
  options: ts.CompilerOptions,
  checkedElsewhere: readonly string[] = [],
  configErrors: readonly ts.Diagnostic[] = [],
): ts.Diagnostic[] {
  const program = ts.createProgram(roots, options, createSharedCompilerHost(options));
  const skip = (file: string) => {
    const resolved = path.resolve(file);
    if (resolved.split(path.sep).includes("node_modules")) return true;
    return checkedElsewhere.some((dir) => resolved.startsWith(path.resolve(dir) + path.sep));
  };
  const own = program.getSourceFiles().filter((sf) => !skip(sf.fileName));
  return [
    ...configErrors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ];
}

/** Every ```ts block of README.md compiles against the public entry point (as `import … from "ccc-sdk"`). */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("README examples", () => {
  it("has TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it("all compile without a diagnostic", () => {
    const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const files = new Map(
      blocks.map((code, i) => [path.join(root, "test/types/virtual", `readme-${i}.ts`), `${code}\nexport {};\n`]),
    );
    const options = { ...parsed.options, baseUrl: root, paths: { "ccc-sdk": ["./src/index.ts"] } };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, lang, ...rest) => {
      const text = files.get(path.resolve(file));
      return text !== undefined ? ts.createSourceFile(file, text, lang) : getSourceFile(file, lang, ...rest);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => files.has(path.resolve(file)) || fileExists(file);
    const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
    const problems: string[] = [];
    for (const file of files.keys()) {
      for (const d of [
        ...program.getSyntacticDiagnostics(program.getSourceFile(file)),
        ...program.getSemanticDiagnostics(program.getSourceFile(file)),
      ]) {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
        problems.push(`${path.basename(file)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

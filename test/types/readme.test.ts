/** Every ```ts block of README.md compiles against the public entry point (as `import … from "ccc-sdk"`). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, root } from "./compile.js";

const readme = readFileSync(path.join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("README examples", () => {
  it("has TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it("all compile without a diagnostic", () => {
    const files = new Map(
      blocks.map((code, i) => [path.join(root, "test/types/virtual", `readme-${i}.ts`), `${code}\nexport {};\n`]),
    );
    const result = compile(files, {
      baseUrl: root,
      paths: {
        "ccc-sdk": ["./src/index.ts"],
        "ccc-sdk/emulator": ["./src/emulator/index.ts"],
        "ccc-sdk/otel": ["./src/otel/index.ts"],
        "ccc-sdk/push": ["./src/push/index.ts"],
        "ccc-sdk/redis": ["./src/redis/index.ts"],
        // The README shows node-redis as apps install it (`redis`); its client is the @redis/client dev dependency.
        redis: ["./node_modules/@redis/client/dist/index.d.ts"],
      },
    });
    const problems = [...result].flatMap(([file, list]) => list.map((d) => `${path.basename(file)}:${d}`));
    expect(problems).toEqual([]);
  }, 120_000);
});

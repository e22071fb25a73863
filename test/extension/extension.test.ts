/**
 * Adding a CCC action takes one YAML file and the generate command. In a temporary mirror of the repository
 * (test/support/mirror.ts: the fixture spec without CreateOwnNumberApply, src/ and node_modules/ symlinked), the
 * fixture spec of CreateOwnNumberApply is dropped into spec/actions/, the generate command runs (`runGenerate`, the
 * code `npm run generate` runs; the script itself is run as a subprocess in test/codegen/cli.test.ts), an app
 * written against the new method type-checks with TypeScript's compiler (and a wrong one does not), and the app calls the action for
 * real against the CCC emulator (test/server/harness.ts) on 127.0.0.1.
 * Nothing in the repository's spec/ or generated/ is touched.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { CccValidationError } from "../../src/index.js";
import { DEFAULT_CREDENTIAL, startTestServer, type TestServer } from "../server/harness.js";
import { createMirror, type GenerateRun, type Mirror } from "../support/mirror.js";
import { typeCheckProject } from "../support/typescript.js";
import { REPO } from "../support/paths.js";
import { describeRun, runTs } from "../support/run.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/CreateOwnNumberApply.yaml", import.meta.url));
const SEED_ACTIONS = ["DisableCCCPhoneNumber", "ModifyOwnNumberApply"] as const;

const SETUP_TIMEOUT_MS = 60_000;
const TSC_TIMEOUT_MS = 60_000;
const APP_TIMEOUT_MS = 30_000;

/** Only what node/tsx need: no proxies, no TENCENTCLOUD_* credentials, no NODE_OPTIONS from vitest. */
const BASE_ENV = { HOME: process.env.HOME ?? os.homedir(), TMPDIR: os.tmpdir() };

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** One `file(line,col): error TSxxxx: message` diagnostic of `tsc --pretty false` (continuation lines appended). */
interface Diagnostic {
  file: string;
  line: number;
  text: string;
}

function diagnostics(output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^(.+?)\((\d+),(\d+)\): error TS\d+: /.exec(line);
    if (m) out.push({ file: m[1]!, line: Number(m[2]), text: line });
    // tsc indents the continuation lines of a message; anything else is a diagnostic of its own.
    else if (/^\s+\S/.test(line) && out.length) out[out.length - 1]!.text += `\n${line}`;
    else if (line.trim() !== "") out.push({ file: "(global)", line: 0, text: line });
  }
  return out;
}

/** 1-based line of the only line of `source` containing `marker`. */
function lineOf(source: string, marker: string): number {
  const lines = source.split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(marker) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`test setup: ${JSON.stringify(marker)} is on ${hits.length} lines`);
  return hits[0]!;
}

const fixture = parseYaml(await readFile(FIXTURE, "utf8")) as {
  action: string;
  idempotent: boolean;
  rateLimitPerSecond: number;
  input: Record<string, { type: string; required?: boolean; list?: boolean }>;
  output: Record<string, { type: string; required?: boolean }>;
  errors: { code: string }[];
  examples: { request: Record<string, unknown>; response: { ApplyId: number; RequestId: string } }[];
};
const exampleApplyId = fixture.examples[0]!.response.ApplyId;

/** What app.ts sends: every one of the nine members, one DetailList item with all its optional members too. */
const appInput = {
  SdkAppId: 1400000000,
  SipTrunkId: 12,
  DetailList: [
    {
      CallType: 2,
      PhoneNumber: "02012345678",
      MaxCallCount: 10,
      MaxCallPSec: 2,
      OutboundCalleeFormat: "{+E.164}",
      CarrierPhoneNumber: "12345678",
    },
    { CallType: 1, PhoneNumber: "02012345679", MaxCallCount: 1, MaxCallPSec: 1 },
  ],
  Prefix: "1145",
  MobileNddPrefix: "0",
  LocalNumberTrimAC: true,
  CalleeFormatPassthrough: false,
  CallerFormatPassthrough: true,
  InternationalNumberPrefix: "00",
};

const APP_TS = `import { CccClient, type CreateOwnNumberApplyResponse } from "./generated/index.js";

const client = new CccClient({
  endpoint: process.env.CCC_TEST_ENDPOINT,
  credentials: { secretId: process.env.CCC_TEST_SECRET_ID ?? "", secretKey: process.env.CCC_TEST_SECRET_KEY ?? "" },
  timeoutMs: 10_000,
});
try {
  const result: CreateOwnNumberApplyResponse = await client.createOwnNumberApply(${JSON.stringify(appInput)});
  const applyId: number = result.ApplyId;
  const requestId: string = result.RequestId;
  console.log(\`ApplyId=\${applyId} (\${typeof applyId})\`);
  console.log(\`RequestId=\${requestId}\`);
} finally {
  client.close();
}
`;

/** Each wrong line is on its own so tsc's line numbers name the broken member. */
const BAD_TS = `import { CccClient } from "./generated/index.js";

const client = new CccClient({ endpoint: "http://127.0.0.1:9" });
const item = { PhoneNumber: "02012345678", MaxCallCount: 1, MaxCallPSec: 1 } as const;
export const wrongCallType = client.createOwnNumberApply({ SdkAppId: 1, SipTrunkId: 1, DetailList: [{ ...item, CallType: 7 }] });
export const missingSipTrunkId = client.createOwnNumberApply({ SdkAppId: 1, DetailList: [{ ...item, CallType: 2 }] });
export const misspelled = client.createOwnNumberApply({ SdkAppId: 1, SipTrunkID: 1, DetailList: [] });
export async function applyIdAsText(): Promise<string> {
  const result = await client.createOwnNumberApply({ SdkAppId: 1, SipTrunkId: 1, DetailList: [] });
  const text: string = result.ApplyId;
  return text;
}
`;

let mirror: Mirror | undefined;
let server: TestServer | undefined;
let generation: GenerateRun | undefined;

beforeAll(async () => {
  // The fixture spec without CreateOwnNumberApply, so the fixture really adds an action.
  mirror = await createMirror({ omitActions: ["CreateOwnNumberApply"], generate: false });
  const dir = mirror.dir;
  await writeFile(path.join(mirror.specDir, "actions", "CreateOwnNumberApply.yaml"), await readFile(FIXTURE));
  const tsconfig = JSON.parse(await readFile(path.join(REPO, "tsconfig.json"), "utf8")) as { include: string[] };
  tsconfig.include = ["src", "generated", "app.ts"];
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  await writeFile(
    path.join(dir, "tsconfig.bad.json"),
    JSON.stringify({ extends: "./tsconfig.json", include: ["src", "generated", "app.ts", "bad.ts"] }, null, 2),
  );
  await writeFile(path.join(dir, "app.ts"), APP_TS);
  await writeFile(path.join(dir, "bad.ts"), BAD_TS);
  generation = await mirror.generate();
  server = await startTestServer({ openapiPath: mirror.openapiPath });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  try {
    await server?.close();
  } finally {
    await mirror?.remove();
  }
});

beforeEach(async () => {
  await server?.reset();
});

describe("adding CreateOwnNumberApply with one YAML file and the generate command", () => {
  it("the fixture is the spec of CreateOwnNumberApply: not idempotent, 20/s, an example answering an ApplyId", () => {
    expect(fixture.action).toBe("CreateOwnNumberApply");
    expect(fixture.idempotent).toBe(false);
    expect(fixture.rateLimitPerSecond).toBe(20);
    // api.zh.json's CreateOwnNumberApplyRequest, in its order; the first three required.
    expect(
      Object.entries(fixture.input).map(([name, m]) => [name, m.type, m.required ?? false, m.list ?? false]),
    ).toEqual([
      ["SdkAppId", "uint64", true, false],
      ["SipTrunkId", "int64", true, false],
      ["DetailList", "OwnNumberApplyDetailItem", true, true],
      ["Prefix", "string", false, false],
      ["MobileNddPrefix", "string", false, false],
      ["LocalNumberTrimAC", "bool", false, false],
      ["CalleeFormatPassthrough", "bool", false, false],
      ["CallerFormatPassthrough", "bool", false, false],
      ["InternationalNumberPrefix", "string", false, false],
    ]);
    expect(fixture.output).toEqual({ ApplyId: expect.objectContaining({ type: "uint64", required: true }) });
    expect(fixture.errors.map((e) => e.code)).toContain("InvalidParameterValue.WaitingApprovalOverflow");
    expect(fixture.errors).toHaveLength(10);
    // examples.zh.json's output example.
    expect(fixture.examples[0]!.response).toEqual({ RequestId: "foo-bar", ApplyId: 1 });
    expect(exampleApplyId).toBe(1);
  });

  it("the generate command exits 0 and writes the new action, its client method, and leaves the seeds byte-identical", async () => {
    const dir = mirror!.dir;
    const r = generation!;
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      expect.stringMatching(/^generate: wrote \d+ files to .*generated\/ in \d+ ms \(prettier formatted \d+\)$/),
    ]);

    const action = path.join(dir, "generated", "actions", "CreateOwnNumberApply.ts");
    expect(await exists(action)).toBe(true);
    const actionText = await readFile(action, "utf8");
    expect(actionText).toContain('name: "CreateOwnNumberApply"');
    expect(actionText).toMatch(/idempotent: false,/);
    expect(actionText).toMatch(/SipTrunkId: \{ type: "int64", required: true \}/);

    const clientText = await readFile(path.join(dir, "generated", "client.ts"), "utf8");
    expect(clientText).toMatch(/^\s+createOwnNumberApply\(/m);
    expect(clientText).toContain("CreateOwnNumberApply: CreateOwnNumberApplyCommand,");
    expect(await readFile(path.join(dir, "generated", "index.ts"), "utf8")).toContain(
      'export * from "./actions/CreateOwnNumberApply.js";',
    );

    for (const seed of SEED_ACTIONS) {
      const mine = await readFile(path.join(dir, "generated", "actions", `${seed}.ts`));
      const repo = await readFile(path.join(REPO, "generated", "actions", `${seed}.ts`));
      expect(mine.equals(repo), `generated/actions/${seed}.ts differs from the repository's`).toBe(true);
    }
    const model = "models/OwnNumberApplyDetailItem.ts";
    expect(
      (await readFile(path.join(dir, "generated", model))).equals(await readFile(path.join(REPO, "generated", model))),
      `generated/${model} differs from the repository's`,
    ).toBe(true);
  });

  it(
    "an app calling createOwnNumberApply type-checks; wrong calls fail type-checking in bad.ts at the wrong member",
    async () => {
      // One program over src/, generated/, app.ts and bad.ts (TypeScript's compiler in-process, as tsc -p runs it):
      // an error anywhere but in bad.ts fails the test, so app.ts and the generated code type-check (src/'s own
      // bodies are `npm run typecheck`'s to check).
      const output = typeCheckProject(path.join(mirror!.dir, "tsconfig.bad.json"), [path.join(mirror!.dir, "src")]);
      const found = diagnostics(output);
      // Every error is in bad.ts (app.ts, src/ and generated/ stay clean) ...
      expect(found.map((d) => d.file)).toEqual(found.map(() => "bad.ts"));
      // ... one per wrong line, each naming what is wrong.
      const at = (marker: string) => found.filter((d) => d.line === lineOf(BAD_TS, marker)).map((d) => d.text);
      expect(at("CallType: 7")).toEqual([expect.stringMatching(/Type '7' is not assignable to type '0 \| 1 \| 2'/)]);
      expect(at("missingSipTrunkId")).toEqual([expect.stringContaining("Property 'SipTrunkId' is missing")]);
      expect(at("SipTrunkID: 1")).toEqual([expect.stringContaining("'SipTrunkID' does not exist in type")]);
      expect(at("const text: string = result.ApplyId")).toEqual([
        expect.stringContaining("Type 'number' is not assignable to type 'string'"),
      ]);
      expect(found).toHaveLength(4);
    },
    TSC_TIMEOUT_MS,
  );

  it(
    "the app calls CreateOwnNumberApply on the test server and prints the example's ApplyId",
    async () => {
      const dir = mirror!.dir;
      expect(new URL(server!.url).hostname).toBe("127.0.0.1");

      const app = await runTs(path.join(dir, "app.ts"), [], {
        cwd: dir,
        baseEnv: "minimal",
        env: {
          ...BASE_ENV,
          CCC_TEST_ENDPOINT: server!.url,
          CCC_TEST_SECRET_ID: DEFAULT_CREDENTIAL.secretId,
          CCC_TEST_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey,
        },
        timeoutMs: APP_TIMEOUT_MS,
      });
      expect(app.timedOut, describeRun(app)).toBe(false);
      expect(app.code, describeRun(app)).toBe(0);
      expect(app.stderr).toBe("");
      const lines = app.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(`ApplyId=${exampleApplyId} (number)`);
      expect(lines[1]).toMatch(/^RequestId=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

      const seen = await server!.requests();
      expect(seen).toHaveLength(1);
      const call = seen[0]!;
      expect(call.outcome).toBe("ok");
      expect(call.action).toBe("CreateOwnNumberApply");
      expect(call.signedHeaders).toEqual(["content-type", "host", "x-tc-action"]);
      expect(call.secretId).toBe(DEFAULT_CREDENTIAL.secretId);
      expect(call.headers["x-tc-version"]).toBe("2020-02-10");
      expect(call.headers.host).toBe(new URL(server!.url).host);
      expect(JSON.parse(call.body)).toEqual(appInput);
    },
    APP_TIMEOUT_MS + 10_000,
  );

  it("invalid input for the new action is refused by client-side validation; the server sees nothing of it", async () => {
    const dir = mirror!.dir;
    expect(await server!.requests()).toEqual([]);

    const generated = (await import(pathToFileURL(path.join(dir, "generated", "index.ts")).href)) as {
      CccClient: new (options: object) => {
        createOwnNumberApply(input: unknown): Promise<unknown>;
        close(): void;
      };
    };
    const client = new generated.CccClient({
      endpoint: server!.url,
      credentials: DEFAULT_CREDENTIAL,
      timeoutMs: 5_000,
    });
    try {
      const cases: { input: Record<string, unknown>; path: string; rule: string }[] = [
        { input: { ...appInput, SipTrunkId: undefined }, path: "SipTrunkId", rule: "required" },
        {
          input: { ...appInput, DetailList: [{ ...appInput.DetailList[1], CallType: 7 }] },
          path: "DetailList[0].CallType",
          rule: "enum",
        },
        { input: { ...appInput, SdkAppId: -1 }, path: "SdkAppId", rule: "minimum" },
        { input: { ...appInput, SipTrunkID: 12 }, path: "SipTrunkID", rule: "unknown" },
      ];
      for (const c of cases) {
        const err: unknown = await client.createOwnNumberApply(c.input).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, `input breaking ${c.path}`).toBeInstanceOf(CccValidationError);
        const v = err as CccValidationError;
        expect(v.action).toBe("CreateOwnNumberApply");
        expect(v.violations.map((x) => [x.path, x.rule])).toContainEqual([c.path, c.rule]);
        expect(v.message).toContain(c.path);
      }
      expect(await server!.requests()).toEqual([]);
      // The same client reaches the server with valid input: the empty record above is the validation's doing.
      await client.createOwnNumberApply(appInput);
      expect((await server!.requests()).map((r) => [r.action, r.outcome])).toEqual([["CreateOwnNumberApply", "ok"]]);
    } finally {
      client.close();
    }
  });
});
